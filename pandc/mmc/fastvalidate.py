"""Fast validation: libxml2's XSD 1.0 validator plus compiled XPath checks for the XSD 1.1 rules.

``pandc.mmc.validation.validate`` runs the bundled XSD 1.1 profiles through ``xmlschema``
(pure Python, about 2k documents/s). Here the same profiles are compiled once per process into
an XSD 1.0 form that lxml (libxml2) validates in C: every ``xs:assert`` and ``xs:assertion``
is taken out, and each rule they stated is checked instead by the table ``XSD11_RULES`` below
(one compiled XPath, or a small function, per rule; each names the rule it replaces):

- MMC ``SECMP0015-timestamp`` (``xs:assert`` on GBCSResponse): a ResponseMessage with message
  code 0074, 00B8, 00B6, 0075 or 012A must carry Header/Timestamp;
- DUIS ``RequestIDType`` (``xs:assertion``, inherited by ResponseIDType): the counter after the
  second ':' is at most 2^64 - 1.

libxml2 does not check the lexical form of ``xs:base64Binary`` (it accepts any text), so the
XSD 1.0 form points every use of it at a restriction with the XSD 1.0 lexical pattern, the
expression xmlschema checks.

MP169's additions to the DUIS profile (ResponseCode E72, Read Inventory ``Restricted``) are an
enumeration value and an element, which XSD 1.0 states itself. The verdict equals
``validation.validate``'s (tests/test_fastvalidate.py checks it on every RTDS output and on
invalid documents); the messages are libxml2's. ``validate(..., explain=True)`` in
``validation`` stays the way to get xmlschema's detailed error paths.

Schemas from ``schema_dir`` (the official DCC V5.4 XSDs, which are XSD 1.0) are compiled as
they are (base64 pattern added to the named file only, not to the files it imports), with
their imports resolved beside them.
"""
from __future__ import annotations

import functools
import os
import re
import threading
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from lxml import etree

from ..hardened_xml import hardened_parser
from .validation import (
    BUNDLED_SCHEMA_FILES, MAX_ERRORS, SchemaNotFoundError, ValidationIssue, ValidationReport,
    _check_kind, _declares_xsd11, _read, _Refused, _schema_key, bundled_schema_dir,
    find_official_schema,
)

XS = "http://www.w3.org/2001/XMLSchema"
VC = "http://www.w3.org/2007/XMLSchema-versioning"
DS = "http://www.w3.org/2000/09/xmldsig#"
RA = "http://www.dccinterface.co.uk/ResponseAndAlert"
SR = "http://www.dccinterface.co.uk/ServiceUserGateway"
_NAMESPACES = {"ra": RA, "sr": SR}
_UPPER = "translate({}, 'abcdefghijklmnopqrstuvwxyz', 'ABCDEFGHIJKLMNOPQRSTUVWXYZ')"
MAX_UNSIGNED_64 = 2**64 - 1


@dataclass(frozen=True)
class Rule:
    """One rule the XSD 1.1 profile states with an assertion, checked on a parsed document."""

    schema: str                     # "mmc" or "duis"
    id: str                         # the rule (assert id, or the type carrying the assertion)
    reference: str                  # where it comes from
    message: str
    failures: Callable[[etree._ElementTree], list[etree._Element]]   # elements breaking it


def _xpath(expression: str) -> Callable[[etree._ElementTree], list[etree._Element]]:
    compiled = etree.XPath(expression, namespaces=_NAMESPACES)
    return lambda tree: _elements(compiled(tree))


def _elements(result: Any) -> list[etree._Element]:
    """The elements of a node-set XPath result."""
    return [item for item in result if isinstance(item, etree._Element)]


_SECMP0015_CODES = ("0074", "00B8", "00B6", "0075", "012A")
_SECMP0015 = _xpath(
    "/ra:GBCSResponse[not(ra:Header/ra:Timestamp) and ra:Body/ra:ResponseMessage and ("
    + " or ".join(f"{_UPPER.format('normalize-space(string(ra:Header/ra:GBCSHexadecimalMessageCode))')}"
                  f" = '{code}'" for code in _SECMP0015_CODES) + ")]")
_REQUEST_IDS = etree.XPath("/sr:Response/sr:Header/sr:RequestID | /sr:Response/sr:Header/sr:ResponseID",
                           namespaces=_NAMESPACES)


def _counter_too_large(tree: etree._ElementTree) -> list[etree._Element]:
    bad = []
    for element in _elements(_REQUEST_IDS(tree)):
        # xs:token value; the pattern (checked by the schema) makes the counter 1-20 digits.
        parts = " ".join((element.text or "").split()).split(":")
        if len(parts) == 3 and parts[2].isdigit() and int(parts[2]) > MAX_UNSIGNED_64:
            bad.append(element)
    return bad


