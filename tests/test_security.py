"""The security layer on RTDS: MACs, signatures, decryption, missing keys, tampering."""
from __future__ import annotations

import dataclasses
import random
import shutil

import pytest
from cryptography.hazmat.primitives.asymmetric import ec

import pandc
from pandc.codec.parts import split_parts
from pandc.security import (
    KeySource, KeyStore, KeyStoreError, SecurityCache, derive_key, new_cache, secure,
    secure_many,
)
from pandc.security.decrypt import TAG_MISMATCH, decrypt_part

from conftest import KEYSTORE, is_response_or_alert, require

ACB = "90-B3-D5-1F-30-00-00-02"


@pytest.fixture(scope="module")
def keys():
    return KeyStore.from_directory(require(KEYSTORE))


@pytest.fixture(scope="module")
def secured(rtds, keys):
    messages = pandc.decode_many([data for _, data in rtds], keys=keys)
    return [(path, data, message) for (path, data), message in zip(rtds, messages)]


def _missing_key(verification) -> bool:
    return verification.reason.startswith("no key") or "; no key" in verification.reason


# --- key store ----------------------------------------------------------------------------

def test_key_store_reads_certificates_bare_public_keys_and_private_keys(keys):
    assert isinstance(keys, KeySource)
    certificate_key = keys.public_key("00-DB-12-34-56-78-90-A3", "ka")
    bare_key = keys.public_key("fffffffffffffffe", "ka")
    private_key = keys.private_key("90b3d51f30010000", "ka")
    assert isinstance(certificate_key, ec.EllipticCurvePublicKey)
    assert isinstance(bare_key, ec.EllipticCurvePublicKey)
    assert isinstance(private_key, ec.EllipticCurvePrivateKey)
    prepayment = keys.public_key("90-B3-D5-1F-30-01-00-00", "pp-ka")
    assert prepayment is not None
    assert prepayment.public_numbers() != keys.public_key("90b3d51f30010000", "ka").public_numbers()


def test_key_store_loads_each_key_once(keys):
    assert keys.public_key("00db1234567890a0", "ds") is keys.public_key("00db1234567890a0", "ds")


def test_missing_keys_are_none(keys):
    assert keys.public_key("00-00-00-00-00-00-00-01", "ka") is None
    assert keys.private_key("00-DB-12-34-56-78-90-A3", "ka") is None
    assert keys.public_key("not an eui", "ka") is None
    assert keys.public_key("00db1234567890a0", "bogus") is None


def test_access_control_broker_found_by_remote_party_role(keys):
    assert keys.access_control_broker == "90b3d51f30000002"


def test_key_store_refuses_a_missing_directory(tmp_path):
    with pytest.raises(KeyStoreError):
        KeyStore.from_directory(tmp_path / "absent")


def test_no_key_material_in_reprs_or_errors(tmp_path, keys):
    secret_text = (KEYSTORE / "90b3d51f30010000-ka.key").read_text()
    broken = secret_text.replace("A", "B", 5)
    (tmp_path / "90b3d51f30010000-ka.key").write_text(broken[:-40])
    store = KeyStore.from_directory(tmp_path)
    with pytest.raises(KeyStoreError) as caught:
        store.private_key("90b3d51f30010000", "ka")
    body = secret_text.splitlines()[1]
    for text in (str(caught.value), repr(caught.value), repr(store), repr(keys), repr(new_cache())):
        assert body[:16] not in text and "PRIVATE" not in text
    assert caught.value.__cause__ is None and caught.value.__suppress_context__


def test_broken_key_file_becomes_a_warning_not_an_exception(tmp_path, rtds):
    (tmp_path / "90b3d51f30010000-ka.key").write_text("-----BEGIN PRIVATE KEY-----\nAAAA\n")
    shutil.copy(KEYSTORE / "00db1234567890a3-ka.pem", tmp_path)
    store = KeyStore.from_directory(tmp_path)
    data = next(d for p, d in rtds if p.name == "GCS13a_4.1.1_SUCCESS_RELIABLE_GSME_RESPONSE_GBCS.HEX")
    message = pandc.decode(data, keys=store)
    assert message.mac_valid is None
    assert any("90b3d51f30010000-ka.key" in warning for warning in message.warnings)


# --- MACs and signatures on RTDS ----------------------------------------------------------

