"""Device alerts → MMC DeviceAlertContent.

Expected values come from the bytes, read here independently of pandc (alert code and time at
their GBCS positions), and from the alert code table's source file, never from pandc's output.
"""
from __future__ import annotations

import csv
from datetime import datetime, timedelta, timezone

import pytest
from lxml import etree

import pandc
from pandc.mmc.render import to_mmc
from pandc.mmc.validation import validate
from pandc.testing import build_message
from pandc.usecases import alerts

from conftest import OFFICIAL_XSD, REPO, RTDS, require, rtds_files

NS = {"ra": "http://www.dccinterface.co.uk/ResponseAndAlert"}
XS = "{http://www.w3.org/2001/XMLSchema}"
TABLE = REPO / "pandc" / "data" / "alert-codes.csv"
ZIGBEE_EPOCH = datetime(2000, 1, 1, tzinfo=timezone.utc)


def table_rows() -> dict[int, dict[str, str]]:
    with TABLE.open(encoding="utf-8", newline="") as handle:
        return {int(row["alert_code"], 16): row for row in csv.DictReader(handle)}


def content(message: pandc.Message) -> etree._Element:
    root = etree.fromstring(to_mmc(message))
    found = root.find("ra:Body/ra:DeviceAlertMessage/ra:DeviceAlertContent", NS)
    assert found is not None, message.warnings
    return found


def text(element: etree._Element, path: str) -> str | None:
    return element.findtext(path, namespaces=NS)


def alert(payload: bytes, message_code: int = 0x1000) -> pandc.Message:
    return pandc.decode(build_message(cra="alert", message_code=message_code, payload=payload))


# --- the table --------------------------------------------------------------------------------

