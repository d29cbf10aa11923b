"""Decoding on several cores: batches handed to worker processes, results back in order.

Workers start with forkserver (spawn where it is missing), never fork: forking while the
verification thread pool runs can deadlock. ``workers`` counts the processes that decode:
the caller and ``workers - 1`` pool workers. The pool is started once per process and kept
(:func:`shutdown` ends it; so does interpreter exit), so only the first call pays for starting
the workers and importing pandc in them. Keys travel by pickling (a KeyStore pickles as its
directory and Access Control Broker, never key material), once per call; each worker keeps the
key source of the last call it served and its own ECDH cache, so a key file is read and a key
agreement done once per worker, not once per chunk. Results come back pickled compactly (the
result dataclasses pickle as their field values, see :mod:`pandc.codec.fastdata`).
"""
from __future__ import annotations

import contextlib
import functools
import itertools
import multiprocessing
import pickle
import threading
from collections import deque
from collections.abc import Callable, Iterator
from concurrent.futures import Future, ProcessPoolExecutor
from typing import TYPE_CHECKING, Any, TypeVar

from .errors import DecodeError
from .io.sources import SourceItem
from .message import Message

if TYPE_CHECKING:
    from .api import Result
    from .security import KeySource

T = TypeVar("T")

CHUNK = 512         # most items a task: amortises a task's round trip
MIN_CHUNK = 32      # fewest items a task (smaller batches are cut finer, to balance the load)

_lock = threading.Lock()
_pool: ProcessPoolExecutor | None = None
_pool_size = 0
# Callers using each pool now. A pool replaced (another worker count asked for) is shut down
# only when its last caller is done, so no caller ever submits to a pool already shut down.
_users: dict[ProcessPoolExecutor, int] = {}
_retired: set[ProcessPoolExecutor] = set()


def _context() -> Any:
    methods = multiprocessing.get_all_start_methods()
    return multiprocessing.get_context("forkserver" if "forkserver" in methods else "spawn")


def _warm_up() -> None:
    """Runs once in each new worker: the imports every task needs, before the first task."""
    from . import api, security  # noqa: F401
    from . import usecases  # noqa: F401


@contextlib.contextmanager
def _leased_pool(workers: int) -> Iterator[ProcessPoolExecutor]:
    """The shared pool of ``workers`` processes (started, or replaced, if need be), held for
    the caller until the block ends."""
    global _pool, _pool_size
    with _lock:
        broken = _pool is not None and getattr(_pool, "_broken", False)
        if _pool is None or _pool_size != workers or broken:
            if _pool is not None:
                _retire(_pool)
            _pool = ProcessPoolExecutor(max_workers=workers, mp_context=_context(),
                                        initializer=_warm_up)
            _pool_size = workers
        pool = _pool
        _users[pool] = _users.get(pool, 0) + 1
    try:
        yield pool
    finally:
        with _lock:
            _users[pool] -= 1
            if _users[pool] == 0:
                del _users[pool]
                if pool in _retired:
                    _retired.discard(pool)
                    pool.shutdown(wait=False)


def _retire(pool: ProcessPoolExecutor) -> None:
    """Shut a replaced pool down now if no caller holds it, else when the last one is done
    (called with _lock held)."""
    if _users.get(pool, 0):
        _retired.add(pool)
    else:
        pool.shutdown(wait=False)


def shutdown() -> None:
    """Ends the worker processes (the next call with ``workers`` > 1 starts new ones)."""
    global _pool, _pool_size
    with _lock:
        pool, _pool, _pool_size = _pool, None, 0
        if pool is not None and _users.get(pool, 0):
            _retired.add(pool)          # a caller still holds it: it ends when they are done
            return
    if pool is not None:
        pool.shutdown(wait=True)


# In a worker: the key source of the last call served, by its pickled form.
_worker_keys: tuple[bytes, Any] | None = None


def _keys_in_worker(blob: bytes | None) -> "KeySource | None":
    global _worker_keys
    if blob is None:
        return None
    if _worker_keys is None or _worker_keys[0] != blob:
        _worker_keys = (blob, pickle.loads(blob))
    keys: KeySource = _worker_keys[1]
    return keys


