"""Reading messages from files and streams: one message, one per line, or DUIS XML.

Everything is streamed: lines are read one at a time and DUIS documents are parsed
incrementally, so memory does not grow with the size of the input.
"""
from __future__ import annotations

import io
import os
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any, BinaryIO, TextIO

from . import duis
from ..duis.responses import DuisResponse
from ..message import DuisContext
from ..errors import DecodeError

_BINARY_FRAME_TAGS = (0xDD, 0xDF, 0xE0)


@dataclass(frozen=True, slots=True)
class SourceItem:
    source: str                      # "path:line"
    data: bytes | str | None         # the message (binary or text), None when reading failed
    context: DuisContext | None = None     # the DUIS Response around a GBCS payload
    error: DecodeError | None = None
    # A DUIS Response with no GBCS payload (acknowledgement, DSP-generated body, DCC alert):
    # nothing to decode, the response itself is the result.
    response: DuisResponse | None = None


def _peek_kind(stream: BinaryIO) -> str:
    head = stream.peek(64)[:64] if hasattr(stream, "peek") else b""
    stripped = head.lstrip(b"\xef\xbb\xbf \t\r\n")
    if stripped.startswith(b"<"):
        return "xml"
    if head[:1] and head[0] in _BINARY_FRAME_TAGS:
        return "binary"
    return "lines"


def _read_error(name: str, line: int, exc: OSError) -> SourceItem:
    # An I/O error part way through is an item of its own, naming where reading stopped; the
    # messages read before it are decoded and reported as usual, nothing is dropped.
    return SourceItem(f"{name}:{line}", None, error=DecodeError(
        f"cannot read past line {line - 1}: {exc.strerror or exc}"))


def _iter_lines(stream: BinaryIO, name: str) -> Iterator[SourceItem]:
    number = 0
    try:
        for number, raw_line in enumerate(stream, start=1):
            item = _line_item(raw_line, name, number)
            if item is not None:
                yield item
    except OSError as exc:
        yield _read_error(name, number + 1, exc)


def _line_item(raw_line: bytes, name: str, number: int) -> SourceItem | None:
    try:
        line = raw_line.decode("ascii").strip()
    except UnicodeDecodeError as exc:
        return SourceItem(f"{name}:{number}", None, error=DecodeError(
            f"line is not ASCII hex or base64 (byte 0x{raw_line[exc.start]:02X} at column {exc.start + 1})"))
    if not line or line.startswith("#"):
        return None
    return SourceItem(f"{name}:{number}", line)


def _iter_xml(stream: BinaryIO, name: str) -> Iterator[SourceItem]:
    line = 0
    try:
        for found in duis.iter_payloads(stream, responses=True):
            if isinstance(found, duis.DuisPayload):
                line = found.line
                yield SourceItem(f"{name}:{found.line}", found.text, context=found.context())
            elif isinstance(found, DuisResponse):
                line = found.line
                yield SourceItem(f"{name}:{found.line}", None, response=found)
            else:
                yield SourceItem(f"{name}:{getattr(found, 'line', None) or line}", None,
                                 error=found)
    except DecodeError as error:
        yield SourceItem(f"{name}:0", None, error=error)
    except OSError as exc:
        yield SourceItem(f"{name}:{line}", None, error=DecodeError(
            f"cannot read past line {line}: {exc.strerror or exc}"))


def iter_stream(stream: BinaryIO, name: str) -> Iterator[SourceItem]:
    try:
        kind = _peek_kind(stream)
        if kind == "binary":
            data = stream.read()
    except OSError as exc:
        yield _read_error(name, 1, exc)
        return
    if kind == "xml":
        yield from _iter_xml(stream, name)
    elif kind == "binary":
        yield SourceItem(f"{name}:1", data)
    else:
        yield from _iter_lines(stream, name)


def iter_sources(paths: list[str]) -> Iterator[SourceItem]:
    """Messages from every path in turn ('-' or no path: standard input)."""
    for path in paths or ["-"]:
        if path == "-":
            yield from iter_stream(sys.stdin.buffer, "<stdin>")
            continue
        try:
            stream = open(Path(path), "rb")
        except OSError as exc:
            yield SourceItem(f"{path}:0", None, error=DecodeError(f"cannot read: {exc.strerror}"))
            continue
        with stream:
            yield from iter_stream(stream, path)


class _TextAsBinary(io.RawIOBase):
    """A text file object read as ASCII bytes, so one reader serves both kinds."""

    def __init__(self, text: TextIO) -> None:
        self._text = text
        self._pending = b""

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: Any) -> int:
        while not self._pending:
            chunk = self._text.read(65536)
            if not chunk:
                return 0
            self._pending = chunk.encode("utf-8", "surrogateescape")
        size = min(len(buffer), len(self._pending))
        buffer[:size] = self._pending[:size]
        self._pending = self._pending[size:]
        return size


def iter_items(source: Any, name: str | None = None) -> Iterator[SourceItem]:
    """Messages from any source pandc.iter_decode accepts, lazily and in order.

    ``source`` is a path (``str`` or ``os.PathLike``), a binary or text file object, or an
    iterable of messages (bytes) and lines (str: hex, base64; blank and ``#`` lines skipped).
    """
    if isinstance(source, (str, os.PathLike)):
        yield from iter_sources([os.fspath(source)])
        return
    if hasattr(source, "read"):
        label = name or str(getattr(source, "name", "<stream>"))
        if isinstance(source, io.TextIOBase) or "b" not in getattr(source, "mode", "b"):
            source = io.BufferedReader(_TextAsBinary(source))
        elif not hasattr(source, "peek"):
            source = io.BufferedReader(source)
        yield from iter_stream(source, label)
        return
    try:
        iterator = iter(source)
    except TypeError:
        raise TypeError(f"iter_decode takes a path, a file object or an iterable of messages, "
                        f"not {type(source).__name__}") from None
    label = name or "<items>"
    for number, item in enumerate(iterator, start=1):
        where = f"{label}:{number}"
        if isinstance(item, str):
            line = item.strip()
            if not line or line.startswith("#"):
                continue
            yield SourceItem(where, line)
        elif isinstance(item, (bytes, bytearray, memoryview)):
            yield SourceItem(where, bytes(item))
        else:
            yield SourceItem(where, None, error=DecodeError(
                f"item is a {type(item).__name__}; expected bytes or str"))
