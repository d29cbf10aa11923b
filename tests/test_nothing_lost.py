"""Nothing lost: `pandc decode --out-dir` survives a kill and --resume finishes the run with
exactly the files of an uninterrupted one; every input that could not be processed is named;
one KeyStore shared by threads and processes gives the results of one thread."""
from __future__ import annotations

import base64
import concurrent.futures
import io
import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

import pandc
from pandc.io.outdir import OutDir, journal_path, read_journal
from pandc.testing import build_message

from conftest import KEYSTORE, require, rtds_messages

CLI = [sys.executable, "-m", "pandc.cli", "decode"]
EXAMPLES = Path(__file__).resolve().parents[1] / "examples"


def responses(count: int) -> list[str]:
    """``count`` distinct response lines (hex), built field by field."""
    return [build_message(message_code=0x0074, originator_counter=1000 + n, payload=bytes(10)).hex()
            for n in range(count)]


def big_input(tmp_path: Path, count: int) -> Path:
    lines = responses(count)
    # Two inputs that cannot be processed, one early and one late: both must be named.
    lines.insert(5, "DF0902ZZ")
    lines.insert(count - 3, build_message(cra="command", signature=None).hex())
    path = tmp_path / "input.txt"
    path.write_text("\n".join(lines) + "\n")
    return path


def files_of(directory: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(directory.iterdir())}