def test_every_response_and_alert_mac_is_valid(secured):
    checked = 0
    for path, _, message in secured:
        if not is_response_or_alert(path) or message.mac is None:
            continue
        if message.mac_valid is None:
            # PCS02 is exchanged between two devices whose private keys RTDS does not carry
            assert _missing_key(message.verification)
            assert "00-DB-12-34-56-78-90-A1" in " ".join(message.warnings)
        else:
            assert message.mac_valid is True, path.name
            checked += 1
    assert checked >= 200


def test_every_signature_is_valid(secured):
    signed = [(path, message) for path, _, message in secured if message.signature is not None]
    assert len(signed) >= 350
    for path, message in signed:
        assert message.signature_valid is True, path.name
    unsigned = [m for _, _, m in secured if m.signature is None]
    assert all(m.signature_valid is None for m in unsigned)


def test_command_macs_verify_with_the_access_control_broker(secured):
    commands = [(p, m) for p, _, m in secured if m.cra == "command" and m.mac is not None]
    verified = [p for p, m in commands if m.mac_valid is True]
    assert len(verified) >= 330
    for path, message in commands:
        assert message.mac_valid is not False, path.name
    pre_commands = [m for p, _, m in secured if "PRECOMMAND" in p.name]
    assert pre_commands and all(m.mac_valid is None and m.signature_valid is None
                                for m in pre_commands)


def test_without_an_access_control_broker_command_macs_are_not_checked(keys, rtds):
    class NoBroker:
        def public_key(self, eui, usage):
            return keys.public_key(eui, usage)

        def private_key(self, eui, usage):
            return keys.private_key(eui, usage)

    data = next(d for p, d in rtds if p.name == "GCS13a_4.1.1_SUCCESS_RELIABLE_GSME_COMMAND_GBCS.HEX")
    assert pandc.decode(data, keys=keys).mac_valid is True
    message = pandc.decode(data, keys=NoBroker())
    assert message.mac_valid is None
    assert any("Access Control Broker" in warning for warning in message.warnings)


class _Without:
    """A key source hiding some (eui, usage) keys: the plug-in protocol at work."""

    def __init__(self, keys, *hidden):
        self.keys = keys
        self.hidden = {(eui.replace("-", "").lower(), usage) for eui, usage in hidden}
        self.access_control_broker = keys.access_control_broker

    def public_key(self, eui, usage):
        if (eui.replace("-", "").lower(), usage) in self.hidden:
            return None
        return self.keys.public_key(eui, usage)

    def private_key(self, eui, usage):
        if (eui.replace("-", "").lower(), "private-" + usage) in self.hidden:
            return None
        return self.keys.private_key(eui, usage)


def test_missing_key_gives_none_and_a_warning_naming_it(keys, rtds):
    # The billing-data-log alert is signed and carries an encrypted component.
    data = next(d for p, d in rtds if p.name == "GCS53_NA_8F0A_ALERT_GBCS.HEX")
    device = "00-DB-12-34-56-78-90-A1"
    full = pandc.decode(data, keys=keys)
    assert full.originator == device
    assert full.signature_valid is True and full.parts[0].plaintext is not None

    no_ds = pandc.decode(data, keys=_Without(keys, (device, "ds")))
    assert no_ds.signature_valid is None
    assert any("ds" in w and device in w for w in no_ds.warnings)

    no_ka = pandc.decode(data, keys=_Without(keys, (device, "ka")))
    assert no_ka.signature_valid is True
    part = no_ka.parts[0]
    assert part.encrypted and part.plaintext is None and "no key" in part.error
    assert any("ka" in w and device in w for w in no_ka.warnings)


def test_missing_mac_key_gives_none(keys, rtds):
    data = next(d for p, d in rtds if p.name == "GCS13a_4.1.1_SUCCESS_RELIABLE_GSME_RESPONSE_GBCS.HEX")
    message = pandc.decode(data, keys=_Without(keys, ("90b3d51f30010000", "private-ka")))
    assert message.mac_valid is None
    assert any("no key" in w and "MAC" in w and "90-B3-D5-1F-30-01-00-00" in w
               for w in message.warnings)
    assert message.authenticated is False and "no key" in message.verification.reason


# --- decryption ---------------------------------------------------------------------------

def _read_attributes(zcl_frame: bytes) -> dict[int, int]:
    """Minimal ZCL Read Attributes Response decoding for the types GCS13a uses."""
    sizes = {0x22: 3, 0x25: 6, 0x30: 1}
    values, position, payload = {}, 0, zcl_frame[3:]
    while position < len(payload):
        attribute = int.from_bytes(payload[position:position + 2], "little")
        assert payload[position + 2] == 0, "attribute status"
        size = sizes[payload[position + 3]]
        start = position + 4
        values[attribute] = int.from_bytes(payload[start:start + size], "little")
        position = start + size
    return values


