"""pandc against the TypeScript peer parser (@smartdcc/gbcs-parser), side by side in one run.

Both parse and verify the same messages: every RTDS response and alert (as
bench_throughput.verify_batch), signatures checked, MACs checked, encrypted parts decrypted,
with the test keys. pandc is timed as a caller gets it (``decode_many(..., keys=)``: Message
objects with their values and verification); the peer by benchmarks/peer/gbcs_parser_driver.mjs
(``parseGbcsMessage`` over the list, after warm-up rounds so V8 reaches its steady speed).

  per core     pandc and one peer process, each pinned to the same one CPU; beside them the
               ECDSA verifications of the same messages alone (OpenSSL through cryptography):
               no parser that verifies every signature with them can beat that rate, so
               ecdsa_only/peer is the ceiling of any per-core ratio on the machine at hand
  two cores    pandc ``workers=2`` against two peer processes at once on the two halves

Beside the per-core full parse, pandc's verdicts-only table (``decode_table`` with the
verification columns and no value column: it stops after the verification) is timed too. It
is not the same job as the peer's, which always decodes the payloads; it shows what a caller
who wants verdicts alone gets, and how near that comes to the ECDSA ceiling.

The peer is not part of pandc and is not installed by it: set PANDC_PEER_GBCS_PARSER to a
built copy (the folder whose dist/index.js exports parseGbcsMessage) and have ``node`` on
PATH; otherwise these benchmarks skip, saying so. Ratios are printed with -s:

  PANDC_PEER_GBCS_PARSER=/path/to/gbcs-parser python -m pytest benchmarks/bench_peer.py -s
"""
from __future__ import annotations

import contextlib
import json
import os
import shutil
import statistics
import subprocess
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

import pandc

from conftest import KEYSTORE, RTDS, per_second, require

DRIVER = Path(__file__).parent / "peer" / "gbcs_parser_driver.mjs"
PEER_WARMUP_ROUNDS = 10
ALTERNATIONS = int(os.environ.get("PANDC_PEER_ALTERNATIONS", 3))
REPEAT = int(os.environ.get("PANDC_BENCH_REPEAT", 20))
RATES: dict[str, list[float]] = {}


@pytest.fixture(scope="module")
def peer() -> Path:
    location = os.environ.get("PANDC_PEER_GBCS_PARSER")
    if not location:
        pytest.skip("PANDC_PEER_GBCS_PARSER is not set: no built @smartdcc/gbcs-parser to compare with")
    if shutil.which("node") is None:
        pytest.skip("node is not on PATH: the peer parser cannot run")
    if not (Path(location) / "dist" / "index.js").exists():
        pytest.fail(f"PANDC_PEER_GBCS_PARSER={location} has no dist/index.js (build the peer first)")
    return Path(location)


@pytest.fixture(scope="module")
def message_list(tmp_path_factory) -> tuple[Path, list[bytes]]:
    files = [p for p in sorted(require(RTDS).glob("*/*.HEX"))
             if "_RESPONSE_" in p.name or "_ALERT" in p.name]
    listing = tmp_path_factory.mktemp("peer") / "messages.txt"
    listing.write_text("".join(f"{p}\n" for p in files))
    return listing, [bytes.fromhex(p.read_text()) for p in files]


@pytest.fixture(scope="module")
def keys():
    from pandc.security import KeyStore
    return KeyStore.from_directory(require(KEYSTORE))


def _peer_process(peer: Path, listing: Path, part: str | None = None) -> subprocess.Popen[str]:
    command = ["node", str(DRIVER), str(listing), str(require(KEYSTORE)), str(REPEAT),
               "--warmup", str(PEER_WARMUP_ROUNDS)]
    if part:
        command += ["--part", part]
    return subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                            env={**os.environ, "PANDC_PEER_GBCS_PARSER": str(peer)})


def _peer_summary(process: subprocess.Popen[str]) -> dict[str, float]:
    out, err = process.communicate(timeout=900)
    if process.returncode:
        pytest.fail(f"the peer driver failed: {err.strip()[-2000:]}")
    summary: dict[str, float] = json.loads(out.strip().splitlines()[-1])
    return summary


@contextlib.contextmanager
def _pinned_to_one_cpu() -> Iterator[None]:
    """This process (and the children it starts) on its first allowed CPU until the block
    ends: 'per core' for both sides, pandc's verification threads included."""
    allowed = os.sched_getaffinity(0)
    os.sched_setaffinity(0, {min(allowed)})
    try:
        yield
    finally:
        os.sched_setaffinity(0, allowed)


def _timed_pandc(items: list[bytes], keys, workers: int) -> tuple[float, list]:
    start = time.perf_counter()
    results = pandc.decode_many(items, keys=keys, workers=workers)
    return len(items) / (time.perf_counter() - start), results


def _check_same_verdicts(results: list, peer_summary: dict[str, float], count: int) -> None:
    """Both sides verified what they were given: as many signatures and MACs found valid."""
    assert peer_summary["threw"] == 0
    assert peer_summary["parsed"] == count
    signatures = sum(m.signature_valid is True for m in results[:count])
    macs = sum(m.mac_valid is True for m in results[:count])
    assert signatures == peer_summary["signature_true"]
    assert macs == peer_summary["mac_valid"]


