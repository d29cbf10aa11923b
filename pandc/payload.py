"""Splitting a GBCS payload into the parts that MMC GBCSData and the security layer work on."""
from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class PayloadPart:
    """One part of a payload.

    For kind 'gbz' the plaintext is the ZCL frame (frame control, sequence number, command id,
    ZCL payload) in the clear; for 'dlms' it is the DLMS APDU with any protected attribute
    data in the clear; for 'asn1' it is the DER payload.
    """

    kind: str                 # 'gbz' | 'dlms' | 'asn1'
    encrypted: bool
    data: bytes               # the part's bytes exactly as carried in the message
    plaintext: bytes | None   # the clear content; None while encrypted and not decrypted
    name: str                 # human-readable, used as the MMC GBCSData @name
    error: str | None = None  # why it is not decrypted (missing key, tag mismatch), if so
    cluster_id: int | None = None          # GBZ: the ZCL cluster of the component
    from_date_time: bytes | None = None    # GBZ: the component's from-date-time, when present


def split_parts(message) -> tuple[PayloadPart, ...]:
    """Placeholder until the payload splitter lands: no parts."""
    return ()