@pytest.mark.parametrize("name", [
    "GCS13a_4.1.1_SUCCESS_RELIABLE_GSME_RESPONSE_GBCS.HEX",
    "GCS13a_4.1.1_SUCCESS_RELIABLE_GPF_RESPONSE_GBCS.HEX",
    "GCS13a_4.1.1_SUCCESS_UNRELIABLE_RESPONSE_GBCS.HEX",
])
def test_gcs13a_decrypts_to_the_gas_register(keys, rtds, name):
    data = next(d for p, d in rtds if p.name == name)
    message = pandc.decode(data, keys=keys)
    part, = message.parts
    assert part.encrypted and part.error is None and part.cluster_id == 0x0702
    frame = part.plaintext
    assert frame[2] == 0x01                                    # Read Attributes Response
    values = _read_attributes(frame)
    assert values == {0x0000: 12345, 0x0301: 1, 0x0302: 1000, 0x0300: 0x01}


def test_every_encrypted_part_decrypts(secured):
    encrypted = [(p, part) for p, _, m in secured for part in m.parts if part.encrypted]
    assert len(encrypted) >= 40
    for path, part in encrypted:
        assert part.error is None and part.plaintext, (path.name, part.name)


def test_dlms_plaintext_replaces_the_protected_octet_string(keys, rtds):
    data = next(d for p, d in rtds if p.name == "ECS17b_4.1.1_SINGLE_SUCCESS_RESPONSE_GBCS.HEX")
    part, = pandc.decode(data, keys=keys).parts
    (element_start, cipher_start, cipher_end), = part.cipher_spans
    clear = part.plaintext
    assert clear[:element_start] == part.data[:element_start]
    tail = part.data[cipher_end:]
    assert clear.endswith(tail)
    inner = clear[element_start:len(clear) - len(tail)]
    assert inner[0] == 0x09 and inner[1] == len(inner) - 2
    assert len(inner) - 2 == cipher_end - cipher_start - 5 - 12
    assert inner[2] in (0x01, 0x02)          # the clear attributes are DLMS Data


def test_supplementary_remote_party_decrypts_with_its_own_key(keys, rtds):
    data = next(d for p, d in rtds if p.name == "ECS21b_4.14_URP_SUCCESS_RESPONSE_GBCS.HEX")
    message = pandc.decode(data, keys=keys)
    assert message.supplementary_remote_party_id == "90-B3-D5-1F-30-01-00-00"
    assert message.supplementary_originator_counter is not None
    assert message.mac_valid is True and message.parts[0].plaintext is not None


def test_tampered_ciphertext_is_reported_never_returned(keys, rtds):
    name = "GCS13a_4.1.1_SUCCESS_RELIABLE_GSME_RESPONSE_GBCS.HEX"
    data = bytearray(next(d for p, d in rtds if p.name == name))
    message = pandc.decode(bytes(data))
    part, = message.parts
    _, cipher_start, _ = part.cipher_spans[0]
    data[message.layout.content_offset + 3 + cipher_start + 7] ^= 0x01
    tampered = pandc.decode(bytes(data), keys=keys)
    assert tampered.mac_valid is False
    part, = tampered.parts
    assert part.plaintext is None and part.error == TAG_MISMATCH
    assert any(TAG_MISMATCH in w for w in tampered.warnings)


def test_wrong_key_never_yields_plaintext(keys, rtds):
    data = next(d for p, d in rtds if p.name == "GCS13a_4.1.1_SUCCESS_RELIABLE_GSME_RESPONSE_GBCS.HEX")
    part, = pandc.decode(data).parts
    result = decrypt_part(part, bytes(16), bytes.fromhex("00db1234567890a3"))
    assert result.plaintext is None and result.error == TAG_MISMATCH


# --- tampering ----------------------------------------------------------------------------

_TAMPER_SAMPLE = [
    "GCS13a_4.1.1_SUCCESS_RELIABLE_GSME_RESPONSE_GBCS.HEX",   # GC response, encrypted GBZ
    "ECS17b_4.1.1_SINGLE_SUCCESS_RESPONSE_GBCS.HEX",         # GS response, DLMS protected
    "ECS21b_4.14_URP_SUCCESS_RESPONSE_GBCS.HEX",             # supplementary fields
    "GCS53_NA_8F0A_ALERT_GBCS.HEX",                          # alert, encrypted component
    "GCS01a_1.1.1_FUTURE_DATED_BLOCK_SUCCESS_COMMAND_GBCS.HEX",
    "CS08_11.2_SUCCESS_RESPONSE_GBCS.HEX",                   # ASN.1
]


