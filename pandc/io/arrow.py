"""The Arrow sink: captures to ``pyarrow`` tables, one row per input message.

:func:`iter_tables` yields ``RecordBatch``es with flat memory: the capture is read in chunks
cut at line boundaries, and the C reader (``pandc.codec.capture``) fills one buffer per column,
which Arrow arrays wrap without a copy and without a Python object per row.
:func:`decode_table` collects them into one ``Table``.

The columns are the keys of the JSON Lines records (``pandc.io.jsonl``) with the same values,
in Arrow types:

========================================  ===============================  =====================
column                                    Arrow type                       JSON Lines value
========================================  ===============================  =====================
source                                    string                           same ("path:line")
line                                      uint64                           the number in source
frame, cra, use_case,                     dictionary<int, string>          same text
service_reference_variant, clock_status
originator, recipient,                    fixed_size_binary(8)             "00-DB-12-..." (hex)
supplementary_remote_party_id
originator_counter, supplementary_*       uint64                           same number
message_code                              uint16                           "0x0074"
date_time                                 timestamp[us, tz=UTC]            xs:dateTime, UTC 'Z'
time_status                               uint8                            same number
is_from_gsme, signed                      bool                             same
payload_length                            uint32                           same
error                                     string                           same reason
error_code                                uint8                            (the decoder's code)
offset                                    uint32                           same
authenticated                             bool                             same
authentication_reason                     string                           same
smets_data, device_alert_content          string (JSON text)               the same object
warnings                                  list<string>                     same
request_id, response_code (on request)    string                           same (DUIS input)
mac_valid, signature_valid (on request)   bool                             same (with keys)
decrypted_parts (on request)              uint32                           same (with keys)
========================================  ===============================  =====================

A message that does not decode is a row with ``error`` and ``offset`` set and the header
columns null, never a stop. The header and time-status columns come from the C reader; the
next five (``PIPELINE_COLUMNS``, computed when named in ``columns`` or when ``keys`` are
given) and the last five (``ON_REQUEST_COLUMNS``, only when named in ``columns``) need the
pipeline (``pandc.api.decode_with_context``, which decrypts and verifies with ``keys``). A row
the pipeline cannot finish (a payload past a decoder's limits) then has its ``error`` set too,
as its JSON Lines record is an error record. Only the wanted pipeline columns are computed, and
without a value column (``VALUE_COLUMNS``) the pipeline stops after the verification, so a
payload only a use-case decoder would find past its limits is not an error row there.

DUIS XML documents and single binary messages go through the pipeline, into the same columns.
pyarrow is imported here, so ``import pandc`` does not need it (``pip install pandc[arrow]``).
"""
from __future__ import annotations

import io
import json
import os
import re
from collections.abc import Iterable, Iterator, Sequence
from typing import TYPE_CHECKING, Any, BinaryIO, Protocol

import pyarrow as pa
import pyarrow.compute as pc

from .. import registry
from ..codec import capture
from ..codec.columns import (
    CAPTURE_ERROR_REASONS, CLOCK_STATUS_NAMES, RECORD_TRUNCATED, TEXT_NOT_ASCII, Columns,
)
from ..codec.text import text_to_bytes
from ..errors import HEADER_ERROR_REASONS, DecodeError
from ..values import to_json
from . import jsonl

if TYPE_CHECKING:
    from ..message import Message
    from ..security import KeySource

DEFAULT_BATCH_SIZE = 65536

HEADER_COLUMNS: tuple[str, ...] = (
    "source", "line", "frame", "cra", "originator_counter", "originator", "recipient",
    "message_code", "use_case", "service_reference_variant", "date_time", "time_status",
    "clock_status", "is_from_gsme", "supplementary_remote_party_id",
    "supplementary_remote_party_counter", "supplementary_originator_counter",
    "payload_length", "signed", "error", "error_code", "offset",
)
PIPELINE_COLUMNS: tuple[str, ...] = ("authenticated", "authentication_reason", "smets_data",
                                     "device_alert_content", "warnings")
# Pipeline columns computed only when asked for in ``columns``: the DUIS fields of a message
# that came in a DUIS Response, and the individual security checks (with keys; null without,
# where the JSON Lines have no such key).
ON_REQUEST_COLUMNS: tuple[str, ...] = ("request_id", "response_code", "mac_valid",
                                       "signature_valid", "decrypted_parts")
