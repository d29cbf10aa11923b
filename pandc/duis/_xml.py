"""Reading typed values out of DUIS elements; every failure names the element and its line."""
from __future__ import annotations

import base64
import binascii
import re
from datetime import date, datetime, time, timedelta, timezone
from decimal import Decimal, InvalidOperation

from typing import Any

from lxml import etree

from ..errors import DecodeError

SR_NAMESPACE = "http://www.dccinterface.co.uk/ServiceUserGateway"
SR = "{%s}" % SR_NAMESPACE
DS_NAMESPACE = "http://www.w3.org/2000/09/xmldsig#"


def local(tag: object) -> str:
    text = tag if isinstance(tag, str) else ""
    return text.rpartition("}")[2]


def where(element: etree._Element) -> str:
    return f"sr:{local(element.tag)} (line {line_of(element)})"


class DuisError(DecodeError):
    """A DUIS document that pandc cannot read: ``element`` names where, ``line`` its line."""

    def __init__(self, reason: str, element: str | None = None, line: int | None = None,
                 source: str | None = None):
        self.element = element
        self.line = line
        text = reason if element is None else f"{element}: {reason}"
        if line:
            text += f" (line {line})"
        super().__init__(text, None, 0, source)

    def __reduce__(self) -> tuple[Any, tuple[Any, ...]]:
        return (_rebuild, (self.reason, self.element, self.line, self.source))


def _rebuild(reason: str, element: str | None, line: int | None, source: str | None) -> DuisError:
    error = DuisError.__new__(DuisError)
    DecodeError.__init__(error, reason, None, 0, source)
    error.element, error.line = element, line
    return error


def line_of(element: etree._Element) -> int:
    """The element's source line (0 when unknown)."""
    line = element.sourceline
    return line if isinstance(line, int) else 0


def error_at(element: etree._Element, reason: str) -> DuisError:
    return DuisError(reason, f"sr:{local(element.tag)}", line_of(element) or None)


def children(element: etree._Element) -> list[etree._Element]:
    """Element children only (comments and processing instructions skipped)."""
    return list(element.iterchildren(etree.Element))


def child(element: etree._Element, name: str) -> etree._Element | None:
    return element.find(SR + name)


def required(element: etree._Element, name: str) -> etree._Element:
    found = element.find(SR + name)
    if found is None:
        raise error_at(element, f"missing sr:{name}")
    return found


def text(element: etree._Element) -> str:
    if len(element):
        raise error_at(element, "expected text, found child elements")
    return (element.text or "").strip()


def opt_text(element: etree._Element, name: str) -> str | None:
    found = element.find(SR + name)
    return None if found is None else text(found)


def req_text(element: etree._Element, name: str) -> str:
    return text(required(element, name))


_TZ = re.compile(r"(Z|[+-]\d\d:\d\d)$")


def _zone(suffix: str) -> timezone:
    if suffix == "Z":
        return timezone.utc
    sign = -1 if suffix[0] == "-" else 1
    hours, minutes = int(suffix[1:3]), int(suffix[4:6])
    return timezone(sign * timedelta(hours=hours, minutes=minutes))


def to_date(element: etree._Element) -> date:
    """xs:date, any year 0001-9999 (a time-zone suffix is accepted and dropped)."""
    value = text(element)
    bare = _TZ.sub("", value)
    if not re.fullmatch(r"\d{4}-\d\d-\d\d", bare):
        raise error_at(element, f"{value!r} is not an xs:date (YYYY-MM-DD)")
    try:
        return date.fromisoformat(bare)
    except ValueError as exc:
        raise error_at(element, f"{value!r} is not a valid date ({exc})") from None


def to_datetime(element: etree._Element) -> datetime:
    """xs:dateTime; without a zone it is taken as UTC (GB smart metering time is UTC)."""
    value = text(element)
    match = re.fullmatch(r"(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d)(\.\d+)?(Z|[+-]\d\d:\d\d)?", value)
    if not match:
        raise error_at(element, f"{value!r} is not an xs:dateTime")
    try:
        moment = datetime.fromisoformat(match.group(1))
    except ValueError as exc:
        raise error_at(element, f"{value!r} is not a valid date-time ({exc})") from None
    if match.group(2):
        digits = (match.group(2)[1:] + "000000")[:6]
        moment = moment.replace(microsecond=int(digits))
    return moment.replace(tzinfo=_zone(match.group(3) or "Z"))


def to_time(element: etree._Element) -> time:
    value = text(element)
    try:
        return time.fromisoformat(_TZ.sub("", value))
    except ValueError:
        raise error_at(element, f"{value!r} is not an xs:time") from None


def to_bool(element: etree._Element) -> bool:
    value = text(element)
    if value in ("true", "1"):
        return True
    if value in ("false", "0"):
        return False
    raise error_at(element, f"{value!r} is not an xs:boolean (true, false, 1 or 0)")


def to_int(element: etree._Element, minimum: int | None = None, maximum: int | None = None) -> int:
    value = text(element)
    if not re.fullmatch(r"[+-]?\d+", value):
        raise error_at(element, f"{value!r} is not an integer")
    number = int(value)
    if (minimum is not None and number < minimum) or (maximum is not None and number > maximum):
        raise error_at(element, f"{number} is out of range")
    return number


def to_decimal(element: etree._Element) -> Decimal:
    value = text(element)
    try:
        return Decimal(value)
    except InvalidOperation:
        raise error_at(element, f"{value!r} is not a decimal") from None


def to_hex(element: etree._Element) -> bytes:
    value = text(element)
    try:
        if len(value) % 2 or not value.isascii():
            raise ValueError(value)
        return bytes.fromhex(value)
    except ValueError:
        raise error_at(element, f"{value[:40]!r} is not xs:hexBinary") from None


def to_base64(element: etree._Element) -> bytes:
    value = "".join(text(element).split())
    try:
        return base64.b64decode(value, validate=True)
    except (binascii.Error, ValueError):
        raise error_at(element, "not valid base64") from None
