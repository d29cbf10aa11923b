"""General Block Transfer (GBT): reading GBCS blocks and reassembling the message they carry.

Below the DCC (HAN and WAN captures, as test labs and device makers take them) GBCS carries a
long message in blocks. Each block is a Message Routing Header followed by a GBT APDU
(FACTS section 8; offsets are from the start of the block)::

    0   DD                      general ciphering tag
    1   09 CRA counter(8)       transaction-id: DD 09 is what tells a block from a message (DD 00)
    11  08 originator(8)        business originator EUI-64
    20  08 recipient(8)         business target EUI-64
    29  00                      date-time: always absent
    30  02 code(2)              other-information: the message code only
    33  00                      key-info: always absent
    34  length                  BER length of the rest of the block (pandc: must be exactly the rest)
        security header (5)     control + invocation counter; values not established, not checked
        E0                      general-block-transfer
        block-control (1)       0x80 last block, 0x40 streaming, 0x3F window
        block-number (2)        big-endian; the first block is 1
        block-number-ack (2)    big-endian
        length + block-data     BER length; 0 = an acknowledgement, no data

The block-data of blocks 1..last, concatenated in number order, is the complete message
(``DD 00 ..`` with its MAC, or ``DF ..``), which is then decoded as usual. The routing header
is outside the MAC: the reassembled message's integrity rests on its own MAC and signature.

:func:`parse_block` reads one block; :class:`Reassembler` collects blocks of any number of
transfers in any order; :func:`reassemble_stream` puts reassembly in front of a stream of
messages (what ``decode_many``, ``iter_decode`` and the CLI take).

Why this is Python and not in the C core: the block header is a dozen fixed fields read once
per block, the reassembly bookkeeping is Python either way, and the C core's one output
struct stays the same for every ordinary message; the C core (and its twin) only recognise a
block (``DD 09``) and refuse it with error code 19, so a block that reaches the header
decoder un-reassembled says what it is.
"""
from __future__ import annotations

import hashlib
import re
import struct
from collections import OrderedDict
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from typing import Any, NamedTuple, TypeVar

from ..errors import DecodeError
from .ber import LengthError, read_length
from .limits import MAX_MESSAGE_BYTES, LimitError
from .text import text_to_bytes

#: Highest block number pandc accepts. The field is 16 bits; GBCS's largest message (72,000
#: octets, use case ECS61e) travels in 63 blocks of 1,149 data octets. 4,096 still takes that
#: message in blocks of 18 octets, and bounds the bookkeeping of one transfer.
MAX_BLOCK_NUMBER = 4096
#: Transfers open at once; past it the least recently active one is abandoned (an error).
MAX_OPEN_TRANSFERS = 256
#: Block-data held for all open transfers together; past it, as above.
MAX_BUFFERED_BYTES = 16 * MAX_MESSAGE_BYTES
#: Finished (completed or failed) transfers remembered, so that a late duplicate or a block
#: past the last one is recognised as such rather than opening a new transfer.
MAX_REMEMBERED_TRANSFERS = 256

LAST_BLOCK = 0x80
STREAMING = 0x40
WINDOW = 0x3F

ROUTING_HEADER_SIZE = 34          # DD .. key-info, before the length of the rest
SECURITY_HEADER_SIZE = 5
_GBT_TAG = 0xE0
_CRA_NAMES = {1: "command", 2: "response", 3: "alert"}
_DIGEST_SIZE = 16


class TransferKey(NamedTuple):
    """What identifies one transfer: the routing header's fields (its security header is
    not part of it: its values are not established, FACTS section 8)."""

    originator: bytes
    recipient: bytes
    cra: int
    originator_counter: int
    message_code: int

    def describe(self) -> str:
        return (f"GBT transfer {_eui(self.originator)} -> {_eui(self.recipient)} "
                f"{_CRA_NAMES.get(self.cra, self.cra)} counter {self.originator_counter} "
                f"message code 0x{self.message_code:04X}")


@dataclass(frozen=True, slots=True)
class Block:
    """One GBT block as read from the bytes (offsets from the start of the block)."""

    key: TransferKey
    security_header: bytes
    last: bool
    streaming: bool
    window: int
    number: int
    ack: int
    data: bytes
    number_offset: int
    data_offset: int

    @property
    def is_acknowledgement(self) -> bool:
        """A block without data only acknowledges; it carries nothing of the message."""
        return not self.data