ALL_COLUMNS = HEADER_COLUMNS + PIPELINE_COLUMNS + ON_REQUEST_COLUMNS
_NEEDS_PIPELINE = frozenset(PIPELINE_COLUMNS + ON_REQUEST_COLUMNS)
# The pipeline columns that need the use-case layer; without them the pipeline stops after
# the verification (pandc.api.decode_with_context(values=False)).
VALUE_COLUMNS = frozenset(("smets_data", "device_alert_content", "warnings"))

_DICT = pa.dictionary(pa.int32(), pa.string())
_DICT8 = pa.dictionary(pa.int8(), pa.string())
_EUI = pa.binary(8)
_UTC = pa.timestamp("us", tz="UTC")
SCHEMA = pa.schema([
    ("source", pa.string()),
    ("line", pa.uint64()),
    ("frame", _DICT8),
    ("cra", _DICT8),
    ("originator_counter", pa.uint64()),
    ("originator", _EUI),
    ("recipient", _EUI),
    ("message_code", pa.uint16()),
    ("use_case", _DICT),
    ("service_reference_variant", _DICT),
    ("date_time", _UTC),
    ("time_status", pa.uint8()),
    ("clock_status", _DICT8),
    ("is_from_gsme", pa.bool_()),
    ("supplementary_remote_party_id", _EUI),
    ("supplementary_remote_party_counter", pa.uint64()),
    ("supplementary_originator_counter", pa.uint64()),
    ("payload_length", pa.uint32()),
    ("signed", pa.bool_()),
    ("error", pa.string()),
    ("error_code", pa.uint8()),
    ("offset", pa.uint32()),
    ("authenticated", pa.bool_()),
    ("authentication_reason", pa.string()),
    ("smets_data", pa.string()),
    ("device_alert_content", pa.string()),
    ("warnings", pa.list_(pa.string())),
    ("request_id", pa.string()),
    ("response_code", pa.string()),
    ("mac_valid", pa.bool_()),
    ("signature_valid", pa.bool_()),
    ("decrypted_parts", pa.uint32()),
])

_FRAMES = pa.array(["general-ciphering", "general-signing"])
_CRAS = pa.array(["command", "response", "alert"])
_CLOCKS = pa.array(list(CLOCK_STATUS_NAMES))
_FRAME_TAGS = {"general-ciphering": 0xDD, "general-signing": 0xDF}
_CRA_CODES = {"command": 1, "response": 2, "alert": 3}


def _code_tables() -> tuple[pa.Array, pa.Array, pa.Array, pa.Array]:
    """(use-case index of every 16-bit code, use cases, variant index of every code,
    variants): the registry as arrays indexed by message code (null where the registry has
    no entry), so a column of message codes maps to dictionary indices with one take.
    The variants are every SRV the registry names (a DUIS document may name any of them)."""
    codes = sorted(registry.MESSAGE_CODES)
    infos = [registry.MESSAGE_CODES[code] for code in codes]
    use_cases = sorted({info.use_case for info in infos})
    variants = sorted({v for info in infos for v in info.service_reference_variants})
    use_case_index = pa.array([use_cases.index(info.use_case) for info in infos], pa.int32())
    variant_index = pa.array([None if info.service_reference_variant is None
                              else variants.index(info.service_reference_variant)
                              for info in infos], pa.int32())
    # Position of every 16-bit code in `codes` (null when absent), computed by Arrow.
    little_endian = bytearray(0x20000)
    little_endian[0::2] = bytes(range(256)) * 256
    little_endian[1::2] = b"".join(bytes([high]) * 256 for high in range(256))
    every_code = pa.Array.from_buffers(pa.uint16(), 0x10000, [None, pa.py_buffer(little_endian)])
    position = pc.index_in(every_code, value_set=pa.array(codes, pa.uint16()))
    return (pc.take(use_case_index, position), pa.array(use_cases),
            pc.take(variant_index, position), pa.array(variants, pa.string()))


_USE_CASE_BY_CODE, _USE_CASES, _VARIANT_BY_CODE, _VARIANTS = _code_tables()
_HEADER_REASONS = pa.array(list(HEADER_ERROR_REASONS))


def _buffer(columns: Columns, name: str) -> pa.Buffer:
    return pa.py_buffer(columns.buffers[name])


