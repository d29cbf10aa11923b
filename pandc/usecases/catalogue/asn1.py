"""The ASN.1 DER use cases (CS02x, CS03x, CS04x, CS06, CS07, CS08, GCS28, GCS59): GBCS
structure → MMC V5.4 element.

Each :data:`USE_CASES` entry names the GBCS message code(s), use case, the GBCS ASN.1 type of
the response (GBCS's ASN.1 module, by type name), the SRV and the MMC complexType it becomes,
and the *shape*: the reader for that GBCS structure. The code tables (GBCS integer → MMC
``ASN1Status`` enumeration value) are literals below, each with the GBCS type it comes from,
so they can be checked line by line against GBCS and the ``StatusASN1`` enumeration of the
MMC XSD.

A GBCS response code other than success gives ``MessageSuccess="false"`` and the code is
written in the MMC element GBCS reports it in (``StatusASN1`` with ``ResponseCode``); it is
also a warning, since MMC ``DebugInfo`` has no ASN.1 branch.

Sources for the GBCS integer values: the GBCS ASN.1 module as read by two public parsers
(Wireshark ``packet-gbcs.c`` and SmartDCCInnovation ``gbcs-parser``); values marked [d] were
derived from RTDS 4.5.0 use-case names where neither source lists them.
"""
from __future__ import annotations

import base64
from dataclasses import dataclass
from typing import Callable

from .. import register
from ..base import Content, Failure, UseCaseError, UseCaseResult
from ...codec import asn1
from ...codec.asn1 import Cursor, Element
from ...errors import DecodeError
from ...values import Builder

# --- GBCS code tables (GBCS integer → MMC ra:StatusASN1/ASN1Status value) -------------------

# UpdateDeviceCertificateResponse (CS02d) — MMC "Update Device Certificate 6.15.2" group
UPDATE_DEVICE_CERTIFICATE_CODES = {
    0: "success", 1: "invalidCertificate", 2: "wrongDeviceIdentity", 3: "invalidKeyUsage",
    4: "noCorrespondingKeyPairGenerated", 5: "wrongPublicKey", 6: "certificateStorageFailed",
    7: "privateKeyChangeFailed"}
# IssueSecurityCredentialsResponse (CS02c) error CHOICE — MMC "Issue Security Credentials 6.17"
ISSUE_CREDENTIALS_CODES = {1: "invalidKeyUsage", 2: "keyPairGenerationFailed",
                           3: "cRProductionFailed"}
# ProvideDeviceCertificateResponse (CS02e) error CHOICE — MMC "Provide Device Certificate 6.24.2"
PROVIDE_DEVICE_CERTIFICATE_CODES = {1: "invalidKeyUsage", 2: "noCertificateHeld",
                                    3: "certificateRetrievalFailure"}
# JoinDeviceResponse (CS03x) — MMC "Join commands 8.7.1 & 8.7.2"
JOIN_CODES = {
    0: "success", 1: "invalidMessageCodeForJoinMethodAndRole", 2: "invalidJoinMethodAndRole",
    3: "incompatibleWithExistingEntry", 4: "deviceLogFull", 5: "writeFailure",
    6: "keyAgreementNoResources", 7: "keyAgreementUnknownIssuer",
    8: "keyAgreementUnsupportedSuite", 9: "keyAgreementBadMessage",
    10: "keyAgreementBadKeyConfirm", 11: "invalidOrMissingCertificate",
    12: "noPartnerLinkKeyReceived", 13: "noCBKEResponse"}
