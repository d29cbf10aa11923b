"""GBT (General Block Transfer): block reading, reassembly in any order, errors, the stream stage.

Expected values come from FACTS section 8 worked by hand (the block layouts below are
written out byte by byte) and from the RTDS messages themselves (split, then reassembled,
must give the very bytes back).
"""
from __future__ import annotations

import pickle
import random

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import pandc
from pandc.codec import _pyheader, gbt
from pandc.codec.gbt import (
    AFTER_FAILURE, CONFLICTING_DUPLICATE, CONFLICTING_LAST, GAP, INCOMPLETE, MAX_BLOCK_NUMBER,
    PAST_LAST, TOO_LARGE, Reassembled, Reassembler, TransferError, parse_block,
    reassemble_stream,
)
from pandc.codec.limits import MAX_MESSAGE_BYTES, LimitError
from pandc.errors import DecodeError
from pandc.io.sources import SourceItem
from pandc.testing import build_block, build_message, split_into_blocks
from conftest import rtds_messages

try:
    from pandc.codec import _cheader
except ImportError:  # pragma: no cover
    _cheader = None

ORIGINATOR = bytes.fromhex("00DB1234567890A3")
RECIPIENT = bytes.fromhex("90B3D51F30010000")

# A block written out from FACTS section 8, field by field (not by the builder):
HAND_BLOCK = bytes.fromhex(
    "DD"                          # general ciphering tag
    "09" "02" "00000000000003E8"  # transaction-id: response, originator counter 1000
    "08" "00DB1234567890A3"       # originator
    "08" "90B3D51F30010000"       # recipient
    "00"                          # date-time absent
    "02" "0074"                   # other-information: message code GCS13a
    "00"                          # key-info absent
    "0F"                          # rest of the block: 5 + 1 + 1 + 2 + 2 + 1 + 3 = 15
    "0000000000"                  # security header
    "E0" "81"                     # GBT; block-control: last block, window 1
    "0003" "0000"                 # block number 3, ack 0
    "03" "AABBCC"                 # block-data
)


def message(counter: int = 1000, payload: bytes = bytes(range(200)), **fields) -> bytes:
    return build_message(originator_counter=counter, payload=payload, **fields)


def feed(reassembler: Reassembler, blocks) -> list:
    events: list = []
    for block in blocks:
        events.extend(reassembler.add(block))
    return events


# --- the builder and the reader agree with the facts ------------------------------------

def test_hand_written_block_reads_field_by_field():
    block = parse_block(HAND_BLOCK)
    assert block.key == gbt.TransferKey(ORIGINATOR, RECIPIENT, 2, 1000, 0x0074)
    assert (block.last, block.streaming, block.window) == (True, False, 1)
    assert (block.number, block.ack, block.data) == (3, 0, b"\xAA\xBB\xCC")
    assert block.security_header == bytes(5)
    assert block.number_offset == 42 and block.data_offset == 47


def test_builder_writes_the_hand_written_block():
    assert build_block(number=3, data=b"\xAA\xBB\xCC", last=True, originator_counter=1000,
                       originator=ORIGINATOR, recipient=RECIPIENT) == HAND_BLOCK


def test_control_bits():
    block = parse_block(build_block(number=1, data=b"x", streaming=True, window=0x3F, ack=7))
    assert (block.last, block.streaming, block.window, block.ack) == (False, True, 0x3F, 7)


def test_gbcs_sizing_1149_data_octets_make_a_1200_octet_block():
    # FACTS: overhead with 3-octet lengths is 34 + 3 + 5 + 6 + 3 = 51.
    data = bytes(1149)
    block = build_block(number=1, data=data, long_lengths=True)
    assert len(block) == 1200
    assert parse_block(block).data == data


def test_long_form_lengths_read():
    blocks = split_into_blocks(message(), 17, long_lengths=True)
    assert feed(Reassembler(), blocks)[0].message == message()


# --- the header decoder (C core and twin) recognises a block -------------------------------

def test_header_decoder_names_a_block():
    for decoder in filter(None, (_cheader and _cheader.decode_header, _pyheader.decode_header)):
        with pytest.raises(DecodeError) as caught:
            decoder(HAND_BLOCK)
        assert (caught.value.code, caught.value.offset) == (19, 0)
        assert "pandc.codec.gbt" in caught.value.reason
    with pytest.raises(DecodeError) as caught:
        pandc.decode(HAND_BLOCK)
    assert caught.value.code == 19


