"""pandc: Parse and Correlate for GB smart metering.

Decode GBCS messages (bytes, hex, base64 or DUIS Response XML) into :class:`Message` objects
with :func:`decode` / :func:`decode_many`, render them as MMC XML with :func:`to_mmc`, check
XML with :func:`validate`, and verify / decrypt them with a :class:`KeyStore`.
"""
from .api import decode, decode_duis, decode_many
from .errors import DecodeError, PandcError
from .header import BACKEND
from .message import Message
from .mmc import MMCRenderError, to_mmc
from .payload import PayloadPart
from .registry import MESSAGE_CODES, MessageCodeInfo
from .responsecodes import RESTRICTED_RESPONSE_CODE
from .security import KeySource, KeyStore, KeyStoreError
from .validation import SchemaNotFoundError, ValidationIssue, ValidationReport, validate

__version__ = "0.1.0"

__all__ = [
    "BACKEND", "DecodeError", "KeySource", "KeyStore", "KeyStoreError", "MESSAGE_CODES",
    "MMCRenderError", "Message", "MessageCodeInfo", "PandcError", "PayloadPart",
    "RESTRICTED_RESPONSE_CODE", "SchemaNotFoundError", "ValidationIssue", "ValidationReport",
    "__version__", "decode", "decode_duis", "decode_many", "to_mmc", "validate",
]
