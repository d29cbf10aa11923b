"""Date-times: the 12-octet GBCS/COSEM date-time, its time status (FACTS section 3,
SECMP0015), and the one xs:dateTime formatter pandc writes instants with."""
from __future__ import annotations

from datetime import datetime, timedelta, timezone
from typing import NamedTuple

NOT_SPECIFIED = 0xFF
STATUS_NOT_SPECIFIED = 0xFF
DEVIATION_NOT_SPECIFIED = -0x8000   # 0x8000 read as a signed 16-bit value

BIT_INVALID = 0x01
BIT_DOUBTFUL = 0x02
BIT_DIFFERENT_CLOCK_BASE = 0x04     # for GPF responses: the time came from the GSME


class DateTime(NamedTuple):
    value: datetime | None          # None when the octets are not a real instant
    time_status: int
    clock_status: str | None        # 'reliable' | 'unreliable' | 'invalid' | None
    is_from_gsme: bool | None
    warning: str | None


def clock_status_of(status: int) -> str | None:
    if status == STATUS_NOT_SPECIFIED:
        return None
    if status & BIT_INVALID:
        return "invalid"
    if status & BIT_DOUBTFUL:
        return "unreliable"
    return "reliable"


def is_from_gsme_of(status: int) -> bool | None:
    if status == STATUS_NOT_SPECIFIED:
        return None
    return bool(status & BIT_DIFFERENT_CLOCK_BASE)


def _instant(octets: bytes) -> tuple[datetime | None, str | None]:
    year = (octets[0] << 8) | octets[1]
    month, day, _weekday, hour, minute, second, hundredths = octets[2:9]
    deviation = int.from_bytes(octets[9:11], "big", signed=True)
    unspecified = [name for name, value, blank in (
        ("year", year, 0xFFFF), ("month", month, NOT_SPECIFIED), ("day", day, NOT_SPECIFIED),
        ("hour", hour, NOT_SPECIFIED), ("minute", minute, NOT_SPECIFIED),
        ("second", second, NOT_SPECIFIED)) if value == blank]
    if unspecified:
        return None, f"{', '.join(unspecified)} not specified (0xFF)"
    if hundredths == NOT_SPECIFIED:
        hundredths = 0
    if hundredths > 99:
        return None, f"hundredths {hundredths} out of range"
    if deviation == DEVIATION_NOT_SPECIFIED:
        # GB smart metering time is UTC.
        zone = timezone.utc
    elif -720 <= deviation <= 720:
        # DLMS deviation is minutes from local time to UTC (UTC = local + deviation).
        zone = timezone(timedelta(minutes=-deviation)) if deviation else timezone.utc
    else:
        return None, f"deviation {deviation} minutes out of range"
    try:
        moment = datetime(year, month, day, hour, minute, second, hundredths * 10000, tzinfo=zone)
        # Every instant is written in UTC: one whose UTC falls outside years 1-9999 (e.g.
        # 9999-12-31 23:59 with a deviation) cannot be an xs:dateTime pandc writes.
        moment.astimezone(timezone.utc)
    except (ValueError, OverflowError) as exc:
        return None, f"{year:04d}-{month:02d}-{day:02d} {hour:02d}:{minute:02d}:{second:02d}: {exc}"
    return moment, None


def decode_date_time(octets: bytes) -> DateTime:
    """Decodes the 12 date-time octets of a grouping header."""
    if len(octets) != 12:
        raise ValueError("a GBCS date-time is 12 octets")
    status = octets[11]
    value, problem = _instant(octets)
    warning = None
    if problem:
        warning = (f"grouping-header date-time {octets.hex().upper()} is not a valid xs:dateTime "
                   f"({problem}); no Timestamp is written")
    return DateTime(value, status, clock_status_of(status), is_from_gsme_of(status), warning)


def format_date_time(moment: datetime) -> str:
    """xs:dateTime in UTC with a 'Z', fractions of a second only when present.

    The one formatter of instants: MMC text, JSON Lines and the value tree all use it, so the
    same instant is never written two ways.
    """
    if moment.tzinfo is not None:
        moment = moment.astimezone(timezone.utc)
    text = moment.strftime("%Y-%m-%dT%H:%M:%S")
    if moment.microsecond:
        text += (".%06d" % moment.microsecond).rstrip("0")
    return text + "Z"
