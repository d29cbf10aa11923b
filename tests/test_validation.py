"""pandc.validation: reports, inputs, schema selection and caching, hardening, validate_paths."""
from __future__ import annotations

import io
import re
import shutil
import threading
from datetime import datetime, timezone
from pathlib import Path

import pytest
from lxml import etree

import pandc
from pandc.mmc import MMC_NAMESPACE, to_mmc
from pandc.testing import build_message
from pandc.mmc.validation import (
    SchemaNotFoundError, ValidationReport, _compiled, find_official_schema, validate,
    validate_paths,
)

from conftest import OFFICIAL_XSD, require

RA = "{%s}" % MMC_NAMESPACE
SECRET = "pandc-xxe-canary-5f1c0e"


@pytest.fixture(scope="module")
def document() -> bytes:
    # CCS03 (Restore CHF Device Log, SRV 8.12.1): an ASN.1 payload no use-case decoder reads.
    raw = build_message(message_code=0x0003, originator_counter=1000,
                        date_time=datetime(2015, 1, 1, tzinfo=timezone.utc), time_status=0x04,
                        payload=bytes.fromhex("3003020101"))
    return to_mmc(pandc.decode(raw))


def _official() -> Path:
    require(OFFICIAL_XSD / "MMC Schema V5.4.xsd")
    return OFFICIAL_XSD


def _line_of(document: bytes, text: bytes) -> int:
    return document[:document.index(text)].count(b"\n") + 1


def test_a_valid_document_gives_a_clean_report(document):
    report = validate(document)
    assert isinstance(report, ValidationReport)
    assert report.valid and bool(report) and report.errors == ()
    assert report.schema.endswith("mmc-profile-5.4.xsd")


def test_errors_carry_the_line_and_xpath_of_the_failing_element(document):
    broken = document.replace(b"<ra:BusinessTargetID>90-B3-D5-1F-30-01-00-00",
                              b"<ra:BusinessTargetID>not-an-eui")
    assert broken != document
    report = validate(broken)
    assert not report.valid
    (issue,) = report.errors
    assert issue.path == "/ra:GBCSResponse/ra:Header/ra:BusinessTargetID"
    assert issue.line == _line_of(broken, b"<ra:BusinessTargetID>")
    assert "not-an-eui" in issue.message or "pattern" in issue.message


def test_enumeration_errors_name_the_value_not_the_whole_list(document):
    broken = etree.fromstring(document)
    variant = broken.find(f"{RA}Header/{RA}ServiceReferenceVariant")
    assert variant is not None
    variant.text = "4.99"
    report = validate(broken)
    (issue,) = report.errors
    assert issue.path == "/ra:GBCSResponse/ra:Header/ra:ServiceReferenceVariant"
    assert "'4.99'" in issue.message and len(issue.message) < 120


@pytest.mark.parametrize("form", ["bytes", "str", "path", "element", "tree"])
def test_accepted_inputs(document, tmp_path, form):
    path = tmp_path / "doc.xml"
    path.write_bytes(document)
    given = {"bytes": document, "str": document.decode(), "path": path,
             "element": etree.fromstring(document),
             "tree": etree.ElementTree(etree.fromstring(document))}[form]
    assert validate(given).valid


def test_a_str_is_xml_text_and_a_file_is_named_by_path(document, tmp_path):
    path = tmp_path / "doc.xml"
    path.write_bytes(document)
    assert validate(path=str(path)).valid and validate(path=path).valid
    report = validate(str(path))            # a str is XML text, never a file name
    assert not report.valid and "not well-formed" in report.errors[0].message
    with pytest.raises(FileNotFoundError):
        validate(path=tmp_path / "absent.xml")
    with pytest.raises(TypeError):
        validate(document, path=path)


def test_unsupported_input_type_is_a_type_error():
    with pytest.raises(TypeError, match="cannot validate"):
        validate(12345)


def test_malformed_xml_is_reported_with_its_line():
    report = validate(b"<?xml version='1.0'?>\n<ra:GBCSResponse xmlns:ra='x'>\n<unclosed>\n")
    assert not report.valid
    (issue,) = report.errors
    assert issue.line is not None and issue.line >= 3
    assert issue.message.startswith("not well-formed XML")


def test_wrong_root_is_invalid(document):
    report = validate(b"<GBCSResponse schemaVersion='5.4'/>")
    assert not report.valid and report.errors
    assert not validate(document, "duis").valid


def test_unknown_schema_kind_is_a_value_error(document):
    with pytest.raises(ValueError, match="mmc, duis"):
        validate(document, "xml")


def test_schemas_are_compiled_once_and_reused(document):
    validate(document)
    assert _compiled("mmc", None) is _compiled("mmc", None)
    official = str(_official().resolve())
    validate(document, schema_dir=OFFICIAL_XSD)
    assert _compiled("mmc", official) is _compiled("mmc", official)
    assert _compiled("mmc", official) is not _compiled("mmc", None)


