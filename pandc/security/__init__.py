"""pandc's security layer: GBCS MAC and signature checks and payload decryption.

``secure(message, keys, cache=None)`` returns the message with ``mac_valid``,
``signature_valid`` and decrypted ``parts``; ``keys`` is any :class:`KeySource` (such as
:class:`KeyStore`); ``cache`` (from :func:`new_cache`) shares ECDH results across a batch.
"""
from .check import default_cache, secure, secure_many
from .kdf import SecurityCache, derive_key, new_cache
from .keystore import KeySource, KeyStore, KeyStoreError

__all__ = ["KeySource", "KeyStore", "KeyStoreError", "SecurityCache", "default_cache",
           "derive_key", "new_cache", "secure", "secure_many"]