@pytest.mark.skipif(_cheader is None, reason="the C core is not built")
@given(st.binary(max_size=120))
@settings(max_examples=300)
def test_twins_agree_on_block_prefixes(data):
    for prefix in (b"\xDD\x09", b"\xDD", b"\xE0", b"\xDD\x00"):
        outcomes = []
        for decoder in (_cheader.decode_header, _pyheader.decode_header):
            try:
                outcomes.append(decoder(prefix + data))
            except DecodeError as error:
                outcomes.append((error.code, error.offset, error.reason))
        assert outcomes[0] == outcomes[1]


# --- reading malformed blocks ------------------------------------------------------------

@pytest.mark.parametrize("offset, value, where", [
    (1, 0x08, 1),     # transaction-id length
    (2, 0x04, 2),     # CRA flag
    (11, 0x07, 11),   # originator title length
    (20, 0x09, 20),   # recipient title length
    (29, 0x0C, 29),   # date-time must be absent
    (30, 0x0A, 30),   # other-information must be the message code only
    (33, 0x01, 33),   # key-info must be absent
    (34, 0x10, 34),   # rest length one too many
    (34, 0x0E, 34),   # rest length one too few
    (40, 0xE1, 40),   # the GBT tag
    (46, 0x04, 46),   # block-data length one too many
])
def test_malformed_fields_name_their_offset(offset, value, where):
    data = bytearray(HAND_BLOCK)
    data[offset] = value
    with pytest.raises(DecodeError) as caught:
        parse_block(bytes(data))
    assert caught.value.offset == where, caught.value


def test_every_truncation_is_a_decode_error_with_an_offset():
    for cut in range(len(HAND_BLOCK)):
        with pytest.raises(DecodeError) as caught:
            parse_block(HAND_BLOCK[:cut])
        assert caught.value.offset is not None and 0 <= caught.value.offset <= cut


def test_block_number_zero_and_past_the_limit():
    with pytest.raises(DecodeError) as caught:
        parse_block(build_block(number=0, data=b"x"))
    assert caught.value.offset == 42 and "number 0" in caught.value.reason
    with pytest.raises(LimitError) as caught:
        parse_block(build_block(number=MAX_BLOCK_NUMBER + 1, data=b"x"))
    assert caught.value.offset == 42
    assert parse_block(build_block(number=MAX_BLOCK_NUMBER, data=b"x")).number == MAX_BLOCK_NUMBER


# --- reassembly: RTDS split in several sizes, in order and shuffled -----------------------

SIZES = (1, 7, 64, 255, 1149)


@pytest.fixture(scope="module")
def corpus():
    return rtds_messages()


