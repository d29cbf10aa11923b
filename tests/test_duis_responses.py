"""DUIS Responses of every kind: read into typed objects, builder output valid against the
official DUIS V5.4 XSD, hostile and malformed XML refused naming the element, flat memory."""
from __future__ import annotations

import json
import re
import subprocess
import sys
import textwrap
from datetime import datetime, timezone
from decimal import Decimal

import pytest
from lxml import etree

from conftest import OFFICIAL_XSD, require
from pandc import PandcError, iter_duis, parse_duis
from pandc import testing_duis as t
from pandc.duis import (DccAlert, DeviceAlert, DspBody, DuisError, GbcsPayload, duis_record,
                        response_code, response_code_table)
from pandc.duis.generic import LEAF_TYPES
from pandc.mmc.validation import validate
from pandc.responsecodes import DUIS_V54_RESPONSE_CODES
from pandc.testing import build_message

OFFICIAL_FILE = OFFICIAL_XSD / "DUIS Schema V5.4.xsd"
PAYLOAD = build_message(cra="response", message_code=0x0074, payload=b"\x01\x09\x00")
ALERT = build_message(cra="alert", message_code=0x1000, originator="00-DB-12-34-00-00-00-07",
                      payload=b"\x01\x09\x00")


def _body(xml: str) -> etree._Element:
    return etree.fromstring(xml.replace("SR", t.SR))


_B64 = __import__("base64").b64encode(PAYLOAD).decode()


def official_valid(document: bytes) -> None:
    require(OFFICIAL_FILE)
    report = validate(document, "duis", OFFICIAL_XSD)
    assert report.valid, report.errors


def profile_valid(document: bytes) -> None:
    report = validate(document, "duis")
    assert report.valid, report.errors


def test_acknowledgement():
    document = t.acknowledgement("4.1", "4.1.1", device=t.eui(3))
    official_valid(document)
    profile_valid(document)
    response = parse_duis(document)
    assert response.kind == "acknowledgement"
    assert response.body is None and response.values is None
    assert response.response_code.code == "I99" and response.response_code.acknowledgement
    assert response.request_id == f"{t.USER}:{t.eui(3)}:1000"
    assert response.device_id == t.eui(3)
    assert (response.service_reference, response.service_reference_variant) == ("4.1", "4.1.1")
    assert response.response_date_time == datetime(2030, 6, 1, 12, tzinfo=timezone.utc)
    assert response.schema_version == Decimal("5.4")


def test_gbcs_payload_response():
    document = t.gbcs_payload_response(PAYLOAD)
    official_valid(document)
    response = parse_duis(document)
    assert response.kind == "gbcs_payload"
    assert isinstance(response.body, GbcsPayload)
    assert response.payload == PAYLOAD and response.body.element == "GBCSPayload"


def test_precommand_keeps_the_dsp_fields():
    document = t.precommand_response(PAYLOAD, gbcs_version="4.3")
    official_valid(document)
    response = parse_duis(document)
    assert response.kind == "gbcs_payload"
    assert response.body.element == "PreCommand" and response.payload == PAYLOAD
    assert response.body.details.find("GBCSVersion").value == "4.3"


def test_device_alert():
    document = t.device_alert_response(0x8F35, ALERT, throttled=(4, 9))
    official_valid(document)
    response = parse_duis(document)
    assert response.kind == "device_alert"
    body = response.body
    assert isinstance(body, DeviceAlert)
    assert body.code == 0x8F35 and body.code_hex == "8F35"
    assert (body.throttled_alert_sequence_id, body.throttled_alert_count) == (4, 9)
    assert body.payload == ALERT


def test_dcc_alert():
    start = datetime(2099, 12, 31, 23, 59, 59, tzinfo=timezone.utc)
    document = t.dcc_alert_response("N1", start=start, mpxn="1200000000001")
    official_valid(document)
    response = parse_duis(document)
    assert response.kind == "dcc_alert"
    body = response.body
    assert isinstance(body, DccAlert)
    assert body.dcc_alert_code == "N1" and body.event == "PowerOutageEvent"
    assert body.alert.find("StartDateTime").value == start
    assert body.alert.find("MPxN").value == "1200000000001"


