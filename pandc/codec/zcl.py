"""ZigBee Cluster Library frames as GBZ payload parts carry them (FACTS section 5).

A GBZ component's clear content is a ZCL frame: frame control, [manufacturer code], sequence
number, command id, then the command payload. GBCS responses use two profile-wide commands:
Read Attributes Response (0x01) and Default Response (0x0B). Multi-byte values are
little-endian. Every error names the byte offset where decoding stopped; offsets count from
``base`` so that callers can make them relative to the part or the message.
"""
from __future__ import annotations

import struct
from dataclasses import dataclass
from typing import Any

from ..errors import DecodeError
from .fastdata import fast_init
from .limits import Budget, check_size

# Frame control bits (ZCL 2.4.1.1)
FRAME_TYPE_MASK = 0x03
FRAME_TYPE_PROFILE_WIDE = 0x00
FRAME_TYPE_CLUSTER_SPECIFIC = 0x01
MANUFACTURER_SPECIFIC = 0x04
DIRECTION_SERVER_TO_CLIENT = 0x08

COMMAND_READ_ATTRIBUTES_RESPONSE = 0x01
COMMAND_DEFAULT_RESPONSE = 0x0B

SUCCESS = 0x00

# ZCL status enumerations (ZCL section 2.5.3). The names are those of MMC ra:StatusZIGBEE;
# codes MMC does not list keep their ZCL name here and map to RESPONSE_CODE_NOT_KNOWN there.
STATUS_NAMES: dict[int, str] = {
    0x00: "SUCCESS", 0x01: "FAILURE", 0x7E: "NOT_AUTHORIZED", 0x7F: "RESERVED_FIELD_NOT_ZERO",
    0x80: "MALFORMED_COMMAND", 0x81: "UNSUP_CLUSTER_COMMAND", 0x82: "UNSUP_GENERAL_COMMAND",
    0x83: "UNSUP_MANUF_CLUSTER_COMMAND", 0x84: "UNSUP_MANUF_GENERAL_COMMAND",
    0x85: "INVALID_FIELD", 0x86: "UNSUPPORTED_ATTRIBUTE", 0x87: "INVALID_VALUE",
    0x88: "READ_ONLY", 0x89: "INSUFFICIENT_SPACE", 0x8A: "DUPLICATE_EXISTS", 0x8B: "NOT_FOUND",
    0x8C: "UNREPORTABLE_ATTRIBUTE", 0x8D: "INVALID_DATA_TYPE", 0x8E: "INVALID_SELECTOR",
    0x8F: "WRITE_ONLY", 0x90: "INCONSISTENT_STARTUP_STATE", 0x91: "DEFINED_OUT_OF_BAND",
    0x92: "INCONSISTENT", 0x93: "ACTION_DENIED", 0x94: "TIMEOUT", 0x95: "ABORT",
    0x96: "INVALID_IMAGE", 0x97: "WAIT_FOR_DATA", 0x98: "NO_IMAGE_AVAILABLE",
    0x99: "REQUIRE_MORE_IMAGE", 0x9A: "NOTIFICATION_PENDING", 0xC0: "HARDWARE_FAILURE",
    0xC1: "SOFTWARE_FAILURE", 0xC2: "CALIBRATION_ERROR", 0xC3: "UNSUPPORTED_CLUSTER",
}


def status_name(status: int) -> str:
    return STATUS_NAMES.get(status, f"UNKNOWN_STATUS_0x{status:02X}")


# Clusters and attributes GBCS uses in the responses pandc decodes; names are for messages
# and debug output only.
CLUSTER_NAMES: dict[int, str] = {
    0x0000: "Basic", 0x0700: "Price", 0x0702: "Metering", 0x0703: "Messaging",
    0x0705: "Prepayment", 0x0707: "Calendar", 0x0708: "Device Management", 0x0709: "Events",
}


class ZclDecodeError(DecodeError):
    """A ZCL frame or attribute record that cannot be decoded."""


@fast_init
@dataclass(frozen=True, slots=True)
class ZclFrame:
    frame_control: int
    manufacturer_code: int | None
    sequence_number: int
    command_id: int
    payload: bytes
    payload_offset: int          # offset of ``payload`` (counting from the caller's base)

    @property
    def frame_type(self) -> int:
        return self.frame_control & FRAME_TYPE_MASK

    @property
    def profile_wide(self) -> bool:
        return self.frame_type == FRAME_TYPE_PROFILE_WIDE


