"""pandc.decode / decode_many / decode_duis: inputs, results, errors."""
from __future__ import annotations

import base64
import dataclasses
from datetime import datetime, timezone

import pytest

import pandc
from pandc.registry import MESSAGE_CODES, lookup
from pandc.testing import build_message
from conftest import FACTS_CSV, require

READ_AT = datetime(2026, 3, 1, 7, 0, tzinfo=timezone.utc)


def sample(**fields) -> bytes:
    fields.setdefault("date_time", READ_AT)
    fields.setdefault("time_status", 0x04)
    fields.setdefault("message_code", 0x012A)
    return build_message(**fields)


def test_bytes_hex_and_base64_give_the_same_message():
    data = sample(payload=b"\x01\x09\x00")
    as_hex = data.hex()
    spaced = " ".join(as_hex[i:i + 8] for i in range(0, len(as_hex), 8)).upper() + "\n"
    wrapped = "\n".join(base64.b64encode(data).decode()[i:i + 20] for i in range(0, 200, 20))
    results = [pandc.decode(x) for x in (data, as_hex, spaced, wrapped, as_hex.encode())]
    assert all(r == results[0] for r in results)
    assert results[0].payload == b"\x01\x09\x00"


def test_message_fields():
    data = sample(frame="general-signing", cra="alert", originator_counter=2**64 - 1,
                  supplementary_remote_party_id="90-B3-D5-1F-30-01-00-02",
                  supplementary_remote_party_counter=17, supplementary_originator_counter=18,
                  signature=bytes(range(64)))
    message = pandc.decode(data)
    assert message.frame == "general-signing" and message.cra == "alert"
    assert message.originator_counter == 2**64 - 1
    assert message.supplementary_remote_party_id == "90-B3-D5-1F-30-01-00-02"
    assert (message.supplementary_remote_party_counter, message.supplementary_originator_counter) == (17, 18)
    assert message.signature == bytes(range(64)) and message.signed and message.mac is None
    assert message.use_case == "GCS60a" and message.service_reference_variant == "4.18"
    assert message.service_reference == "4.18"
    assert message.date_time == READ_AT
    with pytest.raises(dataclasses.FrozenInstanceError):
        message.cra = "response"  # type: ignore[misc]


def test_unknown_message_code_is_a_warning_not_an_error():
    unused = next(code for code in range(0xFFFF, 0, -1) if code not in MESSAGE_CODES)
    message = pandc.decode(sample(message_code=unused))
    assert message.use_case is None and message.service_reference_variant is None
    assert any(f"0x{unused:04X}" in w for w in message.warnings)


@pytest.mark.parametrize("code, use_case", [(0x0074, "GCS13a"), (0x00B8, "GCS13b"), (0x00B6, "GCS13c"),
                                            (0x0075, "GCS14"), (0x012A, "GCS60a")])
def test_mandatory_date_time_rule(code, use_case):
    message = pandc.decode(build_message(message_code=code))
    assert message.use_case == use_case
    assert any("SECMP0015" in w and use_case in w for w in message.warnings)
    # Commands carry no such rule.
    assert pandc.decode(build_message(message_code=code, cra="command")).warnings == ()


def test_registry_is_the_message_code_table():
    import csv
    rows = list(csv.DictReader(require(FACTS_CSV).read_text().splitlines()))
    assert len(MESSAGE_CODES) == len(rows) == 240
    for row in rows:
        info = lookup(int(row["message_code"], 16))
        assert info.use_case == row["use_case"]
        assert ";".join(info.service_reference_variants) == row["srv"]
        assert info.response_date_time_mandatory == (row["response_datetime_mandatory"] == "Y")
    assert lookup(0x008D).superseded_by == 0x012A
    assert lookup(0x012A).service_reference_variant == "4.18"