@pytest.mark.parametrize("name", _TAMPER_SAMPLE)
def test_any_flipped_byte_invalidates(keys, rtds, name):
    data = next(d for p, d in rtds if p.name == name)
    original = pandc.decode(data, keys=keys)
    assert original.mac_valid is not False and original.signature_valid is not False
    assert True in (original.mac_valid, original.signature_valid)
    cache = SecurityCache(64)
    rng = random.Random(name)
    for position in range(len(data)):
        tampered = bytearray(data)
        tampered[position] ^= 1 << rng.randrange(8)
        try:
            message = pandc.decode(bytes(tampered))
        except pandc.DecodeError:
            continue            # no longer a GBCS message at all: rejected before security
        verification = secure(message, keys, cache).verification
        flagged = False in (verification.mac_valid, verification.signature_valid)
        unverifiable = verification.mac_valid is not True and \
            verification.signature_valid is not True and _missing_key(verification)
        assert flagged or unverifiable, (name, position)
        assert verification.authenticated is False and verification.reason, (name, position)


def test_secure_many_matches_secure_and_shares_the_cache(keys, rtds):
    messages = [pandc.decode(d) for p, d in rtds if is_response_or_alert(p)]
    cache = new_cache()
    one_by_one = [secure(m, keys, cache) for m in messages]
    pairs = len(cache)
    assert 0 < pairs < 20 and cache.hits > len(messages) / 2
    batch_cache = new_cache()
    for threads in (1, 2):
        assert secure_many(messages, keys, batch_cache, threads=threads) == one_by_one
    assert len(batch_cache) == pairs


def test_secure_many_passes_errors_through(keys, rtds):
    error = pandc.DecodeError("broken")
    message = pandc.decode(rtds[0][1])
    out = secure_many([error, message], keys, threads=2)
    assert out[0] is error and out[1] == secure(message, keys)


def test_decode_many_with_keys(keys, rtds):
    sample = [d for p, d in rtds if is_response_or_alert(p)][:50]
    batch = pandc.decode_many(sample, keys=keys)
    assert batch == [pandc.decode(d, keys=keys) for d in sample]


def test_secure_gives_a_separate_result_and_leaves_the_message_untouched(keys, rtds):
    data = next(d for p, d in rtds if p.name == "GCS13a_4.1.1_SUCCESS_RELIABLE_GSME_RESPONSE_GBCS.HEX")
    message = pandc.decode(data)
    checked = secure(message, keys)
    assert checked.verification.authenticated is True and checked.verification.mac_valid is True
    assert message.verification.authenticated is None and message.verification.reason == "no keys"
    assert message.parts[0].plaintext is None and checked.parts[0].plaintext is not None
    with pytest.raises(dataclasses.FrozenInstanceError):
        checked.verification.authenticated = False  # type: ignore[misc]


def test_kdf_known_shape():
    key = derive_key(bytes(32), bytes(8), 2, 1000, bytes(8))
    assert len(key) == 16
    assert key != derive_key(bytes(32), bytes(8), 2, 1001, bytes(8))
    assert key != derive_key(bytes(32), bytes(8), 4, 1000, bytes(8))


def test_split_parts_is_what_secure_decrypts(keys, rtds):
    data = next(d for p, d in rtds if p.name == "GCS13a_4.1.1_SUCCESS_RELIABLE_GSME_RESPONSE_GBCS.HEX")
    message = pandc.decode(data)
    assert secure(message, keys).parts[0].plaintext is not None
    assert split_parts(message)[0].plaintext is None


def test_decode_many_with_keys_secures_every_kind_of_item(keys):
    import base64
    from conftest import rtds_files
    path = rtds_files("4.1.1_GCS13a/*SUCCESS_RELIABLE_GSME_RESPONSE_GBCS.HEX")[0]
    data = bytes.fromhex(path.read_text())
    duis = ('<sr:Response xmlns:sr="http://www.dccinterface.co.uk/ServiceUserGateway"><sr:Body>'
            f"<sr:ResponseMessage><sr:GBCSPayload>{base64.b64encode(data).decode()}</sr:GBCSPayload>"
            "</sr:ResponseMessage></sr:Body></sr:Response>")
    results = pandc.decode_many([data, data.hex(), duis, "DD00"], keys=keys)
    assert isinstance(results[3], pandc.DecodeError)
    for message in results[:3]:
        assert message.mac_valid is True
        assert any(part.encrypted and part.plaintext is not None for part in message.parts)
