"""Device alerts (CRA flag 3) → MMC ``DeviceAlertContent``.

Every alert carries an alert code and the time the device raised it, in one of three
encodings (FACTS section 2):

- GBZ: ``01 09``, component count (1), alert code (2), timestamp (4, UTC seconds since
  2000-01-01 00:00:00, the ZigBee UTCTime epoch), then alert-specific data;
- DLMS Data-Notification: ``0F``, long-invoke-id-and-priority (4), date-time (A-XDR octet
  string, empty in GBCS), notification body: a structure whose first element is the alert
  code (long-unsigned), whose second is the 12-octet date-time of the alert, then data;
- ASN.1 DER (CS02b/CS02g, CS06, CCS08, GCS62 alerts): SEQUENCE { alertCode INTEGER,
  dateTime GeneralizedTime, ... }.

``AlertDescription`` comes from GBCS's alert code table, ``pandc/data/alert-codes.csv``
(code, description, MMC payload type, sources). Its ``sources`` column says where each row was
checked: WS = Wireshark ``epan/dissectors/packet-gbcs.c`` (gbcs_gbz_alert_code_names),
SD = SmartDCCInnovation/gbcs-parser ``src/util.ts`` (alertCodes), MMC = the MMC V5.4 XSD
comment naming the alert, MC = the use-case title in ``../shared/gbcs/message-codes.csv``.
An alert code outside the table gets a generic description and a warning.

``Payload`` is written for the alert types MMC V5.4 defines (``DeviceAlertMessagePayload``):
firmware verification (0x8F1C, 0x8F72), future-dated command outcome (0x8F66, 0x8F67: GBZ,
DLMS, CS02b/CS02g update security credentials and CS06 firmware activation), supply
outage/restore (0x8F35-0x8F3C), smart meter integrity issue (0x81A0), command not supported
(0x8F85), operational update (0x8F88) and limit APC level (0x8F86, 0x8F87). Billing data log
(0x8F0A) data is a GBZ/DLMS read-out and is not decoded here: a warning says so.
"""
from __future__ import annotations

import csv
import json
import re
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from functools import lru_cache
from importlib import resources

from . import register_alert
from .base import Content, UseCaseError, UseCaseResult
from .catalogue.asn1 import Reader, activation_outcome, execution_outcome
from ..codec import asn1, dlms
from ..codec.ber import read_length
from ..codec.dates import decode_date_time
from ..errors import DecodeError
from ..values import Builder

GBZ_PROFILE = b"\x01\x09"
DATA_NOTIFICATION = 0x0F
ZIGBEE_EPOCH = datetime(2000, 1, 1, tzinfo=timezone.utc)
MAX_DESCRIPTION = 250                      # MMC AlertDescription maxLength

FIRMWARE_VERIFICATION = frozenset({0x8F1C, 0x8F72})
FUTURE_DATED = frozenset({0x8F66, 0x8F67})
SUPPLY_OUTAGE_RESTORED = frozenset(range(0x8F35, 0x8F3D))
INTEGRITY_WARNING = 0x81A0
BILLING_DATA_LOG = 0x8F0A
COMMAND_NOT_SUPPORTED = 0x8F85
LIMIT_APC_PROCESSED = 0x8F86
LIMIT_APC_ENDED = 0x8F87
OPERATIONAL_UPDATE = 0x8F88

# GBCS Meter Integrity Issue Warning "other information" (2 octets) → MMC Warning enumeration
INTEGRITY_WARNINGS = {
    0x0000: "Other", 0x0001: "Error Non Volatile Memory", 0x0002: "Error Program Execution",
    0x0003: "Error Program Storage", 0x0004: "Error RAM",
    0x0005: "Error Unexpected Hardware Reset", 0x0006: "Error Watchdog",
    0x0007: "Error Metrology Firmware Verification Failure", 0x0008: "Error Measurement Fault",
    0x0009: "Unspecified Smart Meter Operational Integrity Error"}

