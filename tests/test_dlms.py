"""DLMS A-XDR data, Access-Response and Get-Response decoding: types, errors, RTDS."""
from __future__ import annotations

import struct
from datetime import datetime, timezone

import pytest
from hypothesis import given, strategies as st

import pandc
from pandc.codec import dlms
from pandc.errors import DecodeError

from conftest import KEYSTORE, RTDS, require, rtds_messages


def length(n: int) -> bytes:
    if n < 0x80:
        return bytes([n])
    size = (n.bit_length() + 7) // 8
    return bytes([0x80 | size]) + n.to_bytes(size, "big")


# A-XDR encoder for the hypothesis round trip, written from the Green Book rules, not from
# the decoder: (tag, python value) trees.
INTEGER_SIZES = {5: (4, True), 6: (4, False), 15: (1, True), 16: (2, True), 17: (1, False),
                 18: (2, False), 20: (8, True), 21: (8, False), 22: (1, False)}


def encode(tag: int, value) -> bytes:
    if tag in (1, 2):
        return bytes([tag]) + length(len(value)) + b"".join(encode(*item) for item in value)
    if tag in INTEGER_SIZES:
        size, signed = INTEGER_SIZES[tag]
        return bytes([tag]) + value.to_bytes(size, "big", signed=signed)
    if tag == 9:
        return bytes([9]) + length(len(value)) + value
    if tag == 10:
        return bytes([10]) + length(len(value)) + value.encode("ascii")
    if tag == 3:
        return bytes([3, 1 if value else 0])
    if tag == 0:
        return b"\x00"
    raise AssertionError(tag)


def python(tag: int, value):
    return [python(*item) for item in value] if tag in (1, 2) else value


def integers():
    def for_tag(tag):
        size, signed = INTEGER_SIZES[tag]
        low, high = (-(2 ** (8 * size - 1)), 2 ** (8 * size - 1) - 1) if signed else (0, 2 ** (8 * size) - 1)
        return st.integers(low, high).map(lambda v: (tag, v))
    return st.sampled_from(sorted(INTEGER_SIZES)).flatmap(for_tag)


leaves = st.one_of(
    integers(),
    st.binary(max_size=300).map(lambda b: (9, b)),
    st.text(alphabet=st.characters(min_codepoint=32, max_codepoint=126), max_size=20).map(lambda s: (10, s)),
    st.booleans().map(lambda b: (3, b)),
    st.just((0, None)),
)
trees = st.recursive(leaves, lambda children: st.tuples(
    st.sampled_from([1, 2]), st.lists(children, max_size=5)), max_leaves=30)


@given(trees)
def test_round_trip_of_nested_data(tree):
    encoded = encode(*tree)
    value = dlms.decode_all(encoded)
    assert value.to_python() == python(*tree)
    assert value.tag == tree[0] and value.offset == 0


@pytest.mark.parametrize("tag,raw,expected", [
    (5, b"\xFF\xFF\xFF\xFE", -2), (6, b"\xFF\xFF\xFF\xFE", 0xFFFFFFFE), (15, b"\x80", -128),
    (16, b"\x80\x00", -32768), (17, b"\xFF", 255), (18, b"\x12\x34", 0x1234),
    (20, b"\xFF" * 8, -1), (21, b"\x00" * 7 + b"\x2A", 42), (22, b"\x1E", 30), (13, b"\x09", 9),
])
def test_integer_types_are_big_endian(tag, raw, expected):
    value, end = dlms.decode_data(bytes([tag]) + raw)
    assert (value.value, end, value.is_integer) == (expected, 1 + len(raw), True)


def test_strings_bits_floats_and_date_time_octets():
    assert dlms.decode_all(b"\x0A\x03abc").value == "abc"
    assert dlms.decode_all(b"\x0C\x02\xC3\xA9").value == "é"
    bits = dlms.decode_all(b"\x04\x0A\xFF\xC0")
    assert (bits.value, bits.bits) == (b"\xFF\xC0", 10)
    assert dlms.decode_all(b"\x17" + struct.pack(">f", 2.5)).value == 2.5
    assert dlms.decode_all(b"\x18" + struct.pack(">d", -0.125)).value == -0.125
    octets = bytes.fromhex("07DF0101FF000000008000FF")
    assert dlms.decode_all(b"\x19" + octets).value == octets
    assert dlms.decode_all(b"\x1A" + octets[:5]).value == octets[:5]
    assert dlms.decode_all(b"\x1B" + octets[5:9]).value == octets[5:9]
    assert dlms.decode_all(b"\xFF").value is None


