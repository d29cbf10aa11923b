"""The C core (csrc/gbcs_header.c, built by cffi as pandc._gbcs_header) behind header.py.

This is the only module that imports the compiled ``pandc._gbcs_header``: it checks the
module's layout and ABI number once, and ``_ccapture`` takes ``ffi``/``lib`` from here.
"""
from __future__ import annotations

import threading
from collections.abc import Iterator, Sequence
from typing import Any

from .._gbcs_header import ffi, lib
from ..errors import DecodeError, header_error
from .rawheader import RAW_HEADER_STRUCT, RawHeader

# csrc/gbcs_capture.h PANDC_CAPTURE_ABI: the pandc_capture_columns layout and the capture
# functions' signatures this Python code was written for.
CAPTURE_ABI = 2
_compiled_abi = lib.pandc_capture_abi() if hasattr(lib, "pandc_capture_abi") else None
if _compiled_abi != CAPTURE_ABI:  # pragma: no cover - a stale build
    raise ImportError(f"pandc._gbcs_header has capture ABI {_compiled_abi}, pandc expects "
                      f"{CAPTURE_ABI}: rebuild the C core (pip install -e .)")

HEADER_SIZE = ffi.sizeof("pandc_header")
if RAW_HEADER_STRUCT.size != HEADER_SIZE:  # pragma: no cover - an ABI we have not met
    raise ImportError(f"pandc_header is {HEADER_SIZE} bytes, RawHeader expects {RAW_HEADER_STRUCT.size}")

_unpack = RAW_HEADER_STRUCT.unpack
_iter_unpack = RAW_HEADER_STRUCT.iter_unpack
_make = RawHeader._make
_decode = lib.pandc_decode_header
# cffi releases the GIL during C calls, so each thread decodes into a struct of its own.
_scratch = threading.local()


def _result(values: tuple[Any, ...]) -> RawHeader | DecodeError:
    if values[-2]:
        return header_error(values[-2], values[-1])
    return _make(values[:-2])


def decode_header(data: bytes) -> RawHeader:
    try:
        out, view = _scratch.out
    except AttributeError:
        out = ffi.new("pandc_header *")
        view = ffi.buffer(out)
        _scratch.out = (out, view)
    if _decode(data, len(data), out):
        raise header_error(out.error, out.error_offset)
    return _make(_unpack(view)[:-2])


class HeaderBatch:
    """Headers of many messages decoded by one C call, converted to Python on access."""

    __slots__ = ("_headers", "_count", "failures", "_keepalive")

    def __init__(self, headers: Any, count: int, failures: int, keepalive: Any) -> None:
        self._headers = headers
        self._count = count
        self.failures = failures
        self._keepalive = keepalive

    def __len__(self) -> int:
        return self._count

    def __getitem__(self, index: int) -> RawHeader | DecodeError:
        if not 0 <= index < self._count:
            raise IndexError(index)
        return _result(RAW_HEADER_STRUCT.unpack_from(ffi.buffer(self._headers), index * HEADER_SIZE))

    def __iter__(self) -> Iterator[RawHeader | DecodeError]:
        return map(_result, _iter_unpack(ffi.buffer(self._headers, self._count * HEADER_SIZE)))


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
    reason: str = ffi.string(lib.pandc_error_reason(code)).decode("ascii")
    return reason
