"""Captures as a Dask DataFrame: ``read_captures("captures/*.hex")``.

One partition per file, or per byte range of ``blocksize`` bytes for line captures, cut at line
boundaries: a partition holds the lines that start inside its range. Every partition runs the
same columnar reader as :func:`pandc.decode_table` (the C core when it is built), so the rows
equal ``decode_table`` over the same files, ``source`` and ``line`` included (line numbers
count from the start of the file, as a first pass counts the lines of each range).

GBT blocks are reassembled within a partition: a transfer whose blocks fall into different
byte ranges (or files) gives error rows instead of its message; use a partition per file
(no ``blocksize``) for captures whose transfers span more than a block.

Columns keep their Arrow types in pandas (``pd.ArrowDtype``): 64-bit counters stay exact,
EUIs are 8-byte binaries, ``date_time`` a UTC timestamp. Needs the [dask] extra.
"""
from __future__ import annotations

import glob
import mmap
import os
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

import dask.dataframe as dd
from dask.delayed import delayed
import pandas as pd
import pyarrow as pa

from . import tables
from .io import arrow

if TYPE_CHECKING:
    from .security import KeySource

__all__ = ["read_captures"]


def _paths(paths_or_glob: str | os.PathLike[str] | Sequence[str | os.PathLike[str]]) -> list[str]:
    if isinstance(paths_or_glob, (str, os.PathLike)):
        text = os.fspath(paths_or_glob)
        found = sorted(glob.glob(text)) if glob.has_magic(text) else [text]
    else:
        found = [os.fspath(path) for path in paths_or_glob]
    if not found:
        raise FileNotFoundError(f"no capture files match {paths_or_glob!r}")
    return found


def _is_line_capture(path: str) -> bool:
    with open(path, "rb") as stream:
        head = stream.read(64)
    return arrow._kind(_Peek(head)) == "lines"


class _Peek:
    def __init__(self, head: bytes) -> None:
        self.head = head

    def peek(self, n: int) -> bytes:
        return self.head


def _line_start_at_or_after(data: Any, position: int) -> int:
    """The first line start at or after ``position`` (len(data) when there is none)."""
    if position <= 0:
        return 0
    newline = data.find(b"\n", position - 1)
    return len(data) if newline < 0 else newline + 1


def _span(path: str, start: int, end: int) -> tuple[int, int]:
    size = os.path.getsize(path)
    if size == 0:
        return 0, 0
    with open(path, "rb") as stream, mmap.mmap(stream.fileno(), 0, access=mmap.ACCESS_READ) as data:
        return _line_start_at_or_after(data, start), _line_start_at_or_after(data, min(end, size))


def _count_lines(path: str, start: int, end: int) -> int:
    """Lines that start in the byte range [start, end) (every line, blank and comment too)."""
    first, after = _span(path, start, end)
    if first >= after:
        return 0
    with open(path, "rb") as stream, mmap.mmap(stream.fileno(), 0, access=mmap.ACCESS_READ) as data:
        # a line starts at `first` and after every newline before `after`, but the last one
        # ends the range's last line rather than starting one inside it
        return data[first:after].count(b"\n") + (0 if data[after - 1:after] == b"\n" else 1)


def _partition(path: str, start: int | None, end: int | None, prior: Sequence[int],
               columns: list[str], keys: "KeySource | None", batch_size: int) -> pd.DataFrame:
    if start is None:
        batches = list(tables.iter_tables(path, batch_size, columns=columns, keys=keys))
    else:
        first, after = _span(path, start, end or 0)
        with open(path, "rb") as stream:
            stream.seek(first)
            data = stream.read(after - first)
        batches = list(tables.iter_tables(data, batch_size, columns=columns, keys=keys, kind="lines",
                                         name=path, first_line=1 + sum(prior)))
    table = pa.Table.from_batches(batches, schema=arrow.table_schema(columns, keys))
    return table.to_pandas(types_mapper=pd.ArrowDtype)


def read_captures(paths_or_glob: str | os.PathLike[str] | Sequence[str | os.PathLike[str]], *,
                  blocksize: int | None = None, columns: Sequence[str] | None = None,
                  keys: "KeySource | None" = None,
                  batch_size: int = arrow.DEFAULT_BATCH_SIZE) -> dd.DataFrame:
    """A Dask DataFrame with one row per message of the capture files.

    ``paths_or_glob`` is a glob pattern, a path or a list of paths. With ``blocksize`` (bytes),
    a line capture larger than that is split into byte ranges cut at line boundaries, one
    partition each; other files are one partition each. ``columns`` and ``keys`` are those of
    :func:`pandc.decode_table` (keys travel to the workers with the task).
    """
    wanted = arrow._wanted(columns, keys)
    meta = arrow.table_schema(wanted, keys).empty_table().to_pandas(types_mapper=pd.ArrowDtype)
    parts = []
    for path in _paths(paths_or_glob):
        size = os.path.getsize(path)
        if blocksize is None or size <= blocksize or not _is_line_capture(path):
            parts.append(delayed(_partition)(path, None, None, (), wanted, keys, batch_size))
            continue
        ranges = [(start, min(start + blocksize, size)) for start in range(0, size, blocksize)]
        counts = [delayed(_count_lines)(path, start, end) for start, end in ranges]
        for index, (start, end) in enumerate(ranges):
            parts.append(delayed(_partition)(path, start, end, counts[:index], wanted, keys,
                                                  batch_size))
    frame: dd.DataFrame = dd.from_delayed(parts, meta=meta, verify_meta=False)
    return frame
