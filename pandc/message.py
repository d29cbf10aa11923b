"""The decoded form of one GBCS message, as User systems see it."""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from .payload import PayloadPart

FRAME_GENERAL_CIPHERING = "general-ciphering"
FRAME_GENERAL_SIGNING = "general-signing"
CRA_NAMES = {1: "command", 2: "response", 3: "alert"}


@dataclass(frozen=True, slots=True)
class Message:
    """One decoded GBCS message.

    Offsets (``signing_offset``, ``content_offset``, ``signature_offset``, ``mac_offset``) index
    ``raw``, the whole message as received, so that the security layer can MAC, verify and
    decrypt without re-parsing.
    """

    frame: str
    cra: str
    originator_counter: int
    originator: str
    recipient: str
    message_code: int
    use_case: str | None
    service_reference_variant: str | None
    date_time: datetime | None
    time_status: int | None
    clock_status: str | None
    is_from_gsme: bool | None
    supplementary_remote_party_id: str | None
    supplementary_remote_party_counter: int | None
    supplementary_originator_counter: int | None
    payload: bytes
    signature: bytes | None
    mac: bytes | None
    warnings: list[str]
    raw: bytes = field(repr=False)
    signing_offset: int = field(repr=False)
    content_offset: int = field(repr=False)
    signature_offset: int | None = field(repr=False)
    mac_offset: int | None = field(repr=False)
    certificate: bytes | None = field(default=None, repr=False)
    date_time_octets: bytes | None = field(default=None, repr=False)
    # DUIS context, when the message came inside a DUIS Response
    request_id: str | None = None
    response_id: str | None = None
    response_code: str | None = None
    # Security layer results (None: not checked or no key)
    mac_valid: bool | None = None
    signature_valid: bool | None = None
    parts: tuple["PayloadPart", ...] = ()

    @property
    def signed(self) -> bool:
        return self.signature is not None

    @property
    def service_reference(self) -> str | None:
        """The DUIS ServiceReference (e.g. '4.1') of the variant (e.g. '4.1.1')."""
        variant = self.service_reference_variant
        if variant is None:
            return None
        head = variant.split(".")
        return ".".join(head[:2])

    @property
    def message_code_hex(self) -> str:
        return f"{self.message_code:04X}"