def test_validation_from_several_threads_agrees(document):
    broken = document.replace(b"<ra:OriginatorCounter>1000", b"<ra:OriginatorCounter>-1")
    results: list[tuple[bool, bool]] = []

    def work():
        for _ in range(20):
            results.append((validate(document).valid, validate(broken).valid))

    threads = [threading.Thread(target=work) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert results == [(True, False)] * 80


def test_official_schema_dir_is_used_and_named_in_the_report(document):
    report = validate(document, "mmc", schema_dir=_official())
    assert report.valid and report.schema.endswith("MMC Schema V5.4.xsd")


def test_highest_schema_version_in_the_directory_wins(tmp_path):
    for name in ("MMC Schema V5.4.xsd", "MMC Schema V5.10.xsd", "MMC Schema V5.9.xsd",
                 "DUIS Schema V6.0.xsd", "MMC Schema V5.11.xsd.bak", "notes.txt"):
        (tmp_path / name).write_text("<x/>")
    assert find_official_schema("mmc", tmp_path).name == "MMC Schema V5.10.xsd"
    assert find_official_schema("duis", tmp_path).name == "DUIS Schema V6.0.xsd"


def test_a_newer_schema_in_the_directory_is_the_one_validated_against(document, tmp_path):
    official = _official()
    for name in ("MMC Schema V5.4.xsd", "DUIS Schema V5.4.xsd", "xmldsig-core-schema.xsd"):
        shutil.copy(official / name, tmp_path / name)
    # A "V5.5" that only accepts a different root: validation must pick it and fail.
    (tmp_path / "MMC Schema V5.5.xsd").write_text(
        f'<xs:schema xmlns:xs="http://www.w3.org/2001/XMLSchema" targetNamespace="{MMC_NAMESPACE}">'
        '<xs:element name="Other"/></xs:schema>')
    report = validate(document, "mmc", schema_dir=tmp_path)
    assert report.schema.endswith("MMC Schema V5.5.xsd") and not report.valid


def test_missing_schema_is_reported_clearly(tmp_path, document):
    with pytest.raises(SchemaNotFoundError, match="MMC Schema V5.4.xsd"):
        validate(document, "mmc", schema_dir=tmp_path)
    with pytest.raises(SchemaNotFoundError, match="does not exist"):
        validate(document, "mmc", schema_dir=tmp_path / "nowhere")


def _xxe_documents(secret_file: Path) -> dict[str, bytes]:
    uri = secret_file.as_uri()
    root = f'<ra:GBCSResponse xmlns:ra="{MMC_NAMESPACE}" schemaVersion="5.4">'
    return {
        "external entity": (f'<?xml version="1.0"?>\n<!DOCTYPE r [<!ENTITY leak SYSTEM "{uri}">]>\n'
                            f'{root}<ra:Header><ra:BusinessOriginatorID>&leak;'
                            '</ra:BusinessOriginatorID></ra:Header></ra:GBCSResponse>').encode(),
        "external DTD": (f'<?xml version="1.0"?>\n<!DOCTYPE r SYSTEM "{uri}">\n{root}'
                         '</ra:GBCSResponse>').encode(),
        "parameter entity": (f'<?xml version="1.0"?>\n<!DOCTYPE r [<!ENTITY % p SYSTEM "{uri}"> %p;]>\n'
                             f'{root}</ra:GBCSResponse>').encode(),
        "entity expansion": (b'<?xml version="1.0"?>\n<!DOCTYPE r [<!ENTITY a "aaaaaaaaaa">'
                             b'<!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">'
                             b'<!ENTITY c "&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;">]>\n'
                             + root.encode() + b"&c;</ra:GBCSResponse>"),
    }


@pytest.mark.parametrize("attack", ["external entity", "external DTD", "parameter entity",
                                    "entity expansion"])
@pytest.mark.parametrize("kind", ["mmc", "duis"])
def test_documents_with_a_doctype_are_refused_without_reading_entities(tmp_path, attack, kind):
    secret_file = tmp_path / "secret.txt"
    secret_file.write_text(SECRET)
    document = _xxe_documents(secret_file)[attack]
    report = validate(document, kind)
    assert not report.valid
    assert "DOCTYPE" in report.errors[0].message
    assert SECRET not in repr(report)
    if kind == "mmc" and OFFICIAL_XSD.joinpath("MMC Schema V5.4.xsd").exists():
        official = validate(document, kind, schema_dir=OFFICIAL_XSD)
        assert not official.valid and SECRET not in repr(official)
    parsed = etree.fromstring(document, etree.XMLParser(resolve_entities=False, load_dtd=False,
                                                        no_network=True))
    assert not validate(parsed, kind).valid
    path = tmp_path / "attack.xml"
    path.write_bytes(document)
    out = io.StringIO()
    assert validate_paths([path], kind, None, out) == 1
    assert SECRET not in out.getvalue() and "DOCTYPE" in out.getvalue()


def test_validate_paths_exit_status_and_error_format(document, tmp_path):
    good = tmp_path / "good.xml"
    good.write_bytes(document)
    bad = tmp_path / "bad.xml"
    bad.write_bytes(document.replace(b"<ra:OriginatorCounter>1000", b"<ra:OriginatorCounter>x"))
    missing = tmp_path / "missing.xml"

    out = io.StringIO()
    assert validate_paths([good], "mmc", None, out) == 0
    assert out.getvalue() == f"{good}: valid\n"

    out = io.StringIO()
    assert validate_paths([good, bad, missing], "mmc", None, out) == 1
    lines = out.getvalue().splitlines()
    assert lines[0] == f"{good}: valid"
    line = _line_of(bad.read_bytes(), b"<ra:OriginatorCounter>")
    assert re.fullmatch(re.escape(f"{bad}:{line}: /ra:GBCSResponse/ra:Header/ra:OriginatorCounter: ")
                        + r".+", lines[1])
    assert lines[2].startswith(f"{missing}:0: /: cannot read")


def test_validate_paths_with_official_schemas(document, tmp_path):
    path = tmp_path / "doc.xml"
    path.write_bytes(document)
    assert validate_paths([path], "mmc", _official(), io.StringIO()) == 0


def test_validate_paths_reports_a_missing_schema_dir(tmp_path, document):
    path = tmp_path / "doc.xml"
    path.write_bytes(document)
    out = io.StringIO()
    assert validate_paths([path], "mmc", tmp_path / "none", out) == 2
    assert "does not exist" in out.getvalue()
