"""``correlate(request, precommand)``: is this DCC pre-command what the User asked for?

Header checks (GBCS section 7, FACTS §2): a General Signing APDU (``DF``) standing alone,
CRA flag 1 (command), no signature field (pre-commands omit it), originator = the request's
originator EUI, recipient = its target EUI, originator counter = its counter, and a message
code that GBCS maps to the request's Service Reference Variant. Payload checks: the
catalogue entry of the message code rebuilds the payload from the request and every field is
compared (``template.compare``). A message code the catalogue does not know is never
correlated: it gets the mismatch "use case not supported".
"""
from __future__ import annotations

import base64
import binascii
from dataclasses import dataclass
from pathlib import Path
from typing import Union

from .. import registry
from ..codec.frame import Frame, build_frame
from ..codec.header import decode_header
from ..codec.text import looks_like_xml, text_to_bytes
from ..errors import DecodeError, PandcError
from .catalogue import CATALOGUE
from .request import DUIS_NAMESPACE, Request, parse_request, read_duis_tree
from .template import Mismatch, Template, compare

PreCommandSource = Union[bytes, bytearray, memoryview, str, Path]
RequestSource = Union[Request, bytes, str, Path]

UNSUPPORTED = "use case not supported"


class PreCommandError(DecodeError):
    """Input that cannot be read as a GBCS pre-command (or a DUIS document carrying one)."""


@dataclass(frozen=True, slots=True)
class Correlation:
    """The verdict: ``correlated`` is True only when every check passed and the use case is
    catalogued; ``mismatches`` says what differs (empty when correlated)."""

    correlated: bool
    mismatches: tuple[Mismatch, ...]
    use_case: str | None = None
    message_code: int | None = None
    warnings: tuple[str, ...] = ()     # request values the use case's command does not carry

    def to_json(self) -> dict[str, object]:
        return {
            "correlated": self.correlated,
            "use_case": self.use_case,
            "message_code": None if self.message_code is None else f"{self.message_code:04X}",
            "mismatches": [
                {"field": m.field, "request": m.request_value, "command": m.command_value,
                 "gbcs_field": m.gbcs_field} for m in self.mismatches],
            "warnings": list(self.warnings),
        }


def precommand_bytes(precommand: PreCommandSource) -> bytes:
    """GBCS bytes of a pre-command given as bytes, hex/base64 text, a DUIS document carrying
    it in ``GBCSPayload`` (``sr:PreCommand`` or ``sr:SignedPreCommand``), or a Path to one."""
    if isinstance(precommand, Path):
        path = str(precommand)
        try:
            precommand = precommand.read_bytes()
        except OSError as exc:
            raise PreCommandError(f"{path}: cannot read: {exc.strerror}") from None
        if not looks_like_xml(precommand):
            precommand = precommand.decode("ascii", "replace")
    if isinstance(precommand, (bytearray, memoryview)):
        precommand = bytes(precommand)
    if isinstance(precommand, str):
        if looks_like_xml(precommand):
            return _from_duis(precommand.encode("utf-8"))
        return text_to_bytes(precommand)
    if isinstance(precommand, bytes):
        if looks_like_xml(precommand):
            return _from_duis(precommand)
        return precommand
    raise TypeError(f"expected a pre-command as bytes, str or Path, not "
                    f"{type(precommand).__name__}")


def _from_duis(document: bytes) -> bytes:
    tree = read_duis_tree(document, PreCommandError, "DUIS document")
    ns = f"{{{DUIS_NAMESPACE}}}"
    payloads = [e for e in tree.iter(f"{ns}GBCSPayload")
                if (parent := e.getparent()) is not None
                and parent.tag in (f"{ns}PreCommand", f"{ns}SignedPreCommand")]
    if len(payloads) != 1:
        raise PreCommandError(f"expected one sr:PreCommand/sr:GBCSPayload, found {len(payloads)}")
    text = "".join((payloads[0].text or "").split())
    try:
        return base64.b64decode(text, validate=True)
    except (binascii.Error, ValueError):
        raise PreCommandError("sr:PreCommand/sr:GBCSPayload: not base64") from None


def read_precommand(precommand: PreCommandSource) -> Frame:
    data = precommand_bytes(precommand)
    return build_frame(decode_header(data), data)


def _header_mismatches(request: Request, frame: Frame, extra_variants: tuple[str, ...] = ()
                       ) -> list[Mismatch]:
    found: list[Mismatch] = []
    if frame.frame != "general-signing":
        found.append(Mismatch("(pre-command)", "General Signing (DF) alone",
                              frame.frame, "APDU"))
    if frame.cra != "command":
        found.append(Mismatch("(pre-command)", "command (CRA 1)", frame.cra,
                              "transaction-id CRA flag"))
    if frame.layout.signature_offset is not None:
        found.append(Mismatch("(pre-command)", "no signature field", "signature field present",
                              "signature"))
    if frame.originator != request.originator:
        found.append(Mismatch("Header/RequestID (originator)", request.originator,
                              frame.originator, "originator system title"))
    if frame.recipient != request.target:
        found.append(Mismatch("Header/RequestID (target)", request.target, frame.recipient,
                              "recipient system title"))
    if frame.originator_counter != request.counter:
        found.append(Mismatch("Header/RequestID (counter)", str(request.counter),
                              str(frame.originator_counter), "transaction-id originator counter"))
    info = registry.lookup(frame.message_code)
    srv = request.service_reference_variant
    if srv not in extra_variants and (info is None
                                      or srv not in info.service_reference_variants):
        allowed = sorted(f"{c:04X}" for c, i in registry.MESSAGE_CODES.items()
                         if srv in i.service_reference_variants)
        found.append(Mismatch("Header/ServiceReferenceVariant", f"{srv} (message codes "
                              f"{', '.join(allowed) or 'none'})",
                              f"{frame.message_code:04X}"
                              + (f" ({info.use_case})" if info else ""),
                              "other-information message code"))
    return found


def correlate(request: RequestSource, precommand: PreCommandSource) -> Correlation:
    """Check ``precommand`` against ``request`` (see the module doc).

    Raises a ``PandcError`` when either input cannot be read at all (not XML, not a GBCS
    message); anything readable gives a verdict.
    """
    if not isinstance(request, Request):
        request = parse_request(request)
    frame = read_precommand(precommand)
    entry = CATALOGUE.get(frame.message_code)
    mismatches = _header_mismatches(request, frame,
                                    entry.service_reference_variants if entry else ())
    use_case = entry.use_case if entry else frame.use_case
    if entry is None:
        mismatches.append(Mismatch("(use case)", request.service_reference_variant,
                                   f"{frame.message_code:04X} ({frame.use_case or 'unknown'})",
                                   UNSUPPORTED))
        return Correlation(False, tuple(mismatches), use_case, frame.message_code)
    if request.body.name not in entry.requests:
        mismatches.append(Mismatch(request.body.name, request.body.name,
                                   f"{entry.use_case} serves {', '.join(entry.requests)}",
                                   "use case"))
        return Correlation(False, tuple(mismatches), use_case, frame.message_code)
    template = Template()
    try:
        entry.build(request, template)
    except Exception as problem:  # noqa: BLE001 - a catalogue gap must be a verdict, not a crash
        mismatches.append(Mismatch(request.body.name, "(request)",
                                   f"cannot be checked: {type(problem).__name__}: {problem}",
                                   UNSUPPORTED))
        return Correlation(False, tuple(mismatches), use_case, frame.message_code)
    mismatches.extend(compare(template, frame.payload))
    return Correlation(not mismatches, tuple(mismatches), use_case, frame.message_code,
                       tuple(template.notes))
