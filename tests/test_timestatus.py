"""Date-time and time status (FACTS section 3, SECMP0015) on RTDS and edge cases."""
from __future__ import annotations

from datetime import datetime, timedelta, timezone

import pytest

import pandc
from pandc.testing import build_message
from pandc.codec.dates import decode_date_time, format_date_time
from conftest import rtds_files

SECMP0015_FOLDERS = ["4.1.1_GCS13a", "4.1.2_GCS13c", "4.1.4_GCS13b", "4.3_GCS14", "4.18_GCS60a"]


def expected_from_scenario(name: str):
    """(is_from_gsme, clock_status) a scenario's file name promises."""
    if "RELIABLE_GSME" in name and "UNRELIABLE" not in name:
        return True, "reliable"
    if "RELIABLE_GPF" in name and "UNRELIABLE" not in name:
        return False, "reliable"
    if "UNRELIABLE" in name:
        # RTDS's unreliable case is status 0x02 (GPF, doubtful): FACTS section 3. The GCS60a
        # file is named UNRELIABLE_GSME, but its status octet has bit 2 clear, and the bits rule.
        return False, "unreliable"
    return None, None


@pytest.mark.parametrize("folder", SECMP0015_FOLDERS)
def test_secmp0015_vectors(folder):
    responses = rtds_files(f"{folder}/*_RESPONSE_GBCS.HEX")
    assert responses
    checked = 0
    for path in responses:
        message = pandc.decode(path.read_text())
        gsme, clock = expected_from_scenario(path.name)
        if clock is None:
            continue
        checked += 1
        assert message.date_time is not None, path
        assert message.clock_status == clock, path
        assert message.is_from_gsme is gsme, path
        assert _time_warnings(message) == []
    assert checked >= 2


def test_gcs60_carries_no_date_time():
    for path in rtds_files("4.18_GCS60/*_RESPONSE_GBCS.HEX"):
        message = pandc.decode(path.read_text())
        assert message.use_case == "GCS60"
        assert message.date_time is None and message.time_status is None
        assert message.clock_status is None and message.is_from_gsme is None
        assert _time_warnings(message) == []


@pytest.mark.parametrize("status, clock, gsme", [
    (0x00, "reliable", False), (0x04, "reliable", True), (0x02, "unreliable", False),
    (0x06, "unreliable", True), (0x01, "invalid", False), (0x03, "invalid", False),
    (0x05, "invalid", True), (0x80, "reliable", False), (0x08, "reliable", False),
    (0xFF, None, None),
])
def test_clock_status_bits(status, clock, gsme):
    octets = bytes.fromhex("07EA0B17FF0C1E0000800000")[:11] + bytes([status])
    decoded = decode_date_time(octets)
    assert (decoded.time_status, decoded.clock_status, decoded.is_from_gsme) == (status, clock, gsme)
    assert decoded.value == datetime(2026, 11, 23, 12, 30, tzinfo=timezone.utc)


def test_deviation_is_minutes_from_local_time_to_utc():
    # DLMS: UTC = local + deviation, so CET (UTC+1) has deviation -60.
    octets = bytes.fromhex("07EA0B17FF0D1E0000") + (-60).to_bytes(2, "big", signed=True) + b"\x00"
    value = decode_date_time(octets).value
    assert value.utcoffset() == timedelta(hours=1)
    assert value.astimezone(timezone.utc).hour == 12


@pytest.mark.parametrize("octets, problem", [
    ("07DFFF01FF000000008000", "month"),
    ("FFFF0101FF000000008000", "year"),
    ("07DF021EFF000000008000", "day is out of range"),
    ("07DF0101FF180000008000", "hour must be"),
    ("07DF0101FF000000000400", "deviation"),
])
def test_impossible_dates_give_no_timestamp_and_a_warning(octets, problem):
    data = build_message(message_code=0x012A, date_time=bytes.fromhex(octets + "04"))
    message = pandc.decode(data)
    assert message.date_time is None
    assert message.time_status == 4 and message.is_from_gsme is True
    warnings = _time_warnings(message)
    assert len(warnings) == 1 and problem in warnings[0]


def test_hundredths_and_format():
    value = decode_date_time(bytes.fromhex("07EA0B17FF0C1E05328000" + "00")).value
    assert format_date_time(value) == "2026-11-23T12:30:05.5Z"
    assert format_date_time(datetime(2026, 1, 1, tzinfo=timezone.utc)) == "2026-01-01T00:00:00Z"


def _time_warnings(message) -> list[str]:
    """The header's date-time warnings (other layers may add their own, e.g. 'needs keys')."""
    return [w for w in message.warnings if "date-time" in w or "SECMP0015" in w]


def test_an_instant_whose_utc_leaves_the_calendar_is_a_warning_not_a_crash():
    # 9999-12-31 23:59:00 with a deviation of +720 minutes: UTC = local + deviation, past 9999
    for deviation in ("FD30", "02D0"):
        octets = bytes.fromhex("270F0C1FFF173B0000" + deviation + "00")
        data = build_message(message_code=0x012A, date_time=octets)
        message = pandc.decode(data)
        if message.date_time is None:
            assert any("not a valid xs:dateTime" in w for w in message.warnings)
        pandc.to_mmc(message)                        # never OverflowError
    octets = bytes.fromhex("00010101FF000000" "00" "FD30" "00")   # 0001-01-01 00:00, -720: year 0
    message = pandc.decode(build_message(message_code=0x012A, date_time=octets))
    assert message.date_time is None
    assert any("not a valid xs:dateTime" in w for w in message.warnings)
