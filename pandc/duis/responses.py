"""Every kind of DUIS Response document as typed objects, read streaming.

A DUIS ``sr:Response`` (DUIS V5.4) is a Header (RequestID, ResponseID, ResponseCode,
ResponseDateTime), a Body holding exactly one of ResponseMessage, DeviceAlertMessage,
DCCAlertMessage or SMETS1ResponseMessage, and an optional ``ds:Signature``. A ResponseMessage
is ServiceReference, ServiceReferenceVariant and at most one body element:

======================================  ===============================  ==================
body element (DUIS V5.4 ResponseMessage)  what it is                        ``kind`` / ``body``
======================================  ===============================  ==================
(none)                                  acknowledgement / status only     acknowledgement, None
GBCSPayload                             device response (GBCS)            gbcs_payload, GbcsPayload
PreCommand, LocalCommand,               DSP-built GBCS commands           gbcs_payload, GbcsPayload
FutureDatedDeviceAlertMessage,
CINMessage, DSPScheduledMessage         GBCS payload with DSP fields      gbcs_payload, GbcsPayload
DSPInventory (SRV 8.2)                  device inventory                  inventory, Inventory
DSPWANMatrix (SRV 12.1)                 WAN coverage per CSP region       wan_matrix, WanMatrix
DSPOptIn, DSPSchedulesRead,             other DSP-generated bodies        dsp, DspBody
DSPScheduleID, DSPUpdateFirmwareWarning,
DSPUpdatePPMIDFirmwareWarning
======================================  ===============================  ==================

DeviceAlertMessage → ``device_alert`` / :class:`DeviceAlert`; DCCAlertMessage → ``dcc_alert`` /
:class:`DccAlert`; SMETS1ResponseMessage → ``smets1`` / :class:`DspBody`.

Reading is streaming and hardened (``pandc.hardened_xml``: no DTD, no entities, no network,
DOCTYPE refused): each ``sr:Response`` is turned into an object as soon as its end tag is read,
then cleared and dropped with the siblings handled before it, so a file of a million
responses costs what one does. A Response pandc cannot read is a :class:`DuisError` naming the
element and its line; the responses after it are still read.
"""
from __future__ import annotations

import io
import os
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any, BinaryIO, cast

from lxml import etree

from . import _xml as x
from ._xml import DuisError
from .codes import ResponseCode, response_code
from .coverage import WanMatrix, read_wan_matrix, wan_matrix_node
from .generic import to_node
from .inventory import Inventory, inventory_node, read_inventory
from ..hardened_xml import PARSER_OPTIONS, doctype_refused
from ..values import Node, to_json
from ..codec.dates import format_date_time

#: A Response longer than this is refused (a DUIS V5.4 Response is far smaller: a 17-device
#: inventory is a few kB, a GBCS payload at most some 100 kB of base64).
MAX_BYTES_PER_RESPONSE = 64 * 1024 * 1024
_CHUNK = 64 * 1024

_GBCS_BODIES = ("GBCSPayload", "PreCommand", "LocalCommand", "FutureDatedDeviceAlertMessage",
                "CINMessage", "DSPScheduledMessage")
_DSP_BODIES = ("DSPOptIn", "DSPSchedulesRead", "DSPScheduleID", "DSPUpdateFirmwareWarning",
               "DSPUpdatePPMIDFirmwareWarning")
_HEADER = ("RequestID", "ResponseID", "ResponseCode", "ResponseDateTime")


@dataclass(frozen=True, slots=True)
class GbcsPayload:
    """A body carrying a GBCS message: ``element`` names it, ``payload`` is the decoded
    base64, ``details`` the DSP's other fields (GBCSVersion, InstructionNumber, ...)."""

    element: str
    payload: bytes
    details: Node | None = None


@dataclass(frozen=True, slots=True)
class DspBody:
    """A DSP-generated body without a dedicated record: its element as a typed value tree."""

    element: str
    values: Node


