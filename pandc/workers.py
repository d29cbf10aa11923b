"""Decoding on several cores: batches handed to worker processes, results back in order.

Workers start with forkserver (spawn where it is missing), never fork: forking while the
verification thread pool runs can deadlock. Keys travel by pickling (a KeyStore pickles as
its directory and Access Control Broker), and each worker keeps its own ECDH cache.
"""
from __future__ import annotations

import itertools
import multiprocessing
from collections import deque
from collections.abc import Iterator
from concurrent.futures import Future, ProcessPoolExecutor
from typing import TYPE_CHECKING, Any

from .errors import DecodeError
from .io.sources import SourceItem
from .message import Message

if TYPE_CHECKING:
    from .api import Result
    from .security import KeySource

CHUNK = 512


def _context() -> Any:
    methods = multiprocessing.get_all_start_methods()
    return multiprocessing.get_context("forkserver" if "forkserver" in methods else "spawn")


def _decode_chunk(items: list[tuple[Any, Any]], keys: "KeySource | None"
                  ) -> list[Message | DecodeError]:
    from .api import decode_with_context
    return decode_with_context(items, keys=keys)


def _decode_source_chunk(batch: list[SourceItem], keys: "KeySource | None") -> list["Result"]:
    from .api import decode_batch
    return decode_batch(batch, keys)


def decode_in_workers(items: list[tuple[Any, Any]], keys: "KeySource | None",
                      workers: int) -> list[Message | DecodeError]:
    if not items:
        return []
    chunks = [items[i:i + CHUNK] for i in range(0, len(items), CHUNK)]
    with ProcessPoolExecutor(max_workers=workers, mp_context=_context()) as pool:
        futures = [pool.submit(_decode_chunk, chunk, keys) for chunk in chunks]
        return [result for future in futures for result in future.result()]


def iter_in_workers(items: Iterator[SourceItem], keys: "KeySource | None", workers: int,
                    batch_size: int) -> Iterator[tuple[SourceItem, "Result"]]:
    """Keeps 2 x workers batches in flight, so memory stays bounded on endless input."""
    with ProcessPoolExecutor(max_workers=workers, mp_context=_context()) as pool:
        pending: deque[tuple[list[SourceItem], Future[list["Result"]]]] = deque()
        while True:
            while len(pending) < 2 * workers:
                batch = list(itertools.islice(items, batch_size))
                if not batch:
                    break
                pending.append((batch, pool.submit(_decode_source_chunk, batch, keys)))
            if not pending:
                return
            batch, future = pending.popleft()
            yield from zip(batch, future.result())
