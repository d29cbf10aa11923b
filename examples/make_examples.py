"""Writes the example inputs in this folder with pandc's own message builder.

Run `python examples/make_examples.py` to regenerate; tests/test_examples.py checks that the
committed files are exactly what this script writes.
"""
from __future__ import annotations

import base64
from datetime import datetime, timezone
from pathlib import Path

from pandc.testing import build_message

HERE = Path(__file__).resolve().parent
READ_AT = datetime(2026, 11, 23, 6, 30, tzinfo=timezone.utc)
GSME = "00-DB-12-34-56-78-90-A3"       # the GPF answering for the gas meter
SUPPLIER = "90-B3-D5-1F-30-01-00-00"

LAST_COMPONENT = 0x01       # GBZ control field: no component follows this one


def zcl_attribute(attribute: int, data_type: int, value: int, size: int) -> bytes:
    """One Read Attributes Response record: id (LE), status 0, type, value (LE)."""
    return attribute.to_bytes(2, "little") + bytes([0x00, data_type]) + value.to_bytes(size, "little", signed=data_type == 0x2B)


def gbz(*components: tuple[int, bytes]) -> bytes:
    """A plain GBZ payload of ZCL Read Attributes Responses, one per (cluster, records)."""
    out = bytearray([0x01, 0x09, len(components)])
    for number, (cluster, records) in enumerate(components, start=1):
        zcl = bytes([0x08, 0x00, 0x01]) + records          # server to client, seq 0, read attrs rsp
        control = LAST_COMPONENT if number == len(components) else 0x00
        out += bytes([control]) + cluster.to_bytes(2, "big") + len(zcl).to_bytes(2, "big") + zcl
    return bytes(out)


METERING, PREPAYMENT = 0x0702, 0x0705
# GCS13a: CurrentSummationDelivered 12345 (uint48) x Multiplier 1 / Divisor 1000, in m3.
CONSUMPTION = gbz((METERING, zcl_attribute(0x0000, 0x25, 12345, 6) + zcl_attribute(0x0300, 0x30, 0x01, 1)
                   + zcl_attribute(0x0301, 0x22, 1, 3) + zcl_attribute(0x0302, 0x22, 1000, 3)))
# GCS60/GCS60a: BillToDateDelivered 3500000 and CreditRemaining 2500000.
BALANCE = gbz((METERING, zcl_attribute(0x0A00, 0x23, 3_500_000, 4)),
              (PREPAYMENT, zcl_attribute(0x0001, 0x2B, 2_500_000, 4)))


def secmp0015_responses() -> list[tuple[str, bytes]]:
    """SECMP0015 time-status cases on GCS13a and GCS60a, and GCS60, which has no date-time."""
    common = dict(originator=GSME, recipient=SUPPLIER)
    return [
        ("GCS13a, read time from the GSME, reliable (status 0x04)",
         build_message(message_code=0x0074, originator_counter=1000, date_time=READ_AT, time_status=0x04,
                       payload=CONSUMPTION, **common)),
        ("GCS60a, read time from the GPF, reliable (status 0x00)",
         build_message(message_code=0x012A, originator_counter=1001, date_time=READ_AT, time_status=0x00,
                       payload=BALANCE, **common)),
        ("GCS60a, from the GSME, unreliable (status 0x06)",
         build_message(message_code=0x012A, originator_counter=1002, date_time=READ_AT, time_status=0x06,
                       payload=BALANCE, **common)),
        ("GCS60a, from the GPF, invalid (status 0x01)",
         build_message(message_code=0x012A, originator_counter=1003, date_time=READ_AT, time_status=0x01,
                       payload=BALANCE, **common)),
        ("GCS60a, from the GSME, reliable",
         build_message(message_code=0x012A, originator_counter=1004, date_time=READ_AT, time_status=0x04,
                       payload=BALANCE, **common)),
        ("GCS60 (superseded by GCS60a): no date-time",
         build_message(message_code=0x008D, originator_counter=1005, payload=BALANCE, **common)),
    ]


def duis_response(message: bytes) -> str:
    payload = base64.b64encode(message).decode("ascii")
    return f"""<?xml version="1.0" encoding="UTF-8"?>
<sr:Response xmlns:sr="http://www.dccinterface.co.uk/ServiceUserGateway" schemaVersion="5.4">
  <sr:Header>
    <sr:RequestID>90-B3-D5-1F-30-01-00-00:00-DB-12-34-56-78-90-A3:1004</sr:RequestID>
    <sr:ResponseID>90-B3-D5-1F-30-01-00-00:00-DB-12-34-56-78-90-A3:1004</sr:ResponseID>
    <sr:ResponseCode>I0</sr:ResponseCode>
    <sr:ResponseDateTime>2026-11-23T06:30:05.000Z</sr:ResponseDateTime>
  </sr:Header>
  <sr:Body>
    <sr:ResponseMessage>
      <sr:ServiceReference>4.18</sr:ServiceReference>
      <sr:ServiceReferenceVariant>4.18</sr:ServiceReferenceVariant>
      <sr:GBCSPayload>{payload}</sr:GBCSPayload>
    </sr:ResponseMessage>
  </sr:Body>
</sr:Response>
"""


def write_examples(directory: Path = HERE) -> dict[str, str]:
    responses = secmp0015_responses()
    lines = ["# SECMP0015 gas responses built by pandc.testing (examples/make_examples.py)"]
    for title, message in responses:
        lines += [f"# {title}", message.hex().upper()]
    lines += ["# the GCS60a response again, as base64", base64.b64encode(responses[4][1]).decode()]
    files = {
        "secmp0015-responses.txt": "\n".join(lines) + "\n",
        "gcs60a-duis-response.xml": duis_response(responses[4][1]),
        "bad-messages.txt": "# inputs pandc reports as errors, and goes on past\n"
                            + responses[0][1].hex().upper()[:60] + "\n"      # truncated
                            + "DDXX\n"                                       # bad hex
                            + responses[1][1].hex().upper() + "\n",          # a good one after
    }
    for name, text in files.items():
        (directory / name).write_text(text, encoding="utf-8")
    return files


if __name__ == "__main__":
    for name in write_examples():
        print(HERE / name)
