"""Reading GBCS payloads out of DUIS Response XML, streaming and hardened.

The parser never loads a DTD, never resolves entities and never reaches the network; a
document that declares a DOCTYPE is refused outright, since no DUIS message needs one.
Memory stays flat: each element is cleared once read and the siblings already handled are
dropped from their parent, so a file of 100,000 responses costs what one does.
"""
from __future__ import annotations

import io
from collections.abc import Iterator
from dataclasses import dataclass
from typing import BinaryIO

from lxml import etree

from ..errors import DecodeError
from ..hardened_xml import PARSER_OPTIONS, doctype_refused, has_doctype
from ..message import DuisContext

SR_NAMESPACE = "http://www.dccinterface.co.uk/ServiceUserGateway"
_SR = "{%s}" % SR_NAMESPACE
_HEADER_FIELDS = {_SR + "RequestID": "request_id", _SR + "ResponseID": "response_id",
                  _SR + "ResponseCode": "response_code"}
_PAYLOAD = _SR + "GBCSPayload"
_VARIANT = _SR + "ServiceReferenceVariant"
_RESPONSE = _SR + "Response"

@dataclass(frozen=True, slots=True)
class DuisPayload:
    text: str                         # the base64 GBCSPayload, as found
    line: int                         # source line of the GBCSPayload element
    request_id: str | None
    response_id: str | None
    response_code: str | None
    service_reference_variant: str | None

    @property
    def context(self) -> DuisContext:
        return DuisContext(self.request_id, self.response_id, self.response_code,
                           self.service_reference_variant)


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
    # End events only: a Python step per start tag doubled the cost of a large document. The
    # DOCTYPE, if any, is in the prolog, so it is known (and refused) at the first end event,
    # before any element's content has been used.
    events = etree.iterparse(source, events=("end",), remove_pis=True,
                             **PARSER_OPTIONS)  # type: ignore[call-overload]
    checked_doctype = False
    try:
        for _, element in events:
            if not checked_doctype:
                if has_doctype(element.getroottree()):
                    raise doctype_refused("DUIS XML")
                checked_doctype = True
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
            if tag == _RESPONSE:
                context = {"request_id": None, "response_id": None, "response_code": None}
                variant = None
            # Every element is done with at its end: empty it and drop it and the handled
            # siblings before it, so the tree holds only the open elements and memory stays
            # flat whatever the document holds (lxml FAQ, iterparse). Clearing only leaf
            # elements kept one emptied node per element: a document of millions of small
            # elements inside one Response grew without bound.
            element.clear(keep_tail=False)
            parent = element.getparent()
            if parent is not None:
                while element.getprevious() is not None:
                    del parent[0]
    except etree.XMLSyntaxError as exc:
        line = exc.position[0] if exc.position else None
        raise DecodeError(f"malformed DUIS XML at line {line}: {exc.msg}") from None
    if not found:
        raise DecodeError("DUIS XML holds no sr:GBCSPayload element")
