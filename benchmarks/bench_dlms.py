"""DLMS decoding as a caller gets it: a half-hour profile response (ECS22a shape, 4464
entries of { UTC seconds, active export, reactive export }, MMC's most) decoded to SMETSData,
as a plain array and as a compact-array (one type description, untagged contents).

Run: python3 -m pytest benchmarks/bench_dlms.py --benchmark-only
"""
from __future__ import annotations

import struct

import pandc
from pandc.testing import build_message

from conftest import per_second

ENTRIES = 4464


def _profile(compact: bool) -> str:
    rows = [(473299200 + 1800 * i, i, 2 * i) for i in range(ENTRIES)]
    if compact:
        contents = b"".join(struct.pack(">III", *row) for row in rows)
        buffer = b"\x13\x02\x03\x06\x06\x06\x83" + len(contents).to_bytes(3, "big") + contents
    else:
        buffer = b"\x01\x82" + ENTRIES.to_bytes(2, "big") + b"".join(
            b"\x02\x03" + b"".join(b"\x06" + struct.pack(">I", v) for v in row) for row in rows)
    apdu = bytes.fromhex("DA20000001" "00" "00" "01") + buffer + b"\x01\x01\x00"
    return build_message(message_code=0x0036, payload=apdu).hex()


def test_profile_array_to_mmc(benchmark):
    message = _profile(compact=False)
    benchmark(lambda: pandc.to_mmc(pandc.decode(message)))
    per_second(benchmark, ENTRIES, "entries_per_second")


def test_profile_compact_array_to_mmc(benchmark):
    message = _profile(compact=True)
    benchmark(lambda: pandc.to_mmc(pandc.decode(message)))
    per_second(benchmark, ENTRIES, "entries_per_second")
