"""pandc decode: JSON Lines contract, sources, continue-and-report, streaming."""
from __future__ import annotations

import base64
import json
import os
import shutil
import subprocess
import sys
import tracemalloc
from io import StringIO

from pandc import cli
from pandc.testing import build_message
from conftest import rtds_files

# The console command the package installs (beside this interpreter in a venv): CLI tests run
# what a user runs, not `python -m`.
PANDC = shutil.which("pandc", path=os.path.dirname(sys.executable)) or shutil.which("pandc")
assert PANDC, "the pandc console command is not installed"

KEYS = ["source", "frame", "cra", "originator_counter", "originator", "recipient", "message_code",
        "use_case", "service_reference_variant", "date_time", "time_status", "clock_status",
        "is_from_gsme", "supplementary_remote_party_id", "supplementary_remote_party_counter",
        "supplementary_originator_counter", "payload_length", "signed", "authenticated",
        "authentication_reason", "warnings"]


def run(argv, stdin: bytes | None = None):
    return subprocess.run([PANDC, "decode", *argv], input=stdin,
                          capture_output=True, timeout=120)


def records(output: bytes) -> list[dict]:
    return [json.loads(line) for line in output.decode().splitlines()]


def test_json_lines_contract(tmp_path):
    message = build_message(message_code=0x012A, payload=b"\x01\x09", originator_counter=9,
                            date_time=bytes.fromhex("07EA0B170100000000800004"))
    path = tmp_path / "one.hex"
    path.write_text(message.hex())
    done = run([str(path)])
    assert done.returncode == 0, done.stderr
    (record,) = records(done.stdout)
    assert list(record) == KEYS
    assert record["authenticated"] is None and record["authentication_reason"] == "no keys"
    assert record["source"] == f"{path}:1"
    assert record["message_code"] == "0x012A" and record["use_case"] == "GCS60a"
    assert record["date_time"] == "2026-11-23T00:00:00Z"
    assert (record["is_from_gsme"], record["clock_status"], record["time_status"]) == (True, "reliable", 4)
    assert record["payload_length"] == 2 and record["signed"] is False


def test_many_per_line_comments_stdin_and_errors():
    good = build_message(message_code=0x0074)
    text = ("# comment\n\n" + good.hex() + "\n" + "DD0000\n" + base64.b64encode(good).decode()
            + "\n  \nnot base64!\n").encode()
    done = run(["-"], stdin=text)
    assert done.returncode == 1
    out = records(done.stdout)
    assert [r["source"] for r in out] == ["<stdin>:3", "<stdin>:4", "<stdin>:5", "<stdin>:7"]
    assert out[1] == {"source": "<stdin>:4", "error": "field runs past the end of the message", "offset": 3}
    assert set(out[3]) == {"source", "error", "offset"}
    assert out[0]["use_case"] == out[2]["use_case"] == "GCS13a"


def test_binary_file_and_duis_file(tmp_path):
    good = build_message(message_code=0x0075, date_time=bytes.fromhex("07EA0B170100000000800002"))
    (tmp_path / "raw.bin").write_bytes(good)
    (tmp_path / "r.xml").write_text(
        '<?xml version="1.0"?>\n<sr:Response xmlns:sr="http://www.dccinterface.co.uk/ServiceUserGateway">\n'
        "<sr:Header><sr:RequestID>a:b:1</sr:RequestID><sr:ResponseCode>I0</sr:ResponseCode></sr:Header>\n"
        f"<sr:Body><sr:ResponseMessage><sr:ServiceReferenceVariant>4.3</sr:ServiceReferenceVariant>\n"
        f"<sr:GBCSPayload>{base64.b64encode(good).decode()}</sr:GBCSPayload></sr:ResponseMessage></sr:Body></sr:Response>\n")
    (tmp_path / "broken.xml").write_text("<sr:Response><oops></sr:Response>")
    done = run([str(tmp_path / "raw.bin"), str(tmp_path / "r.xml"), str(tmp_path / "broken.xml"),
                str(tmp_path / "missing.hex")])
    assert done.returncode == 1
    out = records(done.stdout)
    assert out[0]["use_case"] == out[1]["use_case"] == "GCS14"
    assert out[1]["source"] == f"{tmp_path / 'r.xml'}:5"  # the GBCSPayload's line
    assert out[1]["clock_status"] == "unreliable"
    assert "malformed DUIS XML" in out[2]["error"]
    assert "cannot read" in out[3]["error"]


def test_rtds_folder_decodes_cleanly():
    paths = [str(p) for p in rtds_files("4.18_*/*.HEX")]
    done = run(paths)
    assert done.returncode == 0, done.stdout[-500:]
    assert len(records(done.stdout)) == len(paths)


class LineCounter:
    """A stdout that keeps nothing, so memory measures the decoding alone."""

    def __init__(self):
        self.lines = 0

    def write(self, text: str) -> None:
        self.lines += text.count("\n")


def test_memory_does_not_grow_with_input(tmp_path):
    line = build_message(message_code=0x0074, payload=bytes(200)).hex() + "\n"

    def peak(count: int) -> int:
        path = tmp_path / f"{count}.txt"
        path.write_text(line * count)
        out = LineCounter()
        args = cli.build_parser().parse_args(["decode", str(path)])
        tracemalloc.start()
        cli.run_decode(args, out, StringIO())
        size = tracemalloc.get_traced_memory()[1]
        tracemalloc.stop()
        assert out.lines == count
        return size

    small, large = peak(2_000), peak(40_000)
    # 20x the input (about 9 MB more text) may not cost more than a small constant.
    assert large < small * 1.5 + 200_000


