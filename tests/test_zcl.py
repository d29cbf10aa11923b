"""ZCL frames and Read Attributes Responses: every data type, errors with offsets, RTDS."""
from __future__ import annotations

import struct

import pytest
from hypothesis import given, strategies as st

import pandc
from pandc.codec import zcl
from pandc.errors import DecodeError
from pandc.codec.parts import split_parts

from conftest import RTDS, require


def record(attribute_id: int, data_type: int, value: bytes) -> bytes:
    """One successful Read Attributes Response record, built by hand (id little-endian)."""
    return attribute_id.to_bytes(2, "little") + b"\x00" + bytes([data_type]) + value


def test_frame_header_fields_and_payload_offset():
    frame = zcl.parse_frame(bytes([0x18, 0x07, 0x01, 0xAA, 0xBB]), base=10)
    assert (frame.frame_control, frame.sequence_number, frame.command_id) == (0x18, 7, 1)
    assert frame.profile_wide and frame.manufacturer_code is None
    assert frame.payload == b"\xAA\xBB" and frame.payload_offset == 13


def test_manufacturer_specific_frame_carries_a_little_endian_code():
    frame = zcl.parse_frame(bytes([0x1C, 0x34, 0x12, 0x05, 0x01, 0xFF]))
    assert frame.manufacturer_code == 0x1234
    assert (frame.sequence_number, frame.command_id, frame.payload) == (5, 1, b"\xFF")


@pytest.mark.parametrize("data", [b"", b"\x18", b"\x18\x00", b"\x1C\x34\x12\x05"])
def test_truncated_frame_header_names_the_offset(data):
    with pytest.raises(zcl.ZclDecodeError) as caught:
        zcl.parse_frame(data, base=100)
    assert caught.value.offset == 100 + len(data)
    assert isinstance(caught.value, DecodeError)


@pytest.mark.parametrize("data_type,size,signed", [
    *[(0x20 + n, n + 1, False) for n in range(8)],
    *[(0x28 + n, n + 1, True) for n in range(8)],
    *[(0x18 + n, n + 1, False) for n in range(8)],
    (0x30, 1, False), (0x31, 2, False), (0xE8, 2, False), (0xE9, 2, False),
    (0xE2, 4, False), (0xF0, 8, False),
])
def test_integer_types_are_little_endian(data_type, size, signed):
    # 0x80.. in the top byte makes the signed and unsigned readings differ.
    raw = bytes(range(1, size)) + b"\x81"
    expected = int.from_bytes(raw, "little", signed=signed)
    value, end = zcl.decode_value(raw, 0, data_type)
    assert (value, end) == (expected, size)


@given(st.sampled_from(range(8)), st.data())
def test_unsigned_and_signed_round_trip(size_index, data):
    size = size_index + 1
    unsigned = data.draw(st.integers(0, 2 ** (8 * size) - 1))
    signed = data.draw(st.integers(-(2 ** (8 * size - 1)), 2 ** (8 * size - 1) - 1))
    assert zcl.decode_value(unsigned.to_bytes(size, "little"), 0, 0x20 + size_index)[0] == unsigned
    assert zcl.decode_value(signed.to_bytes(size, "little", signed=True), 0,
                            0x28 + size_index)[0] == signed


def test_floats_booleans_and_raw_octet_types():
    assert zcl.decode_value(struct.pack("<f", 1.5), 0, 0x39)[0] == 1.5
    assert zcl.decode_value(struct.pack("<d", -2.25), 0, 0x3A)[0] == -2.25
    assert zcl.decode_value(struct.pack("<e", 0.5), 0, 0x38)[0] == 0.5
    assert zcl.decode_value(b"\x01", 0, 0x10)[0] is True
    assert zcl.decode_value(b"\x00", 0, 0x10)[0] is False
    assert zcl.decode_value(b"\xFF", 0, 0x10)[0] is None          # ZCL invalid boolean
    assert zcl.decode_value(b"\x0C\x1E\x00\x32", 0, 0xE0)[0] == b"\x0C\x1E\x00\x32"
    assert zcl.decode_value(bytes(range(16)), 0, 0xF1) == (bytes(range(16)), 16)
    assert zcl.decode_value(b"\xAB", 0, 0x08) == (b"\xAB", 1)
    assert zcl.decode_value(b"", 0, 0x00) == (None, 0)


def test_strings_short_long_and_invalid():
    assert zcl.decode_value(b"\x03abc", 0, 0x41) == (b"abc", 4)
    assert zcl.decode_value(b"\x02hi", 0, 0x42) == ("hi", 3)
    assert zcl.decode_value(b"\x03\x00xyz", 0, 0x43) == (b"xyz", 5)
    assert zcl.decode_value(b"\x02\x00ok", 0, 0x44) == ("ok", 4)
    assert zcl.decode_value(b"\xFF", 0, 0x41) == (None, 1)        # 0xFF length: invalid