# Alert messages whose ASN.1 body after the code and time is known
CS02_ALERT_CODES = frozenset({0x00CB, 0x0124})      # update security credentials (CS02b, CS02g)
CS06_ALERT_CODE = 0x00CA                            # future-dated firmware activation


@dataclass(frozen=True, slots=True)
class AlertCode:
    code: int
    description: str
    mmc_payload: str
    sources: str


@lru_cache(maxsize=1)
def alert_codes() -> dict[int, AlertCode]:
    """GBCS's alert code table, from pandc/data/alert-codes.csv."""
    text = resources.files("pandc").joinpath("data/alert-codes.csv").read_text(encoding="utf-8")
    table = {}
    for row in csv.DictReader(text.splitlines()):
        code = int(row["alert_code"], 16)
        table[code] = AlertCode(code, row["description"], row["mmc_payload"], row["sources"])
    return table


def describe(code: int) -> tuple[str, str | None]:
    """(AlertDescription, warning or None) for an alert code."""
    known = alert_codes().get(code)
    if known is not None:
        return known.description[:MAX_DESCRIPTION], None
    return (f"Alert code 0x{code:04X} (not in the GBCS alert code table)",
            f"alert code 0x{code:04X} is not in the GBCS alert code table; generic "
            "description written")


@dataclass
class Alert:
    """What every alert encoding yields: code, time, and the Payload element when MMC has one."""

    code: int
    timestamp: datetime | None
    payload: Builder | None
    warnings: list[str]


@register_alert
def device_alert(message: Content) -> UseCaseResult | None:
    payload = message.payload
    try:
        if payload[:2] == GBZ_PROFILE:
            alert = _gbz_alert(message)
        elif payload[:1] == bytes([DATA_NOTIFICATION]):
            alert = _dlms_alert(payload)
        elif payload[:1] == b"\x30":
            alert = _asn1_alert(message.frame.message_code, payload)
        else:
            raise UseCaseError(f"alert payload starts 0x{payload[:1].hex().upper() or 'empty'}:"
                               " not GBZ, DLMS Data-Notification or ASN.1", 0)
        if alert is None:
            return None
    except DecodeError as exc:
        raise type(exc)(exc.reason, exc.offset, exc.code, exc.source or "alert payload") \
            from None
    description, warning = describe(alert.code)
    warnings = alert.warnings + ([warning] if warning else [])
    timestamp = alert.timestamp
    if timestamp is None:
        timestamp = message.frame.date_time
        if timestamp is None:
            raise UseCaseError(f"alert 0x{alert.code:04X} carries no usable time and the header "
                               "has no date-time: MMC DeviceAlertContent needs a Timestamp", None)
        warnings.append("the alert's own time is not a valid date-time; the header date-time "
                        "is written as Timestamp")
    root = Builder("DeviceAlertContent")
    root.add("GBCSHexAlertCode", alert.code.to_bytes(2, "big"))
    root.add("AlertDescription", description)
    root.add("Timestamp", timestamp)
    if alert.payload is not None:
        root.add("Payload").append(alert.payload)
    return UseCaseResult(root.build(), (), tuple(warnings))


# --- GBZ ------------------------------------------------------------------------------------

def _gbz_alert(message: Content) -> Alert | None:
    payload = message.payload
    if len(payload) < 9:
        raise UseCaseError("GBZ alert header (profile, count, code, timestamp) truncated",
                           len(payload))
    code = int.from_bytes(payload[3:5], "big")
    seconds = int.from_bytes(payload[5:9], "big")
    alert = Alert(code, ZIGBEE_EPOCH + timedelta(seconds=seconds), None, [])
    data = payload[9:]
    if code in FIRMWARE_VERIFICATION:
        # 2 octets, then the 32-octet manufacturer image hash the device calculated
        if len(data) == 34:
            alert.payload = _node("FirmwareVerificationDeviceAlert")
            alert.payload.add("ManufacturerImageHash", bytes(data[2:]))
        else:
            alert.warnings.append(f"firmware verification alert data is {len(data)} octets, "
                                  "not 34; ManufacturerImageHash not written")
    elif code in FUTURE_DATED:
        alert.payload = _gbz_future_dated(data, 9, alert.warnings)
    elif code == INTEGRITY_WARNING:
        alert.payload = _integrity_warning(bytes(data), 9, alert.warnings)
    elif code == BILLING_DATA_LOG:
        alert.warnings.append(_billing_data_log_note(message))
    return alert


