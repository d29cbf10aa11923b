"""The grouping-header decoder: the C core when it loads, its pure-Python twin otherwise.

Both return :class:`RawHeader` (field names as in ``csrc/gbcs_header.h``) or raise
:class:`~pandc.errors.DecodeError`; ``PANDC_PURE_PYTHON=1`` forces the twin.
"""
from __future__ import annotations

from . import backend
from .rawheader import RawHeader  # noqa: F401  (re-exported)

_backend, BACKEND = backend.load("_cheader", "_pyheader")

#: decode_header(data: bytes) -> RawHeader; raises DecodeError
decode_header = _backend.decode_header
#: decode_headers(blobs: Sequence[bytes]) -> list[RawHeader | DecodeError]
decode_headers = _backend.decode_headers
#: decode_batch(buffer, offsets, lengths) -> sequence of RawHeader | DecodeError, in one call
decode_batch = _backend.decode_batch