def _array(columns: Columns, type_: pa.DataType, values: str, validity: str | None) -> pa.Array:
    buffers = [None if validity is None else _buffer(columns, validity), _buffer(columns, values)]
    return pa.Array.from_buffers(type_, columns.rows, buffers)


def _mapped(codes: pa.Array, index_by_code: pa.Array, dictionary: pa.Array) -> pa.Array:
    return pa.DictionaryArray.from_arrays(pc.take(index_by_code, codes), dictionary)


def _text_error(code: int, raw: bytes) -> tuple[str, int | None]:
    """The reason (and offset) pandc.io.sources and pandc.codec.text give for a bad line."""
    if code == TEXT_NOT_ASCII:
        column = next(i for i, byte in enumerate(raw) if byte >= 0x80)
        return (f"line is not ASCII hex or base64 (byte 0x{raw[column]:02X} at column "
                f"{column + 1})"), None
    if code == RECORD_TRUNCATED:
        return CAPTURE_ERROR_REASONS[code], None
    try:
        text_to_bytes(raw.decode("ascii").strip())
    except DecodeError as error:
        return error.reason, error.offset
    return CAPTURE_ERROR_REASONS.get(code, "unknown error"), None   # pragma: no cover


class _Batch:
    """One Columns batch turned into Arrow arrays, column by column as asked."""

    def __init__(self, columns: Columns, name: str, overrides: dict[int, tuple[str, int | None, int]]):
        self.columns = columns
        self.name = name
        self.overrides = overrides      # row -> (reason, offset): errors found in Python

    def header_array(self, column: str) -> pa.Array:
        c = self.columns
        if column == "source":
            prefix = f"{self.name}:".encode("utf-8", "surrogateescape")
            # Buffers from Arrow's pool (reused batch after batch, never zeroed): the C
            # writer fills every byte the array covers.
            offsets = pa.allocate_buffer(4 * (c.rows + 1))
            data = pa.allocate_buffer(max(c.rows * (len(prefix) + 20), 1))
            written = capture.format_sources_into(prefix, c, offsets, data)
            if written >= 0:
                return pa.Array.from_buffers(pa.string(), c.rows,
                                             [None, offsets, data.slice(0, written)])
            line = _array(c, pa.uint64(), "line", None)
            return pc.binary_join_element_wise(self.name, pc.cast(line, pa.string()), ":")
        if column == "line":
            return _array(c, pa.uint64(), "line", None)
        if column == "frame":
            tags = _array(c, pa.uint8(), "frame", "header_valid")
            return pa.DictionaryArray.from_arrays(pc.cast(pc.equal(tags, 0xDF), pa.int8()), _FRAMES)
        if column == "cra":
            cra = _array(c, pa.uint8(), "cra", "header_valid")
            return pa.DictionaryArray.from_arrays(pc.cast(pc.subtract(cra, 1), pa.int8()), _CRAS)
        if column in ("originator_counter",):
            return _array(c, pa.uint64(), column, "header_valid")
        if column in ("originator", "recipient"):
            return _array(c, _EUI, column, "header_valid")
        if column == "message_code":
            return _array(c, pa.uint16(), column, "header_valid")
        if column == "use_case":
            return _mapped(_array(c, pa.uint16(), "message_code", "header_valid"),
                           _USE_CASE_BY_CODE, _USE_CASES)
        if column == "service_reference_variant":
            return _mapped(_array(c, pa.uint16(), "message_code", "header_valid"),
                           _VARIANT_BY_CODE, _VARIANTS)
        if column == "date_time":
            return _array(c, _UTC, "date_time", "date_time_valid")
        if column == "time_status":
            return _array(c, pa.uint8(), "time_status", "time_status_valid")
        if column == "clock_status":
            return pa.DictionaryArray.from_arrays(
                _array(c, pa.int8(), "clock_status", "clock_status_valid"), _CLOCKS)
        if column == "is_from_gsme":
            return _array(c, pa.bool_(), "is_from_gsme", "clock_status_valid")
        if column == "supplementary_remote_party_id":
            return _array(c, _EUI, column, column + "_valid")
        if column in ("supplementary_remote_party_counter", "supplementary_originator_counter"):
            return _array(c, pa.uint64(), column, column + "_valid")
        if column == "payload_length":
            return _array(c, pa.uint32(), column, "header_valid")
        if column == "signed":
            return _array(c, pa.bool_(), "is_signed", "header_valid")
        if column == "error_code":
            return self._error_code()
        if column == "error":
            return self._error()
        if column == "offset":
            return self._offset()
        raise KeyError(column)

    def _error_code(self) -> pa.Array:
        codes = _array(self.columns, pa.uint8(), "error", "error_valid")
        if not self.overrides:
            return codes
        values = codes.to_pylist()
        for row, (_, _, code) in self.overrides.items():
            values[row] = code
        return pa.array(values, pa.uint8())

    def _error(self) -> pa.Array:
        c = self.columns
        codes = _array(c, pa.uint8(), "error", "error_valid")
        special = self._special_rows()
        if not special and not self.overrides:
            return pc.cast(pa.DictionaryArray.from_arrays(pc.cast(codes, pa.int32()), _HEADER_REASONS),
                           pa.string())
        dictionary = list(HEADER_ERROR_REASONS)
        indices = pc.cast(codes, pa.int32()).to_pylist()
        reasons: dict[int, str] = {row: reason for row, (reason, _) in special.items()}
        reasons.update((row, reason) for row, (reason, _, _) in self.overrides.items())
        for row, reason in reasons.items():
            dictionary.append(reason)
            indices[row] = len(dictionary) - 1
        return pc.cast(pa.DictionaryArray.from_arrays(pa.array(indices, pa.int32()), pa.array(dictionary)),
                       pa.string())

    def _offset(self) -> pa.Array:
        offsets = _array(self.columns, pa.uint32(), "offset", "offset_valid")
        if not self.overrides:
            return offsets
        values = offsets.to_pylist()
        for row, (_, offset, _) in self.overrides.items():
            values[row] = offset
        return pa.array(values, pa.uint32())

    def _special_rows(self) -> dict[int, tuple[str, int | None]]:
        """Rows whose error is in the text around the message, with Python's own reason."""
        c = self.columns
        errors = bytes(c.buffers["error"][:c.rows])
        if not errors.translate(None, bytes(range(32))):
            return {}
        texts = c.texts or {}
        result: dict[int, tuple[str, int | None]] = {}
        for match in re.finditer(rb"[\x20-\xff]", errors):
            row = match.start()
            result[row] = _text_error(errors[row], texts.get(row, b""))
        return result