@dataclass(frozen=True, slots=True)
class Reassembled:
    """A complete message: the block-data of blocks 1..``blocks`` in number order."""

    key: TransferKey
    message: bytes
    blocks: int


# Kinds of TransferError: what went wrong with a transfer as a whole.
GAP = "gap"                                   # last block seen, numbers below it missing
INCOMPLETE = "incomplete"                     # the last block never arrived
CONFLICTING_DUPLICATE = "conflicting-duplicate"  # same number, different data or last bit
PAST_LAST = "past-last"                       # a number above the last block's
CONFLICTING_LAST = "conflicting-last"         # two different blocks claim to be the last
TOO_LARGE = "too-large"                       # the data passed MAX_MESSAGE_BYTES
AFTER_FAILURE = "after-failure"               # a block of a transfer that already failed


class TransferError(DecodeError):
    """A transfer that cannot give a message (or a block that contradicts one that did).

    ``kind`` is one of the module's kind constants, ``key`` the transfer, ``blocks`` the
    missing or offending block numbers (for INCOMPLETE: the numbers missing below the
    highest received, then highest + 1, the least number the lost last block can have);
    ``offset`` is the block-number field of the block that revealed the problem (None when
    it shows at the end of input or when the transfer is abandoned; the reason then names
    the transfer by originator, recipient, CRA, counter and message code).
    """

    def __init__(self, reason: str, offset: int | None = None, code: int = 0,
                 source: str | None = None, *, kind: str = "", key: TransferKey | None = None,
                 blocks: tuple[int, ...] = ()) -> None:
        super().__init__(reason, offset, code, source)
        self.kind = kind
        self.key = key
        self.blocks = blocks

    def __reduce__(self) -> Any:
        return (_rebuild_transfer_error,
                (self.reason, self.offset, self.code, self.source, self.kind, self.key, self.blocks))

    def __repr__(self) -> str:
        return f"TransferError(kind={self.kind!r}, blocks={self.blocks!r}, reason={self.reason!r})"


def _rebuild_transfer_error(reason: str, offset: int | None, code: int, source: str | None,
                            kind: str, key: TransferKey | None, blocks: tuple[int, ...]
                            ) -> TransferError:
    return TransferError(reason, offset, code, source, kind=kind, key=key, blocks=blocks)


def _eui(value: bytes) -> str:
    return "-".join(f"{b:02X}" for b in value)


def numbers_text(numbers: Iterable[int]) -> str:
    """Block numbers as ranges: 2, 4-7, 9."""
    ordered = sorted(set(numbers))
    ranges: list[str] = []
    index = 0
    while index < len(ordered):
        start = end = ordered[index]
        while index + 1 < len(ordered) and ordered[index + 1] == end + 1:
            index += 1
            end = ordered[index]
        ranges.append(str(start) if start == end else f"{start}-{end}")
        index += 1
    return ", ".join(ranges)


def _blocks_phrase(numbers: Iterable[int]) -> str:
    text = numbers_text(numbers)
    return f"blocks {text}" if ("," in text or "-" in text) else f"block {text}"


def _missing(present: Iterable[int], last: int) -> list[int]:
    have = set(present)
    return [n for n in range(1, last + 1) if n not in have]


# --- reading one block -----------------------------------------------------------------

def is_block(data: bytes | bytearray | memoryview) -> bool:
    """Whether binary data is a GBT block: ``DD 09`` (a message has ``DD 00`` or ``DF``)."""
    return len(data) >= 2 and data[0] == 0xDD and data[1] == 0x09


def _expect(data: bytes, position: int, value: int, what: str) -> int:
    if position >= len(data):
        raise DecodeError(f"GBT block ends before {what}", position)
    if data[position] != value:
        raise DecodeError(f"GBT block: {what} must be 0x{value:02X}, found 0x{data[position]:02X}",
                          position)
    return position + 1


def _need(data: bytes, position: int, count: int, what: str) -> None:
    if count > len(data) - position:
        raise DecodeError(f"GBT block ends inside {what} ({count} bytes needed, "
                          f"{max(len(data) - position, 0)} left)", position)


def _length(data: bytes, position: int, what: str) -> tuple[int, int]:
    try:
        return read_length(data, position)
    except LengthError as error:
        raise DecodeError(f"GBT block: {what}: {error.reason}", error.offset) from None


