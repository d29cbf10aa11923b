"""Captures as Arrow tables: ``pandc.decode_table`` and ``pandc.iter_tables``.

The columnar sink itself is :mod:`pandc.io.arrow` (the C capture reader's buffers as Arrow
arrays; see its module doc for the columns). It sits in the io layer, below the pipeline, so
this module hands it :mod:`pandc.api` for what needs the whole pipeline: the pipeline columns
(``smets_data``, ``device_alert_content``, ``authenticated``, ...), DUIS XML documents and
single binary messages. Needs pyarrow (the [arrow] extra).
"""
from __future__ import annotations

import functools
from collections.abc import Iterator, Sequence
from typing import TYPE_CHECKING, Any

import pyarrow as pa

from . import api, workers
from .errors import DecodeError
from .io import arrow

if TYPE_CHECKING:
    from .security import KeySource

__all__ = ["decode_table", "iter_tables"]


class _Pipeline:
    """:mod:`pandc.api` as the Arrow sink's pipeline, with the caller's worker count."""

    def __init__(self, workers: int) -> None:
        if not isinstance(workers, int) or isinstance(workers, bool) or workers < 1:
            raise ValueError(f"workers must be a positive integer, not {workers!r}")
        self.workers = workers

    def decode_many(self, items: Any, *, keys: "KeySource | None" = None) -> list[Any]:
        return api.decode_many(items, keys=keys, workers=self.workers)

    def iter_decode_items(self, items: Any, *, keys: "KeySource | None" = None
                          ) -> Iterator[tuple[Any, Any]]:
        return api.iter_decode_items(items, keys=keys, workers=self.workers)

    def decode_fields(self, items: Any, *, keys: "KeySource | None", wanted: frozenset[str]
                      ) -> "list[dict[str, Any] | DecodeError]":
        chunk = functools.partial(_decode_fields_chunk, wanted=wanted)
        if self.workers == 1:
            return chunk(items, keys)
        return workers.map_in_workers(list(items), keys, self.workers, chunk)


def _decode_fields_chunk(items: list[Any], keys: "KeySource | None",
                         wanted: frozenset[str]) -> "list[dict[str, Any] | DecodeError]":
    """A worker's (or the caller's) share of :meth:`_Pipeline.decode_fields`: the use-case
    layer runs only when a column wants its values."""
    results = api.decode_with_context(((item, None) for item in items), keys=keys,
                                      values=not wanted.isdisjoint(arrow.VALUE_COLUMNS))
    return arrow.pipeline_fields(results, keys is not None, wanted)


def iter_tables(source: Any, batch_size: int = arrow.DEFAULT_BATCH_SIZE, *,
                columns: Sequence[str] | None = None, keys: "KeySource | None" = None,
                kind: str = "auto", name: str | None = None, first_line: int = 1,
                reassemble: bool = True, workers: int = 1) -> Iterator[pa.RecordBatch]:
    """Record batches of at most ``batch_size`` rows, one row per message of ``source``.

    ``source`` is a path, bytes, or a file object holding one message a line (hex or base64;
    blank and ``#`` lines skipped), length-prefixed binary records (``kind="records"``;
    detected by a leading NUL), a DUIS Response document or one binary message. ``columns``
    picks columns (default: the header columns, and with ``keys`` the pipeline columns too).
    Memory stays flat: one chunk of the input and one batch of columns at a time. See
    :func:`pandc.io.arrow.iter_tables` for ``name``, ``first_line`` and ``reassemble``.
    ``workers`` > 1 decodes the pipeline columns (values, verification) of each batch in that
    many processes, as :func:`pandc.decode_many` does; the header columns need no pipeline.
    """
    return arrow.iter_tables(source, batch_size, columns=columns, keys=keys, kind=kind, name=name,
                             first_line=first_line, reassemble=reassemble,
                             pipeline=_Pipeline(workers))


def decode_table(source: Any, columns: Sequence[str] | None = None,
                 keys: "KeySource | None" = None, *, batch_size: int = arrow.DEFAULT_BATCH_SIZE,
                 kind: str = "auto", workers: int = 1) -> pa.Table:
    """Every message of ``source`` as one ``pyarrow.Table`` (see :func:`iter_tables`)."""
    return arrow.decode_table(source, columns, keys, batch_size=batch_size, kind=kind,
                              pipeline=_Pipeline(workers))
