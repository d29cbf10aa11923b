"""MMC rendering: header order and values, GBCSData parts, SECMP0015 timestamps, validity."""
from __future__ import annotations

import base64
import dataclasses
import re
from datetime import datetime, timezone
from pathlib import Path

import pytest
from lxml import etree

import pandc
from pandc import registry
from pandc.mmc.render import (
    MMC_NAMESPACE, SERVICE_REFERENCE_VARIANTS, SERVICE_REFERENCES, MMCRenderError,
    format_date_time, service_reference_fields, to_mmc, whole_payload_type,
)
from pandc.codec.parts import PayloadPart
from pandc.testing import build_message
from pandc.mmc.validation import validate

from conftest import KEYSTORE, OFFICIAL_XSD, RTDS, require  # noqa: E402  (honours PANDC_SHARED)
RA = "{%s}" % MMC_NAMESPACE

# MMC HeaderType, in schema order (FACTS section 6).
HEADER_ORDER = [
    "BusinessOriginatorID", "BusinessTargetID", "OriginatorCounter",
    "SupplementaryRemotePartyID", "SupplementaryRemotePartyCounter",
    "SupplementaryOriginatorCounter", "GBCSHexadecimalMessageCode", "ServiceReference",
    "ServiceReferenceVariant", "Timestamp",
]
SECMP0015_FOLDERS = ["4.1.1_GCS13a", "4.1.2_GCS13c", "4.1.4_GCS13b", "4.3_GCS14", "4.18_GCS60a"]


def _need(path: Path) -> Path:
    return require(path)


def _responses_and_alerts(keys=None) -> list[tuple[Path, pandc.Message]]:
    """Every RTDS response and alert, decoded (the CRA flag decides, not the file name)."""
    found = []
    for path in sorted(_need(RTDS).glob("*/*.HEX")):
        message = pandc.decode(path.read_text(), keys=keys)
        if message.cra in ("response", "alert"):
            found.append((path, message))
    assert found, "no responses or alerts under RTDS"
    return found


@pytest.fixture(scope="module")
def rtds_messages() -> list[tuple[Path, pandc.Message]]:
    return _responses_and_alerts()


@pytest.fixture(scope="module")
def rtds_messages_with_keys() -> list[tuple[Path, pandc.Message]]:
    """Decoded with the RTDS test keys: encrypted parts decrypted, so SMETSData appears."""
    from pandc.security import KeyStore
    return _responses_and_alerts(KeyStore(_need(KEYSTORE)))


def _local(element: etree._Element) -> str:
    return etree.QName(element).localname


def _header(document: etree._Element) -> dict[str, etree._Element]:
    return {_local(child): child for child in document.find(RA + "Header")}


def test_every_rtds_response_and_alert_is_valid_against_the_bundled_profile(rtds_messages):
    failures = []
    for path, message in rtds_messages:
        report = validate(to_mmc(message))
        if not report.valid:
            failures.append(f"{path.name}: {report.errors[0]}")
    assert not failures, "\n".join(failures[:20])


def test_every_rtds_response_and_alert_is_valid_against_the_official_mmc_schema(rtds_messages):
    _need(OFFICIAL_XSD / "MMC Schema V5.4.xsd")
    failures = []
    for path, message in rtds_messages:
        report = validate(to_mmc(message), "mmc", schema_dir=OFFICIAL_XSD)
        if not report.valid:
            failures.append(f"{path.name}: {report.errors[0]}")
    assert not failures, "\n".join(failures[:20])


