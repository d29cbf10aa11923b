"""ASN.1 DER reader for the GBCS payloads that are not GBZ or DLMS (CS02x, CS03x, CS04x, CS06,
CS07, CS08, CCS08, GCS28, GCS59, GCS62 and their alerts; FACTS section 2).

An element is an identifier (tag class, constructed bit, tag number), a definite length read
by :func:`pandc.codec.ber.read_length` (the one length reader; indefinite lengths are refused)
and its content. GBCS writes some lengths in a longer form than DER's shortest (e.g.
``30 82 00 DE``), so shortest-form lengths are not demanded.

Nothing here recurses: :func:`check_tree` walks a whole payload with an explicit stack inside a
:class:`~pandc.codec.limits.Budget` (depth, element count), so a hostile payload fails with a
:class:`~pandc.codec.limits.LimitError` naming the byte offset, quickly. Decoders then read
one constructed element at a time with :class:`Cursor`.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timezone

from ..errors import DecodeError
from .ber import read_length
from .fastdata import fast_init
from .limits import Budget, check_size

UNIVERSAL, APPLICATION, CONTEXT, PRIVATE = 0, 1, 2, 3
CLASS_NAMES = ("universal", "application", "context", "private")

# Universal tag numbers GBCS uses
BOOLEAN = 1
INTEGER = 2
BIT_STRING = 3
OCTET_STRING = 4
NULL = 5
ENUMERATED = 10
SEQUENCE = 16
GENERALIZED_TIME = 24

MAX_TAG_OCTETS = 3            # high-tag-number form: tag numbers below 2**21


class Asn1Error(DecodeError):
    """A DER element that is truncated, malformed or not what the structure calls for."""


@fast_init
@dataclass(frozen=True, slots=True)
class Element:
    """One DER element of ``data``: ``offset`` is where its identifier starts, the content
    is ``data[start:end]``; offsets in errors are ``base + offset``."""

    tag_class: int
    constructed: bool
    number: int
    offset: int
    start: int
    end: int

    @property
    def length(self) -> int:
        return self.end - self.start

    def is_universal(self, number: int) -> bool:
        return self.tag_class == UNIVERSAL and self.number == number

    def describe(self) -> str:
        if self.tag_class == UNIVERSAL:
            name = _UNIVERSAL_NAMES.get(self.number, f"universal {self.number}")
        else:
            name = f"[{CLASS_NAMES[self.tag_class]} {self.number}]"
        return name + (" (constructed)" if self.constructed and self.number != SEQUENCE else "")


_UNIVERSAL_NAMES = {BOOLEAN: "BOOLEAN", INTEGER: "INTEGER", BIT_STRING: "BIT STRING",
                    OCTET_STRING: "OCTET STRING", NULL: "NULL", ENUMERATED: "ENUMERATED",
                    SEQUENCE: "SEQUENCE", 17: "SET", GENERALIZED_TIME: "GeneralizedTime"}


def read_element(data: bytes, position: int, end: int | None = None,
                 base: int = 0) -> Element:
    """The element whose identifier is at ``position``, contained in ``data[:end]``."""
    if end is None:
        end = len(data)
    if position >= end:
        raise Asn1Error("element identifier runs past the end", base + position)
    first = data[position]
    tag_class = first >> 6
    constructed = bool(first & 0x20)
    number = first & 0x1F
    cursor = position + 1
    if number == 0x1F:
        number = 0
        for count in range(MAX_TAG_OCTETS + 1):
            if cursor >= end:
                raise Asn1Error("tag number runs past the end", base + position)
            if count == MAX_TAG_OCTETS:
                raise Asn1Error(f"tag number longer than {MAX_TAG_OCTETS} octets",
                                base + position)
            octet = data[cursor]
            cursor += 1
            number = (number << 7) | (octet & 0x7F)
            if not octet & 0x80:
                break
    length, start = read_length(data, cursor, base, end)
    if length > end - start:
        raise Asn1Error(f"{'constructed' if constructed else 'primitive'} element claims "
                        f"{length} bytes, only {end - start} remain", base + position)
    return Element(tag_class, constructed, number, position, start, start + length)


def check_tree(data: bytes, base: int = 0, budget: Budget | None = None) -> list[Element]:
    """Read every element of ``data`` (one or more top-level elements filling it exactly),
    checking lengths, nesting depth and element count; returns the top-level elements."""
    check_size(data, base)
    budget = budget or Budget()
    top: list[Element] = []
    # Each stack entry: (position of the next child, end of the enclosing content).
    stack: list[tuple[int, int]] = [(0, len(data))]
    while stack:
        position, end = stack[-1]
        if position == end:
            stack.pop()
            if stack:
                budget.leave()
            continue
        element = read_element(data, position, end, base)
        budget.take(1, base + position, end - position)
        stack[-1] = (element.end, end)
        if len(stack) == 1:
            top.append(element)
        if element.constructed:
            budget.enter(base + position)
            stack.append((element.start, element.end))
    return top


def children(data: bytes, element: Element, base: int = 0) -> list[Element]:
    """The elements that fill a constructed element's content exactly (one level)."""
    if not element.constructed:
        raise Asn1Error(f"expected a constructed element, found {element.describe()}",
                        base + element.offset)
    found = []
    position = element.start
    while position < element.end:
        child = read_element(data, position, element.end, base)
        found.append(child)
        position = child.end
    return found


