"""Throughput of decode-to-MMC and of MMC validation on the RTDS responses and alerts.

Run: python3 -m pytest benchmarks/bench_mmc.py --benchmark-only
Each round processes the whole RTDS response/alert set; documents/s = set size / mean time
(printed in the benchmark's extra_info).
"""
from __future__ import annotations

from pathlib import Path

import pytest

import pandc
from pandc.mmc import to_mmc
from pandc.mmc.validation import validate

from conftest import RTDS, SHARED

OFFICIAL_XSD = SHARED / "reference" / "xsd"


@pytest.fixture(scope="module")
def responses() -> list[str]:
    if not RTDS.is_dir():
        pytest.skip(f"{RTDS} is absent (shared reference data not available)")
    texts = [path.read_text() for path in sorted(RTDS.glob("*/*.HEX"))]
    return [text for text in texts if pandc.decode(text).cra in ("response", "alert")]


@pytest.fixture(scope="module")
def documents(responses) -> list[bytes]:
    return [to_mmc(pandc.decode(text)) for text in responses]


def _per_second(benchmark, count: int) -> None:
    benchmark.extra_info["documents"] = count
    if benchmark.stats is not None:
        benchmark.extra_info["documents_per_second"] = round(count / benchmark.stats.stats.mean)


def test_decode_to_mmc(benchmark, responses):
    benchmark(lambda: [to_mmc(pandc.decode(text)) for text in responses])
    _per_second(benchmark, len(responses))


def test_render_mmc_only(benchmark, responses):
    messages = [pandc.decode(text) for text in responses]
    benchmark(lambda: [to_mmc(message) for message in messages])
    _per_second(benchmark, len(messages))


def test_validate_bundled_profile(benchmark, documents):
    validate(documents[0])  # compile outside the timing
    results = benchmark(lambda: [validate(document).valid for document in documents])
    assert all(results)
    _per_second(benchmark, len(documents))


def test_validate_official_mmc_schema(benchmark, documents):
    if not (OFFICIAL_XSD / "MMC Schema V5.4.xsd").exists():
        pytest.skip(f"{OFFICIAL_XSD} is absent")
    validate(documents[0], schema_dir=OFFICIAL_XSD)
    results = benchmark(lambda: [validate(d, schema_dir=OFFICIAL_XSD).valid for d in documents])
    assert all(results)
    _per_second(benchmark, len(documents))
