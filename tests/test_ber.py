"""The one BER length reader: its rule, and agreement with the C core on every RTDS length."""
from __future__ import annotations

import pytest
from hypothesis import given, strategies as st

from pandc.codec.ber import LengthError, LengthFormError, encode_length, read_length, read_sized
from pandc.codec.header import decode_header

from conftest import rtds_messages


@pytest.mark.parametrize("octets, length, after", [
    ("00", 0, 1), ("7F", 127, 1), ("8180", 128, 2), ("81FF", 255, 2), ("820100", 256, 3),
    ("82FFFF", 65535, 3), ("83010000", 65536, 4), ("83FFFFFF", 0xFFFFFF, 4),
])
def test_the_forms_gbcs_uses(octets, length, after):
    assert read_length(bytes.fromhex(octets), 0) == (length, after)


@pytest.mark.parametrize("first", [0x80, 0x84, 0x88, 0xFF])
def test_every_other_form_is_refused_with_its_offset(first):
    with pytest.raises(LengthFormError) as caught:
        read_length(bytes([0x00, first, 1, 2, 3, 4, 5, 6, 7, 8]), 1, base=100)
    assert caught.value.offset == 101 and not caught.value.truncated


@pytest.mark.parametrize("octets", ["", "81", "82FF", "83FFFF"])
def test_truncated_length_fields(octets):
    with pytest.raises(LengthError) as caught:
        read_length(bytes.fromhex(octets), 0)
    assert caught.value.truncated and caught.value.offset == 0


def test_read_sized_checks_the_content_fits():
    assert read_sized(b"\x03abc", 0) == (1, 4)
    with pytest.raises(LengthError, match="runs past the end"):
        read_sized(b"\x04abc", 0)


@given(st.integers(min_value=0, max_value=0xFFFFFF))
def test_encode_and_read_round_trip(length):
    field = encode_length(length)
    assert read_length(field, 0) == (length, len(field))
    assert len(field) == 1 + (0 if length < 0x80 else (length.bit_length() + 7) // 8)


def test_every_rtds_length_agrees_with_the_c_core():
    """The general-ciphering length and the content length of every RTDS message, read by
    ber.read_length, agree with the header decoder's offsets."""
    checked = 0
    for path, data in rtds_messages():
        header = decode_header(data)
        if data[0] == 0xDD:
            length, start = read_length(data, 7)
            assert start + length == len(data), path.name
        # the content length field ends where the content starts
        for size in (1, 2, 3, 4):
            at = header.content_offset - size
            try:
                length, start = read_length(data, at)
            except LengthError:
                continue
            if start == header.content_offset and length == header.content_length:
                break
        else:
            pytest.fail(f"{path.name}: no length field ends at the content")
        checked += 1
    assert checked > 800
