"""The C capture reader and its pure-Python twin fill the same column bytes: on RTDS lines,
generated lines, mutated and garbage lines (error codes and offsets included), in chunks."""
from __future__ import annotations

import base64
import binascii
import io
import os
import struct
from datetime import datetime, timedelta, timezone

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from pandc.codec import _pycapture, capture
from pandc.codec.columns import (
    TEXT_BASE64, TEXT_BASE64_CHAR, TEXT_HEX_DIGIT, TEXT_HEX_ODD, TEXT_NOT_ASCII, Columns,
)
from pandc.testing import build_message
from conftest import rtds_files

try:
    from pandc.codec import _ccapture
except ImportError:  # pragma: no cover - test_c_capture_is_built says so
    _ccapture = None

needs_c = pytest.mark.skipif(_ccapture is None, reason="the C core (pandc._gbcs_header) is not built")


def test_c_capture_is_built():
    if os.environ.get("PANDC_PURE_PYTHON") not in (None, "", "0"):
        pytest.skip("PANDC_PURE_PYTHON forces the twin")
    assert _ccapture is not None
    assert capture.BACKEND == "c"


def test_abi_constant_is_checked():
    if _ccapture is None:
        pytest.skip("no C core")
    from pandc.codec import _cheader
    assert _cheader.lib.pandc_capture_abi() == _cheader.CAPTURE_ABI


def filled(backend, data: bytes, *, kind=capture.LINES, batch_size=64, chunk_size=1 << 22):
    """Every batch's (rows, buffers), with the bytes past the filled rows cut off."""
    out = []
    for columns in capture.iter_columns(io.BytesIO(data), batch_size=batch_size, kind=kind,
                                        backend=backend, chunk_size=chunk_size):
        out.append((columns.rows, {name: bytes(buf) for name, buf in columns.buffers.items()}))
    return out


def assert_same(data: bytes, **options):
    c = filled(_ccapture, data, **options)
    python = filled(_pycapture, data, **options)
    assert [rows for rows, _ in c] == [rows for rows, _ in python]
    for (_, c_buffers), (_, py_buffers) in zip(c, python):
        for name in c_buffers:
            assert c_buffers[name] == py_buffers[name], name
    return python


def rtds_lines() -> list[str]:
    return [path.read_text().strip() for path in rtds_files()]


@needs_c
def test_rtds_lines_agree_in_batches_and_chunks():
    lines = rtds_lines()
    text = ("# RTDS\n\n" + "\r\n".join(lines) + "\n").encode()
    result = assert_same(text, batch_size=100, chunk_size=3000)
    assert sum(rows for rows, _ in result) == len(lines)
    assert not any(any(buffers["error"][:rows]) for rows, buffers in result)


@needs_c
def test_rtds_as_base64_and_records_agree():
    messages = [bytes.fromhex(line) for line in rtds_lines()]
    text = b"\n".join(base64.b64encode(m) for m in messages)
    assert_same(text, batch_size=333)
    records = b"".join(struct.pack(">I", len(m)) + m for m in messages)
    result = assert_same(records, kind=capture.RECORDS, batch_size=500, chunk_size=4096)
    assert sum(rows for rows, _ in result) == len(messages)


def one_row(data: bytes, backend=_pycapture) -> dict[str, object]:
    columns = Columns(4)
    backend.fill_lines(data, 0, 1, True, columns, bytearray(2 * len(data)))
    assert columns.rows == 1
    return {name: columns.view(name)[0] for name in columns.buffers}


@pytest.mark.parametrize("line, code, offset", [
    ("DDXX", TEXT_HEX_DIGIT, 1),           # 'X' at text position 2
    ("dd0", TEXT_HEX_ODD, 1),              # three digits: 3 // 2
    ("DF0 91", TEXT_HEX_ODD, 2),           # inner whitespace goes first: 5 digits
    ("\tDF0G\x1c", TEXT_HEX_DIGIT, 1),     # str.strip() whitespace (0x1C too) around it
    ("AB$C", TEXT_BASE64_CHAR, 1),         # '$' at position 2: 2 * 3 // 4
    ("ABC", TEXT_BASE64, 2),               # 3 base64 characters cannot be complete: 3 * 3 // 4
    ("=AAA", TEXT_BASE64, 3),              # leading padding
])
def test_text_errors_by_hand(line, code, offset):
    for backend in (_pycapture, _ccapture) if _ccapture else (_pycapture,):
        row = one_row(line.encode(), backend)
        assert (row["error"], row["offset"]) == (code, offset)


