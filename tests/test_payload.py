"""split_parts: GBZ components, DLMS protected attributes, ASN.1, and bad payloads."""
from __future__ import annotations

from types import SimpleNamespace

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import pandc
from pandc.codec.parts import PayloadPart, split_parts



def _split(payload: bytes, cra: str = "response") -> tuple[PayloadPart, ...]:
    return split_parts(SimpleNamespace(payload=payload, cra=cra))


def _component(control: int, cluster: int, body: bytes) -> bytes:
    return bytes((control,)) + cluster.to_bytes(2, "big") + len(body).to_bytes(2, "big") + body


def _gbz(*components: bytes) -> bytes:
    return b"\x01\x09" + bytes((len(components),)) + b"".join(components)


@pytest.fixture(scope="module")
def decoded(rtds):
    return [(path, pandc.decode(data)) for path, data in rtds]


def test_every_rtds_payload_splits_without_error(decoded):
    for path, message in decoded:
        parts = split_parts(message)
        assert all(part.error is None for part in parts), (path.name, parts)
        assert parts or message.cra == "alert", path.name


def test_kinds_follow_the_payload_tag(decoded):
    for path, message in decoded:
        kinds = {part.kind for part in split_parts(message)}
        first = message.payload[0]
        if message.payload[:2] == b"\x01\x09":
            assert kinds <= {"gbz"}, path.name
        elif first in (0xD9, 0xDA, 0x0F):
            assert kinds == {"dlms"}, path.name
        else:
            assert kinds == {"asn1"}, path.name


def test_gbz_components_tile_the_payload(decoded):
    """Outside alerts, the components are the payload after profile and count, in order."""
    for path, message in decoded:
        if message.payload[:2] != b"\x01\x09" or message.cra == "alert":
            continue
        parts = split_parts(message)
        assert b"".join(part.data for part in parts) == message.payload[3:], path.name
        assert len(parts) == message.payload[2], path.name
        for part in parts:
            assert part.cluster_id == int.from_bytes(part.data[1:3], "big")
            assert part.encrypted == bool(part.data[0] & 0x02)


def test_encrypted_parts_locate_their_ciphered_information(decoded):
    seen = 0
    for path, message in decoded:
        for part in split_parts(message):
            if not part.encrypted:
                assert part.plaintext is not None
                continue
            seen += 1
            assert part.plaintext is None
            assert part.cipher_spans, path.name
            for element_start, cipher_start, cipher_end in part.cipher_spans:
                assert part.data[cipher_start] == 0x31
                assert cipher_end - cipher_start >= 5 + 12
                if part.kind == "gbz":
                    length = int.from_bytes(part.data[element_start:element_start + 2], "big")
                    assert (element_start + 2, element_start + 2 + length) == (cipher_start, cipher_end)
                else:
                    assert part.data[element_start] == 0x09
    # GCS13a/b/c, GCS14, GCS15c, GCS16a, GCS18, GCS61 components, ECS DLMS responses, GCS53
    assert seen >= 40


def test_plain_gbz_part_plaintext_is_the_zcl_frame():
    zcl = b"\x08\x05\x01" + b"\x00\x00\x00\x25" + (12345).to_bytes(6, "little")
    part, = _split(_gbz(_component(0x01, 0x0702, zcl)))
    assert (part.kind, part.encrypted, part.cluster_id, part.plaintext) == ("gbz", False, 0x0702, zcl)
    assert part.from_date_time is None


def test_from_date_time_is_split_off():
    stamp = bytes.fromhex("1c374a80")
    zcl = b"\x19\x00\x00"
    first = _component(0x10, 0x0707, stamp + zcl)
    second = _component(0x01, 0x0700, zcl)
    one, two = _split(_gbz(first, second))
    assert one.from_date_time == stamp and one.plaintext == zcl
    assert two.from_date_time is None and two.cluster_id == 0x0700


