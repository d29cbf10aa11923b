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

import dataclasses

from ..payload import split_parts
from .decrypt import decrypt_part
from .kdf import MODE_PAYLOAD, SecurityCache, derive_key
from .keystore import KeyStoreError, normalise_eui
from .verify import general_ciphering_header_problem, mac_matches, signature_matches

KA, DS = "ka", "ds"
_CRA_FLAGS = {"command": 1, "response": 2, "alert": 3}
_DEFAULT_CACHE = SecurityCache()


def default_cache() -> SecurityCache:
    """The cache used when secure() is given none (shared by the whole process)."""
    return _DEFAULT_CACHE


def secure(message, keys, cache: SecurityCache | None = None):
    """``message`` with mac_valid, signature_valid and decrypted parts filled in.

    ``mac_valid``/``signature_valid`` are True or False when checked, None when there is
    nothing to check or a key is missing (a warning then names the EUI and usage). Never
    raises for anything the message contains.
    """
    if cache is None:
        cache = _DEFAULT_CACHE
    raw = message.raw
    signing = message.signing_offset
    # Originator and recipient system titles sit at fixed places after DF 09 <cra> <counter>.
    originator = raw[signing + 12:signing + 20]
    recipient = raw[signing + 21:signing + 29]
    warnings: list[str] = []
    lookup = _KeyLookup(keys, warnings)

    mac_valid = None
    if message.mac_offset is not None:
        mac_valid = _check_mac(message, keys, lookup, cache, originator, recipient, warnings)

    signature_valid = None
    if message.signature is not None:
        public = lookup.public(message.originator, DS)
        if public is None:
            warnings.append(f"signature not checked: no {DS} public key for {message.originator}")
        else:
            signature_valid = signature_matches(
                public, raw, signing, message.content_offset + len(message.payload),
                message.signature)

    parts = message.parts or split_parts(message)
    if any(part.encrypted and part.cipher_spans for part in parts):
        parts = _decrypt(message, parts, lookup, cache, originator, recipient, warnings)

    if lookup.failures:
        warnings.extend(lookup.failures)
    return dataclasses.replace(
        message, mac_valid=mac_valid, signature_valid=signature_valid, parts=tuple(parts),
        warnings=message.warnings + warnings if warnings else list(message.warnings))


def _check_mac(message, keys, lookup, cache, originator, recipient, warnings):
    problem = general_ciphering_header_problem(message.raw, message.signing_offset)
    if problem:
        warnings.append(f"MAC invalid: {problem}")
        return False
    cra = message.cra
    if cra == "command":
        return _check_command_mac(message, keys, lookup, cache, originator, recipient, warnings)
    pair = lookup.pair(message.recipient, message.originator, KA, KA)
    if pair is None:
        warnings.append(f"MAC not checked: no {KA} private key for {message.recipient} or "
                        f"{message.originator} with the other side's {KA} public key")
        return None
    return _mac_with(pair, message, cache, originator, recipient)


def _check_command_mac(message, keys, lookup, cache, originator, recipient, warnings):
    # The Access Control Broker MACs commands from remote parties; a command a device sends
    # over the HAN (e.g. PCS02 from a PPMID) is MACed with the originator's own key pair.
    broker = getattr(keys, "access_control_broker", None)
    broker = _dashed(broker) if broker else None
    broker_pair = None
    if broker is not None:
        broker_pair = lookup.pair(broker, message.recipient, KA, KA)
        if broker_pair is not None and _mac_with(broker_pair, message, cache, originator, recipient):
            return True
    own_pair = None
    if broker != message.originator:
        own_pair = lookup.pair(message.originator, message.recipient, KA, KA)
        if own_pair is not None:
            return _mac_with(own_pair, message, cache, originator, recipient)
    if broker_pair is not None:
        if broker == message.originator:
            return False
        warnings.append(f"command MAC does not match the Access Control Broker {broker}'s key "
                        f"and no {KA} key pair of {message.originator} with {message.recipient} "
                        "is available to check it as a device-originated command")
        return None
    who = f"the Access Control Broker {broker}" if broker else "an Access Control Broker (none named)"
    warnings.append(f"command MAC not checked: needs a {KA} private key of {who}, "
                    f"{message.originator} or {message.recipient} with the other side's "
                    f"{KA} public key")
    return None


def _mac_with(pair, message, cache, originator, recipient) -> bool:
    key = derive_key(cache.shared_secret(*pair), originator, _CRA_FLAGS[message.cra],
                     message.originator_counter, recipient)
    return mac_matches(message.raw, message.signing_offset, message.mac_offset, key, originator)


def _decrypt(message, parts, lookup, cache, originator, recipient, warnings):
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
        warnings.append(f"payload not decrypted: {reason}")
        return [dataclasses.replace(p, error=reason) if p.encrypted and p.cipher_spans else p
                for p in parts]
    key = derive_key(cache.shared_secret(*pair), originator, MODE_PAYLOAD, counter, target_octets)
    result = []
    for part in parts:
        if part.encrypted and part.cipher_spans:
            part = decrypt_part(part, key, originator)
            if part.error:
                warnings.append(f"{part.name}: {part.error}")
        result.append(part)
    return result


def _dashed(eui: str) -> str:
    name = normalise_eui(eui)
    return "-".join(name[i:i + 2] for i in range(0, 16, 2)).upper() if name else eui


class _KeyLookup:
    """Key lookups for one message; source errors become warnings, not exceptions."""

    __slots__ = ("keys", "failures", "_warnings")

    def __init__(self, keys, warnings):
        self.keys = keys
        self.failures: list[str] = []
        self._warnings = warnings

    def public(self, eui: str, usage: str):
        try:
            return self.keys.public_key(eui, usage)
        except KeyStoreError as error:
            self.failures.append(f"key store: {error}")
            return None

    def private(self, eui: str, usage: str):
        try:
            return self.keys.private_key(eui, usage)
        except KeyStoreError as error:
            self.failures.append(f"key store: {error}")
            return None

    def pair(self, first: str, second: str, first_usage: str, second_usage: str):
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
