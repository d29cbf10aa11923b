"""The decoded grouping header as plain values, in the field order of csrc/gbcs_header.h."""
from __future__ import annotations

import struct
from typing import NamedTuple

HAS_DATE_TIME = 0x01
HAS_SRP_ID = 0x02
HAS_SRP_COUNTER = 0x04
HAS_SO_COUNTER = 0x08
HAS_CERTIFICATE = 0x10
HAS_SIGNATURE_FIELD = 0x20
HAS_MAC = 0x40

NO_DATE_TIME = bytes(12)
NO_EUI = bytes(8)


class RawHeader(NamedTuple):
    """Absent fields are zero; ``flags`` (HAS_*) says which are present."""

    originator_counter: int
    supplementary_remote_party_counter: int
    supplementary_originator_counter: int
    message_length: int
    signing_offset: int
    certificate_offset: int
    certificate_length: int
    content_offset: int
    content_length: int
    signature_offset: int
    signature_length: int
    mac_offset: int
    message_code: int
    frame: int
    cra: int
    flags: int
    originator: bytes
    recipient: bytes
    supplementary_remote_party_id: bytes
    date_time: bytes


# struct pandc_header in native layout: the RawHeader fields, then error and error_offset;
# _cheader refuses to load if this size and the compiled struct disagree.
RAW_HEADER_FORMAT = "@3Q9IH3B8s8s8s12sBI0Q"  # 0Q: trailing padding, as C pads
RAW_HEADER_STRUCT = struct.Struct(RAW_HEADER_FORMAT)