def test_encrypted_gbz_layout():
    cipher = b"\x31\x00\x00\x00\x00" + b"\xaa" * 7 + b"\xbb" * 12
    body = b"\x00\x00" + b"\x18\x00\x01" + len(cipher).to_bytes(2, "big") + cipher
    part, = _split(_gbz(_component(0x03, 0x0702, body)))
    assert part.encrypted and part.plaintext is None and part.error is None
    (element_start, cipher_start, cipher_end), = part.cipher_spans
    assert part.data[cipher_start:cipher_end] == cipher
    assert part.data[element_start - 3:element_start] == b"\x18\x00\x01"


def test_encrypted_gbz_with_wrong_inner_length_is_reported():
    cipher = b"\x31\x00\x00\x00\x00" + b"\xaa" * 20
    body = b"\x00\x00\x18\x00\x01" + (len(cipher) + 3).to_bytes(2, "big") + cipher
    part, = _split(_gbz(_component(0x03, 0x0702, body)))
    assert part.error and "offset" in part.error and not part.cipher_spans


@pytest.mark.parametrize("payload, where", [
    (b"\x01\x09", "offset 2"),
    (b"\x01\x09\x01\x01\x07\x02", "offset 3"),
    (b"\x01\x09\x01\x01\x07\x02\x00\x09\x18", "offset 3"),
    (_gbz(_component(0x00, 0x0702, b"\x18\x00\x01")), "offset 3"),   # last flag missing
])
def test_broken_gbz_is_one_part_with_an_error(payload, where):
    part, = _split(payload)
    assert part.kind == "gbz" and part.data == payload and where in part.error


def test_component_count_mismatch_is_reported():
    payload = b"\x01\x09\x02" + _component(0x01, 0x0702, b"\x18\x00\x01")
    part, = _split(payload)
    assert "announces 2 components" in part.error


def test_gbz_alert_data_that_is_not_components_is_one_plain_part(decoded):
    future_dated = [m for p, m in decoded if "8F66" in p.name and m.payload[:2] == b"\x01\x09"]
    assert future_dated
    for message in future_dated:
        part, = split_parts(message)
        assert part.kind == "gbz" and not part.encrypted and part.error is None
        assert part.data == message.payload[9:] and "0x8F66" in part.name


def test_billing_data_log_alert_carries_an_encrypted_component(decoded):
    message, = [m for p, m in decoded if p.name.startswith("GCS53_NA_8F0A")]
    part, = split_parts(message)
    assert part.encrypted and part.cluster_id == 0x0702


def test_dlms_protected_attributes_only_where_present(decoded):
    protected = {p.name for p, m in decoded
                 if any(part.kind == "dlms" and part.encrypted for part in split_parts(m))}
    assert "ECS17b_4.1.1_SINGLE_SUCCESS_RESPONSE_GBCS.HEX" in protected
    assert all("_RESPONSE_" in name for name in protected)
    plain_commands = [m for p, m in decoded if m.payload[:1] == b"\xd9"]
    assert plain_commands
    assert not any(part.encrypted for m in plain_commands for part in split_parts(m))


def test_asn1_payload_is_one_part():
    der = bytes.fromhex("300904040123abcd020100")
    part, = _split(der)
    assert (part.kind, part.encrypted, part.data, part.plaintext) == ("asn1", False, der, der)


def test_empty_payload_has_no_parts():
    assert _split(b"") == ()


@settings(max_examples=400, deadline=None)
@given(st.binary(max_size=80), st.sampled_from(["command", "response", "alert"]),
       st.sampled_from([b"\x01\x09", b"\xda", b"\xd9", b"\x0f", b""]))
def test_split_never_raises(tail, cra, head):
    parts = _split(head + tail, cra)
    for part in parts:
        assert isinstance(part, PayloadPart)
        if part.encrypted and part.error is None:
            assert part.cipher_spans
            for element_start, cipher_start, cipher_end in part.cipher_spans:
                assert 0 <= element_start < cipher_start < cipher_end <= len(part.data)


def test_split_payload_equals_split_parts(decoded):
    from pandc.codec.parts import split_payload
    for _, message in decoded:
        assert split_payload(message.payload, message.cra) == split_parts(message)
