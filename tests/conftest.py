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


def require(path: Path) -> Path:
    """The path, or skip the test: the reference data is not on users' machines."""
    if not path.exists():
        pytest.skip(f"reference data {path} is absent (it lives in ../shared beside the repo)")
    return path


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
