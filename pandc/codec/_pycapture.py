"""Pure-Python twin of csrc/gbcs_capture.c: fills the same column buffers byte for byte.

It reads lines as ``pandc.io.sources`` does, turns text into bytes with
``pandc.codec.text.text_to_bytes``, decodes headers with the header twin and instants with
``pandc.codec.dates``, so the C reader, checked against this twin, is checked against the
rules the rest of pandc (and its JSON Lines) follows.
"""
from __future__ import annotations

import struct
from datetime import datetime, timedelta, timezone

from ..errors import DecodeError
from ._pyheader import _decode, _Fail
from .columns import (
    RECORD_TRUNCATED, TEXT_BASE64, TEXT_BASE64_CHAR, TEXT_HEX_DIGIT, TEXT_HEX_ODD,
    TEXT_NOT_ASCII, Columns,
)
from .dates import clock_status_of, decode_date_time
from .rawheader import HAS_DATE_TIME, HAS_SIGNATURE_FIELD, HAS_SO_COUNTER, HAS_SRP_COUNTER, HAS_SRP_ID
from .text import text_to_bytes

_EPOCH = datetime(1970, 1, 1, tzinfo=timezone.utc)
_MICROSECOND = timedelta(microseconds=1)
_CLOCK_CODES = {"reliable": 0, "unreliable": 1, "invalid": 2}
# pandc.codec.text's reasons, by how they begin, to the capture reader's codes.
_TEXT_ERRORS = (
    ("invalid hex digit", TEXT_HEX_DIGIT),
    ("odd number of hex digits", TEXT_HEX_ODD),
    ("neither hex nor base64", TEXT_BASE64_CHAR),
    ("malformed base64", TEXT_BASE64),
)


def text_error_code(error: DecodeError) -> int:
    for start, code in _TEXT_ERRORS:
        if error.reason.startswith(start):
            return code
    raise ValueError(f"no capture error code for {error.reason!r}")


def _utc_representable(moment: datetime) -> bool:
    """Whether the instant in UTC is still a date (years 1-9999): near those ends a local
    time with a deviation can fall outside, where it cannot be written as UTC."""
    try:
        moment.astimezone(timezone.utc)
    except OverflowError:
        return False
    return True


class _Writer:
    """Typed views of one Columns' buffers."""

    def __init__(self, columns: Columns) -> None:
        self.columns = columns
        self.v: dict[str, memoryview[int]] = {name: columns.view(name) for name in columns.buffers}

    def new_row(self, number: int, text_start: int, text_length: int) -> int:
        row = self.columns.rows
        self.columns.rows = row + 1
        self.v["line"][row] = number
        self.v["text_start"][row] = text_start
        self.v["text_length"][row] = min(text_length, 0xFFFFFFFF)
        return row

    @staticmethod
    def set(bitmap: memoryview, row: int) -> None:
        bitmap[row >> 3] |= 1 << (row & 7)

    def fail(self, row: int, code: int, offset: int | None) -> None:
        self.v["error"][row] = code
        self.set(self.v["error_valid"], row)
        if offset is not None:
            self.v["offset"][row] = offset
            self.set(self.v["offset_valid"], row)

    def message(self, row: int, data: bytes) -> None:
        try:
            raw = _decode(data)
        except _Fail as failure:
            self.fail(row, failure.code, failure.offset)
            return
        self.set(self.v["header_valid"], row)
        self.v["frame"][row] = raw.frame
        self.v["cra"][row] = raw.cra
        self.v["originator_counter"][row] = raw.originator_counter
        self.v["originator"][row * 8:row * 8 + 8] = raw.originator
        self.v["recipient"][row * 8:row * 8 + 8] = raw.recipient
        self.v["message_code"][row] = raw.message_code
        self.v["payload_length"][row] = raw.content_length
        flags = raw.flags
        if flags & HAS_SIGNATURE_FIELD and raw.signature_length:
            self.set(self.v["is_signed"], row)
        if flags & HAS_SRP_ID:
            self.v["supplementary_remote_party_id"][row * 8:row * 8 + 8] = raw.supplementary_remote_party_id
            self.set(self.v["supplementary_remote_party_id_valid"], row)
        if flags & HAS_SRP_COUNTER:
            self.v["supplementary_remote_party_counter"][row] = raw.supplementary_remote_party_counter
            self.set(self.v["supplementary_remote_party_counter_valid"], row)
        if flags & HAS_SO_COUNTER:
            self.v["supplementary_originator_counter"][row] = raw.supplementary_originator_counter
            self.set(self.v["supplementary_originator_counter_valid"], row)
        if flags & HAS_DATE_TIME:
            decoded = decode_date_time(raw.date_time)
            self.v["time_status"][row] = decoded.time_status
            self.set(self.v["time_status_valid"], row)
            if decoded.value is not None and _utc_representable(decoded.value):
                self.v["date_time"][row] = (decoded.value - _EPOCH) // _MICROSECOND
                self.set(self.v["date_time_valid"], row)
            clock = clock_status_of(decoded.time_status)
            if clock is not None:
                self.v["clock_status"][row] = _CLOCK_CODES[clock]
                self.set(self.v["clock_status_valid"], row)
                if decoded.is_from_gsme:
                    self.set(self.v["is_from_gsme"], row)


