"""Splitting a GBCS payload into the parts that MMC GBCSData and the security layer work on."""
from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class PayloadPart:
    kind: str                 # 'gbz' | 'dlms' | 'asn1'
    encrypted: bool
    data: bytes               # the part's bytes exactly as carried in the message
    plaintext: bytes | None   # the clear content; None while encrypted and not decrypted
    name: str                 # human-readable, used as the MMC GBCSData @name
    error: str | None = None  # why it is not decrypted (missing key, tag mismatch), if so
