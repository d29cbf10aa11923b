"""The grouping-header decoder on real RTDS messages, and its errors."""
from __future__ import annotations

import pytest

import pandc
from pandc.codec import _pyheader
from pandc.errors import DecodeError
from pandc.codec.header import decode_header
from pandc.codec.rawheader import HAS_MAC, HAS_SIGNATURE_FIELD
from conftest import rtds_messages


def test_every_rtds_message_decodes(rtds):
    assert len(rtds) > 800
    for path, data in rtds:
        header = decode_header(data)
        assert header.cra in (1, 2, 3), path
        assert header.message_length == len(data)
        assert header.content_offset + header.content_length <= len(data)
        # General Ciphering wraps the signing APDU and ends with a 12-byte MAC.
        assert bool(header.flags & HAS_MAC) == (data[0] == 0xDD)
        if data[0] == 0xDD:
            assert header.mac_offset == len(data) - 12


def test_cra_flag_matches_the_file_name(rtds):
    for path, data in rtds:
        name = path.name
        cra = decode_header(data).cra
        if "_RESPONSE_" in name:
            assert cra == 2, path
        elif "_COMMAND_" in name:
            assert cra == 1, path


def test_precommands_have_no_signature_field(rtds):
    precommands = [(p, d) for p, d in rtds if "PRECOMMAND" in p.name]
    assert precommands
    for path, data in precommands:
        assert not decode_header(data).flags & HAS_SIGNATURE_FIELD, path


def test_annotated_example_of_facts_section_2():
    # Built field by field from FACTS section 2's annotated GCS13a example.
    from pandc.testing import build_message
    data = build_message(originator_counter=1000, date_time=bytes.fromhex("07DF0101FF00000000800004"),
                         message_code=0x0074, payload=b"\x01\x09" + bytes(59))
    assert data[:13].hex().upper() == "DD0000000000007D1100000000"
    message = pandc.decode(data)
    assert message.originator_counter == 1000
    assert message.originator == "00-DB-12-34-56-78-90-A3"
    assert message.recipient == "90-B3-D5-1F-30-01-00-00"
    assert message.date_time.isoformat() == "2015-01-01T00:00:00+00:00"
    assert (message.time_status, message.is_from_gsme, message.clock_status) == (4, True, "reliable")
    assert len(message.payload) == 61


def test_certificate_in_other_information(rtds):
    with_certificate = [(p, d) for p, d in rtds if decode_header(d).certificate_length]
    assert with_certificate, "RTDS has commands carrying a key-agreement certificate"
    for path, data in with_certificate:
        header = decode_header(data)
        certificate = data[header.certificate_offset:header.certificate_offset + header.certificate_length]
        assert certificate[0] == 0x30, "a DER certificate starts with a SEQUENCE"
        declared = int.from_bytes(certificate[2:4], "big") + 4 if certificate[1] == 0x82 else None
        assert declared == len(certificate), path


@pytest.mark.parametrize("index", range(0, 600, 29))
def test_every_truncation_raises_with_an_offset(index):
    # Responses, alerts and pre-commands: a signed command cut right after its content would
    # be a well-formed pre-command, so commands are left out here.
    messages = [m for m in rtds_messages() if "_COMMAND_" not in m[0].name]
    _, data = messages[index % len(messages)]
    for cut in range(len(data)):
        with pytest.raises(DecodeError) as caught:
            decode_header(data[:cut])
        assert caught.value.offset is not None
        assert 0 <= caught.value.offset <= cut


@pytest.mark.parametrize("data, code, offset", [
    (b"", 1, 0),
    (b"\xE0\x00", 5, 0),
    (b"\x42", 4, 0),
    (b"\xDD\x00\x00\x01", 6, 3),
    (b"\xDF\x08", 10, 1),
    (b"\xDF\x09\x04" + bytes(8), 11, 2),
    (b"\xDF\x09\x02" + bytes(8) + b"\x07", 12, 11),
    (b"\xDF\x09\x02" + bytes(8) + b"\x08" + bytes(8) + b"\x08" + bytes(8) + b"\x05", 13, 29),
    (b"\xDF\x09\x02" + bytes(8) + b"\x08" + bytes(8) + b"\x08" + bytes(8) + b"\x00\x03\x00\x74\x00", 14, 30),
    (b"\xDF\x09\x02" + bytes(8) + b"\x08" + bytes(8) + b"\x08" + bytes(8) + b"\x00\x02\x00\x74\x84", 3, 33),
    (b"\xDF\x09\x02" + bytes(8) + b"\x08" + bytes(8) + b"\x08" + bytes(8) + b"\x00\x02\x00\x74\x00", 18, 34),
])
def test_malformed_headers_name_code_and_offset(data, code, offset):
    for decoder in (decode_header, _pyheader.decode_header):
        with pytest.raises(DecodeError) as caught:
            decoder(data)
        assert (caught.value.code, caught.value.offset) == (code, offset)
        assert caught.value.reason and str(offset) in str(caught.value)


def test_signature_length_must_be_0_or_64():
    from pandc.testing import build_message
    with pytest.raises(DecodeError) as caught:
        decode_header(build_message(signature=bytes(10)))
    assert caught.value.code == 15


def test_trailing_bytes_after_the_message_are_refused():
    from pandc.testing import build_message
    data = build_message(frame="general-signing")
    with pytest.raises(DecodeError) as caught:
        decode_header(data + b"\x00")
    assert caught.value.code == 16 and caught.value.offset == len(data)
