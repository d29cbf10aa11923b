"""pandc: Parse and Correlate for GB smart metering.

Decode GBCS messages (bytes, hex, base64 or DUIS Response XML) into :class:`Message` objects
with :func:`decode` / :func:`decode_many`.
"""
from .api import decode, decode_duis, decode_many
from .errors import DecodeError, PandcError
from .header import BACKEND
from .message import Message
from .payload import PayloadPart
from .registry import MESSAGE_CODES, MessageCodeInfo

__version__ = "0.1.0"

__all__ = [
    "BACKEND", "DecodeError", "MESSAGE_CODES", "Message", "MessageCodeInfo", "PandcError",
    "PayloadPart", "decode", "decode_duis", "decode_many", "__version__",
]
