"""GBT: what reassembly costs a caller of decode_many.

Run: python -m pytest benchmarks/bench_gbt.py --benchmark-only
Each round decodes every RTDS response, one per routing key (as hex lines, the CLI's usual input):
- ``plain``: decode_many(lines), today's path;
- ``through_stream``: decode_many(list(reassemble_stream(lines))): the stage the lead wires
  in front of decode_many, on input without any GBT block (its pass-through cost);
- ``from_blocks``: the same messages as GBT blocks of 1,149 data octets (GBCS's block size),
  hex lines, shuffled: reassembly then decode.
Compare the means side by side (ratios, same machine, same run).
"""
from __future__ import annotations

import os
import random
from pathlib import Path

import pytest

import pandc
from pandc.codec.gbt import reassemble_stream
from pandc.codec.header import decode_header
from pandc.testing import split_into_blocks

SHARED = Path(os.environ.get("PANDC_SHARED", Path(__file__).resolve().parents[1].parent / "shared"))
RTDS = SHARED / "corpus" / "rtds"


@pytest.fixture(scope="module")
def lines() -> list[str]:
    if not RTDS.is_dir():
        pytest.skip(f"{RTDS} is absent (shared reference data not available)")
    # One message per routing key (RTDS reuses some counters; a capture would not).
    unique: dict[tuple, str] = {}
    for path in sorted(RTDS.glob("*/*_RESPONSE_GBCS.HEX")):
        header = decode_header(bytes.fromhex(path.read_text().strip()))
        key = (header.originator, header.recipient, header.cra, header.originator_counter,
               header.message_code)
        unique.setdefault(key, path.read_text().strip())
    return list(unique.values())


@pytest.fixture(scope="module")
def block_lines(lines) -> list[str]:
    blocks = [b.hex() for line in lines for b in split_into_blocks(bytes.fromhex(line), 1149)]
    random.Random(1).shuffle(blocks)
    return blocks


def test_plain(benchmark, lines):
    benchmark(pandc.decode_many, lines)


def test_through_stream(benchmark, lines):
    benchmark(lambda: pandc.decode_many(list(reassemble_stream(lines))))


def test_from_blocks(benchmark, block_lines, lines):
    results = benchmark(lambda: pandc.decode_many(list(reassemble_stream(block_lines))))
    assert len(results) == len(lines)
