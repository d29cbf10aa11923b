"""The encoding rules catalogue entries use: request value → the bytes GBCS puts in the
command, with a reader that finds the field's extent in a command and shows it as a value.

DLMS (IEC 62056-6-2 A-XDR, as GBCS uses it in Access-Request data): one tag byte, then the
value big-endian; octet/visible strings and bit-strings carry a length. COSEM date-time is 12
octets (FACTS §3): GBCS writes day-of-week 0xFF, hundredths 0, deviation 0x8000 (unspecified,
time is UTC) and clock status 0xFF in commands.

ZCL (ZigBee SE 1.4 as GBCS uses it): integers little-endian; a UTCTime is an unsigned 32-bit
count of seconds since 2000-01-01T00:00:00Z.

Execution date-times (DUIS ``ExecutionDateTime``, optional): absent means "execute now",
and 3000-12-31T00:00:00Z is DUIS's cancellation of a pending future-dated command. GBCS
encodes them as all-zero / all-0xFF date-time octets (DLMS, apart from the deviation and
status octets) or as UTCTime 0 / 0xFFFFFFFF (ZCL).
"""
from __future__ import annotations

from datetime import datetime, time, timedelta, timezone
from typing import Any

from ..codec import dlms

UTC = timezone.utc
ZIGBEE_EPOCH = datetime(2000, 1, 1, tzinfo=UTC)
CANCELLATION = datetime(3000, 12, 31, tzinfo=UTC)

# DLMS A-XDR data tags (IEC 62056-6-2, table "Data"), under the short names the catalogue
# uses; the values are pandc.codec.dlms's.
BOOLEAN, BIT_STRING, OCTET_STRING, VISIBLE_STRING = (dlms.BOOLEAN, dlms.BIT_STRING,
                                                     dlms.OCTET_STRING, dlms.VISIBLE_STRING)
INT32, UINT32, INT8, INT16 = dlms.DOUBLE_LONG, dlms.DOUBLE_LONG_UNSIGNED, dlms.INTEGER, dlms.LONG
UINT8, UINT16, INT64, UINT64 = (dlms.UNSIGNED, dlms.LONG_UNSIGNED, dlms.LONG64,
                                dlms.LONG64_UNSIGNED)
ENUM, NULL_DATA = dlms.ENUM, dlms.NULL_DATA
_INT_SIZES = {INT32: (4, True), UINT32: (4, False), INT8: (1, True), INT16: (2, True),
              UINT8: (1, False), UINT16: (2, False), INT64: (8, True), UINT64: (8, False),
              ENUM: (1, False)}


class EncodeError(ValueError):
    """A request value GBCS cannot carry in this field (out of range, wrong type)."""


# --- DLMS ----------------------------------------------------------------------------------

def dlms_int(tag: int, value: int) -> bytes:
    size, signed = _INT_SIZES[tag]
    try:
        return bytes([tag]) + int(value).to_bytes(size, "big", signed=signed)
    except OverflowError:
        raise EncodeError(f"{value} does not fit a DLMS {dlms.TYPE_NAMES[tag]}") from None


def dlms_bool(value: bool) -> bytes:
    return bytes([BOOLEAN, 0xFF if value else 0x00])


def dlms_octets(value: bytes) -> bytes:
    return bytes([OCTET_STRING]) + _a_xdr_length(len(value)) + value


def dlms_visible(value: str) -> bytes:
    try:
        raw = value.encode("ascii")
    except UnicodeEncodeError:
        raise EncodeError(f"{value!r} is not a visible string (ASCII)") from None
    return bytes([VISIBLE_STRING]) + _a_xdr_length(len(raw)) + raw


def dlms_bits(bits: int, octets: bytes) -> bytes:
    return bytes([BIT_STRING]) + _a_xdr_length(bits) + octets


def _a_xdr_length(n: int) -> bytes:
    if n < 0x80:
        return bytes([n])
    if n < 0x100:
        return bytes([0x81, n])
    return bytes([0x82]) + n.to_bytes(2, "big")


