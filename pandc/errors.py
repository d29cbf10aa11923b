"""Errors raised by pandc, and the decoder's error table shared by the C core and its twin."""
from __future__ import annotations

# Index = error code; must stay identical to error_reasons[] in csrc/gbcs_header.c
# (tests/test_twin.py compares the two).
HEADER_ERROR_REASONS: tuple[str, ...] = (
    "ok",
    "empty message",
    "field runs past the end of the message",
    "unsupported length form (expected < 0x80, 0x81, 0x82 or 0x83)",
    "unknown frame tag (expected DD general ciphering or DF general signing)",
    "general block transfer APDU (E0) without the DD 09 routing header of a GBT block",
    "general ciphering: the six leading fields must be empty (00)",
    "general ciphering: security control must be 0x11",
    "general ciphering: ciphered service too short for security header and MAC",
    "expected general signing tag DF",
    "transaction-id must be 9 bytes (09)",
    "CRA flag must be 1 (command), 2 (response) or 3 (alert)",
    "system title must be 8 bytes (08)",
    "date-time must be absent (00) or 12 bytes (0C)",
    "other-information length must be 2, 10, 18, 26 or over 26",
    "signature length must be 0 or 64",
    "bytes left over after the message",
    "message longer than 4 GiB",
    "signature field missing (only general-signing commands, i.e. pre-commands, omit it)",
    "general block transfer block (DD 09 routing header): reassemble the blocks first (pandc.codec.gbt)",
)

ERR_TRUNCATED = 2
ERR_BLOCK_TRANSFER = 5
ERR_GBT_BLOCK = 19


class PandcError(Exception):
    """Base class of every error pandc raises on purpose."""


class DecodeError(PandcError, ValueError):
    """Input that is not a well-formed GBCS message (or not a readable container of one).

    ``offset`` is the byte offset in the GBCS message where decoding stopped (None when the
    problem is in the text or XML around it); ``reason`` says what was wrong there; ``code``
    is the decoder's error code (0 for errors found outside the header decoder).
    """

    def __init__(self, reason: str, offset: int | None = None, code: int = 0, source: str | None = None):
        self.reason = reason
        self.offset = offset
        self.code = code
        self.source = source
        super().__init__(reason, offset)

    def __str__(self) -> str:
        where = f" at byte offset {self.offset}" if self.offset is not None else ""
        src = f"{self.source}: " if self.source else ""
        return f"{src}{self.reason}{where}"

    def __repr__(self) -> str:
        return f"DecodeError(reason={self.reason!r}, offset={self.offset!r})"

    def __reduce__(self) -> tuple[type, tuple[object, ...]]:
        return (DecodeError, (self.reason, self.offset, self.code, self.source))

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, DecodeError):
            return NotImplemented
        return (self.reason, self.offset, self.code, self.source) == (
            other.reason, other.offset, other.code, other.source)

    __hash__ = None  # type: ignore[assignment]


def header_error(code: int, offset: int) -> DecodeError:
    reason = HEADER_ERROR_REASONS[code] if 0 <= code < len(HEADER_ERROR_REASONS) else "unknown error"
    return DecodeError(reason, offset, code)
