"""DUIS Service Requests (``sr:Request``) read into a typed, immutable :class:`Request`.

DUIS V5.4 (namespace ``http://www.dccinterface.co.uk/ServiceUserGateway``):
``sr:Request`` → ``sr:Header`` (``RequestID`` = ``{originator EUI}:{target EUI}:{counter}``,
``CommandVariant``, ``ServiceReference``, ``ServiceReferenceVariant``) and ``sr:Body`` holding
one request element; an optional ``ds:Signature`` follows (not part of the request's content).

The body becomes a :class:`pandc.values.Node` tree. Leaves are typed by their lexical form as
the DUIS XSD writes them: xs:integer → int, xs:decimal → Decimal, xs:boolean → bool,
xs:dateTime → datetime (UTC), xs:time → time, xs:date → date; anything else stays str.
Elements the XSD types as free text (:data:`TEXT_ELEMENTS`) keep their text as it is.
(Typing the rest by form, not by the XSD's declared type, keeps parsing schema-free:
catalogue entries convert what they read with the rule GBCS gives, e.g. ``SpecifiedMonth``
"06" → 6.)
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta, timezone
from decimal import Decimal
from pathlib import Path
from typing import Union

from lxml import etree

from ..errors import DecodeError
from ..hardened_xml import doctype_refused, has_doctype, parse_strictly
from ..values import Node, Scalar

DUIS_NAMESPACE = "http://www.dccinterface.co.uk/ServiceUserGateway"
MAX_BODY_DEPTH = 64            # DUIS bodies nest ~10 levels; deeper is hostile
MAX_BODY_ELEMENTS = 50_000     # the largest DUIS request (a tariff) has a few thousand

RequestSource = Union[bytes, str, Path]

#: Elements the DUIS V5.4 XSD types as free text (xs:string/xs:token or a pattern/length
#: restriction of them, no enumeration): their leaves stay str even when they look like a
#: number or a date ("007" labels, MPANs with leading zeros, PINs).
TEXT_ELEMENTS = frozenset({
    "AdditionalInformation", "AddressIdentifier", "AlertID", "AssociatedGPFDeviceID",
    "AuxiliaryEquipmentRequired", "CHFDeviceID", "ChangeOfSupplierServiceRequestID",
    "CommandRequestID", "CommsHubDeviceID", "CustomerIdentificationNumber", "DCCAlertCode",
    "DeviceFirmwareVersion", "DeviceGBCSVersion", "DeviceID", "DeviceIDList",
    "DeviceIDToSuspend", "DeviceList", "DeviceManufacturer", "DeviceModel", "ECoSAlertCode",
    "ECoSErrorCode", "ESMEDeviceID", "ExportMPAN", "FirmwareVersion", "FirmwareVersionDevice",
    "FirmwareVersionSMI", "GBCSVersion", "GISData", "HANVariant", "HCALCS", "ImportMPAN",
    "ImportMPRN", "ImportMPxN", "IncidentReference", "InvalidDeviceIDList",
    "InvalidGBCSVersionList", "MPxN", "MeterIDs", "NewCHFDeviceID", "NewGPFDeviceID",
    "NotApplicableFirmwareDeviceIDList", "NotCommissionedDeviceIDList", "OldCHFDeviceID",
    "OldCHFID", "OldGPFDeviceID", "OldGPFID", "OriginalRequestID", "OtherDeviceID",
    "OtherRequestInProgressList", "PPMIDDeviceID", "PostCode", "PrecedingServiceRequestID",
    "RequestID", "ResponseID", "S1SP", "S1SPAlertCode", "SMETSCHTSVersion", "SeasonName",
    "SecondaryImportMPAN", "ServiceReference", "ServiceReferenceVariant",
    "ServiceRequestDUISVersion", "ServiceUserDUISVersion", "SupplierMessage", "SupplierName",
    "SupplierTelephoneNumber", "SwitchDescription", "TargetDeviceID", "UTRN",
    "UpdateFirmwareRequestID", "UpdateHANDeviceLogServiceRequestID", "UserRefID",
    "WANTechnology",
})


class RequestError(DecodeError):
    """A document that is not a readable DUIS Service Request; ``reason`` names the element."""


def read_duis_tree(data: bytes, error: type[DecodeError], what: str) -> "etree._ElementTree":
    """A DUIS document parsed with the hardened parser; not well-formed XML raises ``error``,
    a DOCTYPE the hardened refusal naming ``what``."""
    try:
        tree = etree.ElementTree(parse_strictly(data))
    except etree.XMLSyntaxError as exc:
        raise error(f"not well-formed XML: {exc.msg}") from None
    if has_doctype(tree):
        raise doctype_refused(what)
    return tree


@dataclass(frozen=True, slots=True)
class Request:
    """One DUIS Service Request. EUIs are written ``00-DB-12-34-56-78-90-A0`` (upper case)."""

    originator: str            # the User's EUI-64 (RequestID part 1)
    target: str                # the target device's EUI-64 (RequestID part 2)
    counter: int               # the User's originator counter (RequestID part 3)
    command_variant: int
    service_reference: str
    service_reference_variant: str
    body: Node                 # the request element under sr:Body (e.g. UpdateMeterBalance)
    schema_version: str | None = None

    @property
    def request_id(self) -> str:
        return f"{self.originator}:{self.target}:{self.counter}"

    @property
    def name(self) -> str:
        return self.body.name


_EUI = re.compile(r"^[0-9A-Fa-f]{2}(-[0-9A-Fa-f]{2}){7}$")
_INTEGER = re.compile(r"^[+-]?\d+$")
_DECIMAL = re.compile(r"^[+-]?(\d+\.\d*|\.\d+)$")
_DATE_TIME = re.compile(
    r"^(-?\d{4,})-(\d\d)-(\d\d)T(\d\d):(\d\d):(\d\d)(\.\d+)?(Z|[+-]\d\d:\d\d)?$")
_TIME = re.compile(r"^(\d\d):(\d\d):(\d\d)(\.\d+)?(Z|[+-]\d\d:\d\d)?$")
_DATE = re.compile(r"^(\d{4})-(\d\d)-(\d\d)(Z|[+-]\d\d:\d\d)?$")


def _zone(text: str | None) -> timezone:
    if not text or text == "Z":
        return timezone.utc     # GB smart metering time is UTC (FACTS §3)
    sign = -1 if text[0] == "-" else 1
    return timezone(sign * timedelta(hours=int(text[1:3]), minutes=int(text[4:6])))


def _microseconds(fraction: str | None) -> int:
    return int((fraction[1:] + "000000")[:6]) if fraction else 0


def typed(text: str) -> Scalar:
    """A DUIS leaf's text as a typed value (see the module doc); str when no form fits."""
    if _INTEGER.match(text):
        return int(text)
    if _DECIMAL.match(text):
        return Decimal(text)
    if text in ("true", "false"):
        return text == "true"
    match = _DATE_TIME.match(text)
    if match:
        y, mo, d, h, mi, s, frac, zone = match.groups()
        try:
            return datetime(int(y), int(mo), int(d), int(h), int(mi), int(s),
                            _microseconds(frac), _zone(zone)).astimezone(timezone.utc)
        except (ValueError, OverflowError):
            return text
    match = _TIME.match(text)
    if match:
        h, mi, s, frac, zone = match.groups()
        try:
            return time(int(h), int(mi), int(s), _microseconds(frac), _zone(zone))
        except ValueError:
            return text
    match = _DATE.match(text)
    if match:
        try:
            return date(int(match.group(1)), int(match.group(2)), int(match.group(3)))
        except ValueError:
            return text
    return text