# The routing header as it always is (FACTS section 8): fixed bytes DD 09 .. 08 .. 08 .. 00 02 .. 00.
_ROUTING = struct.Struct(">BBBQB8sB8sBBHB")
_ROUTING_FIXED = (0xDD, 0x09, 0x08, 0x08, 0x00, 0x02, 0x00)


def _routing_checked(data: bytes) -> tuple[TransferKey, int]:
    """The routing header read field by field, each failure naming its offset."""
    position = _expect(data, 0, 0xDD, "the general ciphering tag")
    position = _expect(data, position, 0x09, "the transaction-id length (09: a GBT block)")
    _need(data, position, 9, "the transaction-id")
    cra = data[position]
    if cra not in _CRA_NAMES:
        raise DecodeError(f"GBT block: CRA flag must be 1, 2 or 3, found {cra}", position)
    counter = int.from_bytes(data[position + 1:position + 9], "big")
    position += 9
    position = _expect(data, position, 0x08, "the originator system title length")
    _need(data, position, 8, "the originator system title")
    originator = data[position:position + 8]
    position = _expect(data, position + 8, 0x08, "the recipient system title length")
    _need(data, position, 8, "the recipient system title")
    recipient = data[position:position + 8]
    position = _expect(data, position + 8, 0x00, "the routing header date-time (absent)")
    start = position
    info_length, position = _length(data, position, "other-information length")
    if info_length != 2:
        raise DecodeError(f"GBT block: routing other-information must be the 2-byte message "
                          f"code, found length {info_length}", start)
    _need(data, position, 2, "the message code")
    message_code = int.from_bytes(data[position:position + 2], "big")
    position = _expect(data, position + 2, 0x00, "the routing header key-info (absent)")
    return TransferKey(originator, recipient, cra, counter, message_code), position


def parse_block(data: bytes | bytearray | memoryview) -> Block:
    """Reads one GBT block occupying exactly ``data``; raises :class:`DecodeError` (a
    :class:`LimitError` past pandc's limits) naming the byte offset in the block."""
    data = bytes(data)
    if len(data) > MAX_MESSAGE_BYTES + 64:
        raise LimitError(f"{len(data)}-byte GBT block is past the {MAX_MESSAGE_BYTES}-byte "
                         "message limit", 0)
    key: TransferKey | None = None
    if len(data) > ROUTING_HEADER_SIZE:
        # One unpack for the usual routing header; anything unusual is read field by field.
        (tag, transaction, cra, counter, originator_length, originator, recipient_length,
         recipient, date_time, info_length, message_code, key_info) = _ROUTING.unpack_from(data)
        if ((tag, transaction, originator_length, recipient_length, date_time, info_length,
             key_info) == _ROUTING_FIXED and cra in _CRA_NAMES):
            key = TransferKey(originator, recipient, cra, counter, message_code)
            position = ROUTING_HEADER_SIZE
    if key is None:
        key, position = _routing_checked(data)

    start = position
    rest, position = _length(data, position, "length of the rest of the block")
    if rest != len(data) - position:
        raise DecodeError(f"GBT block: routing header says {rest} bytes follow, "
                          f"{len(data) - position} do", start)
    _need(data, position, SECURITY_HEADER_SIZE, "the security header")
    security_header = data[position:position + SECURITY_HEADER_SIZE]
    position += SECURITY_HEADER_SIZE

    position = _expect(data, position, _GBT_TAG, "the general-block-transfer tag")
    _need(data, position, 5, "block-control, block-number and block-number-ack")
    control = data[position]
    number_offset = position + 1
    number = int.from_bytes(data[number_offset:number_offset + 2], "big")
    ack = int.from_bytes(data[number_offset + 2:number_offset + 4], "big")
    position += 5
    start = position
    size, position = _length(data, position, "block-data length")
    if size != len(data) - position:
        raise DecodeError(f"GBT block: block-data length {size}, but {len(data) - position} "
                          "bytes follow", start)
    if size:
        if number == 0:
            raise DecodeError("GBT block number 0: blocks are numbered from 1", number_offset)
        if number > MAX_BLOCK_NUMBER:
            raise LimitError(f"GBT block number {number} is past pandc's limit of "
                             f"{MAX_BLOCK_NUMBER}", number_offset)
    return Block(key, security_header, bool(control & LAST_BLOCK), bool(control & STREAMING),
                 control & WINDOW, number, ack, data[position:], number_offset, position)


