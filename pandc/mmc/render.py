"""Rendering a decoded GBCS message as MMC XML (``ra:GBCSResponse``, MMC schema V5.4).

The header follows the MMC HeaderType order. The body carries the first-pass ``ra:GBCSData``
parts (the payload as received, base64, for a second pass by software holding the keys) and,
when the use case was decoded, ``SMETSData`` (the message's value tree, each leaf written by
:func:`pandc.values.text`) and ``DebugInfo`` (what the device reported as failed).
"""
from __future__ import annotations

import base64
from typing import TYPE_CHECKING

from lxml import etree

from .. import registry
from ..codec import dlms, zcl
from ..codec.dates import format_date_time
from ..errors import PandcError
from ..values import Node, text

if TYPE_CHECKING:
    from ..codec.parts import PayloadPart
    from ..message import Message
    from ..usecases.base import Failure

MMC_NAMESPACE = "http://www.dccinterface.co.uk/ResponseAndAlert"
MMC_SCHEMA_VERSION = "5.4"
MAX_GBCS_DATA = 100  # MMC ResponsePayload / DeviceAlertMessageType allow at most 100 parts

_RA = "{%s}" % MMC_NAMESPACE
_NSMAP = {"ra": MMC_NAMESPACE}

# Values the MMC V5.4 ServiceReference / ServiceReferenceVariant enumerations allow. Anything
# else is left out of the header: an invalid document helps nobody.
SERVICE_REFERENCES = frozenset("""
1.1 1.2 1.5 1.6 1.7 2.1 2.2 2.3 2.5 3.1 3.2 3.3 3.4 3.5 4.1 4.2 4.3 4.4 4.6 4.8 4.10 4.11 4.12
4.13 4.14 4.15 4.16 4.17 4.18 5.1 5.2 5.3 6.2 6.4 6.5 6.6 6.7 6.8 6.11 6.12 6.13 6.14 6.15 6.17
6.18 6.20 6.21 6.22 6.23 6.24 6.25 6.26 6.27 6.28 6.29 6.30 6.31 6.32 7.1 7.2 7.3 7.4 7.5 7.6
7.7 7.8 7.9 7.10 7.11 7.12 7.13 7.14 7.15 7.16 8.1 8.2 8.3 8.4 8.5 8.6 8.7 8.8 8.9 8.11 8.12
8.13 8.14 9.1 11.1 11.2 11.3 11.4 12.1 12.2 14.1
""".split())
SERVICE_REFERENCE_VARIANTS = frozenset("""
1.1.1 1.1.2 1.2.1 1.2.2 1.5 1.6 1.7 2.1 2.2 2.3 2.5 3.1 3.2 3.3 3.4 3.5 4.1.1 4.1.2 4.1.3 4.1.4
4.2 4.3 4.4.2 4.4.3 4.4.4 4.4.5 4.6.1 4.6.2 4.8.1 4.8.2 4.8.3 4.10 4.11.1 4.11.2 4.12.1 4.12.2
4.13 4.14 4.15 4.16 4.17 4.18 5.1 5.2 5.3 6.2.1 6.2.2 6.2.3 6.2.4 6.2.5 6.2.7 6.2.8 6.2.9
6.2.10 6.4.1 6.4.2 6.5 6.6 6.7 6.8 6.11 6.12 6.13 6.14.1 6.14.2 6.14.3 6.15.1 6.15.2 6.17
6.18.1 6.18.2 6.20.1 6.20.2 6.21 6.22 6.23 6.24.1 6.24.2 6.25 6.26 6.27 6.28 6.29 6.30 6.31
6.32 7.1 7.2 7.3 7.4 7.5 7.6 7.7 7.8 7.9 7.10 7.11 7.12 7.13 7.14 7.15 7.16 8.1.1 8.2 8.3 8.4
8.5 8.6 8.7.1 8.7.2 8.8.1 8.8.2 8.9 8.11 8.12.1 8.12.2 8.13 8.14.1 8.14.2 8.14.3 8.14.4 9.1
11.1 11.2 11.3 11.4 12.1 12.2 14.1
""".split())


class MMCRenderError(PandcError, ValueError):
    """The message cannot be written as MMC (e.g. a command, or more than 100 parts)."""


def to_mmc(message: "Message") -> bytes:
    """Render a decoded response or alert as UTF-8 MMC XML.

    The output is deterministic: the same message always gives the same bytes. Raises
    :class:`MMCRenderError` for commands or more than 100 payload parts.
    """
    if message.cra not in ("response", "alert"):
        raise MMCRenderError(
            f"MMC GBCSResponse is for responses and alerts; message code "
            f"{message.message_code_hex} is a {message.cra}")
    root = etree.Element(_RA + "GBCSResponse", nsmap=_NSMAP)
    root.set("schemaVersion", MMC_SCHEMA_VERSION)
    root.append(_header(message))
    body = etree.SubElement(root, _RA + "Body")
    if message.cra == "response":
        body.append(_response_message(message))
    else:
        body.append(_device_alert_message(message))
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", pretty_print=True)