def _decode_chunk(items: list[tuple[Any, Any]], keys: bytes | None) -> list[Message | DecodeError]:
    from .api import decode_with_context
    return decode_with_context(items, keys=_keys_in_worker(keys))


def _decode_source_chunk(batch: list[SourceItem], keys: bytes | None) -> list["Result"]:
    from .api import decode_batch
    return decode_batch(batch, _keys_in_worker(keys))


def _key_blob(keys: "KeySource | None") -> bytes | None:
    return None if keys is None else pickle.dumps(keys, protocol=pickle.HIGHEST_PROTOCOL)


def decode_in_workers(items: list[tuple[Any, Any]], keys: "KeySource | None",
                      workers: int) -> list[Message | DecodeError]:
    """``workers`` processes decode (see :func:`_map_chunks`)."""
    from .api import collector_paused, decode_with_context
    if not items:
        return []
    with collector_paused():     # unpickled results, like decoded ones, hold no cycles
        return _map_chunks(items, keys, workers,
                           lambda chunk: decode_with_context(chunk, keys=keys), _decode_chunk)


def map_in_workers(items: list[Any], keys: "KeySource | None", workers: int,
                   function: Callable[[list[Any], "KeySource | None"], list[T]]) -> list[T]:
    """``function(chunk, keys)`` over chunks of ``items`` in ``workers`` processes (the
    caller's and ``workers - 1`` pool workers), results concatenated in order. ``function``
    must be a module-level function (workers receive it by name); what it returns crosses the
    process boundary, so the smaller it is the more the workers gain."""
    if not items:
        return []
    return _map_chunks(items, keys, workers, lambda chunk: function(chunk, keys),
                       functools.partial(_call_with_keys, function))


def _call_with_keys(function: Callable[[list[Any], "KeySource | None"], list[T]],
                    items: list[Any], keys: bytes | None) -> list[T]:
    return function(items, _keys_in_worker(keys))


def _map_chunks(items: list[Any], keys: "KeySource | None", workers: int,
                here_call: Callable[[list[Any]], list[T]],
                remote: Callable[[list[Any], bytes | None], list[T]]) -> list[T]:
    """The pool takes chunks from the front; the caller takes, from the back, each chunk no
    worker has started yet (a cancelled future), so part of the results never cross a process
    boundary."""
    # At least 32 chunks a process: the last chunks a worker has taken (one running, one
    # queued) are what the caller may have to wait for at the end, so they are kept small.
    size = max(MIN_CHUNK, min(CHUNK, -(-len(items) // (32 * workers))))
    chunks = [items[i:i + size] for i in range(0, len(items), size)]
    if workers <= 1 or len(chunks) == 1:
        return here_call(chunks[0] if len(chunks) == 1 else items)
    blob = _key_blob(keys)
    with _leased_pool(workers - 1) as pool:
        futures = [pool.submit(remote, chunk, blob) for chunk in chunks]
        here: dict[int, list[T]] = {}
        for index in range(len(chunks) - 1, -1, -1):
            if not futures[index].cancel():
                break       # the workers have reached this chunk, and every one before it
            here[index] = here_call(chunks[index])
        results: list[T] = []
        for index, future in enumerate(futures):
            results.extend(here[index] if index in here else future.result())
    return results


def iter_in_workers(items: Iterator[SourceItem], keys: "KeySource | None", workers: int,
                    batch_size: int) -> Iterator[tuple[SourceItem, "Result"]]:
    """Keeps 2 x workers batches in flight, so memory stays bounded on endless input; the
    caller decodes each batch it reaches before a pool worker has started it."""
    from .api import decode_batch
    blob = _key_blob(keys)
    with _leased_pool(max(workers - 1, 1)) as pool:
        pending: deque[tuple[list[SourceItem], Future[list["Result"]]]] = deque()
        try:
            while True:
                while len(pending) < 2 * workers:
                    batch = list(itertools.islice(items, batch_size))
                    if not batch:
                        break
                    pending.append((batch, pool.submit(_decode_source_chunk, batch, blob)))
                if not pending:
                    return
                batch, future = pending.popleft()
                results = decode_batch(batch, keys) if future.cancel() else future.result()
                yield from zip(batch, results)
        finally:
            # A consumer that stops early leaves no work queued in the shared pool.
            for _, future in pending:
                future.cancel()