@pytest.mark.parametrize("element, content", [
    ("DSPScheduleID", "42"),
    ("DSPUpdateFirmwareWarning",
     "<sr:InvalidDeviceIDList>00-DB-12-34-00-00-00-01,00-DB-12-34-00-00-00-02"
     "</sr:InvalidDeviceIDList>"),
])
def test_other_dsp_bodies_become_typed_trees(element, content):
    sr = t.SR
    body = etree.fromstring(f'<sr:{element} xmlns:sr="{sr}">{content}</sr:{element}>')
    document = t.response(t.response_message("5.1", "5.1", body), request_id=t.request_id(t.DSP))
    official_valid(document)
    response = parse_duis(document)
    assert response.kind == "dsp" and isinstance(response.body, DspBody)
    assert response.body.element == element
    if element == "DSPScheduleID":
        assert response.values.value == 42      # typed: xs:nonNegativeInteger


def test_every_v54_response_code_has_a_meaning_and_e72_is_restricted():
    table = {code.code: code for code in response_code_table()}
    assert list(table)[:len(DUIS_V54_RESPONSE_CODES)] == list(DUIS_V54_RESPONSE_CODES)
    for code in table.values():
        assert code.known and code.meaning
    assert "Restricted" in table["E72"].meaning and table["E72"].kind == "error"
    assert "SRV 8.2" in table["E080201"].meaning
    assert table["W110101"].kind == "warning"
    assert response_code("E999").known is False


def test_response_codes_match_the_official_enumeration():
    require(OFFICIAL_FILE)
    text = OFFICIAL_FILE.read_text(encoding="utf-8")
    block = text[text.index('<xs:simpleType name="ResponseCode">'):]
    block = block[:block.index("</xs:simpleType>")]
    assert tuple(re.findall(r'value="([^"]+)"', block)) == DUIS_V54_RESPONSE_CODES


def test_leaf_type_table_agrees_with_the_official_xsd():
    """Each name the generic reader types is declared with that type wherever DUIS V5.4 has it
    (as an xs: type or an sr: type deriving from it)."""
    require(OFFICIAL_FILE)
    text = OFFICIAL_FILE.read_text(encoding="utf-8")
    derived = {"sr:scheduleID": "xs:integer", "sr:floorSequenceNumber": "xs:integer",
               "sr:UPRN": "xs:integer", "sr:SHA1": "xs:base64Binary",
               "sr:Certificate": "xs:base64Binary", "xs:unsignedInt": "xs:integer",
               "xs:unsignedShort": "xs:integer", "xs:nonNegativeInteger": "xs:integer"}
    assert "FutureDatedAlertCode" in LEAF_TYPES    # declared with an inline simple type
    for name, (xsd_type, _) in LEAF_TYPES.items():
        declared = set()
        for found in re.finditer(rf'<xs:element\b([^>]*?\bname="{name}"[^>]*?)(/?)>', text):
            typed = re.search(r'type="([^"]+)"', found.group(1))
            if typed:
                declared.add(typed.group(1))
            else:   # an inline simple type: its restriction base
                base = re.search(r'<xs:restriction base="([^"]+)"', text[found.end():])
                declared.add(base.group(1))
        if name == "Restricted":
            assert not declared          # MP169 addition, not in V5.4
            continue
        assert declared, name
        assert {derived.get(d, d) for d in declared} == {xsd_type}, (name, declared)


def test_duis_record_for_decode():
    response = parse_duis(t.device_alert_response(0x8F35, ALERT))
    record = duis_record(response, "alerts.xml:2")
    assert record["response_code"] == "I0"
    assert record["response_code_meaning"].startswith("success")
    assert record["request_id"] is None and record["response_id"].startswith(t.eui(1))
    assert record["body"]["DeviceAlertMessage"]["AlertCode"] == "8F35"
    json.dumps(record)


