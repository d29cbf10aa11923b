"""Reading GBCS payloads out of DUIS Response XML, streaming and hardened.

The parser never loads a DTD, never resolves entities and never reaches the network; a
document that declares a DOCTYPE is refused outright, since no DUIS message needs one.
"""
from __future__ import annotations

import io
from collections.abc import Iterator
from dataclasses import dataclass
from typing import BinaryIO

from lxml import etree

from .errors import DecodeError

SR_NAMESPACE = "http://www.dccinterface.co.uk/ServiceUserGateway"
_SR = "{%s}" % SR_NAMESPACE
_HEADER_FIELDS = {_SR + "RequestID": "request_id", _SR + "ResponseID": "response_id",
                  _SR + "ResponseCode": "response_code"}
_PAYLOAD = _SR + "GBCSPayload"
_VARIANT = _SR + "ServiceReferenceVariant"

PARSER_OPTIONS = dict(resolve_entities=False, no_network=True, load_dtd=False, huge_tree=False,
                      remove_pis=True)


def hardened_parser() -> etree.XMLParser:
    return etree.XMLParser(**PARSER_OPTIONS)


@dataclass(frozen=True, slots=True)
class DuisPayload:
    text: str                         # the base64 GBCSPayload, as found
    line: int                         # source line of the GBCSPayload element
    request_id: str | None
    response_id: str | None
    response_code: str | None
    service_reference_variant: str | None


def iter_payloads(source: bytes | str | BinaryIO) -> Iterator[DuisPayload]:
    """Yields every sr:GBCSPayload of a DUIS document, with the DUIS context around it.

    ``source`` is the document (bytes or str) or a binary file object; memory stays flat for
    large documents because each element is dropped once it has been read.
    """
    if isinstance(source, str):
        source = source.encode("utf-8")
    if isinstance(source, (bytes, bytearray)):
        source = io.BytesIO(source)
    context: dict[str, str | None] = {"request_id": None, "response_id": None, "response_code": None}
    variant: str | None = None
    found = 0
    events = etree.iterparse(source, events=("start", "end"), **PARSER_OPTIONS)
    try:
        for event, element in events:
            if event == "start":
                if element.getparent() is None and element.getroottree().docinfo.doctype:
                    raise DecodeError("DUIS XML: DOCTYPE declarations are refused "
                                      "(no DTDs or entities are processed)")
                continue
            tag = element.tag
            if tag in _HEADER_FIELDS:
                context[_HEADER_FIELDS[tag]] = (element.text or "").strip()
            elif tag == _VARIANT:
                variant = (element.text or "").strip()
            elif tag == _PAYLOAD:
                found += 1
                yield DuisPayload((element.text or "").strip(), element.sourceline or 0,
                                  context["request_id"], context["response_id"],
                                  context["response_code"], variant)
            if not len(element) and tag != _VARIANT:
                element.clear(keep_tail=False)
    except etree.XMLSyntaxError as exc:
        line = exc.position[0] if exc.position else None
        raise DecodeError(f"malformed DUIS XML at line {line}: {exc.msg}") from None
    if not found:
        raise DecodeError("DUIS XML holds no sr:GBCSPayload element")
