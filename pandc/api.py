"""pandc.decode and pandc.decode_many: from user input to immutable Message objects."""
from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

from . import duis, header, registry
from .errors import DecodeError
from .inputs import looks_like_xml, to_message_bytes
from .message import CRA_NAMES, FRAME_GENERAL_CIPHERING, FRAME_GENERAL_SIGNING, Message
from .payload import split_payload
from .rawheader import (
    HAS_CERTIFICATE, HAS_DATE_TIME, HAS_MAC, HAS_SIGNATURE_FIELD, HAS_SO_COUNTER,
    HAS_SRP_COUNTER, HAS_SRP_ID, RawHeader,
)
from .timestatus import decode_date_time

if TYPE_CHECKING:
    from .security import KeySource

_FRAMES = {0xDD: FRAME_GENERAL_CIPHERING, 0xDF: FRAME_GENERAL_SIGNING}
_NO_DUIS: dict[str, Any] = {}


def format_eui(octets: bytes) -> str:
    return octets.hex("-").upper()


def build_message(raw: RawHeader, data: bytes, duis_context: dict[str, Any] = _NO_DUIS) -> Message:
    """Turns a decoded header (C core or twin) and the message bytes into a Message."""
    warnings: list[str] = []
    flags = raw.flags
    code = raw.message_code
    info = registry.lookup(code)
    cra = CRA_NAMES[raw.cra]

    date_time = time_status = clock_status = is_from_gsme = None
    if flags & HAS_DATE_TIME:
        decoded = decode_date_time(raw.date_time)
        date_time, time_status = decoded.value, decoded.time_status
        clock_status, is_from_gsme = decoded.clock_status, decoded.is_from_gsme
        if decoded.warning:
            warnings.append(decoded.warning)

    variant = duis_context.get("service_reference_variant")
    if info is None:
        use_case = None
        warnings.append(f"unknown message code 0x{code:04X}: no use case is registered for it")
    else:
        use_case = info.use_case
        variant = variant or info.service_reference_variant
        if info.response_date_time_mandatory and cra == "response" and not flags & HAS_DATE_TIME:
            warnings.append(
                f"{use_case} response without a grouping-header date-time: SECMP0015 makes it "
                f"mandatory for {use_case} responses (GBCS {use_case} via the GPF)")

    content_end = raw.content_offset + raw.content_length
    payload = data[raw.content_offset:content_end]
    signature = None
    signature_offset = None
    if flags & HAS_SIGNATURE_FIELD:
        signature_offset = raw.signature_offset
        if raw.signature_length:
            signature = data[signature_offset:signature_offset + raw.signature_length]
    mac_offset = raw.mac_offset if flags & HAS_MAC else None

    return Message(
        frame=_FRAMES[raw.frame],
        cra=cra,
        originator_counter=raw.originator_counter,
        originator=format_eui(raw.originator),
        recipient=format_eui(raw.recipient),
        message_code=code,
        use_case=use_case,
        service_reference_variant=variant,
        date_time=date_time,
        time_status=time_status,
        clock_status=clock_status,
        is_from_gsme=is_from_gsme,
        supplementary_remote_party_id=(format_eui(raw.supplementary_remote_party_id)
                                       if flags & HAS_SRP_ID else None),
        supplementary_remote_party_counter=(raw.supplementary_remote_party_counter
                                            if flags & HAS_SRP_COUNTER else None),
        supplementary_originator_counter=(raw.supplementary_originator_counter
                                          if flags & HAS_SO_COUNTER else None),
        payload=payload,
        signature=signature,
        mac=data[mac_offset:mac_offset + 12] if mac_offset is not None else None,
        warnings=warnings,
        raw=data,
        signing_offset=raw.signing_offset,
        content_offset=raw.content_offset,
        signature_offset=signature_offset,
        mac_offset=mac_offset,
        certificate=(data[raw.certificate_offset:raw.certificate_offset + raw.certificate_length]
                     if flags & HAS_CERTIFICATE else None),
        date_time_octets=raw.date_time if flags & HAS_DATE_TIME else None,
        request_id=duis_context.get("request_id"),
        response_id=duis_context.get("response_id"),
        response_code=duis_context.get("response_code"),
        parts=split_payload(payload, cra),
    )