# UnjoinDeviceResponse (CS04x) — MMC "Unjoin commands 8.8.1, 8.8.2"
UNJOIN_CODES = {0: "success", 1: "otherDeviceNotInDeviceLog", 2: "otherFailure"}
# ReadDeviceJoinDetailsResponse (CS07) response code — MMC "Read Device Join Service 8.9"
READ_DEVICE_LOG_CODES = {0: "success", 1: "readFailure"}
# ReadPPMIDHCALCSFirmwareVersionResponse (CS08) response code (no MMC status element)
READ_FIRMWARE_CODES = {0: "success", 1: "readFailure"}
# ActivateImageResponseCode (CS06) — MMC "Activate Image Code 11.3"
ACTIVATE_IMAGE_CODES = {0: "success", 1: "noImageHeld", 2: "hashMismatch", 3: "activationFailure"}
# SetTimeResponse device time status (GCS28) — MMC "Synchronise Clock 6.11"
TIME_STATUS_CODES = {0: "reliable", 1: "invalid", 2: "unreliable"}
# StatusCode ENUMERATED (CS02a/CS02b/CS02f) — MMC "Provide/Update Security Credentials" group
STATUS_CODES = {0: "success", 5: "badCertificate", 10: "noTrustAnchor", 17: "insufficientMemory",
                25: "trustAnchorNotFound", 30: "resourcesBusy", 127: "other"}
# RemotePartyRole (GBCS) → MMC ra:RemotePartyRole; 6 wanProvider, 7 issuingAuthority and
# 127 other have no MMC value
REMOTE_PARTY_ROLES = {0: "Root", 1: "Recovery", 2: "Supplier", 3: "NetworkOperator", 4: "ACB",
                      5: "TransCoS", 8: "LoadController"}      # 8 [d]: CS02g Load Controller
# CredentialsReplacementMode (GBCS) → MMC ExecutionOutcome/CredentialsReplacementMode
REPLACEMENT_MODES = {2: "SupplierBySupplier", 3: "NetworkOperatorByNetworkOperator",
                     4: "ACBByACB", 7: "SupplierByTransCoS",
                     11: "LoadControllerBySupplier"}            # 11 [d]: CS02g by Supplier
# DeviceType (GBCS) → MMC ra:DeviceType
DEVICE_TYPES = {0: "GSME", 1: "ESME", 2: "CHF", 3: "GPF", 4: "HCALCS", 5: "PPMID", 6: "Type2"}
# KeyUsage BIT STRING bits (X.509): digitalSignature (0), keyAgreement (4), keyCertSign (5)
KEY_USAGE_DIGITAL_SIGNATURE, KEY_USAGE_KEY_AGREEMENT, KEY_USAGE_KEY_CERT_SIGN = 0, 4, 5
CELL_USAGE_PREPAYMENT_TOP_UP = 1                                # CellUsage DEFAULT management(0)


@dataclass(frozen=True)
class Asn1UseCase:
    """One catalogue entry: a GBCS ASN.1 response and the MMC element it becomes."""

    message_codes: tuple[int, ...]
    use_case: str
    gbcs_type: str                       # the GBCS ASN.1 type of the response payload
    mmc_types: tuple[tuple[str, str], ...]   # (SRV, MMC complexType) in SRV order
    shape: "Callable[[Reader, Builder], None]"


class Reader:
    """The DER payload of one response, with the warnings and success verdict its reading
    gathers."""

    def __init__(self, data: bytes) -> None:
        self.data = data
        self.warnings: list[str] = []
        self.failures: list[Failure] = []
        self.success = True
        self.top = asn1.check_tree(data)       # every length, depth and count checked first
        if len(self.top) != 1:
            raise UseCaseError(f"expected one top-level DER element, found {len(self.top)}",
                               self.top[1].offset if len(self.top) > 1 else 0)

    @property
    def root(self) -> Element:
        return self.top[0]

    def cursor(self, element: Element) -> Cursor:
        return Cursor(self.data, element)

    def integer(self, element: Element) -> int:
        return asn1.integer(self.data, element)

    def unsigned(self, element: Element, what: str) -> int:
        """An INTEGER that MMC writes as xs:nonNegativeInteger (counters, sequence numbers)."""
        value = self.integer(element)
        if value < 0:
            raise UseCaseError(f"{what} is negative ({value})", element.offset)
        return value

    def octets(self, element: Element) -> bytes:
        return asn1.octets(self.data, element)

    def status(self, parent: Builder, name: str, code: int, table: dict[int, str],
               what: str) -> None:
        """An MMC StatusASN1 element for a GBCS response code; a code other than success
        marks the response failed and is said in a warning."""
        status = table.get(code)
        element = parent.add(name, ResponseCode=code)
        element.add("ASN1Status", status if status is not None else "notKnown")
        if status not in ("success", "reliable"):
            self.failures.append(Failure("asn1", code, status or "notKnown", element=name))
            self.fail(f"{what}: response code {code} ({status or 'not a GBCS value'})")

    def fail(self, warning: str) -> None:
        self.success = False
        self.warnings.append(warning)


