"""decode_table / iter_tables: the same values as the JSON Lines for the same input."""
from __future__ import annotations

import base64
import io
import json
import re
import struct
from datetime import datetime, timezone

import pytest

pa = pytest.importorskip("pyarrow", reason="pyarrow is the [arrow] extra")

import pandc
from pandc.api import iter_decode_items
from pandc.codec import _pycapture, capture
from pandc.codec.dates import format_date_time
from pandc.errors import DecodeError
from pandc.io import arrow
from pandc.io.jsonl import error_record, message_record
from pandc.io.sources import iter_sources
from conftest import KEYSTORE, require, rtds_files

GARBAGE = ["DDXX", "dd0", "ABC", "AB$C", "DF00", "E0" + "00" * 20, "DD" + "00" * 6, "# comment", "",
           "  ", "3q2+7w==", "\u00e9DD"]


def capture_file(tmp_path, extra=GARBAGE, count=None):
    lines = [path.read_text().strip() for path in rtds_files()][:count]
    path = tmp_path / "capture.txt"
    path.write_text("\n".join(lines[:5] + extra + lines[5:]) + "\n", encoding="utf-8")
    return path


def json_lines(path, keys=None):
    records = []
    for item, result in iter_decode_items(iter_sources([str(path)]), keys=keys):
        if isinstance(result, DecodeError):
            records.append(error_record(item.source, result))
        else:
            records.append(message_record(item.source, result))
    return records


def eui(value):
    return None if value is None else value.hex("-").upper()


def as_json_values(row):
    """A table row in the JSON Lines' text forms (see the table in pandc.io.arrow)."""
    converted = dict(row)
    for key in ("originator", "recipient", "supplementary_remote_party_id"):
        if key in converted:
            converted[key] = eui(converted[key])
    if converted.get("message_code") is not None:
        converted["message_code"] = f"0x{converted['message_code']:04X}"
    if converted.get("date_time") is not None:
        converted["date_time"] = format_date_time(converted["date_time"])
    for key in ("smets_data", "device_alert_content"):
        if converted.get(key) is not None:
            converted[key] = json.loads(converted[key])
    return converted


def assert_matches_json_lines(table, records):
    rows = table.to_pylist()
    assert len(rows) == len(records)
    for row, record in zip(rows, records):
        row = as_json_values(row)
        if "error" in record:
            assert (row["source"], row["error"], row["offset"]) == (
                record["source"], record["error"], record["offset"]), record
            continue
        assert row["error"] is None and row["offset"] is None, row
        for key, value in record.items():
            if key in row:
                assert row[key] == value, (record["source"], key)
        for key in ("smets_data", "device_alert_content"):
            if key in row:
                assert row[key] == record.get(key), (record["source"], key)


def test_header_table_equals_json_lines(tmp_path):
    path = capture_file(tmp_path)
    table = pandc.decode_table(path)
    assert table.schema.names == list(arrow.HEADER_COLUMNS)
    assert_matches_json_lines(table, json_lines(path))
    errors = table.filter(pa.compute.is_valid(table["error"]))
    assert errors.num_rows == 9      # every garbage line but the comment and blank ones


def test_twin_table_equals_c_table(tmp_path, monkeypatch):
    path = capture_file(tmp_path)
    c_table = pandc.decode_table(path)
    monkeypatch.setattr(capture, "_backend", _pycapture)
    assert pandc.decode_table(path).equals(c_table)


def test_pipeline_columns_equal_json_lines(tmp_path):
    path = capture_file(tmp_path)
    table = pandc.decode_table(path, columns=list(arrow.ALL_COLUMNS))
    assert_matches_json_lines(table, json_lines(path))
    assert table.filter(pa.compute.is_valid(table["smets_data"])).num_rows > 0


