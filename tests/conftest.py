"""Shared test helpers: where the reference data lives, and skipping cleanly without it."""
from __future__ import annotations

import os
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
SHARED = Path(os.environ.get("PANDC_SHARED", REPO.parent / "shared"))
RTDS = SHARED / "corpus" / "rtds"
KEYSTORE = SHARED / "corpus" / "keystore"
OFFICIAL_XSD = SHARED / "reference" / "xsd"
FACTS_CSV = SHARED / "gbcs" / "message-codes.csv"


REQUIRE_SHARED = os.environ.get("PANDC_REQUIRE_SHARED", "") not in ("", "0")


def require(path: Path) -> Path:
    """The path, or skip the test: the reference data is not on users' machines. With
    PANDC_REQUIRE_SHARED=1 (CI) a missing path fails the test instead: a skip there would
    hide a test that never ran."""
    if not path.exists():
        message = f"reference data {path} is absent (it lives in ../shared beside the repo)"
        if REQUIRE_SHARED:
            pytest.fail(message + "; PANDC_REQUIRE_SHARED=1 makes that a failure")
        pytest.skip(message)
    return path


def der_tlv(data: bytes, at: int) -> tuple[int, int, int]:
    """(tag, content start, content end) of the DER element at ``at`` (short or long form):
    a minimal reading of its own, so tests check pandc's DER reader against something else."""
    tag, first = data[at], data[at + 1]
    if first < 0x80:
        return tag, at + 2, at + 2 + first
    size = first & 0x7F
    length = int.from_bytes(data[at + 2:at + 2 + size], "big")
    return tag, at + 2 + size, at + 2 + size + length


def rtds_files(pattern: str = "*/*.HEX") -> list[Path]:
    require(RTDS)
    return sorted(RTDS.glob(pattern))


def rtds_messages(pattern: str = "*/*.HEX") -> list[tuple[Path, bytes]]:
    return [(path, bytes.fromhex(path.read_text())) for path in rtds_files(pattern)]


def is_response_or_alert(path: Path) -> bool:
    name = path.name
    return "_RESPONSE_" in name or "_ALERT" in name


@pytest.fixture(scope="session")
def rtds():
    return rtds_messages()