def _duis_context(payload: duis.DuisPayload) -> dict[str, Any]:
    return {"request_id": payload.request_id, "response_id": payload.response_id,
            "response_code": payload.response_code,
            "service_reference_variant": payload.service_reference_variant}


def _decode_bytes(data: bytes, duis_context: dict[str, Any] = _NO_DUIS) -> Message:
    return build_message(header.decode_header(data), data, duis_context)


def _decode_xml(document: bytes | str) -> list[Message | DecodeError]:
    results: list[Message | DecodeError] = []
    for payload in duis.iter_payloads(document):
        try:
            data = to_message_bytes(payload.text)
            results.append(_decode_bytes(data, _duis_context(payload)))
        except DecodeError as error:
            error.source = f"GBCSPayload at line {payload.line}"
            results.append(error)
    return results


def _secure(message: Message, keys: "KeySource | None", cache) -> Message:
    if keys is None:
        return message
    from .security import secure
    return secure(message, keys, cache=cache)


def decode(data: bytes | str, *, keys: "KeySource | None" = None) -> Message:
    """Decodes one GBCS message given as bytes, hex text, base64 text or a DUIS Response.

    A DUIS document must carry exactly one sr:GBCSPayload here; use :func:`decode_duis` for
    documents with several. With ``keys``, MACs and signatures are checked and encrypted parts
    decrypted (see :mod:`pandc.security`). Raises :class:`DecodeError` on malformed input.
    """
    if looks_like_xml(data):
        results = _decode_xml(data)
        if len(results) != 1:
            raise DecodeError(f"DUIS XML holds {len(results)} GBCSPayload elements; "
                              "use pandc.decode_duis for more than one")
        result = results[0]
        if isinstance(result, DecodeError):
            raise result
        return _secure(result, keys, None)
    return _secure(_decode_bytes(to_message_bytes(_binary_or_text(data))), keys, None)


def decode_duis(document: bytes | str, *, keys: "KeySource | None" = None) -> list[Message | DecodeError]:
    """Every sr:GBCSPayload of a DUIS Response, decoded (errors in place, in order)."""
    return [r if isinstance(r, DecodeError) else _secure(r, keys, None) for r in _decode_xml(document)]


def _binary_or_text(data):
    """ASCII bytes that cannot start a binary message are hex/base64 text handed over as bytes."""
    if isinstance(data, (bytes, bytearray, memoryview)) and data and data[0] not in (0xDD, 0xDF, 0xE0):
        try:
            return bytes(data).decode("ascii")
        except UnicodeDecodeError:
            return data
    return data


def decode_many(items: Iterable[bytes | str], *, keys: "KeySource | None" = None) -> list[Message | DecodeError]:
    """Decodes every item (as :func:`decode` would) with one C batch call for the headers.

    Returns, in order, a Message or the DecodeError for each item; never stops early.
    """
    return decode_with_context(((item, None) for item in items), keys=keys)


def decode_with_context(items: Iterable[tuple[bytes | str, "duis.DuisPayload | None"]], *,
                        keys: "KeySource | None" = None) -> list[Message | DecodeError]:
    """decode_many for (data, DUIS context) pairs, as read from DUIS documents by pandc.sources."""
    results: list[Message | DecodeError | None] = []
    blobs: list[bytes] = []
    pending: list[tuple[int, dict[str, Any]]] = []
    for item, payload in items:
        try:
            if looks_like_xml(item):
                results.append(decode(item, keys=keys))
                continue
            blobs.append(to_message_bytes(_binary_or_text(item)))
            pending.append((len(results), _duis_context(payload) if payload else _NO_DUIS))
            results.append(None)
        except DecodeError as error:
            results.append(error)
        except TypeError as error:
            results.append(DecodeError(str(error)))
    if blobs:
        built = (raw if isinstance(raw, DecodeError) else build_message(raw, blob, context)
                 for (_, context), blob, raw in zip(pending, blobs, header.decode_headers(blobs)))
        if keys is not None:
            from .security import secure_many
            # A generator, so signatures verify on a thread pool while later messages decode.
            # The process-wide ECDH cache is keyed by key objects, so batches can share it.
            built = iter(secure_many(built, keys))
        for (slot, _), result in zip(pending, built):
            results[slot] = result
    return results  # type: ignore[return-value]
