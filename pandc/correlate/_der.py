"""A small bounded DER reader for the CS-family payloads the catalogue compares.

Private on purpose: ``pandc/codec/asn1.py`` (a full reader) is being built separately and can
replace this. Only what correlation needs: definite lengths (short form, or long form of 1-3
octets), single-octet tags; reading one TLV never descends into it, so nothing here recurses.
"""
from __future__ import annotations

from typing import Any

from ..errors import DecodeError


def read_length(data: bytes, pos: int) -> tuple[int, int]:
    """The DER length at ``pos``: (length, position after it)."""
    if pos >= len(data):
        raise DecodeError("DER length missing", pos)
    first = data[pos]
    if first < 0x80:
        return first, pos + 1
    count = first & 0x7F
    if count == 0 or count > 3:
        raise DecodeError(f"DER length form 0x{first:02X} not supported (indefinite or over "
                          "3 octets)", pos)
    if pos + 1 + count > len(data):
        raise DecodeError("DER length runs past the end", pos)
    return int.from_bytes(data[pos + 1:pos + 1 + count], "big"), pos + 1 + count


def read_tlv(data: bytes, pos: int) -> tuple[int, Any]:
    """One complete TLV at ``pos``: (end, its octets)."""
    if pos >= len(data):
        raise DecodeError("DER element missing", pos)
    if data[pos] & 0x1F == 0x1F:
        raise DecodeError("multi-octet DER tags are not used by GBCS", pos)
    length, start = read_length(data, pos + 1)
    if start + length > len(data):
        raise DecodeError("DER element runs past the end", pos)
    return start + length, data[pos:start + length]


def der_length(n: int) -> bytes:
    if n < 0x80:
        return bytes([n])
    size = (n.bit_length() + 7) // 8
    return bytes([0x80 | size]) + n.to_bytes(size, "big")
