"""Decoding a Spark column of GBCS messages: ``decode_captures(df, column="payload")``.

Each value of ``column`` is one message: binary (the message bytes) or string (its hex or
base64 text). ``mapInArrow`` hands each partition to the same columnar reader as
:func:`pandc.decode_table` (the C core when it is built on the executors) a batch at a time:
one output row per input row, in order, with the other input columns passed through first
(so rows can be joined back by a key). A value that holds no message (null, blank, a ``#``
comment, several lines) is a row with ``error`` set; so is a GBT block (error code 19: the
blocks of a transfer are not reassembled across rows here).

Spark has no unsigned integers: ``originator_counter`` and the other 64-bit counters become
``decimal(20,0)`` (exact), uint32 ``long``, uint16 ``int``, uint8 ``short``; dictionary
columns become strings and ``warnings`` an array of strings. :func:`to_spark_arrow` is that
conversion, so ``decode_table``'s rows can be compared with Spark's. Needs the [spark] extra.
"""
from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from typing import TYPE_CHECKING

import pyarrow as pa
import pyarrow.compute as pc

from .codec import capture
from .io import arrow

if TYPE_CHECKING:
    from pyspark.sql import DataFrame

__all__ = ["decode_captures", "to_spark_arrow", "DEFAULT_COLUMNS"]

# source and line name a place in a file; a Spark column has none (pass a key column through).
DEFAULT_COLUMNS = tuple(name for name in arrow.HEADER_COLUMNS if name not in ("source", "line"))
NO_MESSAGE = "value holds no message (null, blank, a # comment or several lines)"


def _spark_type(type_: pa.DataType) -> pa.DataType:
    if pa.types.is_dictionary(type_):
        return pa.string()
    if type_ == pa.uint64():
        return pa.decimal128(20, 0)
    if type_ == pa.uint32():
        return pa.int64()
    if type_ == pa.uint16():
        return pa.int32()
    if type_ == pa.uint8():
        return pa.int16()
    if pa.types.is_fixed_size_binary(type_):
        return pa.binary()
    return type_


def to_spark_arrow(batch: pa.RecordBatch | pa.Table) -> pa.RecordBatch | pa.Table:
    """The batch with every column in a type Spark has (see the module doc)."""
    arrays = [pc.cast(column, _spark_type(field.type)) for field, column in zip(batch.schema, batch.columns)]
    schema = pa.schema([pa.field(field.name, _spark_type(field.type)) for field in batch.schema])
    if isinstance(batch, pa.Table):
        return pa.Table.from_arrays(arrays, schema=schema)
    return pa.RecordBatch.from_arrays(arrays, schema=schema)


def _decoded(values: pa.Array, columns: list[str]) -> pa.RecordBatch:
    """One row per value: binary values as length-prefixed records, text as lines."""
    rows = len(values)
    if pa.types.is_binary(values.type) or pa.types.is_large_binary(values.type):
        data = b"".join(len(v).to_bytes(4, "big") + v if v is not None else b"\0\0\0\0"
                        for v in values.to_pylist())
        kind = capture.RECORDS
        bad: list[int] = [i for i, v in enumerate(values.is_null().to_pylist()) if v]
    else:
        text = pc.utf8_trim_whitespace(pc.cast(values, pa.string()))
        empty = pc.fill_null(pc.or_(pc.equal(text, ""), pc.or_(pc.starts_with(text, "#"),
                                                                 pc.match_substring(text, "\n"))), True)
        bad = [i for i, flag in enumerate(empty.to_pylist()) if flag]
        # A placeholder keeps one line per value; its row's error is replaced below.
        text = pc.if_else(empty, pa.scalar("!"), text)
        data = ("\n".join(text.to_pylist()) + "\n").encode("utf-8") if rows else b""
        kind = capture.LINES
    # One row per value: a GBT block stays a row of its own (error 19), not reassembled.
    batches = list(arrow.iter_tables(data, max(rows, 1), columns=columns, kind=kind,
                                     reassemble=False))
    table = pa.Table.from_batches(batches, schema=arrow.table_schema(columns))
    if bad:
        table = _mark_no_message(table, bad)
    return table.combine_chunks().to_batches(max_chunksize=max(rows, 1))[0] if rows else \
        arrow._empty(arrow.table_schema(columns))


def _mark_no_message(table: pa.Table, rows: list[int]) -> pa.Table:
    """Rows whose value held no message: error says so, every other column null."""
    mask = [False] * table.num_rows
    for row in rows:
        mask[row] = True
    mask_array = pa.array(mask)
    columns = []
    for field, column in zip(table.schema, table.columns):
        if field.name == "error":
            columns.append(pc.if_else(mask_array, pa.scalar(NO_MESSAGE), column))
        elif field.name == "error_code":
            columns.append(pc.if_else(mask_array, pa.scalar(0, pa.uint8()), column))
        else:
            columns.append(pc.if_else(mask_array, pa.scalar(None, field.type), column))
    return pa.Table.from_arrays(columns, schema=table.schema)


def _mapper(column: str, columns: list[str]
            ) -> Callable[[Iterator[pa.RecordBatch]], Iterator[pa.RecordBatch]]:
    def decode(batches: Iterator[pa.RecordBatch]) -> Iterator[pa.RecordBatch]:
        for batch in batches:
            values = batch.column(column)
            decoded = to_spark_arrow(_decoded(values, columns))
            kept = [(field, array) for field, array in zip(batch.schema, batch.columns)
                    if field.name != column]
            yield pa.RecordBatch.from_arrays(
                [array for _, array in kept] + list(decoded.columns),
                schema=pa.schema([field for field, _ in kept] + list(decoded.schema)))
    return decode


def decode_captures(spark_df: "DataFrame", column: str = "payload", *,
                    columns: Sequence[str] | None = None) -> "DataFrame":
    """``spark_df`` with ``column`` replaced by the decoded columns (default DEFAULT_COLUMNS)."""
    from pyspark.sql.pandas.types import from_arrow_schema
    wanted = list(columns if columns is not None else DEFAULT_COLUMNS)
    unknown = [name for name in wanted if name not in arrow.HEADER_COLUMNS]
    if unknown:
        raise ValueError(f"decode_captures reads header columns only; not {unknown}")
    decoded_schema = to_spark_arrow(arrow._empty(arrow.table_schema(wanted))).schema
    kept = [field for field in spark_df.schema.fields if field.name != column]
    from pyspark.sql.types import StructType
    schema = StructType(kept + list(from_arrow_schema(decoded_schema).fields))
    return spark_df.mapInArrow(_mapper(column, wanted), schema)
