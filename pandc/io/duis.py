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
from ..duis.responses import DuisResponse, read_response
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

    def context(self) -> DuisContext:
        return DuisContext(self.request_id, self.response_id, self.response_code,
                           self.service_reference_variant)


# With responses=True a Response is kept whole until its end (its body is read then); a DUIS
# Response holds a few hundred elements (17 inventory devices of ~25 fields), so past this many
# it is not read as a body: its elements are dropped as they come and it is reported.
MAX_RESPONSE_ELEMENTS = 100_000


def iter_payloads(source: bytes | str | BinaryIO, *, responses: bool = False
                  ) -> Iterator[DuisPayload | DuisResponse | DecodeError]:
    """Yields every sr:GBCSPayload of a DUIS document, with the DUIS context around it.

    ``source`` is the document (bytes or str) or a binary file object; memory stays flat for
    large documents because each element is dropped once it has been read. With
    ``responses``, an sr:Response that carries no GBCSPayload (an acknowledgement, a
    DSP-generated body, a DCC alert) is yielded too, read by :func:`pandc.duis.read_response`
    (or the DecodeError saying why it cannot be read), and a document without any payload is
    no error.
    """
    if isinstance(source, str):
        source = source.encode("utf-8")
    if isinstance(source, (bytes, bytearray)):
        source = io.BytesIO(source)
    context: dict[str, str | None] = {"request_id": None, "response_id": None, "response_code": None}
    variant: str | None = None
    found = 0
    payloads_in_response = 0
    responses_seen = 0
    kept = 0            # elements of the current Response kept for read_response
    # End events only: a Python step per start tag doubled the cost of a large document. The
    # DOCTYPE, if any, is in the prolog, so it is known (and refused) at the first end event,
    # before any element's content has been used.
    events = etree.iterparse(source, events=("end",), remove_pis=True,
                             **PARSER_OPTIONS)
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
                payloads_in_response += 1
                yield DuisPayload((element.text or "").strip(), element.sourceline or 0,
                                  context["request_id"], context["response_id"],
                                  context["response_code"], variant)
            if tag == _RESPONSE:
                responses_seen += 1
                if responses and not payloads_in_response:
                    if kept > MAX_RESPONSE_ELEMENTS:
                        yield DecodeError(f"sr:Response at line {element.sourceline}: more than "
                                          f"{MAX_RESPONSE_ELEMENTS} elements; not read")
                    else:
                        try:
                            yield read_response(element)
                        except DecodeError as error:
                            yield error
                context = {"request_id": None, "response_id": None, "response_code": None}
                variant = None
                payloads_in_response = kept = 0
            elif responses and tag != _PAYLOAD and kept <= MAX_RESPONSE_ELEMENTS \
                    and next(element.iterancestors(_RESPONSE), None) is not None:
                # Inside a Response that may be a DSP body: kept until the Response ends.
                kept += 1
                continue
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
    if not found and not responses:
        raise DecodeError("DUIS XML holds no sr:GBCSPayload element")
    if not found and not responses_seen:
        raise DecodeError("DUIS XML holds no sr:Response and no sr:GBCSPayload element "
                          f"(namespace {SR_NAMESPACE})")
