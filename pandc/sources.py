"""Reading messages from files and streams: one message, one per line, or DUIS XML.

Everything is streamed: lines are read one at a time and DUIS documents are parsed
incrementally, so memory does not grow with the size of the input.
"""
from __future__ import annotations

import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

from . import duis
from .errors import DecodeError

_BINARY_FRAME_TAGS = (0xDD, 0xDF, 0xE0)


@dataclass(frozen=True, slots=True)
class SourceItem:
    source: str                      # "path:line"
    data: bytes | str | None         # the message (binary or text), None when reading failed
    context: duis.DuisPayload | None = None
    error: DecodeError | None = None


def _peek_kind(stream: BinaryIO) -> str:
    head = stream.peek(64)[:64] if hasattr(stream, "peek") else b""
    stripped = head.lstrip(b"\xef\xbb\xbf \t\r\n")
    if stripped.startswith(b"<"):
        return "xml"
    if head[:1] and head[0] in _BINARY_FRAME_TAGS:
        return "binary"
    return "lines"


def _iter_lines(stream: BinaryIO, name: str) -> Iterator[SourceItem]:
    for number, raw_line in enumerate(stream, start=1):
        try:
            line = raw_line.decode("ascii").strip()
        except UnicodeDecodeError as exc:
            yield SourceItem(f"{name}:{number}", None, error=DecodeError(
                f"line is not ASCII hex or base64 (byte 0x{raw_line[exc.start]:02X} at column {exc.start + 1})"))
            continue
        if not line or line.startswith("#"):
            continue
        yield SourceItem(f"{name}:{number}", line)


def _iter_xml(stream: BinaryIO, name: str) -> Iterator[SourceItem]:
    try:
        for payload in duis.iter_payloads(stream):
            yield SourceItem(f"{name}:{payload.line}", payload.text, context=payload)
    except DecodeError as error:
        yield SourceItem(f"{name}:0", None, error=error)


def iter_stream(stream: BinaryIO, name: str) -> Iterator[SourceItem]:
    kind = _peek_kind(stream)
    if kind == "xml":
        yield from _iter_xml(stream, name)
    elif kind == "binary":
        yield SourceItem(f"{name}:1", stream.read())
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
