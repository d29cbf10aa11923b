"""The grouping-header decoder: the C core when it loads, its pure-Python twin otherwise.

Both return :class:`RawHeader` (field names as in ``csrc/gbcs_header.h``) or raise
:class:`~pandc.errors.DecodeError`; ``PANDC_PURE_PYTHON=1`` forces the twin.
"""
from __future__ import annotations

import importlib
import os
from types import ModuleType

from .rawheader import RawHeader  # noqa: F401  (re-exported)


def _load_backend() -> tuple[ModuleType, str]:
    if os.environ.get("PANDC_PURE_PYTHON", "") not in ("", "0"):
        return importlib.import_module(f"{__package__}._pyheader"), "python"
    try:
        return importlib.import_module(f"{__package__}._cheader"), "c"
    except ImportError:
        return importlib.import_module(f"{__package__}._pyheader"), "python"


_backend, BACKEND = _load_backend()

#: decode_header(data: bytes) -> RawHeader; raises DecodeError
decode_header = _backend.decode_header
#: decode_headers(blobs: Sequence[bytes]) -> list[RawHeader | DecodeError]
decode_headers = _backend.decode_headers
#: decode_batch(buffer, offsets, lengths) -> sequence of RawHeader | DecodeError, in one call
decode_batch = _backend.decode_batch