def test_not_ascii_has_no_offset():
    row = one_row("DD\u00e9".encode())
    assert row["error"] == TEXT_NOT_ASCII
    assert row["offset_valid"] == 0


def test_date_time_columns_by_hand():
    # 2015-01-01 00:00:00, deviation 0x8000 (UTC), status 0x04: GSME source, reliable.
    octets = bytes.fromhex("07DF0101FF0000000080000" "4")
    message = build_message(date_time=octets, originator_counter=1000, message_code=0x0074)
    for backend in (_pycapture, _ccapture) if _ccapture else (_pycapture,):
        row = one_row(message.hex().encode(), backend)
        assert row["date_time"] == int(datetime(2015, 1, 1, tzinfo=timezone.utc).timestamp()) * 10**6
        assert (row["time_status"], row["clock_status"], row["is_from_gsme"]) == (4, 0, 1)
        assert row["originator_counter"] == 1000 and row["message_code"] == 0x0074


@given(st.integers(0, 23), st.integers(-720, 720))
def test_deviation_moves_the_instant(hour, deviation):
    # 2020-02-29 hh:30:15.25 local, deviation minutes: UTC = local + deviation (DLMS).
    octets = (bytes.fromhex("07E4021DFF") + bytes([hour, 30, 15, 25])
              + deviation.to_bytes(2, "big", signed=True) + b"\x02")
    expected = (datetime(2020, 2, 29, hour, 30, 15, 250000, tzinfo=timezone.utc)
                + timedelta(minutes=deviation))
    for backend in (_pycapture, _ccapture) if _ccapture else (_pycapture,):
        row = one_row(build_message(date_time=octets).hex().encode(), backend)
        assert row["date_time"] == (expected - datetime(1970, 1, 1, tzinfo=timezone.utc)) // timedelta(microseconds=1)
        assert row["clock_status"] == 1    # bit 1: doubtful -> unreliable


@pytest.mark.parametrize("octets", [
    "07E4021EFF00000000800000",   # 30 February
    "FFFF0101FF00000000800000",   # year not specified
    "07E40101FF18000000800000",   # hour 24
    "07E40101FF00000064800000",   # hundredths 100
    "07E40101FF000000000300 00".replace(" ", ""),   # deviation 768 minutes
    "270F0C1FFF173B000002D000",   # 9999-12-31 23:59 local, +720 minutes: UTC in year 10000
    "00010101FF00000000FFC400",   # 0001-01-01 00:00 local, -60 minutes: UTC in year 0
])
def test_not_an_instant_is_null_with_status(octets):
    for backend in (_pycapture, _ccapture) if _ccapture else (_pycapture,):
        row = one_row(build_message(date_time=bytes.fromhex(octets)).hex().encode(), backend)
        assert row["date_time_valid"] == 0 and row["time_status_valid"] == 1


# Generated and mutated input: the two must agree on every byte of every column.

_MESSAGES = st.builds(
    build_message,
    frame=st.sampled_from(["general-ciphering", "general-signing"]),
    cra=st.sampled_from(["command", "response", "alert"]),
    originator_counter=st.integers(0, 2**64 - 1),
    date_time=st.one_of(st.none(), st.binary(min_size=12, max_size=12)),
    message_code=st.integers(0, 0xFFFF),
    supplementary_remote_party_counter=st.one_of(st.none(), st.integers(0, 2**64 - 1)),
    payload=st.binary(max_size=300),
)


def _mutate(data: bytes, edits: list[tuple[int, int]], cut: int | None) -> bytes:
    buf = bytearray(data)
    for position, value in edits:
        if buf:
            buf[position % len(buf)] = value
    return bytes(buf[:cut] if cut is not None else buf)


