"""workers=: several processes give exactly one process's results, in input order."""
from __future__ import annotations

import pickle

import pandc
from pandc.security import KeyStore

from conftest import KEYSTORE, is_response_or_alert, require, rtds_messages


def test_keystore_pickles_as_its_directory_never_key_material():
    keys = KeyStore.from_directory(require(KEYSTORE))
    keys.private_key("90b3d51f30010000", "ka")          # loaded in this process
    broker = keys.access_control_broker
    blob = pickle.dumps(keys)
    assert b"PRIVATE" not in blob and len(blob) < 400
    copy = pickle.loads(blob)
    assert copy.directory == keys.directory and copy.access_control_broker == broker


def test_two_workers_give_one_workers_results_in_order():
    keys = KeyStore.from_directory(require(KEYSTORE))
    items = [data for path, data in rtds_messages() if is_response_or_alert(path)]
    items = items[:300] + [b"\xDD\x00", "not hex"] + items[300:700]
    single = pandc.decode_many(items, keys=keys)
    assert pandc.decode_many(items, keys=keys, workers=2) == single
    # iter_decode also names each error's source ("<items>:301")
    streamed = list(pandc.iter_decode(items, keys=keys, workers=2))
    assert streamed == list(pandc.iter_decode(items, keys=keys))
    assert streamed[300].source == "<items>:301"


def test_results_pickle_compactly_and_come_back_equal():
    """Results cross process boundaries as their field values (pandc.codec.fastdata), not
    through dataclasses' per-object fields() lookups; they come back equal, every field."""
    import pickletools
    keys = KeyStore.from_directory(require(KEYSTORE))
    items = [data for path, data in rtds_messages() if is_response_or_alert(path)][:200]
    results = pandc.decode_many(items, keys=keys)
    blob = pickle.dumps(results, protocol=pickle.HIGHEST_PROTOCOL)
    assert pickle.loads(blob) == results
    opcodes = {op.name for op, _, _ in pickletools.genops(blob)}
    assert "BUILD" not in opcodes          # no __setstate__ per object
    assert any(m.values is not None for m in results)


def test_the_pool_is_kept_between_calls_and_can_be_shut_down():
    from pandc import workers
    keys = KeyStore.from_directory(require(KEYSTORE))
    items = [data for path, data in rtds_messages() if is_response_or_alert(path)][:300]
    single = pandc.decode_many(items, keys=keys)
    assert pandc.decode_many(items, keys=keys, workers=2) == single
    pool = workers._pool
    assert pool is not None
    assert pandc.decode_many(items, keys=keys, workers=2) == single
    assert workers._pool is pool               # no new processes for the second call
    processes = list(pool._processes.values())
    workers.shutdown()
    assert workers._pool is None and not any(p.is_alive() for p in processes)
    assert pandc.decode_many(items, keys=keys, workers=2) == single   # a new pool
    workers.shutdown()


def test_the_collector_is_paused_only_during_a_batch():
    import gc
    from pandc.api import collector_paused
    items = [data for path, data in rtds_messages() if is_response_or_alert(path)][:50]
    assert gc.isenabled()
    seen = []
    original = pandc.api._decode_with_context

    def spy(*args, **kwargs):
        seen.append(gc.isenabled())
        return original(*args, **kwargs)

    pandc.api._decode_with_context = spy
    try:
        pandc.decode_many(items)
    finally:
        pandc.api._decode_with_context = original
    assert seen == [False] and gc.isenabled()
    gc.disable()
    try:
        with collector_paused():
            pass
        assert not gc.isenabled()          # a caller's own choice is left as it was
    finally:
        gc.enable()
    try:
        with collector_paused():
            raise KeyError
    except KeyError:
        pass
    assert gc.isenabled()


def test_a_pool_of_another_size_lets_work_already_queued_finish():
    """Two callers asking for different worker counts at once: the second's new pool does
    not cancel what the first queued on the old one."""
    import threading
    from pandc import workers
    keys = KeyStore.from_directory(require(KEYSTORE))
    items = [data for path, data in rtds_messages() if is_response_or_alert(path)][:400]
    single = pandc.decode_many(items, keys=keys)
    outcome = {}

    def run(count):
        outcome[count] = pandc.decode_many(items, keys=keys, workers=count)

    threads = [threading.Thread(target=run, args=(count,)) for count in (2, 3)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert outcome == {2: single, 3: single}
    workers.shutdown()


def test_tables_with_two_workers_equal_one_workers(tmp_path):
    """decode_table / iter_tables take workers= for the pipeline columns (values and
    verification); the table is the one a single process gives, row for row."""
    keys = KeyStore.from_directory(require(KEYSTORE))
    lines = [data.hex() for path, data in rtds_messages() if is_response_or_alert(path)][:400]
    lines[150] = "DD00"                                  # a bad row among them
    capture = tmp_path / "capture.hex"
    capture.write_text("\n".join(lines) + "\n")
    columns = ["source", "message_code", "error", "authenticated", "smets_data"]
    single = pandc.decode_table(capture, columns=columns, keys=keys)
    double = pandc.decode_table(capture, columns=columns, keys=keys, workers=2)
    assert double.equals(single)
    assert single.column("error")[150].as_py() is not None
    assert single.column("authenticated").to_pylist().count(True) > 300
    batches = list(pandc.iter_tables(capture, 128, columns=columns, keys=keys, workers=2))
    assert sum(b.num_rows for b in batches) == 400
    for bad in (0, -1, 1.5, True):
        try:
            pandc.decode_table(capture, columns=columns, keys=keys, workers=bad)
        except ValueError as error:
            assert "workers" in str(error)
        else:
            raise AssertionError(f"workers={bad!r} accepted")
