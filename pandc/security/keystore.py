"""Where the security layer gets SMKI keys: the KeySource protocol and a directory key store.

A key source answers two questions, by EUI-64 and usage ('ds' digital signing, 'ka' key
agreement, 'pp-ka' the supplier's prepayment key agreement key):
``public_key(eui, usage)`` and ``private_key(eui, usage)``, each returning a ``cryptography``
P-256 key object (or an object with the same methods, e.g. an HSM-backed private key that
implements ``exchange``) or None when the source has no such key. User systems with their own
SMKI repository or HSM implement these two methods instead of using :class:`KeyStore`.

A source may also name the DCC Access Control Broker (``access_control_broker``, an EUI),
whose key-agreement key MACs every command sent to a device; without it, command MACs are
not checked.
"""
from __future__ import annotations

import os
import threading
from pathlib import Path
from typing import Any, Callable, Protocol, TypeVar, runtime_checkable

from cryptography import x509
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID

from ..errors import PandcError

K = TypeVar("K")

USAGES = ("ds", "ka", "pp-ds", "pp-ka")
# SMKI Organisation certificates carry the remote party role in the subject OU (GBCS
# RemotePartyRole); 4 is the Access Control Broker.
ROLE_ACCESS_CONTROL_BROKER = 4
_PEM_CERTIFICATE = b"-----BEGIN CERTIFICATE-----"


class KeyStoreError(PandcError):
    """A key file that cannot be used. Names the file, never its content."""


@runtime_checkable
class KeySource(Protocol):
    def public_key(self, eui: str, usage: str) -> ec.EllipticCurvePublicKey | None: ...

    def private_key(self, eui: str, usage: str) -> ec.EllipticCurvePrivateKey | None: ...


def normalise_eui(eui: str | bytes) -> str | None:
    """'00-DB-12-34-56-78-90-A3', '00db1234567890a3' or 8 octets -> '00db1234567890a3'."""
    if isinstance(eui, (bytes, bytearray)):
        return bytes(eui).hex() if len(eui) == 8 else None
    text = eui.replace("-", "").replace(":", "").lower()
    if len(text) != 16:
        return None
    try:
        int(text, 16)
    except ValueError:
        return None
    return text


class KeyStore:
    """Keys read lazily from one directory of RTDS-style files.

    ``{eui}-{usage}.pem`` holds an X.509 certificate or a bare public key, ``{eui}-{usage}.key``
    a private key (PEM, unencrypted), with ``eui`` as 16 lowercase hex digits and ``usage`` one
    of 'ds', 'ka', 'pp-ds', 'pp-ka'. Each file is read at most once; absent files give None.
    """

    __slots__ = ("_directory", "_public", "_private", "_acb", "_acb_given", "_lock")

    def __init__(self, directory: str | os.PathLike[str], *, access_control_broker: str | None = None):
        self._directory = Path(directory)
        self._public: dict[tuple[str, str], ec.EllipticCurvePublicKey | None] = {}
        self._private: dict[tuple[str, str], ec.EllipticCurvePrivateKey | None] = {}
        self._acb_given = access_control_broker is not None
        self._acb = access_control_broker
        self._lock = threading.Lock()

    @classmethod
    def from_directory(cls, path: str | os.PathLike[str], *,
                       access_control_broker: str | None = None) -> "KeyStore":
        """A key store over ``path``. The Access Control Broker, unless given, is the
        organisation whose key-agreement certificate has remote party role 4 (found on first
        need)."""
        directory = Path(path)
        if not directory.is_dir():
            raise KeyStoreError(f"key directory {str(directory)!r} does not exist or is not a directory")
        return cls(directory, access_control_broker=access_control_broker)

    def __repr__(self) -> str:
        return f"KeyStore({str(self._directory)!r})"

    def __reduce__(self) -> tuple[Any, ...]:
        # Worker processes get the directory and load keys themselves (never key material).
        return (KeyStore, (self._directory,), {"access_control_broker": self._acb}
                if self._acb_given else None)

    def __setstate__(self, state: dict[str, Any]) -> None:
        self._acb, self._acb_given = state["access_control_broker"], True

    @property
    def directory(self) -> Path:
        return self._directory

    def public_key(self, eui: str, usage: str) -> ec.EllipticCurvePublicKey | None:
        cache_key = (eui, usage)
        try:
            return self._public[cache_key]
        except KeyError:
            pass
        key: ec.EllipticCurvePublicKey | None = self._load(eui, usage, ".pem", _read_public)
        self._public[cache_key] = key
        return key

    def private_key(self, eui: str, usage: str) -> ec.EllipticCurvePrivateKey | None:
        cache_key = (eui, usage)
        try:
            return self._private[cache_key]
        except KeyError:
            pass
        key: ec.EllipticCurvePrivateKey | None = self._load(eui, usage, ".key", _read_private)
        self._private[cache_key] = key
        return key

    @property
    def access_control_broker(self) -> str | None:
        if not self._acb_given:
            with self._lock:
                if not self._acb_given:
                    self._acb = self._find_access_control_broker()
                    self._acb_given = True
        return self._acb

    def _load(self, eui: str, usage: str, suffix: str, reader: Callable[[bytes, str], Any]) -> Any:
        name = normalise_eui(eui)
        if name is None or usage not in USAGES:
            return None
        path = self._directory / f"{name}-{usage}{suffix}"
        try:
            data = path.read_bytes()
        except FileNotFoundError:
            return None
        except OSError as error:
            raise KeyStoreError(f"{path.name}: cannot be read ({error.strerror})") from None
        return reader(data, path.name)

    def _find_access_control_broker(self) -> str | None:
        for path in sorted(self._directory.glob("*-ka.pem")):
            try:
                data = path.read_bytes()
                if not data.startswith(_PEM_CERTIFICATE):
                    continue
                certificate = x509.load_pem_x509_certificate(data)
                roles = certificate.subject.get_attributes_for_oid(NameOID.ORGANIZATIONAL_UNIT_NAME)
            except (OSError, ValueError):
                continue
            if any(_role(attribute.value) == ROLE_ACCESS_CONTROL_BROKER for attribute in roles):
                name = path.name[:-len("-ka.pem")]
                if normalise_eui(name) is not None:
                    return name
        return None


def _role(value: object) -> int | None:
    try:
        return int(value)  # type: ignore[call-overload, no-any-return]
    except (TypeError, ValueError):
        return None


def _read_public(data: bytes, filename: str) -> ec.EllipticCurvePublicKey:
    try:
        if data.lstrip().startswith(_PEM_CERTIFICATE):
            key: Any = x509.load_pem_x509_certificate(data).public_key()
        else:
            key = serialization.load_pem_public_key(data)
    except ValueError:
        raise KeyStoreError(f"{filename}: not a PEM certificate or public key") from None
    public: ec.EllipticCurvePublicKey = _require_p256(key, ec.EllipticCurvePublicKey, filename)
    return public


def _read_private(data: bytes, filename: str) -> ec.EllipticCurvePrivateKey:
    try:
        key = serialization.load_pem_private_key(data, password=None)
    except (ValueError, TypeError):
        # Never chain the parser's error: keep anything about the key's bytes out of it.
        raise KeyStoreError(f"{filename}: not an unencrypted PEM private key") from None
    private: ec.EllipticCurvePrivateKey = _require_p256(key, ec.EllipticCurvePrivateKey, filename)
    return private


def _require_p256(key: Any, kind: type, filename: str) -> Any:
    if not isinstance(key, kind) or getattr(key, "curve").name != "secp256r1":
        raise KeyStoreError(f"{filename}: not a P-256 (secp256r1) key")
    return key
