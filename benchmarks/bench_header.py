"""Grouping-header decoding speed: C single call, C batch, pure-Python twin, full decode.

Run: python -m pytest benchmarks/bench_header.py --benchmark-only
Each round decodes every RTDS response (343 messages; the batch case decodes them 30 times
over, in one call); headers/s = messages per round / mean round time, in extra_info.
"""
from __future__ import annotations

from pathlib import Path

import pytest

import pandc
from pandc.codec import _pyheader

try:
    from pandc.codec import _cheader
except ImportError:  # pragma: no cover
    _cheader = None

RTDS = Path(__file__).resolve().parents[1].parent / "shared" / "corpus" / "rtds"
BATCH_REPEAT = 30


@pytest.fixture(scope="module")
def responses() -> list[bytes]:
    if not RTDS.is_dir():
        pytest.skip(f"{RTDS} is absent (shared reference data not available)")
    return [bytes.fromhex(p.read_text()) for p in sorted(RTDS.glob("*/*_RESPONSE_GBCS.HEX"))]


def _rate(benchmark, count: int) -> None:
    benchmark.extra_info["messages_per_round"] = count
    if benchmark.stats is not None:  # None under --benchmark-disable (CI's smoke run)
        benchmark.extra_info["headers_per_second"] = round(count / benchmark.stats.stats.mean)


needs_c = pytest.mark.skipif(_cheader is None, reason="C core not built")


@needs_c
def test_c_single_call(benchmark, responses):
    decode = _cheader.decode_header

    def run():
        for data in responses:
            decode(data)

    benchmark(run)
    _rate(benchmark, len(responses))


@needs_c
def test_c_batch(benchmark, responses):
    blobs = responses * BATCH_REPEAT
    lengths = [len(b) for b in blobs]
    offsets, position = [], 0
    for n in lengths:
        offsets.append(position)
        position += n
    buffer = b"".join(blobs)

    batch = benchmark(_cheader.decode_batch, buffer, offsets, lengths)
    assert batch.failures == 0
    _rate(benchmark, len(blobs))


@needs_c
def test_c_batch_to_python(benchmark, responses):
    """The batch call plus conversion of every header to a Python RawHeader."""
    benchmark(_cheader.decode_headers, responses)
    _rate(benchmark, len(responses))


def test_python_twin(benchmark, responses):
    decode = _pyheader.decode_header

    def run():
        for data in responses:
            decode(data)

    benchmark(run)
    _rate(benchmark, len(responses))


def test_full_decode_many(benchmark, responses):
    """pandc.decode_many: headers, Message objects, time status, registry, payload parts."""
    results = benchmark(pandc.decode_many, responses)
    assert not any(isinstance(r, pandc.DecodeError) for r in results)
    _rate(benchmark, len(responses))