def test_long_lengths():
    content = bytes(range(256)) * 2
    value = dlms.decode_all(b"\x09\x82\x02\x00" + content)
    assert value.value == content and value.content_offset == 4
    value = dlms.decode_all(b"\x01\x81\x80" + b"\x11\x07" * 128)
    assert len(value.items) == 128


@pytest.mark.parametrize("data,offset,words", [
    (b"", 0, "Data tag"),
    (b"\x06\x00\x00", 1, "double-long-unsigned"),
    (b"\x02\x02\x11\x01\x12\x00", 5, "long-unsigned"),    # value after tag at 4
    (b"\x09\x05ab", 2, "octet-string"),
    (b"\x09\x85\x00", 1, "length form"),
    (b"\x02\x01\x63", 2, "0x63"),
    (b"\x13\x63", 1, "compact-array"),     # an unknown type description
])
def test_errors_name_the_byte_offset(data, offset, words):
    with pytest.raises(DecodeError) as caught:
        dlms.decode_data(data, 0, base=50)
    assert caught.value.offset == 50 + offset
    assert words in caught.value.reason
    assert isinstance(caught.value, DecodeError)


def test_trailing_bytes_after_one_value():
    with pytest.raises(dlms.DlmsDecodeError) as caught:
        dlms.decode_all(b"\x11\x01\x00", base=3)
    assert caught.value.offset == 5


def test_get_response_normal_and_with_list():
    normal = dlms.get_response(bytes.fromhex("C401C1" "00" "06000003E8"))
    assert normal.kind == dlms.GET_RESPONSE_NORMAL and normal.invoke_id == 0xC1
    assert normal.results[0].ok and normal.results[0].data.value == 1000
    failed = dlms.get_response(bytes.fromhex("C401C1" "01" "04"))
    assert failed.results[0].result.name == "object-undefined"
    with_list = dlms.get_response(bytes.fromhex("C403C1" "02" "00" "1100" "01" "01"))
    assert [r.ok for r in with_list.results] == [True, False]
    assert with_list.results[1].result.name == "hardware-fault"
    with pytest.raises(dlms.DlmsDecodeError):
        dlms.get_response(bytes.fromhex("C402C1"))          # with-datablock not supported
    with pytest.raises(dlms.DlmsDecodeError) as caught:
        dlms.get_response(bytes.fromhex("C401C1000600"))
    assert caught.value.offset == 5


def test_shared_reads_hand_one_read_to_the_next_and_drop_it():
    """Inside shared_reads() the second read of the same plain Access-Response bytes is the
    first read (one parse for the payload splitter and the use case), a third parses again;
    outside it, or with a base or budget, every read parses."""
    apdu = bytes.fromhex("DA" "20000001" "00" "00" "02" "1105" "00" "02" "0100" "0301")
    assert dlms.access_response(apdu) is not dlms.access_response(apdu)
    with dlms.shared_reads():
        first = dlms.access_response(apdu)
        assert dlms.access_response(bytes(bytearray(apdu))) is first   # equal bytes suffice
        third = dlms.access_response(apdu)
        assert third is not first and third == first
        assert dlms.access_response(apdu, 0, dlms.Budget()) is not third
        with pytest.raises(dlms.DlmsDecodeError):          # errors are raised every time
            dlms.access_response(apdu + b"\x00")
        with pytest.raises(dlms.DlmsDecodeError):
            dlms.access_response(apdu + b"\x00")
    assert dlms.access_response(apdu) is not third


def test_access_response_structure():
    apdu = bytes.fromhex("DA" "20000001" "00" "00" "02" "1105" "00" "02" "0100" "0301")
    response = dlms.access_response(apdu)
    assert response.invoke_id == 0x20000001 and response.date_time == b""
    assert [d.to_python() for d in response.data] == [5, None]
    assert [(r.kind, r.code, r.name) for r in response.results] == [
        ("get", 0, "success"), ("action", 1, "hardware-fault")]
    with pytest.raises(dlms.DlmsDecodeError) as caught:
        dlms.access_response(apdu + b"\x00")
    assert caught.value.offset == len(apdu)
    with pytest.raises(dlms.DlmsDecodeError) as caught:
        dlms.access_response(apdu[:-1])
    assert caught.value.offset == len(apdu) - 2


def test_date_time_conversion():
    utc = dlms.date_time(bytes.fromhex("07DF0101FF0000000080" "00FF"))
    assert utc == datetime(2015, 1, 1, tzinfo=timezone.utc)
    assert dlms.date_time(bytes.fromhex("07DFFF01FF000000008000FF")) is None   # month not set
    with pytest.raises(dlms.DlmsDecodeError):
        dlms.date_time(bytes.fromhex("07DF0D01FF000000008000FF"))              # month 13


def _response(folder: str, name: str) -> pandc.Message:
    return pandc.decode(require(RTDS / folder / name).read_text())


