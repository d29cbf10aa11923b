"""Splitting a GBCS payload into the parts that MMC GBCSData and the security layer work on.

The splitter only finds boundaries: it does no cryptography, never raises, and reports a
payload it cannot split as one part with ``error`` set, naming the byte offset (relative to
the start of the payload) where it gave up.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from ..errors import DecodeError
from . import dlms
from .fastdata import fast_init, reduce_by_fields


@fast_init
@dataclass(frozen=True, slots=True)
class PayloadPart:
    """One part of a payload.

    For kind 'gbz' the plaintext is the ZCL frame (frame control, sequence number, command id,
    ZCL payload) in the clear; for 'dlms' it is the DLMS APDU with any protected attribute
    data in the clear; for 'asn1' it is the DER payload.

    ``cipher_spans`` locates, inside ``data``, each ciphered-information field as
    ``(element_start, cipher_start, cipher_end)``: ``data[cipher_start:cipher_end]`` is the
    security header (0x31 and a 4-byte invocation counter), the ciphertext and the 12-byte
    tag; ``element_start`` is where the field's enclosing element begins (GBZ: the 2-byte
    ciphered-information length; DLMS: the octet-string tag 0x09).
    """

    __reduce__ = reduce_by_fields   # see pandc.codec.fastdata

    kind: str                 # 'gbz' | 'dlms' | 'asn1'
    encrypted: bool
    data: bytes               # the part's bytes exactly as carried in the message
    plaintext: bytes | None   # the clear content; None while encrypted and not decrypted
    name: str                 # human-readable, used as the MMC GBCSData @name
    error: str | None = None  # why it is not decrypted (missing key, tag mismatch), if so
    cluster_id: int | None = None          # GBZ: the ZCL cluster of the component
    from_date_time: bytes | None = None    # GBZ: the component's from-date-time, when present
    cipher_spans: tuple[tuple[int, int, int], ...] = ()


GBZ_PROFILE = b"\x01\x09"
GBZ_LAST_COMPONENT = 0x01
GBZ_ENCRYPTED = 0x02
GBZ_FROM_DATE_TIME = 0x10
GBZ_ALERT_HEADER = 6          # alert code (2) + timestamp (4), after profile and count
SECURITY_HEADER_LENGTH = 5    # security control 0x31 + invocation counter (4)
TAG_LENGTH = 12
PAYLOAD_SECURITY_CONTROL = 0x31

DLMS_NAMES = {0xD9: "DLMS Access-Request", 0xDA: "DLMS Access-Response",
              0x0F: "DLMS Data-Notification"}
CRA_ALERT = "alert"


def split_parts(message: Any) -> tuple[PayloadPart, ...]:
    """The parts of ``message.payload`` (needs only ``payload`` and ``cra``)."""
    return split_payload(message.payload, message.cra)


def split_payload(payload: bytes, cra: str) -> tuple[PayloadPart, ...]:
    """The parts of a payload carried in a message with CRA ``cra`` ('command', 'response',
    'alert'), for callers that split before building the Message."""
    if not payload:
        return ()
    first = payload[0]
    if payload[:2] == GBZ_PROFILE:
        return _split_gbz(payload, cra == CRA_ALERT)
    if first in DLMS_NAMES:
        return (_dlms_part(payload, DLMS_NAMES[first]),)
    # Every other payload in GBCS is ASN.1 DER (CS02x, CS03x, CS04x, CS06, CS07, CS08, ...).
    return (PayloadPart("asn1", False, payload, payload, "ASN.1 payload"),)


# --- GBZ ----------------------------------------------------------------------------------

def _split_gbz(payload: bytes, is_alert: bool) -> tuple[PayloadPart, ...]:
    if len(payload) < 3:
        return (_opaque_gbz(payload, "GBZ payload", "GBZ header truncated at offset 2"),)
    count = payload[2]
    start = 3
    if is_alert:
        if len(payload) < start + GBZ_ALERT_HEADER:
            return (_opaque_gbz(payload, "GBZ alert",
                                f"GBZ alert header truncated at offset {len(payload)}"),)
        alert_code = int.from_bytes(payload[3:5], "big")
        start += GBZ_ALERT_HEADER
        if start == len(payload):
            return ()
    parts, failure = _gbz_components(payload, start, count)
    if failure is None:
        return parts
    if is_alert:
        # Most alert codes carry alert-specific data (e.g. 8F66's message code and
        # originator counter) rather than use-case components: one part for all of it.
        data = payload[start:]
        return (PayloadPart("gbz", False, data, data, f"GBZ alert 0x{alert_code:04X} data"),)
    return (_opaque_gbz(payload, "GBZ payload", failure),)


def _gbz_components(payload: bytes, offset: int, count: int
                     ) -> tuple[tuple[PayloadPart, ...], str | None]:
    """(parts, None) when ``count`` components fill the payload exactly, else ((), reason)."""
    parts: list[PayloadPart] = []
    end = len(payload)
    while offset < end:
        if offset + 5 > end:
            return (), f"GBZ component header truncated at offset {offset}"
        control = payload[offset]
        cluster = (payload[offset + 1] << 8) | payload[offset + 2]
        length = (payload[offset + 3] << 8) | payload[offset + 4]
        body = offset + 5
        stop = body + length
        if stop > end:
            return (), (f"GBZ component at offset {offset} claims {length} bytes; "
                        f"only {end - body} remain")
        is_last = stop == end
        if bool(control & GBZ_LAST_COMPONENT) != is_last:
            return (), (f"GBZ component at offset {offset}: last-component flag "
                        f"{'set' if control & GBZ_LAST_COMPONENT else 'clear'} but "
                        f"{'more follow' if not is_last else 'none follow'}")
        parts.append(_gbz_component(payload, offset, control, cluster, body, stop,
                                    len(parts) + 1))
        offset = stop
    if len(parts) != count:
        return (), f"GBZ header announces {count} components, payload holds {len(parts)}"
    return tuple(parts), None


def _gbz_component(payload: bytes, offset: int, control: int, cluster: int, body: int, stop: int,
                   number: int) -> PayloadPart:
    data = payload[offset:stop]
    encrypted = bool(control & GBZ_ENCRYPTED)
    name = f"GBZ component {number}, cluster 0x{cluster:04X}" + (" (encrypted)" if encrypted else "")
    local = body - offset          # offsets below are relative to ``data``
    size = stop - offset
    from_date_time = None
    if control & GBZ_FROM_DATE_TIME:
        if local + 4 > size:
            return _component_error(data, encrypted, name, cluster, None,
                                    f"from-date-time truncated at offset {body}")
        from_date_time = data[local:local + 4]
        local += 4
    if not encrypted:
        if local + 3 > size:
            return _component_error(data, encrypted, name, cluster, from_date_time,
                                    f"ZCL header truncated at offset {offset + size}")
        zcl = data[local:]
        return PayloadPart("gbz", False, data, zcl, name, None, cluster, from_date_time)
    # additional header (2), ZCL header (3), ciphered-information length (2), then the
    # ciphered information: security header, ciphertext, tag
    zcl_header_at = local + 2
    length_at = zcl_header_at + 3
    cipher_at = length_at + 2
    if cipher_at > size:
        return _component_error(data, True, name, cluster, from_date_time,
                                f"encrypted component header truncated at offset {offset + size}")
    cipher_length = (data[length_at] << 8) | data[length_at + 1]
    if cipher_at + cipher_length != size:
        return _component_error(data, True, name, cluster, from_date_time,
                                f"ciphered-information length {cipher_length} at offset "
                                f"{offset + length_at} does not fill the component")
    if cipher_length < SECURITY_HEADER_LENGTH + TAG_LENGTH or data[cipher_at] != PAYLOAD_SECURITY_CONTROL:
        return _component_error(data, True, name, cluster, from_date_time,
                                f"ciphered information at offset {offset + cipher_at} is not "
                                "a 0x31 security header, ciphertext and 12-byte tag")
    return PayloadPart("gbz", True, data, None, name, None, cluster, from_date_time,
                       ((length_at, cipher_at, size),))


def _component_error(data: bytes, encrypted: bool, name: str, cluster: int,
                     from_date_time: bytes | None, reason: str) -> PayloadPart:
    return PayloadPart("gbz", encrypted, data, None if encrypted else data, name,
                       reason, cluster, from_date_time)


def _opaque_gbz(payload: bytes, name: str, reason: str) -> PayloadPart:
    return PayloadPart("gbz", False, payload, payload, name, reason)


# --- DLMS ---------------------------------------------------------------------------------

def _dlms_part(payload: bytes, name: str) -> PayloadPart:
    """The payload as one DLMS part. An Access-Response is read by its grammar (header,
    list-of-data, results) and each top-level data item that is a GBCS protected-attributes
    structure with ciphered content gives one cipher span; bytes inside plain data are never
    mistaken for one. GBCS ciphers attributes only in responses (Get Protected Attributes):
    Access-Requests and Data-Notifications stay whole and plain."""
    if payload[:1] != bytes([dlms.ACCESS_RESPONSE]):
        return PayloadPart("dlms", False, payload, payload, name)
    try:
        spans = _protected_attributes(payload)
    except DecodeError as error:
        return PayloadPart("dlms", False, payload, payload, name,
                           f"DLMS Access-Response not decoded: {error}")
    if not spans:
        return PayloadPart("dlms", False, payload, payload, name)
    return PayloadPart("dlms", True, payload, None, name + " (protected attributes)",
                       cipher_spans=spans)


def _protected_attributes(apdu: bytes) -> tuple[tuple[int, int, int], ...]:
    """(element_start, cipher_start, cipher_end) of each ciphered protected-attributes item
    of an Access-Response; DecodeError (LimitError past the limits) when it is malformed."""
    response = dlms.access_response(apdu)
    spans = []
    for item in response.data:
        protected = dlms.protected_data(item)
        if protected is not None and protected.ciphered:
            spans.append((protected.element_offset, protected.content_offset,
                          protected.content_offset + len(protected.content)))
    if spans:
        dlms.forget_shared_read(apdu)
    return tuple(spans)