def _gbz_future_dated(data: bytes, offset: int, warnings: list[str]) -> Builder | None:
    """Length (14), message code (2), originator counter (8), cluster id (2), frame control
    (1), command id (1) of the future-dated ZCL command."""
    if len(data) != 15 or data[0] != 14:
        warnings.append(f"GBZ future-dated alert data at offset {offset} is not a 14-octet "
                        "command identification; Payload not written")
        return None
    outcome = _node("FutureDatedCommandOutcomeDeviceAlert")
    alert = outcome.add("GBZFutureDatedAlert")
    alert.add("FutureDatedCommandMessageCode", bytes(data[1:3]))
    alert.add("FutureDatedCommandOriginatorCounter", int.from_bytes(data[3:11], "big"))
    instruction = alert.add("GBZFDInstructionIdentification")
    instruction.add("ExtendedHeaderClusterID", bytes(data[11:13]))
    instruction.add("FrameControl", bytes(data[13:14]))
    instruction.add("CommandIdentifier", bytes(data[14:15]))
    return outcome


def _integrity_warning(data: bytes, offset: int, warnings: list[str]) -> Builder | None:
    if len(data) != 2:
        warnings.append(f"integrity issue warning at offset {offset} is {len(data)} octets, "
                        "not 2; Payload not written")
        return None
    value = int.from_bytes(data, "big")
    if value not in INTEGRITY_WARNINGS:
        warnings.append(f"integrity issue warning 0x{value:04X} is not a GBCS value; "
                        "Payload not written")
        return None
    node = _node("SmartMeterIntegrityIssueWarningDeviceAlert")
    node.add("Warning", INTEGRITY_WARNINGS[value])
    return node


def _billing_data_log_note(message: Content) -> str:
    if any(part.encrypted and part.plaintext is None for part in message.parts):
        return "billing data log alert: the log entry is encrypted; its values need keys"
    # The ZCL Publish Snapshot carries raw summations without the Metering Multiplier and
    # Divisor MMC's decimal GSME values need, so no value is stated rather than a wrong one.
    return ("billing data log alert: the log entry is not decoded (its summations cannot be "
            "scaled without the meter's Multiplier/Divisor); it stays in GBCSData")


# --- DLMS -----------------------------------------------------------------------------------

def _dlms_alert(payload: bytes) -> Alert:
    if len(payload) < 6:
        raise UseCaseError("DLMS Data-Notification header truncated", len(payload))
    length, position = read_length(payload, 5)
    if length not in (0, 12):
        raise UseCaseError(f"Data-Notification date-time is {length} octets, not 0 or 12", 5)
    position += length
    body = dlms.decode_all(payload[position:], position)
    if body.tag != dlms.STRUCTURE or len(body.value) < 2:
        raise UseCaseError("Data-Notification body is not a structure of alert code, "
                           "date-time and data", body.offset)
    code_value, time_value, *data = body.value
    if code_value.tag != dlms.LONG_UNSIGNED:
        raise UseCaseError(f"alert code is {code_value.type_name}, not long-unsigned",
                           code_value.offset)
    code = code_value.value
    warnings: list[str] = []
    alert = Alert(code, _dlms_time(time_value, "alert date-time", warnings), None, warnings)
    if code in FUTURE_DATED:
        alert.payload = _dlms_future_dated(data, warnings)
    elif code in FIRMWARE_VERIFICATION:
        raw = _single_octets(data, "firmware verification alert", warnings)
        if raw is not None and len(raw) == 32:
            alert.payload = _node("FirmwareVerificationDeviceAlert")
            alert.payload.add("ManufacturerImageHash", raw)
        elif raw is not None:
            warnings.append(f"firmware verification hash is {len(raw)} octets, not 32; "
                            "ManufacturerImageHash not written")
    elif code in SUPPLY_OUTAGE_RESTORED:
        alert.payload = _supply_outage(data, warnings)
    elif code == INTEGRITY_WARNING:
        raw = _single_octets(data, "integrity issue warning", warnings)
        if raw is not None:
            alert.payload = _integrity_warning(raw, data[0].offset, warnings)
    elif code == COMMAND_NOT_SUPPORTED:
        alert.payload = _command_not_supported(data, warnings)
    elif code in (LIMIT_APC_PROCESSED, LIMIT_APC_ENDED):
        alert.payload = _limit_apc(code, data, warnings)
    elif code == OPERATIONAL_UPDATE:
        alert.payload = _operational_update(data, warnings)
    elif code == BILLING_DATA_LOG:
        warnings.append("billing data log alert: the log entry is not decoded; it stays in "
                        "GBCSData")
    return alert