XSD11_RULES: tuple[Rule, ...] = (
    Rule("mmc", "SECMP0015-timestamp", "schemas/mmc-profile-5.4.xsd xs:assert; SECMP0015",
         "a response with message code 0074, 00B8, 00B6, 0075 or 012A must carry "
         "Header/Timestamp (the GPF timestamp)", _SECMP0015),
    Rule("duis", "RequestIDType", "schemas/duis-profile-5.4.xsd xs:assertion (RequestIDType, "
         "ResponseIDType)", "the counter after the second ':' must be at most "
         "18446744073709551615 (unsigned 64-bit)", _counter_too_large),
)


class _Compiled:
    def __init__(self, schema: etree.XMLSchema, location: str, rules: tuple[Rule, ...]) -> None:
        self.schema = schema
        self.location = location
        self.rules = rules
        # libxml2 keeps validation state in the schema's context: one document at a time.
        self.lock = threading.Lock()


def _dsig_location(beside: Path) -> str:
    local = beside / "xmldsig-core-schema.xsd"
    if local.is_file():
        return str(local)
    import xmlschema   # ships the W3C XML-DSig schema; never fetched from the network
    return str(Path(xmlschema.__file__).parent / "schemas" / "DSIG" / "xmldsig-core-schema.xsd")


# XSD 1.0 (second edition) section 3.2.16: the lexical space of xs:base64Binary. libxml2
# accepts any text as base64Binary (it does not check the lexical form), xmlschema checks
# it with this expression, so the XSD 1.0 form states it as a pattern.
BASE64_PATTERN = (r"((([A-Za-z0-9+/] ?){4})*(([A-Za-z0-9+/] ?){3}[A-Za-z0-9+/]|"
                  r"([A-Za-z0-9+/] ?){2}[AEIMQUYcgkosw048] ?=|[A-Za-z0-9+/] ?[AQgw] ?= ?=))?")
_BASE64_TYPE = "pandc-base64Binary"


def _check_base64(root: etree._Element) -> None:
    """Points every use of xs:base64Binary at a restriction carrying BASE64_PATTERN."""
    prefix = next((p for p, uri in root.nsmap.items() if uri == root.get("targetNamespace") and p),
                  None)
    xs_prefixes = {p for p, uri in root.nsmap.items() if uri == XS}
    names = {f"{p}:base64Binary" if p else "base64Binary" for p in xs_prefixes}
    users = [(element, attribute) for element in root.iter() for attribute in ("type", "base")
             if element.get(attribute) in names]
    if not users or prefix is None:
        return
    for element, attribute in users:
        element.set(attribute, f"{prefix}:{_BASE64_TYPE}")
    simple = etree.SubElement(root, f"{{{XS}}}simpleType", name=_BASE64_TYPE)
    restriction = etree.SubElement(simple, f"{{{XS}}}restriction", base=next(iter(names)))
    etree.SubElement(restriction, f"{{{XS}}}pattern", value=BASE64_PATTERN)


def _inline_includes(root: etree._Element, directory: Path, depth: int = 0) -> None:
    """Replaces each xs:include of a bundled profile by the included file's components, so
    that the XSD 1.0 rewriting below reaches them too (the profiles share one namespace and
    its prefixes)."""
    if depth > 8:
        raise ValueError("xs:include nested too deeply")
    for include in list(root.iter(f"{{{XS}}}include")):
        location = include.get("schemaLocation") or ""
        included = etree.parse(str(directory / location), hardened_parser()).getroot()
        if {p: u for p, u in included.nsmap.items() if p} != {p: u for p, u in root.nsmap.items() if p}:
            raise ValueError(f"{location} declares other prefixes than its includer")
        _inline_includes(included, directory, depth + 1)
        parent = include.getparent()
        if parent is None:  # pragma: no cover - an include is always inside xs:schema
            continue
        position = parent.index(include)
        parent.remove(include)
        for offset, component in enumerate(child for child in included if isinstance(child.tag, str)):
            parent.insert(position + offset, component)


def xsd10_form(path: Path) -> etree._ElementTree:
    """The schema at ``path`` (its xs:includes inlined) with its XSD 1.1 assertions taken out,
    xs:base64Binary checked by its lexical pattern and the XML-DSig import pointed at a local
    file: what libxml2 compiles."""
    tree = etree.parse(str(path), hardened_parser())
    root = tree.getroot()
    _inline_includes(root, path.parent)
    _check_base64(root)
    for element in list(root.iter(f"{{{XS}}}assert", f"{{{XS}}}assertion")):
        holder = element.getparent()
        if holder is not None:
            holder.remove(element)
    if f"{{{VC}}}minVersion" in root.attrib:
        del root.attrib[f"{{{VC}}}minVersion"]
    for element in root.iter(f"{{{XS}}}import"):
        if element.get("namespace") == DS:
            element.set("schemaLocation", Path(_dsig_location(path.parent)).as_uri())
    return tree