def _ecdsa_only(corpus: list[bytes], keys):
    """The batch's signature verifications alone, as pandc.security runs them."""
    from pandc.security.check import _State, _signature_job
    from pandc.security.verify import signature_matches
    jobs = [job for job in (_signature_job(m, _State(keys)) for m in pandc.decode_many(corpus))
            if job is not None]

    def run() -> float:
        start = time.perf_counter()
        assert all(signature_matches(*job) for job in jobs)
        return len(corpus) / (time.perf_counter() - start)
    return run


def _timed_verdicts_table(capture: Path, count: int, keys):
    """decode_table asked for verdicts only: pandc stops after the verification (no values),
    which the peer cannot do; reported beside the full parse, never in its place."""
    start = time.perf_counter()
    table = pandc.decode_table(capture, columns=["source", "error", "authenticated",
                                                 "mac_valid", "signature_valid"], keys=keys)
    return count / (time.perf_counter() - start), table


def _check_same_table_verdicts(table, peer_summary: dict[str, float], count: int) -> None:
    rows = table.slice(0, count)
    assert rows.column("error").null_count == count
    assert rows.column("signature_valid").to_pylist().count(True) == peer_summary["signature_true"]
    assert rows.column("mac_valid").to_pylist().count(True) == peer_summary["mac_valid"]


def test_full_parse_with_verification_per_core(benchmark, peer, message_list, keys, tmp_path):
    listing, corpus = message_list
    items = corpus * REPEAT
    capture = tmp_path / "capture.hex"
    capture.write_text("".join(f"{item.hex()}\n" for item in items))
    with _pinned_to_one_cpu():
        pandc.decode_many(corpus, keys=keys)        # keys loaded, ECDH cache filled (a service)
        _timed_verdicts_table(capture, len(items), keys)     # pyarrow imported, as in a service
        ecdsa_only = _ecdsa_only(corpus, keys)
        for _ in range(ALTERNATIONS):
            RATES.setdefault("ecdsa_only_per_core", []).append(
                statistics.median(ecdsa_only() for _ in range(REPEAT)))
            summary = _peer_summary(_peer_process(peer, listing))
            RATES.setdefault("peer_per_core", []).append(summary["messages_per_second"])
            rate, results = _timed_pandc(items, keys, 1)
            RATES.setdefault("pandc_per_core", []).append(rate)
            _check_same_verdicts(results, summary, len(corpus))
            rate, table = _timed_verdicts_table(capture, len(items), keys)
            RATES.setdefault("pandc_verdicts_table_per_core", []).append(rate)
            _check_same_table_verdicts(table, summary, len(corpus))
        benchmark.pedantic(pandc.decode_many, args=(items,), kwargs={"keys": keys},
                           rounds=1, iterations=1)
    per_second(benchmark, len(items))


def test_full_parse_with_verification_two_cores(benchmark, peer, message_list, keys):
    if len(os.sched_getaffinity(0)) < 2:
        pytest.skip("one CPU: no two-core comparison")
    listing, corpus = message_list
    items = corpus * REPEAT
    pandc.decode_many(items[:2000], keys=keys, workers=2)      # pool started, keys in workers
    for _ in range(ALTERNATIONS):
        halves = [_peer_process(peer, listing, part) for part in ("1/2", "2/2")]
        summaries = [_peer_summary(process) for process in halves]
        # Both halves run at once: the pair's rate is all messages over the longer timed part.
        seconds = max(s["seconds"] for s in summaries)
        RATES.setdefault("peer_two_processes", []).append(
            sum(s["messages"] * s["rounds"] for s in summaries) / seconds)
        rate, _ = _timed_pandc(items, keys, 2)
        RATES.setdefault("pandc_two_workers", []).append(rate)
    benchmark.pedantic(pandc.decode_many, args=(items,), kwargs={"keys": keys, "workers": 2},
                       rounds=1, iterations=1)
    per_second(benchmark, len(items))


def test_zz_report_peer_ratios(peer):
    if not RATES:
        pytest.skip("no peer figures this run")
    print(f"\nload average {os.getloadavg()}; medians of {ALTERNATIONS} alternations, messages/s:")
    for name, rates in RATES.items():
        print(f"  {name:30s} {statistics.median(rates):9,.0f}   runs: "
              + ", ".join(f"{r:,.0f}" for r in rates))
    for ours, theirs in (("pandc_per_core", "peer_per_core"),
                         ("ecdsa_only_per_core", "peer_per_core"),
                         ("pandc_verdicts_table_per_core", "peer_per_core"),
                         ("pandc_two_workers", "peer_two_processes")):
        if ours in RATES and theirs in RATES:
            ratios = [a / b for a, b in zip(RATES[ours], RATES[theirs])]
            print(f"  {ours}/{theirs}: median {statistics.median(ratios):.2f}x   runs: "
                  + ", ".join(f"{r:.2f}" for r in ratios))
