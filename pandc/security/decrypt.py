"""Decrypting the encrypted parts of a payload: GBZ components and DLMS protected attributes.

Each ciphered-information field is a security header (0x31 and a 4-byte invocation
counter), ciphertext and a 12-byte GCM tag; AAD is the 0x31 byte and IV the originator EUI
followed by the invocation counter. A field whose tag fails leaves the part's plaintext None
with ``error`` saying so: unauthenticated bytes are never handed out.
"""
from __future__ import annotations

import hmac

from cryptography.hazmat.primitives.ciphers.aead import AESGCM

from ..codec.ber import encode_length
from ..codec.parts import PayloadPart
from .fastreplace import replace

TAG_LENGTH = 12
SECURITY_HEADER_LENGTH = 5
ZCL_HEADER_LENGTH = 3
TAG_MISMATCH = "authentication tag mismatch: not decrypted (wrong key or altered ciphertext)"


def open_ciphered_information(key: bytes, originator: bytes, blob: bytes) -> bytes | None:
    """The plaintext of one ciphered-information field, or None when its tag fails."""
    if len(blob) < SECURITY_HEADER_LENGTH + TAG_LENGTH:
        return None
    iv = originator + blob[1:SECURITY_HEADER_LENGTH]
    aad = blob[:1]
    ciphertext = blob[SECURITY_HEADER_LENGTH:-TAG_LENGTH]
    # AESGCM.decrypt only takes 16-byte tags and GBCS truncates them to 12. GCM encryption is
    # a keystream XOR, so encrypting the ciphertext yields the candidate plaintext, and
    # encrypting that reproduces the ciphertext with its genuine tag, checked (in constant
    # time) before the plaintext leaves this function. Cipher/GCM does the same 7x slower.
    aead = AESGCM(key)
    candidate = aead.encrypt(iv, ciphertext, aad)[:-16]
    expected_tag = aead.encrypt(iv, candidate, aad)[-16:-16 + TAG_LENGTH]
    if not hmac.compare_digest(expected_tag, blob[-TAG_LENGTH:]):
        return None
    return candidate


def decrypt_part(part: PayloadPart, key: bytes, originator: bytes) -> PayloadPart:
    """``part`` with its plaintext filled in, or with ``error`` set when a tag fails."""
    data = part.data
    if part.kind == "gbz":
        element_start, cipher_start, cipher_end = part.cipher_spans[0]
        clear = open_ciphered_information(key, originator, data[cipher_start:cipher_end])
        if clear is None:
            return replace(part, plaintext=None, error=TAG_MISMATCH)
        zcl_header = data[element_start - ZCL_HEADER_LENGTH:element_start]
        return replace(part, plaintext=zcl_header + clear, error=None)
    # DLMS: each protected-attributes octet string is rewritten with its clear content, as
    # an unprotected Get Protected Attributes Response would carry it.
    pieces: list[bytes] = []
    previous = 0
    for element_start, cipher_start, cipher_end in part.cipher_spans:
        clear = open_ciphered_information(key, originator, data[cipher_start:cipher_end])
        if clear is None:
            return replace(part, plaintext=None, error=TAG_MISMATCH)
        pieces += (data[previous:element_start], b"\x09", encode_length(len(clear)), clear)
        previous = cipher_end
    pieces.append(data[previous:])
    return replace(part, plaintext=b"".join(pieces), error=None)
