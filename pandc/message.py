"""The decoded form of one GBCS message, as User systems see it: built once, never patched."""
from __future__ import annotations

from dataclasses import dataclass, field, fields
from operator import attrgetter
from typing import TYPE_CHECKING

from .codec.parts import PayloadPart
from .codec.frame import CRA_NAMES, FRAME_GENERAL_CIPHERING, FRAME_GENERAL_SIGNING, Frame
from .codec.fastdata import fast_init, reduce_by_fields
from .values import Node

if TYPE_CHECKING:
    from .security.verification import Verification
    from .usecases.base import Failure

__all__ = ["CRA_NAMES", "DuisContext", "FRAME_GENERAL_CIPHERING", "FRAME_GENERAL_SIGNING",
           "Message", "message_from_frame"]


@fast_init
@dataclass(frozen=True, slots=True)
class DuisContext:
    """What the DUIS Response around a GBCS payload says about it."""

    __reduce__ = reduce_by_fields   # see pandc.codec.fastdata

    request_id: str | None = None
    response_id: str | None = None
    response_code: str | None = None
    service_reference_variant: str | None = None


@fast_init
@dataclass(frozen=True, slots=True)
class Message(Frame):
    """One decoded GBCS message: the codec's :class:`Frame` (header fields, payload parts,
    byte layout), the decoded use-case ``values`` (a :class:`~pandc.values.Node` to go under
    MMC ``SMETSData``, None when the use case is not decoded), what the device reported as
    failed (``failures``), and the ``verification`` (``authenticated`` is None without keys).

    ``warnings`` collects what every layer noticed: header, security and use case.
    """

    values: Node | None = None
    failures: tuple["Failure", ...] = ()
    verification: "Verification | None" = None
    duis: DuisContext | None = None

    @property
    def authenticated(self) -> bool | None:
        return None if self.verification is None else self.verification.authenticated

    @property
    def mac_valid(self) -> bool | None:
        return None if self.verification is None else self.verification.mac_valid

    @property
    def signature_valid(self) -> bool | None:
        return None if self.verification is None else self.verification.signature_valid

    @property
    def request_id(self) -> str | None:
        return None if self.duis is None else self.duis.request_id

    @property
    def response_id(self) -> str | None:
        return None if self.duis is None else self.duis.response_id

    @property
    def response_code(self) -> str | None:
        return None if self.duis is None else self.duis.response_code


_FRAME_FIELDS = tuple(f.name for f in fields(Frame) if f.name not in ("parts", "warnings"))
_frame_values = attrgetter(*_FRAME_FIELDS)


def message_from_frame(frame: Frame, *, parts: tuple[PayloadPart, ...] | None = None,
                       warnings: tuple[str, ...] = (), values: Node | None = None,
                       failures: tuple["Failure", ...] = (),
                       verification: "Verification | None" = None,
                       duis: DuisContext | None = None) -> Message:
    """The Message of a frame: its header fields, ``parts`` (decrypted, when given) and the
    frame's warnings followed by ``warnings``."""
    return Message(**dict(zip(_FRAME_FIELDS, _frame_values(frame))),
                   parts=frame.parts if parts is None else parts,
                   warnings=frame.warnings + tuple(warnings), values=values,
                   failures=failures, verification=verification, duis=duis)