_LINE_TEXT = st.one_of(
    _MESSAGES.map(lambda m: m.hex()),
    _MESSAGES.map(lambda m: m.hex().lower()),
    _MESSAGES.map(lambda m: base64.b64encode(m).decode()),
    st.builds(_mutate, _MESSAGES, st.lists(st.tuples(st.integers(0, 400), st.integers(0, 255)), max_size=3),
              st.one_of(st.none(), st.integers(0, 400))).map(lambda m: m.hex()),
    st.text(alphabet="0123456789ABCDEFabcdefDXYZ+/= \t#\x0b\x1c", max_size=60),
    st.binary(max_size=60).map(lambda b: b.replace(b"\n", b"").decode("latin-1")),
    st.binary(max_size=40).map(lambda b: base64.b64encode(b).decode() + "=" * (len(b) % 3)),
    # the eight-digits-at-a-time hex reader: digits beside the edges of the hex ranges
    st.text(alphabet="/0189:@AFG`afg\x7f\x80\xff", max_size=40).map(lambda t: "DD" + t),
    _MESSAGES.map(lambda m: m.hex()).flatmap(lambda h: st.tuples(st.just(h), st.integers(0, len(h)),
                                                                 st.sampled_from("/:@G`g\x7f\xe9"))
                                             ).map(lambda t: t[0][:t[1]] + t[2] + t[0][t[1] + 1:]),
)


@needs_c
@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(_LINE_TEXT, max_size=12), st.sampled_from(["\n", "\r\n"]), st.booleans(),
       st.integers(1, 5), st.integers(16, 400))
def test_generated_and_garbage_lines_agree(lines, newline, trailing, batch_size, chunk_size):
    text = newline.join(lines) + (newline if trailing else "")
    assert_same(text.encode("latin-1"), batch_size=batch_size, chunk_size=chunk_size)


@needs_c
@settings(max_examples=200, deadline=None)
@given(st.lists(st.one_of(_MESSAGES, st.binary(max_size=50)), max_size=8), st.binary(max_size=6),
       st.integers(1, 4), st.integers(8, 300))
def test_records_agree(messages, tail, batch_size, chunk_size):
    data = b"".join(struct.pack(">I", len(m)) + m for m in messages) + tail
    assert_same(data, kind=capture.RECORDS, batch_size=batch_size, chunk_size=chunk_size)


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet="ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/=", max_size=16))
def test_base64_strictness_is_binascii(text):
    """The capture reader takes base64 exactly when binascii's strict mode does."""
    try:
        expected = binascii.a2b_base64(text, strict_mode=True)
    except binascii.Error:
        expected = None
    if not text or text[:2].upper() in ("DD", "DF", "E0"):
        return      # read as hex
    backends = (_pycapture, _ccapture) if _ccapture else (_pycapture,)
    for backend in backends:
        columns = Columns(2)
        backend.fill_lines(text.encode(), 0, 1, True, columns, bytearray(2 * len(text)))
        error = columns.view("error")[0]
        is_hex = len(text) % 2 == 0 and all(c in "0123456789ABCDEFabcdef" for c in text)
        if is_hex:
            continue
        assert (error == TEXT_BASE64) == (expected is None), (backend, text)


@needs_c
@given(st.lists(st.integers(1, 2**64 - 1), max_size=20), st.text(max_size=30))
def test_source_strings_agree(lines, name):
    columns = Columns(max(len(lines), 1))
    for row, number in enumerate(lines):
        columns.view("line")[row] = number
    columns.rows = len(lines)
    prefix = f"{name}:".encode("utf-8", "surrogatepass")
    c = _ccapture.format_sources(prefix, columns)
    python = _pycapture.format_sources(prefix, columns)
    assert c == python
    offsets, data = python
    assert bytes(data) == b"".join(prefix + str(n).encode() for n in lines)


@needs_c
def test_every_byte_in_every_lane_of_the_vector_hex_reader():
    """The SIMD plain-hex reader classifies 32 and 16 characters at a time, then 8, then
    pairs: every byte value in each lane of the first 32-digit block, and the digits beside
    the edges of the hex ranges in each position of the tails (lines of four lengths mod 32),
    agree with the twin."""
    def with_byte(line: bytes, position: int, value: int) -> bytes:
        return line[:position] + bytes([value]) + line[position + 1:]

    message = build_message(payload=bytes(range(40))).hex().upper().encode("ascii")
    lines = [with_byte(message, position, value)
             for value in range(256) if value not in (0x0A, 0x0D)
             for position in range(2, 34)]
    edges = b"/0189:@AFG`afg\x7f\x80\xff "
    for extra in range(0, 16, 4):
        message = build_message(payload=bytes(range(40 + extra))).hex().encode("ascii")
        lines += [with_byte(message, position, value)
                  for value in edges for position in range(len(message) - 56, len(message))]
    assert_same(b"\n".join(lines) + b"\n", batch_size=4096)
