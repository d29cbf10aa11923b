"""DLMS/COSEM responses as GBCS carries them: A-XDR Data and the APDUs that hold it.

GBCS electricity responses are DLMS Access-Response APDUs (tag 0xDA); Get-Response (0xC4)
normal and with-list forms are decoded too. Values decode into :class:`DlmsValue` trees that
keep each value's byte offset, so use-case code can say where a wrong value sits. Errors are
:class:`DlmsDecodeError` with the byte offset (counting from the caller's ``base``).
"""
from __future__ import annotations

import struct
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from typing import Any

from ..errors import DecodeError
from .ber import read_length

# A-XDR Data choice tags (IEC 62056-6-2 / Green Book)
NULL_DATA = 0
ARRAY = 1
STRUCTURE = 2
BOOLEAN = 3
BIT_STRING = 4
DOUBLE_LONG = 5
DOUBLE_LONG_UNSIGNED = 6
OCTET_STRING = 9
VISIBLE_STRING = 10
UTF8_STRING = 12
BCD = 13
INTEGER = 15
LONG = 16
UNSIGNED = 17
LONG_UNSIGNED = 18
COMPACT_ARRAY = 19
LONG64 = 20
LONG64_UNSIGNED = 21
ENUM = 22
FLOAT32 = 23
FLOAT64 = 24
DATE_TIME = 25
DATE = 26
TIME = 27
DONT_CARE = 255

TYPE_NAMES: dict[int, str] = {
    NULL_DATA: "null-data", ARRAY: "array", STRUCTURE: "structure", BOOLEAN: "boolean",
    BIT_STRING: "bit-string", DOUBLE_LONG: "double-long",
    DOUBLE_LONG_UNSIGNED: "double-long-unsigned", OCTET_STRING: "octet-string",
    VISIBLE_STRING: "visible-string", UTF8_STRING: "utf8-string", BCD: "bcd",
    INTEGER: "integer", LONG: "long", UNSIGNED: "unsigned", LONG_UNSIGNED: "long-unsigned",
    COMPACT_ARRAY: "compact-array", LONG64: "long64", LONG64_UNSIGNED: "long64-unsigned",
    ENUM: "enum", FLOAT32: "float32", FLOAT64: "float64", DATE_TIME: "date-time",
    DATE: "date", TIME: "time", DONT_CARE: "dont-care",
}
INTEGER_TYPES = frozenset({DOUBLE_LONG, DOUBLE_LONG_UNSIGNED, BCD, INTEGER, LONG, UNSIGNED,
                           LONG_UNSIGNED, LONG64, LONG64_UNSIGNED, ENUM})

# size, signed
_INTEGERS = {
    DOUBLE_LONG: (4, True), DOUBLE_LONG_UNSIGNED: (4, False), BCD: (1, True),
    INTEGER: (1, True), LONG: (2, True), UNSIGNED: (1, False), LONG_UNSIGNED: (2, False),
    LONG64: (8, True), LONG64_UNSIGNED: (8, False), ENUM: (1, False),
}
_FIXED_OCTETS = {DATE_TIME: 12, DATE: 5, TIME: 4}

# Data-Access-Result and Action-Result enumerations; names as in MMC ra:StatusCOSEM.
DATA_ACCESS_RESULTS: dict[int, str] = {
    0: "success", 1: "hardware-fault", 2: "temporary-failure", 3: "read-write-denied",
    4: "object-undefined", 9: "object-class-inconsistent", 11: "object-unavailable",
    12: "type-unmatched", 13: "scope-of-access-violated", 14: "data-block-unavailable",
    15: "long-get-aborted", 16: "no-long-get-in-progress", 17: "long-set-aborted",
    18: "no-long-set-in-progress", 19: "data-block-number-invalid", 250: "other-reason",
}
ACTION_RESULTS: dict[int, str] = {
    0: "success", 1: "hardware-fault", 2: "temporary-failure", 3: "read-write-denied",
    4: "object-undefined", 9: "object-class-inconsistent", 11: "object-unavailable",
    12: "type-unmatched", 13: "scope-of-access-violated", 14: "data-block-unavailable",
    15: "long-action-aborted", 16: "no-long-action-in-progress", 250: "other-reason",
}