@dataclass(frozen=True, slots=True)
class DeviceAlert:
    """``sr:DeviceAlertMessage``: the device's alert code, throttling, and the GBCS alert."""

    alert_code: bytes
    payload: bytes
    throttled_alert_sequence_id: int | None = None
    throttled_alert_count: int | None = None

    @property
    def code(self) -> int:
        """The alert code as a number (0x8F66 for AlertCode 8F66)."""
        return int.from_bytes(self.alert_code, "big")

    @property
    def code_hex(self) -> str:
        return self.alert_code.hex().upper()


@dataclass(frozen=True, slots=True)
class DccAlert:
    """``sr:DCCAlertMessage``: the DCC alert code (AD1, N1 ... N999), throttling, and the
    DCCAlert choice (PowerOutageEvent, DeviceStatusChangeEvent, ...) as a value tree."""

    dcc_alert_code: str
    alert: Node
    throttled_alert_sequence_id: int | None = None
    throttled_alert_count: int | None = None

    @property
    def event(self) -> str:
        return self.alert.name


Body = GbcsPayload | Inventory | WanMatrix | DspBody | DeviceAlert | DccAlert | None


@dataclass(frozen=True, slots=True)
class DuisResponse:
    """One DUIS Response document."""

    kind: str                         # acknowledgement, gbcs_payload, inventory, wan_matrix,
    #                                   dsp, device_alert, dcc_alert, smets1
    schema_version: Decimal
    request_id: str | None
    response_id: str | None
    response_code: ResponseCode
    response_date_time: datetime
    service_reference: str | None
    service_reference_variant: str | None
    body: Body
    stored_values: Node | None        # the body as a value tree, when read generically
    signed: bool
    line: int
    warnings: tuple[str, ...] = ()

    @property
    def values(self) -> Node | None:
        """The body element as a typed value tree (DUIS element names; None: no body).
        Inventories and WAN matrices build theirs from their records when asked."""
        if self.stored_values is not None:
            return self.stored_values
        if isinstance(self.body, Inventory):
            return inventory_node(self.body)
        if isinstance(self.body, WanMatrix):
            return wan_matrix_node(self.body)
        return None

    @property
    def payload(self) -> bytes | None:
        """The GBCS message the response carries, if any."""
        if isinstance(self.body, (GbcsPayload, DeviceAlert)):
            return self.body.payload
        return None

    @property
    def device_id(self) -> str | None:
        """The device the response is about: the second part of the RequestID (for alerts,
        of the ResponseID, whose first part is the device)."""
        if self.request_id:
            parts = self.request_id.split(":")
            return parts[1] if len(parts) == 3 else None
        if self.response_id:
            parts = self.response_id.split(":")
            return parts[0] if len(parts) == 3 else None
        return None


def _optional_int(element: etree._Element, name: str) -> int | None:
    found = x.child(element, name)
    return None if found is None else x.to_int(found, 0, 0xFFFFFFFF)


def _check_order(element: etree._Element, allowed: tuple[str, ...]) -> list[etree._Element]:
    """The element's children, refused when one is foreign, repeated or out of order."""
    items = x.children(element)
    last = -1
    for item in items:
        name = x.local(item.tag)
        if item.tag != x.SR + name or name not in allowed:
            raise x.error_at(item, f"not an element of sr:{x.local(element.tag)}")
        position = allowed.index(name)
        if position <= last:
            raise x.error_at(item, f"out of order or repeated in sr:{x.local(element.tag)}")
        last = position
    return items


