"""Checking the General Ciphering MAC and the General Signing signature of one message.

Both work on ``Message.raw`` and its offsets, without re-parsing. A check that cannot pass
(wrong header, wrong lengths, a tampered byte) returns False; it never raises for anything a
message can contain.
"""
from __future__ import annotations

import hmac

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.hazmat.primitives.asymmetric.utils import encode_dss_signature
from cryptography.hazmat.primitives.ciphers.aead import AESGCM

MAC_LENGTH = 12
SIGNATURE_LENGTH = 64
# DD, then the six empty general-ciphering fields (transaction-id, originator and recipient
# system titles, date-time, other-information, key-info).
GENERAL_CIPHERING_PREFIX = b"\xdd\x00\x00\x00\x00\x00\x00"
SECURITY_CONTROL_MAC = 0x11
# The AAD opens with the security control byte and the five empty header fields it covers.
_MAC_AAD_PREFIX = b"\x11\x00\x00\x00\x00\x00"
_ECDSA_SHA256 = ec.ECDSA(hashes.SHA256())


def general_ciphering_header_problem(raw: bytes, signing_offset: int) -> str | None:
    """Why the bytes before the General Signing APDU are not a GBCS MAC header, if so."""
    if raw[:7] != GENERAL_CIPHERING_PREFIX:
        return "general-ciphering header fields are not the six empty fields GBCS requires"
    if signing_offset < 12 or raw[signing_offset - 5] != SECURITY_CONTROL_MAC:
        return "general-ciphering security control is not 0x11"
    return None


def mac_matches(raw: bytes, signing_offset: int, mac_offset: int, key: bytes,
                originator: bytes) -> bool:
    """AES-GCM tag over (AAD = 11 00 00 00 00 00 || General Signing APDU), empty plaintext."""
    mac = raw[mac_offset:]
    if len(mac) != MAC_LENGTH or general_ciphering_header_problem(raw, signing_offset):
        return False
    iv = originator + raw[signing_offset - 4:signing_offset]   # invocation counter
    tag = AESGCM(key).encrypt(iv, b"", _MAC_AAD_PREFIX + raw[signing_offset:mac_offset])
    return hmac.compare_digest(tag[:MAC_LENGTH], mac)


def signature_matches(public_key: ec.EllipticCurvePublicKey, raw: bytes, signing_offset: int, content_end: int,
                      signature: bytes) -> bool:
    """ECDSA P-256/SHA-256 over the General Signing APDU after DF up to the end of content."""
    if len(signature) != SIGNATURE_LENGTH:
        return False
    der = encode_dss_signature(int.from_bytes(signature[:32], "big"),
                               int.from_bytes(signature[32:], "big"))
    try:
        public_key.verify(der, raw[signing_offset + 1:content_end], _ECDSA_SHA256)
    except InvalidSignature:
        return False
    return True