def test_format_xml_to_stdout_and_out_dir(tmp_path):
    from lxml import etree
    good = build_message(message_code=0x012A, date_time=bytes.fromhex("07EA0B170100000000800004"),
                         payload=b"\x01\x09\x00")
    single = tmp_path / "single.hex"
    single.write_text(good.hex())
    done = run(["--format", "xml", str(single)])
    assert done.returncode == 0, done.stderr
    root = etree.fromstring(done.stdout)
    stamp = root.find(".//{http://www.dccinterface.co.uk/ResponseAndAlert}Timestamp")
    assert stamp.get("isFromGSME") == "true" and stamp.get("ClockStatus") == "reliable"

    several = tmp_path / "several.txt"
    several.write_text(f"{good.hex()}\nDD00\n# note\n{good.hex()}\n")
    out_dir = tmp_path / "mmc"
    done = run(["--format", "xml", "--out-dir", str(out_dir), "--validate", str(several)])
    assert done.returncode == 1                     # line 2 fails, the others are written
    assert sorted(p.name for p in out_dir.iterdir()) == ["several.txt-1.xml", "several.txt-4.xml"]
    assert b"several.txt:2: error at byte offset 2" in done.stderr

    done = run(["--format", "xml", str(several)])
    assert done.returncode == 2 and b"--out-dir" in done.stderr


def test_validate_flag_reports_invalid_documents(tmp_path):
    # A GCS60a response without its mandatory date-time renders, but fails the SECMP0015 rule.
    bad = build_message(message_code=0x012A, payload=b"\x01\x09\x00")
    path = tmp_path / "gcs60a.hex"
    path.write_text(bad.hex())
    done = run(["--validate", str(path)])
    assert done.returncode == 1
    (record,) = records(done.stdout)
    assert record["mmc_valid"] is False
    assert b"invalid MMC" in done.stderr and b"Timestamp" in done.stderr


def test_commands_cannot_be_rendered_but_the_batch_goes_on(tmp_path):
    command = build_message(cra="command", message_code=0x0074)
    response = build_message(message_code=0x008D, payload=b"\x01\x09\x00")
    path = tmp_path / "mixed.txt"
    path.write_text(f"{command.hex()}\n{response.hex()}\n")
    done = run(["--format", "xml", "--out-dir", str(tmp_path / "out"), str(path)])
    assert done.returncode == 1
    assert b"mixed.txt:1: cannot render MMC" in done.stderr
    assert [p.name for p in (tmp_path / "out").iterdir()] == ["mixed.txt-2.xml"]


def test_keys_add_security_fields():
    from conftest import KEYSTORE, require
    keys = require(KEYSTORE)
    paths = [str(p) for p in rtds_files("4.1.1_GCS13a/*_RESPONSE_GBCS.HEX")]
    done = run(["--keys", str(keys), *paths])
    assert done.returncode == 0, done.stderr
    for record in records(done.stdout):
        assert record["mac_valid"] is True
        assert record["signature_valid"] in (True, None)
        assert record["decrypted_parts"] >= (1 if "SUCCESS" in record["source"] else 0)


def test_validate_command(tmp_path):
    from conftest import OFFICIAL_XSD
    good = build_message(message_code=0x008D, payload=b"\x01\x09\x00")
    valid = tmp_path / "valid.xml"
    assert run(["--format", "xml", "-"], stdin=good.hex().encode()).returncode == 0
    valid.write_bytes(run(["--format", "xml", "-"], stdin=good.hex().encode()).stdout)
    broken = tmp_path / "broken.xml"
    broken.write_text(valid.read_text().replace("<ra:OriginatorCounter>0<", "<ra:OriginatorCounter>x<"))

    def validate(*argv):
        return subprocess.run([PANDC, "validate", *argv],
                              capture_output=True, timeout=120)

    assert validate(str(valid)).returncode == 0
    done = validate(str(valid), str(broken))
    assert done.returncode == 1 and b"broken.xml" in done.stdout + done.stderr
    if OFFICIAL_XSD.is_dir():
        assert validate("--schema-dir", str(OFFICIAL_XSD), str(valid)).returncode == 0


def test_duis_responses_without_gbcs_are_json_lines_too(tmp_path):
    """A file of DUIS responses (acknowledgement, Read Inventory with a Restricted device,
    a GBCS payload) gives one JSON object each; the DSP-generated ones carry request_id,
    response_code, its meaning and the body's values."""
    from pandc import testing_duis
    good = build_message(message_code=0x012A, date_time=bytes.fromhex("07EA0B170100000000800004"))
    documents = [
        testing_duis.acknowledgement(),
        testing_duis.inventory_response([{"device_id": testing_duis.eui(7), "device_type": "ESME",
                                          "device_status": "Commissioned", "restricted": True}]),
        testing_duis.gbcs_payload_response(good, "4.18", "4.18"),
    ]
    body = b"".join(d.split(b"?>", 1)[1] for d in documents)
    path = tmp_path / "many.xml"
    path.write_bytes(b'<Responses xmlns:sr="http://www.dccinterface.co.uk/ServiceUserGateway">'
                     + body + b"</Responses>")
    done = run([str(path)])
    assert done.returncode == 0, done.stderr
    ack, inventory, message = records(done.stdout)
    assert ack["kind"] == "acknowledgement" and ack["response_code"] == "I99"
    assert ack["response_code_meaning"] and ack["request_id"].count(":") == 2
    assert inventory["kind"] == "inventory"
    assert "Restricted" in json.dumps(inventory["body"])
    assert message["use_case"] == "GCS60a" and message["response_code"] == "I0"