def test_a_killed_run_resumed_gives_exactly_the_files_of_an_uninterrupted_run(tmp_path):
    source = big_input(tmp_path, 1200)
    whole, killed = tmp_path / "whole", tmp_path / "killed"
    done = subprocess.run(CLI + ["--out-dir", str(whole), str(source)], capture_output=True,
                          text=True, timeout=900)
    assert done.returncode == 1                      # two inputs could not be processed
    expected = files_of(whole)
    assert len(expected) == 1200                     # a command has no MMC document
    run = subprocess.Popen(CLI + ["--out-dir", str(killed), str(source)],
                           stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        deadline = time.monotonic() + 600
        while time.monotonic() < deadline and run.poll() is None:
            if killed.is_dir() and len(list(killed.glob("*.xml"))) >= 150:
                break
            time.sleep(0.05)
        assert run.poll() is None, "the run ended before it could be killed; use a larger input"
        run.send_signal(signal.SIGKILL)
    finally:
        run.wait()
    partial = files_of(killed)
    assert 150 <= len(partial) < len(expected)
    # Whatever a killed run left under a final name is complete, never half-written.
    for name, data in partial.items():
        assert name.startswith(".pandc-tmp-") or data == expected[name], name
    resumed = subprocess.run(CLI + ["--out-dir", str(killed), "--resume", str(source)],
                             capture_output=True, text=True, timeout=900)
    assert resumed.returncode == 1
    assert files_of(killed) == expected
    # Every input is in the journal exactly once: nothing redone twice, nothing skipped.
    journal = read_journal(journal_path(killed))
    assert len(journal) == 1200 + 2
    assert "input.txt:6" in resumed.stderr and "could not be processed" in resumed.stderr


def test_resume_of_a_finished_run_decodes_nothing_again(tmp_path):
    source = tmp_path / "in.txt"
    source.write_text("\n".join(responses(5)) + "\n")
    out = tmp_path / "out"
    assert subprocess.run(CLI + ["--out-dir", str(out), str(source)], timeout=300).returncode == 0
    before = {p.name: p.stat().st_mtime_ns for p in out.glob("*.xml")}
    assert len(before) == 5
    again = subprocess.run(CLI + ["--out-dir", str(out), "--resume", str(source)],
                           capture_output=True, text=True, timeout=300)
    assert again.returncode == 0
    assert {p.name: p.stat().st_mtime_ns for p in out.glob("*.xml")} == before


def test_every_input_that_could_not_be_processed_is_named(tmp_path):
    good, bad = tmp_path / "good.txt", tmp_path / "bad.txt"
    good.write_text(responses(1)[0] + "\n")
    bad.write_text("DD00\nnot hex at all!\n")
    done = subprocess.run(CLI + ["--out-dir", str(tmp_path / "out"), str(good), str(bad),
                                 str(tmp_path / "missing.txt")],
                          capture_output=True, text=True, timeout=300)
    assert done.returncode == 1
    summary = done.stderr.strip().splitlines()[-1]
    for name in ("bad.txt:1", "bad.txt:2", "missing.txt:0"):
        assert name in summary
    assert "good.txt" not in summary
    assert [p.name for p in (tmp_path / "out").glob("*.xml")] == ["good.txt-1.xml"]


def test_a_torn_journal_line_and_leftover_temporaries_are_cleaned_on_resume(tmp_path):
    out = tmp_path / "out"
    with OutDir(out) as directory:
        directory.write(directory.key("a:1"), "a-1.xml", b"<a/>")
        directory.write(directory.key("a:2"), "a-2.xml", b"<b/>")
    with open(journal_path(out), "a") as journal:
        journal.write('{"key": "a:3#1", "sta')          # the kill came mid-line
    (out / ".pandc-tmp-99-a-3.xml").write_bytes(b"<half")
    with OutDir(out, resume=True) as directory:
        assert set(directory.done) == {"a:1#1", "a:2#1"}
        assert directory.key("a:3") not in directory.done
        directory.write("a:3#1", "a-3.xml", b"<c/>")
    assert not list(out.glob(".pandc-tmp-*"))
    lines = journal_path(out).read_text().splitlines()
    assert [json.loads(line)["key"] for line in lines] == ["a:1#1", "a:2#1", "a:3#1"]


def _signature(message: pandc.Message | pandc.DecodeError) -> tuple:
    if isinstance(message, pandc.DecodeError):
        return ("error", str(message))
    values = pandc.values.to_json(message.values) if message.values is not None else None
    return (message.verification, message.warnings, json.dumps(values, sort_keys=True, default=str))


def _decode_all_in_process(data: list[bytes]) -> list[tuple]:
    keys = pandc.KeyStore.from_directory(KEYSTORE)
    return [_signature(_decode(item, keys)) for item in data]


def _decode(item: bytes, keys) -> pandc.Message | pandc.DecodeError:
    try:
        return pandc.decode(item, keys=keys)
    except pandc.DecodeError as error:
        return error


def test_one_keystore_shared_by_8_threads_and_by_processes_gives_one_threads_results():
    require(KEYSTORE)
    data = [blob for _, blob in rtds_messages()][:240]
    expected = [_signature(_decode(item, pandc.KeyStore.from_directory(KEYSTORE))) for item in data]
    assert any(s[0] != "error" and s[0].authenticated for s in expected), "no message verified"
    shared = pandc.KeyStore.from_directory(KEYSTORE)
    with concurrent.futures.ThreadPoolExecutor(max_workers=8) as pool:
        threaded = list(pool.map(lambda item: _signature(_decode(item, shared)), data))
    assert threaded == expected
    chunks = [data[i::2] for i in range(2)]
    with concurrent.futures.ProcessPoolExecutor(max_workers=2) as pool:
        in_processes = list(pool.map(_decode_all_in_process, chunks))
    assert in_processes[0] == expected[0::2] and in_processes[1] == expected[1::2]


class _FailingStream(io.RawIOBase):
    """A file whose reads fail with EIO once ``good`` bytes have been read."""

    def __init__(self, data: bytes, good: int) -> None:
        self.data, self.good, self.position = data, good, 0

    def readable(self) -> bool:
        return True

    def readinto(self, buffer) -> int:
        if self.position >= self.good:
            raise OSError(5, "Input/output error")
        size = min(len(buffer), 64, self.good - self.position)
        buffer[:size] = self.data[self.position:self.position + size]
        self.position += size
        return size


def test_an_io_error_part_way_reports_its_position_and_keeps_what_was_read():
    lines = responses(10)
    data = ("\n".join(lines) + "\n").encode()
    good = sum(len(line) + 1 for line in lines[:4])       # four whole lines, then EIO
    results = list(pandc.iter_decode(io.BufferedReader(_FailingStream(data, good), 64)))
    assert [type(r).__name__ for r in results] == ["Message"] * 4 + ["DecodeError"]
    assert [r.originator_counter for r in results[:4]] == [1000, 1001, 1002, 1003]
    assert results[4].source == "<stream>:5"
    assert "cannot read past line 4" in str(results[4])


def test_an_io_error_inside_a_duis_document_is_reported_after_the_payloads_read():
    payloads = "".join(
        f"<sr:Response><sr:GBCSPayload>{base64.b64encode(bytes.fromhex(h)).decode()}"
        "</sr:GBCSPayload></sr:Response>\n" for h in responses(3))
    data = (f'<sr:R xmlns:sr="http://www.dccinterface.co.uk/ServiceUserGateway">\n{payloads}'
            + "<sr:X/>" * 60_000 + "</sr:R>").encode()
    # lxml reads ahead in chunks of its own size: the error comes well behind the payloads.
    results = list(pandc.iter_decode(io.BufferedReader(_FailingStream(data, len(data) - 100), 64)))
    assert [type(r).__name__ for r in results] == ["Message"] * 3 + ["DecodeError"]
    assert "cannot read" in str(results[-1])


def test_decode_table_over_an_input_failing_part_way_names_the_line(tmp_path):
    """The capture reader keeps the batches read before an I/O error and raises a PandcError
    naming the first line it could not read (never a bare OSError)."""
    pytest.importorskip("pyarrow")
    import io
    from pandc.codec.capture import CaptureReadError
    line = build_message(message_code=0x0074, payload=bytes(20)).hex() + "\n"

    class Failing(io.RawIOBase):
        def __init__(self, good: bytes) -> None:
            self.good, self.done = good, False

        def readable(self) -> bool:
            return True

        def readinto(self, buffer) -> int:
            if self.done:
                raise OSError(5, "Input/output error")
            size = len(self.good)
            buffer[:size] = self.good
            self.done = True
            return size

    batches = []
    with pytest.raises(CaptureReadError) as caught:
        for batch in pandc.iter_tables(Failing((line * 10).encode()), batch_size=4):
            batches.append(batch)
    assert isinstance(caught.value, pandc.PandcError)
    assert caught.value.line == 11 and "line 11" in str(caught.value)
    assert sum(b.num_rows for b in batches) == 10
