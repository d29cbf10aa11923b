"""Pure-Python twin of csrc/gbcs_header.c: same results, same error codes and offsets."""
from __future__ import annotations

from collections.abc import Sequence

from ..errors import DecodeError, header_error
from .ber import LengthError, read_length
from .rawheader import (
    HAS_CERTIFICATE, HAS_DATE_TIME, HAS_MAC, HAS_SIGNATURE_FIELD, HAS_SO_COUNTER,
    HAS_SRP_COUNTER, HAS_SRP_ID, NO_DATE_TIME, NO_EUI, RawHeader,
)

_EMPTY, _TRUNCATED, _LENGTH_FORM, _UNKNOWN_FRAME, _BLOCK_TRANSFER = 1, 2, 3, 4, 5
_CIPHERING_FIELDS, _SECURITY_HEADER, _CIPHERING_LENGTH, _SIGNING_TAG = 6, 7, 8, 9
_TRANSACTION_ID, _CRA_FLAG, _SYSTEM_TITLE, _DATE_TIME, _OTHER_INFORMATION = 10, 11, 12, 13, 14
_SIGNATURE_LENGTH, _TRAILING_BYTES, _TOO_LARGE, _SIGNATURE_MISSING = 15, 16, 17, 18
_GBT_BLOCK = 19

_FROM_BYTES = int.from_bytes


class _Fail(Exception):
    def __init__(self, code: int, offset: int):
        self.code = code
        self.offset = offset


def _read_length(buf: bytes, pos: int, end: int) -> tuple[int, int]:
    try:
        length, after = read_length(buf, pos, 0, end)
    except LengthError as error:
        raise _Fail(_TRUNCATED if error.truncated else _LENGTH_FORM, pos) from None
    return length, after


def _read_sized(buf: bytes, pos: int, end: int) -> tuple[int, int, int]:
    """Returns (value offset, value length, position after the value)."""
    length, value = _read_length(buf, pos, end)
    if length > end - value:
        raise _Fail(_TRUNCATED, pos)
    return value, length, value + length


def _expect(buf: bytes, pos: int, end: int, value: int, code: int) -> int:
    if pos >= end:
        raise _Fail(_TRUNCATED, pos)
    if buf[pos] != value:
        raise _Fail(code, pos)
    return pos + 1


def _need(pos: int, end: int, n: int) -> None:
    if n > end - pos:
        raise _Fail(_TRUNCATED, pos)


def _decode_signing(buf: bytes, pos: int, end: int, frame: int, flags: int, mac_offset: int) -> RawHeader:
    signing_offset = pos
    pos = _expect(buf, pos, end, 0xDF, _SIGNING_TAG)
    pos = _expect(buf, pos, end, 0x09, _TRANSACTION_ID)
    _need(pos, end, 9)
    cra = buf[pos]
    if cra < 1 or cra > 3:
        raise _Fail(_CRA_FLAG, pos)
    originator_counter = _FROM_BYTES(buf[pos + 1:pos + 9], "big")
    pos += 9
    pos = _expect(buf, pos, end, 0x08, _SYSTEM_TITLE)
    _need(pos, end, 8)
    originator = buf[pos:pos + 8]
    pos = _expect(buf, pos + 8, end, 0x08, _SYSTEM_TITLE)
    _need(pos, end, 8)
    recipient = buf[pos:pos + 8]
    pos += 8

    _need(pos, end, 1)
    date_time = NO_DATE_TIME
    if buf[pos] == 0x0C:
        pos += 1
        _need(pos, end, 12)
        date_time = buf[pos:pos + 12]
        flags |= HAS_DATE_TIME
        pos += 12
    elif buf[pos] == 0x00:
        pos += 1
    else:
        raise _Fail(_DATE_TIME, pos)

    start = pos
    info, info_length, pos = _read_sized(buf, pos, end)
    if not (info_length in (2, 10, 18) or info_length >= 26):
        raise _Fail(_OTHER_INFORMATION, start)
    message_code = (buf[info] << 8) | buf[info + 1]
    srp_id = NO_EUI
    srp_counter = so_counter = cert_offset = cert_length = 0
    if info_length >= 10:
        srp_id = buf[info + 2:info + 10]
        flags |= HAS_SRP_ID
    if info_length >= 18:
        srp_counter = _FROM_BYTES(buf[info + 10:info + 18], "big")
        flags |= HAS_SRP_COUNTER
    if info_length == 26:
        so_counter = _FROM_BYTES(buf[info + 18:info + 26], "big")
        flags |= HAS_SO_COUNTER
    elif info_length > 26:
        cert_offset = info + 18
        cert_length = info_length - 18
        flags |= HAS_CERTIFICATE

    content_offset, content_length, pos = _read_sized(buf, pos, end)
    signature_offset = signature_length = 0
    if pos == end:
        # Pre-commands (general-signing commands) end with the content: no signature field.
        if not (frame == 0xDF and cra == 1):
            raise _Fail(_SIGNATURE_MISSING, pos)
    else:
        start = pos
        signature_offset, signature_length, pos = _read_sized(buf, pos, end)
        if signature_length not in (0, 64):
            raise _Fail(_SIGNATURE_LENGTH, start)
        flags |= HAS_SIGNATURE_FIELD
        if pos != end:
            raise _Fail(_TRAILING_BYTES, pos)

    return RawHeader(
        originator_counter, srp_counter, so_counter, len(buf), signing_offset, cert_offset,
        cert_length, content_offset, content_length, signature_offset, signature_length,
        mac_offset, message_code, frame, cra, flags, originator, recipient, srp_id, date_time,
    )


