"""Benchmarks find the reference data through the same setting as the tests (PANDC_SHARED)."""
from __future__ import annotations

import os
from pathlib import Path

import pytest

SHARED = Path(os.environ.get("PANDC_SHARED", Path(__file__).resolve().parents[1].parent / "shared"))
RTDS = SHARED / "corpus" / "rtds"
KEYSTORE = SHARED / "corpus" / "keystore"


def require(path: Path) -> Path:
    if not path.exists():
        message = f"reference data {path} is absent (it lives in ../shared beside the repo)"
        if os.environ.get("PANDC_REQUIRE_SHARED", "") not in ("", "0"):
            pytest.fail(message)
        pytest.skip(message)
    return path


def per_second(benchmark, count: int, key: str = "messages_per_second") -> None:
    benchmark.extra_info["items_per_round"] = count
    if benchmark.stats is not None:  # None under --benchmark-disable (CI's smoke run)
        benchmark.extra_info[key] = round(count / benchmark.stats.stats.mean)
