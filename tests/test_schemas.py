"""The bundled MMC and DUIS profiles: MP169 additions, SECMP0015 rule, agreement with DUIS V5.4."""
from __future__ import annotations

import base64
import re
from pathlib import Path

import pytest
import xmlschema
from lxml import etree

import pandc
from pandc.responsecodes import (
    DUIS_V54_RESPONSE_CODES, RESTRICTED_RESPONSE_CODE, RESTRICTED_RESPONSE_CODE_BY_DUIS_VERSION,
    RESTRICTED_RESPONSE_CODE_ENV, is_restricted_rejection, restricted_response_code,
)
from pandc.mmc.validation import BUNDLED_SCHEMA_FILES, bundled_schema_dir, validate

from conftest import OFFICIAL_XSD, RTDS, require

SR = "http://www.dccinterface.co.uk/ServiceUserGateway"
XS = "{http://www.w3.org/2001/XMLSchema}"

SIGNATURE = """
  <ds:Signature xmlns:ds="http://www.w3.org/2000/09/xmldsig#">
    <ds:SignedInfo>
      <ds:CanonicalizationMethod Algorithm="http://www.w3.org/2001/10/xml-exc-c14n#"/>
      <ds:SignatureMethod Algorithm="http://www.w3.org/2001/04/xmldsig-more#ecdsa-sha256"/>
      <ds:Reference URI="">
        <ds:Transforms>
          <ds:Transform Algorithm="http://www.w3.org/2000/09/xmldsig#enveloped-signature"/>
        </ds:Transforms>
        <ds:DigestMethod Algorithm="http://www.w3.org/2001/04/xmlenc#sha256"/>
        <ds:DigestValue>AAAA</ds:DigestValue>
      </ds:Reference>
    </ds:SignedInfo>
    <ds:SignatureValue>AAAA</ds:SignatureValue>
  </ds:Signature>"""


def duis_response(body: str, code: str = "I0", signed: bool = False,
                  request_id: str = "90-B3-D5-1F-30-01-00-00:00-DB-12-34-56-78-90-A3:1000") -> bytes:
    return f"""<?xml version="1.0" encoding="UTF-8"?>
<sr:Response xmlns:sr="{SR}" schemaVersion="5.4">
  <sr:Header>
    <sr:RequestID>{request_id}</sr:RequestID>
    <sr:ResponseID>{request_id}</sr:ResponseID>
    <sr:ResponseCode>{code}</sr:ResponseCode>
    <sr:ResponseDateTime>2025-11-23T15:19:00Z</sr:ResponseDateTime>
  </sr:Header>
  <sr:Body>{body}
  </sr:Body>{SIGNATURE if signed else ""}
</sr:Response>
""".encode()


def response_message(reference: str, variant: str, content: str = "") -> str:
    return f"""
    <sr:ResponseMessage>
      <sr:ServiceReference>{reference}</sr:ServiceReference>
      <sr:ServiceReferenceVariant>{variant}</sr:ServiceReferenceVariant>{content}
    </sr:ResponseMessage>"""


def inventory_device(restricted: str | None = None, device_id: str = "00-DB-12-34-56-78-90-A3"
                     ) -> str:
    flag = f"\n          <sr:Restricted>{restricted}</sr:Restricted>" if restricted else ""
    return f"""
        <sr:Device>
          <sr:DeviceID>{device_id}</sr:DeviceID>
          <sr:DeviceType>GSME</sr:DeviceType>
          <sr:DeviceStatus>Commissioned</sr:DeviceStatus>
          <sr:DeviceManufacturer>Acme Meters</sr:DeviceManufacturer>
          <sr:DeviceModel>G4</sr:DeviceModel>
          <sr:DeviceFirmwareVersion>01020304</sr:DeviceFirmwareVersion>
          <sr:ImportMPxN>1234567890</sr:ImportMPxN>
          <sr:CSPRegion>North</sr:CSPRegion>{flag}
        </sr:Device>"""


def read_inventory(*devices: str) -> bytes:
    inventory = "\n      <sr:DSPInventory>" + "".join(devices) + "\n      </sr:DSPInventory>"
    return duis_response(response_message("8.2", "8.2", inventory))


def _official(kind: str) -> Path:
    name = {"mmc": "MMC Schema V5.4.xsd", "duis": "DUIS Schema V5.4.xsd"}[kind]
    require(OFFICIAL_XSD / name)
    return OFFICIAL_XSD


def _rtds_payload(pattern: str) -> str:
    paths = sorted(require(RTDS).glob(pattern))
    if not paths:
        pytest.fail(f"no RTDS vector matches {pattern}")
    return base64.b64encode(bytes.fromhex(paths[0].read_text().strip())).decode()


def _enumeration(schema: Path, type_name: str) -> list[str]:
    tree = etree.parse(str(schema), etree.XMLParser(resolve_entities=False, no_network=True,
                                                   load_dtd=False))
    (simple_type,) = tree.getroot().findall(f"{XS}simpleType[@name='{type_name}']")
    return [e.get("value") for e in simple_type.iter(f"{XS}enumeration")]


@pytest.mark.parametrize("kind", sorted(BUNDLED_SCHEMA_FILES))
def test_bundled_profiles_are_xsd11_schemas_that_compile(kind):
    path = bundled_schema_dir() / BUNDLED_SCHEMA_FILES[kind]
    schema = xmlschema.XMLSchema11(str(path), allow="local")
    assert schema.target_namespace == {"mmc": "http://www.dccinterface.co.uk/ResponseAndAlert",
                                       "duis": SR}[kind]


