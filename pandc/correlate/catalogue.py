"""The correlation catalogue: for each GBCS use case pandc can correlate, how the DUIS request
becomes the command payload, field by field.

Every entry is one function building a :class:`~pandc.correlate.template.Template`; each
line in it is one GBCS field, in message order, naming the DUIS request element it carries
(``t.value``), a constant GBCS fixes for the use case (``t.const``), or a field the DCC fills
without substance from the request (``t.dcc``). Read an entry beside the GBCS use case table
(GBCS v4 section 20 and the "Use Case" annexes; DLMS objects by class id and OBIS code, ZCL
by cluster and command id) and the DUIS XSD V5.4 element of the request.

References in the entry docstrings: "GBCS <use case>" is the use case's command structure;
"DUIS <SRV>" the request element. Conventions common to all entries:

- DLMS Access-Request (``D9``, IEC 62056-5-3 as profiled by GBCS): long-invoke-id-and-priority
  ``0x20`` + the 24 low bits of the RequestID counter (GBCS: the invoke-id carries the
  originator counter; processing option "break on error"), date-time absent (``00``), the
  list of access-request-specifications (kind 1 get / 2 set / 3 action, class id, OBIS,
  attribute or method id), then the list of data, one per specification.
- GBZ (``01 09``, GBCS section 7.3): profile, component count, then per component the
  extended-header control (``01`` on the last component), cluster id, length, the ZCL header
  (frame control, transaction sequence = component index, command id) and the ZCL payload.
- ZCL Provider ID and Issuer Event ID are DCC-set (GBCS: "set by the DCC"): only their size
  is checked.
- CS-family payloads are ASN.1 DER (GBCS section 12 ASN.1 modules).
"""
from __future__ import annotations

import base64
import binascii
import functools
import hashlib
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from typing import Any

from ..codec import asn1
from ..codec.ber import encode_length
from ..errors import DecodeError
from ..values import Node
from . import encodings as enc
from .request import Request
from .template import Template, ber_sized

Builder = Callable[[Request, Template], None]


@dataclass(frozen=True, slots=True)
class Entry:
    use_case: str
    message_code: int
    requests: tuple[str, ...]         # DUIS request element names this use case serves
    reference: str
    build: Builder
    # SRVs that request this use case besides those pandc/data/message_codes.csv names
    # (each entry that sets it says why in its docstring)
    service_reference_variants: tuple[str, ...] = ()


CATALOGUE: dict[int, Entry] = {}


def entry(use_case: str, code: int, requests: tuple[str, ...], reference: str,
          service_reference_variants: tuple[str, ...] = ()) -> Callable[[Builder], Builder]:
    def register(build: Builder) -> Builder:
        if code in CATALOGUE:
            raise ValueError(f"message code 0x{code:04X} catalogued twice")
        CATALOGUE[code] = Entry(use_case, code, requests, reference, build,
                                service_reference_variants)
        return build
    return register


# --- reading the request ---------------------------------------------------------------------

class Fields:
    """Request values by path below the request element; a missing or unencodable value is
    recorded on the template as unsupported (a mismatch), never skipped."""

    def __init__(self, request: Request, t: Template) -> None:
        self.request, self.t, self.body = request, t, request.body

    def path(self, relative: str) -> str:
        return f"{self.body.name}/{relative}" if relative else self.body.name

    def node(self, relative: str, base: Node | None = None) -> Node | None:
        start = self.body if base is None else base
        return start.find(relative) if relative else start

    def get(self, relative: str, base: Node | None = None, base_path: str = "",
            required: bool = True) -> Any:
        found = self.node(relative, base)
        if found is None:
            if required:
                self.t.not_supported(self.path(_join(base_path, relative)), None,
                                     "element missing from the request")
            return None
        return found.value

    def int(self, relative: str, base: Node | None = None, base_path: str = "") -> int | None:
        value = self.get(relative, base, base_path)
        if value is None:
            return None
        if isinstance(value, bool) or not isinstance(value, int):
            self.t.not_supported(self.path(_join(base_path, relative)), value, "not an integer")
            return None
        return value

    def has(self, relative: str) -> bool:
        return self.node(relative) is not None


def _children(node: Node | None, name: str) -> list[Node]:
    """The children called ``name`` of a node that may be absent."""
    return [c for c in node.children if c.name == name] if node is not None else []


def _leaf_values(nodes: list[Node], name: str) -> list[Any]:
    """The value of each node's ``name`` child, where it has one."""
    values = []
    for item in nodes:
        found = item.find(name)
        if found is not None:
            values.append(found.value)
    return values


def _join(base: str, relative: str) -> str:
    return f"{base}/{relative}" if base and relative else base or relative


def _safe(t: Template, path: str, value: Any, encode: Callable[[], bytes]) -> bytes | None:
    try:
        return encode()
    except (enc.EncodeError, ValueError, TypeError, ArithmeticError) as problem:
        t.not_supported(path, value, str(problem))
        return None


# --- DLMS building blocks -----------------------------------------------------------------

_KINDS = {"get": 1, "set": 2, "action": 3}


def obis(text: str) -> bytes:
    """'A-B:C.D.E.F' → 6 octets."""
    group_ab, _, rest = text.partition(":")
    a, b = group_ab.split("-")
    return bytes([int(a), int(b)] + [int(x) for x in rest.split(".")])


def access_request(t: Template, request: Request,
                   specs: list[tuple[str, int, str, int]]) -> None:
    """Header and specification list of a GBCS DLMS Access-Request; the caller adds one data
    item per specification after it."""
    t.const("D9", "DLMS Access-Request tag")
    invoke = 0x20000000 | (request.counter & 0x00FFFFFF)
    t.value("long-invoke-id-and-priority", "Header/RequestID (counter)", request.counter,
            invoke.to_bytes(4, "big"), display=lambda b: int.from_bytes(b, "big") & 0xFFFFFF)
    t.const("00", "Access-Request date-time (absent)")
    spec_bytes = bytes([len(specs)])
    for kind, class_id, logical_name, attribute in specs:
        spec_bytes += bytes([_KINDS[kind]]) + class_id.to_bytes(2, "big") + obis(logical_name) \
            + bytes([attribute])
    t.const(spec_bytes, "access-request-specification list ("
            + "; ".join(f"{k} class {c} {o} #{a}" for k, c, o, a in specs) + ")")
    t.const(bytes([len(specs)]), "access-request-list-of-data count")


def dlms_value(t: Template, f: Fields, gbcs_field: str, relative: str, tag: int,
               base: Node | None = None, base_path: str = "") -> None:
    """A DLMS integer data item carrying a request integer."""
    value = f.int(relative, base, base_path)
    path = f.path(_join(base_path, relative))
    if value is None:
        t.dcc(gbcs_field, reader=enc.read_dlms_leaf)
        return
    encoded = _safe(t, path, value, lambda: enc.dlms_int(tag, value))
    if encoded is None:
        t.dcc(gbcs_field, reader=enc.read_dlms_leaf)
        return
    t.value(gbcs_field, path, value, encoded, enc.read_dlms_leaf, enc.dlms_leaf_display)


def dlms_execution(t: Template, f: Fields, gbcs_field: str = "execution date-time") -> None:
    moment = f.get("ExecutionDateTime", required=False)
    path = f.path("ExecutionDateTime")
    if moment is not None and not isinstance(moment, datetime):
        t.not_supported(path, moment, "not an xs:dateTime")
        t.dcc(gbcs_field, reader=enc.read_dlms_leaf)
        return
    octets = _safe(t, path, moment, lambda: enc.execution_date_time(moment))
    if octets is None:
        t.dcc(gbcs_field, reader=enc.read_dlms_leaf)
        return
    t.value(gbcs_field, path, moment if moment is not None else "(immediate)",
            enc.dlms_octets(octets), enc.read_dlms_leaf, enc.cosem_display)


def enum_value(t: Template, f: Fields, relative: str, table: dict[str, int]) -> int | None:
    value = f.get(relative)
    if value is None:
        return None
    if value not in table:
        t.not_supported(f.path(relative), value, "value not in this use case's table")
        return None
    return table[value]


# --- GBZ building blocks ----------------------------------------------------------------------

def gbz(t: Template, components: list[tuple[int, int, int, int, Template]],
        from_times: dict[int, Template] | None = None) -> None:
    """``components``: (cluster id, ZCL frame control, command id, sequence, payload);
    ``from_times``: component index → its from-date-time (control bit 0x10)."""
    t.const("0109", "GBZ profile id")
    t.const(bytes([len(components)]), "GBZ component count")
    for index, (cluster, frame_control, command, sequence, payload) in enumerate(components):
        last = 0x01 if index == len(components) - 1 else 0x00
        from_time = (from_times or {}).get(index)
        control = last | (0x10 if from_time is not None else 0)
        extra = from_time.size() if from_time is not None else 0
        t.const(bytes([control]) + cluster.to_bytes(2, "big")
                + (3 + extra + payload.size()).to_bytes(2, "big"),
                f"GBZ extended header (control, cluster 0x{cluster:04X}, length)")
        if from_time is not None:
            t.extend(from_time)
        t.const(bytes([frame_control, sequence, command]),
                f"ZCL header (frame control, sequence, command 0x{command:02X})")
        t.extend(payload)


def zcl_execution(t: Template, f: Fields, gbcs_field: str) -> None:
    moment = f.get("ExecutionDateTime", required=False)
    path = f.path("ExecutionDateTime")
    octets = _safe(t, path, moment, lambda: enc.execution_utc_time(moment))
    if octets is None:
        t.dcc(gbcs_field, 4)
        return
    t.value(gbcs_field, path, moment if moment is not None else "(immediate)", octets,
            display=enc.utc_display)


def zcl_int(t: Template, f: Fields, gbcs_field: str, relative: str, size: int,
            signed: bool = False, scale: int = 0) -> None:
    """A little-endian ZCL integer; ``scale`` decimal places GBCS fixes for the field."""
    value = f.get(relative)
    path = f.path(relative)
    if value is None:
        t.dcc(gbcs_field, size)
        return

    def encode() -> bytes:
        number = Decimal(value) * (Decimal(10) ** scale) if scale else value
        if isinstance(number, Decimal):
            if number != number.to_integral_value():
                raise enc.EncodeError(f"{value} has more than {scale} decimal places")
            number = int(number)
        if isinstance(number, bool) or not isinstance(number, int):
            raise enc.EncodeError(f"{value!r} is not a number")
        return enc.le(number, size, signed)

    octets = _safe(t, path, value, encode)
    if octets is None:
        t.dcc(gbcs_field, size)
        return

    def shown(raw: bytes) -> Any:
        number = int.from_bytes(raw, "little", signed=signed)
        return Decimal(number).scaleb(-scale) if scale else number

    t.value(gbcs_field, path, value, octets, display=shown)


def provider_and_event(t: Template, provider: bool = True) -> None:
    if provider:
        t.dcc("ZCL Provider ID (DCC-set)", 4)
    t.dcc("ZCL Issuer Event ID (DCC-set)", 4)


# =============================================================================================
# 1.5 Update Meter Balance
# =============================================================================================

@entry("ECS04a", 0x001C, ("UpdateMeterBalance",), "GBCS ECS04a; DUIS 1.5 UpdateMeterBalance")
def _ecs04a(r: Request, t: Template) -> None:
    """Adjust meter balance: action update_amount (method 1) on the credit object (class 112)
    Meter Balance 0-0:19.10.0.255 with the adjustment as double-long."""
    f = Fields(r, t)
    if not f.has("PrepaymentMode/AdjustMeterBalance"):
        t.not_supported(f.path("PrepaymentMode/AdjustMeterBalance"), None,
                        "ECS04a carries a prepayment-mode adjustment")
    access_request(t, r, [("action", 112, "0-0:19.10.0.255", 1)])
    dlms_value(t, f, "credit 0-0:19.10.0.255 update_amount (double-long)",
               "PrepaymentMode/AdjustMeterBalance", enc.INT32)


@entry("ECS04b", 0x00B3, ("UpdateMeterBalance",), "GBCS ECS04b; DUIS 1.5 UpdateMeterBalance")
def _ecs04b(r: Request, t: Template) -> None:
    """Reset meter balance: set_amount_to_value (method 2) = 0 on the three credit objects
    0-0:19.10.0/1/2.255 (GBCS fixes the value 0)."""
    f = Fields(r, t)
    if not f.has("CreditMode/ResetMeterBalance"):
        t.not_supported(f.path("CreditMode/ResetMeterBalance"), None,
                        "ECS04b carries a credit-mode reset")
    access_request(t, r, [("action", 112, f"0-0:19.10.{i}.255", 2) for i in range(3)])
    for i in range(3):
        t.const(enc.dlms_int(enc.INT32, 0), f"credit 0-0:19.10.{i}.255 set_amount_to_value 0")


def _gcs40(r: Request, t: Template, path: str, adjustment_type: int, with_value: bool) -> None:
    """ZCL Prepayment cluster 0x0705 Credit Adjustment (0x05): Issuer Event ID, Start Time
    (0 = now), Credit Adjustment Type (fixed per use case), Credit Adjustment Value (int32)."""
    f = Fields(r, t)
    if not f.has(path):
        t.not_supported(f.path(path), None, "this use case carries a different adjustment")
    p = Template()
    provider_and_event(p, provider=False)
    p.const("00000000", "Start Time (0: now)")
    p.const(bytes([adjustment_type]), "Credit Adjustment Type")
    if with_value:
        zcl_int(p, Fields(r, p), "Credit Adjustment Value (int32)", path, 4, signed=True)
    else:
        p.const("00000000", "Credit Adjustment Value (0: reset)")
    gbz(t, [(0x0705, 0x01, 0x05, 0, p)])


@entry("GCS40a", 0x0086, ("UpdateMeterBalance",), "GBCS GCS40a; DUIS 1.5")
def _gcs40a(r: Request, t: Template) -> None:
    _gcs40(r, t, "PrepaymentMode/AdjustMeterBalance", 0x00, True)


@entry("GCS40b", 0x00B4, ("UpdateMeterBalance",), "GBCS GCS40b; DUIS 1.5")
def _gcs40b(r: Request, t: Template) -> None:
    _gcs40(r, t, "PrepaymentMode/ResetMeterBalance", 0x01, False)


@entry("GCS40c", 0x00C0, ("UpdateMeterBalance",), "GBCS GCS40c; DUIS 1.5")
def _gcs40c(r: Request, t: Template) -> None:
    _gcs40(r, t, "CreditMode/AdjustMeterBalance", 0x03, True)


@entry("GCS40d", 0x00C2, ("UpdateMeterBalance",), "GBCS GCS40d; DUIS 1.5")
def _gcs40d(r: Request, t: Template) -> None:
    _gcs40(r, t, "CreditMode/ResetMeterBalance", 0x02, False)


# =============================================================================================
# Script-table actions with no request values (GBCS fixes the script selector)
# =============================================================================================

def _script(r: Request, t: Template, logical_name: str, selector: int, what: str) -> None:
    f = Fields(r, t)
    if r.body.children or r.body.value is not None:
        t.not_supported(f.path(""), "(content)", f"{what} takes no parameters")
    access_request(t, r, [("action", 9, logical_name, 1)])
    t.const(enc.dlms_int(enc.UINT16, selector),
            f"script table {logical_name} execute: script {selector:#06x} ({what})")


@entry("ECS05", 0x001D, ("ResetTariffBlockCounterMatrix",), "GBCS ECS05; DUIS 1.7")
def _ecs05(r: Request, t: Template) -> None:
    _script(r, t, "0-0:10.0.100.255", 0x0063, "reset tariff block counter matrix")


@entry("ECS42", 0x004F, ("EnableSupply",), "GBCS ECS42; DUIS 7.1")
def _ecs42(r: Request, t: Template) -> None:
    _script(r, t, "0-0:10.0.106.255", 0x0033, "close load switch")


@entry("ECS43", 0x0050, ("DisableSupply",), "GBCS ECS43; DUIS 7.2")
def _ecs43(r: Request, t: Template) -> None:
    _script(r, t, "0-0:10.0.106.255", 0x0034, "open load switch")


@entry("ECS44", 0x0051, ("ArmSupply",), "GBCS ECS44; DUIS 7.3")
def _ecs44(r: Request, t: Template) -> None:
    _script(r, t, "0-0:10.0.106.255", 0x0036, "arm load switch")


@entry("ECS38", 0x004B, ("SetRandomisedOffsetLimit",), "GBCS ECS38; DUIS 7.12")
def _ecs38(r: Request, t: Template) -> None:
    """Set Randomised Offset Limit: data object 0-0:94.44.0.1 (class 1) value, long-unsigned."""
    f = Fields(r, t)
    access_request(t, r, [("set", 1, "0-0:94.44.0.1", 2)])
    dlms_value(t, f, "0-0:94.44.0.1 value (long-unsigned)", "RandomisedOffsetLimit", enc.UINT16)