@pytest.mark.parametrize("text, fragment, offset", [
    ("DD00GG", "invalid hex digit 'G' at text position 4", 2),
    ("DD000", "odd number of hex digits", 2),
    ("3Q0A*AAA", "invalid base64 character '*' at text position 4", 3),
    ("3Q0", "malformed base64", 2),
    ("   ", "empty input", 0),
])
def test_bad_text_names_the_position(text, fragment, offset):
    with pytest.raises(pandc.DecodeError) as caught:
        pandc.decode(text)
    assert fragment in caught.value.reason
    assert caught.value.offset == offset


def test_decode_many_goes_on_past_bad_items_in_order():
    good = sample()
    items = [good, "DDXX", good[:20], good.hex(), b"", 42, base64.b64encode(good).decode()]
    results = pandc.decode_many(items)
    assert [type(r).__name__ for r in results] == [
        "Message", "DecodeError", "DecodeError", "Message", "DecodeError", "DecodeError", "Message"]
    assert results[2].offset is not None
    assert results[0] == results[3] == results[6]


def duis_response(payloads: list[bytes], code: str = "I0") -> str:
    body = "".join(
        f"<sr:ResponseMessage><sr:ServiceReference>4.18</sr:ServiceReference>"
        f"<sr:ServiceReferenceVariant>4.18</sr:ServiceReferenceVariant>"
        f"<sr:GBCSPayload>{base64.b64encode(p).decode()}</sr:GBCSPayload></sr:ResponseMessage>"
        for p in payloads)
    return (f'<?xml version="1.0" encoding="UTF-8"?>\n<sr:Response xmlns:sr="http://www.dccinterface.co.uk/ServiceUserGateway" '
            f'schemaVersion="5.4"><sr:Header><sr:RequestID>90-B3-D5-1F-30-01-00-00:00-DB-12-34-56-78-90-A3:7</sr:RequestID>'
            f"<sr:ResponseID>R1</sr:ResponseID><sr:ResponseCode>{code}</sr:ResponseCode>"
            f"<sr:ResponseDateTime>2026-03-01T07:00:01Z</sr:ResponseDateTime></sr:Header>"
            f"<sr:Body>{body}</sr:Body></sr:Response>")


def test_duis_response_keeps_request_id_response_code_and_variant():
    message = pandc.decode(duis_response([sample()], code="I99"))
    assert message.request_id == "90-B3-D5-1F-30-01-00-00:00-DB-12-34-56-78-90-A3:7"
    assert message.response_code == "I99" and message.response_id == "R1"
    assert message.service_reference_variant == "4.18" and message.is_from_gsme is True


def test_duis_with_several_payloads():
    document = duis_response([sample(), b"\xDD\x00", sample(message_code=0x0074)])
    results = pandc.decode_duis(document)
    assert [type(r).__name__ for r in results] == ["Message", "DecodeError", "Message"]
    assert "GBCSPayload at line" in str(results[1])
    with pytest.raises(pandc.DecodeError, match="3 GBCSPayload"):
        pandc.decode(document)


@pytest.mark.parametrize("document, fragment", [
    ("<sr:Response xmlns:sr='x'><unclosed></sr:Response>", "malformed DUIS XML at line 1"),
    ("<Response/>", "no sr:GBCSPayload"),
])
def test_bad_duis_documents(document, fragment):
    with pytest.raises(pandc.DecodeError, match=fragment):
        pandc.decode(document)


def test_external_entities_are_never_read(tmp_path):
    secret = tmp_path / "secret.txt"
    secret.write_text("TOP-SECRET-VALUE")
    document = (f'<?xml version="1.0"?><!DOCTYPE r [<!ENTITY e SYSTEM "file://{secret}">]>'
                '<sr:Response xmlns:sr="http://www.dccinterface.co.uk/ServiceUserGateway">'
                "<sr:GBCSPayload>&e;</sr:GBCSPayload></sr:Response>")
    with pytest.raises(pandc.DecodeError) as caught:
        pandc.decode(document)
    assert "DOCTYPE" in caught.value.reason
    assert "TOP-SECRET" not in str(caught.value)
