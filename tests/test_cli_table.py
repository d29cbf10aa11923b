"""pandc decode --format parquet|arrow|csv --out FILE: the table of decode_table, in a file."""
from __future__ import annotations

import csv
import io

import pytest

pa = pytest.importorskip("pyarrow", reason="pyarrow is the [arrow] extra")

import pandc
from pandc import cli
from conftest import rtds_files


@pytest.fixture()
def capture(tmp_path):
    lines = [path.read_text().strip() for path in rtds_files()][:40]
    path = tmp_path / "capture.txt"
    path.write_text("\n".join(lines + ["DDXX"]) + "\n")
    return path


class Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def run(argv, err=None):
    args = cli.build_parser().parse_args(argv)
    err = err if err is not None else io.StringIO()
    return args.run(args, io.StringIO(), err), err.getvalue()


def test_parquet_and_arrow_equal_decode_table(capture, tmp_path):
    import pyarrow.parquet as pq
    expected = pandc.decode_table(capture)
    status, messages = run(["decode", "--format", "parquet", "--out", str(tmp_path / "t.parquet"), str(capture)])
    assert status == 1          # the DDXX line is an error row, so the exit status says so
    assert messages == ""       # no progress bar on a pipe
    assert pq.read_table(tmp_path / "t.parquet").to_pylist() == expected.to_pylist()
    status, _ = run(["decode", "--format", "arrow", "--out", str(tmp_path / "t.arrow"), str(capture)])
    assert pa.ipc.open_file(tmp_path / "t.arrow").read_all().to_pylist() == expected.to_pylist()


def test_csv_uses_the_json_lines_text_forms(capture, tmp_path):
    run(["decode", "--format", "csv", "--out", str(tmp_path / "t.csv"), str(capture)])
    rows = list(csv.DictReader(open(tmp_path / "t.csv", newline="")))
    expected = pandc.decode_table(capture).to_pylist()
    assert len(rows) == len(expected) == 41
    first = expected[0]
    assert rows[0]["originator"] == first["originator"].hex("-").upper()
    assert rows[0]["message_code"] == f"0x{first['message_code']:04X}"
    assert rows[-1]["error"] == "invalid hex digit 'X' at text position 2" and rows[-1]["offset"] == "1"


def test_progress_only_on_a_terminal(capture, tmp_path):
    status, messages = run(["decode", "--format", "parquet", "--out", str(tmp_path / "t.parquet"),
                            str(capture)], err=Terminal())
    assert "41 messages, 1 errors" in messages and "messages/s" in messages


def test_table_format_needs_out(capture):
    status, messages = run(["decode", "--format", "csv", str(capture)])
    assert status == 2 and "--out FILE" in messages


def test_columns_picks_what_is_written_and_error_always_comes(capture, tmp_path):
    import pyarrow.parquet as pq
    out = tmp_path / "t.parquet"
    status, _ = run(["decode", "--format", "parquet", "--out", str(out), "--columns",
                     "source, use_case", str(capture)])
    assert status == 1          # the DDXX row: the exit status still sees errors
    written = pq.read_table(out)
    assert written.schema.names == ["source", "use_case", "error"]
    expected = pandc.decode_table(capture, columns=["source", "use_case", "error"])
    assert written.to_pylist() == expected.to_pylist()


@pytest.mark.parametrize("argv, complaint", [
    (["--format", "csv", "--out", "OUT", "--columns", "source,bogus"], "unknown column(s) ['bogus']"),
    (["--format", "csv", "--out", "OUT", "--columns", ","], "names no column"),
    (["--columns", "source"], "--columns is for --format parquet|arrow|csv, not json"),
    (["--workers", "0"], "must be 1 or more, not 0"),
    (["--workers", "two"], "not a whole number: 'two'"),
])
def test_bad_columns_and_workers_are_refused(capture, tmp_path, capsys, argv, complaint, ):
    argv = [str(tmp_path / "t.csv") if a == "OUT" else a for a in argv]
    try:
        status, messages = run(["decode", *argv, str(capture)])
    except SystemExit as exit:          # argparse refuses a bad value itself
        status, messages = exit.code, capsys.readouterr().err
    assert status == 2 and complaint in messages
    assert not (tmp_path / "t.csv").exists()
