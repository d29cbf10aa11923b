"""The authentication verdict (issue: re-layer, item 4) over every RTDS response and alert.

``authenticated`` is True only with keys, a protection present and every present protection
verified; anything else is False with a reason naming the check, and None without keys.
"""
from __future__ import annotations

import dataclasses
import json
import random
import os
import shutil
import subprocess
import sys

import pytest

import pandc
from pandc.security import KeyStore, Verification

from conftest import KEYSTORE, is_response_or_alert, require, rtds_messages

# Device-to-device: RTDS holds neither side's key-agreement private key.
NO_KEY_IN_RTDS = ("PCS01_", "PCS02_")


@pytest.fixture(scope="module")
def keys():
    return KeyStore.from_directory(require(KEYSTORE))


@pytest.fixture(scope="module")
def responses_and_alerts():
    return [(path, data) for path, data in rtds_messages() if is_response_or_alert(path)]


@pytest.fixture(scope="module")
def verified(responses_and_alerts, keys):
    decoded = pandc.decode_many([data for _, data in responses_and_alerts], keys=keys)
    return list(zip([path for path, _ in responses_and_alerts], decoded))


def test_every_untampered_response_and_alert_is_authenticated(verified):
    assert len(verified) >= 400
    for path, message in verified:
        assert isinstance(message, pandc.Message), path.name
        verification = message.verification
        assert isinstance(verification, Verification)
        if path.name.startswith(NO_KEY_IN_RTDS):
            assert verification.authenticated is False, path.name
            assert verification.reason.startswith("no key"), verification.reason
        else:
            assert verification.authenticated is True, (path.name, verification.reason)
            # the reason names what was verified
            assert "verified" in verification.reason


def test_without_keys_the_verdict_is_none_with_reason_no_keys(responses_and_alerts):
    for message in pandc.decode_many([data for _, data in responses_and_alerts[:40]]):
        assert message.verification.authenticated is None
        assert message.verification.reason == "no keys"


def _inner_signing_block(data: bytes) -> bytes:
    """The General Signing APDU of a General Ciphering message, read from the bytes:
    DD, six empty fields, BER length, 5-byte security header, then DF... up to the 12-byte MAC."""
    assert data[0] == 0xDD and data[1:7] == bytes(6)
    first = data[7]
    length_size = 1 if first < 0x80 else 1 + (first & 0x7F)
    start = 7 + length_size + 5
    assert data[start] == 0xDF
    return data[start:-12]


def test_every_mac_stripped_message_is_not_authenticated(responses_and_alerts, keys):
    stripped = [_inner_signing_block(data) for _, data in responses_and_alerts if data[0] == 0xDD]
    assert len(stripped) >= 150
    for inner, message in zip(stripped, pandc.decode_many(stripped, keys=keys)):
        assert message.frame == "general-signing" and message.mac is None
        assert message.verification.authenticated is False
        if message.signature is None:
            assert message.verification.reason.startswith("no protection")


def test_every_single_byte_tamper_is_not_authenticated(responses_and_alerts, keys):
    """One changed byte (random position and value) in each message: never authenticated;
    decode either refuses the bytes or names the failing check."""
    rng = random.Random(20261125)
    tampered = []
    for _, data in responses_and_alerts:
        for _ in range(3):
            copy = bytearray(data)
            position = rng.randrange(len(copy))
            copy[position] ^= rng.randrange(1, 256)
            tampered.append(bytes(copy))
    for result in pandc.decode_many(tampered, keys=keys):
        if isinstance(result, pandc.DecodeError):
            continue
        assert result.verification.authenticated is False, result.verification
        assert result.verification.reason


def test_an_unknown_originator_is_not_authenticated(responses_and_alerts, keys):
    checked = 0
    for path, data in responses_and_alerts[:60]:
        message = pandc.decode(data)
        raw = bytearray(data)
        at = message.layout.signing_offset + 12        # DF 09 cra counter(8) 08 <originator>
        raw[at:at + 8] = bytes.fromhex("0011223344556677")
        forged = pandc.decode(bytes(raw), keys=keys)
        assert forged.originator == "00-11-22-33-44-55-66-77"
        assert forged.verification.authenticated is False, path.name
        assert "no key" in forged.verification.reason, forged.verification.reason
        checked += 1
    assert checked == 60


def test_verify_gives_the_same_verdict_as_decode_with_keys(verified, keys):
    for path, message in verified[:30]:
        assert pandc.verify(message, keys) == message.verification, path.name


def test_the_verification_is_immutable_and_the_message_is_never_patched(verified):
    _, message = verified[0]
    with pytest.raises(dataclasses.FrozenInstanceError):
        message.verification.authenticated = False  # type: ignore[misc]
    with pytest.raises(dataclasses.FrozenInstanceError):
        message.values = None  # type: ignore[misc]


def test_cli_require_authenticated(tmp_path, responses_and_alerts):
    pandc_command = shutil.which("pandc", path=os.path.dirname(sys.executable)) or shutil.which("pandc")
    assert pandc_command, "the pandc console command is installed with the package"
    good = next(data for path, data in responses_and_alerts
                if path.name.startswith("GCS13a_4.1.1_SUCCESS_RELIABLE_GSME"))
    stripped = _inner_signing_block(good)
    source = tmp_path / "mixed.txt"
    source.write_text(f"{good.hex()}\n{stripped.hex()}\n")
    done = subprocess.run([pandc_command, "decode", "--keys", str(KEYSTORE),
                           "--require-authenticated", str(source)],
                          capture_output=True, timeout=120)
    assert done.returncode == 1, done.stderr
    first, second = (json.loads(line) for line in done.stdout.splitlines())
    assert first["authenticated"] is True and first["authentication_reason"]
    assert second["error"].startswith("not authenticated: no protection")
    out_dir = tmp_path / "mmc"
    done = subprocess.run([pandc_command, "decode", "--keys", str(KEYSTORE),
                           "--require-authenticated", "--out-dir", str(out_dir), str(source)],
                          capture_output=True, timeout=120)
    assert done.returncode == 1
    assert [p.name for p in out_dir.iterdir()] == ["mixed.txt-1.xml"]
    assert b"not authenticated" in done.stderr