# --- reassembly ------------------------------------------------------------------------

class _Open:
    __slots__ = ("blocks", "last", "size")

    def __init__(self) -> None:
        self.blocks: dict[int, bytes] = {}
        self.last: int | None = None
        self.size = 0


class _Finished:
    """A transfer that gave its message (``digests`` of each block's data) or failed."""

    __slots__ = ("last", "digests", "failure")

    def __init__(self, last: int, digests: bytes, failure: str | None) -> None:
        self.last = last
        self.digests = digests
        self.failure = failure


def _digest(data: bytes) -> bytes:
    return hashlib.blake2b(data, digest_size=_DIGEST_SIZE).digest()


Event = Reassembled | TransferError


class Reassembler:
    """Collects GBT blocks of any number of transfers, in any order.

    :meth:`add` takes one block and returns what it completed or revealed: a
    :class:`Reassembled` message once blocks 1..last are all there, and
    :class:`TransferError` for a transfer that cannot complete. An exact duplicate of a
    block (same number, data and last bit) is ignored (counted in ``duplicates``), an
    acknowledgement block (no data) too (``acknowledgements``). A conflicting duplicate, a
    block past the last one or a second, different last block fails its transfer: the
    blocks held are dropped, and every later block of it is an ``AFTER_FAILURE`` error. Other
    transfers go on. :meth:`finish` reports each transfer still open (GAP or INCOMPLETE).

    Memory is bounded: past ``max_open`` transfers or ``max_buffered_bytes`` of held data the
    least recently active transfer is abandoned with its GAP/INCOMPLETE error.
    """

    def __init__(self, *, max_open: int = MAX_OPEN_TRANSFERS,
                 max_buffered_bytes: int = MAX_BUFFERED_BYTES,
                 max_remembered: int = MAX_REMEMBERED_TRANSFERS) -> None:
        self.max_open = max_open
        self.max_buffered_bytes = max_buffered_bytes
        self.max_remembered = max_remembered
        self._open: OrderedDict[TransferKey, _Open] = OrderedDict()
        self._finished: OrderedDict[TransferKey, _Finished] = OrderedDict()
        self._buffered = 0
        self.duplicates = 0
        self.acknowledgements = 0

    def __contains__(self, key: object) -> bool:
        """Whether the transfer is open (blocks held, not complete)."""
        return key in self._open

    @property
    def open_transfers(self) -> int:
        return len(self._open)

    def add(self, block: Block | bytes | bytearray | memoryview) -> list[Event]:
        """Adds one block (parsed, or its bytes: a malformed block raises DecodeError)."""
        if not isinstance(block, Block):
            block = parse_block(block)
        if block.is_acknowledgement:
            self.acknowledgements += 1
            return []
        finished = self._finished.get(block.key)
        if finished is not None:
            error = self._against_finished(block, finished)
            return [] if error is None else [error]
        events: list[Event] = []
        transfer = self._open.get(block.key)
        if transfer is None:
            transfer = self._open[block.key] = _Open()
        else:
            self._open.move_to_end(block.key)
        problem = self._check(block, transfer)
        if problem is not None:
            if isinstance(problem, _Duplicate):
                self.duplicates += 1
                return []
            self._fail(block.key, problem.reason)
            return [problem]
        transfer.blocks[block.number] = block.data
        transfer.size += len(block.data)
        self._buffered += len(block.data)
        if block.last:
            transfer.last = block.number
        if transfer.size > MAX_MESSAGE_BYTES:
            error = self._error(block, TOO_LARGE, (block.number,),
                                f"data passes the {MAX_MESSAGE_BYTES}-byte message limit at "
                                f"block {block.number}")
            self._fail(block.key, error.reason)
            return [error]
        if transfer.last is not None and len(transfer.blocks) == transfer.last:
            events.append(self._complete(block.key, transfer))
        events.extend(self._enforce_bounds(block.key))
        return events

    def finish(self) -> list[TransferError]:
        """Errors for every transfer still open (first opened first); the reassembler is
        empty afterwards."""
        errors = [self._unfinished(key, transfer, "at the end of input")
                  for key, transfer in self._open.items()]
        for key in list(self._open):
            self._drop(key)
        return errors

    # -- internals --

    def _check(self, block: Block, transfer: _Open) -> TransferError | _Duplicate | None:
        number = block.number
        held = transfer.blocks.get(number)
        if held is not None:
            if held == block.data and block.last == (transfer.last == number):
                return _DUPLICATE
            return self._error(block, CONFLICTING_DUPLICATE, (number,),
                               f"block {number} arrived twice with different "
                               f"{'data' if held != block.data else 'last-block bits'}")
        if transfer.last is not None:
            if block.last:
                return self._error(block, CONFLICTING_LAST, (transfer.last, number),
                                   f"blocks {transfer.last} and {number} both carry the "
                                   "last-block bit")
            if number > transfer.last:
                return self._error(block, PAST_LAST, (number,),
                                   f"block {number} is past the last block {transfer.last}")
        elif block.last:
            beyond = sorted(n for n in transfer.blocks if n > number)
            if beyond:
                return self._error(block, PAST_LAST, tuple(beyond),
                                   f"block {number} carries the last-block bit, but "
                                   f"{_blocks_phrase(beyond)} "
                                   f"{'is' if len(beyond) == 1 else 'are'} past it")
        return None

    def _against_finished(self, block: Block, finished: _Finished) -> TransferError | None:
        number = block.number
        if finished.failure is not None:
            return self._error(block, AFTER_FAILURE, (number,),
                               f"block {number} belongs to a transfer that failed "
                               f"({finished.failure})")
        if block.last and number != finished.last:
            return self._error(block, CONFLICTING_LAST, (finished.last, number),
                               f"block {number} carries the last-block bit, but the message "
                               f"was already reassembled with last block {finished.last}")
        if number > finished.last:
            return self._error(block, PAST_LAST, (number,),
                               f"block {number} is past the last block {finished.last} of a "
                               "message already reassembled")
        slot = (number - 1) * _DIGEST_SIZE
        if (finished.digests[slot:slot + _DIGEST_SIZE] == _digest(block.data)
                and block.last == (number == finished.last)):
            self.duplicates += 1
            return None
        return self._error(block, CONFLICTING_DUPLICATE, (number,),
                           f"block {number} differs from the one of the message already "
                           "reassembled")

    @staticmethod
    def _error(block: Block, kind: str, blocks: tuple[int, ...], what: str) -> TransferError:
        return TransferError(f"{block.key.describe()}: {what}", block.number_offset,
                             kind=kind, key=block.key, blocks=blocks)

    def _complete(self, key: TransferKey, transfer: _Open) -> Reassembled:
        count = transfer.last or 0
        pieces = [transfer.blocks[n] for n in range(1, count + 1)]
        self._drop(key)
        self._remember(key, _Finished(count, b"".join(map(_digest, pieces)), None))
        return Reassembled(key, b"".join(pieces), count)

    def _fail(self, key: TransferKey, reason: str) -> None:
        self._drop(key)
        self._remember(key, _Finished(0, b"", reason))

    def _drop(self, key: TransferKey) -> None:
        transfer = self._open.pop(key, None)
        if transfer is not None:
            self._buffered -= transfer.size

    def _remember(self, key: TransferKey, finished: _Finished) -> None:
        self._finished[key] = finished
        while len(self._finished) > self.max_remembered:
            self._finished.popitem(last=False)

    def _unfinished(self, key: TransferKey, transfer: _Open, when: str) -> TransferError:
        received = numbers_text(transfer.blocks) or "none"
        if transfer.last is not None:
            missing = tuple(_missing(transfer.blocks, transfer.last))
            return TransferError(
                f"{key.describe()}: {when}, {_blocks_phrase(missing)} missing "
                f"(last block {transfer.last}; received {received})",
                kind=GAP, key=key, blocks=missing)
        highest = max(transfer.blocks, default=0)
        missing = tuple(_missing(transfer.blocks, highest))
        gaps = f"; {_blocks_phrase(missing)} missing too" if missing else ""
        return TransferError(
            f"{key.describe()}: {when}, the last block never arrived (received "
            f"{received}){gaps}", kind=INCOMPLETE, key=key, blocks=missing + (highest + 1,))

    def _enforce_bounds(self, current: TransferKey) -> list[Event]:
        errors: list[Event] = []
        while self._open and (len(self._open) > self.max_open
                              or self._buffered > self.max_buffered_bytes):
            key = next(iter(self._open))
            if key == current and len(self._open) == 1:
                break  # one transfer alone is bounded by MAX_MESSAGE_BYTES
            transfer = self._open[key]
            reason = (f"abandoned: more than {self.max_open} transfers open"
                      if len(self._open) > self.max_open else
                      f"abandoned: more than {self.max_buffered_bytes} bytes held")
            error = self._unfinished(key, transfer, reason)
            self._fail(key, reason)
            errors.append(error)
        return errors


