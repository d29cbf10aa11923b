"""Parse-and-verify speed on every RTDS response and alert, warm and cold.

Run: python -m pytest benchmarks/bench_security.py --benchmark-only
Each round decodes every message with the RTDS key store: MACs, signatures, decryption, the
verdict and the use-case values, i.e. what `pandc.decode_many(..., keys=)` hands back.
"warm" shares the process-wide ECDH cache across rounds (a long-running service); "cold"
clears it before every round, so each originator's key agreement is done afresh (a CLI run
or a fresh worker). One ECDSA P-256 verification (~80-110 us) is the floor.
"""
from __future__ import annotations

import pytest

import pandc
from pandc.security import KeyStore, default_cache, secure

from conftest import KEYSTORE, RTDS, per_second, require


@pytest.fixture(scope="module")
def corpus() -> list[bytes]:
    return [bytes.fromhex(p.read_text()) for p in sorted(require(RTDS).glob("*/*.HEX"))
            if "_RESPONSE_" in p.name or "_ALERT" in p.name]


@pytest.fixture(scope="module")
def keys() -> KeyStore:
    return KeyStore.from_directory(require(KEYSTORE))


def _check(results) -> None:
    # Correctness outside the timed region.
    assert all(isinstance(m, pandc.Message) for m in results)
    assert sum(m.authenticated is True for m in results) >= len(results) - 2


def test_decode_many_with_keys_warm(benchmark, corpus, keys):
    pandc.decode_many(corpus, keys=keys)     # keys loaded, ECDH cache filled
    results = benchmark(pandc.decode_many, corpus, keys=keys)
    _check(results)
    per_second(benchmark, len(results))


def test_decode_many_with_keys_cold(benchmark, corpus, keys):
    results = benchmark.pedantic(pandc.decode_many, args=(corpus,), kwargs={"keys": keys},
                                 setup=default_cache().clear, rounds=10)
    _check(results)
    per_second(benchmark, len(results))


def test_decode_many_without_keys(benchmark, corpus):
    """For reference: the same messages, nothing verified."""
    results = benchmark(pandc.decode_many, corpus)
    assert all(isinstance(m, pandc.Message) for m in results)
    per_second(benchmark, len(results))


def test_verify_only(benchmark, corpus, keys):
    """The security layer alone on messages decoded beforehand (verdicts as a caller gets them)."""
    messages = pandc.decode_many(corpus)
    results = benchmark(lambda: [secure(m, keys).verification for m in messages])
    assert sum(v.authenticated is True for v in results) >= len(results) - 2
    per_second(benchmark, len(results))
