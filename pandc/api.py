"""The pipeline, one way: bytes → codec (header, parts) → security → use case → Message.

:func:`decode`, :func:`decode_many`, :func:`iter_decode` and :func:`decode_duis` all build
each :class:`Message` once, complete: header fields, parts (decrypted with keys), the
verification and the decoded values. Nothing patches a Message afterwards.
"""
from __future__ import annotations

import gc
import itertools
from contextlib import contextmanager
from collections.abc import Iterable, Iterator
from typing import TYPE_CHECKING, Any

from . import usecases
from .codec import header
from .codec import dlms, gbt
from .codec.frame import Frame, build_frame
from .codec.limits import LimitError
from .codec.parts import PayloadPart
from .codec.text import looks_like_xml, to_message_bytes
from .errors import DecodeError
from .duis import DuisResponse
from .io import duis
from .io.sources import SourceItem, iter_items
from .message import DuisContext, Message, message_from_frame
from .security.verification import NOT_VERIFIED, Verification

if TYPE_CHECKING:
    from .security import KeySource, Secured

BATCH_SIZE = 512
# What a stream of inputs yields, one per input: a message, the DUIS response that carries
# none, or the error that stopped it.
Result = Message | DecodeError | DuisResponse
_ACCEPTED = (bytes, bytearray, memoryview, str)
# The warning of a message decoded with values=False, so that a Message without values never
# looks like one whose use case has none.
VALUES_NOT_ASKED = "values not decoded: the caller asked for the header and verification only"


def _values(frame: Frame, parts: tuple[PayloadPart, ...], warnings: list[str]
            ) -> tuple[Any, tuple[Any, ...]]:
    """(value tree, failures) of the frame's use case; what could not be decoded is a
    warning, never silent. Hostile input past a decoder's limits is a DecodeError."""
    if frame.cra not in ("response", "alert"):
        return None, ()
    try:
        result = usecases.decode(frame, parts)
    except LimitError:
        raise
    except DecodeError as error:
        warnings.append(f"{frame.use_case or frame.message_code_hex}: values not decoded: {error}")
        return None, ()
    if result is None:
        if frame.cra == "response" and frame.message_code not in usecases.registered_codes():
            warnings.append(f"{frame.use_case or frame.message_code_hex}: no use-case decoder; "
                            "the payload stays as GBCSData")
        elif any(part.encrypted and part.plaintext is None for part in parts):
            warnings.append(f"{frame.use_case or frame.message_code_hex}: payload encrypted; "
                            "its values need keys")
        return None, ()
    warnings.extend(result.warnings)
    return result.values, result.failures


def _assemble(frame: Frame, secured: "Secured | None", duis_context: DuisContext | None,
              values: bool = True) -> Message:
    warnings: list[str] = []
    if secured is None:
        parts, verification = frame.parts, NOT_VERIFIED
    else:
        parts, verification = secured.parts, secured.verification
        warnings.extend(secured.warnings)
    if values:
        tree, failures = _values(frame, parts, warnings)
    else:
        tree, failures = None, ()
        if frame.cra in ("response", "alert"):
            warnings.append(VALUES_NOT_ASKED)
    return message_from_frame(frame, parts=parts, warnings=tuple(warnings), values=tree,
                              failures=failures, verification=verification, duis=duis_context)


def _check_type(data: object) -> None:
    if not isinstance(data, _ACCEPTED):
        raise TypeError(f"pandc.decode takes bytes, bytearray, memoryview or str (hex, base64 "
                        f"or DUIS XML), not {type(data).__name__}")


def _binary_or_text(data: bytes | bytearray | memoryview | str) -> bytes | str:
    """ASCII bytes that cannot start a binary message are hex/base64 text handed over as bytes."""
    if isinstance(data, (bytes, bytearray, memoryview)) and data and data[0] not in (0xDD, 0xDF, 0xE0):
        try:
            return bytes(data).decode("ascii")
        except UnicodeDecodeError:
            return bytes(data)
    return data if isinstance(data, str) else bytes(data)


def _decode_one(data: bytes, keys: "KeySource | None", duis_context: DuisContext | None = None
                ) -> Message:
    with dlms.shared_reads():       # see decode_with_context
        frame = build_frame(header.decode_header(data), data,
                            duis_context.service_reference_variant if duis_context else None)
        secured = None
        if keys is not None:
            from .security import secure
            secured = secure(frame, keys)
        return _assemble(frame, secured, duis_context)