class _Duplicate:
    """Marker: an exact duplicate, to be ignored."""


_DUPLICATE = _Duplicate()


# --- reassembly in front of a stream of messages ----------------------------------------

_WHITESPACE = re.compile(r"\s+")
_BLOCK_TEXT_STARTS = ("DD09", "3QK")   # hex of DD 09; base64 of DD 09 0x (CRA 1-3): "3Qk"


def _starts_like_block(head: bytes | str) -> bool:
    text = head if isinstance(head, str) else head.decode("latin-1")
    first = text[:4]
    if not first.isalnum():  # whitespace (hex written "DD 09 ..."), or not text at all
        first = _WHITESPACE.sub("", text)[:4]
    return first.upper().startswith(_BLOCK_TEXT_STARTS)


def block_bytes(item: object) -> bytes | None:
    """The bytes of ``item`` when it is a GBT block, else None.

    Items are what :func:`pandc.decode_many` takes: binary messages, or hex or base64 text
    (as str or ASCII bytes). Anything else, and text that does not decode, is not a block:
    it is passed on for the decoder to judge.
    """
    if isinstance(item, (bytes, bytearray, memoryview)):
        if is_block(item):
            return bytes(item)
        if not item or item[0] in (0xDD, 0xDF, 0xE0):
            return None
        head: bytes | str = bytes(item[:64])
    elif isinstance(item, str):
        head = item[:64]
    else:
        return None
    # Only text that starts like a block is decoded here; the decoder decodes the rest.
    if not _starts_like_block(head):
        return None
    try:
        text = item if isinstance(item, str) else bytes(item).decode("ascii")
        data = text_to_bytes(text)
    except (UnicodeDecodeError, DecodeError):
        return None
    return data if is_block(data) else None