def _local(element: etree._Element) -> str:
    return str(etree.QName(element).localname)


def _body_tree(root: etree._Element) -> Node:
    """The element tree below ``root`` as Nodes, built bottom-up with an explicit stack."""
    # Each frame: (element, its child elements, index of the next child, built children).
    stack: list[tuple[etree._Element, list[etree._Element], list[Node]]] = []
    count = 0

    def open_frame(element: etree._Element) -> None:
        nonlocal count
        count += 1
        if count > MAX_BODY_ELEMENTS:
            raise RequestError(f"{_local(element)}: more than {MAX_BODY_ELEMENTS} elements "
                               "in the request body")
        if len(stack) >= MAX_BODY_DEPTH:
            raise RequestError(f"{_local(element)}: request body nested deeper than "
                               f"{MAX_BODY_DEPTH} levels")
        children = [c for c in element if isinstance(c.tag, str)]
        children.reverse()
        stack.append((element, children, []))

    open_frame(root)
    while True:
        element, pending, built = stack[-1]
        if pending:
            open_frame(pending.pop())
            continue
        stack.pop()
        attributes = tuple((etree.QName(k).localname, typed(str(v)))
                           for k, v in element.attrib.items())
        if built:
            made = Node(_local(element), None, tuple(built), attributes)
        else:
            name = _local(element)
            raw = element.text or ""
            if name in TEXT_ELEMENTS:
                made = Node(name, raw if raw.strip() else None, (), attributes)
            else:
                content = raw.strip()
                made = Node(name, typed(content) if content else None, (), attributes)
        if not stack:
            return made
        stack[-1][2].append(made)


