#!/usr/bin/env python3
"""Writes fuzzing seeds (one binary message per file) into a corpus directory.

Seeds come from three places, so the fuzzers start deep inside the format:
  * every RTDS test vector under $PANDC_SHARED/corpus/rtds (read at run time, never committed);
  * messages built with pandc.testing.build_message (every frame kind, CRA flag, optional
    field and other-information length);
  * the shipped examples (examples/*.txt, one hex message per line).

usage: make_seeds.py OUT_DIR [--xml | --mmc | --requests]
  --xml: DUIS Response documents (for the DUIS targets) instead of binary messages;
  --mmc: MMC documents rendered by pandc.to_mmc and the DUIS requests in ../shared (for the
         validate target).
"""
from __future__ import annotations

import base64
import hashlib
import os
import sys
from datetime import datetime, timezone
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def shared_dir() -> Path:
    return Path(os.environ.get("PANDC_SHARED", ROOT.parent / "shared"))


def rtds_messages() -> list[bytes]:
    rtds = shared_dir() / "corpus" / "rtds"
    out = []
    if rtds.is_dir():
        for path in sorted(rtds.rglob("*.HEX")):
            text = "".join(path.read_text(errors="replace").split())
            try:
                out.append(bytes.fromhex(text))
            except ValueError:
                continue
    return out


def built_messages() -> list[bytes]:
    from pandc.testing import build_message
    when = datetime(2024, 3, 1, 12, 30, tzinfo=timezone.utc)
    out = []
    for frame in ("general-ciphering", "general-signing"):
        for cra in ("command", "response", "alert"):
            for date_time in (None, when):
                out.append(build_message(frame=frame, cra=cra, date_time=date_time,
                                         payload=bytes(range(16))))
                out.append(build_message(frame=frame, cra=cra, date_time=date_time,
                                         supplementary_remote_party_id=bytes(8),
                                         supplementary_remote_party_counter=7,
                                         supplementary_originator_counter=9,
                                         payload=b"\x01\x09" + bytes(20), signature=bytes(64)))
    out.append(build_message(frame="general-signing", cra="command", signature=None,
                             payload=b"\x30\x03\x02\x01\x05"))
    out.append(build_message(message_code=0x012A, date_time=when, time_status=0x04,
                             payload=bytes(40)))
    out.append(build_message(supplementary_remote_party_id=bytes(8),
                             supplementary_remote_party_counter=1,
                             certificate=b"\x30\x81\x80" + bytes(128), payload=bytes(8)))
    # Plain DLMS Access-Responses under the DLMS use cases' message codes (ECS17b, ECS19,
    # ECS17d, ECS82), nested a little and a lot (structures of structures, arrays of
    # arrays): the nested readers are where unbounded recursion hides, and mutation alone
    # rarely builds a deep structure from a flat one.
    for code in (0x0027, 0x0029, 0x002D, 0x0069):
        for depth, pattern in ((3, b"\x02\x01"), (100, b"\x02\x01"), (100, b"\x01\x01")):
            data = pattern * depth + b"\x06\x00\x00\x00\x2A"
            apdu = b"\xDA\x00\x00\x00\x01\x00\x00\x01" + data + b"\x01\x01\x00"
            out.append(build_message(message_code=code, date_time=when, payload=apdu))
    return out


def example_messages() -> list[bytes]:
    out = []
    for path in sorted((ROOT / "examples").glob("*.txt")):
        for line in path.read_text().splitlines():
            line = line.strip()
            if line and not line.startswith("#"):
                try:
                    out.append(bytes.fromhex(line))
                except ValueError:
                    out.append(line.encode())
    return out


def duis_document(messages: list[bytes]) -> bytes:
    sr = "http://www.dccinterface.co.uk/ServiceUserGateway"
    body = "".join(
        f"<sr:Response><sr:Header><sr:RequestID>90-B3-D5-1F-30-01-00-00:00-DB-12-34-56-78-90-A3:"
        f"{i}</sr:RequestID><sr:ResponseCode>I0</sr:ResponseCode></sr:Header><sr:Body>"
        f"<sr:ServiceReferenceVariant>4.1.1</sr:ServiceReferenceVariant>"
        f"<sr:GBCSPayload>{base64.b64encode(m).decode()}</sr:GBCSPayload></sr:Body></sr:Response>"
        for i, m in enumerate(messages))
    return (f'<?xml version="1.0" encoding="UTF-8"?><sr:DUISResponses xmlns:sr="{sr}">{body}'
            f"</sr:DUISResponses>").encode()


def mmc_documents(messages: list[bytes]) -> list[bytes]:
    import pandc
    out = []
    for message in messages:
        try:
            out.append(pandc.to_mmc(pandc.decode(message)))
        except pandc.PandcError:
            continue
    return out


def duis_requests() -> list[bytes]:
    requests = shared_dir() / "corpus" / "duis-requests"
    return [p.read_bytes() for p in sorted(requests.glob("*.XML"))[::4]] if requests.is_dir() else []


def main() -> int:
    if len(sys.argv) < 2:
        print(__doc__, file=sys.stderr)
        return 2
    out = Path(sys.argv[1])
    out.mkdir(parents=True, exist_ok=True)
    messages = rtds_messages() + built_messages() + example_messages()
    if "--xml" in sys.argv[2:]:
        seeds = [duis_document([m]) for m in messages[::8]] + [duis_document(messages[:3])]
    elif "--mmc" in sys.argv[2:]:
        seeds = mmc_documents(messages[::4]) + duis_requests()
    elif "--requests" in sys.argv[2:]:
        seeds = duis_requests()
    else:
        seeds = messages
    for seed in seeds:
        (out / hashlib.sha1(seed).hexdigest()).write_bytes(seed)
    print(f"{len(seeds)} seeds in {out}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