def _wanted(columns: Sequence[str] | None, keys: "KeySource | None") -> list[str]:
    if columns is None:
        return list(HEADER_COLUMNS + (PIPELINE_COLUMNS if keys is not None else ()))
    unknown = [name for name in columns if name not in ALL_COLUMNS]
    if unknown:
        raise ValueError(f"unknown column(s) {unknown}; the columns are {list(ALL_COLUMNS)}")
    return list(columns)


class Pipeline(Protocol):
    """What the pipeline columns need from pandc.api (handed in by pandc.tables, since io
    sits below the api layer): ``decode_many`` and ``iter_decode_items``."""

    def decode_many(self, items: Any, *, keys: Any = None) -> list[Any]: ...

    def iter_decode_items(self, items: Any, *, keys: Any = None) -> Iterator[tuple[Any, Any]]: ...

    def decode_fields(self, items: Any, *, keys: Any, wanted: frozenset[str]
                      ) -> "list[dict[str, Any] | DecodeError]": ...


def _need(pipeline: "Pipeline | None") -> "Pipeline":
    if pipeline is None:
        raise ValueError("the pipeline columns (and DUIS XML or single binary inputs) need the "
                         "pipeline: use pandc.decode_table / pandc.iter_tables")
    return pipeline


def _pipeline(columns: Columns, kind: str, keys: "KeySource | None", pipeline: "Pipeline | None",
              wanted: frozenset[str]
              ) -> tuple[dict[str, list[Any]], dict[int, tuple[str, int | None, int]]]:
    """The ``wanted`` pipeline columns of the batch's rows, and the rows the pipeline found
    bad."""
    decode_fields = _need(pipeline).decode_fields
    rows = columns.rows
    error_codes = columns.buffers["error"]
    texts = columns.texts or {}
    todo = [row for row in range(rows) if error_codes[row] == 0]
    items: list[bytes | str] = []
    for row in todo:
        raw = texts[row]
        items.append(raw[4:] if kind == capture.RECORDS else raw.decode("ascii").strip())
    values: dict[str, list[Any]] = {name: [None] * rows for name in wanted}
    overrides: dict[int, tuple[str, int | None, int]] = {}
    for row, result in zip(todo, decode_fields(items, keys=keys, wanted=wanted)):
        if isinstance(result, DecodeError):
            overrides[row] = (result.reason, result.offset, result.code)
            continue
        for column, value in result.items():
            values[column][row] = value
    return values, overrides