def decode(data: bytes | bytearray | memoryview | str, *, keys: "KeySource | None" = None) -> Message:
    """Decodes one GBCS message given as bytes, hex text, base64 text or a DUIS Response.

    A DUIS document must carry exactly one sr:GBCSPayload here; use :func:`decode_duis` for
    documents with several. With ``keys``, MACs and signatures are checked, encrypted parts
    decrypted and the verdict given (``message.verification``). Raises :class:`DecodeError`
    on malformed input and :class:`TypeError` for anything but bytes-like or str.
    """
    _check_type(data)
    if looks_like_xml(data):
        results = decode_duis(bytes(data) if not isinstance(data, str) else data, keys=keys)
        if len(results) != 1:
            raise DecodeError(f"DUIS XML holds {len(results)} GBCSPayload elements; "
                              "use pandc.decode_duis for more than one")
        result = results[0]
        if isinstance(result, DecodeError):
            raise result
        return result
    return _decode_one(to_message_bytes(_binary_or_text(data)), keys)


def decode_duis(document: bytes | str, *, keys: "KeySource | None" = None) -> list[Message | DecodeError]:
    """Every sr:GBCSPayload of a DUIS Response, decoded (errors in place, in order)."""
    results: list[Message | DecodeError] = []
    for payload in duis.iter_payloads(document):
        if not isinstance(payload, duis.DuisPayload):   # only with responses=True
            continue
        try:
            results.append(_decode_one(to_message_bytes(payload.text), keys, payload.context()))
        except DecodeError as error:
            error.source = f"GBCSPayload at line {payload.line}"
            results.append(error)
    return results


def verify(message: Frame, keys: "KeySource") -> Verification:
    """The verification of an already decoded message (MAC, signature, verdict)."""
    from .security import secure
    return secure(message, keys).verification


def decode_many(items: Iterable[bytes | bytearray | memoryview | str], *,
                keys: "KeySource | None" = None, workers: int = 1) -> list[Message | DecodeError]:
    """Decodes every item (as :func:`decode` would) with one C batch call for the headers.

    Returns, in order, a Message or the DecodeError for each item; never stops early. With
    ``workers`` > 1 the batch is shared among that many worker processes (started with
    forkserver or spawn, never fork: a fork while verification threads run can deadlock);
    ``keys`` then travel to them by pickling (a :class:`KeyStore` by its directory), each
    worker keeps its own ECDH cache, and the results equal one worker's.
    """
    pairs = ((item, None) for item in items)
    if workers > 1:
        from .workers import decode_in_workers
        return decode_in_workers(list(_reassembled_pairs(pairs)), keys, workers)
    return decode_with_context(pairs, keys=keys)


def _reassembled_pairs(pairs: Iterable[tuple[Any, Any]]) -> Iterator[tuple[Any, Any]]:
    """(data, DUIS payload) pairs with GBT blocks replaced by the messages they carry (each
    at the place of its last-arriving block); a broken transfer is a DecodeError in place."""
    return gbt.reassemble_stream(
        pairs, block_of=lambda pair: gbt.block_bytes(pair[0]),
        on_message=lambda pair, done: (done.message, pair[1]),
        on_error=lambda pair, error: (error, None))


def _reassembled_items(items: Iterable[SourceItem]) -> Iterator[SourceItem]:
    """Source items with GBT blocks reassembled, as _reassembled_pairs."""
    return gbt.reassemble_stream(
        items, block_of=lambda item: gbt.block_bytes(item.data) if item.error is None else None,
        on_message=lambda item, done: SourceItem(item.source, done.message, item.context),
        on_error=lambda item, error: SourceItem(item.source if item else "<end of input>",
                                                None, error=error))