ACCESS_RESPONSE = 0xDA
GET_RESPONSE = 0xC4
GET_RESPONSE_NORMAL = 1
GET_RESPONSE_WITH_DATABLOCK = 2
GET_RESPONSE_WITH_LIST = 3

# Access-Response-Specification choices
ACCESS_GET = 1
ACCESS_SET = 2
ACCESS_ACTION = 3
_ACCESS_KINDS = {ACCESS_GET: "get", ACCESS_SET: "set", ACCESS_ACTION: "action"}

# GBCS security: first byte of a protected-data octet string (security control 0x31)
SECURITY_CONTROL_ENCRYPTED = 0x31


class DlmsDecodeError(DecodeError):
    """DLMS bytes that cannot be decoded."""


@dataclass(frozen=True, slots=True)
class DlmsValue:
    """One A-XDR Data value.

    ``value`` is an int (integer types and enum), bool, bytes (octet-string, bit-string
    octets, date-time/date/time octets), str (visible/utf8 strings), float, None (null-data,
    dont-care) or a tuple of DlmsValue (array, structure). ``bits`` is the bit count of a
    bit-string.
    """

    tag: int
    value: Any
    offset: int
    bits: int | None = None
    content_offset: int | None = None   # strings: where the content starts, after the length

    @property
    def type_name(self) -> str:
        return TYPE_NAMES.get(self.tag, f"0x{self.tag:02X}")

    @property
    def is_integer(self) -> bool:
        return self.tag in INTEGER_TYPES

    @property
    def items(self) -> tuple["DlmsValue", ...]:
        if self.tag not in (ARRAY, STRUCTURE):
            raise DlmsDecodeError(f"expected array or structure, found {self.type_name}",
                                  self.offset)
        return self.value

    def to_python(self) -> Any:
        """Plain Python form (lists for arrays and structures), for display and tests."""
        if self.tag in (ARRAY, STRUCTURE):
            return [item.to_python() for item in self.value]
        return self.value


@dataclass(frozen=True, slots=True)
class AccessResult:
    """One Access-Response-Specification: what kind of access and how it went."""

    kind: str        # 'get' | 'set' | 'action'
    code: int
    offset: int

    @property
    def ok(self) -> bool:
        return self.code == 0

    @property
    def name(self) -> str:
        table = ACTION_RESULTS if self.kind == "action" else DATA_ACCESS_RESULTS
        return table.get(self.code, f"unknown-result-{self.code}")


@dataclass(frozen=True, slots=True)
class AccessResponse:
    invoke_id: int
    date_time: bytes            # empty when absent
    data: tuple[DlmsValue, ...]
    results: tuple[AccessResult, ...]


@dataclass(frozen=True, slots=True)
class GetResult:
    """One Get-Data-Result: a value, or a data-access-result naming the failure."""

    data: DlmsValue | None
    result: AccessResult | None

    @property
    def ok(self) -> bool:
        return self.result is None


@dataclass(frozen=True, slots=True)
class GetResponse:
    kind: int                   # GET_RESPONSE_NORMAL | GET_RESPONSE_WITH_LIST
    invoke_id: int
    results: tuple[GetResult, ...]


@dataclass(frozen=True, slots=True)
class ProtectedData:
    """GBCS protected attributes: protection parameters plus an octet string that is either
    the ciphered data (security header 0x31, ciphertext, tag) or, once decrypted, the
    A-XDR encoding of the attribute values."""

    parameters: DlmsValue
    content: bytes
    content_offset: int

    @property
    def ciphered(self) -> bool:
        return self.content[:1] == bytes([SECURITY_CONTROL_ENCRYPTED])


def _need(data: bytes, position: int, size: int, what: str, base: int) -> None:
    if position + size > len(data):
        raise DlmsDecodeError(f"{what} needs {size} byte(s), {len(data) - position} left",
                              base + position)