def _sub(parent: etree._Element, name: str, text: str | None = None) -> etree._Element:
    element = etree.SubElement(parent, _RA + name)
    if text is not None:
        element.text = text
    return element


def _header(message: "Message") -> etree._Element:
    header = etree.Element(_RA + "Header")
    _sub(header, "BusinessOriginatorID", message.originator)
    _sub(header, "BusinessTargetID", message.recipient)
    _sub(header, "OriginatorCounter", str(message.originator_counter))
    if message.supplementary_remote_party_id is not None:
        _sub(header, "SupplementaryRemotePartyID", message.supplementary_remote_party_id)
    if message.supplementary_remote_party_counter is not None:
        _sub(header, "SupplementaryRemotePartyCounter",
             str(message.supplementary_remote_party_counter))
    if message.supplementary_originator_counter is not None:
        _sub(header, "SupplementaryOriginatorCounter",
             str(message.supplementary_originator_counter))
    _sub(header, "GBCSHexadecimalMessageCode", message.message_code_hex)
    reference, variant = service_reference_fields(_service_reference_variants(message))
    if reference is not None:
        _sub(header, "ServiceReference", reference)
    if variant is not None:
        _sub(header, "ServiceReferenceVariant", variant)
    if message.date_time is not None:
        timestamp = _sub(header, "Timestamp", format_date_time(message.date_time))
        # 0xFF says the clock status is not specified: the attributes would claim otherwise.
        if message.time_status is not None and message.time_status != 0xFF:
            if message.is_from_gsme is not None:
                timestamp.set("isFromGSME", "true" if message.is_from_gsme else "false")
            if message.clock_status is not None:
                timestamp.set("ClockStatus", message.clock_status)
    return header


def _service_reference_variants(message: "Message") -> str | None:
    """The message's SRV, or every SRV its message code serves when the code is shared."""
    if message.service_reference_variant is not None:
        return message.service_reference_variant
    info = registry.lookup(message.message_code)
    if info is None or not info.service_reference_variants:
        return None
    return ";".join(info.service_reference_variants)


def service_reference_fields(variant: str | None) -> tuple[str | None, str | None]:
    """The (ServiceReference, ServiceReferenceVariant) to write for a registry SRV value.

    A message code used by several SRVs (e.g. '8.8.1;8.8.2') cannot name one variant; its
    ServiceReference is still written when all candidates share it. Values outside the MMC
    V5.4 enumerations are left out.
    """
    if not variant:
        return None, None
    candidates = [v.strip() for v in variant.split(";") if v.strip()]
    references = {".".join(v.split(".")[:2]) for v in candidates}
    reference = references.pop() if len(references) == 1 else None
    if reference not in SERVICE_REFERENCES:
        reference = None
    single = candidates[0] if len(candidates) == 1 else None
    if single not in SERVICE_REFERENCE_VARIANTS:
        single = None
    return reference, single


# The MMC GBCSData @type of each PayloadPart kind (gbz depends on whether it is encrypted).
_PART_TYPES = {"dlms": "dlms", "asn1": "gbcs"}


def gbcs_data_type(part: "PayloadPart") -> str:
    if part.kind == "gbz":
        return "zigbeeCiphered" if part.encrypted else "zigbeePlain"
    try:
        return _PART_TYPES[part.kind]
    except KeyError:
        raise MMCRenderError(f"payload part {part.name!r} has unknown kind {part.kind!r}") from None


def whole_payload_type(payload: bytes) -> str:
    """GBCSData @type for an unsplit payload, from its first bytes (FACTS section 2)."""
    if payload[:2] == b"\x01\x09":
        return "zigbeePlain"
    if payload[:1] in (b"\xDA", b"\xD9", b"\x0F"):
        return "dlms"
    return "gbcs"


def _gbcs_data(parent: etree._Element, message: "Message") -> None:
    parts = message.parts
    if len(parts) > MAX_GBCS_DATA:
        raise MMCRenderError(
            f"message code {message.message_code_hex} has {len(parts)} payload parts; "
            f"MMC allows at most {MAX_GBCS_DATA} GBCSData")
    if not parts:
        # Without a split the payload goes as one part, named after what it is.
        _gbcs_data_element(parent, message.payload, "plain", 1,
                           f"{message.use_case or message.message_code_hex} payload",
                           whole_payload_type(message.payload))
        return
    for sequence, part in enumerate(parts, start=1):
        _gbcs_data_element(parent, part.data, "encrypted" if part.encrypted else "plain",
                           sequence, part.name, gbcs_data_type(part))


def _gbcs_data_element(parent: etree._Element, data: bytes, data_format: str, sequence: int,
                       name: str, data_type: str) -> None:
    element = _sub(parent, "GBCSData", base64.b64encode(data).decode("ascii"))
    # Attribute order is fixed here so that output bytes are stable.
    element.set("format", data_format)
    element.set("sequence", str(sequence))
    element.set("name", name)
    element.set("type", data_type)


