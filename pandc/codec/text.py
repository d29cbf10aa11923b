"""Turning what users hand us (bytes, hex text, base64 text) into GBCS message bytes."""
from __future__ import annotations

import binascii
import re

from ..errors import DecodeError
from .limits import MAX_MESSAGE_BYTES, LimitError, check_size

_HEX_FRAME_STARTS = ("DD", "DF", "E0")
_HEX_DIGITS = re.compile(r"[0-9A-Fa-f]*")
_BASE64_CHARACTER = re.compile(r"[A-Za-z0-9+/=]")
_BASE64_TEXT = re.compile(r"[A-Za-z0-9+/=]*")
_WHITESPACE = re.compile(r"\s+")
# Hex takes two characters a byte, base64 4/3: text longer than this cannot be a message
# within MAX_MESSAGE_BYTES, and is refused before it is decoded.
MAX_TEXT_CHARACTERS = 2 * MAX_MESSAGE_BYTES


def looks_like_xml(data: bytes | bytearray | memoryview | str) -> bool:
    head = data[:64] if isinstance(data, str) else bytes(data[:64])
    head = head.lstrip()
    if isinstance(head, bytes):
        head = head.lstrip(b"\xef\xbb\xbf")
        return head.startswith(b"<")
    return head.lstrip("\ufeff").startswith("<")


def _from_hex(text: str) -> bytes:
    match = _HEX_DIGITS.match(text)
    end = match.end() if match else 0
    if end != len(text):
        position = end
        raise DecodeError(f"invalid hex digit {text[position]!r} at text position {position}",
                          position // 2)
    if len(text) % 2:
        raise DecodeError("odd number of hex digits: the last byte is incomplete", len(text) // 2)
    return bytes.fromhex(text)


def _from_base64(text: str) -> bytes:
    # Only text with a bad character is walked character by character, to name its position.
    for position, character in ([] if _BASE64_TEXT.fullmatch(text) else enumerate(text)):
        if not _BASE64_CHARACTER.match(character):
            raise DecodeError(
                f"neither hex nor base64: invalid base64 character {character!r} at text position {position}",
                position * 3 // 4)
    try:
        return binascii.a2b_base64(text, strict_mode=True)
    except binascii.Error as exc:
        raise DecodeError(f"malformed base64 ({exc})", len(text) * 3 // 4) from None


def text_to_bytes(text: str) -> bytes:
    """Hex or base64 (whitespace ignored): the first byte of a GBCS message tells which.

    Hex text of a message starts DD, DF or E0; base64 of those bytes starts '3' or '4', which
    no valid hex message does, so the two never collide for well-formed input.
    """
    compact = _WHITESPACE.sub("", text)
    if not compact:
        raise DecodeError("empty input", 0)
    if len(compact) > MAX_TEXT_CHARACTERS:
        raise LimitError(f"{len(compact)} characters of hex or base64 is past the "
                         f"{MAX_MESSAGE_BYTES}-byte message limit", 0)
    if compact[:2].upper() in _HEX_FRAME_STARTS:
        return _from_hex(compact)
    if len(compact) % 2 == 0 and _HEX_DIGITS.fullmatch(compact):
        # Hex, but not of a known frame: let the header decoder name the bad tag.
        return bytes.fromhex(compact)
    return _from_base64(compact)


def to_message_bytes(data: bytes | bytearray | memoryview | str) -> bytes:
    """Bytes are taken as the binary message; text as hex or base64."""
    if isinstance(data, str):
        return text_to_bytes(data)
    if isinstance(data, (bytes, bytearray, memoryview)):
        check_size(data)  # type: ignore[arg-type]
        return bytes(data)
    raise TypeError(f"expected bytes or str, not {type(data).__name__}")