class Cursor:
    """Reads the children of one constructed element in order, as a SEQUENCE is read."""

    __slots__ = ("data", "base", "items", "index", "parent")

    def __init__(self, data: bytes, element: Element, base: int = 0) -> None:
        self.data = data
        self.base = base
        self.parent = element
        self.items = children(data, element, base)
        self.index = 0

    def at_end(self) -> bool:
        return self.index >= len(self.items)

    def peek(self) -> Element | None:
        return None if self.at_end() else self.items[self.index]

    def next(self, what: str, number: int | None = None, tag_class: int = UNIVERSAL) -> Element:
        """The next element, which must have this tag when ``number`` is given."""
        if self.at_end():
            raise Asn1Error(f"{what} missing at the end of {self.parent.describe()}",
                            self.base + self.parent.end)
        element = self.items[self.index]
        if number is not None and (element.number != number or element.tag_class != tag_class):
            raise Asn1Error(f"{what}: expected {_expected(number, tag_class)}, found "
                            f"{element.describe()}", self.base + element.offset)
        self.index += 1
        return element

    def optional(self, number: int, tag_class: int = UNIVERSAL) -> Element | None:
        element = self.peek()
        if element is not None and element.number == number and element.tag_class == tag_class:
            self.index += 1
            return element
        return None

    def finish(self, what: str) -> None:
        if not self.at_end():
            element = self.items[self.index]
            raise Asn1Error(f"unexpected {element.describe()} after the end of {what}",
                            self.base + element.offset)


def _expected(number: int, tag_class: int) -> str:
    if tag_class == UNIVERSAL:
        return _UNIVERSAL_NAMES.get(number, f"universal {number}")
    return f"[{CLASS_NAMES[tag_class]} {number}]"


# --- primitive values ------------------------------------------------------------------------

def _primitive(element: Element, what: str, base: int) -> None:
    if element.constructed:
        raise Asn1Error(f"{what} must be primitive", base + element.offset)


def integer(data: bytes, element: Element, base: int = 0) -> int:
    """A two's-complement INTEGER or ENUMERATED value."""
    _primitive(element, "INTEGER", base)
    if element.length == 0:
        raise Asn1Error("INTEGER with no content octets", base + element.offset)
    return int.from_bytes(data[element.start:element.end], "big", signed=True)


def octets(data: bytes, element: Element, base: int = 0) -> bytes:
    _primitive(element, "OCTET STRING", base)
    return bytes(data[element.start:element.end])


def null(data: bytes, element: Element, base: int = 0) -> None:
    _primitive(element, "NULL", base)
    if element.length:
        raise Asn1Error("NULL with content octets", base + element.offset)


def bit_string(data: bytes, element: Element, base: int = 0) -> tuple[int, bytes]:
    """(unused bits in the last octet, the octets)."""
    _primitive(element, "BIT STRING", base)
    if element.length == 0 or data[element.start] > 7:
        raise Asn1Error("BIT STRING without a valid unused-bits octet", base + element.offset)
    return data[element.start], bytes(data[element.start + 1:element.end])


def generalized_time(data: bytes, element: Element, base: int = 0) -> datetime:
    """A GeneralizedTime in UTC as DER writes it: YYYYMMDDHHMMSS[.fff]Z."""
    _primitive(element, "GeneralizedTime", base)
    raw = bytes(data[element.start:element.end])
    try:
        text = raw.decode("ascii")
    except UnicodeDecodeError:
        raise Asn1Error("GeneralizedTime is not ASCII", base + element.start) from None
    if not text.endswith("Z") or len(text) < 15 or not text[:14].isdigit():
        raise Asn1Error(f"GeneralizedTime {text!r} is not YYYYMMDDHHMMSS[.f]Z",
                        base + element.start)
    fraction = text[14:-1]
    micro = 0
    if fraction:
        digits = fraction[1:]
        if fraction[0] != "." or not digits.isdigit() or len(digits) > 6:
            raise Asn1Error(f"GeneralizedTime {text!r} has a bad fraction", base + element.start)
        micro = int(digits.ljust(6, "0"))
    try:
        return datetime(int(text[0:4]), int(text[4:6]), int(text[6:8]), int(text[8:10]),
                        int(text[10:12]), int(text[12:14]), micro, tzinfo=timezone.utc)
    except ValueError as exc:
        raise Asn1Error(f"GeneralizedTime {text!r}: {exc}", base + element.start) from None


__all__ = ["APPLICATION", "Asn1Error", "BIT_STRING", "BOOLEAN", "CONTEXT", "Cursor", "ENUMERATED",
           "Element", "GENERALIZED_TIME", "INTEGER", "NULL", "OCTET_STRING", "PRIVATE",
           "SEQUENCE", "UNIVERSAL", "bit_string", "check_tree", "children", "generalized_time",
           "integer", "null", "octets", "read_element"]
