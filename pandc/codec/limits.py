"""Limits every reader of nested data (DLMS A-XDR, ZCL, ASN.1 DER) works within.

One :class:`Budget` travels down a whole message: how deep structures may nest, how many
elements the message may hold in all, and how many bytes it may be. Going past any of them
raises :class:`LimitError` (a ``DecodeError`` with the byte offset) before anything large is
allocated, never ``RecursionError`` or ``MemoryError``.
"""
from __future__ import annotations

from ..errors import DecodeError

MAX_DEPTH = 32              # GBCS nests a few levels (profiles: array of structures of values)
MAX_ELEMENTS = 100_000      # a 13-month half-hourly profile is ~20,000 entries of 2-3 values
MAX_MESSAGE_BYTES = 1 << 20  # 72,000 octets is GBCS's largest (GBT), with ample margin


class LimitError(DecodeError):
    """Input past one of pandc's decoding limits (depth, element count, size)."""


class Budget:
    """What is left of the limits for one message; readers call :meth:`enter`, :meth:`leave`
    and :meth:`take` as they go."""

    __slots__ = ("max_depth", "depth", "elements")

    def __init__(self, max_depth: int = MAX_DEPTH, max_elements: int = MAX_ELEMENTS) -> None:
        self.max_depth = max_depth
        self.depth = 0
        self.elements = max_elements

    def enter(self, offset: int) -> None:
        self.depth += 1
        if self.depth > self.max_depth:
            raise LimitError(f"nesting deeper than {self.max_depth} levels", offset)

    def leave(self) -> None:
        self.depth -= 1

    def take(self, count: int, offset: int, bytes_left: int) -> None:
        """Claim ``count`` elements announced at ``offset``: each needs at least one byte,
        and the message's element budget must cover them."""
        if count > bytes_left:
            raise LimitError(f"{count} elements announced, only {bytes_left} bytes left", offset)
        self.elements -= count
        if self.elements < 0:
            raise LimitError("more elements than the per-message limit allows", offset)


def check_size(data: bytes, offset: int = 0) -> None:
    if len(data) > MAX_MESSAGE_BYTES:
        raise LimitError(f"{len(data)} bytes is past the {MAX_MESSAGE_BYTES}-byte message limit",
                         offset)
