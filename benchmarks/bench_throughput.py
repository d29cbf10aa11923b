"""Capture-to-table throughput, side by side: C reader vs pure twin vs a plain fromhex loop;
decode_many with keys on 1 and 2 worker processes; fast validation vs today's validator;
peak memory of iter_tables over a large capture.

Run: python -m pytest benchmarks/bench_throughput.py --benchmark-only -s
(the ratios are printed by test_zz_report_ratios, which --benchmark-only skips: to see them,
run with -s and without --benchmark-only; give the load, `uptime`, with any figure).
The capture is generated in a temporary directory from RTDS lines (never committed):
PANDC_BENCH_LINES lines (default 1,000,000; 20,000 under --benchmark-disable, CI's smoke run).
messages_per_second is in each benchmark's extra_info; ratios are printed at the end (-s).
"""
from __future__ import annotations

import os
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

pa = pytest.importorskip("pyarrow")

import pandc
from pandc.codec import _pycapture, capture
from pandc.io import arrow

from conftest import RTDS, require
RATES: dict[str, float] = {}


def _lines_wanted(config) -> int:
    default = 20_000 if config.getoption("benchmark_disable", False) else 1_000_000
    return int(os.environ.get("PANDC_BENCH_LINES", default))


@pytest.fixture(scope="module")
def rtds_lines() -> list[bytes]:
    return [p.read_bytes().strip() for p in sorted(require(RTDS).glob("*/*.HEX"))]


def _write_capture(path: Path, lines: list[bytes], count: int) -> Path:
    with open(path, "wb") as out:
        block = b"\n".join(lines) + b"\n"
        full, rest = divmod(count, len(lines))
        for _ in range(full):
            out.write(block)
        out.write(b"".join(line + b"\n" for line in lines[:rest]))
    return path


@pytest.fixture(scope="module")
def capture_file(tmp_path_factory, rtds_lines, request) -> tuple[Path, int]:
    count = _lines_wanted(request.config)
    path = tmp_path_factory.mktemp("capture") / "capture.hex"
    return _write_capture(path, rtds_lines, count), count


BEST: dict[str, float] = {}


def _rate(benchmark, name: str, count: int) -> None:
    """Rates from the mean round (what a caller sees, first round's cold memory included)
    and from the best round (warm), both reported."""
    benchmark.extra_info["messages"] = count
    if benchmark.stats is not None:
        rate = count / benchmark.stats.stats.mean
        benchmark.extra_info["messages_per_second"] = round(rate)
        benchmark.extra_info["messages_per_second_best_round"] = round(count / benchmark.stats.stats.min)
        RATES[name] = rate
        BEST[name] = count / benchmark.stats.stats.min


def test_header_table_c(benchmark, capture_file):
    path, count = capture_file
    if capture.BACKEND != "c":
        pytest.skip("the C core is not built")
    table = benchmark.pedantic(pandc.decode_table, args=(path,), rounds=3, iterations=1)
    assert table.num_rows == count
    _rate(benchmark, "table_c", count)


def test_header_table_c_without_source(benchmark, capture_file):
    """The same without the 'source' string column (built per row by Arrow's C++)."""
    path, count = capture_file
    columns = [name for name in arrow.HEADER_COLUMNS if name != "source"]
    table = benchmark.pedantic(pandc.decode_table, args=(path, columns), rounds=3, iterations=1)
    assert table.num_rows == count
    _rate(benchmark, "table_c_no_source", count)


def test_header_table_pure_twin(benchmark, capture_file, monkeypatch):
    path, count = capture_file
    monkeypatch.setattr(capture, "_backend", _pycapture)
    table = benchmark.pedantic(pandc.decode_table, args=(path,), rounds=1, iterations=1)
    assert table.num_rows == count
    _rate(benchmark, "table_twin", count)


def test_plain_fromhex_loop(benchmark, capture_file):
    """The floor a Python reader cannot go under: read each line and bytes.fromhex it."""
    path, count = capture_file

    def run() -> int:
        n = 0
        with open(path, "rb") as lines:
            for line in lines:
                bytes.fromhex(line.decode("ascii"))
                n += 1
        return n

    assert benchmark.pedantic(run, rounds=3, iterations=1) == count
    _rate(benchmark, "fromhex_loop", count)


# decode_many with keys, 1 and 2 worker processes, side by side, on one large batch: every
# RTDS response and alert PANDC_BENCH_REPEAT times (default 20, about 8,300 messages).

