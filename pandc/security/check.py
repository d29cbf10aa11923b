"""The security layer applied to one decoded message: MAC, signature, decryption.

Key roles (GBCS section 4), by CRA flag:

- responses and alerts: the MAC key comes from the recipient's KA private key and the
  originator's KA public key; payload encryption uses the supplementary remote party (when
  present, else the recipient) and the originator;
- commands: the DCC Access Control Broker MACs every command, so the MAC key comes from the
  ACB and the device (the recipient), whichever side's private key the source holds;
- signatures: always the originator's DS public key.

ECDH is symmetric, so either side's private key works; the source's answer decides.
"""
from __future__ import annotations

import os
import threading
from concurrent.futures import Future, ThreadPoolExecutor

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any, TypeVar

from ..codec.fastdata import fast_init
from ..codec.frame import Frame
from ..codec.parts import PayloadPart
from .decrypt import decrypt_part
from .fastreplace import replace as _replace
from .kdf import MODE_PAYLOAD, SecurityCache, derive_key
from .keystore import KeySource, KeyStoreError, normalise_eui
from .verification import Verification, verdict
from .verify import general_ciphering_header_problem, mac_matches, signature_matches

T = TypeVar("T")
# (DS public key, raw message, signing offset, content end, signature)
SignatureJob = tuple[Any, bytes, int, int, bytes]

KA, DS = "ka", "ds"
_CRA_FLAGS = {"command": 1, "response": 2, "alert": 3}
_DEFAULT_CACHE = SecurityCache()


def default_cache() -> SecurityCache:
    """The cache used when secure() is given none (shared by the whole process)."""
    return _DEFAULT_CACHE


@fast_init
@dataclass(frozen=True, slots=True)
class Secured:
    """What the security layer found for one frame: the verification, the payload parts
    (encrypted ones decrypted where the keys allow) and warnings naming what was not checked."""

    verification: Verification
    parts: tuple[PayloadPart, ...]
    warnings: tuple[str, ...]


def secure(frame: Frame, keys: KeySource, cache: SecurityCache | None = None) -> Secured:
    """Check the MAC and signature of ``frame`` and decrypt its encrypted parts.

    Never raises for anything the message contains: a check that cannot be made (a missing
    key) leaves its result None, names the EUI and usage in a warning, and makes the verdict
    False with reason "no key: ...".
    """
    if cache is None:
        cache = _DEFAULT_CACHE
    state = _State(keys)
    job = _signature_job(frame, state)
    signature_valid = signature_matches(*job) if job is not None else None
    mac_valid, parts = _mac_and_parts(frame, keys, state, cache)
    return _finish(frame, mac_valid, parts, signature_valid, state)


def secure_many(frames: Iterable[Frame | T], keys: KeySource, cache: SecurityCache | None = None,
                *, threads: int | None = None) -> list[Secured | T]:
    """secure() over a batch, in order; items that are not frames (e.g. DecodeError) pass
    through unchanged. ``frames`` may be a generator: decoding then overlaps with signature
    verification.

    ECDSA verification dominates and releases the GIL, so signatures are verified on a
    thread pool (``threads``, default one per CPU; 0 or 1 verifies in the calling thread)
    while this thread decodes, checks MACs and decrypts. Results equal secure()'s.
    """
    if cache is None:
        cache = _DEFAULT_CACHE
    workers = (os.cpu_count() or 1) if threads is None else threads
    verifier = _Verifier(workers)
    items: list[tuple[Any, _State | None]] = []
    for frame in frames:
        if not isinstance(frame, Frame):
            items.append((frame, None))
            continue
        state = _State(keys)
        job = _signature_job(frame, state)
        if job is not None:
            verifier.add(len(items), job)
        items.append((frame, state))
    verifier.flush()
    assessed = [None if state is None else _mac_and_parts(frame, keys, state, cache)
                for frame, state in items]
    verdicts = verifier.results()
    results: list[Secured | T] = []
    for position, ((frame, found), changes) in enumerate(zip(items, assessed)):
        if found is None or changes is None:
            results.append(frame)
        else:
            results.append(_finish(frame, changes[0], changes[1], verdicts.get(position), found))
    return results


