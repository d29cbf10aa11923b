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
from ..hardened_xml import PARSER_OPTIONS, doctype_refused
from ..duis.responses import DuisResponse, read_response
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


def iter_payloads(source: bytes | str | BinaryIO, *, responses: bool = False
                  ) -> Iterator[DuisPayload | DuisResponse | DecodeError]:
    """Yields every sr:GBCSPayload of a DUIS document, with the DUIS context around it.

    ``source`` is the document (bytes or str) or a binary file object; memory stays flat for
    large documents because each response is dropped once it has been read. With
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
    in_response = 0
    payloads_in_response = 0
    events = etree.iterparse(source, events=("start", "end"), remove_pis=True,
                             **PARSER_OPTIONS)
    try:
        for event, element in events:
            tag = element.tag
            if event == "start":
                if element.getparent() is None and element.getroottree().docinfo.doctype:
                    raise doctype_refused("DUIS XML")
                if tag == _RESPONSE:
                    in_response += 1
                    payloads_in_response = 0
                continue
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
                in_response -= 1
                if responses and not payloads_in_response:
                    try:
                        yield read_response(element)
                    except DecodeError as error:
                        yield error
                # A response is done: drop it and the handled siblings before it, so the root
                # does not keep a growing list of emptied elements (lxml FAQ, iterparse).
                _drop(element)
                context = {"request_id": None, "response_id": None, "response_code": None}
                variant = None
            elif tag == _PAYLOAD:
                _drop(element)
            elif not in_response and not len(element):
                element.clear(keep_tail=False)
    except etree.XMLSyntaxError as exc:
        line = exc.position[0] if exc.position else None
        raise DecodeError(f"malformed DUIS XML at line {line}: {exc.msg}") from None
    if not found and not responses:
        raise DecodeError("DUIS XML holds no sr:GBCSPayload element")


def _drop(element: etree._Element) -> None:
    element.clear(keep_tail=False)  # type: ignore[call-arg]  # lxml-stubs lack keep_tail
    parent = element.getparent()
    if parent is not None:
        while element.getprevious() is not None:
            del parent[0]