def test_decrypted_rtds_with_use_case_content_is_valid_against_profile_and_official(
        rtds_messages_with_keys):
    _need(OFFICIAL_XSD / "MMC Schema V5.4.xsd")
    failures = []
    decoded = set()
    for path, message in rtds_messages_with_keys:
        document = to_mmc(message)
        response = etree.fromstring(document).find(f"{RA}Body/{RA}ResponseMessage")
        if response is not None:
            decoded.update(_local(child) for child in response
                           if _local(child) in ("SMETSData", "DebugInfo"))
        for schema_dir in (None, OFFICIAL_XSD):
            report = validate(document, "mmc", schema_dir=schema_dir)
            if not report.valid:
                failures.append(f"{path.name} ({schema_dir or 'profile'}): {report.errors[0]}")
    assert not failures, "\n".join(failures[:20])
    assert decoded == {"SMETSData", "DebugInfo"}


@pytest.mark.parametrize("folder", SECMP0015_FOLDERS)
def test_secmp0015_successes_carry_smets_data_once_decrypted(folder, rtds_messages_with_keys):
    successes = [(path, message) for path, message in rtds_messages_with_keys
                 if path.parent.name == folder and "_SUCCESS_" in path.name]
    assert successes
    for path, message in successes:
        response = etree.fromstring(to_mmc(message)).find(f"{RA}Body/{RA}ResponseMessage")
        smets = response.find(RA + "SMETSData")
        assert smets is not None and len(smets) == 1, path.name


def test_malformed_use_case_content_is_a_warning_and_the_first_pass_stands():
    message = pandc.decode(build_message(message_code=0x0074, payload=bytes.fromhex("0109010000"),
                                         date_time=datetime(2021, 1, 1, tzinfo=timezone.utc)))
    assert message.values is None
    assert any("GCS13a: values not decoded" in w for w in message.warnings)
    document = to_mmc(message)
    assert b"GBCSData" in document and b"SMETSData" not in document
    assert validate(document).valid


def test_header_fields_follow_the_message_in_schema_order(rtds_messages):
    for path, message in rtds_messages:
        document = etree.fromstring(to_mmc(message))
        assert document.get("schemaVersion") == "5.4"
        names = [_local(child) for child in document.find(RA + "Header")]
        assert names == sorted(names, key=HEADER_ORDER.index), path.name
        header = _header(document)
        assert header["BusinessOriginatorID"].text == message.originator
        assert header["BusinessTargetID"].text == message.recipient
        assert int(header["OriginatorCounter"].text) == message.originator_counter
        assert int(header["GBCSHexadecimalMessageCode"].text, 16) == message.message_code
        assert ("Timestamp" in header) == (message.date_time is not None), path.name


def test_body_is_response_message_or_device_alert_message(rtds_messages):
    kinds = set()
    for path, message in rtds_messages:
        body = etree.fromstring(to_mmc(message)).find(RA + "Body")
        (content,) = list(body)
        expected = "ResponseMessage" if message.cra == "response" else "DeviceAlertMessage"
        assert _local(content) == expected, path.name
        kinds.add(expected)
    assert kinds == {"ResponseMessage", "DeviceAlertMessage"}


def _expected_type(part: PayloadPart) -> str:
    if part.kind == "gbz":
        return "zigbeeCiphered" if part.encrypted else "zigbeePlain"
    return {"dlms": "dlms", "asn1": "gbcs"}[part.kind]


def test_gbcs_data_carries_each_payload_part_as_received(rtds_messages):
    saw_encrypted = False
    for path, message in rtds_messages:
        content = etree.fromstring(to_mmc(message)).find(RA + "Body")[0]
        data = content.findall(RA + "GBCSData")
        if not message.parts:
            assert len(data) == 1
            assert base64.b64decode(data[0].text) == message.payload
            continue
        assert len(data) == len(message.parts), path.name
        for sequence, (element, part) in enumerate(zip(data, message.parts), start=1):
            assert base64.b64decode(element.text) == part.data
            assert element.get("sequence") == str(sequence)
            assert element.get("name") == part.name
            assert element.get("type") == _expected_type(part)
            assert element.get("format") == ("encrypted" if part.encrypted else "plain")
            saw_encrypted |= part.encrypted
    assert saw_encrypted, "RTDS holds encrypted parts; none reached GBCSData"