def _decode(buf: bytes) -> RawHeader:
    end = len(buf)
    if end == 0:
        raise _Fail(_EMPTY, 0)
    if end > 0xFFFFFFFF:
        raise _Fail(_TOO_LARGE, 0)
    frame = buf[0]
    if frame == 0xDF:
        return _decode_signing(buf, 0, end, frame, 0, 0)
    if frame == 0xDD:
        if end >= 2 and buf[1] == 0x09:
            # A GBT block's routing header: one piece of a message (FACTS section 8).
            raise _Fail(_GBT_BLOCK, 0)
        pos = 1
        for _ in range(6):
            pos = _expect(buf, pos, end, 0x00, _CIPHERING_FIELDS)
        offset, length, pos = _read_sized(buf, pos, end)
        if pos != end:
            raise _Fail(_TRAILING_BYTES, pos)
        if length < 5 + 1 + 12:
            raise _Fail(_CIPHERING_LENGTH, offset)
        if buf[offset] != 0x11:
            raise _Fail(_SECURITY_HEADER, offset)
        mac_offset = offset + length - 12
        return _decode_signing(buf, offset + 5, mac_offset, frame, HAS_MAC, mac_offset)
    if frame == 0xE0:
        raise _Fail(_BLOCK_TRANSFER, 0)
    raise _Fail(_UNKNOWN_FRAME, 0)


def decode_header(data: bytes) -> RawHeader:
    try:
        return _decode(bytes(data))
    except _Fail as failure:
        raise header_error(failure.code, failure.offset) from None


def decode_headers(blobs: Sequence[bytes]) -> list[RawHeader | DecodeError]:
    results: list[RawHeader | DecodeError] = []
    for blob in blobs:
        try:
            results.append(_decode(bytes(blob)))
        except _Fail as failure:
            results.append(header_error(failure.code, failure.offset))
    return results


def decode_batch(buffer: bytes, offsets: Sequence[int], lengths: Sequence[int]) -> list[RawHeader | DecodeError]:
    """Same contract as the C core's decode_batch (a sequence of RawHeader | DecodeError)."""
    if len(lengths) != len(offsets):
        raise ValueError("offsets and lengths differ in length")
    view = memoryview(buffer)
    results: list[RawHeader | DecodeError] = []
    for offset, length in zip(offsets, lengths):
        if offset > len(buffer) or length > len(buffer) - offset:
            results.append(header_error(_TRUNCATED, 0))
            continue
        results.extend(decode_headers([bytes(view[offset:offset + length])]))
    return results