def pipeline_fields(results: "Iterable[Message | DecodeError]", verified: bool,
                    wanted: frozenset[str] = _NEEDS_PIPELINE
                    ) -> "list[dict[str, Any] | DecodeError]":
    """Each decoded message as its ``wanted`` pipeline column values (``verified``: keys were
    given); errors stay errors. Small and flat, so worker processes hand these back rather
    than whole messages (pickling a message's value tree costs about what decoding it does)."""
    return [result if isinstance(result, DecodeError) else
            _pipeline_fields(result, verified, wanted) for result in results]


def _pipeline_fields(message: "Message", verified: bool,
                     wanted: frozenset[str] = _NEEDS_PIPELINE) -> dict[str, Any]:
    """The pipeline columns of one message: pandc.io.jsonl's fields, the decoded values as
    JSON text (``verified``: keys were given, so the individual checks are reported). Only
    the ``wanted`` ones: the JSON text of a value tree costs as much as a small decode."""
    fields = {name: value for name, value in
              jsonl.pipeline_fields(message, verified=verified, with_values=False).items()
              if name in wanted}
    key = jsonl.values_key(message)
    if key in wanted and message.values is not None:
        fields[key] = json.dumps(to_json(message.values), ensure_ascii=False)
    return fields


def _record_batch(columns: Columns, name: str, wanted: list[str], kind: str,
                  pipeline_module: "Pipeline | None",
                  keys: "KeySource | None") -> pa.RecordBatch:
    pipeline: dict[str, list[Any]] = {}
    overrides: dict[int, tuple[str, int | None, int]] = {}
    if any(column in _NEEDS_PIPELINE for column in wanted):
        pipeline, overrides = _pipeline(columns, kind, keys, pipeline_module,
                                        frozenset(wanted) & _NEEDS_PIPELINE)
    batch = _Batch(columns, name, overrides)
    arrays = []
    for column in wanted:
        if column in _NEEDS_PIPELINE:
            arrays.append(pa.array(pipeline[column], SCHEMA.field(column).type))
        else:
            arrays.append(batch.header_array(column))
    return pa.RecordBatch.from_arrays(arrays, schema=pa.schema([SCHEMA.field(c) for c in wanted]))


# GBT: blocks (DD 09 routing header) are reassembled into the messages they carry, as the
# pipeline does (pandc.api): each message takes the row of its last-arriving block, a
# broken transfer is an error row there, the other blocks take no row.

