"""Building GBCS messages with chosen header fields, for tests, examples and fuzzing.

The builder writes the framing of FACTS section 2 exactly; it does not compute MACs or
signatures (pass the bytes you want, or leave the defaults of zeros).
"""
from __future__ import annotations

from datetime import datetime, timezone

from .codec.ber import encode_length

_CRA_FLAGS = {"command": 1, "response": 2, "alert": 3}
UNSPECIFIED_DEVIATION = b"\x80\x00"


def eui_bytes(eui: str | bytes) -> bytes:
    if isinstance(eui, bytes):
        value = eui
    else:
        value = bytes.fromhex(eui.replace("-", "").replace(":", ""))
    if len(value) != 8:
        raise ValueError(f"an EUI-64 is 8 bytes, got {len(value)}")
    return value


def encode_date_time(value: datetime, time_status: int = 0x00) -> bytes:
    """The 12-octet GBCS date-time of an aware (or UTC-naive) datetime, deviation unspecified."""
    if value.tzinfo is not None:
        value = value.astimezone(timezone.utc)
    return (value.year.to_bytes(2, "big")
            + bytes([value.month, value.day, value.isoweekday(), value.hour, value.minute,
                     value.second, value.microsecond // 10000])
            + UNSPECIFIED_DEVIATION + bytes([time_status]))


def build_message(
    *,
    frame: str = "general-ciphering",
    cra: str | int = "response",
    originator_counter: int = 0,
    originator: str | bytes = "00-DB-12-34-56-78-90-A3",
    recipient: str | bytes = "90-B3-D5-1F-30-01-00-00",
    date_time: datetime | bytes | None = None,
    time_status: int = 0x00,
    message_code: int = 0x0074,
    supplementary_remote_party_id: str | bytes | None = None,
    supplementary_remote_party_counter: int | None = None,
    supplementary_originator_counter: int | None = None,
    certificate: bytes | None = None,
    payload: bytes = b"",
    signature: bytes | None = b"",
    mac: bytes = bytes(12),
    security_header: bytes = b"\x11\x00\x00\x00\x00",
) -> bytes:
    """A General Ciphering or General Signing message with exactly these fields.

    ``signature``: b"" writes an empty signature field (00), None leaves the field out (as in
    pre-commands), 64 bytes write a signature. ``date_time``: a datetime (encoded with
    ``time_status``), 12 raw octets, or None for absent.
    """
    cra_flag = _CRA_FLAGS[cra] if isinstance(cra, str) else cra
    signing = bytearray(b"\xDF\x09")
    signing.append(cra_flag)
    signing += originator_counter.to_bytes(8, "big")
    signing += b"\x08" + eui_bytes(originator) + b"\x08" + eui_bytes(recipient)
    if date_time is None:
        signing += b"\x00"
    elif isinstance(date_time, bytes):
        if len(date_time) != 12:
            raise ValueError("raw date-time must be 12 octets")
        signing += b"\x0C" + date_time
    else:
        signing += b"\x0C" + encode_date_time(date_time, time_status)

    other = bytearray(message_code.to_bytes(2, "big"))
    if supplementary_remote_party_id is not None:
        other += eui_bytes(supplementary_remote_party_id)
        if supplementary_remote_party_counter is not None:
            other += supplementary_remote_party_counter.to_bytes(8, "big")
            if certificate is not None:
                if len(certificate) <= 8:
                    raise ValueError("a certificate must be over 8 bytes: 26 bytes of "
                                     "other-information mean a supplementary originator counter")
                other += certificate
            elif supplementary_originator_counter is not None:
                other += supplementary_originator_counter.to_bytes(8, "big")
    signing += encode_length(len(other)) + other
    signing += encode_length(len(payload)) + payload
    if signature is not None:
        signing += encode_length(len(signature)) + signature

    if frame == "general-signing":
        return bytes(signing)
    if frame != "general-ciphering":
        raise ValueError(f"unknown frame {frame!r}")
    if len(mac) != 12:
        raise ValueError("a GBCS MAC is 12 bytes")
    ciphered = security_header + bytes(signing) + mac
    return b"\xDD" + bytes(6) + encode_length(len(ciphered)) + ciphered


def _gbt_length(length: int, long_form: bool) -> bytes:
    if long_form:
        if length > 0xFFFF:
            raise ValueError("the 82 XX XX form holds at most 65,535")
        return b"\x82" + length.to_bytes(2, "big")
    return encode_length(length)


def build_block(
    *,
    number: int,
    data: bytes,
    last: bool = False,
    cra: str | int = "response",
    originator_counter: int = 0,
    originator: str | bytes = "00-DB-12-34-56-78-90-A3",
    recipient: str | bytes = "90-B3-D5-1F-30-01-00-00",
    message_code: int = 0x0074,
    streaming: bool = False,
    window: int = 1,
    ack: int = 0,
    security_header: bytes = bytes(5),
    long_lengths: bool = False,
) -> bytes:
    """One GBT block (FACTS section 8): the Message Routing Header, then the GBT APDU.

    Routing header: ``DD``, transaction-id ``09`` CRA counter(8), ``08`` originator, ``08``
    recipient, ``00`` (no date-time), ``02`` message code, ``00`` (no key-info), the BER
    length of the rest, the 5-octet security header; then ``E0``, block-control (0x80 last,
    0x40 streaming, window in 0x3F), block-number (2), block-number-ack (2), BER length +
    block-data. ``long_lengths`` writes both lengths as ``82 XX XX``, as the 1,200-octet
    block of GBCS's sizing does. The defaults (window 1, ack 0, no streaming, security
    header of zeros) are FACTS' reasonable defaults: GBCS senders' values are not known.
    """
    if not 0 <= window <= 0x3F:
        raise ValueError("the window is 6 bits")
    cra_flag = _CRA_FLAGS[cra] if isinstance(cra, str) else cra
    if len(security_header) != 5:
        raise ValueError("the routing header's security header is 5 octets")
    control = (0x80 if last else 0) | (0x40 if streaming else 0) | window
    apdu = (b"\xE0" + bytes([control]) + number.to_bytes(2, "big") + ack.to_bytes(2, "big")
            + _gbt_length(len(data), long_lengths) + data)
    rest = security_header + apdu
    return (b"\xDD\x09" + bytes([cra_flag]) + originator_counter.to_bytes(8, "big")
            + b"\x08" + eui_bytes(originator) + b"\x08" + eui_bytes(recipient)
            + b"\x00" + b"\x02" + message_code.to_bytes(2, "big") + b"\x00"
            + _gbt_length(len(rest), long_lengths) + rest)


def split_into_blocks(message: bytes, data_size: int, **routing: object) -> list[bytes]:
    """A complete message cut into GBT blocks of ``data_size`` octets of block-data (the
    last one shorter), numbered from 1, the last with the last-block bit.

    The routing header repeats the message's own CRA, originator counter, originator,
    recipient and message code (read from the message unless given in ``routing``); other
    :func:`build_block` keywords (``window``, ``long_lengths`` ...) pass through.
    """
    if data_size < 1:
        raise ValueError("a block carries at least one octet")
    if not message:
        raise ValueError("an empty message has no blocks")
    from .codec.header import decode_header  # a message must decode to give its routing
    if not {"cra", "originator_counter", "originator", "recipient", "message_code"} <= set(routing):
        header = decode_header(message)
        defaults = {"cra": header.cra, "originator_counter": header.originator_counter,
                    "originator": header.originator, "recipient": header.recipient,
                    "message_code": header.message_code}
        routing = {**defaults, **routing}
    pieces = [message[start:start + data_size] for start in range(0, len(message), data_size)]
    return [build_block(number=index, data=piece, last=index == len(pieces), **routing)  # type: ignore[arg-type]
            for index, piece in enumerate(pieces, start=1)]