def decode_with_context(items: Iterable[tuple[Any, DuisContext | None]], *,
                        keys: "KeySource | None" = None, values: bool = True
                        ) -> list[Message | DecodeError]:
    """decode_many for (data, DUIS context) pairs, as read from DUIS documents by io.sources.

    GBT blocks among the items are reassembled first: a complete transfer gives one message.
    ``values=False`` stops after the verification: the use-case layer is not run, so each
    message has no values and a warning saying they were not asked for, and a payload only a
    use-case decoder would find past its limits is not an error (the Arrow sink's
    verification columns need no more; they cost about half the whole pipeline).
    """
    # The payload split reads each DLMS response for its cipher spans; the use case then
    # takes that read instead of reading the same bytes again.
    with dlms.shared_reads(), collector_paused():
        return _decode_with_context(items, keys, values)


@contextmanager
def collector_paused() -> Iterator[None]:
    """The cyclic garbage collector off while a batch is decoded (back on after, if it was).

    A batch makes tens of objects a message and keeps them all (the results), none of them
    in a cycle: the collector's passes, each over more survivors, only cost time, a fifth of
    it for ten thousand messages. Reference counting still frees everything as before."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def _decode_with_context(items: Iterable[tuple[Any, DuisContext | None]],
                         keys: "KeySource | None", values: bool) -> list[Message | DecodeError]:
    results: list[Message | DecodeError | None] = []
    blobs: list[bytes] = []
    pending: list[tuple[int, DuisContext | None]] = []
    for item, context in _reassembled_pairs(items):
        if isinstance(item, DecodeError):
            results.append(item)
            continue
        try:
            _check_type(item)
            if looks_like_xml(item):
                results.append(decode(item, keys=keys))
                continue
            blobs.append(to_message_bytes(_binary_or_text(item)))
            pending.append((len(results), context))
            results.append(None)
        except DecodeError as error:
            results.append(error)
        except TypeError as error:
            results.append(DecodeError(str(error)))
    if not blobs:
        return results  # type: ignore[return-value]
    frames: list[Frame | DecodeError] = []
    for (_, context), blob, raw in zip(pending, blobs, header.decode_headers(blobs)):
        if isinstance(raw, DecodeError):
            frames.append(raw)
        else:
            frames.append(build_frame(raw, blob, context.service_reference_variant if context else None))
    if keys is not None:
        from .security import secure_many
        secured: list[Any] = secure_many(frames, keys)
    else:
        secured = [None] * len(frames)
    for (slot, context), frame, security in zip(pending, frames, secured):
        if isinstance(frame, DecodeError):
            results[slot] = frame
            continue
        try:
            results[slot] = _assemble(frame, security, context, values)
        except DecodeError as error:
            results[slot] = error
    return results  # type: ignore[return-value]


def iter_decode_items(items: Iterable[SourceItem], *, keys: "KeySource | None" = None,
                      workers: int = 1) -> Iterator[tuple[SourceItem, Result]]:
    """(source item, result) for every item, decoded a batch at a time, lazily and in order
    (with ``workers`` > 1, several batches at once in worker processes)."""
    iterator = _reassembled_items(items)
    if workers > 1:
        from .workers import iter_in_workers
        yield from iter_in_workers(iterator, keys, workers, BATCH_SIZE)
        return
    while True:
        batch = list(itertools.islice(iterator, BATCH_SIZE))
        if not batch:
            return
        yield from zip(batch, decode_batch(batch, keys))


def decode_batch(batch: list[SourceItem], keys: "KeySource | None") -> list[Result]:
    """One result per source item (its read error, the decoded message, or the DUIS response
    that carries no GBCS message), in order."""
    readable = [item for item in batch if item.error is None and item.response is None]
    decoded = iter(decode_with_context(((item.data, item.context) for item in readable),
                                       keys=keys))
    return [item.error if item.error is not None else
            item.response if item.response is not None else next(decoded) for item in batch]


def iter_decode(source: Any, *, keys: "KeySource | None" = None,
                workers: int = 1) -> Iterator[Result]:
    """Decode lazily from a path, a binary or text file object, or an iterable of lines or
    messages: one result per input message, in order, never stopping at a bad one. Memory
    stays flat whatever the size of the input. A DUIS Response that carries no GBCS message
    (an acknowledgement, a DSP-generated body, a DCC alert) is yielded as the
    :class:`pandc.duis.DuisResponse` it is.

    Each DecodeError carries ``source`` ("name:line") naming the input it came from.
    """
    for item, result in iter_decode_items(iter_items(source), keys=keys, workers=workers):
        if isinstance(result, DecodeError) and result.source is None:
            result.source = item.source
        yield result