class _BlockRows:
    """Reassembles the GBT blocks among a capture's rows, batch after batch."""

    def __init__(self, name: str, wanted: list[str], kind: str, keys: "KeySource | None",
                 pipeline: "Pipeline | None") -> None:
        from ..codec import gbt
        self.gbt = gbt
        self.machine = gbt.Reassembler()
        self.latest: dict[Any, tuple[str, int | None]] = {}
        self.name, self.wanted, self.kind, self.keys = name, wanted, kind, keys
        self.pipeline = pipeline
        self.schema = table_schema(wanted, keys)

    def _bytes(self, raw: bytes) -> bytes:
        return raw[4:] if self.kind == capture.RECORDS else text_to_bytes(raw.decode("ascii").strip())

    def _events(self, raw: bytes, where: tuple[str, int | None]) -> list[tuple[str, Any, tuple[str, int | None]]]:
        """(kind, message bytes or error, where) for what one block completes or reveals."""
        try:
            block = self.gbt.parse_block(self._bytes(raw))
            events = self.machine.add(block)
        except DecodeError as error:
            return [("error", error, where)]
        self.latest[block.key] = where
        out: list[tuple[str, Any, tuple[str, int | None]]] = []
        touched = {block.key}
        for event in events:
            if isinstance(event, self.gbt.Reassembled):
                out.append(("message", event.message, where))
            else:
                if event.key is not None:
                    touched.add(event.key)
                out.append(("error", event, self.latest.get(event.key, where)))
        for key in touched:
            if key not in self.machine:
                self.latest.pop(key, None)
        return out

    def _rows(self, events: list[tuple[str, Any, tuple[str, int | None]]]) -> pa.Table:
        """One row per event, in order: messages decoded by the columnar reader."""
        messages = [payload for kind, payload, _ in events if kind == "message"]
        records = b"".join(len(m).to_bytes(4, "big") + m for m in messages)
        decoded = pa.Table.from_batches(
            list(iter_tables(records, max(len(messages), 1), columns=self.wanted, keys=self.keys,
                             pipeline=self.pipeline,
                             kind=capture.RECORDS)), schema=self.schema).to_pylist() if messages else []
        rows = []
        position = 0
        for kind, payload, (source, line) in events:
            if kind == "message":
                row = dict(decoded[position])
                position += 1
            else:
                row = {"error": payload.reason, "error_code": payload.code, "offset": payload.offset}
            row.update(source=source, line=line)
            rows.append(row)
        return pa.Table.from_batches([_batch_of_rows(rows, self.schema)], schema=self.schema)

    def rewrite(self, batch: pa.RecordBatch, columns: Columns) -> pa.RecordBatch:
        errors = columns.buffers["error"]
        texts = columns.texts or {}
        lines = columns.view("line")
        order: list[int] = []
        events: list[tuple[str, Any, tuple[str, int | None]]] = []
        for row in range(columns.rows):
            if errors[row] != capture.GBT_BLOCK:
                order.append(row)
                continue
            where = (f"{self.name}:{lines[row]}", lines[row])
            for event in self._events(texts[row], where):
                order.append(columns.rows + len(events))
                events.append(event)
        table = pa.Table.from_batches([batch])
        if events:
            table = pa.concat_tables([table, self._rows(events).select(batch.schema.names)])
        result = table.take(pa.array(order, pa.int64())).combine_chunks()
        return _one_batch(result, batch.schema)

    def finish(self) -> pa.RecordBatch | None:
        events = []
        for unfinished in self.machine.finish():
            where = self.latest.pop(unfinished.key, ("<end of input>", None))
            events.append(("error", unfinished, where))
        if not events:
            return None
        return _one_batch(self._rows(events), self.schema)


def _one_batch(table: pa.Table, schema: pa.Schema) -> pa.RecordBatch:
    if table.num_rows == 0:
        return _empty(schema)
    return table.combine_chunks().to_batches(max_chunksize=table.num_rows)[0]


# Sources that are not line or record captures: DUIS XML, or one binary message.

def _rows_from_pipeline(items: Iterable[Any], wanted: list[str], keys: "KeySource | None",
                        pipeline: "Pipeline | None",
                        batch_size: int) -> Iterator[pa.RecordBatch]:
    """Record batches built from pipeline results, one Python record a row (the slow path,
    for inputs the C reader does not read)."""
    iter_decode_items = _need(pipeline).iter_decode_items
    schema = pa.schema([SCHEMA.field(c) for c in wanted])
    rows: list[dict[str, Any]] = []
    for item, result in iter_decode_items(items, keys=keys):
        rows.append(_pipeline_row(item.source, result, verified=keys is not None))
        if len(rows) == batch_size:
            yield _batch_of_rows(rows, schema)
            rows = []
    if rows:
        yield _batch_of_rows(rows, schema)


def _eui(text: str | None) -> bytes | None:
    return None if text is None else bytes.fromhex(text.replace("-", ""))


def _pipeline_row(source: str, result: "Message | DecodeError", *, verified: bool = False
                  ) -> dict[str, Any]:
    _, _, line = source.rpartition(":")
    row: dict[str, Any] = {"source": source, "line": int(line) if line.isdigit() else None}
    if isinstance(result, DecodeError):
        row.update(error=result.reason, error_code=result.code, offset=result.offset)
        return row
    row.update(
        frame=result.frame, cra=result.cra, originator_counter=result.originator_counter,
        originator=_eui(result.originator), recipient=_eui(result.recipient),
        message_code=result.message_code, use_case=result.use_case,
        service_reference_variant=result.service_reference_variant,
        date_time=result.date_time, time_status=result.time_status,
        clock_status=result.clock_status, is_from_gsme=result.is_from_gsme,
        supplementary_remote_party_id=_eui(result.supplementary_remote_party_id),
        supplementary_remote_party_counter=result.supplementary_remote_party_counter,
        supplementary_originator_counter=result.supplementary_originator_counter,
        payload_length=len(result.payload), signed=result.signed,
    )
    row.update(_pipeline_fields(result, verified))
    return row


