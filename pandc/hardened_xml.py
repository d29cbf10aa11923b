"""The one way pandc parses XML: no DTD loading, no entity expansion, no network, no huge
trees; and a document that declares a DOCTYPE is refused, since neither DUIS nor MMC uses one
(this closes the door on XXE and entity-expansion attacks)."""
from __future__ import annotations

from typing import Any

from lxml import etree

from .errors import DecodeError

# Whole-document parsing (validation) reads the document into memory: refuse anything larger
# than this before reading it. An MMC or DUIS document for one message is a few kilobytes; a
# DUIS file of many responses is read by the streaming reader (pandc.io.duis), which has no
# size limit since its memory does not grow with the document.
MAX_DOCUMENT_BYTES = 64 << 20

PARSER_OPTIONS = dict(resolve_entities=False, no_network=True, load_dtd=False,
                      dtd_validation=False, huge_tree=False)


class DoctypeRefused(DecodeError):
    """An XML document that declares a DOCTYPE (DTD), refused before anything is expanded."""


def hardened_parser() -> etree.XMLParser:
    # A fresh parser per document: lxml parsers keep state and are not for sharing across
    # threads.
    return etree.XMLParser(**PARSER_OPTIONS)  # type: ignore[arg-type]


def parse_strictly(data: bytes) -> etree._Element:
    """``etree.fromstring`` with the hardened parser, also refusing an error libxml2 reported
    but lxml let pass: after a namespace error (a prefix no xmlns declares) a later mere
    warning (a relative namespace URI) leaves the document looking well-formed, with the
    undeclared prefix kept in a tag ("x:A"). Raises ``etree.XMLSyntaxError`` either way."""
    parser = hardened_parser()
    root = etree.fromstring(data, parser)
    for entry in parser.error_log:
        if entry.level >= etree.ErrorLevels.ERROR:
            # lxml-stubs lack ParseError's (message, code, line, column) signature
            raise etree.XMLSyntaxError(  # type: ignore[call-arg]
                f"{entry.message}, line {entry.line}, column {entry.column}", entry.type,
                entry.line, entry.column)
    return root


def has_doctype(tree: etree._ElementTree) -> bool:
    docinfo: Any = tree.docinfo   # lxml-stubs lack DocInfo.doctype
    return bool(docinfo.doctype or docinfo.internalDTD is not None
                or docinfo.externalDTD is not None)


def doctype_refused(what: str) -> DoctypeRefused:
    return DoctypeRefused(f"{what}: DOCTYPE declarations are refused (no DTDs or entities are "
                          "processed)")
