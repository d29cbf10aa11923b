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


def read_attributes_response(payload: bytes, base: int = 0) -> list[ZclAttribute]:
    """Decode a Read Attributes Response payload: records of id (LE), status, [type, value]."""
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
        value, position = decode_value(payload, position + 1, data_type, base)
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


def decode_value(data: bytes, position: int, data_type: int, base: int = 0) -> tuple[Any, int]:
    """Decode one value of ``data_type`` at ``position``; return (value, next position).

    Integers, bitmaps, enums and ids come back as int; strings as bytes (octet) or str
    (character); arrays, sets and bags as a list of values; structures as a list of
    (data type, value) pairs. A 0xFF string length (ZCL "invalid") gives None.
    """
    end = len(data)
    if data_type == NO_DATA:
        return None, position
    fixed = _FIXED.get(data_type)
    if fixed is not None:
        size, kind = fixed
        if position + size > end:
            raise ZclDecodeError(
                f"{TYPE_NAMES.get(data_type, hex(data_type))} value needs {size} bytes, "
                f"{end - position} left", base + position)
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
    string = _STRINGS.get(data_type)
    if string is not None:
        length_size, is_text = string
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
        position += length
        if is_text:
            try:
                return raw.decode("utf-8"), position
            except UnicodeDecodeError as exc:
                raise ZclDecodeError(f"character string is not UTF-8: {exc.reason}",
                                     base + position - length + exc.start) from None
        return raw, position
    if data_type in _COLLECTIONS:
        if position + 3 > end:
            raise ZclDecodeError(f"{_COLLECTIONS[data_type]} header runs past the end",
                                 base + position)
        element_type = data[position]
        if not is_known_type(element_type):
            raise ZclDecodeError(f"unknown ZCL data type 0x{element_type:02X} for "
                                 f"{_COLLECTIONS[data_type]} elements", base + position)
        count = int.from_bytes(data[position + 1:position + 3], "little")
        position += 3
        if count == 0xFFFF:
            return None, position
        items = []
        for _ in range(count):
            item, position = decode_value(data, position, element_type, base)
            items.append(item)
        return items, position
    if data_type == STRUCTURE:
        if position + 2 > end:
            raise ZclDecodeError("structure header runs past the end", base + position)
        count = int.from_bytes(data[position:position + 2], "little")
        position += 2
        if count == 0xFFFF:
            return None, position
        members = []
        for _ in range(count):
            if position >= end:
                raise ZclDecodeError("structure member type runs past the end",
                                     base + position)
            member_type = data[position]
            member, position = decode_value(data, position + 1, member_type, base)
            members.append((member_type, member))
        return members, position
    # The type byte sits just before the value in attribute records and structure members.
    raise ZclDecodeError(f"unknown ZCL data type 0x{data_type:02X}", base + position - 1)