def eui(raw: bytes) -> str:
    return "-".join(f"{octet:02X}" for octet in raw)


def _expect(reader: Reader, element: Element, number: int, what: str) -> None:
    if element.tag_class != asn1.UNIVERSAL or element.number != number:
        raise UseCaseError(f"{what}: unexpected {element.describe()}", element.offset)


# --- shapes ----------------------------------------------------------------------------------

def status_only(name: str, table: dict[int, str], what: str) -> "Callable[[Reader, Builder], None]":
    """An INTEGER response code and nothing else (CS02d, CS03x, CS04x)."""
    def shape(reader: Reader, root: Builder) -> None:
        _expect(reader, reader.root, asn1.INTEGER, what)
        reader.status(root, name, reader.integer(reader.root), table, what)
    return shape


def sequence_or_code(value_name: str, status_name: str, table: dict[int, str], what: str,
                     encode: Callable[[bytes], object]) -> "Callable[[Reader, Builder], None]":
    """CHOICE { the DER structure that is the answer, INTEGER error code } (CS02c, CS02e)."""
    def shape(reader: Reader, root: Builder) -> None:
        element = reader.root
        if element.is_universal(asn1.SEQUENCE):
            root.add(value_name, encode(reader.data[element.offset:element.end]))  # type: ignore[arg-type]
            return
        _expect(reader, element, asn1.INTEGER, what)
        reader.status(root, status_name, reader.integer(element), table, what)
    return shape


def _base64(raw: bytes) -> str:
    return base64.b64encode(raw).decode("ascii")


def set_time(reader: Reader, root: Builder) -> None:
    """GCS28 SetTimeResponse ::= SEQUENCE { deviceTime GeneralizedTime,
    deviceTimeStatus INTEGER {reliable(0), invalid(1), unreliable(2)} }."""
    cursor = reader.cursor(reader.root)
    moment = asn1.generalized_time(reader.data, cursor.next("deviceTime", asn1.GENERALIZED_TIME))
    code = reader.integer(cursor.next("deviceTimeStatus", asn1.INTEGER))
    cursor.finish("SetTimeResponse")
    root.add("DeviceTime", moment)
    gas = root.add("Gas")
    reader.status(gas, "GasClockTimeStatus", code, TIME_STATUS_CODES, "GCS28 device time status")


def read_device_log(reader: Reader, root: Builder) -> None:
    """CS07 ReadDeviceJoinDetailsResponse ::= SEQUENCE { responseCode INTEGER,
    deviceLogEntries SEQUENCE OF DeviceLogEntry OPTIONAL }."""
    cursor = reader.cursor(reader.root)
    code = reader.integer(cursor.next("responseCode", asn1.INTEGER))
    if code != 0:
        reader.fail(f"CS07 read device log: response code {code} "
                    f"({READ_DEVICE_LOG_CODES.get(code, 'not a GBCS value')})")
    entries = cursor.optional(asn1.SEQUENCE)
    cursor.finish("ReadDeviceJoinDetailsResponse")
    if entries is None:
        return
    log = root.add("DeviceLogEntries")
    for entry in reader.cursor(entries).items:
        device_log_entry(reader, entry, log.add("LogEntry"))


def device_log_entry(reader: Reader, element: Element, into: Builder) -> None:
    """DeviceLogEntry ::= SEQUENCE { entityId OCTET STRING (SIZE(8)), deviceType INTEGER }."""
    cursor = reader.cursor(element)
    entity = reader.octets(cursor.next("entityId", asn1.OCTET_STRING))
    device_type = reader.integer(cursor.next("deviceType", asn1.INTEGER))
    cursor.finish("DeviceLogEntry")
    if len(entity) != 8:
        raise UseCaseError(f"device log entityId is {len(entity)} octets, not 8", element.offset)
    into.add("DeviceID", eui(entity))
    name = DEVICE_TYPES.get(device_type)
    if name is None:
        raise UseCaseError(f"device type {device_type} is not a GBCS DeviceType", element.offset)
    into.add("DeviceType", name)