def _response_message(element: etree._Element, today: date
                      ) -> tuple[str, str, str, Body, Node | None, list[str]]:
    items = x.children(element)
    if len(items) < 2 or x.local(items[0].tag) != "ServiceReference" \
            or x.local(items[1].tag) != "ServiceReferenceVariant":
        raise x.error_at(element, "must start with sr:ServiceReference and "
                                  "sr:ServiceReferenceVariant")
    reference, variant = x.text(items[0]), x.text(items[1])
    if len(items) == 2:
        return "acknowledgement", reference, variant, None, None, []
    if len(items) > 3:
        raise x.error_at(items[3], "a ResponseMessage holds one body element")
    body_element = items[2]
    name = x.local(body_element.tag)
    if body_element.tag != x.SR + name:
        raise x.error_at(body_element, "not an element of sr:ResponseMessage")
    values: Node | None = None
    warnings: list[str] = []
    body: Body
    if name not in ("DSPInventory", "DSPWANMatrix"):
        values = to_node(body_element)
    if name == "GBCSPayload":
        body, kind = GbcsPayload(name, x.to_base64(body_element)), "gbcs_payload"
    elif name in _GBCS_BODIES:
        payload = x.to_base64(x.required(body_element, "GBCSPayload"))
        assert values is not None
        details = Node(name, None, tuple(c for c in values.children if c.name != "GBCSPayload"))
        body, kind = GbcsPayload(name, payload, details if details.children else None), "gbcs_payload"
    elif name == "DSPInventory":
        body, kind = read_inventory(body_element), "inventory"
        warnings.extend(body.warnings)
    elif name == "DSPWANMatrix":
        body, kind = read_wan_matrix(body_element, today), "wan_matrix"
        warnings.extend(body.warnings)
    elif name in _DSP_BODIES:
        assert values is not None
        body, kind = DspBody(name, values), "dsp"
    else:
        raise x.error_at(body_element, "not a DUIS V5.4 ResponseMessage body")
    return kind, reference, variant, body, values, warnings


def read_response(element: etree._Element) -> DuisResponse:
    """One ``sr:Response`` element (already fully parsed) as a :class:`DuisResponse`."""
    if element.tag != x.SR + "Response":
        raise x.error_at(element, "not a DUIS sr:Response")
    version_text = element.get("schemaVersion")
    if version_text is None:
        raise x.error_at(element, "missing the schemaVersion attribute")
    try:
        schema_version = Decimal(version_text.strip())
    except InvalidOperation:
        raise x.error_at(element, f"schemaVersion {version_text!r} is not a decimal") from None
    items = x.children(element)
    names = [x.local(item.tag) if item.tag.startswith(x.SR) else item.tag for item in items]
    signature_tag = "{%s}Signature" % x.DS_NAMESPACE
    expected = ["Header", "Body"] + ([signature_tag] if len(items) == 3 else [])
    if names != expected:
        culprit = next((item for item, name, want in zip(items, names, expected) if name != want),
                       items[len(expected)] if len(items) > len(expected) else element)
        if culprit is element:
            raise x.error_at(element, "must hold sr:Header, sr:Body and optionally ds:Signature")
        raise x.error_at(culprit, "unexpected here: sr:Response holds sr:Header, sr:Body and "
                                  "optionally ds:Signature")
    header, body_wrapper = items[0], items[1]
    _check_order(header, _HEADER)
    request_id = x.opt_text(header, "RequestID")
    response_id = x.opt_text(header, "ResponseID")
    code = response_code(x.req_text(header, "ResponseCode"), version_text.strip())
    moment = x.to_datetime(x.required(header, "ResponseDateTime"))
    warnings: list[str] = []
    if not code.known:
        warnings.append(f"ResponseCode {code.code!r} is not a DUIS V5.4 response code")
    body_items = x.children(body_wrapper)
    if len(body_items) != 1:
        raise x.error_at(body_wrapper, f"must hold exactly one element, holds {len(body_items)}")
    content = body_items[0]
    name = x.local(content.tag)
    reference = variant = None
    values: Node | None
    body: Body
    if content.tag != x.SR + name:
        raise x.error_at(content, "not an element of sr:Body")
    if name == "ResponseMessage":
        kind, reference, variant, body, values, more = _response_message(content, moment.date())
        warnings.extend(more)
    elif name == "DeviceAlertMessage":
        _check_order(content, ("AlertCode", "ThrottledAlertSequenceId", "ThrottledAlertCount",
                               "GBCSPayload"))
        body = DeviceAlert(x.to_hex(x.required(content, "AlertCode")),
                           x.to_base64(x.required(content, "GBCSPayload")),
                           _optional_int(content, "ThrottledAlertSequenceId"),
                           _optional_int(content, "ThrottledAlertCount"))
        kind, values = "device_alert", to_node(content)
    elif name == "DCCAlertMessage":
        _check_order(content, ("DCCAlertCode", "ThrottledAlertSequenceId",
                               "ThrottledAlertCount", "DCCAlert"))
        alert = x.children(x.required(content, "DCCAlert"))
        if len(alert) != 1:
            raise x.error_at(x.required(content, "DCCAlert"), "must hold exactly one event")
        body = DccAlert(x.req_text(content, "DCCAlertCode"), to_node(alert[0]),
                        _optional_int(content, "ThrottledAlertSequenceId"),
                        _optional_int(content, "ThrottledAlertCount"))
        kind, values = "dcc_alert", to_node(content)
    elif name == "SMETS1ResponseMessage":
        values = to_node(content)
        body, kind = DspBody(name, values), "smets1"
        reference = x.opt_text(content, "ServiceReference")
        variant = x.opt_text(content, "ServiceReferenceVariant")
    else:
        raise x.error_at(content, "not a DUIS V5.4 Response body")
    return DuisResponse(kind, schema_version, request_id, response_id, code, moment, reference,
                        variant, body, values, len(items) == 3, x.line_of(element),
                        tuple(warnings))