@pytest.fixture(scope="module")
def verify_batch(request) -> tuple[list[bytes], object]:
    from pandc.security import KeyStore
    from conftest import KEYSTORE
    corpus = [bytes.fromhex(p.read_text()) for p in sorted(require(RTDS).glob("*/*.HEX"))
              if "_RESPONSE_" in p.name or "_ALERT" in p.name]
    repeat = 1 if request.config.getoption("benchmark_disable", False) else int(
        os.environ.get("PANDC_BENCH_REPEAT", 20))
    keys = KeyStore.from_directory(require(KEYSTORE))
    pandc.decode_many(corpus, keys=keys)        # keys loaded, ECDH cache filled, as in a service
    return corpus * repeat, keys


@pytest.mark.parametrize("workers", [1, 2])
def test_decode_table_with_keys_workers(benchmark, verify_batch, tmp_path, workers):
    """decode_table with keys and the pipeline columns: workers hand back column values, not
    whole messages, so a second process is not eaten by pickling value trees."""
    items, keys = verify_batch
    capture = tmp_path / "capture.hex"
    capture.write_text("\n".join(item.hex() for item in items) + "\n")
    columns = ["source", "message_code", "error", "authenticated", "smets_data",
               "device_alert_content"]
    pandc.decode_table(capture, columns=columns, keys=keys, workers=workers)     # pool warm
    table = benchmark.pedantic(pandc.decode_table, args=(capture,),
                               kwargs={"columns": columns, "keys": keys, "workers": workers},
                               rounds=3, iterations=1)
    assert table.num_rows == len(items)
    assert table.column("authenticated").to_pylist().count(True) > len(items) // 2
    _rate(benchmark, f"table_verify_workers_{workers}", len(items))


def test_decode_table_verdicts_only(benchmark, verify_batch, tmp_path):
    """decode_table with keys and the verification columns but no value column: the pipeline
    stops after the verification. Beside table_verify_workers_1 (the same batch, values
    asked for too) and full_parse_verify's ECDSA-only rate."""
    items, keys = verify_batch
    capture = tmp_path / "capture.hex"
    capture.write_text("\n".join(item.hex() for item in items) + "\n")
    columns = ["source", "message_code", "error", "authenticated", "authentication_reason",
               "mac_valid", "signature_valid"]
    table = benchmark.pedantic(pandc.decode_table, args=(capture,),
                               kwargs={"columns": columns, "keys": keys}, rounds=3, iterations=1)
    assert table.num_rows == len(items)
    assert table.column("authenticated").to_pylist().count(True) > len(items) // 2
    _rate(benchmark, "table_verdicts_only", len(items))


@pytest.mark.parametrize("workers", [1, 2])
def test_decode_many_with_keys_workers(benchmark, verify_batch, workers):
    """Warm: the worker pool is started (and its ECDH caches filled) before the timed rounds,
    as in a long-running service; the first call's start-up is test_..._first_call below."""
    items, keys = verify_batch
    pandc.decode_many(items[:2000], keys=keys, workers=workers)
    results = benchmark.pedantic(pandc.decode_many, args=(items,),
                                 kwargs={"keys": keys, "workers": workers}, rounds=3, iterations=1)
    assert len(results) == len(items) and sum(m.authenticated is True for m in results) > len(items) // 2
    _rate(benchmark, f"verify_workers_{workers}", len(items))


def test_decode_many_with_keys_2_workers_first_call(benchmark, verify_batch):
    """The same batch with 2 workers on a pool started for it (process start and imports)."""
    from pandc import workers
    items, keys = verify_batch
    benchmark.pedantic(pandc.decode_many, args=(items,), kwargs={"keys": keys, "workers": 2},
                       setup=workers.shutdown, rounds=2, iterations=1)
    workers.shutdown()
    _rate(benchmark, "verify_workers_2_first_call", len(items))