def test_sources_bytes_text_path_and_file_objects(tmp_path):
    document = t.acknowledgement()
    path = tmp_path / "ack.xml"
    path.write_bytes(document)
    with open(path, "rb") as binary, open(path, encoding="utf-8") as text:
        sources = [document, document.decode(), path, str(path), binary, text]
        for source in sources:
            (response,) = list(iter_duis(source))
            assert response.response_code.code == "I99", source
    (missing,) = list(iter_duis(tmp_path / "absent.xml"))
    assert isinstance(missing, DuisError) and "cannot read" in str(missing)


def test_a_batch_goes_on_past_a_bad_response():
    good = t.acknowledgement().split(b"?>", 1)[1]
    bad = good.replace(b"<sr:ResponseCode>I99</sr:ResponseCode>", b"")
    document = b"<Batch>" + good + bad + good + b"</Batch>"
    items = list(iter_duis(document))
    assert [type(i).__name__ for i in items] == ["DuisResponse", "DuisError", "DuisResponse"]
    assert "sr:Header" in str(items[1]) and "missing sr:ResponseCode" in str(items[1])


@pytest.mark.parametrize("document, words", [
    (b"<?xml version='1.0'?><!DOCTYPE r [<!ENTITY a 'aaaa'><!ENTITY b '&a;&a;&a;&a;'>]>"
     b"<r>&b;</r>", "DOCTYPE"),
    (b'<?xml version="1.0"?><!DOCTYPE r SYSTEM "http://example.invalid/x.dtd"><r/>', "DOCTYPE"),
    (b"<sr:Response xmlns:sr='" + t.SR.encode() + b"' schemaVersion='5.4'><sr:Header>",
     "malformed XML"),
    (b"<html><body>hello</body></html>", "root element 'html'"),
    (t.acknowledgement().replace(b"<sr:ServiceReference>", b"<sr:Bogus/><sr:ServiceReference>"),
     "sr:ResponseMessage"),
    (t.acknowledgement().replace(b"2030-06-01T12:00:00Z", b"yesterday"),
     "sr:ResponseDateTime"),
    (t.device_alert_response(0x8F35, ALERT).replace(b"8F35", b"8F3"), "sr:AlertCode"),
    (t.gbcs_payload_response(PAYLOAD).replace(b"<sr:GBCSPayload>", b"<sr:GBCSPayload>*"),
     "sr:GBCSPayload"),
    (t.acknowledgement().replace(b' schemaVersion="5.4"', b""), "schemaVersion"),
    (t.acknowledgement().replace(b"<sr:Body>", b"<sr:Body><sr:Extra/>"), "sr:Body"),
])
def test_hostile_or_malformed_xml_is_a_pandc_error_naming_the_place(document, words):
    with pytest.raises(PandcError) as caught:
        parse_duis(document)
    assert isinstance(caught.value, DuisError)
    assert words in str(caught.value)


def test_deep_nesting_is_refused_without_recursion():
    deep = b"<sr:A>" * 5000 + b"</sr:A>" * 5000
    document = t.acknowledgement().replace(b"</sr:ResponseMessage>",
                                           b"<sr:DSPScheduleID>" + deep +
                                           b"</sr:DSPScheduleID></sr:ResponseMessage>")
    with pytest.raises(PandcError):
        parse_duis(document)


_RSS_SCRIPT = textwrap.dedent("""
    import resource, sys
    from pandc import iter_duis
    count = sum(1 for item in iter_duis(sys.argv[1]) if not isinstance(item, Exception))
    # VmHWM is this process's own peak (ru_maxrss survives exec: it would report the peak
    # of the pytest process that forked us).
    try:
        with open("/proc/self/status") as status:
            peak = next(int(line.split()[1]) for line in status if line.startswith("VmHWM:"))
    except (OSError, StopIteration):
        peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    print(count, peak)
""")


