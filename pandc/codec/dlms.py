"""DLMS/COSEM responses as GBCS carries them: A-XDR Data and the APDUs that hold it.

GBCS electricity responses are DLMS Access-Response APDUs (tag 0xDA); Get-Response (0xC4)
normal and with-list forms are decoded too. Values decode into :class:`DlmsValue` trees that
keep each value's byte offset, so use-case code can say where a wrong value sits. Errors are
:class:`DlmsDecodeError` with the byte offset (counting from the caller's ``base``).
"""
from __future__ import annotations

import struct
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from typing import Any, NamedTuple

from ..errors import DecodeError
from .ber import read_length
from .fastdata import fast_init
from .limits import Budget, LimitError, check_size  # noqa: F401  (LimitError re-exported)

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
CIPHERED_MINIMUM = 5 + 12     # security header + tag, around an empty ciphertext


class DlmsDecodeError(DecodeError):
    """DLMS bytes that cannot be decoded."""


class DlmsValue(NamedTuple):
    """One A-XDR Data value (immutable; a named tuple because a profile holds tens of
    thousands of them and a tuple is the cheapest immutable object to make).

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
        name = TYPE_NAMES.get(self.tag)     # the f-string only for an unknown tag
        return name if name is not None else f"0x{self.tag:02X}"

    @property
    def is_integer(self) -> bool:
        return self.tag in INTEGER_TYPES

    @property
    def items(self) -> tuple["DlmsValue", ...]:
        if self.tag not in (ARRAY, STRUCTURE):
            raise DlmsDecodeError(f"expected array or structure, found {self.type_name}",
                                  self.offset)
        items: tuple[DlmsValue, ...] = self.value
        return items

    def to_python(self) -> Any:
        """Plain Python form (lists for arrays and structures), for display and tests."""
        if self.tag in (ARRAY, STRUCTURE):
            return [item.to_python() for item in self.value]
        return self.value


@fast_init
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


@fast_init
@dataclass(frozen=True, slots=True)
class AccessResponse:
    invoke_id: int
    date_time: bytes            # empty when absent
    data: tuple[DlmsValue, ...]
    results: tuple[AccessResult, ...]


@fast_init
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


@fast_init
@dataclass(frozen=True, slots=True)
class ProtectedData:
    """GBCS protected attributes: protection parameters plus an octet string that is either
    the ciphered data (security header 0x31, ciphertext, tag) or, once decrypted, the
    A-XDR encoding of the attribute values."""

    parameters: DlmsValue
    content: bytes
    content_offset: int
    element_offset: int = 0     # where the octet-string (tag 0x09) begins

    @property
    def ciphered(self) -> bool:
        """True when the octet string is a GBCS ciphered block: security header (0x31 and a
        4-byte invocation counter), ciphertext and a 12-byte tag."""
        return self.content[:1] == bytes([SECURITY_CONTROL_ENCRYPTED]) and \
            len(self.content) >= CIPHERED_MINIMUM


def _need(data: bytes, position: int, size: int, what: str, base: int) -> None:
    if position + size > len(data):
        raise DlmsDecodeError(f"{what} needs {size} byte(s), {len(data) - position} left",
                              base + position)


def _claim(budget: Budget, count: int, offset: int, bytes_left: int) -> None:
    """Claim ``count`` elements announced at ``offset``. More than the bytes left (each element
    takes at least one) is truncated or malformed data: DlmsDecodeError, before anything is
    read. Past the message's element budget: LimitError."""
    if count > bytes_left:
        raise DlmsDecodeError(f"{count} elements announced, only {bytes_left} bytes left", offset)
    budget.take(count, offset, bytes_left)


