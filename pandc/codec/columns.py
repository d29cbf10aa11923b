"""Column buffers for a batch of decoded headers: one flat buffer per field, no object per row.

The layout is ``pandc_capture_columns`` in csrc/gbcs_capture.h, which both the C core
(``_ccapture``) and its pure-Python twin (``_pycapture``) fill: little-endian values and
LSB-first validity bitmaps, the layouts Arrow arrays are made of, so ``pandc.io.arrow`` wraps
them without copying.
"""
from __future__ import annotations

import sys
from typing import Any

# csrc/gbcs_capture.h: error codes of the capture reader (the header decoder's are 1..18).
TEXT_NOT_ASCII = 32
TEXT_HEX_DIGIT = 33
TEXT_HEX_ODD = 34
TEXT_BASE64_CHAR = 35
TEXT_BASE64 = 36
RECORD_TRUNCATED = 37

CAPTURE_ERROR_REASONS = {
    TEXT_NOT_ASCII: "line is not ASCII hex or base64",
    TEXT_HEX_DIGIT: "invalid hex digit",
    TEXT_HEX_ODD: "odd number of hex digits: the last byte is incomplete",
    TEXT_BASE64_CHAR: "neither hex nor base64: invalid base64 character",
    TEXT_BASE64: "malformed base64",
    RECORD_TRUNCATED: "length-prefixed record runs past the end of the input",
}

# Clock status codes (dictionary indices) and their MMC ClockStatus names.
CLOCK_STATUS_NAMES = ("reliable", "unreliable", "invalid")

BITMAP = 0   # item size marker: one bit a row

# (field, bytes a row or BITMAP, struct format of one item), in pandc_capture_columns order.
FIELDS: tuple[tuple[str, int, str], ...] = (
    ("line", 8, "Q"),
    ("text_start", 8, "Q"),
    ("text_length", 4, "I"),
    ("error", 1, "B"),
    ("error_valid", BITMAP, "B"),
    ("offset", 4, "I"),
    ("offset_valid", BITMAP, "B"),
    ("header_valid", BITMAP, "B"),
    ("frame", 1, "B"),
    ("cra", 1, "B"),
    ("originator_counter", 8, "Q"),
    ("originator", 8, "B"),
    ("recipient", 8, "B"),
    ("message_code", 2, "H"),
    ("payload_length", 4, "I"),
    ("is_signed", BITMAP, "B"),
    ("supplementary_remote_party_id", 8, "B"),
    ("supplementary_remote_party_id_valid", BITMAP, "B"),
    ("supplementary_remote_party_counter", 8, "Q"),
    ("supplementary_remote_party_counter_valid", BITMAP, "B"),
    ("supplementary_originator_counter", 8, "Q"),
    ("supplementary_originator_counter_valid", BITMAP, "B"),
    ("date_time", 8, "q"),
    ("date_time_valid", BITMAP, "B"),
    ("time_status", 1, "B"),
    ("time_status_valid", BITMAP, "B"),
    ("clock_status", 1, "B"),
    ("clock_status_valid", BITMAP, "B"),
    ("is_from_gsme", BITMAP, "B"),
)

if sys.byteorder != "little":  # pragma: no cover - Arrow buffers are little-endian
    raise ImportError("pandc's column buffers assume a little-endian machine")


class Columns:
    """Zeroed buffers for ``capacity`` rows; ``rows`` of them are filled."""

    __slots__ = ("capacity", "rows", "buffers", "texts", "_c")

    def __init__(self, capacity: int) -> None:
        if capacity < 1:
            raise ValueError("a batch holds at least one row")
        self.capacity = capacity
        self.rows = 0
        self.buffers: dict[str, bytearray] = {
            name: bytearray((capacity + 7) // 8 if size == BITMAP else capacity * size)
            for name, size, _ in FIELDS
        }
        # Row -> raw line (or record), collected only when asked for: for rows whose error
        # is in the text, and for the full pipeline (keys, smets_data) every row.
        self.texts: dict[int, bytes] | None = None
        self._c: list[Any] | None = None   # the C struct (and what it points to), by _ccapture

    def view(self, name: str) -> "memoryview[int]":
        """The field's buffer as typed items (bitmaps as bytes)."""
        for field, _, item in FIELDS:
            if field == name:
                view: memoryview[int] = memoryview(self.buffers[name]).cast(item)  # type: ignore[call-overload]
                return view
        raise KeyError(name)
