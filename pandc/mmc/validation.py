"""Validating MMC and DUIS XML against pandc's bundled profiles or the official DCC schemas.

Documents are parsed with a hardened lxml parser (no DTD loading, no entity expansion, no
network) and any document that carries a DOCTYPE is refused outright: neither MMC nor DUIS
uses one, and refusing it closes the door on XXE and entity-expansion attacks.

Schemas are compiled once per (schema, schema_dir) and reused.
"""
from __future__ import annotations

import functools
import os
import re
import threading
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Iterable

import xmlschema
from lxml import etree

from ..errors import PandcError
from ..hardened_xml import MAX_DOCUMENT_BYTES, has_doctype, hardened_parser

SCHEMA_KINDS = ("mmc", "duis")

# The bundled profiles, by kind (see the comment at the top of each file).
BUNDLED_SCHEMA_FILES = {"mmc": "mmc-profile-5.4.xsd", "duis": "duis-profile-5.4.xsd"}

# How DCC names its schema files; the highest version present in a schema_dir is used.
OFFICIAL_SCHEMA_PATTERNS = {
    "mmc": re.compile(r"^MMC Schema V(\d+(?:\.\d+)*)\.xsd$"),
    "duis": re.compile(r"^DUIS Schema V(\d+(?:\.\d+)*)\.xsd$"),
}

# Stop after this many errors in one document: a wrong root gives one error per element.
MAX_ERRORS = 200


class SchemaNotFoundError(PandcError, FileNotFoundError):
    """The requested schema is not in the schema directory."""


@dataclass(frozen=True, slots=True)
class ValidationIssue:
    """One reason a document is invalid: where (line, XPath) and why."""

    line: int | None
    path: str | None
    message: str

    def __str__(self) -> str:
        return f"{self.line or 0}: {self.path or '/'}: {self.message}"


@dataclass(frozen=True, slots=True)
class ValidationReport:
    """The outcome of validating one document against one schema."""

    valid: bool
    schema: str            # the schema file validated against
    errors: tuple[ValidationIssue, ...]

    def __bool__(self) -> bool:
        return self.valid


class _CompiledSchema:
    def __init__(self, schema: xmlschema.XMLSchemaBase, location: str) -> None:
        self.schema = schema
        self.location = location
        # xmlschema does not promise that one schema object validates safely from several
        # threads at once, so callers sharing it take turns.
        self.lock = threading.Lock()


def bundled_schema_dir() -> Path:
    """Where the bundled profiles are: the pandc.schemas package, or the source tree."""
    try:
        from importlib.resources import files
        return Path(str(files("pandc.schemas")))
    except ModuleNotFoundError:
        # Running from a source checkout: setup.py maps pandc.schemas to ./schemas.
        return Path(__file__).resolve().parents[2] / "schemas"


def _version_key(text: str) -> tuple[int, ...]:
    return tuple(int(piece) for piece in text.split("."))


def find_official_schema(schema: str, schema_dir: str | os.PathLike[str]) -> Path:
    """The highest-version DCC schema file of a kind in schema_dir."""
    directory = Path(schema_dir)
    if not directory.is_dir():
        raise SchemaNotFoundError(f"schema directory {str(directory)!r} does not exist")
    pattern = OFFICIAL_SCHEMA_PATTERNS[schema]
    found = []
    for entry in directory.iterdir():
        match = pattern.match(entry.name)
        if match and entry.is_file():
            found.append((_version_key(match.group(1)), entry))
    if not found:
        example = "MMC Schema V5.4.xsd" if schema == "mmc" else "DUIS Schema V5.4.xsd"
        raise SchemaNotFoundError(
            f"no {schema.upper()} schema in {str(directory)!r} (expected a file named like "
            f"{example!r})")
    return max(found)[1]


def _declares_xsd11(path: Path) -> bool:
    head = path.read_bytes()[:4096]
    return re.search(rb'minVersion\s*=\s*["\']1\.1["\']', head) is not None