@fast_init
@dataclass(frozen=True, slots=True)
class ZclAttribute:
    """One record of a Read Attributes Response.

    ``data_type`` and ``value`` are None when ``status`` is not SUCCESS (the record then
    carries no data).
    """

    attribute_id: int
    status: int
    data_type: int | None
    value: Any
    offset: int

    @property
    def ok(self) -> bool:
        return self.status == SUCCESS

    @property
    def status_name(self) -> str:
        return status_name(self.status)


@fast_init
@dataclass(frozen=True, slots=True)
class DefaultResponse:
    command_id: int
    status: int
    offset: int

    @property
    def status_name(self) -> str:
        return status_name(self.status)


def parse_frame(data: bytes, base: int = 0) -> ZclFrame:
    """Split a ZCL frame into its header fields and payload."""
    if len(data) < 3:
        raise ZclDecodeError(f"ZCL header needs 3 bytes, {len(data)} left", base + len(data))
    frame_control = data[0]
    position = 1
    manufacturer_code = None
    if frame_control & MANUFACTURER_SPECIFIC:
        if len(data) < 5:
            raise ZclDecodeError("ZCL header: manufacturer code runs past the end",
                                 base + len(data))
        manufacturer_code = int.from_bytes(data[1:3], "little")
        position = 3
    sequence_number = data[position]
    command_id = data[position + 1]
    position += 2
    return ZclFrame(frame_control, manufacturer_code, sequence_number, command_id,
                    bytes(data[position:]), base + position)


def read_attributes_response(payload: bytes, base: int = 0, budget: Budget | None = None,
                             warnings: list[str] | None = None) -> list[ZclAttribute]:
    """Decode a Read Attributes Response payload: records of id (LE), status, [type, value].

    ``budget`` bounds nesting and element count over the whole message (one is made when
    none is given); non-UTF-8 character strings are kept as bytes with a warning appended
    to ``warnings``."""
    check_size(payload, base)
    budget = Budget() if budget is None else budget
    records: list[ZclAttribute] = []
    position = 0
    end = len(payload)
    while position < end:
        start = position
        if end - position < 3:
            raise ZclDecodeError(
                "Read Attributes Response: attribute record needs id and status "
                f"({end - position} byte(s) left)", base + position)
        attribute_id = int.from_bytes(payload[position:position + 2], "little")
        status = payload[position + 2]
        position += 3
        if status != SUCCESS:
            records.append(ZclAttribute(attribute_id, status, None, None, base + start))
            continue
        if position >= end:
            raise ZclDecodeError(
                f"Read Attributes Response: attribute 0x{attribute_id:04X} has no data type",
                base + position)
        data_type = payload[position]
        value, position = decode_value(payload, position + 1, data_type, base, budget, warnings)
        records.append(ZclAttribute(attribute_id, status, data_type, value, base + start))
    return records


def default_response(payload: bytes, base: int = 0) -> DefaultResponse:
    if len(payload) < 2:
        raise ZclDecodeError(
            f"Default Response needs command id and status, {len(payload)} byte(s) given",
            base + len(payload))
    return DefaultResponse(payload[0], payload[1], base)


# Fixed-size types: type id -> (size, kind). Kinds: 'u' unsigned, 's' signed, 'b' bytes.
_FIXED: dict[int, tuple[int, str]] = {}
for _n in range(8):
    _FIXED[0x08 + _n] = (_n + 1, "b")      # data8 .. data64
    _FIXED[0x18 + _n] = (_n + 1, "u")      # bitmap8 .. bitmap64
    _FIXED[0x20 + _n] = (_n + 1, "u")      # uint8 .. uint64
    _FIXED[0x28 + _n] = (_n + 1, "s")      # int8 .. int64
