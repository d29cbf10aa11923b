"""Signing a correlated pre-command with the User's digital-signing key.

GBCS (FACTS §2, §4): a pre-command is a General Signing APDU (``DF``) without its signature
field. The signed command a User returns is the same bytes followed by the signature field:
length ``40`` and the 64-octet ECDSA P-256 / SHA-256 signature (raw r‖s, each 32 octets big
endian) over the General Signing bytes after the ``DF`` tag up to the end of the content —
that is, over the whole pre-command but its first byte. The DCC then wraps it in General
Ciphering and adds the MAC.

DUIS returns it in ``sr:Request/sr:Body/sr:SignedPreCommand/sr:GBCSPayload`` (base64) under
the original request's header (:func:`signed_precommand_document`).
"""
from __future__ import annotations

import base64
import os
from pathlib import Path
from typing import Union
from xml.sax.saxutils import escape

from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.hazmat.primitives.asymmetric.utils import decode_dss_signature

from ..errors import PandcError
from ..security.keystore import KeySource
from .check import Correlation, PreCommandSource, RequestSource, correlate, read_precommand
from .request import DUIS_NAMESPACE, Request, parse_request

SIGNATURE_LENGTH = 64
SigningKey = Union[ec.EllipticCurvePrivateKey, bytes, str, "os.PathLike[str]",
                   tuple[KeySource, str]]


class SigningError(PandcError):
    """Refused to sign: not a pre-command, no usable key, or the pre-command does not
    correlate with its request."""

    def __init__(self, reason: str, correlation: Correlation | None = None) -> None:
        super().__init__(reason)
        self.reason = reason
        self.correlation = correlation


def load_signing_key(key: SigningKey, eui: str | None = None) -> ec.EllipticCurvePrivateKey:
    """The User's DS private key from a cryptography key, PEM bytes, a PEM file path, or a
    (KeyStore, User EUI) pair."""
    if isinstance(key, tuple):
        store, user = key
        found = store.private_key(user, "ds")
        if found is None:
            raise SigningError(f"key store has no digital-signing private key for {user}")
        key = found
    elif isinstance(key, (bytes, bytearray)) or isinstance(key, (str, os.PathLike)):
        if isinstance(key, (bytes, bytearray)) and b"-----BEGIN" in key:
            data = bytes(key)
        else:
            try:
                data = Path(key if not isinstance(key, (bytes, bytearray))
                            else key.decode()).read_bytes()
            except (OSError, UnicodeDecodeError) as exc:
                raise SigningError(f"cannot read the signing key: {exc}") from None
        try:
            loaded = serialization.load_pem_private_key(data, password=None)
        except (ValueError, TypeError) as exc:
            raise SigningError(f"not an unencrypted PEM private key: {exc}") from None
        if not isinstance(loaded, ec.EllipticCurvePrivateKey):
            raise SigningError("the signing key must be an EC P-256 (secp256r1) private key")
        key = loaded
    if not isinstance(key, ec.EllipticCurvePrivateKey) or key.curve.name != "secp256r1":
        raise SigningError("the signing key must be an EC P-256 (secp256r1) private key")
    return key


def sign_precommand(precommand: PreCommandSource, key: SigningKey) -> bytes:
    """The signed command: ``precommand`` + ``40`` + r‖s. Refuses anything that is not a
    pre-command (a General Signing command without a signature field)."""
    frame = read_precommand(precommand)
    if frame.frame != "general-signing" or frame.cra != "command":
        raise SigningError(f"not a pre-command: a {frame.frame} {frame.cra}")
    if frame.layout.signature_offset is not None:
        raise SigningError("not a pre-command: it already has a signature field")
    raw = frame.raw
    if frame.layout.content_end != len(raw):
        raise SigningError("not a pre-command: bytes follow the content")
    private = load_signing_key(key)
    der = private.sign(raw[1:], ec.ECDSA(hashes.SHA256()))
    r, s = decode_dss_signature(der)
    return raw + bytes([SIGNATURE_LENGTH]) + r.to_bytes(32, "big") + s.to_bytes(32, "big")


def correlate_and_sign(request: RequestSource, precommand: PreCommandSource,
                       key: SigningKey) -> tuple[Correlation, bytes]:
    """Correlate, and sign only when correlated; otherwise raise :class:`SigningError`
    carrying the correlation (its mismatches say why)."""
    if not isinstance(request, Request):
        request = parse_request(request)
    correlation = correlate(request, precommand)
    if not correlation.correlated:
        reasons = "; ".join(str(m) for m in correlation.mismatches[:5])
        raise SigningError(f"pre-command does not correlate: {reasons}", correlation)
    return correlation, sign_precommand(precommand, key)


def signed_precommand_document(request: Request, signed: bytes,
                               schema_version: str = "5.4") -> bytes:
    """A DUIS ``sr:Request`` returning the signed command (``sr:SignedPreCommand``) under the
    original request's header (RequestID, CommandVariant, SRV)."""
    payload = base64.b64encode(signed).decode("ascii")
    text = (
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        f'<sr:Request xmlns:sr="{DUIS_NAMESPACE}" schemaVersion="{escape(schema_version)}">'
        "<sr:Header>"
        f"<sr:RequestID>{escape(request.request_id)}</sr:RequestID>"
        f"<sr:CommandVariant>{request.command_variant}</sr:CommandVariant>"
        f"<sr:ServiceReference>{escape(request.service_reference)}</sr:ServiceReference>"
        f"<sr:ServiceReferenceVariant>{escape(request.service_reference_variant)}"
        "</sr:ServiceReferenceVariant>"
        "</sr:Header>"
        f"<sr:Body><sr:SignedPreCommand><sr:GBCSPayload>{payload}</sr:GBCSPayload>"
        "</sr:SignedPreCommand></sr:Body>"
        "</sr:Request>\n")
    return text.encode("utf-8")