def decode_data(data: bytes, position: int = 0, base: int = 0,
                budget: Budget | None = None) -> tuple[DlmsValue, int]:
    """Decode one A-XDR Data value at ``position``; return it and the next position.

    Arrays and structures are read with an explicit stack, never by recursion: ``budget``
    (one per message; a fresh :class:`Budget` when None) bounds the nesting depth and the
    elements of the whole message, and every count an array or structure announces is
    checked against the bytes left before anything is read. Past a limit:
    :class:`LimitError` with the offset.
    """
    if budget is None:
        budget = Budget()
    # Each open container: [tag, offset of its tag, elements still to read, items so far]
    stack: list[list[Any]] = []
    while True:
        _need(data, position, 1, "Data tag", base)
        start = position
        tag = data[position]
        position += 1
        if tag in (ARRAY, STRUCTURE):
            count, position = read_length(data, position, base)
            _claim(budget, count, base + start, len(data) - position)
            if count:
                budget.enter(base + start)
                stack.append([tag, start, count, []])
                continue
            value = DlmsValue(tag, (), base + start)
        elif tag == COMPACT_ARRAY:
            value, position = _compact_array(data, position, base, budget)
        else:
            value, position = _simple(data, tag, start, position, base)
        # Attach the finished value to its container; close every container it completes.
        while stack:
            top = stack[-1]
            top[3].append(value)
            top[2] -= 1
            if top[2]:
                break
            stack.pop()
            budget.leave()
            value = DlmsValue(top[0], tuple(top[3]), base + top[1])
        else:
            return value, position


def decode_simple(data: bytes, position: int = 0, base: int = 0) -> tuple[DlmsValue, int]:
    """Decode one A-XDR Data value that holds no other Data (not an array, structure or
    compact-array) at ``position``; return it and the next position. The cheap path for a
    caller that lays containers out itself: nothing to bound, so no :class:`Budget`."""
    _need(data, position, 1, "Data tag", base)
    tag = data[position]
    integer = _INTEGERS.get(tag)
    if integer is not None:         # the common case, read here without further calls
        size, signed = integer
        end = position + 1 + size
        if end > len(data):
            _need(data, position + 1, size, TYPE_NAMES[tag], base)
        return DlmsValue(tag, int.from_bytes(data[position + 1:end], "big", signed=signed),
                         base + position), end
    if tag == OCTET_STRING and position + 1 < len(data) and data[position + 1] < 0x80:
        start = position + 2        # one-octet length: dates, times, OBIS codes
        end = start + data[position + 1]
        if end <= len(data):
            return DlmsValue(tag, bytes(data[start:end]), base + position, None,
                             base + start), end
    if tag in (ARRAY, STRUCTURE, COMPACT_ARRAY):
        raise DlmsDecodeError(f"expected a simple Data value, found {TYPE_NAMES[tag]}",
                              base + position)
    return _simple(data, tag, position, position + 1, base)


def _simple(data: bytes, tag: int, start: int, position: int, base: int
            ) -> tuple[DlmsValue, int]:
    """A Data value that holds no other Data: ``position`` is just after its tag."""
    if tag in (NULL_DATA, DONT_CARE):
        return DlmsValue(tag, None, base + start), position
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
            text: Any = raw
        else:
            codec = "ascii" if tag == VISIBLE_STRING else "utf-8"
            try:
                text = raw.decode(codec)
            except UnicodeDecodeError as exc:
                raise DlmsDecodeError(f"{TYPE_NAMES[tag]} is not {codec}: {exc.reason}",
                                      base + position + exc.start) from None
        return DlmsValue(tag, text, base + start, None, base + position), position + length
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
    raise DlmsDecodeError(f"unknown DLMS Data tag 0x{tag:02X}", base + start)


# --- compact-array (IEC 62056-6-2 Data choice [19]) -----------------------------------------
# compact-array ::= SEQUENCE { contents-description TypeDescription, array-contents OCTET
# STRING }. TypeDescription is a Data tag; array [1] adds number-of-elements (Unsigned16) and
# the element's TypeDescription; structure [2] adds a count and that many TypeDescriptions.
# array-contents repeats the described value with no tags: array and structure sizes come
# from the description, strings keep their length prefix.

@dataclass(frozen=True, slots=True)
class TypeDescription:
    tag: int
    count: int = 0                                   # array: number-of-elements
    members: tuple["TypeDescription", ...] = ()     # array: (element,); structure: members
    min_size: int = 0                                # fewest content bytes one value takes


