"""The verification of one message: an immutable result with an authentication verdict.

GBCS protects every response and alert: with a MAC (General Ciphering) or a signature
(General Signing). ``authenticated`` is True only when keys were given, at least one
protection is present, and every present protection verifies, including the GCM tag of every
encrypted payload part; otherwise False, and ``reason`` says which check failed or could not
be made. Without keys nothing is checked: ``authenticated`` is None, reason ``"no keys"``.
"""
from __future__ import annotations

from dataclasses import dataclass

from ..codec.fastdata import fast_init, reduce_by_fields

NO_KEYS = "no keys"
NO_PROTECTION = "no protection: the message carries neither a MAC nor a signature"


@fast_init
@dataclass(frozen=True, slots=True)
class Verification:
    __reduce__ = reduce_by_fields   # see pandc.codec.fastdata

    mac_valid: bool | None            # None: no MAC, or it could not be checked
    signature_valid: bool | None      # None: no signature, or it could not be checked
    authenticated: bool | None        # None only when no keys were given
    reason: str                       # why (always set; names the failing check)


NOT_VERIFIED = Verification(None, None, None, NO_KEYS)


def verdict(has_mac: bool, mac_valid: bool | None, has_signature: bool,
            signature_valid: bool | None, part_failures: tuple[str, ...],
            missing: tuple[str, ...]) -> Verification:
    """The verdict from the individual checks (``missing``: why a check could not be made)."""
    problems = []
    if not has_mac and not has_signature:
        problems.append(NO_PROTECTION)
    if has_mac and mac_valid is False:
        problems.append("MAC invalid")
    if has_signature and signature_valid is False:
        problems.append("signature invalid")
    problems.extend(part_failures)
    if (has_mac and mac_valid is None) or (has_signature and signature_valid is None):
        problems.extend(missing or ("no key",))
    if problems:
        return Verification(mac_valid, signature_valid, False, "; ".join(problems))
    checked = [name for name, present in (("MAC", has_mac), ("signature", has_signature)) if present]
    return Verification(mac_valid, signature_valid, True, " and ".join(checked) + " verified")
