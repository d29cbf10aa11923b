"""The decoded grouping header as plain values (field names as in csrc/gbcs_header.h)."""
from __future__ import annotations

from typing import NamedTuple

HAS_DATE_TIME = 0x01
HAS_SRP_ID = 0x02
HAS_SRP_COUNTER = 0x04
HAS_SO_COUNTER = 0x08
HAS_CERTIFICATE = 0x10
HAS_SIGNATURE_FIELD = 0x20
HAS_MAC = 0x40


class RawHeader(NamedTuple):
    frame: int
    cra: int
    flags: int
    originator_counter: int
    originator: bytes
    recipient: bytes
    date_time: bytes            # 12 octets, or b"" when absent
    message_code: int
    supplementary_remote_party_id: bytes   # 8 octets, or b"" when absent
    supplementary_remote_party_counter: int
    supplementary_originator_counter: int
    certificate_offset: int
    certificate_length: int
    signing_offset: int
    content_offset: int
    content_length: int
    signature_offset: int
    signature_length: int
    mac_offset: int
    message_length: int
