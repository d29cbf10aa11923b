"""The shipped examples are what examples/make_examples.py builds, and they decode cleanly."""
from __future__ import annotations

import importlib.util

import pandc
from conftest import OFFICIAL_XSD, REPO

EXAMPLES = REPO / "examples"


def load_builder():
    spec = importlib.util.spec_from_file_location("make_examples", EXAMPLES / "make_examples.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_committed_examples_match_the_builder(tmp_path):
    written = load_builder().write_examples(tmp_path)
    for name, text in written.items():
        assert (EXAMPLES / name).read_text(encoding="utf-8") == text, f"regenerate {name}"


def example_lines(name: str) -> list[str]:
    return [line for line in (EXAMPLES / name).read_text().splitlines() if line and not line.startswith("#")]


def test_examples_decode_render_and_validate():
    messages = pandc.decode_many(example_lines("secmp0015-responses.txt"))
    messages.append(pandc.decode((EXAMPLES / "gcs60a-duis-response.xml").read_bytes()))
    assert not [m for m in messages if isinstance(m, pandc.DecodeError)]
    statuses = {(m.is_from_gsme, m.clock_status) for m in messages}
    assert {(True, "reliable"), (False, "reliable"), (True, "unreliable"), (False, "invalid"), (None, None)} <= statuses
    for message in messages:
        document = pandc.to_mmc(message)
        assert b"SMETSData" in document
        report = pandc.validate(document)
        assert report.valid, report.errors
        if OFFICIAL_XSD.is_dir():
            assert pandc.validate(document, schema_dir=OFFICIAL_XSD).valid


def test_bad_examples_fail_with_offsets_and_the_good_one_survives():
    results = pandc.decode_many(example_lines("bad-messages.txt"))
    assert [type(r).__name__ for r in results] == ["DecodeError", "DecodeError", "Message"]
    assert all(r.offset is not None for r in results[:2])