def read_firmware_version(reader: Reader, root: Builder) -> None:
    """CS08 response ::= SEQUENCE { firmwareVersion OCTET STRING, responseCode INTEGER }.
    MMC FirmwareVersion is a string: the octets are written as hex."""
    cursor = reader.cursor(reader.root)
    version = reader.octets(cursor.next("firmwareVersion", asn1.OCTET_STRING))
    code = reader.integer(cursor.next("responseCode", asn1.INTEGER))
    cursor.finish("ReadPPMIDHCALCSFirmwareVersionResponse")
    if code != 0:
        reader.fail(f"CS08 read firmware version: response code {code} "
                    f"({READ_FIRMWARE_CODES.get(code, 'not a GBCS value')})")
        return
    root.add("FirmwareVersion", version.hex().upper())


def activate_firmware(reader: Reader, root: Builder) -> None:
    """CS06 ActivateFirmwareResponse ::= CHOICE { commandAccepted NULL (future-dated),
    ExecutionOutcome SEQUENCE { responseCode INTEGER, firmwareVersion OCTET STRING } }."""
    if reader.root.is_universal(asn1.NULL):
        return
    activation_outcome(reader, reader.root, root)


def activation_outcome(reader: Reader, element: Element, into: Builder) -> None:
    cursor = reader.cursor(element)
    code = reader.integer(cursor.next("responseCode", asn1.INTEGER))
    version = reader.octets(cursor.next("firmwareVersion", asn1.OCTET_STRING))
    cursor.finish("ActivateFirmware ExecutionOutcome")
    reader.status(into, "ActivateImageResponseCode", code, ACTIVATE_IMAGE_CODES,
                  "CS06 activate image")
    text = version.hex().upper()
    if 1 <= len(text) <= 8:
        into.add("FirmwareVersion", text)
    else:
        reader.warnings.append(f"firmware version {text} does not fit MMC FirmwareVersion "
                               "(1-8 characters); not written")


def restore_gpf_device_log(reader: Reader, root: Builder) -> None:
    """GCS59 GPFDeviceLogRestoreResponse ::= SEQUENCE { SEQUENCE OF SEQUENCE {
    DeviceLogEntry, joinResponseCode INTEGER } }."""
    cursor = reader.cursor(reader.root)
    outcomes = cursor.next("restoreOutcomes", asn1.SEQUENCE)
    cursor.finish("GPFDeviceLogRestoreResponse")
    for item in reader.cursor(outcomes).items:
        outcome = reader.cursor(item)
        entry = outcome.next("deviceLogEntry", asn1.SEQUENCE)
        code = reader.integer(outcome.next("joinResponseCode", asn1.INTEGER))
        outcome.finish("RestoreOutcome")
        into = root.add("RestoreDeviceLogOutcome")
        device_log_entry(reader, entry, into.add("DeviceLogEntry"))
        reader.status(into, "joinResponseCode", code, JOIN_CODES, "GCS59 restore outcome")


def update_security_credentials(reader: Reader, root: Builder) -> None:
    """CS02b/CS02g UpdateSecurityCredentialsResponse ::= SEQUENCE { commandAccepted NULL,
    executionOutcome ExecutionOutcome OPTIONAL (absent when future-dated) }."""
    cursor = reader.cursor(reader.root)
    asn1.null(reader.data, cursor.next("commandAccepted", asn1.NULL))
    outcome = cursor.optional(asn1.SEQUENCE)
    cursor.finish("UpdateSecurityCredentialsResponse")
    if outcome is not None:
        execution_outcome(reader, outcome, root.add("ExecutionOutcome"))


