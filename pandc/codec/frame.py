"""A decoded grouping header with its payload parts: the codec layer's result for a message.

:func:`build_frame` turns the header decoder's :class:`RawHeader` (C core or twin) and the
message bytes into a :class:`Frame`: header fields as User systems read them (EUIs as
``00-DB-12-34-56-78-90-A3``, the date-time and its time status decoded), the payload split
into parts, and the byte layout the security layer needs to check MACs and signatures without
parsing again. Nothing here needs keys.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from .. import registry
from .dates import decode_date_time
from .parts import PayloadPart, split_payload
from .fastdata import fast_init, reduce_by_fields
from .rawheader import (
    HAS_CERTIFICATE, HAS_DATE_TIME, HAS_MAC, HAS_SIGNATURE_FIELD, HAS_SO_COUNTER,
    HAS_SRP_COUNTER, HAS_SRP_ID, RawHeader,
)

FRAME_GENERAL_CIPHERING = "general-ciphering"
FRAME_GENERAL_SIGNING = "general-signing"
CRA_NAMES = {1: "command", 2: "response", 3: "alert"}
_FRAMES = {0xDD: FRAME_GENERAL_CIPHERING, 0xDF: FRAME_GENERAL_SIGNING}
MAC_LENGTH = 12


@fast_init
@dataclass(frozen=True, slots=True)
class Layout:
    """Where things are in ``raw``, the whole message as received (offsets index ``raw``)."""

    __reduce__ = reduce_by_fields   # see pandc.codec.fastdata

    raw: bytes
    signing_offset: int
    content_offset: int
    content_end: int
    signature_offset: int | None      # the signature octets; None when the field is absent
    signature_length: int
    mac_offset: int | None
    certificate_offset: int | None
    certificate_length: int
    date_time_octets: bytes | None

    @property
    def payload(self) -> bytes:
        return self.raw[self.content_offset:self.content_end]

    @property
    def signature(self) -> bytes | None:
        if self.signature_offset is None or not self.signature_length:
            return None
        return self.raw[self.signature_offset:self.signature_offset + self.signature_length]

    @property
    def mac(self) -> bytes | None:
        if self.mac_offset is None:
            return None
        return self.raw[self.mac_offset:self.mac_offset + MAC_LENGTH]

    @property
    def certificate(self) -> bytes | None:
        if self.certificate_offset is None:
            return None
        return self.raw[self.certificate_offset:self.certificate_offset + self.certificate_length]


@fast_init
@dataclass(frozen=True, slots=True)
class Frame:
    """One GBCS message as the codec layer decodes it (see the module doc)."""

    __reduce__ = reduce_by_fields   # see pandc.codec.fastdata

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
    parts: tuple[PayloadPart, ...]
    warnings: tuple[str, ...]
    layout: Layout = field(repr=False)

    @property
    def payload(self) -> bytes:
        return self.layout.payload

    @property
    def signature(self) -> bytes | None:
        return self.layout.signature

    @property
    def mac(self) -> bytes | None:
        return self.layout.mac

    @property
    def raw(self) -> bytes:
        return self.layout.raw

    @property
    def signed(self) -> bool:
        return self.layout.signature is not None

    @property
    def message_code_hex(self) -> str:
        return f"{self.message_code:04X}"

    @property
    def service_reference(self) -> str | None:
        """The DUIS ServiceReference (e.g. '4.1') of the variant (e.g. '4.1.1')."""
        variant = self.service_reference_variant
        return None if variant is None else ".".join(variant.split(".")[:2])


def format_eui(octets: bytes) -> str:
    return octets.hex("-").upper()


def build_frame(raw: RawHeader, data: bytes, service_reference_variant: str | None = None) -> Frame:
    """The Frame of ``data``, whose header the decoder returned as ``raw``.

    ``service_reference_variant`` is the SRV a DUIS document names; without it, the SRV is
    taken from the message code when the code serves exactly one.
    """
    warnings: list[str] = []
    flags = raw.flags
    code = raw.message_code
    info = registry.lookup(code)
    cra = CRA_NAMES[raw.cra]

    date_time = time_status = clock_status = is_from_gsme = None
    if flags & HAS_DATE_TIME:
        decoded = decode_date_time(raw.date_time)
        date_time, time_status = decoded.value, decoded.time_status
        clock_status, is_from_gsme = decoded.clock_status, decoded.is_from_gsme
        if decoded.warning:
            warnings.append(decoded.warning)

    variant = service_reference_variant
    if info is None:
        use_case = None
        warnings.append(f"unknown message code 0x{code:04X}: no use case is registered for it")
    else:
        use_case = info.use_case
        variant = variant or info.service_reference_variant
        if info.response_date_time_mandatory and cra == "response" and not flags & HAS_DATE_TIME:
            warnings.append(
                f"{use_case} response without a grouping-header date-time: SECMP0015 makes it "
                f"mandatory for {use_case} responses (GBCS {use_case} via the GPF)")

    content_end = raw.content_offset + raw.content_length
    layout = Layout(
        raw=data,
        signing_offset=raw.signing_offset,
        content_offset=raw.content_offset,
        content_end=content_end,
        signature_offset=raw.signature_offset if flags & HAS_SIGNATURE_FIELD else None,
        signature_length=raw.signature_length if flags & HAS_SIGNATURE_FIELD else 0,
        mac_offset=raw.mac_offset if flags & HAS_MAC else None,
        certificate_offset=raw.certificate_offset if flags & HAS_CERTIFICATE else None,
        certificate_length=raw.certificate_length if flags & HAS_CERTIFICATE else 0,
        date_time_octets=raw.date_time if flags & HAS_DATE_TIME else None,
    )
    return Frame(
        frame=_FRAMES[raw.frame],
        cra=cra,
        originator_counter=raw.originator_counter,
        originator=format_eui(raw.originator),
        recipient=format_eui(raw.recipient),
        message_code=code,
        use_case=use_case,
        service_reference_variant=variant,
        date_time=date_time,
        time_status=time_status,
        clock_status=clock_status,
        is_from_gsme=is_from_gsme,
        supplementary_remote_party_id=(format_eui(raw.supplementary_remote_party_id)
                                       if flags & HAS_SRP_ID else None),
        supplementary_remote_party_counter=(raw.supplementary_remote_party_counter
                                            if flags & HAS_SRP_COUNTER else None),
        supplementary_originator_counter=(raw.supplementary_originator_counter
                                          if flags & HAS_SO_COUNTER else None),
        parts=split_payload(data[raw.content_offset:content_end], cra),
        warnings=tuple(warnings),
        layout=layout,
    )
