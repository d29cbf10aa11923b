"""Correlation speed: (request, pre-command) pairs per second, as a caller gets them.

Run: python -m pytest benchmarks/bench_correlate.py --benchmark-only
Each round correlates every RTDS (request, pre-command) pair in a catalogued use case (the
four CS02b/CS02g pairs whose ../shared requests carry other certificates give a
not-correlated verdict, as they should; the signing case signs the rest); three cases side by
side:
parse + correlate from the XML and hex text (what ``pandc correlate`` does per pair),
correlate with the request already parsed, and correlate + sign (ECDSA P-256).
pairs/s = pairs per round / mean round time, in extra_info.
"""
from __future__ import annotations

import os
from pathlib import Path

import pytest

from pandc.correlate import correlate, parse_request, sign_precommand
from pandc.correlate.catalogue import CATALOGUE

SHARED = Path(os.environ.get("PANDC_SHARED", Path(__file__).resolve().parents[1].parent / "shared"))
RTDS = SHARED / "corpus" / "rtds"
REQUESTS = SHARED / "corpus" / "duis-requests"
KEY = SHARED / "corpus" / "keystore" / "90b3d51f30010000-ds.key"
SUFFIX = "_PRECOMMAND_GBCS.HEX"


@pytest.fixture(scope="module")
def pairs() -> list[tuple[bytes, str]]:
    if not RTDS.is_dir() or not REQUESTS.is_dir():
        pytest.skip("shared reference data not available")
    found = []
    for pre in sorted(RTDS.glob(f"*/*{SUFFIX}")):
        request = REQUESTS / f"{pre.name[:-len(SUFFIX)]}_REQUEST_DUIS.XML"
        hex_text = pre.read_text().strip()
        if request.exists() and int(hex_text[62:66], 16) in CATALOGUE:
            found.append((request.read_bytes(), hex_text))
    return found


def _rate(benchmark, count: int) -> None:
    benchmark.extra_info["pairs_per_round"] = count
    if benchmark.stats is not None:
        benchmark.extra_info["pairs_per_second"] = round(count / benchmark.stats.stats.mean)


def test_parse_and_correlate(benchmark, pairs):
    def run() -> int:
        return sum(correlate(parse_request(xml), pre).correlated for xml, pre in pairs)
    assert benchmark(run) == _correlating(pairs)
    _rate(benchmark, len(pairs))


def _correlating(pairs: list[tuple[bytes, str]]) -> int:
    return sum(correlate(parse_request(xml), pre).correlated for xml, pre in pairs)


def test_correlate_parsed(benchmark, pairs):
    parsed = [(parse_request(xml), pre) for xml, pre in pairs]

    def run() -> int:
        return sum(correlate(request, pre).correlated for request, pre in parsed)
    assert benchmark(run) == _correlating(pairs)
    _rate(benchmark, len(pairs))


def test_correlate_and_sign(benchmark, pairs):
    if not KEY.exists():
        pytest.skip("keystore not available")
    from cryptography.hazmat.primitives.serialization import load_pem_private_key
    key = load_pem_private_key(KEY.read_bytes(), None)
    parsed = [(parse_request(xml), pre) for xml, pre in pairs]

    def run() -> int:
        signed = 0
        for request, pre in parsed:
            if correlate(request, pre).correlated:
                sign_precommand(pre, key)
                signed += 1
        return signed
    assert benchmark(run) == _correlating(pairs)
    _rate(benchmark, len(pairs))