def test_full_parse_and_its_ecdsa_verifications(benchmark, verify_batch):
    """decode_many(keys=) on every RTDS response and alert, and the ECDSA verifications of
    the same messages alone (cryptography's verify, GIL released): their ratio is the share of
    a full parse with verification that the signatures themselves take."""
    from pandc.security.check import _State, _signature_job
    from pandc.security.verify import signature_matches
    items, keys = verify_batch
    corpus = items[:len(items) // max(1, len(items) // 415)]
    frames = pandc.decode_many(corpus)
    jobs = [job for job in (_signature_job(m, _State(keys)) for m in frames) if job is not None]

    def ecdsa_only() -> int:
        return sum(signature_matches(*job) for job in jobs)

    benchmark.pedantic(pandc.decode_many, args=(corpus,), kwargs={"keys": keys}, rounds=10,
                       iterations=1)
    _rate(benchmark, "full_parse_verify", len(corpus))
    best = min(_timed(ecdsa_only) for _ in range(10))
    RATES["ecdsa_only"] = BEST["ecdsa_only"] = len(corpus) / best


def _timed(function) -> float:
    import time
    start = time.perf_counter()
    function()
    return time.perf_counter() - start


@pytest.fixture(scope="module")
def mmc_documents(rtds_lines) -> list[bytes]:
    from pandc.errors import PandcError
    documents = []
    for line in rtds_lines:
        try:
            documents.append(pandc.to_mmc(pandc.decode(line.decode())))
        except PandcError:
            continue
    return documents


def test_validate_today(benchmark, mmc_documents):
    from pandc.mmc.validation import validate

    def run() -> int:
        return sum(validate(document).valid for document in mmc_documents)

    benchmark.pedantic(run, rounds=3, iterations=1)
    _rate(benchmark, "validate", len(mmc_documents))


def test_validate_xmlschema(benchmark, mmc_documents):
    """The validator the issue started from (xmlschema), kept as validate(explain=True) for
    detailed error paths: the baseline the libxml2 path is measured against."""
    from pandc.mmc.validation import validate

    def run() -> int:
        return sum(validate(document, explain=True).valid for document in mmc_documents)

    benchmark.pedantic(run, rounds=1, iterations=1)
    _rate(benchmark, "validate_xmlschema", len(mmc_documents))


def test_validate_many_fast(benchmark, mmc_documents):
    from pandc.mmc.fastvalidate import validate_many

    def run() -> int:
        return sum(report.valid for report in validate_many(mmc_documents))

    benchmark.pedantic(run, rounds=5, iterations=1)
    _rate(benchmark, "validate_many", len(mmc_documents))


_PEAK_SCRIPT = textwrap.dedent("""
    import sys

    def high_water_mb():
        # VmHWM: this process's peak resident set (ru_maxrss would carry the parent's peak
        # across fork and exec).
        with open("/proc/self/status") as status:
            for line in status:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1]) / 1024

    import pyarrow, pandc
    from pandc.io import arrow
    before = high_water_mb()
    rows = 0
    for batch in pandc.iter_tables(sys.argv[1], batch_size=65536):
        rows += batch.num_rows
    print(rows, before, high_water_mb())
""")


def test_iter_tables_peak_memory(tmp_path, rtds_lines, request):
    """Peak RSS of a process that streams a large capture through iter_tables (-s prints it)."""
    size = int(os.environ.get("PANDC_BENCH_PEAK_BYTES",
                              20_000_000 if request.config.getoption("benchmark_disable", False)
                              else 1_000_000_000))
    average = sum(len(line) + 1 for line in rtds_lines) / len(rtds_lines)
    count = int(size / average)
    path = _write_capture(tmp_path / "large.hex", rtds_lines, count)
    result = subprocess.run([sys.executable, "-c", _PEAK_SCRIPT, str(path)], capture_output=True,
                            text=True, check=True)
    rows, before, after = result.stdout.split()
    assert int(rows) == count
    print(f"\niter_tables over {path.stat().st_size / 1e6:.0f} MB ({rows} lines): peak RSS "
          f"{float(after):.0f} MB (after imports {float(before):.0f} MB)")
    path.unlink()


def test_zz_report_ratios():
    """Prints the ratios of the rates measured above in this run (with -s)."""
    if not RATES:
        pytest.skip("no timed benchmarks ran")
    lines = [f"{name}: {rate:,.0f} messages/s (mean round; best round {BEST[name]:,.0f})"
             for name, rate in RATES.items()]
    for faster, slower in (("table_c", "table_twin"), ("table_c", "fromhex_loop"),
                           ("table_c_no_source", "fromhex_loop"), ("validate_many", "validate"),
                           ("validate_many", "validate_xmlschema"),
                           ("validate", "validate_xmlschema"),
                           ("table_verify_workers_2", "table_verify_workers_1"),
                           ("table_verdicts_only", "table_verify_workers_1"),
                           ("verify_workers_2", "verify_workers_1"),
                           ("verify_workers_2_first_call", "verify_workers_1")):
        if faster in RATES and slower in RATES:
            lines.append(f"{faster} / {slower} = {RATES[faster] / RATES[slower]:.1f}x "
                         f"(best rounds {BEST[faster] / BEST[slower]:.1f}x)")
    if "full_parse_verify" in RATES and "ecdsa_only" in RATES:
        lines.append(f"ECDSA verifications' share of a full parse with verification: "
                     f"{RATES['full_parse_verify'] / RATES['ecdsa_only']:.0%} "
                     f"(best rounds {BEST['full_parse_verify'] / BEST['ecdsa_only']:.0%})")
    print("\n" + "\n".join(lines))