_FIXED.update({
    0x10: (1, "bool"),
    0x30: (1, "u"), 0x31: (2, "u"),        # enum8, enum16
    0x38: (2, "half"), 0x39: (4, "float"), 0x3A: (8, "double"),
    0xE0: (4, "b"),                        # time of day: hours, minutes, seconds, hundredths
    0xE1: (4, "b"),                        # date: year-1900, month, day, day of week
    0xE2: (4, "u"),                        # UTCTime: seconds since 2000-01-01 00:00 UTC
    0xE8: (2, "u"), 0xE9: (2, "u"),        # cluster id, attribute id
    0xEA: (4, "u"),                        # BACnet OID
    0xF0: (8, "u"),                        # IEEE address
    0xF1: (16, "b"),                       # 128-bit security key
})
_STRINGS = {0x41: (1, False), 0x42: (1, True), 0x43: (2, False), 0x44: (2, True)}
_COLLECTIONS = {0x48: "array", 0x50: "set", 0x51: "bag"}
STRUCTURE = 0x4C
NO_DATA = 0x00

TYPE_NAMES: dict[int, str] = {
    0x00: "nodata", 0x10: "bool", 0x30: "enum8", 0x31: "enum16", 0x38: "semi", 0x39: "single",
    0x3A: "double", 0x41: "octstr", 0x42: "string", 0x43: "octstr16", 0x44: "string16",
    0x48: "array", 0x4C: "struct", 0x50: "set", 0x51: "bag", 0xE0: "ToD", 0xE1: "date",
    0xE2: "UTC", 0xE8: "clusterId", 0xE9: "attribId", 0xEA: "bacOID", 0xF0: "EUI64",
    0xF1: "key128",
}
for _n in range(8):
    TYPE_NAMES[0x08 + _n] = f"data{8 * (_n + 1)}"
    TYPE_NAMES[0x18 + _n] = f"map{8 * (_n + 1)}"
    TYPE_NAMES[0x20 + _n] = f"uint{8 * (_n + 1)}"
    TYPE_NAMES[0x28 + _n] = f"int{8 * (_n + 1)}"


def is_known_type(data_type: int) -> bool:
    return (data_type == NO_DATA or data_type in _FIXED or data_type in _STRINGS
            or data_type in _COLLECTIONS or data_type == STRUCTURE)


def _type_name(data_type: int) -> str:
    return TYPE_NAMES.get(data_type, f"0x{data_type:02X}")


def _scalar(data: bytes, position: int, data_type: int, base: int,
            warnings: list[str] | None) -> tuple[Any, int]:
    """A value that holds no other values: fixed-size types and strings."""
    end = len(data)
    fixed = _FIXED.get(data_type)
    if fixed is not None:
        size, kind = fixed
        if position + size > end:
            raise ZclDecodeError(
                f"{_type_name(data_type)} value needs {size} bytes, {end - position} left",
                base + position)
        raw = data[position:position + size]
        position += size
        if kind == "u":
            return int.from_bytes(raw, "little"), position
        if kind == "s":
            return int.from_bytes(raw, "little", signed=True), position
        if kind == "bool":
            return (None if raw[0] == 0xFF else bool(raw[0])), position
        if kind == "half":
            return struct.unpack("<e", raw)[0], position
        if kind == "float":
            return struct.unpack("<f", raw)[0], position
        if kind == "double":
            return struct.unpack("<d", raw)[0], position
        return bytes(raw), position
    length_size, is_text = _STRINGS[data_type]
    if position + length_size > end:
        raise ZclDecodeError("string length runs past the end", base + position)
    length = int.from_bytes(data[position:position + length_size], "little")
    position += length_size
    if length == (1 << (8 * length_size)) - 1:
        return None, position
    if position + length > end:
        raise ZclDecodeError(
            f"string of {length} bytes runs past the end ({end - position} left)",
            base + position)
    raw = bytes(data[position:position + length])
    if is_text:
        try:
            return raw.decode("utf-8"), position + length
        except UnicodeDecodeError as exc:
            # ZCL says UTF-8, devices do not always comply: keep the bytes, say so.
            if warnings is not None:
                warnings.append(
                    f"ZCL character string at offset {base + position + exc.start} is not "
                    f"UTF-8 ({exc.reason}); kept as bytes")
            return raw, position + length
    return raw, position + length