def test_rtds_ecs82_meter_balance():
    """ECS82 SUCCESS: one double-long, 00 03 D0 90 (= 250000), and a get result of success."""
    message = _response("4.18_ECS82", "ECS82_4.18_SUCCESS_RESPONSE_GBCS.HEX")
    response = dlms.access_response(message.payload)
    (value,) = response.data
    assert value.tag == dlms.DOUBLE_LONG
    assert value.value == int.from_bytes(bytes.fromhex("0003D090"), "big", signed=True)
    assert [(r.kind, r.ok) for r in response.results] == [("get", True)]


def test_rtds_ecs82_error_has_null_data_and_a_failed_get():
    message = _response("4.18_ECS82", "ECS82_4.18_ERROR_RESPONSE_GBCS.HEX")
    response = dlms.access_response(message.payload)
    assert response.data[0].tag == dlms.NULL_DATA
    assert [(r.kind, r.name) for r in response.results] == [("get", "hardware-fault")]


def test_rtds_ecs17b_protected_attributes_before_and_after_decryption():
    message = _response("4.1.1_ECS17b", "ECS17b_4.1.1_SINGLE_SUCCESS_RESPONSE_GBCS.HEX")
    response = dlms.access_response(message.payload)
    protected = dlms.protected_data(response.data[0])
    assert protected is not None and protected.ciphered
    assert message.payload[protected.content_offset] == dlms.SECURITY_CONTROL_ENCRYPTED
    assert [(r.kind, r.ok) for r in response.results] == [("action", True)]

    from pandc.security import KeyStore, secure
    keys = KeyStore.from_directory(require(KEYSTORE))
    (part,) = secure(message, keys).parts
    clear = dlms.access_response(part.plaintext)
    opened = dlms.protected_data(clear.data[0])
    assert opened is not None and not opened.ciphered
    values = dlms.decode_all(opened.content)
    # struct(1){ struct(4){ dlu 10, {scaler 0, unit 30 Wh}, dlu 10, {scaler 0, unit 32 varh} } }
    assert values.to_python() == [[10, [0, 30], 10, [0, 32]]]


def test_non_protected_structure_is_not_mistaken_for_protected_data():
    plain = dlms.decode_all(bytes.fromhex("0202" "0101" "1100" "0900"))
    assert dlms.protected_data(plain) is None


def test_a_ciphered_response_keeps_no_shared_read():
    """The splitter's read of a response with ciphered attributes is not kept: the use case
    reads the decrypted bytes instead (or nothing, without keys)."""
    from pandc.codec import parts
    payloads = [m.payload for m in pandc.decode_many([data for _, data in rtds_messages()])
                if isinstance(m, pandc.Message)]
    found = {True: None, False: None}
    with dlms.shared_reads():
        for payload in payloads:
            if payload[:1] != b"\xda":
                continue
            part = parts._dlms_part(payload, "x")
            if found[part.encrypted] is None:
                found[part.encrypted] = payload
                kept = dlms._shared.get()
                assert (payload in kept) is (not part.encrypted)
    assert found[True] is not None and found[False] is not None


def test_decode_simple_reads_leaves_and_refuses_containers():
    """decode_simple: the value and next position of a Data value that holds no other Data
    (bytes by hand: long-unsigned 0x1234, visible-string "AB", bit-string of 7 bits), and a
    DlmsDecodeError naming the offset for an array, a structure or a compact-array."""
    from pandc.codec.dlms import DlmsDecodeError, decode_simple
    data = bytes.fromhex("FF" "121234" "0A024142" "040780")
    assert decode_simple(data, 1)[0].value == 0x1234 and decode_simple(data, 1)[1] == 4
    assert decode_simple(data, 4)[0].value == "AB" and decode_simple(data, 4)[1] == 8
    value, end = decode_simple(data, 8)
    assert (value.value, value.bits, end) == (b"\x80", 7, 11)
    # the inline paths (integers, short octet-strings) give what decode_data gives
    for encoded in ("0F80", "10FF7F", "0600000102", "14" + "80" + "00" * 7, "0904DEADBEEF",
                    "0900", "0981020102", "19" + "00" * 12):
        raw = bytes.fromhex("AA" + encoded)
        assert decode_simple(raw, 1, base=9) == dlms.decode_data(raw, 1, base=9)
    for truncated in ("0600", "0905AA", "10"):
        with pytest.raises(DlmsDecodeError):
            decode_simple(bytes.fromhex(truncated), 0)
    for container in ("0101120001", "020112000113"[:10], "1301"):
        with pytest.raises(DlmsDecodeError) as caught:
            decode_simple(bytes.fromhex("00" + container), 1, base=100)
        assert caught.value.offset == 101
