"""The one length reader of pandc: BER-style definite lengths, as GBCS and A-XDR use them.

A first octet below 0x80 is the length itself; 0x81, 0x82 and 0x83 are followed by one, two
or three big-endian length octets (FACTS section 2). Every other form (0x80 indefinite, 0x84
and longer, reserved 0xFF) is refused: no GBCS message is near 16 MiB, and the C core
(``read_length`` in ``csrc/gbcs_header.c``) applies the same rule.
"""
from __future__ import annotations

from ..errors import DecodeError

MAX_LENGTH_OCTETS = 3


class LengthError(DecodeError):
    """A length field that is truncated (``truncated``) or of a form pandc refuses."""

    truncated = True


class LengthFormError(LengthError):
    truncated = False


def read_length(data: bytes, position: int, base: int = 0,
                end: int | None = None) -> tuple[int, int]:
    """(length, position after the length field) at ``position``, reading no further than
    ``end`` (default: the end of ``data``); offsets in errors count from ``base``."""
    if end is None:
        end = len(data)
    if position >= end:
        raise LengthError("length field runs past the end", base + position)
    first = data[position]
    if first < 0x80:
        return first, position + 1
    count = first & 0x7F
    if count == 0 or count > MAX_LENGTH_OCTETS:
        raise LengthFormError(f"unsupported length form 0x{first:02X} (expected < 0x80, 0x81, 0x82 "
                          "or 0x83)", base + position)
    after = position + 1 + count
    if after > end:
        raise LengthError("length octets run past the end", base + position)
    return int.from_bytes(data[position + 1:after], "big"), after


def read_sized(data: bytes, position: int, base: int = 0) -> tuple[int, int]:
    """(content start, content end) of a length-prefixed field, checked against the data."""
    length, start = read_length(data, position, base)
    if length > len(data) - start:
        raise LengthError(f"length {length} runs past the end ({len(data) - start} bytes left)",
                          base + position)
    return start, start + length


def encode_length(length: int) -> bytes:
    """The shortest length field for ``length`` under the same rule."""
    if length < 0:
        raise ValueError("a length cannot be negative")
    if length < 0x80:
        return bytes((length,))
    size = (length.bit_length() + 7) // 8
    if size > MAX_LENGTH_OCTETS:
        raise ValueError(f"length {length} needs more than {MAX_LENGTH_OCTETS} length octets")
    return bytes((0x80 | size,)) + length.to_bytes(size, "big")