# ECS47 per request: (element holding the switch, script action, duration object or None).
_AUXILIARY_LOAD = {
    "ActivateAuxiliaryLoad": ("ActivateALCSHCALCS", 0x11, "0-0:94.44.117.1"),
    "DeactivateAuxiliaryLoad": ("DeactivateALCSHCALCS", 0x12, "0-0:94.44.119.2"),
    "ResetAuxiliaryLoad": ("ResetALCSHCALCS", 0x20, None),
}


@entry("ECS47", 0x0055, tuple(_AUXILIARY_LOAD), "GBCS ECS47; DUIS 7.5 / 7.6 / 7.8")
def _ecs47(r: Request, t: Template) -> None:
    """Set or reset an (HC)ALCS: script table 0-0:10.0.103.255 execute with selector
    (switch index << 8) | action: 0x11 activate for a duration (DUIS 7.5), 0x12 deactivate
    for a duration (7.6), 0x20 reset (7.8). Activation first sets the duration (seconds,
    long-unsigned) in 0-0:94.44.117.1, deactivation in 0-0:94.44.119.2 (attribute 2 of the
    class 1 data object). Layouts as RTDS 4.5.0 ECS47Activate_7.5 / Deactivate_7.6 /
    Reset_7.8 lay them out."""
    f = Fields(r, t)
    base, action, duration = _AUXILIARY_LOAD[r.body.name]
    item = r.body.child(base)
    if item is None:
        t.not_supported(f.path(base), None, "element missing from the request")
        return
    index = item.attribute("index")
    specs = [("action", 9, "0-0:10.0.103.255", 1)]
    if duration is not None:
        specs.insert(0, ("set", 1, duration, 2))
    access_request(t, r, specs)
    if duration is not None:
        dlms_value(t, f, f"{duration} value: duration (long-unsigned)", "Duration", enc.UINT16,
                   base=item, base_path=base)
    path = f.path(f"{base}/@index")
    selector = _safe(t, path, index, lambda: enc.dlms_int(enc.UINT16, (int(index) << 8) | action)
                     if isinstance(index, int) and 1 <= index <= 5 else _bad(index))
    if selector is None:
        t.dcc("script selector", reader=enc.read_dlms_leaf)
    else:
        t.value("script table 0-0:10.0.103.255 execute: selector (index << 8 | action)", path,
                index, selector, enc.read_dlms_leaf,
                lambda b: enc.dlms_leaf_display(b) >> 8)


def _bad(value: Any) -> bytes:
    raise enc.EncodeError(f"{value!r} is outside the GBCS range")


# =============================================================================================
# Clock (6.11 Synchronise Clock, 8.1.1 Commission Device)
# =============================================================================================

@entry("ECS70", 0x0062, ("SynchroniseClock", "CommissionDeviceSynchroniseClock"),
       "GBCS ECS70; DUIS 6.11 / 8.1.1")
def _ecs70(r: Request, t: Template) -> None:
    """Clock 0-0:1.0.0.255 (class 8): set clock_base (attr 9) = 5, preset_adjusting_time
    (method 5) with preset time unspecified and validity interval [CurrentDateTime,
    CurrentDateTime + TolerancePeriod s], adjust_to_preset_time (method 4, data 0), then get
    time (attr 2) and status (attr 4)."""
    f = Fields(r, t)
    clock = "0-0:1.0.0.255"
    access_request(t, r, [("set", 8, clock, 9), ("action", 8, clock, 5), ("action", 8, clock, 4),
                          ("get", 8, clock, 2), ("get", 8, clock, 4)])
    t.const(enc.dlms_int(enc.ENUM, 5), "clock_base (enum 5)")
    t.const("0203", "preset_adjusting_time structure of 3")
    t.const(enc.dlms_octets(b"\xff" * 9 + b"\x80\x00\xff"), "preset_time (not specified)")
    current = f.get("CurrentDateTime")
    tolerance = f.int("TolerancePeriod")
    if not isinstance(current, datetime):
        t.not_supported(f.path("CurrentDateTime"), current, "not an xs:dateTime")
        return
    start = enc.dlms_octets(enc.cosem_date_time(current))
    t.value("validity_interval_start", f.path("CurrentDateTime"), current, start,
            enc.read_dlms_leaf, enc.cosem_display)
    if tolerance is None:
        return
    end_moment = _plus_seconds(t, f.path("TolerancePeriod"), current, tolerance)
    if end_moment is None:
        return
    end = _safe(t, f.path("TolerancePeriod"), tolerance,
                lambda: enc.dlms_octets(enc.cosem_date_time(end_moment)))
    if end is not None:
        t.value("validity_interval_end (CurrentDateTime + TolerancePeriod)",
                f.path("TolerancePeriod"), end_moment, end, enc.read_dlms_leaf,
                enc.cosem_display)
    t.const(enc.dlms_int(enc.INT8, 0), "adjust_to_preset_time data (integer 0)")
    t.const("0000", "get time, get status: null-data")


def _plus_seconds(t: Template, path: str, moment: datetime, seconds: int) -> datetime | None:
    """The end of a validity window (start + tolerance), or None (recorded) out of range."""
    try:
        return moment + timedelta(seconds=seconds)
    except (OverflowError, ValueError):
        t.not_supported(path, seconds, "window end out of the date range")
        return None


def _generalized_time(moment: datetime) -> bytes:
    text = moment.astimezone(enc.UTC).strftime("%Y%m%d%H%M%SZ").encode("ascii")
    return b"\x18" + bytes([len(text)]) + text


@entry("GCS28", 0x007F, ("SynchroniseClock", "CommissionDeviceSynchroniseClock"),
       "GBCS GCS28; DUIS 6.11 / 8.1.1")
def _gcs28(r: Request, t: Template) -> None:
    """ASN.1: SEQUENCE { validityIntervalStart GeneralizedTime, validityIntervalEnd
    GeneralizedTime } with end = CurrentDateTime + TolerancePeriod seconds."""
    f = Fields(r, t)
    current = f.get("CurrentDateTime")
    tolerance = f.int("TolerancePeriod")
    if not isinstance(current, datetime) or tolerance is None:
        if not isinstance(current, datetime):
            t.not_supported(f.path("CurrentDateTime"), current, "not an xs:dateTime")
        return
    start = _generalized_time(current)
    end_moment = _plus_seconds(t, f.path("TolerancePeriod"), current, tolerance)
    if end_moment is None:
        return
    end = _generalized_time(end_moment)
    t.const(b"\x30" + encode_length(len(start) + len(end)), "SEQUENCE")
    t.value("validityIntervalStart (GeneralizedTime)", f.path("CurrentDateTime"), current,
            start, ber_sized(1), display=lambda b: b[2:].decode("ascii", "replace"))
    t.value("validityIntervalEnd (GeneralizedTime)", f.path("TolerancePeriod"), end_moment,
            end, ber_sized(1), display=lambda b: b[2:].decode("ascii", "replace"))


# =============================================================================================
# 6.14.1 ALCS labels
# =============================================================================================

@entry("ECS46a", 0x0053, ("UpdateDeviceConfigurationALCDescriptions",),
       "GBCS ECS46a; DUIS 6.14.1")
def _ecs46a(r: Request, t: Template) -> None:
    """One set per description: data object 0-0:94.44.0.(10 + index) value (attr 2) =
    SwitchDescription as visible-string, in request order."""
    f = Fields(r, t)
    items = [c for c in r.body.children if c.name == "ALCSHCALCSDescription"]
    specs = []
    for item in items:
        index = item.attribute("index")
        if not isinstance(index, int) or not 1 <= index <= 5:
            t.not_supported(f.path("ALCSHCALCSDescription/@index"), index, "index outside 1..5")
            index = 0
        specs.append(("set", 1, f"0-0:94.44.0.{10 + index}", 2))
    access_request(t, r, specs)
    for item in items:
        index = item.attribute("index")
        base = f"ALCSHCALCSDescription[@index={_label(index)}]"
        description = f.get("SwitchDescription", item, base)
        path = f.path(f"{base}/SwitchDescription")
        if description is None:
            t.dcc("description", reader=enc.read_dlms_leaf)
            continue
        encoded = _safe(t, path, description, lambda: enc.dlms_visible(str(description)))
        if encoded is None:
            t.dcc("description", reader=enc.read_dlms_leaf)
            continue
        t.value(f"0-0:94.44.0.{10 + index if isinstance(index, int) else '?'} value "
                "(visible-string)", path, str(description), encoded, enc.read_dlms_leaf,
                enc.dlms_leaf_display)


# =============================================================================================
# 6.8 Billing calendar
# =============================================================================================

_PERIOD_MONTHS = {"Quarterly": 3, "SixMonthly": 6, "Yearly": 12}


@entry("ECS30", 0x0046, ("UpdateDeviceConfigurationBillingCalendar",), "GBCS ECS30; DUIS 6.8")
def _ecs30(r: Request, t: Template) -> None:
    _electricity_billing(r, t)


@entry("ECS30a", 0x00D7, ("UpdateDeviceConfigurationBillingCalendar",),
       "GBCS ECS30a; DUIS 6.8")
def _ecs30a(r: Request, t: Template) -> None:
    _electricity_billing(r, t)