@pytest.mark.corpus
@pytest.mark.parametrize("size", SIZES)
def test_every_rtds_message_comes_back_in_order_and_shuffled(corpus, size):
    shuffler = random.Random(size)
    for path, data in corpus:
        blocks = split_into_blocks(data, size)
        assert len(blocks) == -(-len(data) // size)
        ordered = feed(Reassembler(), blocks)
        assert [e.message for e in ordered] == [data], path
        shuffler.shuffle(blocks)
        reassembler = Reassembler()
        shuffled = feed(reassembler, blocks)
        assert [e.message for e in shuffled] == [data], path
        assert shuffled[0].blocks == len(blocks) and reassembler.finish() == []


def captures(corpus) -> list[list[bytes]]:
    """RTDS as captures in which no two messages share a routing key (originator,
    recipient, CRA, counter, message code): RTDS reuses counters across its test cases
    (e.g. a command and its pre-command), a real capture does not."""
    groups: list[tuple[set, list[bytes]]] = []
    for _, data in corpus:
        key = parse_block(split_into_blocks(data, len(data))[0]).key
        for keys, members in groups:
            if key not in keys:
                break
        else:
            keys, members = set(), []
            groups.append((keys, members))
        keys.add(key)
        members.append(data)
    return [members for _, members in groups]


@pytest.mark.corpus
def test_rtds_decodes_the_same_after_reassembly(corpus):
    """Each capture: blocks of every message (mixed sizes, all shuffled together) come back
    as the same bytes and decode to the same Messages (header fields, parts, values) as
    the original messages."""
    shuffler = random.Random(2026)
    groups = captures(corpus)
    assert sum(map(len, groups)) == len(corpus)
    for originals in groups:
        blocks = []
        for index, data in enumerate(originals):
            blocks.extend(split_into_blocks(data, SIZES[index % len(SIZES)]))
        shuffler.shuffle(blocks)
        # every transfer of the capture is open at once: allow that many
        reassembled = list(reassemble_stream(blocks, reassembler=Reassembler(max_open=len(originals))))
        assert all(isinstance(item, bytes) for item in reassembled), \
            [str(e) for e in reassembled if not isinstance(e, bytes)][:3]
        assert sorted(reassembled) == sorted(originals)
        decoded = dict(zip(reassembled, pandc.decode_many(reassembled)))
        for data, expected in zip(originals, pandc.decode_many(originals)):
            got = decoded[data]
            assert type(got) is type(expected)
            if isinstance(expected, DecodeError):
                assert (got.reason, got.offset) == (expected.reason, expected.offset)
                continue
            assert got == expected
            assert (got.originator, got.recipient, got.originator_counter, got.message_code,
                    got.date_time, got.cra, got.frame) == (
                expected.originator, expected.recipient, expected.originator_counter,
                expected.message_code, expected.date_time, expected.cra, expected.frame)


# --- each error case is named ------------------------------------------------------------

def only_error(events) -> TransferError:
    assert len(events) == 1 and isinstance(events[0], TransferError), events
    return events[0]


def test_gap_names_the_missing_blocks_at_the_end():
    blocks = split_into_blocks(message(), 20)
    count = len(blocks)
    assert count > 6
    reassembler = Reassembler()
    kept = [b for n, b in enumerate(blocks, start=1) if n not in (3, 5, 6)]
    assert feed(reassembler, kept) == []
    error = only_error(reassembler.finish())
    assert error.kind == GAP and error.blocks == (3, 5, 6)
    assert "blocks 3, 5-6 missing" in error.reason and f"last block {count}" in error.reason
    assert "counter 1000" in error.reason and "00-DB-12-34-56-78-90-A3" in error.reason
    assert reassembler.open_transfers == 0


def test_incomplete_without_the_last_block():
    blocks = split_into_blocks(message(), 50)
    reassembler = Reassembler()
    feed(reassembler, [blocks[0], blocks[2]])
    error = only_error(reassembler.finish())
    assert error.kind == INCOMPLETE
    assert error.blocks == (2, 4)      # 2 is missing; the last block is at least 4
    assert "last block never arrived" in error.reason and "block 2 missing" in error.reason


def test_exact_duplicate_is_fine():
    blocks = split_into_blocks(message(), 30)
    reassembler = Reassembler()
    events = feed(reassembler, [blocks[0], blocks[1], blocks[0], *blocks[1:]])
    assert [e.message for e in events] == [message()]
    assert reassembler.duplicates == 2
    # ... also after the message was reassembled.
    assert reassembler.add(blocks[-1]) == [] and reassembler.add(blocks[0]) == []
    assert reassembler.duplicates == 4


def test_duplicate_with_different_content():
    blocks = split_into_blocks(message(), 30)
    other = build_block(number=2, data=b"different", originator_counter=1000)
    reassembler = Reassembler()
    error = only_error(feed(reassembler, [blocks[0], blocks[1], other]))
    assert error.kind == CONFLICTING_DUPLICATE and error.blocks == (2,)
    assert error.offset == 42 and "block 2 arrived twice with different data" in error.reason
    # The transfer failed: its later blocks say so, and it never completes.
    later = only_error(reassembler.add(blocks[2]))
    assert later.kind == AFTER_FAILURE and later.blocks == (3,)
    assert all(isinstance(e, TransferError) for e in feed(reassembler, blocks[3:]))
    assert reassembler.finish() == []


def test_duplicate_differing_only_in_the_last_bit():
    first = build_block(number=2, data=b"ab", last=True)
    again = build_block(number=2, data=b"ab", last=False)
    reassembler = Reassembler()
    reassembler.add(first)
    error = only_error(reassembler.add(again))
    assert error.kind == CONFLICTING_DUPLICATE and "last-block bits" in error.reason


def test_duplicate_with_different_content_after_completion():
    blocks = split_into_blocks(message(), 30)
    reassembler = Reassembler()
    assert len(feed(reassembler, blocks)) == 1
    error = only_error(reassembler.add(build_block(number=1, data=b"other", originator_counter=1000)))
    assert error.kind == CONFLICTING_DUPLICATE and error.blocks == (1,)


def test_block_past_the_last_one():
    blocks = split_into_blocks(message(), 30)
    count = len(blocks)
    extra = build_block(number=count + 2, data=b"z", originator_counter=1000)
    # after the last block: the message is complete, and the stray block is named
    reassembler = Reassembler()
    assert len(feed(reassembler, blocks)) == 1
    error = only_error(reassembler.add(extra))
    assert error.kind == PAST_LAST and error.blocks == (count + 2,)
    # the last block arrives while the transfer is still open, the stray one after it
    reassembler = Reassembler()
    feed(reassembler, [blocks[-1]])
    error = only_error(reassembler.add(extra))
    assert error.kind == PAST_LAST and f"past the last block {count}" in error.reason
    # the stray block arrives first, then the last one
    reassembler = Reassembler()
    feed(reassembler, [extra, blocks[0]])
    error = only_error(reassembler.add(blocks[-1]))
    assert error.kind == PAST_LAST and error.blocks == (count + 2,)


def test_conflicting_last_block_bits():
    blocks = split_into_blocks(message(), 30)
    early_last = build_block(number=2, data=b"??", last=True, originator_counter=1000)
    reassembler = Reassembler()
    feed(reassembler, [blocks[0], blocks[-1]])
    error = only_error(reassembler.add(early_last))
    assert error.kind == CONFLICTING_LAST and set(error.blocks) == {2, len(blocks)}
    assert "both carry the last-block bit" in error.reason


def test_transfer_larger_than_the_message_limit():
    piece = bytes(60_000)
    reassembler = Reassembler()
    events: list = []
    for number in range(1, MAX_MESSAGE_BYTES // len(piece) + 3):
        events.extend(reassembler.add(build_block(number=number, data=piece)))
        if events:
            break
    error = only_error(events)
    assert error.kind == TOO_LARGE and str(MAX_MESSAGE_BYTES) in error.reason


def test_other_transfers_go_on():
    good = split_into_blocks(message(counter=1), 40)
    bad = split_into_blocks(message(counter=2), 40)
    worse = split_into_blocks(message(counter=3), 40)
    stream = [good[0], bad[0], worse[1], bad[1],
              build_block(number=1, data=b"not the same", originator_counter=2),
              *good[1:], *worse[2:]]
    out = list(reassemble_stream(stream))
    kinds = [e.kind if isinstance(e, TransferError) else "message" for e in out]
    assert kinds == [CONFLICTING_DUPLICATE, "message", GAP]
    assert out[1] == message(counter=1)
    assert out[0].key.originator_counter == 2
    assert out[2].key.originator_counter == 3 and out[2].blocks == (1,)


def test_acknowledgement_blocks_carry_nothing():
    reassembler = Reassembler()
    assert reassembler.add(build_block(number=1, data=b"", ack=1)) == []
    assert reassembler.acknowledgements == 1 and reassembler.open_transfers == 0


def test_transfer_error_survives_pickling():
    reassembler = Reassembler()
    reassembler.add(split_into_blocks(message(), 30)[0])
    error = reassembler.finish()[0]
    copy = pickle.loads(pickle.dumps(error))
    assert isinstance(copy, TransferError) and copy.kind == error.kind and copy.blocks == error.blocks
    assert copy.key == error.key and str(copy) == str(error)


# --- bounds -------------------------------------------------------------------------------

def test_too_many_open_transfers_abandons_the_oldest():
    reassembler = Reassembler(max_open=3)
    events = []
    for counter in range(1, 6):
        events.extend(reassembler.add(build_block(number=1, data=b"a", originator_counter=counter)))
    assert [e.kind for e in events] == [INCOMPLETE, INCOMPLETE]
    assert [e.key.originator_counter for e in events] == [1, 2]
    assert "abandoned: more than 3 transfers open" in events[0].reason
    assert reassembler.open_transfers == 3
    late = only_error(reassembler.add(build_block(number=2, data=b"b", last=True, originator_counter=1)))
    assert late.kind == AFTER_FAILURE


def test_held_bytes_are_bounded():
    reassembler = Reassembler(max_buffered_bytes=100)
    events = feed(reassembler, [build_block(number=1, data=bytes(60), originator_counter=c)
                                for c in (1, 2, 3)])
    assert [e.key.originator_counter for e in events] == [1, 2]
    assert "more than 100 bytes held" in events[0].reason


# --- the stream stage in front of decode_many ----------------------------------------------

def test_stream_ordering_rule_and_decode_many():
    first, second, third = message(counter=11), message(counter=12, frame="general-signing"), \
        message(counter=13, payload=bytes(500))
    a = split_into_blocks(first, 64)
    c = split_into_blocks(third, 100)
    assert len(a) >= 3 and len(c) >= 4
    items = [a[-1], c[0], second.hex(), *a[1:-1], a[0], c[-1], *c[1:-2], "not hex!", c[-2]]
    out = list(reassemble_stream(items))
    # non-blocks in place; each message at the position of its last-arriving block
    assert out == [second.hex(), first, "not hex!", third]
    results = pandc.decode_many(out)
    expected = pandc.decode_many([second, first, b"?", third])
    assert results[0] == expected[0] and results[1] == expected[1] and results[3] == expected[3]
    assert isinstance(results[2], DecodeError)
    assert [m.originator_counter for m in (results[0], results[1], results[3])] == [12, 11, 13]


def test_stream_reads_hex_and_base64_blocks():
    import base64
    blocks = split_into_blocks(message(), 50)
    items = [blocks[0].hex(" "), base64.b64encode(blocks[1]).decode(), blocks[2].hex().encode(),
             *[b.hex().lower() for b in blocks[3:]]]
    assert list(reassemble_stream(items)) == [message()]


def test_stream_reports_malformed_blocks_and_unfinished_transfers_in_place():
    blocks = split_into_blocks(message(), 50)
    broken = blocks[1][:-1]
    out = list(reassemble_stream([blocks[0], broken, b"\xDF\x09", blocks[2]]))
    assert isinstance(out[0], DecodeError) and not isinstance(out[0], TransferError)
    assert out[1] == b"\xDF\x09"
    assert isinstance(out[2], TransferError) and out[2].kind == INCOMPLETE
    assert len(out) == 3


def test_stream_with_source_items_as_iter_decode_has_them():
    """The adapter the lead wires into iter_decode_items: blocks arrive as SourceItems."""
    blocks = split_into_blocks(message(), 50)
    items = [SourceItem(f"capture.txt:{n}", b.hex()) for n, b in enumerate(blocks, start=1)]
    items.insert(1, SourceItem("capture.txt:99", None, error=DecodeError("unreadable line")))
    del items[2]                       # block 2 lost -> a gap named at the end
    out = list(reassemble_stream(
        items,
        block_of=lambda item: gbt.block_bytes(item.data) if item.error is None else None,
        on_message=lambda item, done: SourceItem(item.source, done.message),
        on_error=lambda item, error: SourceItem(item.source if item else "<end>", None, error=error),
    ))
    assert out[0].source == "capture.txt:99"
    assert len(out) == 2 and out[1].error.kind == GAP and out[1].error.blocks == (2,)
    assert out[1].source == f"capture.txt:{len(blocks)}"


# --- hostile input never raises anything but DecodeError ----------------------------------

@given(st.binary(max_size=300))
@settings(max_examples=400)
def test_random_bytes_after_a_block_tag(data):
    for candidate in (data, b"\xDD\x09" + data, HAND_BLOCK[:34] + data):
        try:
            parse_block(candidate)
        except DecodeError:
            pass


def mutate(data: bytes, flips) -> bytes:
    buffer = bytearray(data)
    for position, value in flips:
        buffer[position % len(buffer)] ^= value
    return bytes(buffer)


@given(st.lists(st.tuples(st.integers(1, 12), st.booleans(), st.binary(max_size=20),
                          st.integers(0, 3)), max_size=30),
       st.lists(st.tuples(st.integers(0, 10_000), st.integers(1, 255)), max_size=3),
       st.randoms(use_true_random=False))
@settings(max_examples=300, suppress_health_check=[HealthCheck.too_slow])
def test_random_block_streams_give_only_messages_and_decode_errors(specs, flips, rng):
    items: list[object] = []
    for number, last, data, counter in specs:
        items.append(build_block(number=number, data=data, last=last, originator_counter=counter))
    if items and flips:
        index = rng.randrange(len(items))
        items[index] = mutate(items[index], flips)  # type: ignore[arg-type]
    rng.shuffle(items)
    for item in reassemble_stream(items):
        assert isinstance(item, (bytes, DecodeError))
    for item in pandc.decode_many(list(reassemble_stream(items))):
        assert isinstance(item, (pandc.Message, DecodeError))


def test_reassembled_event_carries_its_key():
    blocks = split_into_blocks(message(counter=77), 100)
    done = feed(Reassembler(), blocks)[0]
    assert isinstance(done, Reassembled) and done.key.originator_counter == 77
    assert done.key.message_code == 0x0074 and done.blocks == len(blocks)


@given(st.binary(min_size=1, max_size=600), st.integers(1, 80), st.randoms(use_true_random=False),
       st.sets(st.integers(1, 600), max_size=4), st.integers(0, 5))
@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
def test_any_order_with_duplicates_and_losses(payload, size, rng, dropped, repeats):
    """Property: shuffled blocks with exact duplicates give the message exactly once; with
    blocks lost, no message, and the end-of-input error names exactly the lost numbers
    (worked out here from the set of lost blocks, not from the reassembler)."""
    data = message(payload=payload)
    blocks = split_into_blocks(data, size)
    count = len(blocks)
    lost = {n for n in dropped if n <= count}
    kept = [b for n, b in enumerate(blocks, start=1) if n not in lost]
    stream = kept + [rng.choice(kept) for _ in range(repeats)] if kept else []
    rng.shuffle(stream)
    reassembler = Reassembler()
    events = feed(reassembler, stream)
    errors = reassembler.finish()
    if not lost:
        assert [e.message for e in events] == [data] and errors == []
        return
    assert events == []
    if not kept:
        assert errors == []
        return
    (error,) = errors
    received = set(range(1, count + 1)) - lost
    if count in lost:
        highest = max(received)
        assert error.kind == INCOMPLETE
        assert error.blocks == tuple(sorted(n for n in lost if n < highest)) + (highest + 1,)
    else:
        assert error.kind == GAP and error.blocks == tuple(sorted(lost))


def test_fast_routing_read_is_the_fixed_34_octets():
    assert gbt._ROUTING.size == gbt.ROUTING_HEADER_SIZE == 34
    # A long-form other-information length (81 02) takes the field-by-field path and
    # reads the same key.
    block = HAND_BLOCK[:30] + b"\x81\x02" + HAND_BLOCK[31:]
    assert parse_block(block).key == parse_block(HAND_BLOCK).key


def test_decode_many_iter_decode_and_the_cli_reassemble_blocks(tmp_path):
    """Blocks of two messages, interleaved and shuffled, among whole messages: each message
    comes out once, decoded as its original, where its last block arrived."""
    import random
    import shutil
    import subprocess
    import sys
    import os
    from pandc.testing import split_into_blocks
    messages = [data for _, data in rtds_messages("4.1.1_*/*_RESPONSE_GBCS.HEX")][:3]
    first, second, whole = messages
    blocks = split_into_blocks(first, 40) + split_into_blocks(second, 33)
    random.Random(7).shuffle(blocks)
    items = [whole] + blocks
    results = pandc.decode_many(items)
    assert len(results) == 3 and results[0] == pandc.decode(whole)
    assert sorted(r.originator_counter for r in results[1:]) == sorted(
        pandc.decode(m).originator_counter for m in (first, second))
    assert {r.layout.raw for r in results[1:]} == {first, second}
    streamed = list(pandc.iter_decode([b.hex() for b in items]))
    assert [m.layout.raw for m in streamed] == [m.layout.raw for m in results]
    # an incomplete transfer at the end of input is an error naming the missing blocks
    broken = pandc.decode_many(split_into_blocks(first, 40)[:-1])
    assert len(broken) == 1 and isinstance(broken[0], pandc.DecodeError)
    assert "block" in broken[0].reason
    path = tmp_path / "blocks.txt"
    path.write_text("\n".join(b.hex() for b in items) + "\n")
    command = shutil.which("pandc", path=os.path.dirname(sys.executable)) or "pandc"
    done = subprocess.run([command, "decode", str(path)], capture_output=True, timeout=120)
    assert done.returncode == 0, done.stderr
    assert len(done.stdout.splitlines()) == 3

@given(st.sampled_from(["DD09", "dd 09 ", "3Qk", "", "DD00"]), st.text(max_size=120),
       st.binary(max_size=80))
@settings(max_examples=300)
def test_random_text_and_bytes_items_pass_or_fail_as_decode_errors(prefix, text, data):
    items = [prefix + text, (prefix + text).encode("utf-8"), b"\xDD\x09" + data, data,
             HAND_BLOCK.hex() + text]
    for item in reassemble_stream(items):
        assert isinstance(item, (str, bytes, DecodeError))