def _dlms_time(value: dlms.DlmsValue, what: str, warnings: list[str]) -> datetime | None:
    if value.tag not in (dlms.OCTET_STRING, dlms.DATE_TIME) or len(value.value) != 12:
        raise UseCaseError(f"{what} is not a 12-octet date-time", value.offset)
    decoded = decode_date_time(value.value)
    if decoded.value is None:
        warnings.append(f"{what} at offset {value.offset} is not a valid date-time "
                        f"({value.value.hex().upper()})")
    return decoded.value


def _single_octets(data: list[dlms.DlmsValue], what: str, warnings: list[str]) -> bytes | None:
    if len(data) != 1 or data[0].tag != dlms.OCTET_STRING:
        warnings.append(f"{what}: expected one octet-string after the alert date-time; "
                        "Payload not written")
        return None
    return bytes(data[0].value)


def _dlms_future_dated(data: list[dlms.DlmsValue], warnings: list[str]) -> Builder | None:
    """octet-string (19): message code (2), originator counter (8), then the COSEM attribute
    descriptor of the future-dated instruction: class id (2), instance id (6), attribute (1)."""
    raw = _single_octets(data, "future-dated alert", warnings)
    if raw is None:
        return None
    if len(raw) != 19:
        warnings.append(f"future-dated alert data is {len(raw)} octets, not 19; Payload not "
                        "written")
        return None
    outcome = _node("FutureDatedCommandOutcomeDeviceAlert")
    alert = outcome.add("COSEMFutureDatedAlert")
    alert.add("FutureDatedCommandMessageCode", raw[0:2])
    alert.add("FutureDatedCommandOriginatorCounter", int.from_bytes(raw[2:10], "big"))
    descriptor = alert.add("DLMSCOSEMFDInstructionIdentification")
    descriptor.add("ClassId", raw[10:12])
    descriptor.add("InstanceId", raw[12:18])
    descriptor.add("AttributeId", raw[18:19])
    return outcome


def _supply_outage(data: list[dlms.DlmsValue], warnings: list[str]) -> Builder | None:
    """Two date-times: when the supply was interrupted, when it was restored."""
    if len(data) != 2:
        warnings.append(f"supply outage alert carries {len(data)} values after its date-time, "
                        "not 2 (interruption, restoration); Payload not written")
        return None
    interruption = _dlms_time(data[0], "interruption date-time", warnings)
    restoration = _dlms_time(data[1], "restoration date-time", warnings)
    if interruption is None or restoration is None:
        warnings.append("supply outage Payload not written: a date-time is not valid")
        return None
    node = _node("SupplyOutageRestoreAlert")
    node.add("interruptionValue", interruption)
    node.add("restorationValue", restoration)
    return node


def _command_not_supported(data: list[dlms.DlmsValue], warnings: list[str]) -> Builder | None:
    """octet-string (10): the message code (2) and originator counter (8) of the command."""
    raw = _single_octets(data, "command not supported alert", warnings)
    if raw is None:
        return None
    if len(raw) != 10:
        warnings.append(f"command not supported alert data is {len(raw)} octets, not 10; "
                        "Payload not written")
        return None
    node = _node("CommandNotSupportedbyDevice")
    node.add("MessageCodeofCommandReceived", raw[0:2])
    node.add("OriginatorCounterfromCommandReceived", int.from_bytes(raw[2:10], "big"))
    return node


