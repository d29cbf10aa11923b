"""The C core (csrc/gbcs_header.c, built by cffi as pandc._gbcs_header) behind header.py."""
from __future__ import annotations

from collections.abc import Sequence

from ._gbcs_header import ffi, lib
from .errors import DecodeError, header_error
from .rawheader import HAS_DATE_TIME, HAS_SRP_ID, RawHeader

_buffer = ffi.buffer


def _to_raw(h) -> RawHeader:
    flags = h.flags
    return RawHeader(
        h.frame, h.cra, flags, h.originator_counter,
        _buffer(h.originator)[:], _buffer(h.recipient)[:],
        _buffer(h.date_time)[:] if flags & HAS_DATE_TIME else b"",
        h.message_code,
        _buffer(h.supplementary_remote_party_id)[:] if flags & HAS_SRP_ID else b"",
        h.supplementary_remote_party_counter, h.supplementary_originator_counter,
        h.certificate_offset, h.certificate_length, h.signing_offset,
        h.content_offset, h.content_length, h.signature_offset, h.signature_length,
        h.mac_offset, h.message_length,
    )


def decode_header(data: bytes) -> RawHeader:
    out = ffi.new("pandc_header *")
    if lib.pandc_decode_header(data, len(data), out):
        raise header_error(out.error, out.error_offset)
    return _to_raw(out)


class HeaderBatch:
    """Headers of many messages decoded by one C call, converted to Python lazily."""

    __slots__ = ("_headers", "_count", "failures", "_keepalive")

    def __init__(self, headers, count: int, failures: int, keepalive):
        self._headers = headers
        self._count = count
        self.failures = failures
        self._keepalive = keepalive

    def __len__(self) -> int:
        return self._count

    def __getitem__(self, index: int) -> RawHeader | DecodeError:
        if not 0 <= index < self._count:
            raise IndexError(index)
        h = self._headers[index]
        if h.error:
            return header_error(h.error, h.error_offset)
        return _to_raw(h)

    def __iter__(self):
        return (self[i] for i in range(self._count))


def decode_batch(buffer: bytes, offsets: Sequence[int], lengths: Sequence[int]) -> HeaderBatch:
    """Decodes message i = buffer[offsets[i]:offsets[i] + lengths[i]] for every i, in one call."""
    count = len(offsets)
    if len(lengths) != count:
        raise ValueError("offsets and lengths differ in length")
    c_offsets = ffi.new("uint64_t[]", offsets)
    c_lengths = ffi.new("uint64_t[]", lengths)
    headers = ffi.new("pandc_header[]", max(count, 1))
    c_buffer = ffi.from_buffer(buffer)
    failures = lib.pandc_decode_headers(c_buffer, len(buffer), c_offsets, c_lengths, count, headers)
    return HeaderBatch(headers, count, failures, (c_buffer, buffer))


def decode_headers(blobs: Sequence[bytes]) -> list[RawHeader | DecodeError]:
    lengths = [len(b) for b in blobs]
    offsets = []
    position = 0
    for n in lengths:
        offsets.append(position)
        position += n
    return list(decode_batch(b"".join(blobs), offsets, lengths))


def error_reason(code: int) -> str:
    return ffi.string(lib.pandc_error_reason(code)).decode("ascii")