def execution_outcome(reader: Reader, element: Element, into: Builder) -> None:
    """ExecutionOutcome ::= SEQUENCE { authorisingRemotePartySeqNumber INTEGER,
    credentialsReplacementMode INTEGER, remotePartySeqNumberChanges SEQUENCE OF
    RemotePartySeqNumberChange, replacementOutcomes SEQUENCE OF ReplacementOutcome }
    → MMC ra:ExecutionOutcome (also the body of the 0x8F66/0x8F67 alerts of CS02b/CS02g)."""
    cursor = reader.cursor(element)
    counter = reader.unsigned(cursor.next("authorisingRemotePartySeqNumber", asn1.INTEGER),
                              "authorisingRemotePartySeqNumber")
    mode = reader.integer(cursor.next("credentialsReplacementMode", asn1.INTEGER))
    changes = cursor.next("remotePartySeqNumberChanges", asn1.SEQUENCE)
    outcomes = cursor.next("replacementOutcomes", asn1.SEQUENCE)
    cursor.finish("ExecutionOutcome")
    into.add("AuthorisingRemotePartyOriginatorCounter", counter)
    if mode in REPLACEMENT_MODES:
        into.add("CredentialsReplacementMode", REPLACEMENT_MODES[mode])
    else:
        reader.warnings.append(f"credentials replacement mode {mode} has no MMC value; "
                               "not written")
    change_items = reader.cursor(changes).items
    if len(change_items) > 1:
        reader.warnings.append(f"{len(change_items)} remote party seq number changes; MMC "
                               "carries one, the first is written")
    for change in change_items[:1]:
        seq = reader.cursor(change)
        role = reader.integer(seq.next("remotePartyRole", asn1.INTEGER))
        floor = reader.unsigned(seq.next("floorSeqNumber", asn1.INTEGER), "floorSeqNumber")
        specialist = seq.optional(asn1.SEQUENCE)
        seq.finish("RemotePartySeqNumberChange")
        target = into.add("RemotePartySeqNumberChange")
        _role(reader, target, role)
        target.add("RemotePartyFloorSeqNumber", floor)
        if specialist is not None:
            for item in reader.cursor(specialist).items:
                pair = reader.cursor(item)
                usage = reader.integer(pair.next("seqNumberUsage", asn1.INTEGER))
                number = reader.unsigned(pair.next("seqNumber", asn1.INTEGER), "seqNumber")
                pair.finish("SpecialistSeqNumber")
                if usage == 0:      # prepaymentTopUp
                    target.add("RemotePartyPrepaymentTopUpFloorSeqNumber", number)
    outcome_items = reader.cursor(outcomes).items
    if len(outcome_items) > 3:
        reader.warnings.append(f"{len(outcome_items)} replacement outcomes; MMC carries at "
                               "most 3, the first 3 are written")
    for item in outcome_items[:3]:
        replacement_outcome(reader, item, into.add("ReplacementOutcome"))


def replacement_outcome(reader: Reader, element: Element, into: Builder) -> None:
    """ReplacementOutcome ::= SEQUENCE { affectedTrustAnchorCell TrustAnchorCellIdentifier,
    statusCode StatusCode, existingSubjectUniqueID, existingSubjectKeyID,
    replacingSubjectUniqueID, replacingSubjectKeyID (OCTET STRING (SIZE(8)) each) }."""
    cursor = reader.cursor(element)
    cell = cursor.next("affectedTrustAnchorCell", asn1.SEQUENCE)
    status = reader.integer(cursor.next("statusCode", asn1.ENUMERATED))
    existing_id = reader.octets(cursor.next("existingSubjectUniqueID", asn1.OCTET_STRING))
    existing_key = reader.octets(cursor.next("existingSubjectKeyID", asn1.OCTET_STRING))
    new_id = reader.octets(cursor.next("replacingSubjectUniqueID", asn1.OCTET_STRING))
    new_key = reader.octets(cursor.next("replacingSubjectKeyID", asn1.OCTET_STRING))
    cursor.finish("ReplacementOutcome")
    role, certificate_type = trust_anchor_cell(reader, cell)
    reader.status(into, "StatusCode", status, STATUS_CODES, "replacement outcome")
    if certificate_type is not None:
        into.add("CertificateType", certificate_type)
    _role(reader, into, role)
    _eui(reader, into, "ExistingRemotePartyID", existing_id)
    _eui(reader, into, "NewRemotePartyID", new_id)
    into.add("ExistingCertificateHash", _base64(existing_key))
    into.add("NewCertificateHash", _base64(new_key))