def _electricity_billing(r: Request, t: Template) -> None:
    """Single action schedule 0-0:15.0.0.255 (class 22) execution_time (attr 4): an array of
    structure { time (octet-string 4: BillingTime), date (octet-string 5: year, month,
    day, day-of-week with 0xFF/0xFFFF wildcards) } — one entry per billing date in a year:
    Daily: every day; Weekly: day of week; Monthly: day of month; Quarterly/SixMonthly/
    Yearly: day of month in every 3rd/6th/12th month from BillingPeriodStartMonth."""
    f = Fields(r, t)
    base = "ElectricityBillingCalendar"
    calendar = r.body.child(base)
    access_request(t, r, [("set", 22, "0-0:15.0.0.255", 4)])
    if calendar is None:
        t.not_supported(f.path(base), None, "element missing from the request")
        return
    billing_time = f.get("BillingTime", calendar, base)
    dates: list[tuple[bytes, str, Any]] = []
    choice = next((c for c in calendar.children if c.name != "BillingTime"), None)
    if choice is None:
        t.not_supported(f.path(base), None, "no periodicity")
        return
    cpath = f"{base}/{choice.name}"
    if choice.name == "Daily":
        dates.append((b"\xff\xff\xff\xff\xff", cpath, "Daily"))
    elif choice.name == "Weekly" and isinstance(choice.value, int) and 1 <= choice.value <= 7:
        dates.append((b"\xff\xff\xff\xff" + bytes([choice.value]), cpath, choice.value))
    elif choice.name == "Monthly" and isinstance(choice.value, int) and 1 <= choice.value <= 28:
        dates.append((b"\xff\xff\xff" + bytes([choice.value]) + b"\xff", cpath, choice.value))
    elif choice.name in _PERIOD_MONTHS:
        day = f.int("DayOfMonth", choice, cpath)
        start = f.int("BillingPeriodStartMonth", choice, cpath)
        if day is None or start is None or not 1 <= start <= 12 or not 1 <= day <= 28:
            t.not_supported(f.path(cpath), (day, start), "day or start month out of range")
            return
        step = _PERIOD_MONTHS[choice.name]
        for k in range(12 // step):
            month = (start - 1 + k * step) % 12 + 1
            dates.append((b"\xff\xff" + bytes([month, day, 0xFF]),
                          f"{cpath} (DayOfMonth, BillingPeriodStartMonth)", f"--{month:02}-{day:02}"))
    else:
        t.not_supported(f.path(cpath), choice.value, "periodicity not supported")
        return
    t.const(bytes([0x01, len(dates)]), "execution_time array (one entry per billing date)")
    time_octets = None
    if isinstance(billing_time, time):
        time_octets = enc.dlms_octets(enc.cosem_time(billing_time))
    else:
        t.not_supported(f.path(f"{base}/BillingTime"), billing_time, "not an xs:time")
    for octets, path, shown in dates:
        t.const("0202", "execution_time entry: structure { time, date }")
        if time_octets is None:
            t.dcc("time", reader=enc.read_dlms_leaf)
        else:
            t.value("execution_time time (octet-string 4)", f.path(f"{base}/BillingTime"),
                    billing_time, time_octets, enc.read_dlms_leaf, enc.dlms_leaf_display)
        t.value("execution_time date (octet-string 5)", f.path(path), shown,
                enc.dlms_octets(octets), enc.read_dlms_leaf, enc.dlms_leaf_display)


_GAS_PERIODS = {"Monthly": 1, "Quarterly": 3, "SixMonthly": 6, "Yearly": 12}


def _gas_billing(r: Request, t: Template) -> None:
    """ZCL Price cluster 0x0700: Publish Billing Period (0x09) and Publish Block Period (0x01),
    both starting at BillingPeriodStart (UTCTime) with duration = the period in months
    (24-bit, duration type 0x23: months, from the start of the period)."""
    f = Fields(r, t)
    base = "GasBillingCalendar"
    start = f.get(f"{base}/BillingPeriodStart")
    period = f.get(f"{base}/Periodicity")
    spath, ppath = f.path(f"{base}/BillingPeriodStart"), f.path(f"{base}/Periodicity")
    months = _GAS_PERIODS.get(period) if isinstance(period, str) else None
    if period is not None and months is None:
        t.not_supported(ppath, period, "periodicity not supported for gas by this entry")

    def body(publish_block: bool) -> Template:
        p = Template()
        provider_and_event(p)
        octets = (_safe(t, spath, start, lambda: enc.utc_time(start))
                  if isinstance(start, datetime) else None)
        if octets is None:
            p.dcc("start time", 4)
        else:
            p.value("Start Time (UTCTime)", spath, start, octets, display=enc.utc_display)
        if months is None:
            p.dcc("duration", 3)
        else:
            p.value("Duration (uint24, months)", ppath, period, enc.le(months, 3),
                    display=enc.le_display())
        if publish_block:
            p.const("02", "Block Period Control")
        p.const("23", "Duration Type (months)")
        p.const("00", "Tariff Type")
        if publish_block:
            p.const("01", "Tariff Resolution Period")
        return p

    gbz(t, [(0x0700, 0x09, 0x09, 0, body(False)), (0x0700, 0x09, 0x01, 1, body(True))])


@entry("GCS25", 0x007E, ("UpdateDeviceConfigurationBillingCalendar",), "GBCS GCS25; DUIS 6.8")
def _gcs25(r: Request, t: Template) -> None:
    _gas_billing(r, t)


@entry("GCS25a", 0x00D8, ("UpdateDeviceConfigurationBillingCalendar",),
       "GBCS GCS25a; DUIS 6.8")
def _gcs25a(r: Request, t: Template) -> None:
    _gas_billing(r, t)


# =============================================================================================
# Gas configuration (6.6, 6.7), supply (7.2, 7.3), emergency credit (2.5), payment mode (1.6)
# =============================================================================================

@entry("GCS23", 0x007C, ("UpdateDeviceConfigurationGasConversion",), "GBCS GCS23; DUIS 6.6")
def _gcs23(r: Request, t: Template) -> None:
    """ZCL Price 0x0700: Publish Conversion Factor (0x02: factor uint32 with 5 decimal places,
    trailing-digit 0x50) then Publish Calorific Value (0x03: CV uint32 with 1 decimal place,
    type 0x01 MJ/m3, trailing-digit 0x10)."""
    f = Fields(r, t)
    factor = Template()
    provider_and_event(factor, provider=False)
    factor.const("00000000", "Start Time (0: now)")
    zcl_int(factor, Fields(r, factor), "Conversion Factor (uint32, 5 decimals)",
            "ConversionFactor", 4, scale=5)
    factor.const("50", "Conversion Factor Trailing Digit (5)")
    cv = Template()
    provider_and_event(cv, provider=False)
    cv.const("00000000", "Start Time (0: now)")
    zcl_int(cv, Fields(r, cv), "Calorific Value (uint32, 1 decimal)", "CalorificValue", 4,
            scale=1)
    cv.const("01", "Calorific Value Unit (MJ/m3)")
    cv.const("10", "Calorific Value Trailing Digit (1)")
    gbz(t, [(0x0700, 0x09, 0x02, 0, factor), (0x0700, 0x09, 0x03, 1, cv)])
    del f


_UNCHANGED_OR_LOCKED = {"Unchanged": 0x03, "Locked": 0x01}


@entry("GCS24", 0x007D, ("UpdateDeviceConfigurationGasFlow",), "GBCS GCS24; DUIS 6.7")
def _gcs24(r: Request, t: Template) -> None:
    """ZCL Metering 0x0702: Set Uncontrolled Flow Threshold (0x0E: threshold uint16, unit
    0x01, multiplier 1, divisor 1, stabilisation period uint8, measurement period uint16),
    then Set Supply Status (0x0D: tamper state, depletion state, uncontrolled-flow state
    unchanged-by-design 0x00, load-limit state 0x03 unchanged); Unchanged → 0x03,
    Locked → 0x01 (supply off/armed)."""
    threshold = Template()
    provider_and_event(threshold)
    tf = Fields(r, threshold)
    zcl_int(threshold, tf, "Uncontrolled Flow Threshold (uint16)", "UncontrolledGasFlowRate", 2)
    threshold.const("01", "Unit of Measure")
    threshold.const("0100", "Multiplier (1)")
    threshold.const("0100", "Divisor (1)")
    zcl_int(threshold, tf, "Stabilisation Period (uint8)", "StabilisationPeriod", 1)
    zcl_int(threshold, tf, "Measurement Period (uint16)", "MeasurementPeriod", 2)
    status = Template()
    provider_and_event(status, provider=False)
    sf = Fields(r, status)
    for name in ("SupplyTamperState", "SupplyDepletionState"):
        code = enum_value(status, sf, name, _UNCHANGED_OR_LOCKED)
        if code is None:
            status.dcc(name, 1)
        else:
            status.value(f"{name} (enum8)", sf.path(name), sf.get(name), bytes([code]),
                         display=lambda b: {v: k for k, v in _UNCHANGED_OR_LOCKED.items()}
                         .get(b[0], b.hex()))
    status.const("00", "Supply Uncontrolled Flow State")
    status.const("03", "Load Limit Supply State (unchanged)")
    gbz(t, [(0x0702, 0x01, 0x0E, 0, threshold), (0x0702, 0x01, 0x0D, 1, status)])


def _change_supply(r: Request, t: Template, proposed: int, what: str) -> None:
    """ZCL Metering 0x0702 Change Supply (0x0B): provider, issuer event, request date-time
    (DCC), implementation date-time 0 (now), proposed supply status, supply control bits 0x01
    (acknowledge required)."""
    if r.body.children or r.body.value is not None:
        t.not_supported(r.body.name, "(content)", f"{what} takes no parameters")
    p = Template()
    provider_and_event(p)
    p.dcc("Request Date/Time (DCC-set)", 4)
    p.const("00000000", "Implementation Date/Time (0: now)")
    p.const(bytes([proposed]), f"Proposed Supply Status ({what})")
    p.const("01", "Supply Control Bits")
    gbz(t, [(0x0702, 0x01, 0x0B, 0, p)])


@entry("GCS32", 0x0081, ("DisableSupply",), "GBCS GCS32; DUIS 7.2")
def _gcs32(r: Request, t: Template) -> None:
    _change_supply(r, t, 0x00, "off")


@entry("GCS39", 0x0085, ("ArmSupply",), "GBCS GCS39; DUIS 7.3")
def _gcs39(r: Request, t: Template) -> None:
    _change_supply(r, t, 0x01, "armed")


@entry("GCS06", 0x0070, ("ActivateEmergencyCredit",), "GBCS GCS06; DUIS 2.5")
def _gcs06(r: Request, t: Template) -> None:
    """ZCL Prepayment 0x0705 Select Available Emergency Credit (0x00): command issue
    date-time 0, originating device 0x00."""
    if r.body.children or r.body.value is not None:
        t.not_supported(r.body.name, "(content)", "takes no parameters")
    p = Template()
    p.const("00000000", "Command Issue Date Time")
    p.const("00", "Originating Device")
    gbz(t, [(0x0705, 0x01, 0x00, 0, p)])


def _change_payment_mode(r: Request, t: Template, prepayment: bool) -> None:
    """ZCL Prepayment 0x0705 Change Payment Mode (0x06): provider, issuer event, implementation
    date-time (ExecutionDateTime), proposed payment control configuration (bitmap16: credit
    0x0C94; prepayment 0x0097 | 0x0400 SuspendDebtDisabled | 0x0800 unless
    SuspendDebtEmergency), cut-off value (int32: DisablementThreshold; credit 0xFFFFFFFF)."""
    f = Fields(r, t)
    p = Template()
    provider_and_event(p)
    pf = Fields(r, p)
    zcl_execution(p, pf, "Implementation Date/Time (UTCTime)")
    if prepayment:
        if not f.has("Prepayment"):
            t.not_supported(f.path("Prepayment"), None, "GCS03 sets prepayment mode")
        disabled = pf.get("Prepayment/SuspendDebtDisabled")
        emergency = pf.get("Prepayment/SuspendDebtEmergency")
        if isinstance(disabled, bool) and isinstance(emergency, bool):
            config = 0x0097 | (0x0400 if disabled else 0) | (0 if emergency else 0x0800)
            p.value("Proposed Payment Control Configuration (bitmap16)",
                    pf.path("Prepayment (SuspendDebtDisabled, SuspendDebtEmergency)"),
                    f"SuspendDebtDisabled={str(disabled).lower()}, "
                    f"SuspendDebtEmergency={str(emergency).lower()}",
                    enc.le(config, 2), display=lambda b: "SuspendDebtDisabled="
                    f"{str(bool(b[1] & 0x04)).lower()}, SuspendDebtEmergency="
                    f"{str(not b[1] & 0x08).lower()}")
        else:
            p.dcc("payment control configuration", 2)
            t.not_supported(pf.path("Prepayment"), (disabled, emergency), "not booleans")
        zcl_int(p, pf, "Cut Off Value (int32)", "Prepayment/DisablementThreshold", 4,
                signed=True)
    else:
        if not f.has("Credit"):
            t.not_supported(f.path("Credit"), None, "GCS02 sets credit mode")
        p.const("940C", "Proposed Payment Control Configuration (credit)")
        p.const("FFFFFFFF", "Cut Off Value (not used in credit mode)")
    gbz(t, [(0x0705, 0x01, 0x06, 0, p)])


@entry("GCS02", 0x006C, ("UpdatePaymentMode",), "GBCS GCS02; DUIS 1.6")
def _gcs02(r: Request, t: Template) -> None:
    _change_payment_mode(r, t, prepayment=False)


@entry("GCS03", 0x006D, ("UpdatePaymentMode",), "GBCS GCS03; DUIS 1.6")
def _gcs03(r: Request, t: Template) -> None:
    _change_payment_mode(r, t, prepayment=True)


def _charge_configuration(register: str, charge: str) -> bytes:
    return (bytes.fromhex("0203") + enc.dlms_octets(obis(register)) + enc.dlms_octets(obis(charge))
            + enc.dlms_bits(3, b"\xe0"))


@entry("ECS02", 0x001A, ("UpdatePaymentMode",), "GBCS ECS02; DUIS 1.6")
def _ecs02(r: Request, t: Template) -> None:
    """Account 0-1:19.0.0.255 (class 111): payment_mode (attr 2) = {credit (1), 1};
    credit_charge_configuration (attr 11) = the ESME variant's charges (single element:
    active and standing charge; twin element: plus the second element's charge), each
    collected from meter balance 0-0:19.10.0.255 with bits 111; then (attr 13) the
    ExecutionDateTime."""
    f = Fields(r, t)
    if not f.has("Credit"):
        t.not_supported(f.path("Credit"), None, "ECS02 sets credit mode")
    account = "0-1:19.0.0.255"
    access_request(t, r, [("set", 111, account, 2), ("set", 111, account, 11),
                          ("set", 111, account, 13)])
    t.const("0202" + "1601" + "1601", "payment_mode {credit, 1}")
    single = Template()
    single.const(b"\x01\x02" + _charge_configuration("0-0:19.10.0.255", "0-0:19.20.0.255")
                 + _charge_configuration("0-0:19.10.0.255", "0-0:19.20.4.255"),
                 "credit_charge_configuration (single element ESME)")
    twin = Template()
    twin.const(b"\x01\x03" + _charge_configuration("0-0:19.10.0.255", "0-0:19.20.0.255")
               + _charge_configuration("0-0:19.10.0.255", "0-0:19.20.4.255")
               + _charge_configuration("0-0:19.10.0.255", "0-0:19.20.5.255"),
               "credit_charge_configuration (twin element ESME)")
    t.choice("credit_charge_configuration", single, twin)
    dlms_execution(t, f)


# =============================================================================================
# 6.4.1 Load limiting
# =============================================================================================

@entry("ECS28a", 0x0043, ("UpdateDeviceConfigurationLoadLimitingGeneralSettings",),
       "GBCS ECS28a; DUIS 6.4.1")
def _ecs28a(r: Request, t: Template) -> None:
    """Four future-dated (class 9000) objects: their value (attr 4), then each one's execution
    date-time (attr 6): 0-0:94.44.0.3 supply-disable on load limit (boolean: Disable →
    true, Unchanged → false), 0-0:94.44.128.7 power threshold, .128.6 period, .128.8
    restoration period (double-long-unsigned)."""
    f = Fields(r, t)
    objects = ["0-0:94.44.0.3", "0-0:94.44.128.7", "0-0:94.44.128.6", "0-0:94.44.128.8"]
    access_request(t, r, [("set", 9000, o, 4) for o in objects]
                   + [("set", 9000, o, 6) for o in objects])
    state = enum_value(t, f, "LoadLimitSupplyState", {"Disable": 1, "Unchanged": 0})
    if state is None:
        t.dcc("LoadLimitSupplyState", reader=enc.read_dlms_leaf)
    else:
        t.value("0-0:94.44.0.3 value (boolean)", f.path("LoadLimitSupplyState"),
                f.get("LoadLimitSupplyState"), enc.dlms_bool(bool(state)), enc.read_dlms_leaf,
                lambda b: "Disable" if b[1] else "Unchanged")
    dlms_value(t, f, "0-0:94.44.128.7 value (double-long-unsigned)", "LoadLimitPowerThreshold",
               enc.UINT32)
    dlms_value(t, f, "0-0:94.44.128.6 value (double-long-unsigned)", "LoadLimitPeriod",
               enc.UINT32)
    dlms_value(t, f, "0-0:94.44.128.8 value (double-long-unsigned)",
               "LoadLimitRestorationPeriod", enc.UINT32)
    for o in objects:
        dlms_execution(t, f, f"{o} execution date-time")


# =============================================================================================
# CS family (ASN.1 DER)
# =============================================================================================

_KEY_USAGE = {"Digital Signature": bytes.fromhex("03020780"),   # bit 0 digitalSignature
              "Key Agreement": bytes.fromhex("03020308")}       # bit 4 keyAgreement


def _credential_type(r: Request, t: Template) -> None:
    """SEQUENCE { keyUsage BIT STRING } naming the credential: Digital Signature → bit 0,
    Key Agreement → bit 4 (X.509 KeyUsage)."""
    f = Fields(r, t)
    kind = f.get("CredentialType")
    t.const("3004", "SEQUENCE")
    if kind not in _KEY_USAGE:
        t.not_supported(f.path("CredentialType"), kind, "not a DUIS CredentialType")
        t.dcc("keyUsage", 4)
        return
    names = {v: k for k, v in _KEY_USAGE.items()}
    t.value("keyUsage (BIT STRING)", f.path("CredentialType"), kind, _KEY_USAGE[kind],
            display=lambda b: names.get(b, b.hex().upper()))


@entry("CS02c", 0x000A, ("IssueSecurityCredentials",), "GBCS CS02c; DUIS 6.17")
def _cs02c(r: Request, t: Template) -> None:
    _credential_type(r, t)


@entry("CS02e", 0x000C, ("RetrieveDeviceSecurityCredentialsDevice",), "GBCS CS02e; DUIS 6.24.2")
def _cs02e(r: Request, t: Template) -> None:
    _credential_type(r, t)


def _certificate(t: Template, f: Fields, relative: str, gbcs_field: str,
                 base: Node | None = None, path: str | None = None) -> None:
    """An X.509 certificate the request carries base64-encoded, compared as DER octets."""
    value = f.get(relative, base)
    path = path or f.path(relative)
    try:
        der = base64.b64decode(str(value), validate=True) if value is not None else None
    except (binascii.Error, ValueError):
        der = None
    if der is None:
        if value is not None:
            t.not_supported(path, "(certificate)", "not base64")
        t.dcc(gbcs_field, reader=_der_element)
        return
    t.value(gbcs_field, path, _certificate_label(der), der, _der_element,
            display=_certificate_label)


def _certificate_label(der: bytes) -> str:
    return f"certificate of {len(der)} octets, SHA-256 {hashlib.sha256(der).hexdigest()[:16]}"


@entry("CS02d", 0x000B, ("UpdateSecurityCredentialsDevice",), "GBCS CS02d; DUIS 6.15.2")
def _cs02d(r: Request, t: Template) -> None:
    """The device certificate (X.509 DER) as the whole payload."""
    _certificate(t, Fields(r, t), "DeviceCertificate", "Certificate (DER)")


def _eui_octets(t: Template, f: Fields, relative: str) -> bytes | None:
    value = f.get(relative)
    if not isinstance(value, str) or len(value) != 23:
        t.not_supported(f.path(relative), value, "not an EUI-64")
        return None
    try:
        return bytes.fromhex(value.replace("-", ""))
    except ValueError:
        t.not_supported(f.path(relative), value, "not an EUI-64")
        return None


def _join_device(r: Request, t: Template, role: int, with_certificate: bool) -> None:
    """SEQUENCE { joinMethodAndRole INTEGER (fixed per use case), otherDeviceEntityIdentifier
    OCTET STRING (OtherDeviceID), otherDeviceType INTEGER (the DCC sets it from the Smart
    Metering Inventory) [, otherDeviceCertificate (DCC-supplied from SMKI)] }."""
    f = Fields(r, t)
    eui = _eui_octets(t, f, "OtherDeviceID")
    t.dcc("SEQUENCE header (the payload: well-formed DER)", reader=_der_payload)
    t.const(bytes([0x02, 0x01, role]), f"joinMethodAndRole INTEGER {role}")
    if eui is None:
        t.dcc("otherDeviceEntityIdentifier", 10)
    else:
        t.value("otherDeviceEntityIdentifier (OCTET STRING)", f.path("OtherDeviceID"),
                f.get("OtherDeviceID"), b"\x04\x08" + eui,
                display=lambda b: b[2:].hex("-").upper())
    t.dcc("otherDeviceType INTEGER (DCC-set from inventory)", reader=_der_element)
    if with_certificate:
        t.dcc("otherDeviceCertificate (DCC-supplied from SMKI)", reader=_der_element)


def _der_header(data: bytes, pos: int) -> tuple[int, Any]:
    """A DER SEQUENCE's identifier and length only (its content follows as fields)."""
    element = asn1.read_element(data, pos)
    if not element.is_universal(asn1.SEQUENCE) or not element.constructed:
        raise DecodeError(f"expected SEQUENCE, found {element.describe()}", pos)
    return element.start, element.length


def _der_payload(data: bytes, pos: int) -> tuple[int, Any]:
    """The identifier and length of the payload's one top-level SEQUENCE, after checking that
    it fills the payload from ``pos`` and that, three levels down, every constructed
    element's children fill it exactly (pandc.codec.asn1.children). The fields that follow
    are then compared one by one, so no length octet an entry leaves to the bytes (a
    SEQUENCE header) goes unchecked; below three levels every element is inside a value the
    entry compares whole (a certificate)."""
    top = asn1.read_element(data, pos)
    if top.end != len(data):
        raise DecodeError(f"{len(data) - top.end} octet(s) after the payload's SEQUENCE",
                          top.end)
    level = [top]
    for _ in range(3):
        level = [child for element in level if element.constructed
                 for child in asn1.children(data, element)]
    return _der_header(data, pos)


def _der_element(data: bytes, pos: int) -> tuple[int, Any]:
    """One whole DER element (identifier, length, content): its octets."""
    element = asn1.read_element(data, pos)
    return element.end, data[pos:element.end]


def _der_optional(tag: int) -> Callable[[bytes, int], tuple[int, Any]]:
    """An OPTIONAL element: the element when the identifier octet at ``pos`` is ``tag``,
    else nothing (zero octets)."""
    def read(data: bytes, pos: int) -> tuple[int, Any]:
        if pos < len(data) and data[pos] == tag:
            return _der_element(data, pos)
        return pos, b""
    return read


@entry("CS03A1", 0x000D, ("JoinServiceCritical",), "GBCS CS03A1; DUIS 8.7.1")
def _cs03a1(r: Request, t: Template) -> None:
    _join_device(r, t, 0, False)


@entry("CS03A2", 0x00AB, ("JoinServiceCritical", "JoinServiceNonCritical"),
       "GBCS CS03A2; DUIS 8.7.1 / 8.7.2")
def _cs03a2(r: Request, t: Template) -> None:
    _join_device(r, t, 1, False)


@entry("CS03C", 0x00AF, ("JoinServiceCritical", "JoinServiceNonCritical"),
       "GBCS CS03C; DUIS 8.7.1 / 8.7.2")
def _cs03c(r: Request, t: Template) -> None:
    _join_device(r, t, 3, True)


@entry("CS04AC", 0x000F, ("UnjoinServiceCritical", "UnjoinServiceNonCritical"),
       "GBCS CS04AC; DUIS 8.8.1 / 8.8.2")
def _cs04ac(r: Request, t: Template) -> None:
    """otherDeviceEntityIdentifier OCTET STRING (OtherDeviceID)."""
    f = Fields(r, t)
    eui = _eui_octets(t, f, "OtherDeviceID")
    if eui is None:
        return
    t.value("otherDeviceEntityIdentifier (OCTET STRING)", f.path("OtherDeviceID"),
            f.get("OtherDeviceID"), b"\x04\x08" + eui, display=lambda b: b[2:].hex("-").upper())


# =============================================================================================
# 1.2 Update Price (ECS01d secondary element, GCS01b gas)
# =============================================================================================

def _indexed(node: Node | None, name: str) -> list[tuple[int | None, Node]]:
    """The children called ``name`` with their integer ``index`` attribute (None if absent)."""
    found: list[tuple[int | None, Node]] = []
    for child in _children(node, name):
        index = child.attribute("index")
        found.append((index if isinstance(index, int) else None, child))
    return found


def _secondary_unit_charge(t: Template, f: Fields) -> None:
    """unit_charge_passive of the secondary element's charge 0-0:19.20.5.255 (see ECS01d)."""
    t.const("0203" + "0202" + "0F03", "unit_charge_passive { scaling { commodity_scale 3")
    dlms_value(t, f, "price_scale (integer)", "PriceElements/PriceScale", enc.INT8)
    t.const("0203" + "120003" + "0906" + obis("1-20:1.8.0.255").hex() + "0F02",
            "commodity reference { class 3, 1-20:1.8.0.255, attr 2 }")
    prices = _indexed(f.node("PriceElements"), "ElectricityPriceElement")
    t.const(bytes([0x01, len(prices)]), "charge_table array count (number of price elements)")
    for index, node in prices:
        base = f"PriceElements/ElectricityPriceElement[@index={index}]"
        t.const("0202", "charge_table entry { index, charge_per_unit }")
        if index is None or not 1 <= index <= 255:
            t.not_supported(f.path(base), index, "index outside 1..255")
            t.dcc("index", reader=enc.read_dlms_leaf)
        else:
            t.value("charge_table index (octet-string 1)", f.path(f"{base}/@index"), index,
                    enc.dlms_octets(bytes([index])), enc.read_dlms_leaf,
                    lambda b: enc.dlms_leaf_display(b)[0] if enc.dlms_leaf_display(b) else None)
        dlms_value(t, f, "charge_per_unit (long)", "", enc.INT16, base=node, base_path=base)


@entry("ECS01d", 0x00C7, ("UpdatePriceSecondaryElement",), "GBCS ECS01d; DUIS 1.2.2")
def _ecs01d(r: Request, t: Template) -> None:
    """Charge 0-0:19.20.5.255 (class 113, secondary element): unit_charge_passive (attr 6) =
    { charge_per_unit_scaling { commodity_scale 3 (fixed), price_scale PriceScale },
    commodity reference { class 3, 1-20:1.8.0.255 (secondary import register), attr 2 },
    charge_table: per ElectricityPriceElement { index (octet-string 1), charge (long) } },
    then unit_charge_activation_time (attr 7) = ExecutionDateTime."""
    f = Fields(r, t)
    charge = "0-0:19.20.5.255"
    access_request(t, r, [("set", 113, charge, 6), ("set", 113, charge, 7)])
    _secondary_unit_charge(t, f)
    dlms_execution(t, f, "unit_charge_activation_time")


_CURRENCY = {"GBP": 826, "ECB": 978}     # ISO 4217 numeric: pound sterling, euro


def _gas_start(t: Template, f: Fields, cancel_code: int, gbcs_field: str) -> None:
    moment = f.get("ExecutionDateTime", required=False)
    path = f.path("ExecutionDateTime")
    if moment == enc.CANCELLATION:
        octets: bytes | None = enc.le(cancel_code, 4)
    else:
        octets = _safe(t, path, moment, lambda: enc.execution_utc_time(moment))
    if octets is None:
        t.dcc(gbcs_field, 4)
        return
    t.value(gbcs_field, path, moment if moment is not None else "(immediate)", octets,
            display=lambda b: enc.CANCELLATION if int.from_bytes(b, "little") == cancel_code
            else enc.utc_display(b))


@entry("GCS01b", 0x00A3, ("UpdatePricePrimaryElement",), "GBCS GCS01b; DUIS 1.2.1")
def _gcs01b(r: Request, t: Template) -> None:
    """Publish Tariff Information and Publish Price Matrix (see :func:`_gas_price`); the
    number of block thresholds in use is BlockTariff/NumberOfThresholds."""
    parts = _gas_price(r, t, None)
    if parts is not None:
        gbz(t, [(0x0700, 0x09, 0x04, 0, parts[0]), (0x0700, 0x09, 0x05, 1, parts[1])])


def _gas_price(r: Request, t: Template, thresholds_in_use: int | None
               ) -> tuple[Template, Template] | None:
    """ZCL Price 0x0700: Publish Tariff Information (0x04: issuer tariff id (DCC), start
    time = ExecutionDateTime (cancel 0xFFFFFFFF), charging scheme 0x10 block / 0x00 TOU,
    empty label, number of TOU tiers, number of block thresholds, unit 0x00, currency
    (ISO 4217), trailing digit 0x50, standing charge, tier-block mode 0xFF, threshold
    multiplier 1, divisor 1000), then Publish Price Matrix (0x05: start time (cancel
    0xFFFFFFFE), issuer tariff id, command 0 of 1, sub-payload control 0 block / 1 TOU,
    then per price its id (block: index-1; TOU: index) and price uint32)."""
    f = Fields(r, t)
    base = "PriceElements/GasPriceElements"
    gas = f.node(base)
    block = f.node(f"{base}/BlockTariff")
    tou = f.node(f"{base}/TOUTariff")
    if gas is None or (block is None) == (tou is None):
        t.not_supported(f.path(base), None, "expects GasPriceElements with BlockTariff or "
                                             "TOUTariff")
        return None
    prices = _indexed(block, "BlockPrice") if block is not None else _indexed(tou, "TOUPrice")
    info = Template()
    provider_and_event(info)
    inf = Fields(r, info)
    info.dcc("Issuer Tariff ID (DCC-set)", 4)
    _gas_start(info, inf, 0xFFFFFFFF, "Start Time (UTCTime)")
    info.value("Tariff Type / Charging Scheme", inf.path(f"{base}/"
               + ("BlockTariff" if block is not None else "TOUTariff")),
               "BlockTariff" if block is not None else "TOUTariff",
               b"\x10" if block is not None else b"\x00",
               display=lambda b: {0x10: "BlockTariff", 0x00: "TOUTariff"}.get(b[0], b.hex()))
    info.const("00", "Tariff Label (empty)")
    if tou is not None:
        info.value("Number of Price Tiers in Use", inf.path(f"{base}/TOUTariff/TOUPrice (count)"),
                   len(prices), bytes([len(prices)]), display=lambda b: b[0])
        info.const("00", "Number of Block Thresholds in Use (TOU: 0)")
    else:
        info.const("00", "Number of Price Tiers in Use (block: 0)")
        thresholds = inf.int(f"{base}/BlockTariff/NumberOfThresholds")
        if thresholds_in_use is not None:
            info.value("Number of Block Thresholds in Use",
                       inf.path("GasTariffElements/ThresholdMatrix/BlockThreshold (count)"),
                       thresholds_in_use, bytes([min(thresholds_in_use, 255)]),
                       display=lambda b: b[0])
        elif thresholds is None or not 0 <= thresholds <= 255:
            info.dcc("Number of Block Thresholds in Use", 1)
        else:
            info.value("Number of Block Thresholds in Use",
                       inf.path(f"{base}/BlockTariff/NumberOfThresholds"), thresholds,
                       bytes([thresholds]), display=lambda b: b[0])
    info.const("00", "Unit of Measure")
    currency = enum_value(info, inf, f"{base}/CurrencyUnits", _CURRENCY)
    if currency is None:
        info.dcc("Currency", 2)
    else:
        info.value("Currency (ISO 4217, uint16)", inf.path(f"{base}/CurrencyUnits"),
                   inf.get(f"{base}/CurrencyUnits"), enc.le(currency, 2),
                   display=lambda b: {v: k for k, v in _CURRENCY.items()}.get(
                       int.from_bytes(b, "little"), int.from_bytes(b, "little")))
    info.const("50", "Price Trailing Digit")
    zcl_int(info, inf, "Standing Charge (uint32)", f"{base}/StandingCharge", 4)
    info.const("FF", "Tier Block Mode")
    info.const("010000", "Block Threshold Multiplier (1)")
    info.const("E80300", "Block Threshold Divisor (1000)")

    matrix = Template()
    provider_and_event(matrix)
    mf = Fields(r, matrix)
    _gas_start(matrix, mf, 0xFFFFFFFE, "Start Time (UTCTime)")
    matrix.dcc("Issuer Tariff ID (DCC-set)", 4)
    matrix.const("00", "Command Index")
    matrix.const("01", "Total Number of Commands")
    matrix.const("00" if block is not None else "01", "Sub-Payload Control (0 block, 1 TOU)")
    kind = "BlockPrice" if block is not None else "TOUPrice"
    parent = "BlockTariff" if block is not None else "TOUTariff"
    for index, node in prices:
        path = f"{base}/{parent}/{kind}[@index={index}]"
        if index is None or not 1 <= index <= 16:
            matrix.not_supported(mf.path(path), index, "index outside 1..16")
            matrix.dcc("id", 1)
        else:
            ident = index - 1 if block is not None else index
            matrix.value("Tier/Block ID", mf.path(f"{path}/@index"), index, bytes([ident]),
                         display=_block_id_display if block is not None else _first_octet)
        price = node.value
        octets = (_safe(matrix, mf.path(path), price, lambda: enc.le(price, 4))
                  if isinstance(price, int) and not isinstance(price, bool) else None)
        if octets is None:
            if not isinstance(price, int):
                matrix.not_supported(mf.path(path), price, "not an integer")
            matrix.dcc("price", 4)
        else:
            matrix.value("Price (uint32)", mf.path(path), price, octets,
                         display=enc.le_display())
    return info, matrix


# =============================================================================================
# 6.14.3 Auxiliary controller calendar
# =============================================================================================

_WEEKDAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")


def _wildcard_date(t: Template, f: Fields, node: Node | None, base: str,
                   names: tuple[str, str, str, str] = ("Year", "Month", "DayOfMonth",
                                                       "DayOfWeek")) -> None:
    """A COSEM date (octet-string 5: year (2), month, day, day-of-week) from a DUIS date with
    wildcards: each part Specified<X> → its value, NonSpecified<X> → 0xFF (0xFFFF year)."""
    t.const("0905", "date (octet-string 5)")
    for part, size in zip(names, (2, 1, 1, 1)):
        holder = node.child(part) if node is not None else None
        path = f.path(f"{base}/{part}")
        value = None
        specified = False
        if holder is not None:
            for child in holder.children:
                if child.name.startswith("Specified"):
                    specified, value = True, child.value
                elif child.name.startswith("NonSpecified"):
                    specified, value = False, None
        if holder is None:
            t.not_supported(path, None, "element missing from the request")
            t.dcc(part, size)
            continue
        if specified and (not isinstance(value, int) or isinstance(value, bool)):
            t.not_supported(path, value, "not an integer")
            t.dcc(part, size)
            continue
        octets = (b"\xff" * size if not specified else
                  _safe(t, path, value, lambda: _small_int(value, 0, 0xFFFF).to_bytes(size, "big")))
        if octets is None:
            t.dcc(part, size)
            continue
        t.value(f"date {part.lower()}", path, value if specified else "(not specified)",
                octets, display=lambda b: "(not specified)" if set(b) == {0xFF}
                else int.from_bytes(b, "big"))


def _bits(flags: list[bool]) -> bytes:
    octets = bytearray((len(flags) + 7) // 8)
    for i, flag in enumerate(flags):
        if flag:
            octets[i // 8] |= 0x80 >> (i % 8)
    return enc.dlms_bits(len(flags), bytes(octets))


# --- COSEM special days table (class 11) and schedule (class 10) entries ----------------------
# The shapes the auxiliary controller scheduler (ECS46d) and the electricity non-disablement
# calendar (ECS08) share; each caller names its own request elements.

def _special_day_entry(t: Template, f: Fields, ident: Any, date_node: Node | None,
                       entry_path: str, ident_path: str, date_path: str) -> None:
    """spec_day_entry { index long-unsigned, specialday_date (wildcard date), day_id
    unsigned }, index and day_id both the request's identifier (1..255)."""
    t.const("0203", "spec_day_entry { index, specialday_date, day_id }")
    if not isinstance(ident, int) or not 1 <= ident <= 255:
        t.not_supported(f.path(entry_path), ident, "identifier outside 1..255")
        t.dcc("index", 3)
        _wildcard_date(t, f, date_node, date_path)
        t.dcc("day_id", 2)
        return
    t.value("spec_day_entry index (long-unsigned)", f.path(ident_path), ident,
            enc.dlms_int(enc.UINT16, ident), enc.read_dlms_leaf, enc.dlms_leaf_display)
    _wildcard_date(t, f, date_node, date_path)
    t.value("spec_day_entry day_id (unsigned)", f.path(ident_path), ident,
            enc.dlms_int(enc.UINT8, ident), enc.read_dlms_leaf, enc.dlms_leaf_display)


def _schedule_entry_start(t: Template, f: Fields, k: int, entry_path: str, script: str
                          ) -> None:
    """schedule_table_entry (structure of 10): index = the entry's position k, enable true,
    script_logical_name ``script`` (the script_selector follows, per caller)."""
    t.const("020A", "schedule_table_entry (structure of 10)")
    t.value("schedule entry index (long-unsigned)", f.path(entry_path) + " (position)", k,
            enc.dlms_int(enc.UINT16, k), enc.read_dlms_leaf, enc.dlms_leaf_display)
    t.const(enc.dlms_bool(True) + enc.dlms_octets(obis(script)),
            f"enable true, script_logical_name {script}")


def _switch_time_and_window(t: Template, f: Fields, holder: Node | None, holder_path: str
                            ) -> None:
    """switch_time (octet-string 4, COSEM time of the request's SwitchTime), then
    validity_window 0xFFFF (GBCS: no limit)."""
    switch = holder.find("SwitchTime") if holder is not None else None
    if switch is not None and isinstance(switch.value, time):
        t.value("switch_time (octet-string 4)", f.path(f"{holder_path}/SwitchTime"),
                switch.value, enc.dlms_octets(enc.cosem_time(switch.value)),
                enc.read_dlms_leaf, enc.dlms_leaf_display)
    else:
        t.not_supported(f.path(f"{holder_path}/SwitchTime"), None, "missing or not xs:time")
        t.dcc("switch_time", 6)
    t.const(enc.dlms_int(enc.UINT16, 0xFFFF), "validity_window (0xFFFF: no limit)")


def _day_bitmaps(t: Template, f: Fields, days: list[Any], days_path: str, chosen: list[Any],
                 idents: list[Any], chosen_path: str) -> None:
    """exec_weekdays (bit-string 7, Monday first) and exec_specdays (one bit per special
    day of the table, in table order); a chosen special day the table lacks is a note."""
    unknown = [d for d in days if d not in _WEEKDAYS]
    if unknown:
        t.not_supported(f.path(days_path), unknown[0], "not a day of the week")
    t.value("exec_weekdays (bit-string 7, Monday first)", f.path(days_path), days,
            _bits([d in days for d in _WEEKDAYS]), enc.read_dlms_leaf,
            lambda b: [d for i, d in enumerate(_WEEKDAYS)
                       if len(b) > 2 and b[2] & (0x80 >> i)])
    for orphan in [i for i in chosen if i not in idents]:
        t.note(f.path(chosen_path), orphan, "no special day of the table has this identifier")
    t.value("exec_specdays (one bit per special day)", f.path(chosen_path), chosen,
            _bits([i in chosen for i in idents]), enc.read_dlms_leaf,
            lambda b: [i for n_, i in enumerate(idents)
                       if len(b) > 2 + n_ // 8 and b[2 + n_ // 8] & (0x80 >> (n_ % 8))])


@entry("ECS46d", 0x011A, ("UpdateDeviceConfigurationAuxiliaryControllerScheduler",),
       "GBCS ECS46d; DUIS 6.14.3")
def _ecs46d(r: Request, t: Template) -> None:
    """Special days table 0-1:11.0.3.255 (class 11) entries (attr 2): per definition
    { index = identifier, date, day_id = identifier }; schedule 0-1:12.0.2.255 (class 10)
    entries (attr 2): per AuxiliaryControllerSchedule k { index k, enable true, script
    0-0:10.0.103.255, selector ((0x10 + auxiliaryControllerN) << 8) | (0x80 +
    CommandedStateLevel), 0x20 instead of 0x10 with InputFromControlledLoad, switch time, validity window 0xFFFF, exec_weekdays (7 bits,
    Monday first), exec_specdays (one bit per special day definition, identifier 1 first),
    begin date, end date }; then the execution date-times (attr 6) of the future-dated
    objects 0-0:94.44.128.26 (special days) and 0-0:94.44.128.35 (schedule)."""
    f = Fields(r, t)
    access_request(t, r, [("set", 11, "0-1:11.0.3.255", 2), ("set", 10, "0-1:12.0.2.255", 2),
                          ("set", 9000, "0-0:94.44.128.26", 6),
                          ("set", 9000, "0-0:94.44.128.35", 6)])
    definitions_node = r.body.child("AuxiliaryControllerSpecialDayDefinitions")
    definitions = _children(definitions_node, "AuxiliaryControllerSpecialDayDefinition")
    t.const(bytes([0x01, len(definitions)]), "special days table entries (count)")
    for definition in definitions:
        ident = definition.attribute("identifier")
        base = f"AuxiliaryControllerSpecialDayDefinitions/AuxiliaryControllerSpecialDayDefinition" \
               f"[@identifier={_label(ident)}]"
        _special_day_entry(t, f, ident, definition, base, f"{base}/@identifier", base)
    schedules = [c for c in r.body.children if c.name == "AuxiliaryControllerSchedule"]
    t.const(bytes([0x01, len(schedules)]), "schedule entries (count)")
    for k, schedule in enumerate(schedules, 1):
        base = f"AuxiliaryControllerSchedule[{k}]"
        _schedule_entry_start(t, f, k, base, "0-0:10.0.103.255")
        action = schedule.child("AuxiliaryControllerAction")
        n = action.attribute("auxiliaryControllerN") if action is not None else None
        level = action.find("CommandedStateLevel") if action is not None else None
        level_value = level.value if level is not None else None
        t.const("12", "script_selector (long-unsigned)")
        apath = f"{base}/AuxiliaryControllerAction"
        direction = 0x20 if action is not None and action.child("InputFromControlledLoad") \
            else 0x10
        if isinstance(n, int) and 1 <= n <= 5:
            t.value("script_selector high octet (0x10 output / 0x20 InputFromControlledLoad, "
                    "+ auxiliaryControllerN)",
                    f.path(f"{apath}/@auxiliaryControllerN (InputFromControlledLoad)"),
                    f"{n}{' input' if direction == 0x20 else ''}", bytes([direction + n]),
                    display=lambda b: f"{b[0] & 0x0F}{' input' if b[0] & 0xF0 == 0x20 else ''}")
        else:
            t.not_supported(f.path(f"{apath}/@auxiliaryControllerN"), n, "outside 1..5")
            t.dcc("script_selector high octet", 1)
        if isinstance(level_value, int) and 0 <= level_value <= 100:
            t.value("script_selector low octet (0x80 + CommandedStateLevel)",
                    f.path(f"{apath}/CommandedStateLevel"), level_value,
                    bytes([0x80 + level_value]), display=lambda b: b[0] - 0x80)
        else:
            t.not_supported(f.path(f"{apath}/CommandedStateLevel"), level_value,
                            "outside 0..100")
            t.dcc("script_selector low octet", 1)
        period = schedule.child("AuxiliaryControllerSchedulePeriodAndTime")
        ppath = f"{base}/AuxiliaryControllerSchedulePeriodAndTime"
        _switch_time_and_window(t, f, period, ppath)
        days = _leaf_values(_children(schedule.child("DaysOfWeekApplicability"),
                                      "DayOfWeekApplicability"), "DayOfWeekID")
        special = [s.attribute("identifier") for s in schedule.children
                   if s.name == "SpecialDaysApplicability"]
        _day_bitmaps(t, f, days, f"{base}/DaysOfWeekApplicability/DayOfWeekApplicability/"
                     "DayOfWeekID", special, [d.attribute("identifier") for d in definitions],
                     f"{base}/SpecialDaysApplicability/@identifier")
        start = period.child("StartDate") if period is not None else None
        end = period.child("EndDate") if period is not None else None
        _wildcard_date(t, f, start, f"{ppath}/StartDate")
        _wildcard_date(t, f, end, f"{ppath}/EndDate")
    dlms_execution(t, f, "0-0:94.44.128.26 execution date-time")
    dlms_execution(t, f, "0-0:94.44.128.35 execution date-time")


# =============================================================================================
# 2.1 Update Prepay Configuration (electricity)
# =============================================================================================

_NON_DISABLEMENT_SCRIPT = {"START": 0x0020, "STOP": 0x0021}


def _plain_date(t: Template, f: Fields, relative: str, base: Node, base_path: str) -> None:
    """An xs:date whose year 65535 means 'every year' → COSEM date (year 0xFFFF), day of
    week not specified."""
    node = base.find(relative)
    path = f.path(f"{base_path}/{relative}")
    value = node.value if node is not None else None
    parts: tuple[int, int, int] | None = None
    if isinstance(value, date):
        parts = (value.year, value.month, value.day)
    elif isinstance(value, str):
        text = value.rstrip("Z")
        pieces = text.split("-")
        if len(pieces) == 3 and all(p.isdigit() for p in pieces):
            parts = (int(pieces[0]), int(pieces[1]), int(pieces[2]))
    if parts is None or not (0 <= parts[0] <= 0xFFFF and 1 <= parts[1] <= 12
                             and 1 <= parts[2] <= 31):
        t.not_supported(path, value, "not a date")
        t.dcc("date", 7)
        return
    year, month, day = parts
    octets = year.to_bytes(2, "big") + bytes([month, day, 0xFF])
    t.value("date (octet-string 5)", path, value, enc.dlms_octets(octets), enc.read_dlms_leaf,
            lambda b: (lambda raw: f"{int.from_bytes(raw[:2], 'big')}-{raw[2]:02}-{raw[3]:02}")(
                enc.dlms_leaf_display(b)))


def _ecs08(r: Request, t: Template, balance_attribute: int) -> None:
    """Special days 0-1:11.0.2.255 (class 11) entries; maximum meter balance
    0-0:94.44.2.20 (attr 2 for ECS08, attr 4 for ECS08a); maximum credit threshold
    0-0:94.44.2.10; non-disablement schedule 0-1:12.0.1.255 (class 10) entries (script
    0-0:10.0.106.255, selector 0x20 START / 0x21 STOP, weekday and special-day bitmaps,
    begin/end dates); debt recovery rate cap 0-0:94.44.128.12 (long-unsigned); debt recovery
    period 0-0:94.44.128.13 = 604800 s (GBCS fixes one week); low credit threshold .128.9,
    emergency credit limit .128.2, emergency credit threshold .128.3 (double-long); then
    every future-dated object's execution date-time = ExecutionDateTime."""
    f = Fields(r, t)
    base = "UpdatePrepayConfigElectricity"
    config = r.body.child(base)
    future = "0-0:94.44."
    access_request(t, r, [
        ("set", 11, "0-1:11.0.2.255", 2), ("set", 9000, future + "2.20", balance_attribute),
        ("set", 9000, future + "2.10", 4), ("set", 10, "0-1:12.0.1.255", 2),
        ("set", 9000, future + "128.12", 4), ("set", 9000, future + "128.13", 4),
        ("set", 9000, future + "128.9", 4), ("set", 9000, future + "128.2", 4),
        ("set", 9000, future + "128.31", 6), ("set", 9000, future + "128.3", 4)]
        + [("set", 9000, future + o, 6) for o in ("2.20", "2.10", "128.12", "128.13", "128.9",
                                                  "128.2", "128.3", "128.28")])
    if config is None:
        t.not_supported(f.path(base), None, "element missing from the request")
        return
    calendar_path = f"{base}/ElectricityNonDisablementCalendar"
    calendar = config.child("ElectricityNonDisablementCalendar")
    days_node = calendar.child("ElectricitySpecialDays") if calendar is not None else None
    special_days = _children(days_node, "SpecialDay")
    t.const(bytes([0x01, len(special_days)]), "special days table entries (count)")
    idents = []
    for position, day in enumerate(special_days, 1):
        ident = day.attribute("index")
        idents.append(ident)
        dpath = f"{calendar_path}/ElectricitySpecialDays/SpecialDay[@index={_label(ident)}]"
        _special_day_entry(t, f, ident, day.child("Date"), dpath, f"{dpath}/@index",
                           f"{dpath}/Date")
    dlms_value(t, f, "0-0:94.44.2.20 maximum meter balance (double-long)",
               f"{base}/MaxMeterBalance", enc.INT32)
    dlms_value(t, f, "0-0:94.44.2.10 maximum credit threshold (double-long)",
               f"{base}/MaxCreditThreshold", enc.INT32)
    schedules = [c for c in (calendar.children if calendar is not None else ())
                 if c.name == "ElectricityNonDisablementSchedule"]
    t.const(bytes([0x01, len(schedules)]), "non-disablement schedule entries (count)")
    for k, schedule in enumerate(schedules, 1):
        spath = f"{calendar_path}/ElectricityNonDisablementSchedule[{k}]"
        _schedule_entry_start(t, f, k, spath, "0-0:10.0.106.255")
        script = schedule.find("NonDisablementScript")
        script_value = script.value if script is not None else None
        if script_value in _NON_DISABLEMENT_SCRIPT:
            t.value("script_selector (0x20 START, 0x21 STOP)",
                    f.path(f"{spath}/NonDisablementScript"), script_value,
                    enc.dlms_int(enc.UINT16, _NON_DISABLEMENT_SCRIPT[str(script_value)]),
                    enc.read_dlms_leaf, lambda b: {0x20: "START", 0x21: "STOP"}.get(
                        enc.dlms_leaf_display(b), enc.dlms_leaf_display(b)))
        else:
            t.not_supported(f.path(f"{spath}/NonDisablementScript"), script_value,
                            "not START or STOP")
            t.dcc("script_selector", 3)
        times = schedule.child("ScheduleDatesAndTime")
        tpath = f"{spath}/ScheduleDatesAndTime"
        _switch_time_and_window(t, f, times, tpath)
        days = _leaf_values(_children(schedule.child("DaysOfWeekApplicability"),
                                      "DayOfWeekApplicability"), "DayOfWeekID")
        chosen = _leaf_values(_children(schedule.child("SpecialDaysApplicability"),
                                        "SpecialDayApplicability"), "SpecialDayID")
        _day_bitmaps(t, f, days, f"{spath}/DaysOfWeekApplicability/DayOfWeekApplicability/"
                     "DayOfWeekID", chosen, idents,
                     f"{spath}/SpecialDaysApplicability/SpecialDayApplicability/SpecialDayID")
        if times is None:
            t.not_supported(f.path(tpath), None, "element missing from the request")
            return
        _plain_date(t, f, "StartDate", times, tpath)
        _plain_date(t, f, "EndDate", times, tpath)
    dlms_value(t, f, "0-0:94.44.128.12 debt recovery rate cap (long-unsigned)",
               f"{base}/DebtRecoveryRateCap", enc.UINT16)
    t.const(enc.dlms_int(enc.INT32, 604800), "0-0:94.44.128.13 debt recovery period (1 week)")
    dlms_value(t, f, "0-0:94.44.128.9 low credit threshold (double-long)",
               f"{base}/LowCreditThreshold", enc.INT32)
    dlms_value(t, f, "0-0:94.44.128.2 emergency credit limit (double-long)",
               f"{base}/EmergencyCreditLimit", enc.INT32)
    dlms_execution(t, f, "0-0:94.44.128.31 execution date-time")
    dlms_value(t, f, "0-0:94.44.128.3 emergency credit threshold (double-long)",
               f"{base}/EmergencyCreditThreshold", enc.INT32)
    for o in ("2.20", "2.10", "128.12", "128.13", "128.9", "128.2", "128.3", "128.28"):
        dlms_execution(t, f, f"0-0:94.44.{o} execution date-time")


@entry("ECS08", 0x001F, ("UpdatePrepayConfiguration",), "GBCS ECS08; DUIS 2.1")
def _ecs08_entry(r: Request, t: Template) -> None:
    _ecs08(r, t, 2)


@entry("ECS08a", 0x00DE, ("UpdatePrepayConfiguration",), "GBCS ECS08a; DUIS 2.1")
def _ecs08a_entry(r: Request, t: Template) -> None:
    _ecs08(r, t, 4)


# =============================================================================================
# 2.1 Update Prepay Configuration (gas): ZCL Prepayment 0x0705 and Calendar 0x0707
# =============================================================================================

_FRIENDLY_CREDIT = {"START": 0x01, "STOP": 0x00}


def _zcl_execution(t: Template, f: Fields, cancel_code: int, gbcs_field: str) -> None:
    _gas_start(t, f, cancel_code, gbcs_field)


def _zcl_date(t: Template, f: Fields, node: Node | None, base: str,
              names: tuple[str, str, str, str] = ("GasYearWithWildcards", "GasMonthWithWildcards",
                                                  "GasDayOfMonthWithWildcards",
                                                  "GasDayOfWeekWithWildcards")) -> None:
    """ZCL Date (4 octets: year - 1900, month, day, day of week; 0xFF = not specified)."""
    for part, offset in zip(names, (1900, 0, 0, 0)):
        holder = node.child(part) if node is not None else None
        path = f.path(f"{base}/{part}")
        if holder is None:
            t.not_supported(path, None, "element missing from the request")
            t.dcc(part, 1)
            continue
        specified = next((c for c in holder.children if c.name.startswith("Specified")), None)
        if specified is None:
            t.value(f"ZCL date {part}", path, "(not specified)", b"\xff",
                    display=lambda b: "(not specified)" if b[0] == 0xFF else b[0])
            continue
        value = specified.value
        if not isinstance(value, int) or isinstance(value, bool) or not 0 <= value - offset < 255:
            t.not_supported(path, value, "outside the ZCL date range")
            t.dcc(part, 1)
            continue
        t.value(f"ZCL date {part}", path, value, bytes([value - offset]),
                display=functools.partial(_zcl_date_part, offset))


def _gbz_from_time(t: Template, f: Fields) -> None:
    """The GBZ extended header's from-date-time: UTCTime big-endian, as the rest of the GBZ
    header (unlike the little-endian ZCL payload); 0 now, 0xFFFFFFFF cancellation."""
    moment = f.get("ExecutionDateTime", required=False)
    path = f.path("ExecutionDateTime")
    octets = _safe(t, path, moment, lambda: enc.execution_utc_time(moment)[::-1])
    if octets is None:
        t.dcc("GBZ from-date-time", 4)
        return
    t.value("GBZ from-date-time (UTCTime, big-endian)", path,
            moment if moment is not None else "(immediate)", octets,
            display=lambda b: enc.utc_display(b[::-1]))


@entry("GCS05", 0x006F, ("UpdatePrepayConfiguration",), "GBCS GCS05; DUIS 2.1")
def _gcs05(r: Request, t: Template) -> None:
    """Twelve GBZ components. Prepayment 0x0705: Emergency Credit Setup (0x03: limit,
    threshold), Set Overall Debt Cap (0x0C: DebtRecoveryRateCap), Set Low Credit Warning
    Level (0x09, with a from-date-time: LowCreditThreshold), Set Maximum Credit Limit (0x0B:
    MaxMeterBalance, MaxCreditThreshold); each starts at ExecutionDateTime (cancel
    0xFFFFFFFF). Calendar 0x0707 (friendly credit calendar, type 0x03): Publish Calendar
    (0x00: counts of seasons, week and day profiles; start cancel 0xFFFFFFFE), one Publish
    Day Profile (0x01) per day profile (entries: minutes after midnight uint16, friendly
    credit START 1 / STOP 0), one Publish Week Profile (0x02) per week (day id per weekday),
    Publish Seasons (0x03: ZCL date + week id), Publish Special Days (0x04: ZCL date + day
    id). Integers little-endian; ZCL dates year-1900."""
    f = Fields(r, t)
    base = "UpdatePrepayConfigGas"
    config = r.body.child(base)
    if config is None:
        t.not_supported(f.path(base), None, "element missing from the request")
        return
    components: list[tuple[int, int, int, int, Template]] = []
    from_times: dict[int, Template] = {}

    def add(cluster: int, frame_control: int, command: int, payload: Template) -> None:
        components.append((cluster, frame_control, command, len(components), payload))

    p = Template()
    pf = Fields(r, p)
    provider_and_event(p, provider=False)
    _zcl_execution(p, pf, 0xFFFFFFFF, "Start Time (UTCTime)")
    zcl_int(p, pf, "Emergency Credit Limit (uint32)", f"{base}/EmergencyCreditLimit", 4)
    zcl_int(p, pf, "Emergency Credit Threshold (uint32)", f"{base}/EmergencyCreditThreshold", 4)
    add(0x0705, 0x01, 0x03, p)
    p = Template()
    pf = Fields(r, p)
    provider_and_event(p)
    _zcl_execution(p, pf, 0xFFFFFFFF, "Implementation Date/Time (UTCTime)")
    zcl_int(p, pf, "Overall Debt Cap (uint32)", f"{base}/DebtRecoveryRateCap", 4)
    add(0x0705, 0x01, 0x0C, p)
    p = Template()
    zcl_int(p, Fields(r, p), "Low Credit Warning Level (uint32)", f"{base}/LowCreditThreshold", 4)
    when = Template()
    _gbz_from_time(when, Fields(r, when))
    from_times[len(components)] = when
    add(0x0705, 0x01, 0x09, p)
    p = Template()
    pf = Fields(r, p)
    provider_and_event(p)
    _zcl_execution(p, pf, 0xFFFFFFFF, "Implementation Date/Time (UTCTime)")
    zcl_int(p, pf, "Maximum Credit Level (uint32)", f"{base}/MaxMeterBalance", 4)
    zcl_int(p, pf, "Maximum Credit Per Top Up (uint32)", f"{base}/MaxCreditThreshold", 4)
    add(0x0705, 0x01, 0x0B, p)

    cpath = f"{base}/GasNonDisablementCalendar"
    calendar = config.child("GasNonDisablementCalendar")
    days_node = calendar.child("DayProfiles") if calendar is not None else None
    weeks_node = calendar.child("WeekProfiles") if calendar is not None else None
    seasons_node = calendar.child("SeasonProfiles") if calendar is not None else None
    special_node = calendar.child("SpecialDays") if calendar is not None else None
    days = _children(days_node, "GasNonDisablementDayProfile")
    weeks = _children(weeks_node, "WeekProfile")
    seasons = _children(seasons_node, "Season")
    specials = _children(special_node, "SpecialDay")

    p = _publish_calendar(
        r, lambda p, pf: _zcl_execution(p, pf, 0xFFFFFFFE, "Start Time (UTCTime)"),
        "03 (friendly credit)", cpath,
        [("SeasonProfiles/Season", seasons, "Seasons"),
         ("WeekProfiles/WeekProfile", weeks, "Week Profiles"),
         ("DayProfiles/GasNonDisablementDayProfile", days, "Day Profiles")])
    add(0x0707, 0x09, 0x00, p)
    for position, day in enumerate(days, 1):
        dpath = f"{cpath}/DayProfiles/GasNonDisablementDayProfile[{position}]"
        p = Template()
        pf = Fields(r, p)
        _calendar_ids(p)
        _zcl_id_ref(p, pf, day, "GasDayName", dpath, "Day ID", "missing or not a day id")
        actions = [c for c in day.children if c.name == "TimeStartAction"]
        p.value("Total Number of Schedule Entries", pf.path(f"{dpath}/TimeStartAction (count)"),
                len(actions), bytes([min(len(actions), 255)]), display=lambda b: b[0])
        p.const("00", "Command Index")
        p.const("01", "Total Number of Commands")
        p.const("03", "Calendar Type (friendly credit)")
        for k, action in enumerate(actions, 1):
            apath = f"{dpath}/TimeStartAction[{k}]"
            start = action.find("StartTime")
            if start is not None and isinstance(start.value, time):
                minutes = start.value.hour * 60 + start.value.minute
                p.value("Start Time (minutes after midnight, uint16)",
                        pf.path(f"{apath}/StartTime"), start.value, enc.le(minutes, 2),
                        display=lambda b: (lambda m: f"{m // 60:02}:{m % 60:02}:00Z")(
                            int.from_bytes(b, "little")))
            else:
                p.not_supported(pf.path(f"{apath}/StartTime"), None, "missing or not xs:time")
                p.dcc("Start Time", 2)
            action_value = action.find("NonDisablementAction")
            value = action_value.value if action_value is not None else None
            if value in _FRIENDLY_CREDIT:
                p.value("Friendly Credit Enable", pf.path(f"{apath}/NonDisablementAction"),
                        value, bytes([_FRIENDLY_CREDIT[str(value)]]),
                        display=lambda b: {1: "START", 0: "STOP"}.get(b[0], b[0]))
            else:
                p.not_supported(pf.path(f"{apath}/NonDisablementAction"), value,
                                "not START or STOP")
                p.dcc("Friendly Credit Enable", 1)
        add(0x0707, 0x09, 0x01, p)
    for p in _publish_week_profiles(r, weeks, cpath):
        add(0x0707, 0x09, 0x02, p)
    add(0x0707, 0x09, 0x03, _publish_seasons(r, seasons, f"{cpath}/SeasonProfiles"))
    add(0x0707, 0x09, 0x04, _publish_special_days(r, specials, cpath,
                                                  ("03", "Calendar Type (friendly credit)")))
    gbz(t, components, from_times)


def _calendar_ids(payload: Template) -> None:
    """The ids that open every ZCL Calendar command: Provider ID, Issuer Event ID and Issuer
    Calendar ID, all DCC-set."""
    provider_and_event(payload)
    payload.dcc("Issuer Calendar ID (DCC-set)", 4)


def _zcl_id_ref(p: Template, pf: Fields, holder: Node, name: str, path: str, label: str,
                why: str = "missing") -> None:
    """A one-octet calendar id the request gives as ``holder``'s child ``name`` (0..255)."""
    ref = holder.find(name)
    if ref is not None and isinstance(ref.value, int) and 0 <= ref.value <= 255:
        p.value(label, pf.path(f"{path}/{name}"), ref.value, bytes([ref.value]),
                display=lambda b: b[0])
    else:
        p.not_supported(pf.path(f"{path}/{name}"), None, why)
        p.dcc(label, 1)


def _publish_calendar(r: Request,
                      start: Callable[[Template, Fields], None], calendar_type: str,
                      base: str, counted: list[tuple[str, list[Node], str]]) -> Template:
    """The ZCL Publish Calendar payload (gas tariff and non-disablement calendars alike):
    calendar ids, ``start`` (the start time rule of the caller), the calendar type octet
    (GBCS name in ``calendar_type``), time reference 0, empty name, then the number of
    seasons, week profiles and day profiles the request holds (``counted``: path below
    ``base``, the items, GBCS label)."""
    p = Template()
    pf = Fields(r, p)
    _calendar_ids(p)
    start(p, pf)
    code, _, name = calendar_type.partition(" ")
    p.const(code, f"Calendar Type {name}")
    p.const("00", "Calendar Time Reference")
    p.const("00", "Calendar Name (empty)")
    for path, items, label in counted:
        p.value(f"Number of {label}", pf.path(f"{base}/{path} (count)"), len(items),
                bytes([min(len(items), 255)]), display=lambda b: b[0])
    return p


def _publish_seasons(r: Request, seasons: list[Node], seasons_path: str) -> Template:
    """The ZCL Publish Seasons payload of a calendar (electricity and gas alike): the calendar
    ids, then a start date and week id per request Season under ``seasons_path``."""
    p = Template()
    pf = Fields(r, p)
    _calendar_ids(p)
    p.const("00", "Command Index")
    p.const("01", "Total Number of Commands")
    for position, season in enumerate(seasons, 1):
        sp = f"{seasons_path}/Season[{position}]"
        _zcl_date(p, pf, season.child("SeasonStartDate"), f"{sp}/SeasonStartDate")
        _zcl_id_ref(p, pf, season, "ReferencedWeekName", sp, "Week ID Ref")
    return p


def _publish_special_days(r: Request, specials: list[Node], base: str,
                          calendar_type: tuple[str, str]) -> Template:
    """The ZCL Publish Special Days payload (electricity and gas alike): calendar ids, start
    time, ``calendar_type`` (octet, GBCS name), then a date and day id per SpecialDay."""
    p = Template()
    pf = Fields(r, p)
    _calendar_ids(p)
    _gas_start(p, pf, 0xFFFFFFFE, "Start Time (UTCTime)")
    p.const(*calendar_type)
    p.value("Total Number of Special Days", pf.path(f"{base}/SpecialDays/SpecialDay (count)"),
            len(specials), bytes([min(len(specials), 255)]), display=lambda b: b[0])
    p.const("00", "Command Index")
    p.const("01", "Total Number of Commands")
    for position, special in enumerate(specials, 1):
        sp = f"{base}/SpecialDays/SpecialDay[{position}]"
        _zcl_date(p, pf, special.child("Date"), f"{sp}/Date")
        _zcl_id_ref(p, pf, special, "ReferencedDayName", sp, "Day ID Ref")
    return p


def _publish_week_profiles(r: Request, weeks: list[Node], base: str) -> Iterator[Template]:
    """One ZCL Publish Week Profile payload per request WeekProfile (electricity and gas
    calendars lay them out alike): the calendar ids, the week id and a day id per weekday."""
    for position, week in enumerate(weeks, 1):
        wpath = f"{base}/WeekProfiles/WeekProfile[{position}]"
        p = Template()
        pf = Fields(r, p)
        _calendar_ids(p)
        week_name = week.find("WeekName")
        if week_name is not None and isinstance(week_name.value, int):
            p.value("Week ID", pf.path(f"{wpath}/WeekName"), week_name.value,
                    bytes([week_name.value & 0xFF]), display=lambda b: b[0])
        else:
            p.not_supported(pf.path(f"{wpath}/WeekName"), None, "missing")
            p.dcc("Week ID", 1)
        refs = {c.attribute("index"): c.value for c in week.children
                if c.name == "ReferencedDayName"}
        for weekday in range(1, 8):
            value = refs.get(weekday)
            rpath = pf.path(f"{wpath}/ReferencedDayName[@index={weekday}]")
            if isinstance(value, int) and 0 <= value <= 255:
                p.value(f"Day ID Ref {_WEEKDAYS[weekday - 1]}", rpath, value, bytes([value]),
                        display=lambda b: b[0])
            else:
                p.not_supported(rpath, value, "missing or not a day id")
                p.dcc("Day ID Ref", 1)
        yield p


# =============================================================================================
# 1.1.1 Update Import Tariff (gas): ZCL Calendar 0x0707 + Price 0x0700
# =============================================================================================

@entry("GCS01a", 0x006B, ("UpdateImportTariffPrimaryElement",), "GBCS GCS01a; DUIS 1.1.1")
def _gcs01a(r: Request, t: Template) -> None:
    """Calendar 0x0707 (delivered tariff calendar, type 0x00): Publish Calendar (0x00:
    start = ExecutionDateTime, cancel 0xFFFFFFFE; counts), Publish Day Profile (0x01) per
    DayProfile (one entry at 00:00 with price tier: TOUTariffAction, 0 for BlockTariff),
    Publish Week Profile (0x02) per WeekProfile, Publish Seasons (0x03), Publish Special
    Days (0x04); then Price 0x0700: Publish Tariff Information (0x04), for a block tariff
    Publish Block Thresholds (0x06: start (cancel 0xFFFFFFFE), issuer tariff id, command
    0 of 1, sub-payload control 1, tier 0 / count nibble, thresholds uint48), and Publish
    Price Matrix (0x05). The number of block thresholds in use is the ThresholdMatrix's
    count (GBCS carries the thresholds themselves); a TOU tariff sends no thresholds."""
    f = Fields(r, t)
    base = "GasTariffElements"
    tariff = r.body.child(base)
    if tariff is None:
        t.not_supported(f.path(base), None, "element missing from the request")
        return
    table = tariff.child("SwitchingTable")
    spath = f"{base}/SwitchingTable"
    days_node = table.child("DayProfiles") if table is not None else None
    weeks_node = table.child("WeekProfiles") if table is not None else None
    seasons_node = table.child("Seasons") if table is not None else None
    special_node = tariff.child("SpecialDays")
    days = _children(days_node, "DayProfile")
    weeks = _children(weeks_node, "WeekProfile")
    seasons = _children(seasons_node, "Season")
    specials = _children(special_node, "SpecialDay")
    thresholds = _indexed(f.node(f"{base}/ThresholdMatrix"), "BlockThreshold")
    _positional(t, f, f"{base}/ThresholdMatrix/BlockThreshold", thresholds)
    block = f.node("PriceElements/GasPriceElements/BlockTariff") is not None
    components: list[tuple[int, int, int, int, Template]] = []

    def add(cluster: int, command: int, payload: Template) -> None:
        components.append((cluster, 0x09, command, len(components), payload))

    p = _publish_calendar(
        r, lambda p, pf: _gas_start(p, pf, 0xFFFFFFFE, "Start Time (UTCTime)"),
        "00 (delivered tariff)", spath,
        [("Seasons/Season", seasons, "Seasons"), ("WeekProfiles/WeekProfile", weeks,
                                                   "Week Profiles"),
         ("DayProfiles/DayProfile", days, "Day Profiles")])
    add(0x0707, 0x00, p)
    for position, day in enumerate(days, 1):
        dpath = f"{spath}/DayProfiles/DayProfile[{position}]"
        p = Template()
        pf = Fields(r, p)
        _calendar_ids(p)
        _zcl_id_ref(p, pf, day, "DayName", dpath, "Day ID", "missing or not a day id")
        p.const("01", "Total Number of Schedule Entries (gas: one per day)")
        p.const("00", "Command Index")
        p.const("01", "Total Number of Commands")
        p.const("00", "Calendar Type (delivered tariff)")
        p.const("0000", "Start Time (00:00)")
        action = day.find("TOUTariffAction")
        if action is not None and isinstance(action.value, int) and 1 <= action.value <= 255:
            p.value("Price Tier", pf.path(f"{dpath}/TOUTariffAction"), action.value,
                    bytes([action.value]), display=lambda b: b[0])
        elif day.child("BlockTariff") is not None:
            p.value("Price Tier (block tariff: 0)", pf.path(f"{dpath}/BlockTariff"),
                    "BlockTariff", b"\x00", display=lambda b: "BlockTariff" if b[0] == 0
                    else f"TOUTariffAction {b[0]}")
        else:
            p.not_supported(pf.path(dpath), None, "no TOUTariffAction or BlockTariff")
            p.dcc("Price Tier", 1)
        add(0x0707, 0x01, p)
    for p in _publish_week_profiles(r, weeks, spath):
        add(0x0707, 0x02, p)
    add(0x0707, 0x03, _publish_seasons(r, seasons, f"{spath}/Seasons"))
    add(0x0707, 0x04, _publish_special_days(r, specials, base,
                                            ("00", "Calendar Type (delivered tariff)")))
    if block:
        declared = f.get("PriceElements/GasPriceElements/BlockTariff/NumberOfThresholds",
                         required=False)
        if declared is not None:
            t.note(f.path("PriceElements/GasPriceElements/BlockTariff/NumberOfThresholds"),
                   declared, "GCS01a sends the ThresholdMatrix; its count is the number in use")
    else:
        for index, node in thresholds:
            t.note(f.path(f"{base}/ThresholdMatrix/BlockThreshold[@index={index}]"), node.value,
                   "a TOU tariff sends no block thresholds")
    parts = _gas_price(r, t, len(thresholds) if block else None)
    if parts is None:
        return
    info, matrix = parts
    add(0x0700, 0x04, info)
    if block:
        p = Template()
        pf = Fields(r, p)
        provider_and_event(p)
        _gas_start(p, pf, 0xFFFFFFFE, "Start Time (UTCTime)")
        p.dcc("Issuer Tariff ID (DCC-set)", 4)
        p.const("00", "Command Index")
        p.const("01", "Total Number of Commands")
        p.const("01", "Sub-Payload Control (thresholds apply to all tiers)")
        p.value("Tier / Number of Block Thresholds",
                pf.path(f"{base}/ThresholdMatrix/BlockThreshold (count)"), len(thresholds),
                bytes([min(len(thresholds), 15)]), display=lambda b: b[0] & 0x0F)
        for index, node in thresholds:
            path = pf.path(f"{base}/ThresholdMatrix/BlockThreshold[@index={index}]")
            value = node.value
            octets = (_safe(p, path, value, lambda: enc.le(value, 6))
                      if isinstance(value, int) and not isinstance(value, bool) else None)
            if octets is None:
                if not isinstance(value, int):
                    p.not_supported(path, value, "not an integer")
                p.dcc("Block Threshold", 6)
            else:
                p.value("Block Threshold (uint48)", path, value, octets,
                        display=enc.le_display())
        add(0x0700, 0x06, p)
    add(0x0700, 0x05, matrix)
    gbz(t, components)


# =============================================================================================
# 1.1.1 Update Import Tariff (electricity primary element): DLMS activity calendar
# =============================================================================================

def _dlms_leaf_value(t: Template, gbcs_field: str, path: str, value: Any,
                     encode: Callable[[], bytes], display: Callable[[bytes], Any] | None = None
                     ) -> None:
    octets = _safe(t, path, value, encode) if value is not None else None
    if octets is None:
        if value is None:
            t.not_supported(path, None, "element missing from the request")
        t.dcc(gbcs_field, reader=enc.read_dlms_leaf)
        return
    t.value(gbcs_field, path, value, octets, enc.read_dlms_leaf,
            display or enc.dlms_leaf_display)


def _label(value: Any) -> str:
    return str(value)


def _as_any(value: Any) -> Any:
    """A request value handed to an encoder that checks its type itself."""
    return value


def _positional(t: Template, f: Fields, path: str, items: list[tuple[int | None, Node]]
                ) -> None:
    """GBCS carries these values by position: their DUIS index attributes must be 1..n in
    order, or the request and the command would pair values differently."""
    for position, (index, _node) in enumerate(items, 1):
        if index != position:
            t.not_supported(f.path(f"{path}[{position}]/@index"), index,
                            f"GBCS carries these by position: index {position} expected")


def _value(node: Node | None) -> Any:
    return node.value if node is not None else None


def _first_octet(octets: bytes) -> int:
    return octets[0]


def _block_id_display(octets: bytes) -> int:
    return octets[0] + 1


def _zcl_date_part(offset: int, octets: bytes) -> Any:
    return "(not specified)" if octets[0] == 0xFF else octets[0] + offset


def _small_int(value: Any, low: int, high: int) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or not low <= value <= high:
        raise enc.EncodeError(f"{value!r} is outside {low}..{high}")
    return value


def _cosem_wildcard_date_time(t: Template, f: Fields, node: Node | None, base: str) -> None:
    """A season start (octet-string 12): the wildcard date, time 00:00:00.00, deviation
    unspecified (0x8000), clock status 0xFF."""
    t.const("090C", "season_start (octet-string 12)")
    inner = Template()
    _wildcard_date(inner, f, node, base)
    # _wildcard_date writes the 09 05 header of a bare date: drop it here (one 12-octet
    # date-time, not a date element).
    inner.items.pop(0)
    t.extend(inner)
    t.const("000000008000FF", "time 00:00:00.00, deviation not specified, status 0xFF")


_BLOCK_IDS = "ABCD"


def _activity_calendar(t: Template, f: Fields, spath: str, tariff: Node | None,
                       special_base: str, tou_base: int, blocks_allowed: bool) -> None:
    """Passive season profile, week profile table and day profile table of an activity
    calendar (attributes 7, 8, 9), then its special days table entries (see ECS01a)."""
    seasons = _children(f.node(f"{spath}/Seasons"), "Season")
    weeks = _children(f.node(f"{spath}/WeekProfiles"), "WeekProfile")
    days = _children(f.node(f"{spath}/DayProfiles"), "DayProfile")
    t.const(bytes([0x01, len(seasons)]), "season_profile_passive (count)")
    for k, season in enumerate(seasons, 1):
        sp = f"{spath}/Seasons/Season[{k}]"
        t.const("0203", "season { name, start, week_name }")
        name = season.find("SeasonName")
        _dlms_leaf_value(t, "season_profile_name (octet-string, ASCII)",
                         f.path(f"{sp}/SeasonName"), name.value if name else None,
                         lambda: enc.dlms_octets(str(_value(name)).encode("ascii")),
                         lambda b: enc.dlms_leaf_display(b).decode("ascii", "replace"))
        _cosem_wildcard_date_time(t, f, season.child("SeasonStartDate"),
                                  f"{sp}/SeasonStartDate")
        ref = season.find("ReferencedWeekName")
        _dlms_leaf_value(t, "week_name (octet-string 1)", f.path(f"{sp}/ReferencedWeekName"),
                         ref.value if ref else None,
                         lambda: enc.dlms_octets(bytes([_small_int(_value(ref), 0, 255)])),
                         lambda b: enc.dlms_leaf_display(b)[0] if enc.dlms_leaf_display(b)
                         else None)
    t.const(bytes([0x01, len(weeks)]), "week_profile_table_passive (count)")
    for k, week in enumerate(weeks, 1):
        wp = f"{spath}/WeekProfiles/WeekProfile[{k}]"
        t.const("0208", "week profile { name, monday .. sunday }")
        name = week.find("WeekName")
        _dlms_leaf_value(t, "week_profile_name (octet-string 1)", f.path(f"{wp}/WeekName"),
                         name.value if name else None,
                         lambda: enc.dlms_octets(bytes([_small_int(_value(name), 0, 255)])),
                         lambda b: enc.dlms_leaf_display(b)[0] if enc.dlms_leaf_display(b)
                         else None)
        refs = {c.attribute("index"): c.value for c in week.children
                if c.name == "ReferencedDayName"}
        for weekday in range(1, 8):
            value = refs.get(weekday)
            _dlms_leaf_value(t, f"{_WEEKDAYS[weekday - 1]} day_id (unsigned)",
                             f.path(f"{wp}/ReferencedDayName[@index={weekday}]"), value,
                             lambda: enc.dlms_int(enc.UINT8, _small_int(value, 0, 255)))
    t.const(bytes([0x01, len(days)]), "day_profile_table_passive (count)")
    for k, day in enumerate(days, 1):
        dp = f"{spath}/DayProfiles/DayProfile[{k}]"
        t.const("0202", "day profile { day_id, day_schedule }")
        name = day.find("DayName")
        _dlms_leaf_value(t, "day_id (unsigned)", f.path(f"{dp}/DayName"),
                         name.value if name else None,
                         lambda: enc.dlms_int(enc.UINT8, _small_int(_value(name), 0, 255)))
        actions = [c for c in day.children if c.name == "ProfileSchedule"]
        t.const(bytes([0x01, len(actions)]), "day_schedule (count)")
        for j, action in enumerate(actions, 1):
            ap = f"{dp}/ProfileSchedule[{j}]"
            t.const("0203", "day profile action { start_time, script, selector }")
            start = action.find("StartTime")
            start_value = start.value if start is not None else None
            _dlms_leaf_value(t, "start_time (octet-string 4)", f.path(f"{ap}/StartTime"),
                             start_value, lambda: enc.dlms_octets(enc.cosem_time(_as_any(start_value))))
            t.const(enc.dlms_octets(obis("0-0:10.0.100.255")), "script_logical_name")
            tou = action.find("TOUTariffAction")
            block = action.find("BlockTariffAction")
            if tou is not None:
                _dlms_leaf_value(t, f"script_selector (TOU rate n → {tou_base} + n)",
                                 f.path(f"{ap}/TOUTariffAction"), tou.value,
                                 lambda: enc.dlms_int(
                                     enc.UINT16, tou_base + _small_int(_value(tou), 1, 48)),
                                 lambda b: enc.dlms_leaf_display(b) - tou_base)
            elif block is not None and blocks_allowed:
                _dlms_leaf_value(t, "script_selector (block rate b → 100 + b)",
                                 f.path(f"{ap}/BlockTariffAction"), block.value,
                                 lambda: enc.dlms_int(
                                     enc.UINT16, 100 + _small_int(_value(block), 1, 8)),
                                 lambda b: f"block {enc.dlms_leaf_display(b) - 100}"
                                 if enc.dlms_leaf_display(b) > 100 else
                                 f"TOU {enc.dlms_leaf_display(b)}")
            else:
                t.not_supported(f.path(ap), None, "no TOUTariffAction or BlockTariffAction")
                t.dcc("script_selector", 3)
    specials_node = tariff.child("SpecialDays") if tariff is not None else None
    specials = _children(specials_node, "SpecialDay")
    t.const(bytes([0x01, len(specials)]), "special days table entries (count)")
    for k, special in enumerate(specials, 1):
        sp = _join(special_base, f"SpecialDays/SpecialDay[{k}]")
        t.const("0203", "spec_day_entry { index, date, day_id }")
        t.value("spec_day_entry index (position)", f.path(sp) + " (position)", k,
                enc.dlms_int(enc.UINT16, k), enc.read_dlms_leaf, enc.dlms_leaf_display)
        _wildcard_date(t, f, special.child("Date"), f"{sp}/Date")
        ref = special.find("ReferencedDayName")
        _dlms_leaf_value(t, "spec_day_entry day_id (unsigned)",
                         f.path(f"{sp}/ReferencedDayName"), ref.value if ref else None,
                         lambda: enc.dlms_int(enc.UINT8, _small_int(_value(ref), 0, 255)))


@entry("ECS01a", 0x0019, ("UpdateImportTariffPrimaryElement",), "GBCS ECS01a; DUIS 1.1.1")
def _ecs01a(r: Request, t: Template) -> None:
    """Activity calendar 0-0:13.0.0.255 (class 20) passive season profile (attr 7: name as
    ASCII octets, start date-time, week name), week profile table (attr 8: name, day id per
    weekday), day profile table (attr 9: day id, per ProfileSchedule { start time, script
    0-0:10.0.100.255, selector: TOUTariffAction n → n, BlockTariffAction b → 100 + b });
    special days 0-1:11.0.0.255 (index = position, date, day id); block thresholds per
    TOU register 0-0:16.1.(10 + i).255 (class 21 thresholds, double-long-unsigned);
    0-0:94.44.2.0 = true (fixed); standing charge 0-0:19.20.4.255 (class 113: scaling
    {0, StandingChargeScale}, no commodity, one entry StandingCharge as long); unit charge
    0-0:19.20.0.255 (scaling {3, PriceScale}, commodity 1-0:1.8.0.255 attr 2, 80 entries:
    TOU rates 1..48 (TOUPrice[index]), then blocks A..D × TOU rates 1..8 with id
    (0xA + block - 1) << 4 | rate (BlockPrices[@index=rate]/BlockPrice[@index=block]),
    absent prices 0); then six execution date-times = ExecutionDateTime."""
    f = Fields(r, t)
    calendar, base = "0-0:13.0.0.255", "ElecTariffElements"
    monitors = [f"0-0:16.1.{10 + i}.255" for i in range(1, 9)]
    access_request(t, r, [("set", 20, calendar, 7), ("set", 20, calendar, 8),
                          ("set", 20, calendar, 9), ("set", 11, "0-1:11.0.0.255", 2)]
                   + [("set", 21, m, 2) for m in monitors]
                   + [("set", 9000, "0-0:94.44.2.0", 4), ("set", 113, "0-0:19.20.4.255", 6),
                      ("set", 113, "0-0:19.20.0.255", 6), ("set", 20, calendar, 10),
                      ("set", 9000, "0-0:94.44.128.29", 6), ("set", 9000, "0-0:94.44.2.0", 6),
                      ("set", 113, "0-0:19.20.4.255", 7), ("set", 113, "0-0:19.20.0.255", 7),
                      ("set", 9000, "0-0:63.1.1.255", 6)])
    tariff = r.body.child(base)
    if tariff is None:
        t.not_supported(f.path(base), None, "element missing from the request")
        return
    currency = f.get(f"{base}/CurrencyUnits", required=False)
    if currency is not None:
        t.note(f.path(f"{base}/CurrencyUnits"), currency, "ECS01a sets no currency")
    spath = f"{base}/SwitchingTable"
    _activity_calendar(t, f, spath, tariff, base, 0, True)
    matrix = {c.attribute("index"): c
              for c in _children(f.node(f"{base}/ThresholdMatrix"), "Thresholds")}
    for rate in range(1, 9):
        tp = f"{base}/ThresholdMatrix/Thresholds[@index={rate}]"
        values = _indexed(matrix.get(rate), "BlockThreshold")
        _positional(t, f, f"{tp}/BlockThreshold", values)
        t.const(bytes([0x01, len(values)]), f"{monitors[rate - 1]} thresholds (count)")
        for index, node in values:
            _dlms_leaf_value(t, "threshold (double-long-unsigned)",
                             f.path(f"{tp}/BlockThreshold[@index={index}]"), node.value,
                             lambda: enc.dlms_int(enc.UINT32, _small_int(node.value, 0, 0xFFFFFFFF)))
    t.const(enc.dlms_bool(True), "0-0:94.44.2.0 value (true)")
    prices = "PriceElements/ElectricityPriceElements"
    t.const("0203" + "0202" + "0F00", "standing charge { scaling { commodity_scale 0")
    dlms_value(t, f, "standing charge price_scale (integer)", f"{prices}/StandingChargeScale",
               enc.INT8)
    t.const("0203" + "120000" + "0906000000000000" + "0F00" + "0101" + "0202" + "0900",
            "no commodity; charge_table of one entry { index '' ")
    dlms_value(t, f, "standing charge (long)", f"{prices}/StandingCharge", enc.INT16)
    t.const("0203" + "0202" + "0F03", "unit charge { scaling { commodity_scale 3")
    dlms_value(t, f, "unit charge price_scale (integer)", f"{prices}/PriceScale", enc.INT8)
    t.const("0203" + "120003" + "0906" + obis("1-0:1.8.0.255").hex() + "0F02",
            "commodity reference { class 3, 1-0:1.8.0.255, attr 2 }")
    element = f.node(prices)
    holder = None
    for kind in ("TOUTariff", "BlockTariff", "HybridTariff"):
        if element is not None and element.child(kind) is not None:
            holder = kind
    tou_prices: dict[int, Node] = {}
    block_prices: dict[tuple[int, int], Node] = {}
    if holder is None:
        t.not_supported(f.path(prices), None, "no TOUTariff, BlockTariff or HybridTariff")
    else:
        holder_node = element.child(holder) if element is not None else None
        for index, price in _indexed(holder_node, "TOUPrice"):
            if index is not None:
                tou_prices[index] = price
        for rate_index, group in _indexed(holder_node, "BlockPrices"):
            for block_index, block_price in _indexed(group, "BlockPrice"):
                if rate_index is not None and block_index is not None:
                    block_prices[(block_index, rate_index)] = block_price
    t.const("0150", "charge_table (80 entries: 48 TOU rates, 4 blocks x 8 rates)")
    entries: list[tuple[int, str, Node | None]] = [
        (n, f"{prices}/{holder}/TOUPrice[@index={n}]", tou_prices.get(n)) for n in range(1, 49)]
    for block in range(1, 5):
        for rate in range(1, 9):
            entries.append(((0xA + block - 1) << 4 | rate,
                            f"{prices}/{holder}/BlockPrices[@index={rate}]/BlockPrice"
                            f"[@index={block}]", block_prices.get((block, rate))))
    known = set(id(p) for p in tou_prices.values()) | set(id(p) for p in block_prices.values())
    used = set()
    for ident, path, entry_price in entries:
        t.const("0202" + enc.dlms_octets(bytes([ident])).hex(),
                f"charge_table entry {ident:#04x}")
        if entry_price is None:
            t.value("charge_per_unit (long; absent → 0)", f.path(path), "(absent: 0)",
                    enc.dlms_int(enc.INT16, 0), enc.read_dlms_leaf, enc.dlms_leaf_display)
        else:
            used.add(id(entry_price))
            dlms_value(t, f, "charge_per_unit (long)", "", enc.INT16, base=entry_price,
                       base_path=path)
    for price_id in known - used:
        t.not_supported(f.path(prices), None, "a price index outside the 48 TOU rates or "
                                              "4 blocks x 8 rates")
    for _ in range(6):
        dlms_execution(t, f)


@entry("ECS01c", 0x00B7, ("UpdateImportTariffSecondaryElement",), "GBCS ECS01c; DUIS 1.1.2")
def _ecs01c(r: Request, t: Template) -> None:
    """Secondary element: unit charge 0-0:19.20.5.255 (attr 6, as ECS01d), activity calendar
    0-0:13.0.1.255 (attrs 7, 8, 9 as ECS01a with TOU selectors 200 + n; no blocks), special
    days 0-1:11.0.1.255; then execution date-times of the calendar (attr 10), the charge
    (attr 7) and 0-0:94.44.128.30 (attr 6)."""
    f = Fields(r, t)
    calendar = "0-0:13.0.1.255"
    access_request(t, r, [("set", 113, "0-0:19.20.5.255", 6), ("set", 20, calendar, 7),
                          ("set", 20, calendar, 8), ("set", 20, calendar, 9),
                          ("set", 11, "0-1:11.0.1.255", 2), ("set", 20, calendar, 10),
                          ("set", 113, "0-0:19.20.5.255", 7),
                          ("set", 9000, "0-0:94.44.128.30", 6)])
    _secondary_unit_charge(t, f)
    _activity_calendar(t, f, "SwitchingTable", r.body, "", 200, False)
    for _ in range(3):
        dlms_execution(t, f)


@entry("ECS03", 0x001B, ("UpdatePaymentMode",), "GBCS ECS03; DUIS 1.6")
def _ecs03(r: Request, t: Template) -> None:
    """Account 0-1:19.0.0.255 payment_mode (attr 2) = {prepayment (2), 1}; disablement
    threshold 0-0:94.44.128.22 (class 9000 value, double-long) = DisablementThreshold;
    credit_charge_configuration (attr 11): charges 0-0:19.20.{0,4,1,2,3}.255 collected from
    meter balance 0-0:19.10.0.255 and 19.20.{3,0,4,1,2} from 0-0:19.10.1.255, the
    time-based debts 19.20.1/19.20.2 with collection bits 110 when SuspendDebtDisabled
    (else 111); with SuspendDebtEmergency the emergency credit 0-0:19.10.2.255 entries for
    19.20.{4,1,2}; twin-element ESMEs add 19.20.5 from 19.10.0 and 19.10.1; then the
    execution date-times of 0-0:94.44.128.22 (attr 6) and the account (attr 13)."""
    f = Fields(r, t)
    account, threshold = "0-1:19.0.0.255", "0-0:94.44.128.22"
    access_request(t, r, [("set", 111, account, 2), ("set", 9000, threshold, 4),
                          ("set", 111, account, 11), ("set", 9000, threshold, 6),
                          ("set", 111, account, 13)])
    t.const("0202" + "1602" + "1601", "payment_mode {prepayment, 1}")
    base = "Prepayment"
    if not f.has(base):
        t.not_supported(f.path(base), None, "ECS03 sets prepayment mode")
        return
    dlms_value(t, f, f"{threshold} value: disablement threshold (double-long)",
               f"{base}/DisablementThreshold", enc.INT32)
    disabled = f.get(f"{base}/SuspendDebtDisabled")
    emergency = f.get(f"{base}/SuspendDebtEmergency")
    if not isinstance(disabled, bool) or not isinstance(emergency, bool):
        t.not_supported(f.path(base), (disabled, emergency), "flags are not booleans")
        return
    dpath = f.path(f"{base}/SuspendDebtDisabled")
    epath = f.path(f"{base}/SuspendDebtEmergency")

    def entry_of(source: int, charge: int) -> tuple[bytes, str | None, Any]:
        debt = charge in (1, 2)
        bits = b"\xc0" if debt and disabled else b"\xe0"
        return (_charge_configuration(f"0-0:19.10.{source}.255", f"0-0:19.20.{charge}.255")[:-1]
                + bits, dpath if debt else None, disabled if debt else None)

    Entries = list[tuple[bytes, str | None, Any]]
    base_entries: Entries = [entry_of(0, c) for c in (0, 4, 1, 2, 3)] + \
        [entry_of(1, c) for c in (3, 0, 4, 1, 2)]
    emergency_entries: Entries = [
        (_charge_configuration("0-0:19.10.2.255", f"0-0:19.20.{c}.255"), epath, emergency)
        for c in (4, 1, 2)] if emergency else []
    twin_entries: Entries = [
        (_charge_configuration(f"0-0:19.10.{s}.255", "0-0:19.20.5.255"), None, None)
        for s in (0, 1)]

    def option(entries: list[tuple[bytes, str | None, Any]], variant: str) -> Template:
        o = Template()
        o.value(f"credit_charge_configuration count ({variant})", epath, emergency,
                bytes([0x01, len(entries)]), display=lambda b: f"{b[1]} entries")
        for octets, path, value in entries:
            if path is None:
                o.const(octets, "charge configuration entry")
            else:
                o.value("charge configuration entry (collection bits)", path, value, octets,
                        display=lambda b: "collection bits " + b[-1:].hex().upper())
        return o

    t.choice("credit_charge_configuration",
             option(base_entries + emergency_entries, "single element"),
             option(base_entries + emergency_entries + twin_entries, "twin element"))
    dlms_execution(t, f, f"{threshold} execution date-time")
    dlms_execution(t, f, "account execution date-time")


# =============================================================================================
# 6.15.1 Update Security Credentials (KRP): CS02b, CS02g
# =============================================================================================

# GBCS RemotePartyRole (the ASN.1 INTEGER the CS02 payloads carry); DUIS sr:RemotePartyRole
# spells Access Control Broker "ACB" and Transitional CoS "TransCoS".
_REMOTE_PARTY_ROLE = {"Root": 0, "Recovery": 1, "Supplier": 2, "NetworkOperator": 3,
                      "ACB": 4, "TransCoS": 5, "LoadController": 8}

# KeyUsage BIT STRINGs of a TrustAnchorCellIdentifier: digitalSignature (bit 0),
# keyAgreement (bit 4).
_DIGITAL_SIGNATURE = bytes.fromhex("03020780")
_KEY_AGREEMENT = bytes.fromhex("03020308")
# CellUsage INTEGER { management (0), prePaymentTopUp (1) } DEFAULT management: only the
# top-up cell carries it.
_TOP_UP_CELL = bytes.fromhex("020101")
# SeqNumberUsage INTEGER { prepaymentTopUp (0) } of a specialist floor sequence number.
_TOP_UP_SEQUENCE = bytes.fromhex("020100")

# The replacement certificates DUIS carries, in GBCS order, with the trust anchor cell
# (keyUsage, cellUsage) each replaces.
_REPLACEMENTS = (("DigitalSigningCertificate", _DIGITAL_SIGNATURE),
                 ("KeyAgreementCertificate", _KEY_AGREEMENT),
                 ("KeyAgreementTopUpCertificate", _KEY_AGREEMENT + _TOP_UP_CELL))


def _der_integer(value: int) -> bytes:
    """A DER INTEGER's content octets (two's complement, minimal)."""
    size = max(1, (value.bit_length() + 8) // 8)      # room for the sign bit
    return value.to_bytes(size, "big", signed=True)


def _der(tag: int, content: bytes) -> bytes:
    return bytes([tag]) + encode_length(len(content)) + content


def _der_int(value: int, tag: int = 0x02) -> bytes:
    return _der(tag, _der_integer(value))


def _der_int_display(octets: bytes) -> int:
    element = asn1.read_element(octets, 0)
    return int.from_bytes(octets[element.start:element.end], "big", signed=True)


@dataclass(frozen=True, slots=True)
class _Credentials:
    """One GBCS credentialsReplacementMode a DUIS 6.15.1 request can ask for."""

    mode: int                      # CredentialsReplacementMode INTEGER
    authorising_role: int          # the role of the KRP whose signature authorises it
    replaced_role: str             # the DUIS RemotePartyRole it replaces
    other_party: bool              # floors go in [6] otherRemotePartySeqNumberChanges


def _update_credentials(r: Request, t: Template, mode: _Credentials) -> None:
    """GBCS UpdateSecurityCredentials (CS02b, CS02g; GBCS section 13.3.5.11), DER:
    SEQUENCE {
      authorisingRemotePartyControl SEQUENCE {
        credentialsReplacementMode INTEGER (fixed per message code),
        [1] applyTimeBasedCPVChecks INTEGER { apply (0), disapply (1) } OPTIONAL: present
            (disapply) only when the Device is to ignore time in certification path
            validation, i.e. ApplyTimeBasedCPVChecks false,
        [2] authorisingRemotePartyTACellIdentifier { RemotePartyRole, keyUsage
            digitalSignature },
        [3] authorisingRemotePartySeqNumber (the RequestID counter),
        [4] newRemotePartyFloorSeqNumber (RemotePartyFloorSeqNumber) and
        [5] newRemotePartySpecialistFloorSeqNumber SEQUENCE OF { SEQUENCE { prepaymentTopUp
            (0), RemotePartyPrepaymentTopUpFloorSeqNumber } } when the KRP replaces its own
            credentials; or, when it replaces another role's,
        [6] otherRemotePartySeqNumberChanges SEQUENCE OF { SEQUENCE { RemotePartyRole,
            floorSeqNumber, specialist floors as in [5] OPTIONAL } } },
      replacements SEQUENCE OF { SEQUENCE { certificate, TrustAnchorCellIdentifier {
        RemotePartyRole, keyUsage, cellUsage prePaymentTopUp (1) for the top-up cell } } }
        (DigitalSigning, KeyAgreement, KeyAgreementTopUp, each when the request has it),
      certificationPathCertificates SEQUENCE OF Certificate (the request's, in order),
      executionDateTime GeneralizedTime OPTIONAL (ExecutionDateTime; cancellation
        99991231235959Z) }."""
    f = Fields(r, t)
    role_name = f.get("RemotePartyRole")
    role = _REMOTE_PARTY_ROLE.get(role_name) if isinstance(role_name, str) else None
    if role_name != mode.replaced_role:
        t.not_supported(f.path("RemotePartyRole"), role_name,
                        f"this message code replaces {mode.replaced_role} credentials")
        role = None
    floor = f.int("RemotePartyFloorSeqNumber")
    top_up = (f.int("RemotePartyPrepaymentTopUpFloorSeqNumber")
              if f.has("RemotePartyPrepaymentTopUpFloorSeqNumber") else None)
    checks = f.get("ApplyTimeBasedCPVChecks")
    t.dcc("SEQUENCE header (the payload: well-formed DER)", reader=_der_payload)
    t.dcc("authorisingRemotePartyControl SEQUENCE header", reader=_der_header)
    t.const(_der_int(mode.mode), f"credentialsReplacementMode INTEGER {mode.mode}")
    if isinstance(checks, bool):
        t.value("[1] applyTimeBasedCPVChecks (absent = apply, 1 = disapply)",
                f.path("ApplyTimeBasedCPVChecks"), checks,
                b"" if checks else _der_int(1, 0x81), _der_optional(0x81),
                display=lambda b: not b or _der_int_display(b) == 0)
    elif checks is not None:
        t.not_supported(f.path("ApplyTimeBasedCPVChecks"), checks, "not an xs:boolean")
        t.dcc("[1] applyTimeBasedCPVChecks", reader=_der_optional(0x81))
    t.const(_der(0xA2, _der_int(mode.authorising_role) + _DIGITAL_SIGNATURE),
            "[2] { authorising remote party role, keyUsage digitalSignature }")
    t.value("[3] authorisingRemotePartySeqNumber (INTEGER)", "Header/RequestID (counter)",
            r.counter, _der_int(r.counter, 0x83), _der_element, display=_der_int_display)
    specialist = (_der(0x30, _der(0x30, _TOP_UP_SEQUENCE + _der_int(top_up)))
                  if top_up is not None else b"")
    floors_path = f.path("RemotePartyFloorSeqNumber"
                         + (", RemotePartyPrepaymentTopUpFloorSeqNumber" if top_up is not None
                            else ""))
    if floor is None or role is None:
        t.dcc("floor sequence numbers", reader=_der_element)
    elif mode.other_party:
        change = _der(0x30, _der_int(role) + _der_int(floor) + specialist)
        t.value("[6] otherRemotePartySeqNumberChanges { { RemotePartyRole, floorSeqNumber"
                + (", specialist floors" if specialist else "") + " } }",
                floors_path, f"{role_name}, {floor}" + (f", {top_up}" if specialist else ""),
                _der(0xA6, change), _der_element)
    else:
        t.value("[4] newRemotePartyFloorSeqNumber (INTEGER)",
                f.path("RemotePartyFloorSeqNumber"), floor, _der_int(floor, 0x84),
                _der_element, display=_der_int_display)
        if specialist:
            t.value("[5] newRemotePartySpecialistFloorSeqNumber { { prepaymentTopUp, n } }",
                    f.path("RemotePartyPrepaymentTopUpFloorSeqNumber"), top_up,
                    _der(0xA5, specialist[2:]), _der_element)
    t.dcc("replacements SEQUENCE header", reader=_der_header)
    base = "ReplacementCertificates/SupplierOrNetworkOperatorCertificates"
    for name, cell in _REPLACEMENTS:
        if f.node(f"{base}/{name}") is None:
            continue
        t.dcc("trust anchor replacement SEQUENCE header", reader=_der_header)
        _certificate(t, f, f"{base}/{name}", f"{name} (X.509 DER)")
        if role is None:
            t.dcc("target trust anchor cell", reader=_der_element)
        else:
            t.const(_der(0x30, _der_int(role) + cell),
                    "target trust anchor cell { RemotePartyRole, keyUsage[, cellUsage] }")
    t.dcc("certification path SEQUENCE header", reader=_der_header)
    path_node = f.node("CertificationPathCertificates")
    for k, cert in enumerate(_children(path_node, "Certificate"), 1):
        _certificate(t, f, "", "certification path certificate (X.509 DER)", base=cert,
                     path=f.path(f"CertificationPathCertificates/Certificate[{k}]"))
    moment = f.get("ExecutionDateTime", required=False)
    if moment is not None:
        if not isinstance(moment, datetime):
            t.not_supported(f.path("ExecutionDateTime"), moment, "not an xs:dateTime")
            return
        stamp = (b"\x18\x0f99991231235959Z" if moment == enc.CANCELLATION
                 else _safe(t, f.path("ExecutionDateTime"), moment,
                            lambda: _generalized_time(moment)))
        if stamp is None:
            t.dcc("executionDateTime", reader=_der_element)
        else:
            t.value("executionDateTime (GeneralizedTime)", f.path("ExecutionDateTime"), moment,
                    stamp, _der_element, display=lambda b: b[2:].decode("ascii", "replace"))


_SUPPLIER_BY_SUPPLIER = _Credentials(2, 2, "Supplier", False)
_NETWORK_OPERATOR_BY_NETWORK_OPERATOR = _Credentials(3, 3, "NetworkOperator", False)
_LOAD_CONTROLLER_BY_LOAD_CONTROLLER = _Credentials(10, 8, "LoadController", False)
_LOAD_CONTROLLER_BY_SUPPLIER = _Credentials(11, 2, "LoadController", True)


@entry("CS02b", 0x0102, ("UpdateSecurityCredentialsKRP",),
       "GBCS CS02b supplierBySupplier; DUIS 6.15.1")
def _cs02b_supplier(r: Request, t: Template) -> None:
    """credentialsReplacementMode supplierBySupplier (2), authorised by the Supplier (2)."""
    _update_credentials(r, t, _SUPPLIER_BY_SUPPLIER)


@entry("CS02b", 0x0103, ("UpdateSecurityCredentialsKRP",),
       "GBCS CS02b networkOperatorByNetworkOperator; DUIS 6.15.1")
def _cs02b_no(r: Request, t: Template) -> None:
    """credentialsReplacementMode networkOperatorByNetworkOperator (3), authorised by the
    Network Operator (3)."""
    _update_credentials(r, t, _NETWORK_OPERATOR_BY_NETWORK_OPERATOR)


@entry("CS02g", 0x0125, ("UpdateSecurityCredentialsKRP",),
       "GBCS CS02g loadControllerByLoadController; DUIS 6.15.1 from the Load Controller",
       service_reference_variants=("6.15.1",))
def _cs02g_load_controller(r: Request, t: Template) -> None:
    """credentialsReplacementMode loadControllerByLoadController (10), authorised by the Load
    Controller (8), which replaces its own credentials ([4] floor). Mode 10 and the layout
    are those of the RTDS 4.5.0 pre-command (NA_CS02gLoadControllerByLoadController); that
    the Load Controller asks for it with DUIS 6.15.1 (RemotePartyRole LoadController) is
    derived: message-codes.csv names no SRV for 0x0125, and 6.15.1 is the DUIS request that
    carries a LoadController RemotePartyRole."""
    _update_credentials(r, t, _LOAD_CONTROLLER_BY_LOAD_CONTROLLER)


@entry("CS02g", 0x0126, ("UpdateSecurityCredentialsKRP",),
       "GBCS CS02g loadControllerBySupplier; DUIS 6.15.1")
def _cs02g_supplier(r: Request, t: Template) -> None:
    """credentialsReplacementMode loadControllerBySupplier (11), authorised by the Supplier
    (2), replacing another role's credentials: the floors go in [6]."""
    _update_credentials(r, t, _LOAD_CONTROLLER_BY_SUPPLIER)