def _response_message(message: "Message") -> etree._Element:
    response = etree.Element(_RA + "ResponseMessage")
    _gbcs_data(response, message)
    if message.values is not None:
        _render_tree(_sub(response, "SMETSData"), message.values)
        # What the device reported as failed (ZCL status, DLMS result), after SMETSData.
        info = debug_info_element(message.failures)
        if info is not None:
            response.append(info)
    return response


def _device_alert_message(message: "Message") -> etree._Element:
    alert = etree.Element(_RA + "DeviceAlertMessage")
    _gbcs_data(alert, message)
    if message.values is not None:
        _render_tree(alert, message.values)
    return alert


def values_element(root: Node) -> etree._Element:
    """A value tree as the MMC element it renders to (e.g. ``ra:ReadMeterBalanceRsp``)."""
    holder = etree.Element(_RA + "SMETSData", nsmap=_NSMAP)
    _render_tree(holder, root)
    return holder[0]


def _render_tree(parent: etree._Element, root: Node) -> None:
    """Append ``root`` and everything below it under ``parent`` (iteratively: depth is the
    tree's business, never the C stack's)."""
    stack = [(parent, root)]
    while stack:
        into, current = stack.pop()
        element = etree.SubElement(into, _RA + current.name)
        for name, value in current.attributes:
            element.set(name, text(value))
        if current.value is not None:
            element.text = text(current.value)
        stack.extend((element, child) for child in reversed(current.children))


# MMC ra:StatusZIGBEE names; other ZCL statuses are RESPONSE_CODE_NOT_KNOWN there.
_MMC_ZCL_STATUSES = frozenset(zcl.STATUS_NAMES[code] for code in (
    0x00, 0x01, 0x7E, 0x7F, 0x80, 0x81, 0x82, 0x83, 0x84, 0x85, 0x86, 0x87, 0x88, 0x89, 0x8A,
    0x8B, 0x8C, 0x8D, 0x8E, 0x8F, 0x90, 0x91, 0x92, 0x93, 0x94, 0x95, 0x96, 0x97, 0x98, 0x99,
    0xC0, 0xC1, 0xC2))


# MMC V5.4 DebugInfo is a choice of ZIGBEEDebug, COSEMDebug or SMETS1Debug: one protocol per
# message, and none for ASN.1 (its response codes are in the use-case element's StatusASN1).
_DEBUG_PROTOCOLS = ("zigbee", "cosem")


def debug_info_element(failures: "tuple[Failure, ...]") -> etree._Element | None:
    """MMC ra:DebugInfo naming each failure (ZIGBEEDebug or COSEMDebug), or None when no
    failure has an MMC debug form. A GBCS payload is either GBZ or DLMS, so one protocol is
    expected; should failures of both arrive, the protocol of the first is written and only
    its failures (a ZigBee status is never written as a COSEM result, or the reverse)."""
    described = [f for f in failures if f.protocol in _DEBUG_PROTOCOLS]
    if not described:
        return None
    protocol = described[0].protocol
    failures = tuple(f for f in described if f.protocol == protocol)
    info = etree.Element(_RA + "DebugInfo", nsmap=_NSMAP)
    if protocol == "zigbee":
        debug = _sub(info, "ZIGBEEDebug")
        by_cluster: dict[int | None, list["Failure"]] = {}
        for failure in failures:
            by_cluster.setdefault(failure.cluster_id, []).append(failure)
        for cluster_id, cluster_failures in by_cluster.items():
            cluster = _sub(debug, "ZIGBEEClusterResponse")
            name = _sub(cluster, "ClusterName", zcl.CLUSTER_NAMES.get(cluster_id or 0, ""))
            name.set("id", f"{cluster_id or 0:04X}")
            for failure in cluster_failures:
                if failure.attribute_id is not None:
                    response = _sub(cluster, "ZIGBEEDataResponse")
                    _sub(response, "AttributeID", f"{failure.attribute_id:04X}")
                else:
                    response = _sub(cluster, "ZIGBEECommandResponse")
                    _sub(response, "CommandID", f"{failure.command_id or 0:02X}")
                status = _sub(response, "Status")
                status.set("ResponseCode", f"{failure.code:02X}")
                _sub(status, "ZCLStatus", failure.name if failure.name in _MMC_ZCL_STATUSES
                     else "RESPONSE_CODE_NOT_KNOWN")
    else:
        debug = _sub(info, "COSEMDebug")
        for failure in failures:
            response = _sub(debug, "COSEMResponse")
            response.set("ResponseCode", str(failure.code))
            response.set("Position", str(failure.position))
            known = (dlms.ACTION_RESULTS if failure.kind == "action"
                     else dlms.DATA_ACCESS_RESULTS)
            _sub(response, "ActionResult" if failure.kind == "action" else "DataAccessResult",
                 failure.name if failure.code in known else "response-code-not-known")
    return info