def test_unsplit_payload_goes_as_one_part_typed_by_its_first_bytes():
    assert whole_payload_type(bytes.fromhex("0109010203")) == "zigbeePlain"
    for first in ("DA", "D9", "0F"):
        assert whole_payload_type(bytes.fromhex(first + "0102")) == "dlms"
    assert whole_payload_type(bytes.fromhex("3003020101")) == "gbcs"
    assert whole_payload_type(b"") == "gbcs"
    message = dataclasses.replace(pandc.decode(build_message(payload=bytes.fromhex("DA0102"))),
                                  parts=())
    (element,) = etree.fromstring(to_mmc(message)).iter(RA + "GBCSData")
    assert (element.get("format"), element.get("sequence"), element.get("type")) == (
        "plain", "1", "dlms")
    assert base64.b64decode(element.text) == bytes.fromhex("DA0102")


@pytest.mark.parametrize("folder", SECMP0015_FOLDERS)
def test_secmp0015_vectors_carry_the_scenario_timestamp_attributes(folder):
    responses = sorted(_need(RTDS / folder).glob("*_SUCCESS_*RESPONSE_GBCS.HEX"))
    assert responses
    for path in responses:
        scenario = path.name.split("_SUCCESS_", 1)[1].rsplit("_RESPONSE", 1)[0]
        message = pandc.decode(path.read_text())
        timestamp = _header(etree.fromstring(to_mmc(message)))["Timestamp"]
        if scenario.startswith("RELIABLE_GSME"):
            expected = {"isFromGSME": "true", "ClockStatus": "reliable"}
        elif scenario.startswith("RELIABLE_GPF"):
            expected = {"isFromGSME": "false", "ClockStatus": "reliable"}
        elif scenario.startswith("UNRELIABLE"):
            # RTDS names one GCS60a vector UNRELIABLE_GSME although its time status (0x02)
            # says GPF: only the reliability is in the scenario name for sure.
            expected = {"ClockStatus": "unreliable"}
        else:
            pytest.fail(f"unexpected SECMP0015 scenario {scenario!r} in {path.name}")
        for attribute, value in expected.items():
            assert timestamp.get(attribute) == value, (path.name, attribute)
        assert timestamp.get("isFromGSME") == ("true" if message.time_status & 0x04 else "false")
        assert timestamp.text == format_date_time(message.date_time)


def _without_timestamp(document: bytes) -> bytes:
    tree = etree.fromstring(document)
    timestamp = tree.find(f"{RA}Header/{RA}Timestamp")
    assert timestamp is not None
    timestamp.getparent().remove(timestamp)
    return etree.tostring(tree, xml_declaration=True, encoding="UTF-8")


def test_gcs60a_without_timestamp_fails_the_bundled_profile():
    path = _need(RTDS / "4.18_GCS60a" / "GCS60a_4.18_SUCCESS_RELIABLE_GSME_RESPONSE_GBCS.HEX")
    document = to_mmc(pandc.decode(path.read_text()))
    assert validate(document).valid
    report = validate(_without_timestamp(document))
    assert not report.valid
    (issue,) = report.errors
    assert "SECMP0015" in issue.message and issue.path == "/ra:GBCSResponse"


@pytest.mark.parametrize("code", [0x0074, 0x00B8, 0x00B6, 0x0075, 0x012A])
def test_every_secmp0015_message_code_requires_a_timestamp(code):
    stamped = build_message(message_code=code, date_time=datetime(2021, 3, 4, 5, 6, 7,
                                                                  tzinfo=timezone.utc))
    document = to_mmc(pandc.decode(stamped))
    assert validate(document).valid
    assert not validate(_without_timestamp(document)).valid
    assert not validate(to_mmc(pandc.decode(build_message(message_code=code)))).valid


