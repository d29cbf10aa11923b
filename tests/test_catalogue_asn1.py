"""The ASN.1 DER reader and the ASN.1 response catalogue.

Expected values are worked out in the tests from the bytes (hand-built DER, or a small
independent DER reading of the RTDS payload), never copied from pandc's output.
"""
from __future__ import annotations

import base64
from datetime import datetime, timezone

import pytest
from lxml import etree

import pandc
from pandc.codec import asn1
from pandc.codec.limits import LimitError
from pandc.errors import DecodeError, PandcError
from pandc.mmc.render import to_mmc
from pandc.mmc.validation import validate
from pandc.testing import build_message
from pandc.usecases.catalogue.asn1 import NO_MMC_TYPE, USE_CASES, coverage_rows

from conftest import OFFICIAL_XSD, RTDS, der_tlv, require, rtds_files

NS = {"ra": "http://www.dccinterface.co.uk/ResponseAndAlert"}


def der(tag: int, content: bytes) -> bytes:
    """A DER TLV written independently of pandc (short or 0x82 lengths)."""
    if len(content) < 0x80:
        return bytes([tag, len(content)]) + content
    return bytes([tag, 0x82]) + len(content).to_bytes(2, "big") + content


def response(message_code: int, payload: bytes) -> pandc.Message:
    return pandc.decode(build_message(cra="response", message_code=message_code,
                                      payload=payload))


def smets(message: pandc.Message) -> etree._Element:
    root = etree.fromstring(to_mmc(message))
    found = root.find("ra:Body/ra:ResponseMessage/ra:SMETSData", NS)
    assert found is not None, message.warnings
    return found[0]


# --- the DER reader --------------------------------------------------------------------------

def test_reader_tag_classes_and_lengths():
    # [context 2] constructed, holding INTEGER 300 and a 0x82-length OCTET STRING of 200 bytes
    inner = der(0x02, b"\x01\x2C") + der(0x04, bytes(200))
    data = der(0xA2, inner)
    top = asn1.check_tree(data)
    assert len(top) == 1
    element = top[0]
    assert (element.tag_class, element.constructed, element.number) == (asn1.CONTEXT, True, 2)
    first, second = asn1.children(data, element)
    assert asn1.integer(data, first) == 300
    assert second.length == 200 and second.start == element.start + 4 + 4


def test_reader_high_tag_number_and_negative_integer():
    # [application 200] primitive: 0x5F then 0x81 0x48 (200 = 1*128 + 72)
    data = b"\x5F\x81\x48\x01\xFF"
    element = asn1.read_element(data, 0)
    assert (element.tag_class, element.number, element.constructed) == (asn1.APPLICATION, 200, False)
    assert asn1.integer(data, element) == -1


def test_reader_generalized_time():
    data = der(0x18, b"20300115093000Z")
    assert asn1.generalized_time(data, asn1.read_element(data, 0)) == \
        datetime(2030, 1, 15, 9, 30, tzinfo=timezone.utc)
    bad = der(0x18, b"20301315093000Z")
    with pytest.raises(asn1.Asn1Error):
        asn1.generalized_time(bad, asn1.read_element(bad, 0))


@pytest.mark.parametrize("data, offset", [
    (b"\x30\x05\x02\x01", 0),             # content claims 5 bytes, 2 remain
    (b"\x30\x80\x02\x01\x00\x00\x00", 1),  # indefinite length: refused by ber.read_length
    (b"\x30\x03\x02\x05\x00", 2),         # child overruns its parent
    (b"\x02", 1),                         # no length octet
    (b"\x1F\x81\x81\x81\x01\x00", 0),     # tag number longer than 3 octets
])
def test_reader_rejects_malformed_with_offset(data, offset):
    with pytest.raises(DecodeError) as caught:
        asn1.check_tree(data)
    assert caught.value.offset == offset


def nested(depth: int) -> bytes:
    data = b"\x05\x00"
    for _ in range(depth):
        data = der(0x30, data)
    return data


def test_der_bomb_deep_nesting_is_a_limit_error_quickly():
    data = nested(3000)
    with pytest.raises(LimitError) as caught:
        asn1.check_tree(data)
    # It stops at the 33rd SEQUENCE header (depth limit 32), each header 4 octets here, so
    # nothing past the first 33 headers was read.
    assert caught.value.offset == 32 * 4


def test_der_bomb_element_count_is_a_limit_error():
    data = der(0x30, b"\x05\x00" * 30_000) * 4      # 120,004 elements > 100,000
    with pytest.raises(LimitError):
        asn1.check_tree(data)


def test_der_bomb_in_a_message_is_a_limit_error_not_a_warning():
    with pytest.raises(LimitError):
        response(0x0013, nested(100))


# --- catalogue: hand-built payloads ----------------------------------------------------------

