"""iter_decode streams: results come lazily, in order, one per input, and memory stays flat.

Peak RSS is measured in a fresh interpreter per input size, so the figures compare like with
like. PANDC_STREAM_SCALE multiplies the large inputs (the closing note's figures use a
200 MB capture and a 100,000-response DUIS file: PANDC_STREAM_SCALE=10).
"""
from __future__ import annotations

import base64
import io
import os
import subprocess
import sys
from pathlib import Path

import pytest

import pandc

from conftest import is_response_or_alert, rtds_messages

SCALE = int(os.environ.get("PANDC_STREAM_SCALE", "1"))
MB = 1 << 20
# VmHWM, not ru_maxrss: a child's ru_maxrss starts from its parent's peak (fork), so a small
# and a large input would both report pytest's own peak.
PEAK_RSS = """
import re, sys, pandc
count = errors = 0
for result in pandc.iter_decode(sys.argv[1]):
    count += 1
    errors += isinstance(result, pandc.DecodeError)
with open("/proc/self/status") as status:
    peak = int(re.search(r"VmHWM:\\s+(\\d+) kB", status.read()).group(1))
print(count, errors, peak)
"""


def _peak(path: Path) -> tuple[int, int, int]:
    done = subprocess.run([sys.executable, "-c", PEAK_RSS, str(path)], capture_output=True,
                          text=True, check=True, timeout=900)
    count, errors, kilobytes = (int(x) for x in done.stdout.split())
    return count, errors, kilobytes * 1024


@pytest.fixture(scope="module")
def lines() -> list[str]:
    return [data.hex() for path, data in rtds_messages() if is_response_or_alert(path)]


def _capture(path: Path, lines: list[str], size: int) -> int:
    written = count = 0
    with path.open("w") as out:
        out.write("# a capture: one message per line\n")
        while written < size:
            for line in lines:
                out.write(line + "\n")
                written += len(line) + 1
                count += 1
    return count


def test_hex_capture_memory_is_flat(tmp_path, lines):
    small, large = tmp_path / "small.txt", tmp_path / "large.txt"
    small_count = _capture(small, lines, 100_000)
    large_count = _capture(large, lines, 20 * MB * SCALE)
    assert _peak(small)[:2] == (small_count, 0)
    count, errors, large_peak = _peak(large)
    assert (count, errors) == (large_count, 0)
    small_peak = _peak(small)[2]
    print(f"hex capture: {large.stat().st_size / MB:.0f} MB, {count} messages: peak RSS "
          f"{large_peak / MB:.1f} MB vs {small_peak / MB:.1f} MB for a small file")
    assert large_peak - small_peak < 50 * MB


def _duis(path: Path, payloads: list[bytes], responses: int) -> None:
    with path.open("w") as out:
        out.write('<Responses xmlns:sr="http://www.dccinterface.co.uk/ServiceUserGateway">\n')
        for number in range(responses):
            payload = base64.b64encode(payloads[number % len(payloads)]).decode()
            out.write(f'<sr:Response schemaVersion="5.4"><sr:Header><sr:RequestID>'
                      f'90-B3-D5-1F-30-01-00-00:00-DB-12-34-56-78-90-A3:{number}</sr:RequestID>'
                      f'<sr:ResponseCode>I0</sr:ResponseCode></sr:Header><sr:Body>'
                      f'<sr:ResponseMessage><sr:GBCSPayload>{payload}</sr:GBCSPayload>'
                      f'</sr:ResponseMessage></sr:Body></sr:Response>\n')
        out.write("</Responses>\n")


def test_duis_file_memory_is_flat(tmp_path, lines):
    payloads = [bytes.fromhex(line) for line in lines]
    small, large = tmp_path / "small.xml", tmp_path / "large.xml"
    _duis(small, payloads, 100)
    _duis(large, payloads, 10_000 * SCALE)
    small_peak = _peak(small)[2]
    count, errors, large_peak = _peak(large)
    assert (count, errors) == (10_000 * SCALE, 0)
    print(f"DUIS: {count} responses, {large.stat().st_size / MB:.0f} MB: peak RSS "
          f"{large_peak / MB:.1f} MB vs {small_peak / MB:.1f} MB")
    assert large_peak - small_peak < 50 * MB


def test_iter_decode_is_lazy_ordered_and_goes_on_past_bad_input(lines):
    source = [lines[0], "# comment", "", "zz-not-hex", lines[1], "DD00"]
    results = list(pandc.iter_decode(source))
    assert len(results) == 4
    assert isinstance(results[0], pandc.Message) and isinstance(results[2], pandc.Message)
    assert isinstance(results[1], pandc.DecodeError) and results[1].source == "<items>:4"
    assert isinstance(results[3], pandc.DecodeError) and results[3].offset is not None
    # lazily: the first result arrives before the source is exhausted
    consumed = []

    def endless():
        while True:
            consumed.append(1)
            yield lines[0]

    first = next(pandc.iter_decode(endless()))
    assert isinstance(first, pandc.Message) and len(consumed) < 10_000


def test_iter_decode_takes_paths_and_binary_and_text_files(tmp_path, lines):
    path = tmp_path / "capture.txt"
    path.write_text("\n".join(lines[:5]) + "\n")
    expected = pandc.decode_many(lines[:5])
    assert list(pandc.iter_decode(path)) == expected
    assert list(pandc.iter_decode(str(path))) == expected
    with path.open("rb") as binary:
        assert list(pandc.iter_decode(binary)) == expected
    with path.open("r") as text:
        assert list(pandc.iter_decode(text)) == expected
    assert list(pandc.iter_decode(io.StringIO("\n".join(lines[:5])))) == expected
    with pytest.raises(TypeError, match="path, a file object or an iterable"):
        next(pandc.iter_decode(42))
