"""pandc.dask and pandc.spark: the same rows as decode_table over the same input, on a local
two-worker Dask cluster and a local SparkSession (skipped only when the extra is absent)."""
from __future__ import annotations

import base64
import shutil

import pytest

pa = pytest.importorskip("pyarrow", reason="pyarrow is the [arrow] extra")

import pandc
from conftest import rtds_files

GARBAGE = ["DDXX", "", "# comment", "3q2+7w=="]


def write_captures(tmp_path, files=3, per_file=60):
    lines = [path.read_text().strip() for path in rtds_files()]
    paths = []
    for index in range(files):
        chunk = lines[index * per_file:(index + 1) * per_file]
        path = tmp_path / f"capture-{index}.hex"
        path.write_text("\n".join(chunk[:10] + GARBAGE + chunk[10:]) + ("\n" if index % 2 else ""))
        paths.append(path)
    return paths


@pytest.fixture(scope="module")
def cluster():
    pytest.importorskip("dask.dataframe", reason="the [dask] extra is not installed")
    distributed = pytest.importorskip("distributed", reason="the [dask] extra is not installed")
    with distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=True,
                                  dashboard_address=None) as local, distributed.Client(local) as client:
        yield client


def _table_rows(paths):
    return [row for path in paths for row in pandc.decode_table(path).to_pylist()]


def _dask_rows(frame):
    import pandas as pd
    computed = frame.compute()
    return pa.Table.from_pandas(computed, preserve_index=False).to_pylist()


def test_dask_partition_per_file(cluster, tmp_path):
    from pandc.dask import read_captures
    paths = write_captures(tmp_path)
    frame = read_captures(str(tmp_path / "capture-*.hex"))
    assert frame.npartitions == 3
    assert _dask_rows(frame) == _table_rows(paths)


def test_dask_byte_ranges_cut_at_line_boundaries(cluster, tmp_path):
    from pandc.dask import read_captures
    paths = write_captures(tmp_path, files=2, per_file=120)
    frame = read_captures([str(p) for p in paths], blocksize=5000)
    assert frame.npartitions > 4
    rows = _dask_rows(frame)
    assert rows == _table_rows(paths)
    assert [row["line"] for row in rows if row["source"].startswith(f"{paths[0]}:")][-1] == 124


@pytest.fixture(scope="module")
def spark():
    pyspark = pytest.importorskip("pyspark", reason="the [spark] extra is not installed")
    if shutil.which("java") is None:
        pytest.skip("Spark needs Java (17) on PATH")
    from pyspark.sql import SparkSession
    session = (SparkSession.builder.master("local[2]").appName("pandc-test")
               .config("spark.ui.enabled", "false").config("spark.sql.shuffle.partitions", "2")
               .getOrCreate())
    yield session
    session.stop()


def test_spark_rows_equal_decode_table(spark):
    from pandc.spark import DEFAULT_COLUMNS, NO_MESSAGE, decode_captures, to_spark_arrow
    lines = [path.read_text().strip() for path in rtds_files()][:80] + ["DDXX", "3q2+7w=="]
    messages = [bytes.fromhex(line) for line in lines[:80]]
    frame = spark.createDataFrame([(i, line) for i, line in enumerate(lines)] + [(999, "  ")],
                                  "id long, payload string").repartition(2)
    decoded = decode_captures(frame).orderBy("id").toArrow()
    expected = to_spark_arrow(pandc.decode_table("\n".join(lines).encode(), columns=list(DEFAULT_COLUMNS)))
    got = decoded.drop_columns(["id"]).to_pylist()
    assert got[:-1] == expected.to_pylist()
    assert got[-1]["error"] == NO_MESSAGE and got[-1]["frame"] is None

    binary = spark.createDataFrame([(i, m) for i, m in enumerate(messages)], "id long, payload binary")
    decoded_binary = decode_captures(binary).orderBy("id").toArrow().drop_columns(["id"])
    assert decoded_binary.to_pylist() == expected.to_pylist()[:80]