def test_array_and_structure():
    # array of three uint16: element type, count (LE), elements
    array = b"\x21\x03\x00" + b"".join(n.to_bytes(2, "little") for n in (1, 2, 0x1234))
    assert zcl.decode_value(array, 0, 0x48) == ([1, 2, 0x1234], len(array))
    structure = b"\x02\x00" + b"\x20\x07" + b"\x42\x01Z"
    assert zcl.decode_value(structure, 0, 0x4C) == ([(0x20, 7), (0x42, "Z")], len(structure))


def test_read_attributes_response_mixes_success_and_failure_records():
    payload = (record(0x0000, 0x25, (12345).to_bytes(6, "little"))
               + (0x0302).to_bytes(2, "little") + b"\xC0"
               + record(0x0300, 0x30, b"\x01"))
    records = zcl.read_attributes_response(payload, base=3)
    assert [(r.attribute_id, r.status, r.value) for r in records] == [
        (0x0000, 0, 12345), (0x0302, 0xC0, None), (0x0300, 0, 1)]
    assert records[1].status_name == "HARDWARE_FAILURE" and not records[1].ok
    assert [r.offset for r in records] == [3, 3 + 10, 3 + 13]


def test_truncated_value_names_the_offset_of_the_value():
    payload = record(0x0000, 0x25, b"\x01\x02\x03")        # uint48 needs six bytes
    with pytest.raises(zcl.ZclDecodeError) as caught:
        zcl.read_attributes_response(payload, base=20)
    assert caught.value.offset == 20 + 4
    assert "6 bytes" in caught.value.reason


def test_unknown_data_type_names_the_type_byte():
    payload = record(0x0001, 0x20, b"\x05") + record(0x0002, 0x77, b"\x00")
    with pytest.raises(zcl.ZclDecodeError) as caught:
        zcl.read_attributes_response(payload, base=5)
    assert caught.value.offset == 5 + 5 + 3     # first record is 5 bytes; type after id+status
    assert "0x77" in caught.value.reason


def test_record_cut_inside_the_header_is_an_error():
    with pytest.raises(zcl.ZclDecodeError) as caught:
        zcl.read_attributes_response(b"\x00\x00", base=7)
    assert caught.value.offset == 7
    with pytest.raises(zcl.ZclDecodeError) as caught:
        zcl.read_attributes_response(b"\x00\x00\x00", base=7)   # success but no data type
    assert caught.value.offset == 10


def test_string_running_past_the_end():
    with pytest.raises(zcl.ZclDecodeError) as caught:
        zcl.read_attributes_response(record(0x0001, 0x41, b"\x05ab"))
    assert caught.value.offset == 5


def test_default_response():
    response = zcl.default_response(b"\xFF\x01", base=3)
    assert (response.command_id, response.status, response.status_name) == (0xFF, 1, "FAILURE")
    with pytest.raises(zcl.ZclDecodeError):
        zcl.default_response(b"\x00")


def test_status_names_follow_zcl():
    assert zcl.status_name(0x86) == "UNSUPPORTED_ATTRIBUTE"
    assert zcl.status_name(0x55).startswith("UNKNOWN_STATUS")


def test_rtds_gcs60a_plain_components_decode():
    """GCS60a SUCCESS carries two clear GBZ components (FACTS 5); read them and compare with
    the bytes located by hand: Metering 0x0A00 uint32 E0 67 35 00, Prepayment 0x0001 int32
    A0 25 26 00."""
    path = require(RTDS / "4.18_GCS60a" / "GCS60a_4.18_SUCCESS_RELIABLE_GSME_RESPONSE_GBCS.HEX")
    message = pandc.decode(path.read_text())
    parts = split_parts(message)
    assert [p.cluster_id for p in parts] == [0x0702, 0x0705]
    metering = zcl.parse_frame(parts[0].plaintext)
    (bill,) = zcl.read_attributes_response(metering.payload)
    assert (bill.attribute_id, bill.data_type) == (0x0A00, 0x23)
    assert bill.value == int.from_bytes(bytes.fromhex("E0673500"), "little") == 3_500_000
    prepayment = zcl.parse_frame(parts[1].plaintext)
    (credit,) = zcl.read_attributes_response(prepayment.payload)
    assert (credit.attribute_id, credit.data_type) == (0x0001, 0x2B)
    assert credit.value == int.from_bytes(bytes.fromhex("A0252600"), "little", signed=True)


def test_rtds_gcs60a_error_reports_statuses():
    path = require(RTDS / "4.18_GCS60a" / "GCS60a_4.18_ERROR_RESPONSE_GBCS.HEX")
    parts = split_parts(pandc.decode(path.read_text()))
    (bill,) = zcl.read_attributes_response(zcl.parse_frame(parts[0].plaintext).payload)
    assert (bill.attribute_id, bill.status_name, bill.value) == (0x0A00, "HARDWARE_FAILURE", None)
    frame = zcl.parse_frame(parts[1].plaintext)
    assert frame.command_id == zcl.COMMAND_DEFAULT_RESPONSE
    assert zcl.default_response(frame.payload).status_name == "FAILURE"