def _open(source: Any) -> tuple[BinaryIO, str, bool]:
    """(stream, name, must close) for bytes, XML text, a path or a file object."""
    if isinstance(source, (bytes, bytearray, memoryview)):
        return io.BytesIO(bytes(source)), "<bytes>", False
    if isinstance(source, str) and source.lstrip().startswith("<"):
        return io.BytesIO(source.encode("utf-8")), "<text>", False
    if isinstance(source, (str, os.PathLike)):
        try:
            return open(Path(source), "rb"), os.fspath(source), True
        except OSError as exc:
            raise DuisError(f"cannot read: {exc.strerror}", source=os.fspath(source)) from None
    if hasattr(source, "read"):
        return source, str(getattr(source, "name", "<stream>")), False
    raise TypeError(f"iter_duis takes XML bytes or text, a path or a binary file, not "
                    f"{type(source).__name__}")


def iter_duis(source: Any) -> Iterator[DuisResponse | DuisError]:
    """Every ``sr:Response`` in a document (or a file of many), in order, as it is read.

    A Response that cannot be read is yielded as a :class:`DuisError` in its place, and
    reading goes on; XML that is not well-formed stops the document with a DuisError naming
    the line. A document without any sr:Response gives one DuisError naming its root.
    """
    try:
        stream, name, close = _open(source)
    except DuisError as error:
        yield error
        return
    try:
        yield from _iter_stream(stream, name)
    finally:
        if close:
            stream.close()


def _prolog_has_doctype(head: bytes) -> bool | None:
    """True/False once the root start tag is in ``head``; None while only prolog was seen."""
    position = 0
    while True:
        found = head.find(b"<", position)
        if found < 0 or found + 1 >= len(head):
            return None
        following = head[found + 1:found + 2]
        if following == b"?":
            position = found + 2
            continue
        if following == b"!":
            if head.startswith(b"<!DOCTYPE", found):
                return True
            position = found + 2
            continue
        return False