T = TypeVar("T")


def _message_only(item: Any, result: Reassembled) -> Any:
    return result.message


def _error_only(item: Any, error: DecodeError) -> Any:
    return error


def reassemble_stream(
    items: Iterable[T], *,
    block_of: Callable[[T], bytes | None] = block_bytes,
    on_message: Callable[[T, Reassembled], Any] = _message_only,
    on_error: Callable[[T | None, DecodeError], Any] = _error_only,
    reassembler: Reassembler | None = None,
) -> Iterator[Any]:
    """Items in order, with GBT blocks replaced by the messages they carry.

    Ordering rule: an item that is not a GBT block (``block_of`` returns None) comes out
    unchanged, in its place. A block comes out as nothing, except that:

    - the block that completes a transfer comes out as ``on_message(block item,
      Reassembled)`` (default: the message bytes), i.e. each message takes the place of its
      last-arriving block;
    - a block that is malformed or breaks its transfer comes out as ``on_error(block item,
      DecodeError)`` (default: the error) in its place; a transfer abandoned to keep memory
      bounded comes out there too, with the item of that transfer's latest block;
    - at the end, each transfer still incomplete comes out as ``on_error(item of its latest
      block, TransferError)``, in the order the transfers opened.

    Exact duplicates and acknowledgement blocks come out as nothing (the reassembler counts
    them). So for ``decode_many`` items (bytes or text) the output feeds ``decode_many``
    as it is; for other item types give ``block_of``, ``on_message`` and ``on_error``.
    """
    machine = reassembler if reassembler is not None else Reassembler()
    latest: dict[TransferKey, T] = {}
    for item in items:
        data = block_of(item)
        if data is None:
            yield item
            continue
        try:
            block = parse_block(data)
            events = machine.add(block)
        except DecodeError as error:
            yield on_error(item, error)
            continue
        latest[block.key] = item
        touched = {block.key}
        for event in events:
            if isinstance(event, Reassembled):
                yield on_message(item, event)
            else:
                touched.add(event.key)  # type: ignore[arg-type]
                yield on_error(latest.get(event.key, item), event)  # type: ignore[arg-type]
        for key in touched:
            if key not in machine:
                latest.pop(key, None)
    for unfinished in machine.finish():
        where = latest.pop(unfinished.key) if unfinished.key in latest else None
        yield on_error(where, unfinished)