def test_gcs60_without_timestamp_is_valid():
    paths = sorted(_need(RTDS / "4.18_GCS60").glob("*_RESPONSE_GBCS.HEX"))
    assert paths
    for path in paths:
        message = pandc.decode(path.read_text())
        assert message.message_code == 0x008D and message.date_time is None
        document = to_mmc(message)
        assert "Timestamp" not in _header(etree.fromstring(document))
        assert validate(document).valid, path.name


def test_unspecified_time_status_writes_no_timestamp_attributes():
    moment = datetime(2022, 6, 30, 23, 59, 58, 250000, tzinfo=timezone.utc)
    message = pandc.decode(build_message(date_time=moment, time_status=0xFF))
    timestamp = _header(etree.fromstring(to_mmc(message)))["Timestamp"]
    assert timestamp.attrib == {}
    assert timestamp.text == "2022-06-30T23:59:58.25Z"


@pytest.mark.parametrize("status,from_gsme,clock", [
    (0x00, "false", "reliable"), (0x04, "true", "reliable"), (0x02, "false", "unreliable"),
    (0x06, "true", "unreliable"), (0x01, "false", "invalid"), (0x07, "true", "invalid"),
])
def test_time_status_bits_become_timestamp_attributes(status, from_gsme, clock):
    moment = datetime(2030, 1, 2, 3, 4, 5, tzinfo=timezone.utc)
    message = pandc.decode(build_message(date_time=moment, time_status=status))
    document = to_mmc(message)
    timestamp = _header(etree.fromstring(document))["Timestamp"]
    assert (timestamp.get("isFromGSME"), timestamp.get("ClockStatus")) == (from_gsme, clock)
    assert validate(document).valid


def test_supplementary_fields_are_written_in_order_and_valid():
    raw = build_message(message_code=0x0074, supplementary_remote_party_id="90-B3-D5-1F-30-01-00-07",
                        supplementary_remote_party_counter=2**64 - 1,
                        supplementary_originator_counter=42,
                        date_time=datetime(2024, 2, 29, tzinfo=timezone.utc))
    message = pandc.decode(raw)
    document = to_mmc(message)
    header = _header(etree.fromstring(document))
    assert header["SupplementaryRemotePartyID"].text == "90-B3-D5-1F-30-01-00-07"
    assert header["SupplementaryRemotePartyCounter"].text == str(2**64 - 1)
    assert header["SupplementaryOriginatorCounter"].text == "42"
    assert validate(document).valid
    if (OFFICIAL_XSD / "MMC Schema V5.4.xsd").exists():
        assert validate(document, schema_dir=OFFICIAL_XSD).valid


def test_output_is_deterministic_utf8_and_namespace_clean(rtds_messages):
    for path, message in rtds_messages[::17]:
        first = to_mmc(message)
        assert first == to_mmc(message) == to_mmc(pandc.decode(path.read_text()))
        assert first.startswith(b"<?xml version='1.0' encoding='UTF-8'?>")
        first.decode("utf-8")
        assert first.count(b"xmlns") == 1
        document = etree.fromstring(first)
        assert document.nsmap == {"ra": MMC_NAMESPACE}
        assert all(element.tag.startswith(RA) for element in document.iter())
        assert all(not etree.QName(name).namespace
                   for element in document.iter() for name in element.attrib)


def test_commands_are_not_rendered():
    command = pandc.decode(build_message(cra="command", message_code=0x0074))
    with pytest.raises(MMCRenderError, match="command"):
        to_mmc(command)


def test_more_than_100_parts_is_refused_with_a_clear_error():
    message = pandc.decode(build_message(message_code=0x008D, payload=bytes.fromhex("DA00")))
    part = PayloadPart(kind="dlms", encrypted=False, data=b"\xDA", plaintext=b"\xDA", name="p")
    with pytest.raises(MMCRenderError, match="101 payload parts"):
        to_mmc(dataclasses.replace(message, parts=(part,) * 101))
    assert validate(to_mmc(dataclasses.replace(message, parts=(part,) * 100))).valid