def _iter_stream(stream: BinaryIO, name: str) -> Iterator[DuisResponse | DuisError]:
    response_tag = x.SR + "Response"
    # Only sr:Response end tags come back to Python: the elements inside are built by libxml2
    # and read from the finished Response, which is then dropped. A Response (or junk between
    # Responses) longer than MAX_BYTES_PER_RESPONSE is refused, so memory stays bounded.
    parser = etree.XMLPullParser(events=("end",), tag=response_tag, remove_pis=True,
                                 remove_comments=True,
                                 **PARSER_OPTIONS)  # type: ignore[arg-type, unused-ignore]
    found = 0
    pending = 0           # bytes read since the last Response was handed out and dropped
    head = b""
    prolog_checked = False

    def handle(element: etree._Element) -> Iterator[DuisResponse | DuisError]:
        try:
            yield read_response(element)
        except DuisError as error:
            error.source = name
            yield error
        element.clear(keep_tail=False)  # type: ignore[call-arg, unused-ignore]
        parent = element.getparent()
        if parent is not None:
            while element.getprevious() is not None:
                del parent[0]

    try:
        while True:
            chunk = stream.read(_CHUNK)
            if not chunk:
                break
            if isinstance(chunk, str):      # a text-mode file: the parser takes bytes
                chunk = chunk.encode("utf-8")
            if not prolog_checked:
                head += chunk
                verdict = _prolog_has_doctype(head)
                if verdict:
                    refused = doctype_refused("DUIS XML")
                    raise DuisError(refused.reason, "<!DOCTYPE>", 1, name)
                if verdict is False:
                    prolog_checked, head = True, b""
            parser.feed(chunk)
            pending += len(chunk)
            for _, element in parser.read_events():
                found += 1
                pending = 0
                yield from handle(cast(etree._Element, element))
            if pending > MAX_BYTES_PER_RESPONSE:
                raise DuisError(f"more than {MAX_BYTES_PER_RESPONSE} bytes without a complete "
                                "sr:Response", None, None, name)
        root = parser.close()
        for _, element in parser.read_events():
            found += 1
            yield from handle(cast(etree._Element, element))
    except etree.XMLSyntaxError as exc:
        line = exc.position[0] if exc.position else None
        yield DuisError(f"malformed XML: {exc.msg}", None, line, name)
        return
    except DuisError as error:
        error.source = error.source or name
        yield error
        return
    if not found:
        what = f"root element {root.tag!r}"
        if root.tag.startswith("{"):
            what = f"root element {x.local(root.tag)} in namespace {root.tag[1:].partition('}')[0]}"
        yield DuisError(f"not a DUIS Response document: {what} holds no sr:Response",
                        None, None, name)


def parse_duis(xml: bytes | str | os.PathLike[str] | BinaryIO) -> DuisResponse:
    """The one DUIS Response of a document; raises :class:`DuisError` (a PandcError) when it
    cannot be read or the document holds more than one Response (use iter_duis for those)."""
    result: DuisResponse | None = None
    for item in iter_duis(xml):
        if isinstance(item, DuisError):
            raise item
        if result is not None:
            raise DuisError("the document holds more than one sr:Response (use iter_duis)",
                            "sr:Response", item.line)
        result = item
    assert result is not None  # iter_duis yields an error for a document without a Response
    return result


def _json_scalar(value: Any) -> Any:
    if isinstance(value, datetime):
        return format_date_time(value)
    if isinstance(value, date):
        return value.isoformat()
    return value


def duis_record(response: DuisResponse, source: str | None = None) -> dict[str, Any]:
    """The JSON Lines object for one DUIS response (the ``pandc decode`` contract):
    ``request_id``, ``response_code``, ``response_code_meaning`` and the body's values by the
    one JSON rule of :func:`pandc.values.to_json` under ``"body"``."""
    record: dict[str, Any] = {}
    if source is not None:
        record["source"] = source
    record.update({
        "kind": response.kind,
        "request_id": response.request_id,
        "response_id": response.response_id,
        "response_code": response.response_code.code,
        "response_code_meaning": response.response_code.meaning,
        "response_date_time": _json_scalar(response.response_date_time),
        "service_reference": response.service_reference,
        "service_reference_variant": response.service_reference_variant,
        "schema_version": str(response.schema_version),
        "signed": response.signed,
        "body": to_json(response.values) if response.values is not None else None,
        "warnings": list(response.warnings),
    })
    return record


__all__ = ["DccAlert", "DeviceAlert", "DspBody", "DuisError", "DuisResponse", "GbcsPayload",
           "duis_record", "iter_duis", "parse_duis", "read_response"]