def decode_data(data: bytes, position: int = 0, base: int = 0) -> tuple[DlmsValue, int]:
    """Decode one A-XDR Data value at ``position``; return it and the next position."""
    _need(data, position, 1, "Data tag", base)
    start = position
    tag = data[position]
    position += 1
    if tag in (NULL_DATA, DONT_CARE):
        return DlmsValue(tag, None, base + start), position
    if tag in (ARRAY, STRUCTURE):
        count, position = read_length(data, position, base)
        items = []
        for _ in range(count):
            item, position = decode_data(data, position, base)
            items.append(item)
        return DlmsValue(tag, tuple(items), base + start), position
    integer = _INTEGERS.get(tag)
    if integer is not None:
        size, signed = integer
        _need(data, position, size, TYPE_NAMES[tag], base)
        value = int.from_bytes(data[position:position + size], "big", signed=signed)
        return DlmsValue(tag, value, base + start), position + size
    if tag == BOOLEAN:
        _need(data, position, 1, "boolean", base)
        return DlmsValue(tag, data[position] != 0, base + start), position + 1
    if tag in (OCTET_STRING, VISIBLE_STRING, UTF8_STRING):
        length, position = read_length(data, position, base)
        _need(data, position, length, TYPE_NAMES[tag], base)
        raw = bytes(data[position:position + length])
        if tag == OCTET_STRING:
            value: Any = raw
        else:
            codec = "ascii" if tag == VISIBLE_STRING else "utf-8"
            try:
                value = raw.decode(codec)
            except UnicodeDecodeError as exc:
                raise DlmsDecodeError(f"{TYPE_NAMES[tag]} is not {codec}: {exc.reason}",
                                      base + position + exc.start) from None
        return DlmsValue(tag, value, base + start, None, base + position), position + length
    if tag == BIT_STRING:
        bits, position = read_length(data, position, base)
        size = (bits + 7) // 8
        _need(data, position, size, "bit-string", base)
        return DlmsValue(tag, bytes(data[position:position + size]), base + start, bits), \
            position + size
    if tag in _FIXED_OCTETS:
        size = _FIXED_OCTETS[tag]
        _need(data, position, size, TYPE_NAMES[tag], base)
        return DlmsValue(tag, bytes(data[position:position + size]), base + start), \
            position + size
    if tag == FLOAT32:
        _need(data, position, 4, "float32", base)
        return DlmsValue(tag, struct.unpack(">f", data[position:position + 4])[0],
                         base + start), position + 4
    if tag == FLOAT64:
        _need(data, position, 8, "float64", base)
        return DlmsValue(tag, struct.unpack(">d", data[position:position + 8])[0],
                         base + start), position + 8
    if tag == COMPACT_ARRAY:
        raise DlmsDecodeError("compact-array is not supported", base + start)
    raise DlmsDecodeError(f"unknown DLMS Data tag 0x{tag:02X}", base + start)


def decode_all(data: bytes, base: int = 0) -> DlmsValue:
    """Decode exactly one Data value that fills ``data``."""
    value, position = decode_data(data, 0, base)
    if position != len(data):
        raise DlmsDecodeError(f"{len(data) - position} byte(s) left after the Data value",
                              base + position)
    return value


def access_response(apdu: bytes, base: int = 0) -> AccessResponse:
    """Decode a DLMS Access-Response (0xDA) as GBCS uses it.

    Layout: tag, long-invoke-id-and-priority (4), date-time (octet string, empty when
    absent), access-request-specification (OPTIONAL: 00 absent), list-of-data, list of
    access-response-specification (choice get/set/action + result).
    """
    _need(apdu, 0, 6, "Access-Response header", base)
    if apdu[0] != ACCESS_RESPONSE:
        raise DlmsDecodeError(f"expected Access-Response tag 0xDA, found 0x{apdu[0]:02X}", base)
    invoke_id = int.from_bytes(apdu[1:5], "big")
    length, position = read_length(apdu, 5, base)
    _need(apdu, position, length, "Access-Response date-time", base)
    date_time = bytes(apdu[position:position + length])
    position += length
    _need(apdu, position, 1, "access-request-specification flag", base)
    if apdu[position] != 0:
        raise DlmsDecodeError("Access-Response: an access-request-specification in the "
                              "response is not supported", base + position)
    position += 1
    count, position = read_length(apdu, position, base)
    data = []
    for _ in range(count):
        value, position = decode_data(apdu, position, base)
        data.append(value)
    count, position = read_length(apdu, position, base)
    results = []
    for _ in range(count):
        _need(apdu, position, 2, "access-response-specification", base)
        choice = apdu[position]
        kind = _ACCESS_KINDS.get(choice)
        if kind is None:
            raise DlmsDecodeError(
                f"unknown access-response-specification choice {choice}", base + position)
        results.append(AccessResult(kind, apdu[position + 1], base + position))
        position += 2
    if position != len(apdu):
        raise DlmsDecodeError(f"{len(apdu) - position} byte(s) left after the Access-Response",
                              base + position)
    return AccessResponse(invoke_id, date_time, tuple(data), tuple(results))