def decode_value(data: bytes, position: int, data_type: int, base: int = 0,
                 budget: Budget | None = None,
                 warnings: list[str] | None = None) -> tuple[Any, int]:
    """Decode one value of ``data_type`` at ``position``; return (value, next position).

    Integers, bitmaps, enums and ids come back as int; octet strings as bytes; character
    strings as str (bytes, with a warning appended to ``warnings``, when not UTF-8);
    arrays, sets and bags as a list of values; structures as a list of (data type, value)
    pairs. A 0xFF string length or 0xFFFF count (ZCL "invalid") gives None.

    Nested collections are read with an explicit stack, never recursion; ``budget`` (one per
    message: pass the same one for every value of it) bounds their depth and element count,
    and past it :class:`~pandc.codec.limits.LimitError` names the offset.
    """
    budget = Budget() if budget is None else budget
    end = len(data)
    # Each open collection: [items, element type (None: a structure), elements left, own type].
    stack: list[list[Any]] = []
    while True:
        # Read the value of ``data_type`` at ``position``: a scalar, or open a collection.
        value: Any
        if data_type == NO_DATA:
            value = None
        elif data_type in _FIXED or data_type in _STRINGS:
            value, position = _scalar(data, position, data_type, base, warnings)
        elif data_type in _COLLECTIONS or data_type == STRUCTURE:
            is_structure = data_type == STRUCTURE
            header = 2 if is_structure else 3
            if position + header > end:
                kind = "structure" if is_structure else _COLLECTIONS[data_type]
                raise ZclDecodeError(f"{kind} header runs past the end", base + position)
            element_type = None
            if not is_structure:
                element_type = data[position]
                if not is_known_type(element_type):
                    raise ZclDecodeError(
                        f"unknown ZCL data type 0x{element_type:02X} for "
                        f"{_COLLECTIONS[data_type]} elements", base + position)
                position += 1
            count = int.from_bytes(data[position:position + 2], "little")
            position += 2
            if count == 0xFFFF:
                value = None
            else:
                budget.take(count, base + position - 2, end - position)
                if count:
                    budget.enter(base + position - header)
                    stack.append([[], element_type, count, data_type])
                    data_type = _next_type(data, stack, position, base)
                    if element_type is None:
                        position += 1          # a structure member's own type byte
                    continue
                value = []
        else:
            # The type byte sits just before the value in attribute records and members.
            raise ZclDecodeError(f"unknown ZCL data type 0x{data_type:02X}", base + position - 1)
        # Hand the value to the innermost open collection; close those that are complete.
        while stack:
            top = stack[-1]
            top[0].append(value if top[1] is not None else (data_type, value))
            top[2] -= 1
            if top[2]:
                break
            stack.pop()
            budget.leave()
            value = top[0]
            data_type = top[3]
        else:
            return value, position
        data_type = _next_type(data, stack, position, base)
        if stack[-1][1] is None:
            position += 1


def _next_type(data: bytes, stack: list[list[Any]], position: int, base: int) -> int:
    """The data type of the next element of the innermost collection."""
    element_type: int | None = stack[-1][1]
    if element_type is not None:
        return element_type
    if position >= len(data):
        raise ZclDecodeError("structure member type runs past the end", base + position)
    return data[position]



# ---------------------------------------------------------------------------------------
# Cluster-specific command frames (ZigBee Smart Energy 1.4, as GBCS uses them)

UINT8, UINT16, UINT24, UINT32, UINT48 = 0x20, 0x21, 0x22, 0x23, 0x25
INT32 = 0x2B
MAP8, MAP32 = 0x18, 0x1B
ENUM8 = 0x30
OCTET_STRING = 0x41
DATE = 0xE1
UTC_TIME = 0xE2

Field = tuple[str, int]          # (field name as ZSE spells it, ZCL data type)


@dataclass(frozen=True, slots=True)
class CommandLayout:
    """A cluster-specific command's payload: fixed fields in wire order, then either a
    repeated ``entry`` group up to the end of the payload, or ``rest`` raw bytes that a
    use case reads by a selector field (e.g. a snapshot's payload type)."""

    name: str
    fields: tuple[Field, ...]
    entry: tuple[Field, ...] = ()
    rest: bool = False
    reference: str = ""


_HEAD_CALENDAR: tuple[Field, ...] = (
    ("ProviderID", UINT32), ("IssuerEventID", UINT32), ("IssuerCalendarID", UINT32))
_HEAD_SNAPSHOT: tuple[Field, ...] = (
    ("SnapshotID", UINT32), ("SnapshotTime", UTC_TIME), ("TotalSnapshotsFound", UINT8),
    ("CommandIndex", UINT8), ("TotalNumberOfCommands", UINT8), ("SnapshotCause", MAP32),
    ("SnapshotPayloadType", ENUM8))

