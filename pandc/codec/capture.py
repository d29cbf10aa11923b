"""Capture files to column batches: the C reader when it loads, its pure-Python twin otherwise.

A capture is text with one message a line (hex or base64; blank lines and ``#`` comments
skipped), or binary records (a 4-byte big-endian length, then the message). The stream is
read in chunks cut at line (record) boundaries, so memory stays flat whatever its size;
each batch is a :class:`~pandc.codec.columns.Columns` of at most ``batch_size`` rows.
``PANDC_PURE_PYTHON=1`` forces the twin, as for the header decoder.
"""
from __future__ import annotations

import io
import re
from collections.abc import Iterable, Iterator
from types import ModuleType
from typing import Any, BinaryIO

from .backend import load as load_backend
from ..errors import DecodeError
from .columns import Columns

CHUNK_SIZE = 1 << 22       # bytes read at a time
LINES = "lines"
RECORDS = "records"


_backend, BACKEND = load_backend("_ccapture", "_pycapture")


def format_sources(prefix: bytes, columns: Columns, backend: ModuleType | None = None
                   ) -> tuple[bytearray, bytearray] | None:
    """The Arrow string buffers (int32 offsets, data) of prefix + line for every row."""
    result: tuple[bytearray, bytearray] | None = (backend or _backend).format_sources(prefix, columns)
    return result


def format_sources_into(prefix: bytes, columns: Columns, offsets: Any, data: Any,
                        backend: ModuleType | None = None) -> int:
    """format_sources written into caller-owned writable buffers (``offsets``: 4 * (rows + 1)
    bytes), so a caller can hand in memory it has not had to zero (an Arrow pool's); returns
    the data bytes written, or -1 when they do not fit ``data`` or an Arrow string column."""
    backend = backend or _backend
    into = getattr(backend, "format_sources_into", None)
    if into is not None:
        written: int = into(prefix, columns, offsets, data)
        return written
    buffers = backend.format_sources(prefix, columns)
    if buffers is None or len(buffers[1]) > len(data):
        return -1
    memoryview(offsets).cast("B")[:len(buffers[0])] = buffers[0]
    memoryview(data).cast("B")[:len(buffers[1])] = buffers[1]
    return len(buffers[1])


class CaptureReadError(DecodeError):
    """The capture could not be read to its end (an I/O error part way); ``line`` is the first
    line (record) not read. The batches before it were yielded."""

    def __init__(self, reason: str, line: int) -> None:
        super().__init__(reason)
        self.line = line

    def __reduce__(self) -> tuple[Any, ...]:
        return (CaptureReadError, (self.reason, self.line))


def iter_columns(stream: BinaryIO, *, batch_size: int = 65536, kind: str = LINES,
                 keep_text: bool = False, text_for_all: bool = False,
                 backend: ModuleType | None = None,
                 chunk_size: int = CHUNK_SIZE, first_line: int = 1) -> Iterator[Columns]:
    """Column batches of every message in ``stream`` (a binary file object), in order.

    With ``keep_text``, each batch's ``texts`` maps the rows whose error lies in the text
    (codes 32 and up) to their raw line, so a caller can name the bad character; with
    ``text_for_all`` too, every row's raw line (record), for callers that decode the rows
    again in Python.
    """
    if kind not in (LINES, RECORDS):
        raise ValueError(f"kind must be {LINES!r} or {RECORDS!r}, not {kind!r}")
    backend = backend or _backend
    # One buffer for the whole stream, filled in place (readinto): no new object and no
    # fresh, page-faulting memory per chunk, and no copy but the short unfinished line
    # moved to its front. It grows only for a line longer than itself.
    buffer = bytearray(max(chunk_size, 1))
    view = memoryview(buffer)
    filled = start = 0
    number = first_line
    final = False
    need_data = True
    scratch = bytearray()
    columns = Columns(batch_size)
    # One read of the underlying file per chunk, so bytes read before an I/O error are not
    # lost inside a buffered read that fails part way: read1 first (it returns what a peek
    # left buffered, or makes one raw read), then readinto on the raw file under an emptied
    # buffered reader (BufferedReader.readinto1 would copy what is buffered and then read).
    read = getattr(stream, "read1", stream.read)
    raw = stream.raw if isinstance(stream, io.BufferedReader) else stream
    readinto = getattr(raw, "readinto", None)
    first_read = True
    while True:
        if need_data and not final:
            if start:
                view[:filled - start] = view[start:filled]
                filled -= start
                start = 0
            if filled == len(buffer):
                view.release()
                buffer.extend(bytes(len(buffer)))
                view = memoryview(buffer)
            try:
                if readinto is not None and not first_read:
                    got = readinto(view[filled:]) or 0
                else:
                    chunk = read(len(buffer) - filled)
                    got = len(chunk)
                    view[filled:filled + got] = chunk
            except OSError as exc:
                # What was read stays the caller's; the error says where reading stopped.
                if columns.rows:
                    yield columns
                raise CaptureReadError(f"cannot read past line {number}: "
                                       f"{exc.strerror or exc}", line=number) from None
            first_read = False
            if not got:
                final = True
            filled += got
        if final and start >= filled:
            break
        before = columns.rows
        text = view[:filled]
        if kind == LINES:
            if len(scratch) < 2 * (filled - start):
                scratch = bytearray(2 * (filled - start))
            consumed, counted = backend.fill_lines(text, start, number, final, columns, scratch)
        else:
            consumed, counted = backend.fill_records(text, start, number, final, columns)
        if keep_text:
            _collect_texts(columns, before, text, start, text_for_all)
        text.release()
        start += consumed
        number += counted
        if columns.rows == columns.capacity:
            yield columns
            columns = Columns(batch_size)
            need_data = False
        else:
            # The reader stopped short of a full batch: what is left is an unfinished line.
            need_data = True
    if columns.rows:
        yield columns


# Rows whose raw line is kept: the capture reader's errors (32 and up), and GBT blocks (19),
# which the caller reassembles.
GBT_BLOCK = 19
_TEXT_ERROR = re.compile(rb"[\x13\x20-\xff]")
_NOT_KEPT = bytes(range(0x13)) + bytes(range(0x14, 0x20))


def _collect_texts(columns: Columns, before: int, buffer: memoryview, start: int,
                   every_row: bool) -> None:
    if columns.texts is None:
        columns.texts = {}
    if every_row:
        rows: Iterable[int] = range(before, columns.rows)
    else:
        errors = bytes(columns.buffers["error"][before:columns.rows])
        if not errors.translate(None, _NOT_KEPT):
            return    # the common case, found without a regex scan of every row
        rows = [before + match.start() for match in _TEXT_ERROR.finditer(errors)]
    offsets = columns.view("text_start")
    lengths = columns.view("text_length")
    for row in rows:
        begin = start + offsets[row]
        columns.texts[row] = bytes(buffer[begin:begin + lengths[row]])
