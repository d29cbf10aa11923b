"""The C capture reader (csrc/gbcs_capture.c) behind pandc.codec.capture.

A separate module from ``_cheader`` because it binds a different C entry point with its own
concern (text to column buffers); it takes ``ffi`` and ``lib`` from ``_cheader``, which stays
the only importer of the compiled module and checks its ABI.
"""
from __future__ import annotations

from typing import Any

from . import _cheader
from .columns import FIELDS, Columns

# _cheader is the one importer of the compiled module (and checks its ABI); its names here.
ffi: Any = getattr(_cheader, "ffi")
lib: Any = getattr(_cheader, "lib")
_C_TYPES = {"Q": "uint64_t[]", "q": "int64_t[]", "I": "uint32_t[]", "H": "uint16_t[]", "B": "uint8_t[]"}


def _struct(columns: Columns) -> Any:
    keepalive = columns._c
    if keepalive is None:
        struct = ffi.new("pandc_capture_columns *")
        keepalive = [struct]
        for name, _, item in FIELDS:
            pointer = ffi.from_buffer(_C_TYPES[item], columns.buffers[name])
            setattr(struct, name, pointer)
            keepalive.append(pointer)
        struct.capacity = columns.capacity
        columns._c = keepalive
    struct = keepalive[0]
    struct.rows = columns.rows
    return struct


def fill_lines(text: bytes | bytearray | memoryview, start: int, first_line: int, final: bool,
               columns: Columns, scratch: bytearray) -> tuple[int, int]:
    """Rows from the lines of text[start:]; returns (bytes consumed, lines read)."""
    length = len(text) - start
    if len(scratch) < 2 * length:
        raise ValueError("scratch must hold twice the text")
    struct = _struct(columns)
    consumed, counted = ffi.new("size_t *"), ffi.new("uint64_t *")
    lib.pandc_capture_lines(ffi.from_buffer("uint8_t[]", text) + start, length, first_line,
                            1 if final else 0, struct, ffi.from_buffer("uint8_t[]", scratch),
                            consumed, counted)
    columns.rows = struct.rows
    return consumed[0], counted[0]


def fill_records(data: bytes | bytearray | memoryview, start: int, first_record: int,
                 final: bool, columns: Columns) -> tuple[int, int]:
    """Rows from length-prefixed records of data[start:]; returns (bytes consumed, records)."""
    struct = _struct(columns)
    consumed, counted = ffi.new("size_t *"), ffi.new("uint64_t *")
    lib.pandc_capture_records(ffi.from_buffer("uint8_t[]", data) + start, len(data) - start,
                              first_record, 1 if final else 0, struct, consumed, counted)
    columns.rows = struct.rows
    return consumed[0], counted[0]


def format_sources(prefix: bytes, columns: Columns) -> tuple[bytearray, bytearray] | None:
    """(int32 offsets, data) of the strings prefix + line number of every row, or None when
    they do not fit an Arrow string column."""
    rows = columns.rows
    capacity = rows * (len(prefix) + 20)
    offsets = bytearray(4 * (rows + 1))
    data = bytearray(max(capacity, 1))
    written = lib.pandc_format_sources(prefix, len(prefix), ffi.from_buffer("uint64_t[]", columns.buffers["line"]),
                                       rows, ffi.from_buffer("int32_t[]", offsets),
                                       ffi.from_buffer("uint8_t[]", data), capacity)
    if written < 0:
        return None
    del data[written:]
    return offsets, data


def format_sources_into(prefix: bytes, columns: Columns, offsets: Any, data: Any) -> int:
    """format_sources into caller-owned writable buffers (offsets: 4 * (rows + 1) bytes);
    returns the data bytes written, or -1 when they do not fit ``data`` or an int32."""
    written: int = lib.pandc_format_sources(
        prefix, len(prefix), ffi.from_buffer("uint64_t[]", columns.buffers["line"]), columns.rows,
        ffi.from_buffer("int32_t[]", offsets, require_writable=True),
        ffi.from_buffer("uint8_t[]", data, require_writable=True), len(data))
    return written