@functools.lru_cache(maxsize=None)
def _compile(schema: str, schema_dir: str | None) -> _Compiled:
    if schema_dir is None:
        path = bundled_schema_dir() / BUNDLED_SCHEMA_FILES[schema]
        rules = tuple(rule for rule in XSD11_RULES if rule.schema == schema)
        return _Compiled(etree.XMLSchema(xsd10_form(path)), str(path), rules)
    path = find_official_schema(schema, schema_dir)
    if _declares_xsd11(path):
        raise SchemaNotFoundError(f"{path} is XSD 1.1: use pandc.validate for it")
    # The XML-DSig schema DCC ships beside DUIS declares entities in an internal subset:
    # local schema files are trusted configuration (as in validation.py), so libxml2 reads
    # them with a parser that expands internal entities but never reaches the network.
    tree = etree.parse(str(path), etree.XMLParser(no_network=True, resolve_entities=True))
    for element in tree.getroot().iter(f"{{{XS}}}import", f"{{{XS}}}include"):
        location = element.get("schemaLocation")
        if location and "://" not in location:
            # DCC's file names hold spaces, which libxml2 reads only as a URI (%20).
            element.set("schemaLocation", (path.parent / location).resolve().as_uri())
    _check_base64(tree.getroot())
    return _Compiled(etree.XMLSchema(tree), str(path), ())


_COMPILE_LOCK = threading.Lock()


def compiled(schema: str = "mmc", schema_dir: str | os.PathLike[str] | None = None) -> _Compiled:
    with _COMPILE_LOCK:
        return _compile(_check_kind(schema), _schema_key(schema_dir))


_ENUMERATION = re.compile(r"\[facet 'enumeration'\] The value ('(?:[^']|'')*') is not an element "
                          r"of the set")


def _short(message: str) -> str:
    # An enumeration can run to hundreds of values; the value at fault is what helps.
    found = _ENUMERATION.search(message)
    if found:
        return f"value {found.group(1)} is not one of the values the schema allows"
    return message


def _report(tree: etree._ElementTree, schema: _Compiled) -> ValidationReport:
    issues: list[ValidationIssue] = []
    with schema.lock:
        valid = schema.schema.validate(tree)
        if not valid:
            for entry in list(schema.schema.error_log):  # type: ignore[call-overload]
                issues.append(ValidationIssue(entry.line or None, entry.path or None,
                                              _short(entry.message)))
                if len(issues) >= MAX_ERRORS:
                    issues.append(ValidationIssue(None, None, f"stopped after {MAX_ERRORS} errors"))
                    break
    for rule in schema.rules:
        for element in rule.failures(tree):
            line: int | None = element.sourceline  # type: ignore[assignment]
            issues.append(ValidationIssue(line, tree.getpath(element),
                                          f"{rule.id}: {rule.message}"))
    return ValidationReport(not issues, schema.location, tuple(issues))


def validate(xml: bytes | str | os.PathLike[str] | etree._Element | etree._ElementTree | None = None,
             schema: str = "mmc", schema_dir: str | os.PathLike[str] | None = None, *,
             path: str | os.PathLike[str] | None = None) -> ValidationReport:
    """``pandc.mmc.validation.validate`` with libxml2: same arguments, same verdict."""
    if (xml is None) == (path is None):
        raise TypeError("validate() takes the document or path=, exactly one of them")
    compiled_schema = compiled(schema, schema_dir)
    try:
        tree = _read(Path(path) if path is not None else xml)  # type: ignore[arg-type]
    except _Refused as refused:
        return ValidationReport(False, compiled_schema.location, (refused.issue,))
    return _report(tree, compiled_schema)


def validate_many(documents: Iterable[bytes | str | os.PathLike[str] | etree._Element | etree._ElementTree],
                  schema: str = "mmc", schema_dir: str | os.PathLike[str] | None = None
                  ) -> list[ValidationReport]:
    """A report per document, in order, against one schema compiled once."""
    compiled_schema = compiled(schema, schema_dir)
    reports = []
    for document in documents:
        try:
            tree = _read(document)
        except _Refused as refused:
            reports.append(ValidationReport(False, compiled_schema.location, (refused.issue,)))
            continue
        reports.append(_report(tree, compiled_schema))
    return reports