def _peak_rss_kib(path) -> tuple[int, int]:
    result = subprocess.run([sys.executable, "-c", _RSS_SCRIPT, str(path)], check=True,
                            capture_output=True, text=True)
    count, peak = result.stdout.split()
    return int(count), int(peak)


def test_streaming_memory_stays_flat(tmp_path):
    device = {"device_id": t.eui(1), "device_type": "ESME", "device_status": "Commissioned",
              "import_mpxn": "1200000000001", "firmware_version": "0102"}
    one = t.inventory_response([device] * 17).split(b"?>", 1)[1]
    small, large = tmp_path / "small.xml", tmp_path / "large.xml"
    for path, count in ((small, 20), (large, 8_000)):
        with open(path, "wb") as stream:
            stream.write(b"<Batch>")
            for _ in range(count):
                stream.write(one)
            stream.write(b"</Batch>")
    size = large.stat().st_size
    assert size > 20_000_000
    small_count, small_peak = _peak_rss_kib(small)
    large_count, large_peak = _peak_rss_kib(large)
    assert (small_count, large_count) == (20, 8_000)
    # A tree of the large file would cost several times its size; flat reading costs a few
    # MiB more than the small file. 40 MiB is generous.
    print(f"peak RSS {small_peak} KiB small, {large_peak} KiB for {size} bytes")
    assert large_peak - small_peak < 40 * 1024, (small_peak, large_peak, size)


@pytest.mark.parametrize("build", [
    lambda: t.acknowledgement(),
    lambda: t.gbcs_payload_response(PAYLOAD),
    lambda: t.precommand_response(PAYLOAD),
    lambda: t.device_alert_response(0x8F35, ALERT, throttled=(1, 2)),
    lambda: t.inventory_response([{"device_id": t.eui(1), "device_type": "ESME",
                                   "device_status": "Commissioned", "import_mpxn": "1"}]),
    lambda: t.wan_matrix_response([{"region": "North", "available": False,
                                    "date": datetime(2099, 1, 1).date()}]),
    lambda: t.dcc_alert_response("N1"),
    lambda: t.response(t.response_message("5.1", "5.1", _body(
        '<sr:DSPScheduleID xmlns:sr="SR">42</sr:DSPScheduleID>')),
        request_id=t.request_id(t.DSP)),
    lambda: t.response(t.response_message("9.1", "9.1", _body(
        f'<sr:CINMessage xmlns:sr="SR"><sr:GBCSPayload>{_B64}</sr:GBCSPayload>'
        "<sr:CustomerIdentificationNumber>0123</sr:CustomerIdentificationNumber>"
        "</sr:CINMessage>")), request_id=t.request_id(t.eui(1))),
])
def test_official_documents_stay_valid_against_the_bundled_profile(build):
    document = build()
    official_valid(document)
    profile_valid(document)