def test_table_rows_are_unique_and_fit_mmc():
    with TABLE.open(encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    codes = [row["alert_code"] for row in rows]
    assert len(codes) == len(set(codes))
    assert all(len(code) == 4 and 0x8000 <= int(code, 16) <= 0x8FFF for code in codes)
    assert all(0 < len(row["description"]) <= 250 for row in rows)
    assert all(row["sources"] for row in rows)
    assert len(rows) >= 180        # GBCS defines far more codes than RTDS uses


def test_table_payload_types_are_mmc_payload_elements():
    xsd = require(OFFICIAL_XSD / "MMC Schema V5.4.xsd")
    schema = etree.parse(str(xsd))
    payload_type = schema.find(f"{XS}complexType[@name='DeviceAlertMessagePayload']")
    allowed = {element.get("name") for element in payload_type.iter(f"{XS}element")}
    used = {row["mmc_payload"] for row in table_rows().values() if row["mmc_payload"]}
    assert used <= allowed
    assert "SupplyOutageRestoreAlert" in used


def test_describe_uses_the_table_and_warns_on_unknown_codes():
    rows = table_rows()
    assert alerts.describe(0x8F1C) == (rows[0x8F1C]["description"], None)
    description, warning = alerts.describe(0x8FFE)
    assert "8FFE" in description and "not in the GBCS alert code table" in description
    assert warning is not None and "8FFE" in warning


# --- hand-built alerts --------------------------------------------------------------------------

def gbz_alert(code: int, moment: datetime, data: bytes = b"", count: int = 0) -> bytes:
    seconds = int((moment - ZIGBEE_EPOCH).total_seconds())
    return b"\x01\x09" + bytes([count]) + code.to_bytes(2, "big") + seconds.to_bytes(4, "big") + data


def test_unknown_gbz_code_gets_generic_description_and_warning():
    message = alert(gbz_alert(0x8FFE, datetime(2031, 7, 4, 12, 30, 15, tzinfo=timezone.utc)))
    element = content(message)
    assert text(element, "ra:GBCSHexAlertCode") == "8FFE"
    assert "not in the GBCS alert code table" in text(element, "ra:AlertDescription")
    assert text(element, "ra:Timestamp") == "2031-07-04T12:30:15Z"
    assert any("8FFE" in warning for warning in message.warnings)
    assert validate(to_mmc(message), schema="mmc", schema_dir=str(require(OFFICIAL_XSD)))


def test_gbz_firmware_verification_hash():
    digest = bytes(range(32))
    message = alert(gbz_alert(0x8F1C, datetime(2025, 1, 2, tzinfo=timezone.utc),
                              b"\x09\x20" + digest, count=1), 0x00CF)
    element = content(message)
    assert text(element, "ra:AlertDescription") == table_rows()[0x8F1C]["description"]
    assert text(element, "ra:Payload/ra:FirmwareVerificationDeviceAlert/"
                         "ra:ManufacturerImageHash") == digest.hex().upper()


def dlms_alert(code: int, moment: bytes, *data: bytes) -> bytes:
    body = b"\x02" + bytes([2 + len(data)]) + b"\x12" + code.to_bytes(2, "big") + b"\x09\x0C" + moment
    return b"\x0F\x00\x00\x00\x01\x00" + body + b"".join(data)


def cosem_time(year: int, month: int, day: int, hour: int, minute: int) -> bytes:
    return year.to_bytes(2, "big") + bytes([month, day, 0xFF, hour, minute, 0, 0]) + b"\x80\x00\xFF"


def test_dlms_supply_outage_times():
    message = alert(dlms_alert(0x8F35, cosem_time(2026, 3, 1, 10, 0),
                               b"\x09\x0C" + cosem_time(2026, 3, 1, 9, 41),
                               b"\x09\x0C" + cosem_time(2026, 3, 1, 9, 58)), 0x0067)
    element = content(message)
    assert text(element, "ra:Timestamp") == "2026-03-01T10:00:00Z"
    outage = element.find("ra:Payload/ra:SupplyOutageRestoreAlert", NS)
    assert text(outage, "ra:interruptionValue") == "2026-03-01T09:41:00Z"
    assert text(outage, "ra:restorationValue") == "2026-03-01T09:58:00Z"


def test_dlms_integrity_warning_and_unknown_value():
    known = content(alert(dlms_alert(0x81A0, cosem_time(2026, 1, 1, 0, 0), b"\x09\x02\x00\x07")))
    assert text(known, "ra:Payload/ra:SmartMeterIntegrityIssueWarningDeviceAlert/ra:Warning") == \
        "Error Metrology Firmware Verification Failure"
    message = alert(dlms_alert(0x81A0, cosem_time(2026, 1, 1, 0, 0), b"\x09\x02\x00\x42"))
    assert content(message).find("ra:Payload", NS) is None
    assert any("0x0042" in warning for warning in message.warnings)


def test_malformed_alert_is_a_warning_with_an_offset():
    message = alert(b"\x0F\x00\x00\x00\x01\x00\x02\x03\x12\x8F")     # truncated code
    assert message.values is None
    assert any("offset" in warning for warning in message.warnings)


# --- RTDS -----------------------------------------------------------------------------------

def cra_flag(raw: bytes) -> int:
    """The CRA flag from the header bytes: after DF 09 (FACTS section 2)."""
    signing = raw.index(b"\xDF\x09") if raw[0] == 0xDD else 0
    return raw[signing + 2]


def rtds_alerts() -> list[tuple[str, bytes]]:
    found = []
    for path in rtds_files("*/*.HEX"):
        raw = bytes.fromhex(path.read_text())
        if raw[0] in (0xDD, 0xDF) and cra_flag(raw) == 3:
            found.append((path.name, raw))
    return found


def read_alert_head(payload: bytes) -> tuple[int, datetime]:
    """Alert code and time read independently from a GBZ, DLMS or ASN.1 alert payload."""
    if payload[:2] == b"\x01\x09":
        code = int.from_bytes(payload[3:5], "big")
        return code, ZIGBEE_EPOCH + timedelta(seconds=int.from_bytes(payload[5:9], "big"))
    if payload[0] == 0x0F:
        at = 6 + payload[5]                     # after invoke id and date-time octet string
        assert payload[at] == 0x02 and payload[at + 2] == 0x12
        code = int.from_bytes(payload[at + 3:at + 5], "big")
        assert payload[at + 5:at + 7] == b"\x09\x0C"
        octets = payload[at + 7:at + 19]
        year = int.from_bytes(octets[0:2], "big")
        return code, datetime(year, octets[2], octets[3], octets[5], octets[6], octets[7],
                              tzinfo=timezone.utc)
    assert payload[0] == 0x30
    at = 2 + (payload[1] & 0x7F if payload[1] & 0x80 else 0)
    assert payload[at] == 0x02
    code = int.from_bytes(payload[at + 2:at + 2 + payload[at + 1]], "big")
    at += 2 + payload[at + 1]
    assert payload[at] == 0x18
    stamp = payload[at + 2:at + 2 + payload[at + 1]].decode()
    return code, datetime.strptime(stamp, "%Y%m%d%H%M%SZ").replace(tzinfo=timezone.utc)


def test_rtds_alert_files_are_the_cra3_messages():
    names = {name for name, _ in rtds_alerts()}
    assert len(names) == 72
    assert all("_ALERT" in name for name in names)
    assert names == {path.name for path in rtds_files("*/*ALERT*")}


def test_every_rtds_alert_gets_valid_device_alert_content():
    require(OFFICIAL_XSD)
    rows = table_rows()
    for name, raw in rtds_alerts():
        message = pandc.decode(raw)
        xml = to_mmc(message)
        assert validate(xml, schema="mmc", schema_dir=str(OFFICIAL_XSD)), name
        assert validate(xml, schema="mmc"), name          # pandc's bundled profile too
        element = content(message)
        code, moment = read_alert_head(message.payload)
        assert text(element, "ra:GBCSHexAlertCode") == f"{code:04X}", name
        assert text(element, "ra:AlertDescription") == rows[code]["description"], name
        assert text(element, "ra:Timestamp") == moment.strftime("%Y-%m-%dT%H:%M:%SZ"), name
        if rows[code]["mmc_payload"] and code != 0x8F0A:
            payload = element.find("ra:Payload", NS)
            assert payload is not None and payload[0].tag.endswith(rows[code]["mmc_payload"]), name


def rtds_message(folder: str, name: str) -> pandc.Message:
    return pandc.decode(require(RTDS / folder / name).read_text())


def test_rtds_supply_outage_times_from_bytes():
    message = rtds_message("NA_ECS80", "ECS80_NA_8F36_ALERT_GBCS.HEX")
    payload = message.payload
    # structure(4): code, alert time, interruption, restoration: each date-time 09 0C + 12
    times = []
    at = payload.index(b"\x09\x0C") + 14
    for _ in range(2):
        assert payload[at:at + 2] == b"\x09\x0C"
        octets = payload[at + 2:at + 14]
        times.append(datetime(int.from_bytes(octets[:2], "big"), octets[2], octets[3], octets[5],
                              octets[6], octets[7], tzinfo=timezone.utc))
        at += 14
    outage = content(message).find("ra:Payload/ra:SupplyOutageRestoreAlert", NS)
    assert text(outage, "ra:interruptionValue") == times[0].strftime("%Y-%m-%dT%H:%M:%SZ")
    assert text(outage, "ra:restorationValue") == times[1].strftime("%Y-%m-%dT%H:%M:%SZ")


def test_rtds_gbz_future_dated_fields_from_bytes():
    message = rtds_message("1.1.1_GCS01a",
                           "GCS01a_1.1.1_8F66_FUTURE_DATED_BLOCK_SUCCESS_ALERT_PUBLISH_CALENDAR_GBCS.HEX")
    data = message.payload[9:]
    assert data[0] == 14
    fd = content(message).find("ra:Payload/ra:FutureDatedCommandOutcomeDeviceAlert/"
                               "ra:GBZFutureDatedAlert", NS)
    assert text(fd, "ra:FutureDatedCommandMessageCode") == data[1:3].hex().upper()
    assert text(fd, "ra:FutureDatedCommandOriginatorCounter") == \
        str(int.from_bytes(data[3:11], "big"))
    assert text(fd, "ra:GBZFDInstructionIdentification/ra:ExtendedHeaderClusterID") == \
        data[11:13].hex().upper()


def test_rtds_command_not_supported_from_bytes():
    message = rtds_message("NA_ECS100", "ECS100_NA_8F85_ALERT_GBCS.HEX")
    raw = message.payload[-10:]                  # the final octet-string (10)
    assert message.payload[-12:-10] == b"\x09\x0A"
    node = content(message).find("ra:Payload/ra:CommandNotSupportedbyDevice", NS)
    assert text(node, "ra:MessageCodeofCommandReceived") == raw[:2].hex().upper()
    assert text(node, "ra:OriginatorCounterfromCommandReceived") == \
        str(int.from_bytes(raw[2:], "big"))


def test_rtds_billing_data_log_says_its_values_need_keys():
    message = rtds_message("NA_GCS53", "GCS53_NA_8F0A_ALERT_GBCS.HEX")
    assert content(message).find("ra:Payload", NS) is None
    assert any("billing data log" in warning for warning in message.warnings)


@pytest.mark.parametrize("payload", [b"\x01\x09\x00\x8F", b"\x77\x01", b""])
def test_bad_alert_payloads_never_crash(payload):
    message = alert(payload)
    assert message.values is None
    xml = to_mmc(message)
    assert b"DeviceAlertMessage" in xml


def der(tag: int, content: bytes) -> bytes:
    assert len(content) < 0x80
    return bytes([tag, len(content)]) + content


def test_asn1_firmware_activation_alert():
    # CS06 future-dated activation alert: SEQUENCE { alertCode 0x8F66, GeneralizedTime,
    # originatorCounter 4660, ExecutionOutcome SEQUENCE { responseCode 2 (hashMismatch),
    # firmwareVersion 01 02 03 04 } }
    body = (der(0x02, b"\x00\x8F\x66") + der(0x18, b"20310601120000Z") + der(0x02, b"\x12\x34")
            + der(0x30, der(0x02, b"\x02") + der(0x04, b"\x01\x02\x03\x04")))
    message = alert(der(0x30, body), 0x00CA)
    element = content(message)
    assert text(element, "ra:GBCSHexAlertCode") == "8F66"
    assert text(element, "ra:Timestamp") == "2031-06-01T12:00:00Z"
    activation = element.find("ra:Payload/ra:FutureDatedCommandOutcomeDeviceAlert/"
                              "ra:FirmwareActivationDeviceAlert", NS)
    assert text(activation, "ra:ExecutionDateTime") == "2031-06-01T12:00:00Z"
    assert text(activation, "ra:OriginatorCounterFromCommand") == "4660"
    code = activation.find("ra:ActivateImageResponseCode", NS)
    assert code.get("ResponseCode") == "2"
    assert text(code, "ra:ASN1Status") == "hashMismatch"
    assert text(activation, "ra:FirmwareVersion") == "01020304"
    assert validate(to_mmc(message), schema="mmc", schema_dir=str(require(OFFICIAL_XSD)))


def test_asn1_alert_without_mmc_payload_has_code_and_time():
    # GCS62 GPF device log backup alert: code 0x8071, time, SEQUENCE OF entries (empty)
    body = der(0x02, b"\x00\x80\x71") + der(0x18, b"20290102030405Z") + der(0x30, b"")
    element = content(alert(der(0x30, body), 0x00B2))
    assert text(element, "ra:AlertDescription") == table_rows()[0x8071]["description"]
    assert text(element, "ra:Timestamp") == "2029-01-02T03:04:05Z"
    assert element.find("ra:Payload", NS) is None


def test_dlms_firmware_verification_hash():
    digest = bytes(range(100, 132))
    element = content(alert(dlms_alert(0x8F72, cosem_time(2026, 5, 5, 5, 5),
                                       b"\x09\x20" + digest), 0x00CE))
    assert text(element, "ra:Payload/ra:FirmwareVerificationDeviceAlert/"
                         "ra:ManufacturerImageHash") == digest.hex().upper()


def test_asn1_alert_code_out_of_range_is_a_warning():
    body = der(0x02, b"\xD9\x8F\x67") + der(0x18, b"20290102030405Z")   # negative INTEGER
    message = alert(der(0x30, body), 0x00B2)
    assert message.values is None
    assert any("not a 2-octet GBCS alert code" in warning for warning in message.warnings)


def test_operational_update_control_characters_are_replaced_with_a_warning():
    info = b'{"outputState":"5\x00"}'
    message = alert(dlms_alert(0x8F88, cosem_time(2026, 1, 1, 0, 0),
                               b"\x0C" + bytes([len(info)]) + info), 0x0123)
    node = content(message).find("ra:Payload/ra:OperationalUpdateDeviceAlert", NS)
    assert text(node, "ra:StateAndAssociatedInformation") == '{"outputState":"5\ufffd"}'
    assert node.find("ra:OutputState", NS) is None          # "5\x00" is not a level
    assert any("U+FFFD" in warning for warning in message.warnings)
    assert validate(to_mmc(message), schema="mmc", schema_dir=str(require(OFFICIAL_XSD)))


def test_alert_coverage_rows():
    rows = alerts.coverage_rows()
    assert rows[0][2] == "DeviceAlertContent" and rows[0][4] == "decoded"
    by_code = {row[0]: row for row in rows[1:]}
    assert by_code["alert 0x8F36"][2].endswith("SupplyOutageRestoreAlert")
    assert by_code["alert 0x8F0A"][4].startswith("no Payload")
    assert all(len(row) == 5 for row in rows)