def test_keys_give_authenticated(tmp_path):
    from pandc.security import KeyStore
    keys = KeyStore.from_directory(require(KEYSTORE))
    path = capture_file(tmp_path, extra=["DDXX"], count=120)
    table = pandc.decode_table(path, keys=keys)
    assert "authenticated" in table.schema.names
    assert_matches_json_lines(table, json_lines(path, keys=keys))
    assert pa.compute.sum(table["authenticated"]).as_py() > 0


def test_iter_tables_batches_and_columns(tmp_path):
    path = capture_file(tmp_path)
    whole = pandc.decode_table(path, columns=["source", "message_code", "error"])
    batches = list(pandc.iter_tables(path, batch_size=100, columns=["source", "message_code", "error"]))
    assert all(isinstance(batch, pa.RecordBatch) for batch in batches)
    assert [batch.num_rows for batch in batches[:-1]] == [100] * (len(batches) - 1)
    assert pa.Table.from_batches(batches).to_pylist() == whole.to_pylist()


def test_records_and_base64_and_bytes_sources(tmp_path):
    messages = [bytes.fromhex(path.read_text().strip()) for path in rtds_files()][:50]
    hex_table = pandc.decode_table("\n".join(m.hex() for m in messages).encode(),
                                   columns=["line", "originator_counter", "date_time", "use_case"])
    b64 = pandc.decode_table(io.BytesIO(b"\n".join(base64.b64encode(m) for m in messages)),
                             columns=["line", "originator_counter", "date_time", "use_case"])
    records = b"".join(struct.pack(">I", len(m)) + m for m in messages)
    rec = pandc.decode_table(records, columns=["line", "originator_counter", "date_time", "use_case"])
    assert hex_table.equals(b64) and hex_table.equals(rec)
    cut = pandc.decode_table(records[:-3], columns=["line", "error", "error_code"])
    assert cut.num_rows == 50 and cut["error"][49].as_py().startswith("length-prefixed record")


def test_duis_xml_goes_through_the_pipeline(tmp_path):
    message = bytes.fromhex(rtds_files()[0].read_text().strip())
    document = (
        '<?xml version="1.0"?><sr:DCCAlertMessage xmlns:sr="http://www.dccinterface.co.uk/'
        'ServiceUserGateway"><sr:DCCAlert><sr:GBCSPayload>'
        + base64.b64encode(message).decode() + "</sr:GBCSPayload></sr:DCCAlert></sr:DCCAlertMessage>")
    path = tmp_path / "alert.xml"
    path.write_text(document)
    table = pandc.decode_table(path)
    assert table.num_rows == 1 and table["source"][0].as_py().startswith(str(path))
    assert_matches_json_lines(table, json_lines(path))


def test_time_status_columns_by_hand():
    # GCS13a-style response stamped by the GSME: 2015-01-01T00:00:00Z, status 0x04.
    from pandc.testing import build_message
    message = build_message(date_time=bytes.fromhex("07DF0101FF00000000800004"))
    table = pandc.decode_table(message.hex().encode())
    row = table.to_pylist()[0]
    assert row["date_time"] == datetime(2015, 1, 1, tzinfo=timezone.utc)
    assert (row["time_status"], row["clock_status"], row["is_from_gsme"]) == (4, "reliable", True)
    assert table.schema.field("date_time").type == pa.timestamp("us", tz="UTC")
    assert table.schema.field("originator").type == pa.binary(8)


def test_unknown_column_is_refused():
    with pytest.raises(ValueError, match="unknown column"):
        pandc.decode_table(b"", columns=["nope"])


def test_threads_decode_side_by_side(tmp_path):
    """The C reader releases the GIL and shares nothing but its read-only tables."""
    from concurrent.futures import ThreadPoolExecutor
    path = capture_file(tmp_path)
    expected = pandc.decode_table(path, batch_size=97).to_pylist()
    with ThreadPoolExecutor(4) as pool:
        results = list(pool.map(lambda _: pandc.decode_table(path, batch_size=97).to_pylist(), range(8)))
    assert all(result == expected for result in results)