def test_join_error_code_is_message_success_false_with_status():
    # JoinDeviceResponse INTEGER 4 = deviceLogFull
    message = response(0x000D, der(0x02, b"\x04"))
    element = smets(message)
    assert element.tag.endswith("JoinServiceCriticalRsp")
    assert element.get("MessageSuccess") == "false"
    code = element.find("ra:joinResponseCode", NS)
    assert code.get("ResponseCode") == "4"
    assert code.findtext("ra:ASN1Status", namespaces=NS) == "deviceLogFull"
    assert any("response code 4" in warning for warning in message.warnings)


def test_read_device_log_entries():
    entry1 = der(0x30, der(0x04, bytes.fromhex("00DB123456789001")) + der(0x02, b"\x00"))
    entry2 = der(0x30, der(0x04, bytes.fromhex("00DB123456789002")) + der(0x02, b"\x05"))
    payload = der(0x30, der(0x02, b"\x00") + der(0x30, entry1 + entry2))
    element = smets(response(0x0013, payload))
    assert element.get("MessageSuccess") == "true"
    entries = element.findall("ra:DeviceLogEntries/ra:LogEntry", NS)
    assert [(e.findtext("ra:DeviceID", namespaces=NS), e.findtext("ra:DeviceType", namespaces=NS))
            for e in entries] == [("00-DB-12-34-56-78-90-01", "GSME"),
                                  ("00-DB-12-34-56-78-90-02", "PPMID")]


def test_set_time_response():
    payload = der(0x30, der(0x18, b"20240229235959Z") + der(0x02, b"\x01"))
    element = smets(response(0x007F, payload))
    assert element.findtext("ra:DeviceTime", namespaces=NS) == "2024-02-29T23:59:59Z"
    status = element.find("ra:Gas/ra:GasClockTimeStatus", NS)
    assert status.get("ResponseCode") == "1"
    assert status.findtext("ra:ASN1Status", namespaces=NS) == "invalid"
    assert element.get("MessageSuccess") == "false"


def test_truncated_structure_is_a_warning_naming_the_offset():
    # SEQUENCE holding only the GeneralizedTime: deviceTimeStatus missing
    message = response(0x007F, der(0x30, der(0x18, b"20240229235959Z")))
    assert message.values is None
    assert any("deviceTimeStatus missing" in warning and "offset" in warning
               for warning in message.warnings)


# --- catalogue: RTDS, read independently -----------------------------------------------------

def test_rtds_cs02e_certificate_is_the_whole_der_payload():
    path = require(RTDS / "6.24.2_CS02e" / "CS02e_6.24.2_SUCCESS_RESPONSE_GBCS.HEX")
    message = pandc.decode(path.read_text())
    payload = message.payload
    tag, start, end = der_tlv(payload, 0)
    assert tag == 0x30 and end == len(payload)          # the payload is one certificate
    certificate = smets(message).findtext("ra:Certificate", namespaces=NS)
    assert base64.b64decode(certificate) == payload


def test_rtds_cs07_success_entries():
    path = require(RTDS / "8.9_CS07" / "CS07_8.9_SUCCESS_RESPONSE_GBCS.HEX")
    message = pandc.decode(path.read_text())
    payload = message.payload
    # SEQUENCE { INTEGER 0, SEQUENCE OF SEQUENCE { OCTET STRING(8), INTEGER } }
    _, start, end = der_tlv(payload, 0)
    tag, code_start, code_end = der_tlv(payload, start)
    assert tag == 0x02 and payload[code_start:code_end] == b"\x00"
    _, list_start, list_end = der_tlv(payload, code_end)
    expected = []
    at = list_start
    types = {0: "GSME", 1: "ESME", 2: "CHF", 3: "GPF", 4: "HCALCS", 5: "PPMID", 6: "Type2"}
    while at < list_end:
        _, entry_start, entry_end = der_tlv(payload, at)
        _, id_start, id_end = der_tlv(payload, entry_start)
        _, type_start, type_end = der_tlv(payload, id_end)
        eui = "-".join(f"{b:02X}" for b in payload[id_start:id_end])
        expected.append((eui, types[payload[type_start]]))
        at = entry_end
    entries = smets(message).findall("ra:DeviceLogEntries/ra:LogEntry", NS)
    assert [(e.findtext("ra:DeviceID", namespaces=NS), e.findtext("ra:DeviceType", namespaces=NS))
            for e in entries] == expected
    assert len(expected) == 3


def test_rtds_cs08_firmware_version():
    path = require(RTDS / "11.2_CS08" / "CS08_11.2_SUCCESS_RESPONSE_GBCS.HEX")
    message = pandc.decode(path.read_text())
    payload = message.payload
    _, start, _ = der_tlv(payload, 0)
    tag, version_start, version_end = der_tlv(payload, start)
    assert tag == 0x04
    assert smets(message).findtext("ra:FirmwareVersion", namespaces=NS) == \
        payload[version_start:version_end].hex().upper()


