"""DSP-generated DUIS bodies that pandc has no dedicated record for, as typed value trees.

A body element becomes a :class:`pandc.values.Node` tree (walked with an explicit stack and a
depth bound, never recursion). Leaves are typed by element name from the table below; each
name carries one XSD type wherever DUIS V5.4 declares it (tests/test_duis_responses.py checks
the table against the official XSD). A name not in the table stays text.
"""
from __future__ import annotations

from collections.abc import Callable
from typing import Any

from lxml import etree

from . import _xml as x
from ..values import Node, Scalar

MAX_DEPTH = 32

_DATETIME = ("BillingPeriodStart", "CurrentDateTime", "DateTime", "EndDateTime",
             "ExecutionDateTime", "InstallDateTime", "ResponseDateTime", "RestrictionDateTime",
             "StartDateTime", "TimeStamp", "Timestamp", "UserRefDateTime")
_DATE = ("AnticipatedCoverageDate", "DateCommissioned", "OptInDate", "RestoredDate",
         "ScheduleEndDate", "ScheduleStartDate")
_TIME = ("BillingTime", "ScheduleExecutionStartTime", "SwitchTime")
_BOOLEAN = ("CoverageAvailability", "Restricted", "AerialInstall", "FirstInSequence",
            "MetalObstructionCheck", "SharedObstructionCheck", "ConnectivityObstructionCheck")
_BASE64 = ("GBCSPayload", "DeviceGBCSResponse", "CertificateHash", "Certificate",
           "DSPBrokerSecurityCredentialsDigitalSigning",
           "DSPBrokerSecurityCredentialsKeyAgreement", "KAPublicSecurityCredential")
_HEX = ("AlertCode", "DeviceAlertCode", "GBCSHexadecimalMessageCode", "FutureDatedAlertCode")
_INTEGER = ("ThrottledAlertCount", "ThrottledAlertSequenceId", "InstructionNumber",
            "TotalCommandInstructions", "CertificateSerialNumber", "DSPScheduleID", "UPRN",
            "ACBFloorSeqNumber", "RemotePartyFloorSeqNumber",
            "RemotePartyPrepaymentTopUpFloorSeqNumber", "SupplierFloorSeqNumber",
            "SupplierPrepaymentTopUpFloorSeqNumber", "QuarantineEventRef")

#: element local name → (XSD type it has in DUIS V5.4, reader)
LEAF_TYPES: dict[str, tuple[str, Callable[[etree._Element], Any]]] = {}
for _names, _xsd, _reader in (
        (_DATETIME, "xs:dateTime", x.to_datetime), (_DATE, "xs:date", x.to_date),
        (_TIME, "xs:time", x.to_time), (_BOOLEAN, "xs:boolean", x.to_bool),
        (_BASE64, "xs:base64Binary", x.to_base64), (_HEX, "xs:hexBinary", x.to_hex),
        (_INTEGER, "xs:integer", x.to_int)):
    for _name in _names:
        LEAF_TYPES[_name] = (_xsd, _reader)


def leaf_value(element: etree._Element) -> Scalar | None:
    name = x.local(element.tag)
    entry = LEAF_TYPES.get(name)
    if entry is None:
        value = (element.text or "").strip()
        return value if value else None
    typed: Scalar = entry[1](element)
    return typed


def _attributes(element: etree._Element) -> tuple[tuple[str, Scalar], ...]:
    return tuple((str(key), str(value)) for key, value in element.attrib.items())


def to_node(element: etree._Element) -> Node:
    """An element and everything below it as a Node tree (leaves typed by LEAF_TYPES)."""
    # Children are built before their parent: a post-order walk with an explicit stack.
    built: dict[etree._Element, Node] = {}
    stack: list[tuple[etree._Element, int, bool]] = [(element, 0, False)]
    while stack:
        current, depth, expanded = stack.pop()
        kids = x.children(current)
        if not kids:
            built[current] = Node(x.local(current.tag), leaf_value(current), (),
                                  _attributes(current))
            continue
        if expanded:
            built[current] = Node(x.local(current.tag), None,
                                  tuple(built.pop(kid) for kid in kids),
                                  _attributes(current))
            continue
        if depth >= MAX_DEPTH:
            raise x.error_at(current, f"nested deeper than {MAX_DEPTH} elements")
        if (current.text or "").strip():
            raise x.error_at(current, "mixed text and elements")
        stack.append((current, depth, True))
        stack.extend((kid, depth + 1, False) for kid in reversed(kids))
    return built[element]