def trust_anchor_cell(reader: Reader, element: Element) -> tuple[int, str | None]:
    """TrustAnchorCellIdentifier ::= SEQUENCE { remotePartyRole INTEGER, keyUsage KeyUsage,
    cellUsage CellUsage DEFAULT management } → (role, MMC CertificateType)."""
    cursor = reader.cursor(element)
    role = reader.integer(cursor.next("remotePartyRole", asn1.INTEGER))
    usage = key_usage(reader, cursor.next("keyUsage", asn1.BIT_STRING))
    cell = cursor.optional(asn1.INTEGER)
    cursor.finish("TrustAnchorCellIdentifier")
    cell_usage = 0 if cell is None else reader.integer(cell)
    return role, certificate_type(reader, usage, cell_usage)


def key_usage(reader: Reader, element: Element) -> set[int]:
    unused, raw = asn1.bit_string(reader.data, element)
    bits = {index for index in range(len(raw) * 8 - unused)
            if raw[index // 8] & (0x80 >> (index % 8))}
    return bits


def certificate_type(reader: Reader, bits: set[int], cell_usage: int) -> str | None:
    if bits == {KEY_USAGE_DIGITAL_SIGNATURE}:
        return "DigitalSigning"
    if bits == {KEY_USAGE_KEY_AGREEMENT}:
        return "KeyAgreementTopUp" if cell_usage == CELL_USAGE_PREPAYMENT_TOP_UP else "KeyAgreement"
    if bits == {KEY_USAGE_KEY_CERT_SIGN}:
        return "KeyCertSign"
    reader.warnings.append(f"key usage bits {sorted(bits)} match no MMC CertificateType")
    return None


def _role(reader: Reader, into: Builder, role: int) -> None:
    if role in REMOTE_PARTY_ROLES:
        into.add("RemotePartyRole", REMOTE_PARTY_ROLES[role])
    else:
        reader.warnings.append(f"remote party role {role} has no MMC RemotePartyRole; not written")


def _eui(reader: Reader, into: Builder, name: str, raw: bytes) -> None:
    if len(raw) == 8:
        into.add(name, eui(raw))
    else:
        reader.warnings.append(f"{name}: {len(raw)} octets is not an EUI-64; not written")


def provide_security_credentials(reader: Reader, root: Builder) -> None:
    """CS02a/CS02f ProvideSecurityCredentialDetailsResponse ::= SEQUENCE OF RemotePartyDetails;
    RemotePartyDetails ::= SEQUENCE { remotePartyRole, statusCode, currentSeqNumber INTEGER
    OPTIONAL, trustAnchorCellDetails SEQUENCE OF SEQUENCE { keyUsage, cellUsage DEFAULT,
    subjectUniqueID, subjectKeyIdentifier } OPTIONAL }. MMC repeats RemotePartyDetails once
    per trust anchor cell."""
    for item in reader.cursor(reader.root).items:
        cursor = reader.cursor(item)
        role = reader.integer(cursor.next("remotePartyRole", asn1.INTEGER))
        status = reader.integer(cursor.next("statusCode", asn1.ENUMERATED))
        seq = cursor.optional(asn1.INTEGER)
        cells = cursor.optional(asn1.SEQUENCE)
        cursor.finish("RemotePartyDetails")
        cell_items: list[Element | None] = list(reader.cursor(cells).items) if cells else []
        for cell in cell_items or [None]:
            details = root.add("RemotePartyDetails")
            _role(reader, details, role)
            reader.status(details, "StatusCode", status, STATUS_CODES, "remote party details")
            if seq is not None:
                details.add("RemotePartyFloorSeqNumber", reader.unsigned(seq, "currentSeqNumber"))
            if cell is None:
                continue
            contents = reader.cursor(cell)
            usage = key_usage(reader, contents.next("keyUsage", asn1.BIT_STRING))
            cell_usage_element = contents.optional(asn1.INTEGER)
            unique_id = reader.octets(contents.next("subjectUniqueID", asn1.OCTET_STRING))
            key_id = reader.octets(contents.next("subjectKeyIdentifier", asn1.OCTET_STRING))
            contents.finish("TrustAnchorCellContents")
            kind = certificate_type(reader, usage, 0 if cell_usage_element is None
                                    else reader.integer(cell_usage_element))
            if kind is not None:
                details.add("CertificateUsage", kind)
            _eui(reader, details, "ExistingRemotePartyID", unique_id)
            details.add("ExistingCertificateHash", _base64(key_id))


# --- the catalogue ---------------------------------------------------------------------------

USE_CASES: tuple[Asn1UseCase, ...] = (
    Asn1UseCase((0x000A,), "CS02c", "IssueSecurityCredentialsResponse",
                (("6.17", "IssueSecurityCredentialsRsp"),),
                sequence_or_code("CertificationRequest", "IssueCredentialsResponseCode",
                                 ISSUE_CREDENTIALS_CODES, "CS02c issue credentials", _base64)),
    Asn1UseCase((0x000B,), "CS02d", "UpdateDeviceCertificateResponse",
                (("6.15.2", "UpdateSecurityCredentialsDeviceRsp"),),
                status_only("UpdateSecurityCredentialsResponseCode",
                            UPDATE_DEVICE_CERTIFICATE_CODES, "CS02d update device certificate")),
    Asn1UseCase((0x000C,), "CS02e", "ProvideDeviceCertificateResponse",
                (("6.24.2", "RetrieveDeviceSecurityCredentialsDeviceRsp"),),
                sequence_or_code("Certificate", "RetrieveDeviceSecurityCredentialsStatusCode",
                                 PROVIDE_DEVICE_CERTIFICATE_CODES,
                                 "CS02e provide device certificate", _base64)),
    Asn1UseCase((0x000D, 0x000E, 0x00AB, 0x00AF), "CS03", "JoinDeviceResponse",
                (("8.7.1", "JoinServiceCriticalRsp"), ("8.7.2", "JoinServiceNonCriticalRsp")),
                status_only("joinResponseCode", JOIN_CODES, "CS03 join")),
    Asn1UseCase((0x000F, 0x0010), "CS04", "UnjoinDeviceResponse",
                (("8.8.1", "UnjoinServiceCriticalRsp"), ("8.8.2", "UnjoinServiceNonCriticalRsp")),
                status_only("unjoinResponseCode", UNJOIN_CODES, "CS04 unjoin")),
    Asn1UseCase((0x0012,), "CS06", "ActivateFirmwareResponse",
                (("11.3", "ActivateFirmwareRsp"),), activate_firmware),
    Asn1UseCase((0x0013,), "CS07", "ReadDeviceJoinDetailsResponse",
                (("8.9", "ReadDeviceLogRsp"),), read_device_log),
    Asn1UseCase((0x007F,), "GCS28", "SetTimeResponse",
                (("6.11", "SynchroniseClockRsp"), ("8.1.1", "CommissionDeviceSynchroniseClockRsp")),
                set_time),
    Asn1UseCase((0x008C,), "GCS59", "GPFDeviceLogRestoreResponse",
                (("8.12.2", "RestoreGPFDeviceLogRsp"),), restore_gpf_device_log),
    Asn1UseCase((0x0129,), "CS08", "ReadPPMIDHCALCSFirmwareVersionResponse",
                (("11.2", "ReadFirmwareVersionRsp"),), read_firmware_version),
    Asn1UseCase((0x0102, 0x0103, 0x0126), "CS02b/CS02g",
                "UpdateSecurityCredentialsResponse",
                (("6.15.1", "UpdateSecurityCredentialsKRPRsp"),
                 ("6.21", "RequestHandoverOfDCCControlledDeviceRsp")),
                update_security_credentials),
    Asn1UseCase((0x0104,), "CS02b", "UpdateSecurityCredentialsResponse",
                (("8.5", "ServiceOptOutRsp"),), update_security_credentials),
    Asn1UseCase((0x0107,), "CS02b", "UpdateSecurityCredentialsResponse",
                (("6.23", "UpdateSecurityCredentialsCoSRsp"),), update_security_credentials),
    Asn1UseCase((0x011B,), "CS02f", "ProvideSecurityCredentialDetailsResponse",
                (("6.24.1", "RetrieveDeviceSecurityCredentialsKRPRsp"),),
                provide_security_credentials),
)

# CS02b variants that no DUIS SRV sends (recovery, contingency, WAN provider, TransCoS):
# their responses keep GBCSData only — MMC has no response type for them.
NO_MMC_TYPE: tuple[tuple[int, str, str], ...] = (
    (0x0100, "CS02b", "rootBySupplier: no SRV"),
    (0x0101, "CS02b", "rootByWanProvider: no SRV"),
    (0x0105, "CS02b", "wanProviderByWanProvider: no SRV"),
    (0x0106, "CS02b", "transCoSByTransCoS: no SRV"),
    (0x0108, "CS02b", "anyExceptAbnormalRootByRecovery: no SRV"),
    (0x0109, "CS02b", "anyByContingency: no SRV"),
    (0x0125, "CS02g", "loadControllerByLoadController: no SRV"),
)


def _choose_type(entry: Asn1UseCase, srv: str | None) -> tuple[str, list[str]]:
    """The MMC type for the message's SRV; without one (an RTDS file, or a message code that
    several SRVs share) the first, said in a warning when it is a guess."""
    for variant, mmc_type in entry.mmc_types:
        if srv == variant:
            return mmc_type, []
    mmc_type = entry.mmc_types[0][1]
    if len(entry.mmc_types) == 1:
        return mmc_type, []
    choices = " or ".join(variant for variant, _ in entry.mmc_types)
    return mmc_type, [f"{entry.use_case}: the SRV ({choices}) is not known; {mmc_type} is "
                      "written (the types carry the same content)"]


def _decoder(entry: Asn1UseCase) -> "Callable[[Content], UseCaseResult | None]":
    def decode(message: Content) -> UseCaseResult | None:
        parts = [part for part in message.parts if part.kind == "asn1"]
        if len(parts) != 1:
            raise UseCaseError(f"{entry.use_case}: expected one ASN.1 payload part, "
                               f"found {len(parts)}", None)
        part = parts[0]
        if part.plaintext is None:
            return None
        mmc_type, warnings = _choose_type(entry, message.frame.service_reference_variant)
        try:
            reader = Reader(part.plaintext)
            root = Builder(mmc_type)
            entry.shape(reader, root)
        except DecodeError as exc:
            raise type(exc)(exc.reason, exc.offset, exc.code, f"payload part {part.name!r}") \
                from None
        root.attributes["MessageSuccess"] = reader.success
        return UseCaseResult(root.build(), tuple(reader.failures),
                             tuple(warnings + reader.warnings))
    decode.__name__ = f"decode_{entry.use_case.replace('/', '_')}"
    return decode


for _entry in USE_CASES:
    register(*_entry.message_codes)(_decoder(_entry))


def coverage_rows() -> list[tuple[str, str, str, str, str]]:
    """(use_case, srv, mmc_type, encoding, status) for every ASN.1 use case pandc knows."""
    rows = []
    for entry in USE_CASES:
        for srv, mmc_type in entry.mmc_types:
            codes = "/".join(f"0x{code:04X}" for code in entry.message_codes)
            rows.append((f"{entry.use_case} ({codes})", srv, mmc_type, "ASN.1", "decoded"))
    for code, use_case, reason in NO_MMC_TYPE:
        rows.append((f"{use_case} (0x{code:04X})", "", "", "ASN.1",
                     f"GBCSData only ({reason})"))
    return rows


__all__ = ["USE_CASES", "Asn1UseCase", "Reader", "coverage_rows", "execution_outcome",
           "activation_outcome", "device_log_entry"]