def test_rtds_cs02g_immediate_error_outcome():
    path = require(RTDS / "6.15.1_CS02gLoadControllerBySupplier" /
                   "CS02gLoadControllerBySupplier_6.15.1_IMMEDIATE_ERROR_RESPONSE_GBCS.HEX")
    message = pandc.decode(path.read_text())
    payload = message.payload
    # SEQUENCE { NULL, ExecutionOutcome SEQUENCE { INTEGER seq, INTEGER mode, ... } }
    _, start, _ = der_tlv(payload, 0)
    tag, _, null_end = der_tlv(payload, start)
    assert tag == 0x05
    _, outcome_start, _ = der_tlv(payload, null_end)
    _, seq_start, seq_end = der_tlv(payload, outcome_start)
    seq = int.from_bytes(payload[seq_start:seq_end], "big")
    element = smets(message)
    assert element.tag.endswith("UpdateSecurityCredentialsKRPRsp")
    assert element.get("MessageSuccess") == "false"       # statusCode noTrustAnchor (10)
    outcome = element.find("ra:ExecutionOutcome", NS)
    assert outcome.findtext("ra:AuthorisingRemotePartyOriginatorCounter",
                            namespaces=NS) == str(seq)
    statuses = [s.get("ResponseCode") for s in outcome.findall("ra:ReplacementOutcome/ra:StatusCode", NS)]
    assert statuses == ["10", "10"]


def is_asn1_response(message: pandc.Message) -> bool:
    return message.cra == "response" and bool(message.parts) and message.parts[0].kind == "asn1"


def test_every_rtds_asn1_response_with_an_mmc_type_gets_valid_smetsdata():
    require(OFFICIAL_XSD)
    typed_codes = {code for entry in USE_CASES for code in entry.message_codes}
    untyped_codes = {code for code, _, _ in NO_MMC_TYPE}
    total = with_type = with_smets = 0
    for path in rtds_files("*/*_RESPONSE_GBCS.HEX"):
        message = pandc.decode(path.read_text())
        if not is_asn1_response(message):
            continue
        total += 1
        xml = to_mmc(message)
        assert validate(xml, schema="mmc", schema_dir=str(OFFICIAL_XSD)), path.name
        assert validate(xml, schema="mmc"), path.name     # pandc's bundled profile too
        if message.message_code in typed_codes:
            with_type += 1
            assert message.values is not None, (path.name, message.warnings)
            with_smets += 1
        else:
            # only the CS02b/CS02g variants no SRV sends (RTDS folder NA)
            assert message.message_code in untyped_codes and message.values is None, path.name
            assert path.parent.name.startswith("NA_")
    assert total == 44 and with_type == with_smets == 37


def test_coverage_rows_shape():
    rows = coverage_rows()
    assert all(len(row) == 5 and row[3] == "ASN.1" for row in rows)
    assert ("11.2", "ReadFirmwareVersionRsp") in {(row[1], row[2]) for row in rows}
    assert any(row[4].startswith("GBCSData only") for row in rows)


def test_errors_are_pandc_errors():
    assert issubclass(asn1.Asn1Error, PandcError)


def test_bundled_profile_checks_asn1_types_in_full():
    # CS07: success, one entry of device type 3 (GPF)
    entry = der(0x30, der(0x04, bytes(8)) + der(0x02, b"\x03"))
    xml = to_mmc(response(0x0013, der(0x30, der(0x02, b"\x00") + der(0x30, entry))))
    assert validate(xml, schema="mmc")
    broken = xml.replace(b"<ra:DeviceType>GPF</ra:DeviceType>", b"<ra:DeviceType>XYZ</ra:DeviceType>")
    assert broken != xml and not validate(broken, schema="mmc")


def test_asn1_response_code_is_a_failure_without_debug_info():
    # JoinDeviceResponse INTEGER 5 = writeFailure: an ASN.1 Failure naming the MMC element;
    # MMC's DebugInfo has no ASN.1 form (ZIGBEEDebug | COSEMDebug | SMETS1Debug), so none
    message = response(0x000D, der(0x02, b"\x05"))
    (failure,) = message.failures
    assert (failure.protocol, failure.code, failure.name, failure.element) == (
        "asn1", 5, "writeFailure", "joinResponseCode")
    assert str(failure) == "ASN.1 joinResponseCode: writeFailure (5)"
    xml = to_mmc(message)
    assert b"DebugInfo" not in xml
    assert validate(xml, schema="mmc")
    # success: no failure
    assert response(0x000D, der(0x02, b"\x00")).failures == ()