def read_dlms_leaf(data: bytes, pos: int) -> tuple[int, Any]:
    """One DLMS Data value that is not an array or structure (those are template constants),
    read with :func:`pandc.codec.dlms.decode_simple`, which refuses containers, so this
    reader never nests."""
    value, end = dlms.decode_simple(data, pos)
    return end, value.value


def dlms_leaf_display(octets: bytes) -> Any:
    return read_dlms_leaf(octets, 0)[1]


def _instant(moment: object) -> datetime:
    if not isinstance(moment, datetime):
        raise EncodeError(f"{moment!r} is not an xs:dateTime")
    return moment


def cosem_date_time(moment: datetime) -> bytes:
    """12 octets as GBCS commands carry a specified instant (UTC, deviation unspecified)."""
    moment = _instant(moment)
    moment = moment.astimezone(UTC)
    if not 0 <= moment.year <= 0xFFFE:
        raise EncodeError(f"year {moment.year} cannot be a COSEM date-time")
    return (moment.year.to_bytes(2, "big") + bytes([moment.month, moment.day, 0xFF,
            moment.hour, moment.minute, moment.second, moment.microsecond // 10_000])
            + b"\x80\x00\xff")


def execution_date_time(moment: datetime | None) -> bytes:
    """DLMS octets of an ExecutionDateTime: immediate, cancellation or the instant."""
    if moment is None:
        return bytes(9) + b"\x80\x00\xff"
    if _instant(moment) == CANCELLATION:
        return b"\xff" * 9 + b"\x80\x00\xff"
    return cosem_date_time(moment)


def cosem_display(octets: bytes) -> Any:
    """A 09 0C date-time element shown as the request would write it."""
    end, raw = read_dlms_leaf(octets, 0)
    if not isinstance(raw, bytes) or len(raw) != 12:
        return octets.hex().upper()
    if raw[:9] == bytes(9):
        return "(immediate)"
    if raw[:9] == b"\xff" * 9:
        return CANCELLATION
    try:
        year = int.from_bytes(raw[:2], "big")
        return datetime(year, raw[2], raw[3], raw[5], raw[6], raw[7],
                        (raw[8] if raw[8] != 0xFF else 0) * 10_000, UTC)
    except ValueError:
        return raw.hex().upper()


def cosem_time(value: time) -> bytes:
    """4 octets: hour, minute, second, hundredths."""
    if not isinstance(value, time):
        raise EncodeError(f"{value!r} is not an xs:time")
    return bytes([value.hour, value.minute, value.second, value.microsecond // 10_000])


# --- ZCL -----------------------------------------------------------------------------------

def le(value: int, size: int, signed: bool = False) -> bytes:
    try:
        return int(value).to_bytes(size, "little", signed=signed)
    except OverflowError:
        raise EncodeError(f"{value} does not fit {size} octet(s)") from None


def le_display(signed: bool = False) -> Any:
    return lambda octets: int.from_bytes(octets, "little", signed=signed)


def utc_time(moment: datetime) -> bytes:
    moment = _instant(moment)
    seconds = int((moment.astimezone(UTC) - ZIGBEE_EPOCH).total_seconds())
    if not 0 <= seconds < 0xFFFFFFFF:
        raise EncodeError(f"{moment.isoformat()} is outside the ZigBee UTCTime range")
    return le(seconds, 4)


def execution_utc_time(moment: datetime | None) -> bytes:
    if moment is None:
        return bytes(4)
    if _instant(moment) == CANCELLATION:
        return b"\xff" * 4
    return utc_time(moment)


def utc_display(octets: bytes) -> Any:
    seconds = int.from_bytes(octets, "little")
    if seconds == 0:
        return "(immediate)"
    if seconds == 0xFFFFFFFF:
        return CANCELLATION
    return ZIGBEE_EPOCH + timedelta(seconds=seconds)
