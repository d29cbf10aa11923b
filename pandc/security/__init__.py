"""pandc's security layer: GBCS MAC and signature checks, payload decryption, the verdict.

``secure(frame, keys, cache=None)`` returns a :class:`Secured`: the immutable
:class:`Verification` (``mac_valid``, ``signature_valid``, ``authenticated``, ``reason``), the
payload parts with encrypted ones decrypted, and warnings. ``keys`` is any
:class:`KeySource` (such as :class:`KeyStore`); ``cache`` (from :func:`new_cache`) shares
ECDH results across a batch. This layer reads codec frames and never builds a Message.
"""
from .check import Secured, default_cache, secure, secure_many
from .kdf import SecurityCache, derive_key, new_cache
from .keystore import KeySource, KeyStore, KeyStoreError
from .verification import NO_KEYS, NOT_VERIFIED, Verification

__all__ = ["KeySource", "KeyStore", "KeyStoreError", "NOT_VERIFIED", "NO_KEYS", "Secured",
           "SecurityCache", "Verification", "default_cache", "derive_key", "new_cache", "secure",
           "secure_many"]