def _dictionaries() -> dict[str, pa.Array]:
    return {"frame": _FRAMES, "cra": _CRAS, "clock_status": _CLOCKS, "use_case": _USE_CASES,
            "service_reference_variant": _VARIANTS}


def _batch_of_rows(rows: list[dict[str, Any]], schema: pa.Schema) -> pa.RecordBatch:
    arrays = []
    dictionaries = _dictionaries()
    for field in schema:
        values = [row.get(field.name) for row in rows]
        if pa.types.is_dictionary(field.type):
            # The same dictionary as the C path's batches, so writers (Arrow IPC files) see
            # one dictionary per column; a value outside it gets a dictionary of its own.
            text = pa.array(values, pa.string())
            dictionary = dictionaries[field.name]
            indices = pc.index_in(text, value_set=dictionary)
            if indices.null_count != text.null_count:
                arrays.append(text.dictionary_encode().cast(field.type))
                continue
            arrays.append(pa.DictionaryArray.from_arrays(pc.cast(indices, field.type.index_type),
                                                         dictionary))
        else:
            arrays.append(pa.array(values, field.type))
    return pa.RecordBatch.from_arrays(arrays, schema=schema)


# Entry points

def _open(source: Any) -> tuple[BinaryIO, str, bool]:
    """(binary stream, name for the source column, whether we opened it)."""
    if isinstance(source, (str, os.PathLike)):
        path = os.fspath(source)
        return open(path, "rb"), path, True
    if isinstance(source, (bytes, bytearray, memoryview)):
        return io.BufferedReader(io.BytesIO(bytes(source))), "<bytes>", False
    if hasattr(source, "read"):
        name = str(getattr(source, "name", "<stream>"))
        if isinstance(source, io.TextIOBase) or "b" not in getattr(source, "mode", "b"):
            from .sources import _TextAsBinary
            return io.BufferedReader(_TextAsBinary(source)), name, False
        if not hasattr(source, "peek"):
            return io.BufferedReader(source), name, False
        return source, name, False
    raise TypeError(f"iter_tables takes a path, bytes or a file object, not {type(source).__name__}")


def _kind(stream: Any) -> str:
    """'xml', 'binary', 'records' or 'lines', from the first bytes (``stream.peek``)."""
    head = stream.peek(64)[:64] if hasattr(stream, "peek") else b""
    stripped = head.lstrip(b"\xef\xbb\xbf \t\r\n")
    if stripped.startswith(b"<"):
        return "xml"
    if head[:1] and head[0] in (0xDD, 0xDF, 0xE0):
        return "binary"
    if head[:1] == b"\x00":
        # A length-prefixed capture: the first length's high byte is 0 for any message
        # under 16 MiB, and no text line starts with NUL.
        return capture.RECORDS
    return capture.LINES


def iter_tables(source: Any, batch_size: int = DEFAULT_BATCH_SIZE, *,
                columns: Sequence[str] | None = None, keys: "KeySource | None" = None,
                kind: str = "auto", name: str | None = None, first_line: int = 1,
                reassemble: bool = True, pipeline: "Pipeline | None" = None
                ) -> Iterator[pa.RecordBatch]:
    """Record batches of at most ``batch_size`` rows, one row per message of ``source``.

    ``source`` is a path, bytes, or a file object holding one message a line (hex or base64),
    length-prefixed binary records (``kind="records"``; detected by a leading NUL), a DUIS
    Response document or one binary message. ``columns`` picks columns (default: the header
    columns, and with ``keys`` the pipeline columns too). Memory stays flat: only one chunk of
    the input and one batch of columns are held at a time. ``name`` replaces the source's
    name in ``source``, and ``first_line`` numbers its first line (for a byte range of a
    larger file, as pandc.dask reads it). GBT blocks are reassembled into the messages they
    carry (as the JSON Lines do); with ``reassemble=False`` each block is a row of its own
    with error code 19 (one row per input line, as pandc.spark needs). ``pipeline`` (the
    pandc.api module, handed in by :mod:`pandc.tables`) is needed for the pipeline columns and
    for DUIS XML or single binary inputs.
    """
    wanted = _wanted(columns, keys)
    stream, opened_name, opened = _open(source)
    name = opened_name if name is None else name
    try:
        detected = _kind(stream) if kind == "auto" else kind
        if detected in ("xml", "binary"):
            from .sources import iter_stream
            yield from _rows_from_pipeline(iter_stream(stream, name), wanted, keys, pipeline,
                                           batch_size)
            return
        need_text = any(column in _NEEDS_PIPELINE for column in wanted)
        blocks: _BlockRows | None = None
        for columns_batch in capture.iter_columns(stream, batch_size=batch_size, kind=detected,
                                                  keep_text=True, text_for_all=need_text,
                                                  first_line=first_line):
            batch = _record_batch(columns_batch, name, wanted, detected, pipeline, keys)
            if reassemble and bytes([capture.GBT_BLOCK]) in columns_batch.buffers["error"][:columns_batch.rows]:
                blocks = blocks or _BlockRows(name, wanted, detected, keys, pipeline)
                batch = blocks.rewrite(batch, columns_batch)
            if batch.num_rows:
                yield batch
        if blocks is not None:
            tail = blocks.finish()
            if tail is not None:
                yield tail
    finally:
        if opened:
            stream.close()