class _Verifier:
    """Signature jobs handed to the thread pool in chunks as they arrive."""

    CHUNK = 16

    __slots__ = ("_pool", "_pending", "_futures", "_inline")

    def __init__(self, workers: int):
        self._pool = _pool(workers) if workers > 1 else None
        self._pending: list[tuple[int, SignatureJob]] = []
        self._futures: list[Future[list[tuple[int, bool]]]] = []
        self._inline: list[tuple[int, SignatureJob]] = []

    def add(self, position: int, job: SignatureJob) -> None:
        self._pending.append((position, job))
        if len(self._pending) >= self.CHUNK:
            self.flush()

    def flush(self) -> None:
        if not self._pending:
            return
        if self._pool is None:
            self._inline.extend(self._pending)
        else:
            self._futures.append(self._pool.submit(_verify_chunk, self._pending))
        self._pending = []

    def results(self) -> dict[int, bool]:
        verdicts = dict(_verify_chunk(self._inline))
        for future in self._futures:
            verdicts.update(future.result())
        return verdicts


def _signature_job(frame: Frame, state: "_State") -> SignatureJob | None:
    """(public key, raw, signing offset, content end, signature), or None with the reason
    recorded when the message is signed but the key is missing."""
    signature = frame.signature
    if signature is None:
        return None
    public = state.public(frame.originator, DS)
    if public is None:
        state.missing.append(f"no key: no {DS} public key for {frame.originator} to check the "
                             "signature")
        return None
    layout = frame.layout
    return (public, layout.raw, layout.signing_offset, layout.content_end, signature)


def _mac_and_parts(frame: Frame, keys: KeySource, state: "_State",
                   cache: SecurityCache) -> tuple[bool | None, tuple[PayloadPart, ...]]:
    raw = frame.layout.raw
    signing = frame.layout.signing_offset
    # Originator and recipient system titles sit at fixed places after DF 09 <cra> <counter>.
    originator = raw[signing + 12:signing + 20]
    recipient = raw[signing + 21:signing + 29]
    mac_valid = None
    if frame.layout.mac_offset is not None:
        mac_valid = _check_mac(frame, keys, state, cache, originator, recipient)
    parts = frame.parts
    if any(part.encrypted and part.cipher_spans for part in parts):
        parts = tuple(_decrypt(frame, parts, state, cache, originator, recipient))
    return mac_valid, parts


def _finish(frame: Frame, mac_valid: bool | None, parts: tuple[PayloadPart, ...],
            signature_valid: bool | None, state: "_State") -> Secured:
    part_failures = tuple(f"{part.name}: {part.error}" for part in parts
                          if part.encrypted and part.cipher_spans and part.plaintext is None
                          and part.error and not part.error.startswith("no key"))
    verification = verdict(frame.layout.mac_offset is not None, mac_valid,
                           frame.signature is not None, signature_valid, part_failures,
                           tuple(state.missing))
    warnings = state.warnings + [f"not verified: {m}" for m in state.missing] + state.failures
    return Secured(verification, parts, tuple(warnings))


_POOL = None
_POOL_LOCK = threading.Lock()


def _verify_chunk(jobs: list[tuple[int, SignatureJob]]) -> list[tuple[int, bool]]:
    return [(position, signature_matches(*job)) for position, job in jobs]


def _pool(workers: int) -> ThreadPoolExecutor:
    global _POOL
    with _POOL_LOCK:
        if _POOL is None or _POOL._max_workers < workers:
            _POOL = ThreadPoolExecutor(max_workers=workers, thread_name_prefix="pandc-verify")
        return _POOL


def _check_mac(message: Frame, keys: KeySource, lookup: "_State", cache: SecurityCache,
               originator: bytes, recipient: bytes) -> bool | None:
    problem = general_ciphering_header_problem(message.raw, message.layout.signing_offset)
    if problem:
        lookup.warnings.append(f"MAC invalid: {problem}")
        return False
    if message.cra == "command":
        return _check_command_mac(message, keys, lookup, cache, originator, recipient)
    pair = lookup.pair(message.recipient, message.originator, KA, KA)
    if pair is None:
        lookup.missing.append(f"no key: no {KA} private key for {message.recipient} or "
                              f"{message.originator} with the other side's {KA} public key "
                              "to check the MAC")
        return None
    return _mac_with(pair, message, cache, originator, recipient)


