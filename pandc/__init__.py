"""pandc: Parse and Correlate for GB smart metering.

Decode GBCS messages (bytes, hex, base64 or DUIS Response XML) into immutable :class:`Message`
objects with :func:`decode`, :func:`decode_many` or :func:`iter_decode`; with a
:class:`KeyStore` each message is verified (``message.verification.authenticated``) and its
encrypted parts decrypted. Render MMC XML with :func:`to_mmc` and check XML with
:func:`validate`.
"""
from __future__ import annotations

from importlib.metadata import PackageNotFoundError, version as _version
from typing import TYPE_CHECKING, Any

from .api import decode, decode_duis, decode_many, iter_decode, verify
from .codec.header import BACKEND
from .correlate import (Correlation, Mismatch, Request, correlate, correlate_and_sign,
                        parse_request, sign_precommand)
from .codec.limits import LimitError
from .codec.parts import PayloadPart
from .duis import (DuisError, DuisResponse, InventoryDevice, RestrictedPolicy, iter_duis,
                   parse_duis, service_flags)
from .errors import DecodeError, PandcError
from .message import DuisContext, Message
from .mmc import MMCRenderError, to_mmc
from .registry import MESSAGE_CODES, MessageCodeInfo
from .responsecodes import RESTRICTED_RESPONSE_CODE
from .security import KeySource, KeyStore, KeyStoreError, Verification
from .values import Node

if TYPE_CHECKING:
    from .tables import decode_table, iter_tables
    from .mmc.validation import SchemaNotFoundError, ValidationIssue, ValidationReport, validate

try:
    __version__ = _version("pandc")   # pyproject.toml is the one place the version is set
except PackageNotFoundError:  # pragma: no cover - running from an uninstalled checkout
    __version__ = "0+unknown"

_LAZY = {"SchemaNotFoundError", "ValidationIssue", "ValidationReport", "validate"}
# Not in __all__: they need the optional pyarrow, and `from pandc import *` must work without.
_LAZY_ARROW = {"decode_table", "iter_tables"}


def __getattr__(name: str) -> Any:
    # Validation needs xmlschema; `import pandc` does not pay for it until it is used.
    if name in _LAZY:
        from .mmc import validation
        return getattr(validation, name)
    if name in _LAZY_ARROW:
        # Arrow output needs pyarrow (the [arrow] extra), imported on first use only.
        from . import tables
        return getattr(tables, name)
    raise AttributeError(f"module 'pandc' has no attribute {name!r}")


__all__ = [
    "BACKEND", "Correlation", "DecodeError", "DuisContext", "DuisError", "DuisResponse",
    "InventoryDevice", "KeySource", "KeyStore", "KeyStoreError", "LimitError", "MESSAGE_CODES",
    "MMCRenderError", "Message", "MessageCodeInfo", "Mismatch", "Node", "PandcError",
    "PayloadPart", "RESTRICTED_RESPONSE_CODE", "Request", "RestrictedPolicy",
    "SchemaNotFoundError", "ValidationIssue", "ValidationReport", "Verification",
    "__version__", "correlate", "correlate_and_sign", "decode", "decode_duis", "decode_many",
    "iter_decode", "iter_duis", "parse_duis", "parse_request", "service_flags",
    "sign_precommand", "to_mmc", "validate", "verify",
]