_MIN_SIZES = {BOOLEAN: 1, BIT_STRING: 1, OCTET_STRING: 1, VISIBLE_STRING: 1, UTF8_STRING: 1,
              FLOAT32: 4, FLOAT64: 8, **{tag: size for tag, (size, _) in _INTEGERS.items()},
              **_FIXED_OCTETS}


def _type_description(data: bytes, position: int, base: int, budget: Budget
                      ) -> tuple[TypeDescription, int]:
    """Read a TypeDescription. Its nesting is bounded by ``budget`` (depth), so the bounded
    recursion here cannot exhaust the stack."""
    _need(data, position, 1, "compact-array type description", base)
    start = position
    tag = data[position]
    position += 1
    if tag == ARRAY:
        _need(data, position, 2, "compact-array number-of-elements", base)
        count = int.from_bytes(data[position:position + 2], "big")
        budget.enter(base + start)
        element, position = _type_description(data, position + 2, base, budget)
        budget.leave()
        return TypeDescription(tag, count, (element,), count * element.min_size), position
    if tag == STRUCTURE:
        count, position = read_length(data, position, base)
        _claim(budget, count, base + start, len(data) - position)
        budget.enter(base + start)
        members = []
        for _ in range(count):
            member, position = _type_description(data, position, base, budget)
            members.append(member)
        budget.leave()
        return TypeDescription(tag, count, tuple(members),
                               sum(m.min_size for m in members)), position
    if tag in (NULL_DATA, DONT_CARE) or tag in _MIN_SIZES:
        return TypeDescription(tag, min_size=_MIN_SIZES.get(tag, 0)), position
    raise DlmsDecodeError(f"compact-array: unknown type description tag 0x{tag:02X}", base + start)