def _limit_apc(code: int, data: list[dlms.DlmsValue], warnings: list[str]) -> Builder | None:
    """0x8F86: unsigned (auxiliary controller and input/output), period start, period end,
    unsigned resulting level; 0x8F87: the first and the last.

    The first unsigned is read as: low nibble the auxiliary controller number (1-5), high
    nibble 2 when the level was set by the input from the controlled load [d: RTDS ECS101
    INPUT 0x23 / OUTPUT 0x15; no stored GBCS text defines it]."""
    expected = 4 if code == LIMIT_APC_PROCESSED else 2
    if len(data) != expected or data[0].tag != dlms.UNSIGNED or data[-1].tag != dlms.UNSIGNED:
        warnings.append(f"limit APC level alert: expected {expected} values (unsigned ... "
                        "unsigned) after the date-time; Payload not written")
        return None
    selector, level = data[0].value, data[-1].value
    number, source = selector & 0x0F, selector >> 4
    if not 1 <= number <= 5 or level > 100 or source not in (1, 2):
        warnings.append(f"limit APC level alert: controller 0x{selector:02X} or level {level} "
                        "out of range; Payload not written")
        return None
    warnings.append("limit APC level alert: auxiliary controller number and input flag are "
                    "read from the first unsigned by nibbles (layout derived from RTDS)")
    if code == LIMIT_APC_PROCESSED:
        node = _node("LimitAPCLevelCommandProcessedDeviceAlert")
        start = _dlms_time(data[1], "APC limit period start", warnings)
        end = _dlms_time(data[2], "APC limit period end", warnings)
        if start is None or end is None:
            warnings.append("limit APC level Payload not written: a date-time is not valid")
            return None
        node.add("APCLimitPeriodStart", start)
        node.add("APCLimitPeriodEnd", end)
    else:
        node = _node("LimitAPCLevelEndedDeviceAlert")
    node.add("AuxiliaryControllerN", number)
    node.add("ResultingLevel", level)
    if source == 2:
        node.add("InputFromControlledLoad")
    return node


def _operational_update(data: list[dlms.DlmsValue], warnings: list[str]) -> Builder | None:
    """A string with the auxiliary controller's state and associated information. When it is
    a JSON object with integer ``outputState``/``inputState`` (0-100) those are written too."""
    if len(data) != 1 or data[0].tag not in (dlms.OCTET_STRING, dlms.VISIBLE_STRING,
                                             dlms.UTF8_STRING):
        warnings.append("operational update alert: expected one string after the date-time; "
                        "Payload not written")
        return None
    raw = data[0].value
    text = raw if isinstance(raw, str) else raw.decode("utf-8", "replace")
    node = _node("OperationalUpdateDeviceAlert")
    try:
        parsed = json.loads(text)
    except ValueError:
        parsed = None
    if isinstance(parsed, dict):
        for key, name in (("outputState", "OutputState"), ("inputState", "InputState")):
            level = _level(parsed.get(key))
            if level is not None:
                node.add(name, level)
    cleaned = _XML_INVALID.sub("\uFFFD", text)
    if cleaned != text:
        warnings.append("operational update information holds characters XML cannot carry; "
                        "they are replaced by U+FFFD")
        text = cleaned
    if len(text) > 1200:
        warnings.append("operational update information is longer than MMC's 1200 characters;"
                        " it is cut")
    node.add("StateAndAssociatedInformation", text[:1200])
    return node


# Characters XML 1.0 cannot carry (C0 controls other than tab, LF, CR; surrogates; U+FFFE/F)
_XML_INVALID = re.compile("[\x00-\x08\x0B\x0C\x0E-\x1F\uD800-\uDFFF\uFFFE\uFFFF]")