def _get_data_result(apdu: bytes, position: int, base: int) -> tuple[GetResult, int]:
    _need(apdu, position, 1, "Get-Data-Result choice", base)
    choice = apdu[position]
    if choice == 0:
        value, position = decode_data(apdu, position + 1, base)
        return GetResult(value, None), position
    if choice == 1:
        _need(apdu, position + 1, 1, "data-access-result", base)
        return GetResult(None, AccessResult("get", apdu[position + 1], base + position)), \
            position + 2
    raise DlmsDecodeError(f"unknown Get-Data-Result choice {choice}", base + position)


def get_response(apdu: bytes, base: int = 0) -> GetResponse:
    """Decode a DLMS Get-Response (0xC4): normal or with-list."""
    _need(apdu, 0, 3, "Get-Response header", base)
    if apdu[0] != GET_RESPONSE:
        raise DlmsDecodeError(f"expected Get-Response tag 0xC4, found 0x{apdu[0]:02X}", base)
    kind = apdu[1]
    invoke_id = apdu[2]
    position = 3
    if kind == GET_RESPONSE_NORMAL:
        result, position = _get_data_result(apdu, position, base)
        results = [result]
    elif kind == GET_RESPONSE_WITH_LIST:
        count, position = read_length(apdu, position, base)
        results = []
        for _ in range(count):
            result, position = _get_data_result(apdu, position, base)
            results.append(result)
    elif kind == GET_RESPONSE_WITH_DATABLOCK:
        raise DlmsDecodeError("Get-Response with-datablock is not supported", base + 1)
    else:
        raise DlmsDecodeError(f"unknown Get-Response choice {kind}", base + 1)
    if position != len(apdu):
        raise DlmsDecodeError(f"{len(apdu) - position} byte(s) left after the Get-Response",
                              base + position)
    return GetResponse(kind, invoke_id, tuple(results))


def protected_data(value: DlmsValue) -> ProtectedData | None:
    """The GBCS protected-attributes form of a Data value, or None when it is not one.

    Shape: structure { array of structure { enum protection-type, structure(5) parameters },
    octet-string protected-attributes }.
    """
    if value.tag != STRUCTURE or len(value.value) != 2:
        return None
    parameters, content = value.value
    if parameters.tag != ARRAY or content.tag != OCTET_STRING or not parameters.value:
        return None
    for entry in parameters.value:
        if entry.tag != STRUCTURE or len(entry.value) != 2 or entry.value[0].tag != ENUM \
                or entry.value[1].tag != STRUCTURE:
            return None
    return ProtectedData(parameters, content.value, content.content_offset)


def date_time(octets: bytes, offset: int = 0) -> datetime | None:
    """A COSEM date-time (12 octets) as an aware UTC datetime, or None when any of year,
    month, day, hour, minute, second is not specified.

    Deviation 0x8000 (not specified) is read as UTC, as GB smart metering time is UTC.
    """
    if len(octets) != 12:
        raise DlmsDecodeError(f"date-time must be 12 octets, found {len(octets)}", offset)
    year = int.from_bytes(octets[0:2], "big")
    month, day, _weekday, hour, minute, second, hundredths = octets[2:9]
    deviation = int.from_bytes(octets[9:11], "big", signed=True)
    if year == 0xFFFF or 0xFF in (month, day, hour, minute, second):
        return None
    try:
        moment = datetime(year, month, day, hour, minute, second,
                          0 if hundredths == 0xFF else hundredths * 10000)
    except ValueError as exc:
        raise DlmsDecodeError(f"date-time is not a calendar date: {exc}", offset) from None
    if deviation == -0x8000:
        return moment.replace(tzinfo=timezone.utc)
    # COSEM deviation is UTC minus local time, in minutes.
    return (moment + timedelta(minutes=deviation)).replace(tzinfo=timezone.utc)