def _compact_array(data: bytes, position: int, base: int, budget: Budget
                   ) -> tuple[DlmsValue, int]:
    """A compact-array (``position`` just after tag 0x13), as an ARRAY of typed values."""
    start = position - 1
    budget.enter(base + start)
    description, position = _type_description(data, position, base, budget)
    length, position = read_length(data, position, base)
    _need(data, position, length, "compact-array contents", base)
    end = position + length
    if description.min_size == 0 and length:
        raise DlmsDecodeError("compact-array: a type whose values take no bytes cannot "
                              "fill non-empty contents", base + start)
    if length:
        budget.take(length // description.min_size, base + start, length)
    contents = data[:end]      # one copy, so no value can read past the contents
    items = []
    while position < end:
        item, position = _described(contents, position, base, description, budget)
        items.append(item)
    budget.leave()
    return DlmsValue(ARRAY, tuple(items), base + start), end


def _described(contents: bytes, position: int, base: int, description: TypeDescription,
               budget: Budget) -> tuple[DlmsValue, int]:
    """One value of compact-array contents, laid out by ``description`` (no tags). The
    recursion follows the type description, whose depth the budget has already bounded."""
    if description.min_size > len(contents) - position:
        raise DlmsDecodeError(f"compact-array contents end inside a {TYPE_NAMES.get(description.tag)}"
                              f" value ({description.min_size} byte(s) needed)", base + position)
    if description.tag in (ARRAY, STRUCTURE):
        start = position
        count = description.count
        # The size check above already holds the bytes; this claims the element budget.
        budget.take(count, base + start, count)
        items = []
        for index in range(count):
            member = description.members[0 if description.tag == ARRAY else index]
            item, position = _described(contents, position, base, member, budget)
            items.append(item)
        return DlmsValue(description.tag, tuple(items), base + start), position
    return _simple(contents, description.tag, position, position, base)


def decode_all(data: bytes, base: int = 0, budget: Budget | None = None) -> DlmsValue:
    """Decode exactly one Data value that fills ``data``."""
    check_size(data, base)
    value, position = decode_data(data, 0, base, budget)
    if position != len(data):
        raise DlmsDecodeError(f"{len(data) - position} byte(s) left after the Data value",
                              base + position)
    return value


# Inside shared_reads(): plain Access-Responses read once and not yet read again, by bytes.
_shared: ContextVar[dict[bytes, "AccessResponse"] | None] = ContextVar("pandc_dlms_shared",
                                                                       default=None)


@contextmanager
def shared_reads() -> Iterator[None]:
    """Within, the first read of a plain Access-Response (no ``base``, no ``budget``) is kept
    for the next read of the same bytes, which takes it and drops it: the payload splitter
    reads a response for its cipher spans and the use case reads it again for its values.
    The result is immutable and a function of the bytes alone, so sharing it changes nothing
    but the time; memory is bounded by the batch the caller decodes inside."""
    token = _shared.set({})
    try:
        yield
    finally:
        _shared.reset(token)


def forget_shared_read(apdu: bytes) -> None:
    """Drops a kept read nobody will take: a response whose attributes are ciphered is read
    again only once decrypted, as other bytes."""
    shared = _shared.get()
    if shared is not None:
        shared.pop(apdu, None)


def access_response(apdu: bytes, base: int = 0, budget: Budget | None = None) -> AccessResponse:
    """Decode a DLMS Access-Response (0xDA) as GBCS uses it.

    Layout: tag, long-invoke-id-and-priority (4), date-time (octet string, empty when
    absent), access-request-specification (OPTIONAL: 00 absent), list-of-data, list of
    access-response-specification (choice get/set/action + result). One ``budget`` covers
    the whole APDU (a fresh one when None); past it, :class:`LimitError` with the offset.
    """
    shared = _shared.get()
    if shared is None or base or budget is not None or type(apdu) is not bytes:
        return _access_response(apdu, base, budget)
    kept = shared.pop(apdu, None)
    if kept is not None:
        return kept
    response = _access_response(apdu, 0, None)
    shared[apdu] = response
    return response


def _access_response(apdu: bytes, base: int, budget: Budget | None) -> AccessResponse:
    check_size(apdu, base)
    if budget is None:
        budget = Budget()
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
    _claim(budget, count, base + position, len(apdu) - position)
    data = []
    for _ in range(count):
        value, position = decode_data(apdu, position, base, budget)
        data.append(value)
    count, position = read_length(apdu, position, base)
    _claim(budget, count, base + position, len(apdu) - position)
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


def _get_data_result(apdu: bytes, position: int, base: int, budget: Budget | None = None
                     ) -> tuple[GetResult, int]:
    _need(apdu, position, 1, "Get-Data-Result choice", base)
    choice = apdu[position]
    if choice == 0:
        value, position = decode_data(apdu, position + 1, base, budget)
        return GetResult(value, None), position
    if choice == 1:
        _need(apdu, position + 1, 1, "data-access-result", base)
        return GetResult(None, AccessResult("get", apdu[position + 1], base + position)), \
            position + 2
    raise DlmsDecodeError(f"unknown Get-Data-Result choice {choice}", base + position)


def get_response(apdu: bytes, base: int = 0) -> GetResponse:
    """Decode a DLMS Get-Response (0xC4): normal or with-list."""
    check_size(apdu, base)
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
        budget = Budget()
        _claim(budget, count, base + position, len(apdu) - position)
        results = []
        for _ in range(count):
            result, position = _get_data_result(apdu, position, base, budget)
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

    Shape (DLMS data protection, class 30): structure { array of structure { enum
    protection-type, structure(5) protection options }, octet-string protected-attributes }.
    """
    if value.tag != STRUCTURE or len(value.value) != 2:
        return None
    parameters, content = value.value
    if parameters.tag != ARRAY or content.tag != OCTET_STRING or not parameters.value:
        return None
    for entry in parameters.value:
        if entry.tag != STRUCTURE or len(entry.value) != 2 or entry.value[0].tag != ENUM \
                or entry.value[1].tag != STRUCTURE or len(entry.value[1].value) != 5:
            return None
    return ProtectedData(parameters, content.value, content.content_offset, content.offset)


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
    try:
        return (moment + timedelta(minutes=deviation)).replace(tzinfo=timezone.utc)
    except OverflowError:
        raise DlmsDecodeError("date-time with its deviation falls outside years 1-9999",
                              offset) from None