def test_duis_profile_response_codes_are_v54_plus_restricted():
    codes = _enumeration(bundled_schema_dir() / BUNDLED_SCHEMA_FILES["duis"], "ResponseCode")
    assert codes == [*DUIS_V54_RESPONSE_CODES, RESTRICTED_RESPONSE_CODE]
    assert RESTRICTED_RESPONSE_CODE not in DUIS_V54_RESPONSE_CODES


def test_v54_response_code_list_matches_the_official_duis_schema():
    official = _official("duis") / "DUIS Schema V5.4.xsd"
    assert _enumeration(official, "ResponseCode") == list(DUIS_V54_RESPONSE_CODES)


def test_profiles_use_the_official_service_reference_enumerations():
    mmc = _official("mmc") / "MMC Schema V5.4.xsd"
    for kind in ("mmc", "duis"):
        bundled = bundled_schema_dir() / BUNDLED_SCHEMA_FILES[kind]
        for type_name in ("ServiceReference", "ServiceReferenceVariant"):
            assert _enumeration(bundled, type_name) == _enumeration(mmc, type_name)


def test_restricted_code_e72_is_valid_in_the_profile_and_not_in_official_v54():
    document = duis_response(response_message("4.1", "4.1.1"), code="E72")
    assert validate(document, "duis").valid
    report = validate(document, "duis", schema_dir=_official("duis"))
    assert not report.valid
    assert [issue.path for issue in report.errors] == ["/sr:Response/sr:Header/sr:ResponseCode"]


def test_unknown_response_code_is_invalid_in_the_profile():
    report = validate(duis_response(response_message("4.1", "4.1.1"), code="E73"), "duis")
    assert not report.valid
    assert report.errors[0].path == "/sr:Response/sr:Header/sr:ResponseCode"


def test_read_inventory_with_restricted_devices_validates():
    document = read_inventory(inventory_device("true"),
                              inventory_device("false", "00-DB-12-34-56-78-90-A4"),
                              inventory_device(None, "00-DB-12-34-56-78-90-A5"))
    assert validate(document, "duis").valid
    # Restricted is the MP169 addition: DUIS V5.4 itself does not know it.
    assert not validate(document, "duis", schema_dir=_official("duis")).valid


def test_read_inventory_without_restricted_is_valid_against_both():
    document = read_inventory(inventory_device())
    assert validate(document, "duis").valid
    assert validate(document, "duis", schema_dir=_official("duis")).valid


def test_restricted_must_be_a_boolean_after_the_other_device_fields():
    assert not validate(read_inventory(inventory_device("maybe")), "duis").valid
    misplaced = inventory_device("true").replace(
        "<sr:DeviceType>GSME</sr:DeviceType>",
        "<sr:Restricted>true</sr:Restricted><sr:DeviceType>GSME</sr:DeviceType>", 1)
    assert not validate(read_inventory(misplaced), "duis").valid


@pytest.mark.parametrize("signed", [False, True])
def test_duis_response_with_rtds_payload_is_valid_against_profile_and_official(signed):
    payload = _rtds_payload("4.1.1_GCS13a/*SUCCESS_RELIABLE_GSME_RESPONSE_GBCS.HEX")
    document = duis_response(response_message(
        "4.1", "4.1.1", f"\n      <sr:GBCSPayload>{payload}</sr:GBCSPayload>"), signed=signed)
    assert validate(document, "duis").valid
    assert validate(document, "duis", schema_dir=_official("duis")).valid
    message = pandc.decode(document)
    assert message.message_code == 0x0074 and message.response_code == "I0"


def test_duis_device_alert_is_valid_against_profile_and_official():
    payload = _rtds_payload("*/*_ALERT*GBCS.HEX")
    document = duis_response(f"""
    <sr:DeviceAlertMessage>
      <sr:AlertCode>8F66</sr:AlertCode>
      <sr:GBCSPayload>{payload}</sr:GBCSPayload>
    </sr:DeviceAlertMessage>""")
    assert validate(document, "duis").valid
    assert validate(document, "duis", schema_dir=_official("duis")).valid


@pytest.mark.parametrize("counter,valid", [
    ("0", True), ("18446744073709551615", True), ("18446744073709551616", False),
    ("007", False), ("99999999999999999999", False),
])
def test_request_id_counter_is_an_unsigned_64_bit_integer(counter, valid):
    request_id = f"90-B3-D5-1F-30-01-00-00:00-DB-12-34-56-78-90-A3:{counter}"
    document = duis_response(response_message("4.1", "4.1.1"), request_id=request_id)
    assert validate(document, "duis").valid is valid
    if OFFICIAL_XSD.joinpath("DUIS Schema V5.4.xsd").exists():
        assert validate(document, "duis", schema_dir=OFFICIAL_XSD).valid is valid


def test_restricted_response_code_is_overridable(monkeypatch):
    assert restricted_response_code() == "E72"
    assert is_restricted_rejection(" E72 ")
    monkeypatch.setitem(RESTRICTED_RESPONSE_CODE_BY_DUIS_VERSION, "6.0", "E80")
    assert restricted_response_code("6.0") == "E80"
    assert restricted_response_code("5.4") == "E72"
    assert not is_restricted_rejection("E72", "6.0")
    monkeypatch.setenv(RESTRICTED_RESPONSE_CODE_ENV, "E99")
    assert restricted_response_code("6.0") == "E99" and is_restricted_rejection("E99")


def test_mmc_profile_declares_only_what_it_needs():
    text = (bundled_schema_dir() / BUNDLED_SCHEMA_FILES["mmc"]).read_text(encoding="utf-8")
    # The assertion names exactly the five SECMP0015 message codes, GCS60 (008D) not among them.
    (test,) = re.findall(r'<xs:assert id="SECMP0015-timestamp"\s+test="([^"]+)"', text)
    assert sorted(re.findall(r"'([0-9A-F]{4})'", test)) == ["0074", "0075", "00B6", "00B8",
                                                            "012A"]