def fill_lines(text: bytes | bytearray | memoryview, start: int, first_line: int, final: bool,
               columns: Columns, scratch: bytearray | None = None) -> tuple[int, int]:
    """Rows from the lines of text[start:]; returns (bytes consumed, lines read)."""
    if isinstance(text, memoryview):
        text = text.tobytes()   # the reader's buffer; find() needs bytes
    writer = _Writer(columns)
    pos, end, number = start, len(text), first_line
    while pos < end and columns.rows < columns.capacity:
        newline = text.find(b"\n", pos)
        if newline >= 0:
            raw, after = text[pos:newline], newline + 1
        elif final:
            raw, after = text[pos:end], end
        else:
            break
        line_number, number = number, number + 1
        try:
            line = bytes(raw).decode("ascii").strip()
        except UnicodeDecodeError:
            row = writer.new_row(line_number, pos - start, len(raw))
            writer.fail(row, TEXT_NOT_ASCII, None)
            pos = after
            continue
        if not line or line.startswith("#"):
            pos = after
            continue
        row = writer.new_row(line_number, pos - start, len(raw))
        pos = after
        try:
            data = text_to_bytes(line)
        except DecodeError as error:
            writer.fail(row, text_error_code(error), error.offset)
            continue
        writer.message(row, data)
    return pos - start, number - first_line


def fill_records(data: bytes | bytearray | memoryview, start: int, first_record: int, final: bool,
                 columns: Columns) -> tuple[int, int]:
    """Rows from length-prefixed records of data[start:]; returns (bytes consumed, records)."""
    writer = _Writer(columns)
    pos, end, number = start, len(data), first_record
    while pos < end and columns.rows < columns.capacity:
        left = end - pos
        if left >= 4:
            length = int.from_bytes(data[pos:pos + 4], "big")
            if length <= left - 4:
                row = writer.new_row(number, pos - start, length + 4)
                number += 1
                writer.message(row, bytes(data[pos + 4:pos + 4 + length]))
                pos += 4 + length
                continue
        if not final:
            break
        row = writer.new_row(number, pos - start, left)
        number += 1
        writer.fail(row, RECORD_TRUNCATED, None)
        pos = end
    return pos - start, number - first_record


def format_sources(prefix: bytes, columns: Columns) -> tuple[bytearray, bytearray] | None:
    """(int32 offsets, data) of the strings prefix + line number of every row, or None when
    they do not fit an Arrow string column."""
    lines = columns.view("line")[:columns.rows]
    data = bytearray()
    offsets = [0]
    for number in lines:
        data += prefix + str(number).encode("ascii")
        offsets.append(len(data))
    if len(data) > 0x7FFFFFFF:
        return None
    return bytearray(struct.pack(f"<{len(offsets)}i", *offsets)), data