def test_gbt_blocks_are_reassembled_as_the_json_lines_do(tmp_path):
    """A message in GBT blocks is one row at its last block's line; a transfer that never
    completes is an error row at the end (pandc.api's rule)."""
    from pandc.testing import build_message, split_into_blocks
    whole = build_message(payload=bytes(range(200)), originator_counter=7)
    blocks = split_into_blocks(whole, 60)
    broken = split_into_blocks(build_message(payload=bytes(90), originator_counter=8), 40)[:-1]
    lines = [path.read_text().strip() for path in rtds_files()][:6]
    text = [lines[0], blocks[1].hex(), lines[1], broken[0].hex(), blocks[0].hex(), lines[2],
            *(b.hex() for b in blocks[2:]), lines[3], base64.b64encode(broken[1]).decode(), lines[4]]
    path = tmp_path / "gbt.txt"
    path.write_text("\n".join(text) + "\n")
    for batch_size in (3, 1000):
        table = pandc.decode_table(path, columns=list(arrow.ALL_COLUMNS), batch_size=batch_size)
        assert_matches_json_lines(table, json_lines(path))
    rows = pandc.decode_table(path).to_pylist()
    reassembled = [row for row in rows if row["originator_counter"] == 7]
    assert len(reassembled) == 1 and reassembled[0]["line"] == 6 + len(blocks) - 2
    assert rows[-1]["error"] is not None and rows[-1]["originator_counter"] is None


def verified_json_lines(path, keys):
    records = []
    for item, result in iter_decode_items(iter_sources([str(path)]), keys=keys):
        if isinstance(result, DecodeError):
            records.append(error_record(item.source, result))
        else:
            records.append(message_record(item.source, result, verified=True))
    return records


def test_security_check_columns_on_request_equal_json_lines(tmp_path):
    from pandc.security import KeyStore
    keys = KeyStore.from_directory(require(KEYSTORE))
    path = capture_file(tmp_path, extra=["DDXX"])     # all of RTDS: some parts are encrypted
    wanted = ["source", "error", "offset", "authenticated", "authentication_reason", "mac_valid",
              "signature_valid", "decrypted_parts"]
    assert not set(wanted[5:]) & set(pandc.decode_table(path, keys=keys).schema.names)
    table = pandc.decode_table(path, columns=wanted, keys=keys)
    assert table.schema.names == wanted
    records = verified_json_lines(path, keys)
    assert_matches_json_lines(table, records)
    # every verified record carries the three keys, so each was compared above
    messages = [r for r in records if "error" not in r]
    assert messages and all("mac_valid" in r and "decrypted_parts" in r for r in messages)
    rows = table.to_pylist()
    assert any(row["mac_valid"] for row in rows) and any(row["signature_valid"] for row in rows)
    assert any(row["decrypted_parts"] for row in rows)
    # without keys nothing was checked: null, as the JSON Lines leave the keys out
    plain = pandc.decode_table(path, columns=wanted[5:])
    assert all(v is None for column in plain.columns for v in column.to_pylist())


def test_duis_columns_on_request_equal_json_lines(tmp_path):
    from pandc import testing_duis
    from pandc.testing import build_message
    message = build_message(cra="response", message_code=0x0074, payload=b"\x01\x09\x00")
    path = tmp_path / "response.xml"
    path.write_bytes(testing_duis.gbcs_payload_response(message))
    table = pandc.decode_table(path, columns=["source", "error", "offset", "request_id",
                                              "response_code"])
    records = json_lines(path)
    assert_matches_json_lines(table, records)
    row = table.to_pylist()[0]
    # independent of pandc's reader: the document's own RequestID and ResponseCode text
    document = path.read_text()
    assert row["request_id"] == re.search(r"<sr:RequestID>([^<]+)<", document).group(1)
    assert row["response_code"] == re.search(r"<sr:ResponseCode>([^<]+)<", document).group(1)
    # a hex capture line carries no DUIS fields
    line = tmp_path / "line.hex"
    line.write_text(message.hex() + "\n")
    assert pandc.decode_table(line, columns=["request_id", "response_code"]).to_pylist() == [
        {"request_id": None, "response_code": None}]