def decode_table(source: Any, columns: Sequence[str] | None = None,
                 keys: "KeySource | None" = None, *, batch_size: int = DEFAULT_BATCH_SIZE,
                 kind: str = "auto", pipeline: "Pipeline | None" = None) -> pa.Table:
    """Every message of ``source`` as one ``pyarrow.Table`` (see :func:`iter_tables`)."""
    wanted = _wanted(columns, keys)
    schema = pa.schema([SCHEMA.field(c) for c in wanted])
    return pa.Table.from_batches(
        list(iter_tables(source, batch_size, columns=wanted, keys=keys, kind=kind, pipeline=pipeline)),
        schema=schema)


# Writers for the command line: one file, batch by batch (memory stays flat).

TABLE_FORMATS = ("parquet", "arrow", "csv")


def _csv_batch(batch: pa.RecordBatch) -> pa.RecordBatch:
    """The batch in the JSON Lines' text forms where CSV has no type for a column."""
    arrays, fields = [], []
    for field, column in zip(batch.schema, batch.columns):
        if field.type == _EUI:
            column = pa.array([None if v is None else v.hex("-").upper() for v in column.to_pylist()],
                              pa.string())
        elif field.name == "message_code":
            column = pa.array([None if v is None else f"0x{v:04X}" for v in column.to_pylist()],
                              pa.string())
        elif pa.types.is_dictionary(field.type):
            column = pc.cast(column, pa.string())
        elif pa.types.is_list(field.type):
            column = pa.array([None if v is None else json.dumps(v, ensure_ascii=False)
                               for v in column.to_pylist()], pa.string())
        arrays.append(column)
        fields.append(pa.field(field.name, column.type))
    return pa.RecordBatch.from_arrays(arrays, schema=pa.schema(fields))


class TableWriter:
    """Writes record batches to ``path`` as Parquet, an Arrow IPC file or CSV."""

    def __init__(self, path: str | os.PathLike[str], format: str, schema: pa.Schema) -> None:
        if format not in TABLE_FORMATS:
            raise ValueError(f"format must be one of {TABLE_FORMATS}, not {format!r}")
        self.format = format
        if format == "parquet":
            import pyarrow.parquet as pq
            self._writer: Any = pq.ParquetWriter(os.fspath(path), schema)
        elif format == "arrow":
            self._writer = pa.ipc.new_file(os.fspath(path), schema)
        else:
            import pyarrow.csv as pcsv
            self._writer = pcsv.CSVWriter(os.fspath(path), _csv_batch(_empty(schema)).schema)

    def write(self, batch: pa.RecordBatch) -> None:
        self._writer.write_batch(_csv_batch(batch) if self.format == "csv" else batch)

    def close(self) -> None:
        self._writer.close()


def _empty(schema: pa.Schema) -> pa.RecordBatch:
    return pa.RecordBatch.from_arrays([pa.array([], field.type) for field in schema], schema=schema)


def table_schema(columns: Sequence[str] | None = None, keys: "KeySource | None" = None) -> pa.Schema:
    """The schema of the batches iter_tables yields for these columns."""
    return pa.schema([SCHEMA.field(c) for c in _wanted(columns, keys)])