@pytest.mark.parametrize("reference, variant, xml, kind, element", [
    ("1.1", "1.1.1", f'<sr:LocalCommand xmlns:sr="SR"><sr:GBCSPayload>{_B64}</sr:GBCSPayload>'
                     "</sr:LocalCommand>", "gbcs_payload", "LocalCommand"),
    ("1.1", "1.1.1", '<sr:FutureDatedDeviceAlertMessage xmlns:sr="SR"><sr:FutureDatedAlertCode>'
                     f"8F66</sr:FutureDatedAlertCode><sr:GBCSPayload>{_B64}</sr:GBCSPayload>"
                     "<sr:InstructionNumber>1</sr:InstructionNumber><sr:TotalCommandInstructions>"
                     "2</sr:TotalCommandInstructions></sr:FutureDatedDeviceAlertMessage>",
     "gbcs_payload", "FutureDatedDeviceAlertMessage"),
    ("9.1", "9.1", f'<sr:CINMessage xmlns:sr="SR"><sr:GBCSPayload>{_B64}</sr:GBCSPayload>'
                   "<sr:CustomerIdentificationNumber>0123</sr:CustomerIdentificationNumber>"
                   "</sr:CINMessage>", "gbcs_payload", "CINMessage"),
    ("4.6", "4.6.1", f'<sr:DSPScheduledMessage xmlns:sr="SR"><sr:GBCSPayload>{_B64}'
                     "</sr:GBCSPayload><sr:DSPScheduleID>7</sr:DSPScheduleID>"
                     "</sr:DSPScheduledMessage>", "gbcs_payload", "DSPScheduledMessage"),
    ("6.8", "6.8", '<sr:DSPOptIn xmlns:sr="SR"><sr:DeviceID>00-DB-12-34-00-00-00-01</sr:DeviceID>'
                   "<sr:DSPBrokerSecurityCredentialsKeyAgreement>AAEC"
                   "</sr:DSPBrokerSecurityCredentialsKeyAgreement></sr:DSPOptIn>",
     "dsp", "DSPOptIn"),
])
def test_every_other_response_message_body(reference, variant, xml, kind, element):
    document = t.response(t.response_message(reference, variant, _body(xml)),
                          request_id=t.request_id(t.eui(1)))
    official_valid(document)
    response = parse_duis(document)
    assert response.kind == kind and response.body.element == element
    if kind == "gbcs_payload":
        assert response.payload == PAYLOAD
        assert (response.body.details is None) == (element == "LocalCommand")
    if element == "CINMessage":
        assert response.body.details.find("CustomerIdentificationNumber").value == "0123"
    if element == "FutureDatedDeviceAlertMessage":
        assert response.body.details.find("FutureDatedAlertCode").value == b"\x8f\x66"
        assert response.body.details.find("InstructionNumber").value == 1
    if element == "DSPOptIn":
        key = response.body.values.find("DSPBrokerSecurityCredentialsKeyAgreement")
        assert key.value == b"\x00\x01\x02"


def test_unknown_device_status_is_read_with_a_warning():
    document = t.inventory_response([{"device_id": t.eui(1), "device_type": "ESME",
                                      "device_status": "Dormant"}])
    response = parse_duis(document)
    assert response.body.devices[0].device_status == "Dormant"
    assert any("'Dormant' is not a DUIS V5.4 device status" in w for w in response.warnings)


def test_a_response_larger_than_the_bound_is_refused(monkeypatch):
    from pandc.duis import responses
    monkeypatch.setattr(responses, "MAX_BYTES_PER_RESPONSE", 100_000)
    monkeypatch.setattr(responses, "_CHUNK", 4096)
    small = t.acknowledgement().split(b"?>", 1)[1]
    big = t.gbcs_payload_response(bytes(200_000)).split(b"?>", 1)[1]
    items = list(iter_duis(b"<Batch>" + small + big + small + b"</Batch>"))
    assert type(items[0]).__name__ == "DuisResponse"
    assert isinstance(items[-1], DuisError) and "without a complete sr:Response" in str(items[-1])


def test_codes_without_a_found_text_keep_the_generic_meaning():
    """E31-E71 and the SRV-specific codes: no DUIS text was found for them (pandc/duis/codes.py),
    so each meaning is the one the code's structure gives, never invented prose."""
    for code in DUIS_V54_RESPONSE_CODES:
        digits = code[1:]
        meaning = response_code(code).meaning
        if len(digits) == 6:
            srv = f"{int(digits[:2])}.{int(digits[2:4])}"
            kind = {"E": "error", "W": "warning"}[code[0]]
            assert meaning.startswith(f"{kind} {digits[4:]} specific to SRV {srv} "), code
        elif code[0] == "E" and 31 <= int(digits) <= 71 and code != "E72":
            assert meaning.startswith(f"generic DUIS error {code} "), code
            assert "response code table" in meaning, code
