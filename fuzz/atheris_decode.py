#!/usr/bin/env python3
"""atheris target: pandc.decode on arbitrary bytes (binary, hex, base64 or DUIS XML), no keys.
A Message must come back complete: its fields, values and warnings are touched."""
import harness
from harness import pandc


def body(data: bytes) -> None:
    message = pandc.decode(data)
    # Touch what a caller reads, so lazily built parts of a Message are fuzzed too.
    _ = (message.message_code, message.cra, message.warnings, message.values,
         message.failures, message.verification)
    if message.values is not None:
        pandc.values.to_json(message.values)


if __name__ == "__main__":
    harness.run(body)