def _level(value: object) -> int | None:
    if isinstance(value, str) and value.isdigit():
        value = int(value)
    if isinstance(value, int) and not isinstance(value, bool) and 0 <= value <= 100:
        return value
    return None


# --- ASN.1 ----------------------------------------------------------------------------------

def _asn1_alert(message_code: int, payload: bytes) -> Alert:
    reader = Reader(payload)
    cursor = reader.cursor(reader.root)
    code_element = cursor.next("alertCode", asn1.INTEGER)
    code = reader.integer(code_element)
    if not 0 <= code <= 0xFFFF:
        raise UseCaseError(f"alert code {code} is not a 2-octet GBCS alert code",
                           code_element.offset)
    moment = asn1.generalized_time(reader.data, cursor.next("dateTime", asn1.GENERALIZED_TIME))
    alert = Alert(code, moment, None, reader.warnings)
    if code not in FUTURE_DATED:
        return alert
    if message_code in CS02_ALERT_CODES:
        outcome = cursor.next("executionOutcome", asn1.SEQUENCE)
        cursor.finish("UpdateSecurityCredentialsAlert")
        node = _node("FutureDatedCommandOutcomeDeviceAlert")
        execution_outcome(reader, outcome, node.add("UpdateSecurityCredentialsDeviceAlert")
                          .add("UpdateSecurityCredentialsExecutionOutcome"))
        alert.payload = node
    elif message_code == CS06_ALERT_CODE:
        counter = reader.unsigned(cursor.next("originatorCounter", asn1.INTEGER),
                                  "originatorCounter")
        outcome = cursor.next("executionOutcome", asn1.SEQUENCE)
        cursor.finish("ActivateFirmwareAlert")
        node = _node("FutureDatedCommandOutcomeDeviceAlert")
        activation = node.add("FirmwareActivationDeviceAlert")
        activation.add("ExecutionDateTime", moment)
        activation.add("OriginatorCounterFromCommand", counter)
        activation_outcome(reader, outcome, activation)
        alert.payload = node
    else:
        alert.warnings.append(f"future-dated alert in message 0x{message_code:04X}: its ASN.1 "
                              "outcome is not in the catalogue; Payload not written")
    return alert


def _node(name: str) -> Builder:
    return Builder(name)


# Which encodings carry each alert payload pandc decodes (for the coverage table)
_PAYLOAD_ENCODINGS = {
    "FirmwareVerificationDeviceAlert": "GBZ, DLMS",
    "FutureDatedCommandOutcomeDeviceAlert": "GBZ, DLMS, ASN.1",
    "SupplyOutageRestoreAlert": "DLMS",
    "SmartMeterIntegrityIssueWarningDeviceAlert": "GBZ, DLMS",
    "CommandNotSupportedbyDevice": "DLMS",
    "OperationalUpdateDeviceAlert": "DLMS",
    "LimitAPCLevelCommandProcessedDeviceAlert": "DLMS",
    "LimitAPCLevelEndedDeviceAlert": "DLMS",
}


def coverage_rows() -> list[tuple[str, str, str, str, str]]:
    """(use_case, srv, mmc_type, encoding, status): one row for every alert (code, description,
    time), then one per alert code whose MMC Payload pandc writes or cannot write."""
    rows = [(f"every device alert ({len(alert_codes())} GBCS alert codes)", "",
             "DeviceAlertContent", "GBZ, DLMS, ASN.1", "decoded")]
    for code, entry in sorted(alert_codes().items()):
        if not entry.mmc_payload:
            continue
        mmc_type = f"DeviceAlertContent/Payload/{entry.mmc_payload}"
        if entry.mmc_payload in _PAYLOAD_ENCODINGS:
            rows.append((f"alert 0x{code:04X}", "", mmc_type,
                         _PAYLOAD_ENCODINGS[entry.mmc_payload], "decoded"))
        else:
            rows.append((f"alert 0x{code:04X}", "", mmc_type, "GBZ, DLMS",
                         "no Payload: summations need the meter's Multiplier/Divisor"))
    return rows


__all__ = ["AlertCode", "alert_codes", "coverage_rows", "describe", "device_alert"]