# Building schemas concurrently can fail inside xmlschema (shared meta-schema state).
_BUILD_LOCK = threading.Lock()


def _compiled(schema: str, schema_dir: str | None) -> _CompiledSchema:
    with _BUILD_LOCK:
        return _compile(schema, schema_dir)


@functools.lru_cache(maxsize=None)
def _compile(schema: str, schema_dir: str | None) -> _CompiledSchema:
    if schema_dir is None:
        path = bundled_schema_dir() / BUNDLED_SCHEMA_FILES[schema]
    else:
        path = find_official_schema(schema, schema_dir)
    schema_class = xmlschema.XMLSchema11 if _declares_xsd11(path) else xmlschema.XMLSchema10
    # allow="local": schema imports resolve to local files only, never the network.
    # defuse="nonlocal": local schema files are trusted configuration, and the W3C XML-DSig
    # schema that DCC ships beside DUIS declares entities in an internal DTD subset.
    compiled = schema_class(str(path), allow="local", defuse="nonlocal")
    return _CompiledSchema(compiled, str(path))


def _check_kind(schema: str) -> str:
    if schema not in SCHEMA_KINDS:
        raise ValueError(f"schema must be one of {', '.join(SCHEMA_KINDS)}, not {schema!r}")
    return schema


def _schema_key(schema_dir: str | os.PathLike[str] | None) -> str | None:
    return None if schema_dir is None else str(Path(schema_dir).resolve())


class _Refused(Exception):
    def __init__(self, issue: ValidationIssue) -> None:
        super().__init__(issue.message)
        self.issue = issue


def _read(xml: bytes | str | os.PathLike[str] | etree._Element | etree._ElementTree
          ) -> etree._ElementTree:
    if isinstance(xml, etree._ElementTree):
        return _without_doctype(xml)
    if isinstance(xml, etree._Element):
        return _without_doctype(xml.getroottree())
    if isinstance(xml, os.PathLike):
        size = Path(xml).stat().st_size
        if size > MAX_DOCUMENT_BYTES:
            raise _Refused(_too_large(size))
        data = Path(xml).read_bytes()
    elif isinstance(xml, str):
        data = xml.encode("utf-8")
    elif isinstance(xml, (bytes, bytearray, memoryview)):
        data = bytes(xml)
    else:
        raise TypeError(f"cannot validate a {type(xml).__name__}: give bytes, str, a path or "
                        "an lxml element")
    if len(data) > MAX_DOCUMENT_BYTES:
        raise _Refused(_too_large(len(data)))
    try:
        tree = etree.fromstring(data, hardened_parser()).getroottree()
    except etree.XMLSyntaxError as error:
        line = error.lineno if error.lineno else None
        raise _Refused(ValidationIssue(line, None, f"not well-formed XML: {error.msg}")) from None
    return _without_doctype(tree)


def _too_large(size: int) -> ValidationIssue:
    return ValidationIssue(None, None, f"document of {size} bytes is past the "
                                       f"{MAX_DOCUMENT_BYTES}-byte limit for validation; not read")


def _without_doctype(tree: etree._ElementTree) -> etree._ElementTree:
    if has_doctype(tree):
        raise _Refused(ValidationIssue(
            1, None, "document has a DOCTYPE declaration: DTDs and entity declarations are "
                     "refused (MMC and DUIS use none)"))
    return tree


def _issue(error: xmlschema.XMLSchemaValidationError, tree: etree._ElementTree
           ) -> ValidationIssue:
    element = error.elem if isinstance(error.elem, etree._Element) else None
    line = error.sourceline
    if line is None and element is not None:
        line = element.sourceline
    path = error.path
    if not path and element is not None:
        path = tree.getpath(element)
    message = error.reason or str(error.message)
    if message.startswith("value must be one of") and isinstance(error.obj, str):
        # The enumeration can run to hundreds of values; the value at fault is what helps.
        message = f"value {error.obj!r} is not one of the values the schema allows"
    validator_element = getattr(error.validator, "elem", None)
    if validator_element is not None and validator_element.tag.endswith("}assert"):
        # Name the rule instead of echoing the XPath expression.
        rule = validator_element.get("id")
        message = (f"{rule}: {_ASSERTION_MESSAGES.get(rule, 'assertion failed')}" if rule
                   else f"assertion failed: {validator_element.get('test')}")
    return ValidationIssue(line, path, message)


