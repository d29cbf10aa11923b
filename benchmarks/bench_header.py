"""Decoding speed as a caller gets it: C core against its pure-Python twin, side by side.

Run: python -m pytest benchmarks/bench_header.py --benchmark-only
Each pair times the same work with the C header decoder and with the twin swapped in, so the
ratio of the two is the C core's gain for that caller: `decode_many` (Message objects built:
header fields, time status, registry, payload parts, no keys) and the header batch converted
to RawHeader tuples. messages/s is in extra_info.
"""
from __future__ import annotations

import pytest

import pandc
from pandc.codec import _pyheader, header

from conftest import RTDS, per_second, require

try:
    from pandc.codec import _cheader
except ImportError:  # pragma: no cover
    _cheader = None

needs_c = pytest.mark.skipif(_cheader is None, reason="C core not built")
BACKENDS = [pytest.param("c", marks=needs_c), "python"]
REPEAT = 10


@pytest.fixture(scope="module")
def responses() -> list[bytes]:
    paths = sorted(require(RTDS).glob("*/*_RESPONSE_GBCS.HEX"))
    return [bytes.fromhex(p.read_text()) for p in paths] * REPEAT


def _use(monkeypatch, backend: str) -> None:
    module = _cheader if backend == "c" else _pyheader
    monkeypatch.setattr(header, "decode_headers", module.decode_headers)
    monkeypatch.setattr(header, "decode_header", module.decode_header)


@pytest.mark.parametrize("backend", BACKENDS)
def test_decode_many_messages(benchmark, monkeypatch, responses, backend):
    """pandc.decode_many: what a caller gets, one Message per input."""
    _use(monkeypatch, backend)
    results = benchmark(pandc.decode_many, responses)
    assert all(isinstance(r, pandc.Message) for r in results)
    per_second(benchmark, len(responses))


@pytest.mark.parametrize("backend", BACKENDS)
def test_header_batch_to_python(benchmark, responses, backend):
    """The header decoder alone, each header converted to a Python RawHeader."""
    module = _cheader if backend == "c" else _pyheader
    results = benchmark(module.decode_headers, responses)
    assert not any(isinstance(r, pandc.DecodeError) for r in results)
    per_second(benchmark, len(responses))