def test_verification_columns_alone_do_not_run_the_use_case_layer(tmp_path, monkeypatch):
    """Asking for verdicts and no value column stops the pipeline after the verification:
    the same verification columns as the JSON Lines (which decode everything), and the
    use-case layer never called in this process. With two workers the column set travels
    with each worker's share (the workers are not patched: that case checks the rows)."""
    from pandc import usecases
    from pandc.security import KeyStore
    keys = KeyStore.from_directory(require(KEYSTORE))
    path = capture_file(tmp_path, extra=["DDXX", "DD" + "00" * 6])
    wanted = ["source", "error", "offset", "authenticated", "authentication_reason", "mac_valid",
              "signature_valid", "decrypted_parts", "request_id", "response_code"]
    records = verified_json_lines(path, keys)

    def not_wanted(*args, **kwargs):
        raise AssertionError("the use-case layer ran for a table that wants no values")

    monkeypatch.setattr(usecases, "decode", not_wanted)
    for workers in (1, 2):
        table = pandc.decode_table(path, columns=wanted, keys=keys, workers=workers)
        assert table.schema.names == wanted
        assert_matches_json_lines(table, records)
    with pytest.raises(AssertionError, match="use-case layer ran"):
        pandc.decode_table(path, columns=["authenticated", "warnings"], keys=keys)


def test_value_columns_alone_are_their_json_lines_values(tmp_path):
    """smets_data asked for without the rest: the same JSON text as the whole pipeline's."""
    path = capture_file(tmp_path, extra=[])
    table = pandc.decode_table(path, columns=["source", "smets_data", "device_alert_content"])
    assert table.schema.names == ["source", "smets_data", "device_alert_content"]
    records = {r["source"]: r for r in json_lines(path)}
    rows = table.to_pylist()
    assert any(row["smets_data"] for row in rows) and any(row["device_alert_content"] for row in rows)
    for row in rows:
        record = records[row["source"]]
        for column in ("smets_data", "device_alert_content"):
            expected = record.get(column)
            assert (None if row[column] is None else json.loads(row[column])) == expected


def test_a_use_case_limit_is_an_error_row_only_when_values_are_asked_for(tmp_path):
    """A ZCL nesting bomb inside a GBZ component: the payload split reads only component
    headers, so only the use-case decoder meets the nesting. With a value column the row is
    the pipeline's LimitError; with verification columns alone the pipeline stops before the
    use case and the row is a message (as documented in pandc.io.arrow)."""
    from pandc.codec.limits import MAX_DEPTH
    from pandc.testing import build_message
    record = (0x0000).to_bytes(2, "little") + b"\x00" + b"\x48" + b"\x48\x01\x00" * MAX_DEPTH * 2 \
        + b"\x20\x01\x00\x07"                       # arrays of arrays, then one uint8
    frame = b"\x18\x00\x01" + record                # ZCL header: Read Attributes Response
    component = b"\x01\x09\x01" + b"\x01" + (0x0702).to_bytes(2, "big") \
        + len(frame).to_bytes(2, "big") + frame
    path = tmp_path / "bomb.hex"
    path.write_text(build_message(message_code=0x0074, payload=component).hex() + "\n")
    with_values = pandc.decode_table(path, columns=["error", "offset", "smets_data"]).to_pylist()
    assert with_values[0]["error"] == f"nesting deeper than {MAX_DEPTH} levels"
    assert with_values[0]["offset"] is not None and with_values[0]["smets_data"] is None
    verdicts = pandc.decode_table(path, columns=["error", "authenticated",
                                                 "authentication_reason"]).to_pylist()
    assert verdicts == [{"error": None, "authenticated": None, "authentication_reason": "no keys"}]