def test_smets_data_is_the_value_tree_and_stays_namespace_clean():
    import dataclasses
    from pandc.values import leaf, node
    raw = build_message(message_code=0x012A, originator_counter=7,
                        date_time=datetime(2021, 1, 1, tzinfo=timezone.utc))
    message = pandc.decode(raw)
    tree_values = node("ReadMeterBalanceRsp", leaf("MeterBalance", message.originator_counter),
                       MessageSuccess=True)
    document = to_mmc(dataclasses.replace(message, values=tree_values))
    assert document.count(b"xmlns") == 1
    tree = etree.fromstring(document)
    balance = tree.find(f"{RA}Body/{RA}ResponseMessage/{RA}SMETSData/{RA}ReadMeterBalanceRsp/"
                        f"{RA}MeterBalance")
    assert balance is not None and balance.text == "7"
    assert validate(document).valid
    if (OFFICIAL_XSD / "MMC Schema V5.4.xsd").exists():
        assert validate(document, schema_dir=OFFICIAL_XSD).valid


@pytest.mark.parametrize("variant,expected", [
    ("4.1.1", ("4.1", "4.1.1")),
    ("4.18", ("4.18", "4.18")),
    ("8.14.1", ("8.14", "8.14.1")),
    ("6.2.10", ("6.2", "6.2.10")),
    ("11.2", ("11.2", "11.2")),
    ("8.8.1;8.8.2", ("8.8", None)),
    ("1.1.1;1.2.1;1.6", (None, None)),
    ("4.99", (None, None)),
    ("99.1.1", (None, None)),
    (None, (None, None)),
])
def test_service_reference_fields(variant, expected):
    assert service_reference_fields(variant) == expected


def test_every_registered_srv_gives_schema_values_and_agrees_with_message():
    written = 0
    for info in registry.MESSAGE_CODES.values():
        for variant in info.service_reference_variants:
            reference, single = service_reference_fields(variant)
            assert single == variant and reference in SERVICE_REFERENCES, variant
            written += 1
            message = pandc.decode(build_message(message_code=info.code))
            if message.service_reference_variant == variant:
                assert message.service_reference == reference
    assert written > 100


def _enumeration(schema_text: str, type_name: str) -> set[str]:
    block = re.search(r'<xs:simpleType name="%s">(.*?)</xs:simpleType>' % type_name,
                      schema_text, re.S)
    assert block, type_name
    return set(re.findall(r'value="([^"]+)"', block.group(1)))


def test_service_reference_lists_match_the_official_mmc_enumerations():
    official = _need(OFFICIAL_XSD / "MMC Schema V5.4.xsd").read_text(encoding="utf-8")
    assert _enumeration(official, "ServiceReference") == SERVICE_REFERENCES
    assert _enumeration(official, "ServiceReferenceVariant") == SERVICE_REFERENCE_VARIANTS


def test_debug_info_writes_one_protocol_and_never_mixes():
    from pandc.mmc.render import debug_info_element
    from pandc.usecases.base import Failure
    zigbee = Failure("zigbee", 0x86, "UNSUPPORTED_ATTRIBUTE", cluster_id=0x0702, attribute_id=0)
    cosem = Failure("cosem", 11, "object-unavailable", kind="get", position=2)
    asn1 = Failure("asn1", 5, "writeFailure", element="joinResponseCode")
    assert debug_info_element((asn1,)) is None
    info = debug_info_element((asn1, cosem, zigbee))
    assert [child.tag.split("}")[1] for child in info] == ["COSEMDebug"]
    assert len(info[0]) == 1                       # the ZigBee status is not written as COSEM
    info = debug_info_element((zigbee, cosem))
    assert [child.tag.split("}")[1] for child in info] == ["ZIGBEEDebug"]
    assert len(info.findall(".//{*}ZIGBEEDataResponse")) == 1
    assert info.find(".//{*}COSEMResponse") is None
