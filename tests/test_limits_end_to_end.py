"""Nesting and length bombs end to end: decode, decode_many, the CLI (--validate, --out-dir).

Every bomb gives a DecodeError (LimitError past a limit) naming an offset, or decodes when it
is within the limits; never RecursionError or MemoryError; and a batch goes on past it.
"""
from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys

import pytest

import pandc
from pandc.codec.limits import MAX_DEPTH
from pandc.testing import build_message

ECS17B = 0x0027          # DLMS: Read Instantaneous Import Registers (electricity)
GCS13A = 0x0074          # GBZ: the same for gas


def _length(n: int) -> bytes:
    if n < 0x80:
        return bytes([n])
    size = (n.bit_length() + 7) // 8
    return bytes([0x80 | size]) + n.to_bytes(size, "big")


def _access_response(data: bytes) -> bytes:
    """DLMS Access-Response: tag, invoke id (4), no date-time, no request spec, one data item,
    one get result (success)."""
    return bytes.fromhex("DA40000001" "00" "00" "01") + data + bytes.fromhex("01" "0100")


def dlms_nested(depth: int) -> bytes:
    return b"\x02\x01" * depth + b"\x11\x07"          # structure(1) ... unsigned 7


def dlms_counted(count: int, present: int) -> bytes:
    """An array claiming ``count`` elements with ``present`` null-data elements behind it."""
    return b"\x01" + _length(count) + b"\x00" * present


def _gbz_component(cluster: int, frame: bytes) -> bytes:
    return b"\x01\x09\x01" + b"\x01" + cluster.to_bytes(2, "big") + len(frame).to_bytes(2, "big") + frame


def zcl_nested(depth: int) -> bytes:
    """A Read Attributes Response whose one record is an array (0x48) of arrays ... depth deep."""
    value = b"\x48" * 0
    inner = b"\x20\x01\x00\x07"                       # array of uint8, 1 element: 7
    for _ in range(depth):
        inner = b"\x48" + b"\x01\x00" + inner         # array of array, 1 element
    record = (0x0000).to_bytes(2, "little") + b"\x00" + b"\x48" + inner[1:]
    return _gbz_component(0x0702, b"\x18\x00\x01" + value + record)


BOMBS = {
    **{f"dlms depth {d}": build_message(message_code=ECS17B, payload=_access_response(dlms_nested(d)))
       for d in (50, 500, 5_000, 50_000)},
    "dlms count 10^6 claimed": build_message(message_code=ECS17B,
                                             payload=_access_response(dlms_counted(10**6, 10))),
    "dlms count 10^5 present": build_message(message_code=ECS17B,
                                             payload=_access_response(dlms_counted(10**5, 10**5))),
    **{f"zcl depth {d}": build_message(message_code=GCS13A, payload=zcl_nested(d))
       for d in (50, 500, 5_000)},
}


@pytest.mark.parametrize("name", sorted(BOMBS))
def test_decode_refuses_or_decodes_never_crashes(name):
    data = BOMBS[name]
    try:
        message = pandc.decode(data)
    except pandc.DecodeError as error:
        assert error.offset is not None, name
        return
    # within the limits: decoded, and renders
    assert isinstance(message, pandc.Message)
    pandc.to_mmc(message)


def test_past_the_depth_limit_is_a_limit_error():
    with pytest.raises(pandc.LimitError):
        pandc.decode(BOMBS["dlms depth 500"])
    assert MAX_DEPTH < 500


def test_decode_many_goes_on_past_bombs():
    good = build_message(message_code=0x012A, payload=b"")
    items = [good] + list(BOMBS.values()) + [good]
    results = pandc.decode_many(items)
    assert len(results) == len(items)
    assert isinstance(results[0], pandc.Message) and isinstance(results[-1], pandc.Message)


def test_cli_goes_on_past_bombs_with_validate_and_out_dir(tmp_path):
    pandc_command = shutil.which("pandc", path=os.path.dirname(sys.executable)) or shutil.which("pandc")
    good = build_message(message_code=0x012A, payload=b"")
    source = tmp_path / "bombs.txt"
    lines = [good.hex()] + [data.hex() for data in BOMBS.values()] + [good.hex()]
    source.write_text("\n".join(lines) + "\n")
    done = subprocess.run([pandc_command, "decode", str(source)], capture_output=True, timeout=300)
    records = [json.loads(line) for line in done.stdout.splitlines()]
    assert len(records) == len(lines)
    assert "error" not in records[0] and "error" not in records[-1]
    out_dir = tmp_path / "mmc"
    done = subprocess.run([pandc_command, "decode", "--validate", "--out-dir", str(out_dir),
                           str(source)], capture_output=True, timeout=300)
    assert b"Traceback" not in done.stderr and b"RecursionError" not in done.stderr
    names = {p.name for p in out_dir.iterdir()}
    assert {"bombs.txt-1.xml", f"bombs.txt-{len(lines)}.xml"} <= names
