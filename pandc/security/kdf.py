"""GBCS key derivation: ECDH shared secret (cached per key pair) and the NIST concatenation KDF.

``key = SHA-256(00 00 00 01 || Z || OtherInfo)[0:16]`` with
``OtherInfo = 60 85 74 06 08 03 00 || originator || 09 || mode || counter(8) || recipient``
(GBCS section 4). Z depends only on the key pair, so it is computed once per pair and kept
in a bounded LRU cache shared by a whole batch.
"""
from __future__ import annotations

import hashlib
import threading
from collections import OrderedDict

from cryptography.hazmat.primitives.asymmetric import ec

MODE_COMMAND, MODE_RESPONSE, MODE_ALERT, MODE_PAYLOAD = 1, 2, 3, 4
_COUNTER_PREFIX = b"\x00\x00\x00\x01"
_ALGORITHM_ID = bytes.fromhex("60857406080300")
_ECDH = ec.ECDH()


def derive_key(shared_secret: bytes, originator: bytes, mode: int, counter: int,
               recipient: bytes) -> bytes:
    """The 16-byte AES key for one message (mode = CRA flag for the MAC, 4 for payloads)."""
    other_info = (_ALGORITHM_ID + originator + bytes((0x09, mode))
                  + counter.to_bytes(8, "big") + recipient)
    return hashlib.sha256(_COUNTER_PREFIX + shared_secret + other_info).digest()[:16]


class SecurityCache:
    """Bounded LRU of ECDH shared secrets, keyed by the identity of the two key objects.

    Each entry holds the key objects themselves, so an identity cannot be reused by another
    object while its entry lives. Shared secrets never appear in repr.
    """

    __slots__ = ("_entries", "_maxsize", "_lock", "hits", "misses")

    def __init__(self, maxsize: int = 512):
        if maxsize < 1:
            raise ValueError("maxsize must be at least 1")
        self._entries: OrderedDict[tuple[int, int], tuple[object, object, bytes]] = OrderedDict()
        self._maxsize = maxsize
        self._lock = threading.Lock()
        self.hits = 0
        self.misses = 0

    def __repr__(self) -> str:
        return f"SecurityCache(entries={len(self._entries)}, maxsize={self._maxsize})"

    def __len__(self) -> int:
        return len(self._entries)

    def shared_secret(self, own_private: ec.EllipticCurvePrivateKey,
                      other_public: ec.EllipticCurvePublicKey) -> bytes:
        """ECDH(own_private, other_public), computed once per key pair while cached."""
        pair = (id(own_private), id(other_public))
        with self._lock:
            entry = self._entries.get(pair)
            if entry is not None:
                self._entries.move_to_end(pair)
                self.hits += 1
                return entry[2]
        secret = own_private.exchange(_ECDH, other_public)
        with self._lock:
            self.misses += 1
            self._entries[pair] = (own_private, other_public, secret)
            if len(self._entries) > self._maxsize:
                self._entries.popitem(last=False)
        return secret

    def clear(self) -> None:
        with self._lock:
            self._entries.clear()


def new_cache(maxsize: int = 512) -> SecurityCache:
    return SecurityCache(maxsize)