def _check_command_mac(message: Frame, keys: KeySource, lookup: "_State", cache: SecurityCache,
                       originator: bytes, recipient: bytes) -> bool | None:
    # The Access Control Broker MACs commands from remote parties; a command a device sends
    # over the HAN (e.g. PCS02 from a PPMID) is MACed with the originator's own key pair.
    # Only when every keying that could apply has been tried is a mismatch reported False.
    broker = getattr(keys, "access_control_broker", None)
    broker = _dashed(broker) if broker else None
    broker_result = own_result = None
    if broker is not None:
        pair = lookup.pair(broker, message.recipient, KA, KA)
        if pair is not None:
            broker_result = _mac_with(pair, message, cache, originator, recipient)
            if broker_result:
                return True
    if broker != message.originator:
        pair = lookup.pair(message.originator, message.recipient, KA, KA)
        if pair is not None:
            own_result = _mac_with(pair, message, cache, originator, recipient)
            if own_result:
                return True
    if broker_result is False and (own_result is False or broker == message.originator):
        return False
    if broker is None:
        reason = "the key source names no Access Control Broker (whose KA key MACs commands)"
    elif broker_result is None:
        reason = (f"no {KA} private key of the Access Control Broker {broker} or of "
                  f"{message.recipient} with the other side's {KA} public key")
    else:
        reason = (f"it does not match the Access Control Broker {broker}'s key, and no {KA} "
                  f"key pair of {message.originator} with {message.recipient} is available to "
                  "check it as a device-originated command")
    if own_result is False:
        reason += f"; it does not match {message.originator}'s own {KA} key pair"
    lookup.missing.append(f"no key: command MAC not checked: {reason}")
    return None


def _mac_with(pair: tuple[Any, Any], message: Frame, cache: SecurityCache, originator: bytes,
              recipient: bytes) -> bool:
    key = derive_key(cache.shared_secret(*pair), originator, _CRA_FLAGS[message.cra],
                     message.originator_counter, recipient)
    layout = message.layout
    assert layout.mac_offset is not None
    return mac_matches(layout.raw, layout.signing_offset, layout.mac_offset, key, originator)


def _decrypt(message: Frame, parts: tuple[PayloadPart, ...], lookup: "_State",
             cache: SecurityCache, originator: bytes, recipient: bytes) -> list[PayloadPart]:
    # Payload encryption addresses the supplementary remote party when there is one, with
    # the supplementary originator counter when there is one (GBCS section 4).
    target = message.supplementary_remote_party_id or message.recipient
    target_octets = (bytes.fromhex(target.replace("-", ""))
                     if message.supplementary_remote_party_id else recipient)
    counter = message.supplementary_originator_counter
    if counter is None:
        counter = message.originator_counter
    pair = lookup.pair(target, message.originator, KA, KA)
    if pair is None:
        reason = (f"no key: needs the {KA} private key of {target} (or of "
                  f"{message.originator}) and the other side's {KA} public key")
        lookup.warnings.append(f"payload not decrypted: {reason}")
        return [_replace(p, error=reason) if p.encrypted and p.cipher_spans else p
                for p in parts]
    key = derive_key(cache.shared_secret(*pair), originator, MODE_PAYLOAD, counter, target_octets)
    result = []
    for part in parts:
        if part.encrypted and part.cipher_spans:
            part = decrypt_part(part, key, originator)
            if part.error:
                lookup.warnings.append(f"{part.name}: {part.error}")
        result.append(part)
    return result


def _dashed(eui: str) -> str:
    name = normalise_eui(eui)
    return "-".join(name[i:i + 2] for i in range(0, 16, 2)).upper() if name else eui


class _State:
    """Key lookups and findings for one message; key-source errors become warnings, not
    exceptions."""

    __slots__ = ("keys", "failures", "warnings", "missing")

    def __init__(self, keys: KeySource) -> None:
        self.keys = keys
        self.failures: list[str] = []
        self.warnings: list[str] = []
        self.missing: list[str] = []     # checks that could not be made, "no key: ..."

    def public(self, eui: str, usage: str) -> Any:
        try:
            return self.keys.public_key(eui, usage)
        except KeyStoreError as error:
            self.failures.append(f"key store: {error}")
            return None

    def private(self, eui: str, usage: str) -> Any:
        try:
            return self.keys.private_key(eui, usage)
        except KeyStoreError as error:
            self.failures.append(f"key store: {error}")
            return None

    def pair(self, first: str, second: str, first_usage: str, second_usage: str
             ) -> tuple[Any, Any] | None:
        """(private, public) for first's private and second's public key, else the
        reverse, else None."""
        own = self.private(first, first_usage)
        if own is not None:
            other = self.public(second, second_usage)
            if other is not None:
                return own, other
        own = self.private(second, second_usage)
        if own is not None:
            other = self.public(first, first_usage)
            if other is not None:
                return own, other
        return None