_ASSERTION_MESSAGES = {
    "SECMP0015-timestamp": "a response with message code 0074, 00B8, 00B6, 0075 or 012A "
                           "must carry Header/Timestamp (the GPF timestamp)",
}


def validate(xml: bytes | str | os.PathLike[str] | etree._Element | etree._ElementTree | None = None,
             schema: str = "mmc",
             schema_dir: str | os.PathLike[str] | None = None, *,
             path: str | os.PathLike[str] | None = None, explain: bool = False) -> ValidationReport:
    """Validate an MMC (``schema="mmc"``) or DUIS (``"duis"``) document.

    By default libxml2 checks the document (lxml's XSD 1.0 validator, the schema compiled once
    per process, pandc.mmc.fastvalidate) with the rules XSD 1.0 cannot state as compiled
    checks; ``explain=True`` uses xmlschema (XSD 1.1, slower) for its detailed error paths.
    Both give the same verdict.

    ``xml`` is the document as bytes or str (always XML text, never a file name), a
    ``pathlib.Path``, or a parsed lxml element or tree; or name a file with ``path=``.
    Without ``schema_dir`` the bundled pandc profiles are used; with it, the
    DCC schemas in that directory, named as DCC publishes them ("MMC Schema V5.4.xsd",
    "DUIS Schema V5.4.xsd" with "xmldsig-core-schema.xsd" beside it), highest version first.

    A document that is not well-formed or that declares a DOCTYPE is reported invalid without
    being validated. A missing schema raises SchemaNotFoundError.
    """
    if (xml is None) == (path is None):
        raise TypeError("validate() takes the document or path=, exactly one of them")
    if not explain:
        from . import fastvalidate
        return fastvalidate.validate(xml, schema, schema_dir, path=path)
    if path is not None:
        xml = Path(path)
    compiled = _compiled(_check_kind(schema), _schema_key(schema_dir))
    try:
        tree = _read(xml)  # type: ignore[arg-type]
    except _Refused as refused:
        return ValidationReport(False, compiled.location, (refused.issue,))
    issues = []
    with compiled.lock:
        for error in compiled.schema.iter_errors(tree):
            issues.append(_issue(error, tree))
            if len(issues) >= MAX_ERRORS:
                issues.append(ValidationIssue(None, None, f"stopped after {MAX_ERRORS} errors"))
                break
    return ValidationReport(not issues, compiled.location, tuple(issues))


def validate_paths(paths: Iterable[str | os.PathLike[str]], schema: str = "mmc",
                   schema_dir: str | os.PathLike[str] | None = None,
                   out: IO[str] | None = None) -> int:
    """Validate files for the command line; returns 0 only when every file is valid.

    Prints ``path:line: xpath: message`` for each error and ``path: valid`` for each valid
    file. A schema that cannot be found is reported and gives 2.
    """
    import sys
    out = sys.stdout if out is None else out
    try:
        _compiled(_check_kind(schema), _schema_key(schema_dir))
    except (SchemaNotFoundError, ValueError) as error:
        print(f"pandc validate: {error}", file=out)
        return 2
    status = 0
    for path in paths:
        try:
            report = validate(Path(path), schema, schema_dir)
        except OSError as error:
            print(f"{path}:0: /: cannot read: {error.strerror or error}", file=out)
            status = 1
            continue
        if report.valid:
            print(f"{path}: valid", file=out)
            continue
        status = 1
        for issue in report.errors:
            print(f"{path}:{issue}", file=out)
    return status