# (cluster, sent by the server, command id) -> layout. Each row: ZSE 1.4 (07-5356-19) section.
COMMANDS: dict[tuple[int, bool, int], CommandLayout] = {
    (0x0700, True, 0x09): CommandLayout(
        "PublishBillingPeriod",
        (("ProviderID", UINT32), ("IssuerEventID", UINT32), ("BillingPeriodStartTime", UTC_TIME),
         ("BillingPeriodDuration", UINT24), ("BillingPeriodDurationType", MAP8),
         ("TariffType", MAP8)), reference="ZSE D.4.2.4.10"),
    (0x0702, True, 0x00): CommandLayout(
        "GetProfileResponse",
        (("EndTime", UTC_TIME), ("Status", ENUM8), ("ProfileIntervalPeriod", ENUM8),
         ("NumberOfPeriodsDelivered", UINT8)),
        entry=(("Interval", UINT24),), reference="ZSE D.3.2.3.1.1"),
    (0x0702, True, 0x06): CommandLayout(
        "PublishSnapshot", _HEAD_SNAPSHOT, rest=True, reference="ZSE D.3.2.3.1.7"),
    (0x0702, True, 0x07): CommandLayout(
        "GetSampledDataResponse",
        (("SampleID", UINT16), ("SampleStartTime", UTC_TIME), ("SampleType", ENUM8),
         ("SampleRequestInterval", UINT16), ("NumberOfSamples", UINT16)),
        entry=(("Sample", UINT24),), reference="ZSE D.3.2.3.1.8"),
    (0x0702, True, 0x0C): CommandLayout(
        "SupplyStatusResponse",
        (("ProviderID", UINT32), ("IssuerEventID", UINT32), ("ImplementationDateTime", UTC_TIME),
         ("SupplyStatus", ENUM8)), reference="ZSE D.3.2.3.1.13"),
    (0x0702, True, 0x0D): CommandLayout(
        "StartSamplingResponse", (("SampleID", UINT16),), reference="ZSE D.3.2.3.1.14"),
    (0x0705, True, 0x01): CommandLayout(
        "PublishPrepaySnapshot", _HEAD_SNAPSHOT, rest=True, reference="ZSE D.7.2.4.2"),
    (0x0705, True, 0x02): CommandLayout(
        "ChangePaymentModeResponse",
        (("FriendlyCredit", MAP8), ("FriendlyCreditCalendarID", UINT32),
         ("EmergencyCreditLimit", UINT32), ("EmergencyCreditThreshold", UINT32)),
        reference="ZSE D.7.2.4.3"),
    (0x0705, True, 0x03): CommandLayout(
        "ConsumerTopUpResponse",
        (("ResultType", ENUM8), ("TopUpValue", INT32), ("SourceOfTopUp", ENUM8),
         ("CreditRemaining", INT32)), reference="ZSE D.7.2.4.4"),
    (0x0705, True, 0x04): CommandLayout(
        "PublishDebtLog", (("CommandIndex", UINT8), ("TotalNumberOfCommands", UINT8)),
        entry=(("CollectionTime", UTC_TIME), ("AmountCollected", UINT32), ("DebtType", ENUM8),
               ("OutstandingDebt", UINT32)), reference="ZSE D.7.2.4.5"),
    (0x0705, True, 0x05): CommandLayout(
        "PublishTopUpLog", (("CommandIndex", UINT8), ("TotalNumberOfCommands", UINT8)),
        entry=(("TopUpCode", OCTET_STRING), ("TopUpAmount", INT32), ("TopUpTime", UTC_TIME)),
        reference="ZSE D.7.2.4.6"),
    (0x0707, True, 0x01): CommandLayout(
        "PublishDayProfile",
        _HEAD_CALENDAR + (("DayID", UINT8), ("TotalNumberOfScheduleEntries", UINT8),
                          ("CommandIndex", UINT8), ("TotalNumberOfCommands", UINT8),
                          ("CalendarType", ENUM8)),
        entry=(("StartTime", UINT16), ("ActiveTier", UINT8)), reference="ZSE D.9.2.3.2"),
    (0x0707, True, 0x02): CommandLayout(
        "PublishWeekProfile",
        _HEAD_CALENDAR + (("WeekID", UINT8),) + tuple(
            (f"DayIDRef{day}", UINT8) for day in
            ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")),
        reference="ZSE D.9.2.3.3"),
    (0x0707, True, 0x03): CommandLayout(
        "PublishSeasons", _HEAD_CALENDAR + (("CommandIndex", UINT8), ("TotalNumberOfCommands", UINT8)),
        entry=(("SeasonStartDate", DATE), ("WeekIDRef", UINT8)), reference="ZSE D.9.2.3.4"),
    (0x0707, True, 0x04): CommandLayout(
        "PublishSpecialDays",
        _HEAD_CALENDAR + (("StartTime", UTC_TIME), ("CalendarType", ENUM8),
                          ("TotalNumberOfSpecialDays", UINT8), ("CommandIndex", UINT8),
                          ("TotalNumberOfCommands", UINT8)),
        entry=(("SpecialDayDate", DATE), ("DayIDRef", UINT8)), reference="ZSE D.9.2.3.5"),
    (0x0708, False, 0x04): CommandLayout(
        "ReportEventConfiguration", (("CommandIndex", UINT8), ("TotalCommands", UINT8)),
        entry=(("EventID", UINT16), ("EventConfiguration", MAP8)), reference="ZSE D.10.2.4.5"),
    (0x0709, True, 0x01): CommandLayout(
        "PublishEventLog",
        (("TotalNumberOfMatchingEvents", UINT16), ("CommandIndex", UINT8),
         ("TotalCommands", UINT8), ("LogPayloadControl", MAP8)),
        entry=(("LogID", ENUM8), ("EventID", UINT16), ("EventTime", UTC_TIME),
               ("EventData", OCTET_STRING)), reference="ZSE D.11.2.4.1"),
}


@fast_init
@dataclass(frozen=True, slots=True)
class ZclCommand:
    """A decoded cluster-specific command: its fields, repeated entries and raw rest."""

    name: str
    fields: dict[str, Any]
    entries: tuple[dict[str, Any], ...]
    rest: bytes
    rest_offset: int
    offset: int


def command_layout(cluster_id: int, frame: ZclFrame) -> CommandLayout | None:
    """The ZSE layout of a cluster-specific command frame; None for profile-wide and
    manufacturer-specific frames (whose command ids mean what the manufacturer says)."""
    if frame.profile_wide or frame.manufacturer_code is not None:
        return None
    server = bool(frame.frame_control & DIRECTION_SERVER_TO_CLIENT)
    return COMMANDS.get((cluster_id, server, frame.command_id))


def read_fields(data: bytes, position: int, fields: tuple[Field, ...], base: int,
                budget: Budget, warnings: list[str] | None) -> tuple[dict[str, Any], int]:
    values: dict[str, Any] = {}
    for name, data_type in fields:
        values[name], position = decode_value(data, position, data_type, base, budget, warnings)
    return values, position


def cluster_command(cluster_id: int, frame: ZclFrame, budget: Budget | None = None,
                    warnings: list[str] | None = None) -> ZclCommand:
    """Decode a cluster-specific command frame by its layout in :data:`COMMANDS`."""
    budget = Budget() if budget is None else budget
    layout = command_layout(cluster_id, frame)
    base = frame.payload_offset
    if layout is None or frame.profile_wide:
        raise ZclDecodeError(
            f"no layout for cluster 0x{cluster_id:04X} command 0x{frame.command_id:02X} "
            f"(frame control 0x{frame.frame_control:02X})", base - 1)
    data = frame.payload
    check_size(data, base)
    fields, position = read_fields(data, 0, layout.fields, base, budget, warnings)
    entries: list[dict[str, Any]] = []
    if layout.entry:
        while position < len(data):
            budget.take(1, base + position, len(data) - position)
            entry, position = read_fields(data, position, layout.entry, base, budget, warnings)
            entries.append(entry)
    rest = b""
    if layout.rest:
        rest = bytes(data[position:])
    elif position != len(data):
        raise ZclDecodeError(f"{layout.name}: {len(data) - position} byte(s) after the last field",
                             base + position)
    return ZclCommand(layout.name, fields, tuple(entries), rest, base + position, base)