def _header_text(header: etree._Element, name: str, required: bool = True) -> str | None:
    element = header.find(f"{{{DUIS_NAMESPACE}}}{name}")
    if element is None or not (element.text or "").strip():
        if required:
            raise RequestError(f"sr:Header/sr:{name}: missing or empty")
        return None
    return (element.text or "").strip()


def _eui(text: str, what: str) -> str:
    if not _EUI.match(text):
        raise RequestError(f"sr:Header/sr:RequestID: {what} {text!r} is not an EUI-64 "
                           "written as 8 hex pairs separated by '-'")
    return text.upper()


def _read_document(source: RequestSource) -> bytes:
    if isinstance(source, Path):
        try:
            return source.read_bytes()
        except OSError as exc:
            raise RequestError(f"{source}: cannot read: {exc.strerror}") from None
    if isinstance(source, str):
        return source.encode("utf-8")
    if isinstance(source, (bytes, bytearray, memoryview)):
        return bytes(source)
    raise TypeError(f"expected DUIS XML as bytes, str or Path, not {type(source).__name__}")


def parse_request(xml: RequestSource) -> Request:
    """Read a DUIS Service Request (XML bytes/text, or a Path to a file).

    Raises :class:`RequestError` (a ``PandcError``) naming the element when the document is
    not well-formed XML, declares a DOCTYPE, or is not an ``sr:Request`` with a usable header
    and one body element.
    """
    tree = read_duis_tree(_read_document(xml), RequestError, "DUIS request")
    root = tree.getroot()
    if root.tag != f"{{{DUIS_NAMESPACE}}}Request":
        raise RequestError(f"root element {root.tag!s}: expected sr:Request in "
                           f"{DUIS_NAMESPACE}")
    header = root.find(f"{{{DUIS_NAMESPACE}}}Header")
    if header is None:
        raise RequestError("sr:Request/sr:Header: missing")
    request_id = _header_text(header, "RequestID")
    assert request_id is not None
    parts = request_id.split(":")
    if len(parts) != 3:
        raise RequestError(f"sr:Header/sr:RequestID: {request_id!r} is not "
                           "'{originator EUI}:{target EUI}:{counter}'")
    originator, target = _eui(parts[0], "originator"), _eui(parts[1], "target")
    if not parts[2].isdigit() or int(parts[2]) >= 1 << 64:
        raise RequestError(f"sr:Header/sr:RequestID: counter {parts[2]!r} is not an unsigned "
                           "64-bit integer")
    variant_text = _header_text(header, "CommandVariant")
    assert variant_text is not None
    if not variant_text.isdigit():
        raise RequestError(f"sr:Header/sr:CommandVariant: {variant_text!r} is not an integer")
    service_reference = _header_text(header, "ServiceReference")
    service_reference_variant = _header_text(header, "ServiceReferenceVariant")
    assert service_reference is not None and service_reference_variant is not None
    body = root.find(f"{{{DUIS_NAMESPACE}}}Body")
    if body is None:
        raise RequestError("sr:Request/sr:Body: missing")
    elements = [c for c in body if isinstance(c.tag, str)]
    if len(elements) != 1:
        raise RequestError(f"sr:Body: expected one request element, found {len(elements)}")
    return Request(
        originator=originator,
        target=target,
        counter=int(parts[2]),
        command_variant=int(variant_text),
        service_reference=service_reference,
        service_reference_variant=service_reference_variant,
        body=_body_tree(elements[0]),
        schema_version=root.get("schemaVersion"),
    )
