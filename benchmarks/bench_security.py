"""Parse-and-verify speed on every RTDS response and alert (415 messages, 213 signed).

Run: python -m pytest benchmarks/bench_security.py --benchmark-only
Each round decodes every message and checks MACs, signatures and decryption with the RTDS
key store. messages/s = messages per round / mean round time, in extra_info. One ECDSA P-256
verification (~80-110 us) is the floor of the sequential cases; secure_many verifies on a
thread pool (ECDSA releases the GIL), in this one process.
"""
from __future__ import annotations

from pathlib import Path

import pytest

import pandc
from pandc import api
from pandc.codec import header
from pandc.security import KeyStore, new_cache, secure, secure_many

SHARED = Path(__file__).resolve().parents[1].parent / "shared" / "corpus"


@pytest.fixture(scope="module")
def corpus() -> list[bytes]:
    rtds = SHARED / "rtds"
    if not rtds.is_dir():
        pytest.skip(f"{rtds} is absent (shared reference data not available)")
    return [bytes.fromhex(p.read_text()) for p in sorted(rtds.glob("*/*.HEX"))
            if "_RESPONSE_" in p.name or "_ALERT" in p.name]


@pytest.fixture(scope="module")
def keys() -> KeyStore:
    return KeyStore.from_directory(SHARED / "keystore")


def _check(results) -> None:
    # Correctness outside the timed region: every response and alert verifies.
    assert not any(isinstance(r, pandc.DecodeError) for r in results)
    assert all(m.mac_valid is not False and m.signature_valid is not False for m in results)
    assert sum(m.signature_valid is True for m in results) >= 200


def _rate(benchmark, results) -> None:
    count = len(results)
    benchmark.extra_info["messages_per_round"] = count
    benchmark.extra_info["signed"] = sum(m.signature is not None for m in results)
    if benchmark.stats is not None:  # None under --benchmark-disable (CI's smoke run)
        benchmark.extra_info["messages_per_second"] = round(count / benchmark.stats.stats.mean)


def _decoded(blobs):
    for blob, raw in zip(blobs, header.decode_headers(blobs)):
        yield raw if isinstance(raw, pandc.DecodeError) else api.build_message(raw, blob)


def test_decode_many_with_keys(benchmark, corpus, keys):
    """The public batch API, as User systems call it."""
    results = benchmark(pandc.decode_many, corpus, keys=keys)
    _check(results)
    _rate(benchmark, results)


def test_decode_then_secure_sequential(benchmark, corpus, keys):
    """One thread: decode and secure() message by message, sharing one ECDH cache."""
    cache = new_cache()
    results = benchmark(lambda: [secure(m, keys, cache) for m in _decoded(corpus)])
    _check(results)
    _rate(benchmark, results)


def test_decode_overlapped_with_secure_many(benchmark, corpus, keys):
    """Decoding feeds secure_many, whose pool verifies signatures meanwhile."""
    cache = new_cache()
    results = benchmark(lambda: secure_many(_decoded(corpus), keys, cache))
    _check(results)
    _rate(benchmark, results)


def test_secure_only_sequential(benchmark, corpus, keys):
    """The security layer alone, on messages decoded beforehand."""
    messages = list(_decoded(corpus))
    cache = new_cache()
    results = benchmark(lambda: [secure(m, keys, cache) for m in messages])
    _check(results)
    _rate(benchmark, results)


def test_decode_only(benchmark, corpus):
    """For reference: decoding without keys."""
    results = benchmark(lambda: list(_decoded(corpus)))
    _rate(benchmark, results)
