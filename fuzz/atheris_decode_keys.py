#!/usr/bin/env python3
"""atheris target: pandc.decode with a KeyStore (../shared/corpus/keystore): MAC and
signature checks, decryption and the decoded values of decrypted payloads."""
import sys

import harness
from harness import pandc

KEYSTORE = harness.shared_dir() / "corpus" / "keystore"
if not KEYSTORE.is_dir():
    sys.exit(f"atheris_decode_keys: no key store at {KEYSTORE} (set PANDC_SHARED)")
KEYS = pandc.KeyStore.from_directory(KEYSTORE)


def body(data: bytes) -> None:
    message = pandc.decode(data, keys=KEYS)
    _ = (message.verification.authenticated, message.warnings, message.values)
    if message.values is not None:
        pandc.values.to_json(message.values)


if __name__ == "__main__":
    harness.run(body)
