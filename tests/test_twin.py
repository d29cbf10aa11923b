"""The C core and its pure-Python twin agree: on RTDS, generated and mutated messages."""
from __future__ import annotations

import os
from datetime import datetime, timezone

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from pandc.codec import _pyheader
from pandc.errors import HEADER_ERROR_REASONS, DecodeError
from pandc.testing import build_message
from conftest import rtds_messages

try:
    from pandc.codec import _cheader
except ImportError:  # pragma: no cover - the build failed; test_c_core_is_built says so
    _cheader = None

needs_c = pytest.mark.skipif(_cheader is None, reason="the C core (pandc._gbcs_header) is not built")


def outcome(decoder, data: bytes):
    try:
        return decoder(data)
    except DecodeError as error:
        return ("error", error.code, error.offset, error.reason)


def test_c_core_is_built():
    if os.environ.get("PANDC_PURE_PYTHON") not in (None, "", "0"):
        pytest.skip("PANDC_PURE_PYTHON forces the twin")
    assert _cheader is not None, "pip install should have built the C core"
    import pandc
    assert pandc.BACKEND == "c"


@needs_c
def test_error_tables_match():
    for code, reason in enumerate(HEADER_ERROR_REASONS):
        assert _cheader.error_reason(code) == reason
    assert _cheader.error_reason(len(HEADER_ERROR_REASONS)) == "unknown error"


@needs_c
def test_twins_agree_on_rtds(rtds):
    for path, data in rtds:
        assert outcome(_cheader.decode_header, data) == outcome(_pyheader.decode_header, data), path


@needs_c
def test_batch_matches_single_calls(rtds):
    blobs = [data for _, data in rtds] + [b"", b"\xDD", rtds[0][1][:40]]
    single = [outcome(_cheader.decode_header, blob) for blob in blobs]
    batch = [r if not isinstance(r, DecodeError) else ("error", r.code, r.offset, r.reason)
             for r in _cheader.decode_headers(blobs)]
    twin = [r if not isinstance(r, DecodeError) else ("error", r.code, r.offset, r.reason)
            for r in _pyheader.decode_headers(blobs)]
    assert batch == single == twin


@needs_c
def test_batch_refuses_spans_outside_the_buffer():
    batch = _cheader.decode_batch(b"\xDF\x09", [0, 1, 5], [2, 5, 1])
    assert batch.failures == 3
    assert all(isinstance(r, DecodeError) for r in batch)
    assert list(_pyheader.decode_batch(b"\xDF\x09", [0, 1, 5], [2, 5, 1]))[1].code == 2


eui = st.binary(min_size=8, max_size=8)
counter = st.integers(min_value=0, max_value=2**64 - 1)


@st.composite
def messages(draw):
    frame = draw(st.sampled_from(["general-ciphering", "general-signing"]))
    cra = draw(st.sampled_from([1, 2, 3]))
    supplementary = draw(st.integers(0, 4))
    fields = dict(
        frame=frame, cra=cra, originator_counter=draw(counter), originator=draw(eui),
        recipient=draw(eui), message_code=draw(st.integers(0, 0xFFFF)),
        payload=draw(st.binary(max_size=300)),
        date_time=draw(st.none() | st.binary(min_size=12, max_size=12)),
        signature=draw(st.sampled_from([b"", bytes(range(64))] + ([None] if frame == "general-signing" and cra == 1 else []))),
        mac=draw(st.binary(min_size=12, max_size=12)),
    )
    if supplementary >= 1:
        fields["supplementary_remote_party_id"] = draw(eui)
    if supplementary >= 2:
        fields["supplementary_remote_party_counter"] = draw(counter)
    if supplementary == 3:
        fields["supplementary_originator_counter"] = draw(counter)
    if supplementary == 4:
        # Over 8 bytes: other-information of exactly 26 bytes means a supplementary originator counter.
        fields["certificate"] = draw(st.binary(min_size=9, max_size=500))
    return fields, build_message(**fields)


@given(messages())
@settings(max_examples=300, suppress_health_check=[HealthCheck.too_slow])
def test_generated_messages_decode_to_their_fields(generated):
    fields, data = generated
    header = _pyheader.decode_header(data)
    assert header.cra == fields["cra"]
    assert header.originator_counter == fields["originator_counter"]
    assert header.originator == fields["originator"] and header.recipient == fields["recipient"]
    assert header.message_code == fields["message_code"]
    assert header.date_time == (fields["date_time"] or bytes(12))
    assert data[header.content_offset:header.content_offset + header.content_length] == fields["payload"]
    if "certificate" in fields:
        start = header.certificate_offset
        assert data[start:start + header.certificate_length] == fields["certificate"]
    if "supplementary_originator_counter" in fields:
        assert header.supplementary_originator_counter == fields["supplementary_originator_counter"]
    if _cheader is not None:
        assert _cheader.decode_header(data) == header


mutation = st.one_of(
    st.tuples(st.just("flip"), st.integers(0, 10_000), st.integers(1, 255)),
    st.tuples(st.just("insert"), st.integers(0, 10_000), st.integers(0, 255)),
    st.tuples(st.just("delete"), st.integers(0, 10_000), st.just(0)),
    st.tuples(st.just("cut"), st.integers(0, 10_000), st.just(0)),
)


def mutate(data: bytes, operations) -> bytes:
    buffer = bytearray(data)
    for kind, position, value in operations:
        if not buffer:
            break
        index = position % len(buffer)
        if kind == "flip":
            buffer[index] ^= value
        elif kind == "insert":
            buffer.insert(index, value)
        elif kind == "delete":
            del buffer[index]
        else:
            del buffer[index:]
    return bytes(buffer)


@needs_c
@given(st.integers(0, 10_000), st.lists(mutation, min_size=1, max_size=4))
@settings(max_examples=1500, deadline=None, suppress_health_check=[HealthCheck.too_slow])
def test_twins_agree_on_mutated_rtds(index, operations):
    corpus = _corpus()
    data = mutate(corpus[index % len(corpus)], operations)
    assert outcome(_cheader.decode_header, data) == outcome(_pyheader.decode_header, data)


@needs_c
@given(messages(), st.lists(mutation, min_size=1, max_size=3))
@settings(max_examples=500, deadline=None, suppress_health_check=[HealthCheck.too_slow])
def test_twins_agree_on_mutated_generated_messages(generated, operations):
    data = mutate(generated[1], operations)
    assert outcome(_cheader.decode_header, data) == outcome(_pyheader.decode_header, data)


@needs_c
@given(st.binary(max_size=200))
@settings(max_examples=500)
def test_twins_agree_on_random_bytes(data):
    for prefix in (b"", b"\xDD\x00\x00\x00\x00\x00\x00", b"\xDF\x09\x02"):
        assert outcome(_cheader.decode_header, prefix + data) == outcome(_pyheader.decode_header, prefix + data)


_CACHE: list[bytes] = []


def _corpus() -> list[bytes]:
    if not _CACHE:
        try:
            _CACHE.extend(data for _, data in rtds_messages())
        except pytest.skip.Exception:
            pass
        if not _CACHE:  # no RTDS here: mutate messages pandc builds itself
            _CACHE.append(build_message(date_time=datetime(2026, 1, 1, tzinfo=timezone.utc), payload=bytes(40)))
    return _CACHE
