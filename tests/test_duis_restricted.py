"""MP169 Restricted devices: the policy file, E72 responses valid against the bundled profile,
alert filtering that loses nothing, and the `pandc restricted` commands."""
from __future__ import annotations

import json
from datetime import datetime, timezone

import pytest
from lxml import etree

from pandc import PandcError, RestrictedPolicy, iter_duis, parse_duis
from pandc import testing_duis as t
from pandc.cli import main
from pandc.duis import InventoryDevice
from pandc.duis.restricted import PolicyError, check_request, filter_alerts
from pandc.mmc.validation import validate
from pandc.testing import build_message

from conftest import OFFICIAL_XSD, require

RESTRICTED = InventoryDevice(t.eui(1), "ESME", "Commissioned", import_mpxn="1000000000001",
                             restricted=True)
FREE = InventoryDevice(t.eui(2), "ESME", "Commissioned", import_mpxn="1000000000002")
NOW = datetime(2099, 1, 2, 3, 4, 5, tzinfo=timezone.utc)


def test_default_policy_has_firmware_and_critical_alerts():
    policy = RestrictedPolicy.default()
    assert {"11.1", "11.3"} <= policy.allowed_requests
    assert "4.1.1" not in policy.allowed_requests
    assert 0x1000 in policy.allowed_alert_message_codes          # Generic Critical Alert
    assert 0x1001 not in policy.allowed_alert_message_codes      # Generic Non Critical Alert
    assert policy.rejection_code == "E72"


def test_every_default_names_its_source():
    from importlib.resources import files
    text = (files("pandc") / "data" / "restricted-policy.toml").read_text()
    body = text[text.index("[requests]"):]
    for line in body.splitlines():
        stripped = line.strip()
        if stripped.startswith('"') or stripped.startswith("0x"):
            assert "# " in line and ("MP169" in line or "pandc" in line), line


@pytest.mark.parametrize("variant, reference", [("4.1.1", "4.1"), ("4.1.4", "4.1"),
                                                ("4.3", "4.3")])
def test_rejected_request_gets_a_valid_e72_response(variant, reference):
    request = t.request(reference, variant, device=RESTRICTED.device_id, counter=77)
    check = check_request(request, [RESTRICTED, FREE], now=NOW)
    assert not check.allowed and check.response is not None
    report = validate(check.response, "duis")
    assert report.valid, report.errors
    response = parse_duis(check.response)
    assert response.response_code.code == "E72"
    assert "Restricted" in response.response_code.meaning
    assert response.request_id == f"{t.USER}:{RESTRICTED.device_id}:77"
    assert (response.service_reference, response.service_reference_variant) == (reference, variant)
    assert response.response_date_time == NOW


@pytest.mark.parametrize("variant", ["8.2", "11.1", "4.1.1", "4.1.2", "4.1.3", "4.1.4", "4.2", "4.3",
                                     "11.2"])
def test_request_builder_output_is_official_valid(variant):
    require(OFFICIAL_XSD)
    reference = ".".join(variant.split(".")[:2])
    report = validate(t.request(reference, variant), "duis", OFFICIAL_XSD)
    assert report.valid, report.errors


def test_allowed_requests():
    policy = RestrictedPolicy.default()
    firmware = t.request("11.1", "11.1", device=RESTRICTED.device_id)
    assert policy.check_request(firmware, RESTRICTED).allowed
    read = t.request("4.1", "4.1.1", device=FREE.device_id)
    assert policy.check_request(read, {FREE.device_id: FREE}).allowed
    unknown = t.request("4.1", "4.1.1", device=t.eui(55))
    check = policy.check_request(unknown, [RESTRICTED])
    assert check.allowed and "not in the inventory" in check.reason


def test_policy_from_toml_and_bad_policies(tmp_path):
    path = tmp_path / "p.toml"
    path.write_text('[requests]\nallowed = ["4.1.1"]\nresponse_code = "E999"\n'
                    '[alerts]\nallowed_codes = [0x8F35]\ndeliver_dcc_alerts = false\n')
    policy = RestrictedPolicy.from_toml(path)
    assert policy.allowed_requests == {"4.1.1"} and policy.allowed_alert_codes == {0x8F35}
    assert policy.rejection_code == "E999" and not policy.deliver_dcc_alerts
    for text in ('[requests]\nallowed = "4.1"\n', "[alerts]\nallowed_codes = [70000]\n",
                 "[requests]\nallow = []\n", "[oops]\n", "not toml ["):
        path.write_text(text)
        with pytest.raises(PolicyError):
            RestrictedPolicy.from_toml(path)
    with pytest.raises(PandcError):
        RestrictedPolicy.from_toml(tmp_path / "missing.toml")


def _alert(device: str, message_code: int, alert_code: int, counter: int) -> bytes:
    payload = build_message(cra="alert", message_code=message_code, originator=device,
                            originator_counter=counter, payload=b"\x01\x09\x00")
    return t.device_alert_response(alert_code, payload, device=device)


def test_filter_alerts_loses_nothing():
    alerts = []
    for counter, (device, message_code, alert_code) in enumerate([
            (RESTRICTED.device_id, 0x1000, 0x8F01),   # critical: delivered
            (RESTRICTED.device_id, 0x1001, 0x8F02),   # non-critical: rejected
            (FREE.device_id, 0x1001, 0x8F02),         # not Restricted: delivered
            (RESTRICTED.device_id, 0x00CA, 0x8F66),   # firmware activation: delivered
            (RESTRICTED.device_id, 0x1001, 0x8F03),   # rejected
            (t.eui(77), 0x1001, 0x8F04)]):            # not in the inventory: delivered
        alerts.append(parse_duis(_alert(device, message_code, alert_code, counter)))
    alerts.append(parse_duis(t.dcc_alert_response("N1", hub=RESTRICTED.device_id)))
    alerts.append(parse_duis(t.acknowledgement()))   # not an alert: passes through
    decision = filter_alerts(alerts, [RESTRICTED, FREE])
    assert len(decision.delivered) + len(decision.rejected) == len(alerts)
    assert [a.body.code_hex for a in decision.delivered if a.kind == "device_alert"] == [
        "8F01", "8F02", "8F66", "8F04"]
    assert [r["alert_code"] for r in decision.rejected] == ["8F02", "8F03"]
    for record in decision.rejected:
        assert set(record) >= {"time", "device", "alert_code", "reason"}
        assert record["device"] == RESTRICTED.device_id and "Restricted" in record["reason"]
        assert record["message_code"] == "0x1001"
    # Each input alert is in exactly one of the two.
    rejected_ids = {r["response_id"] for r in decision.rejected}
    delivered_ids = {a.response_id for a in decision.delivered if a.response_id}
    assert not rejected_ids & {id(a) for a in decision.delivered}
    assert len(decision.delivered) == len({id(a) for a in decision.delivered})
    assert delivered_ids


def test_filter_allowed_codes_and_dcc_alerts_policy():
    policy = RestrictedPolicy.from_text("[alerts]\nallowed_codes = [0x8F02]\n"
                                        "deliver_dcc_alerts = false\n")
    alerts = [parse_duis(_alert(RESTRICTED.device_id, 0x1001, 0x8F02, 1)),
              parse_duis(t.dcc_alert_response("N1", hub=RESTRICTED.device_id))]
    decision = policy.filter_alerts(alerts, [RESTRICTED])
    assert [a.kind for a in decision.delivered] == ["device_alert"]
    assert [r["alert_code"] for r in decision.rejected] == ["N1"]


def test_unreadable_payload_is_classified_by_code_only():
    document = t.device_alert_response(0x8F09, b"\x00\x01", device=RESTRICTED.device_id)
    decision = filter_alerts([parse_duis(document)], [RESTRICTED])
    assert not decision.delivered
    assert "unreadable" in decision.rejected[0]["reason"]
    assert decision.rejected[0]["device"] == RESTRICTED.device_id


def test_cli_check_and_filter(tmp_path, capsys):
    inventory = tmp_path / "inv.xml"
    inventory.write_bytes(t.inventory_response([RESTRICTED, FREE]))
    assert validate(inventory.read_bytes(), "duis").valid
    request = tmp_path / "req.xml"
    request.write_bytes(t.request("4.1", "4.1.1", device=RESTRICTED.device_id))
    assert main(["restricted", "check", str(request), "--inventory", str(inventory)]) == 1
    captured = capsys.readouterr()
    assert validate(captured.out.strip().encode(), "duis").valid
    assert "rejected (E72)" in captured.err
    request.write_bytes(t.request("11.1", "11.1", device=RESTRICTED.device_id))
    assert main(["restricted", "check", str(request), "--inventory", str(inventory)]) == 0
    assert capsys.readouterr().out.startswith("allowed:")

    alerts = tmp_path / "alerts.xml"
    parts = [_alert(RESTRICTED.device_id, 0x1001, 0x8F02, 1),
             _alert(RESTRICTED.device_id, 0x1000, 0x8F01, 2),
             _alert(FREE.device_id, 0x1001, 0x8F02, 3)]
    alerts.write_bytes(b"<Alerts>" + b"".join(p.split(b"?>", 1)[1] for p in parts) + b"</Alerts>")
    log = tmp_path / "rejected.jsonl"
    assert main(["restricted", "filter", str(alerts), "--inventory", str(inventory),
                 "--rejected-log", str(log)]) == 0
    delivered = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    rejected = [json.loads(line) for line in log.read_text().splitlines()]
    assert len(delivered) + len(rejected) == len(list(iter_duis(alerts)))
    assert [r["alert_code"] for r in rejected] == ["8F02"]
    assert [d["body"]["DeviceAlertMessage"]["AlertCode"] for d in delivered] == ["8F01", "8F02"]


# --- The default allowed alert codes (MP169 Critical, Security and Safety alerts) ---------------
# Rows of GBCS's event and alert code table as read in the sources the policy file names
# ([A] Aclara SGM1400 manual, [B] Aclara SGM1430-B manual Rev A, [H] Honeywell AS302P manual):
# code -> (Critical column, Alert WAN column, Security Log column); None where the source shows
# no such column. Transcribed from the sources, not from the policy file.
SOURCE_ROWS: dict[int, tuple[str | None, str | None, bool]] = {
    0x8F0A: ("Critical", "Y", False), 0x8F0C: ("Critical", "Y", True),
    0x8F0F: ("Critical", "Y", False), 0x8F1B: ("Critical", "Y", True),
    0x8F1C: ("Critical", "Y", True), 0x8F1E: ("Critical", "Y", True),
    0x8F34: ("Critical", "Y", False), 0x8F35: ("Critical", "Y", False),
    0x8F36: ("Critical", "Y", False), 0x8F3D: ("Critical", "Y", False),
    0x8F3E: ("Critical", "Y", True), 0x8F3F: ("Critical", "Y", True),
    0x8F43: ("N/A", "N", True), 0x8F47: ("N/A", "N", True), 0x8F48: ("N/A", "N", True),
    0x8F49: ("N/A", "N", True), 0x8F4A: ("N/A", "N", True), 0x8F4B: ("N/A", "N", True),
    0x8F4C: ("N/A", "N", True),
    0x8F66: ("Critical", "Y", False), 0x8F67: ("Critical", "Y", False),
    0x8F69: ("Critical", "Y", False), 0x8F70: ("Critical", "N", True),
    0x8F72: ("Critical", "Y", True), 0x8F74: ("Critical", "Y", True),
    0x8F75: ("Critical", "Y", True), 0x8F76: ("Critical", "Y", True),
    0x8F78: ("Critical", "Y", True), 0x8F83: ("Critical", "Y", False),
    # [H] only: in the Security Log list, no Critical or Alert WAN column.
    0x8F12: (None, None, True), 0x8F4D: (None, None, True), 0x8F4E: (None, None, True),
    0x8F4F: (None, None, True), 0x8F51: (None, None, True), 0x8F52: (None, None, True),
    0x8F53: (None, None, True), 0x8F5B: (None, None, True), 0x8F60: (None, None, True),
    0x8F63: (None, None, True), 0x8F64: (None, None, True),
    # Non-Critical rows, none in the Security Log: never allowed by code.
    0x8168: ("Non-Critical", "N", False), 0x8183: ("Non-Critical", "Y", False),
    0x81A0: ("Non-Critical", "Y", False), 0x81A4: ("Non-Critical", "Y", False),
    0x81A5: ("Non-Critical", "Y", False), 0x81AA: ("Non-Critical", "Y", False),
    0x81C4: ("Non-Critical", "Y", False), 0x8010: ("Non-Critical", "Y", False),
    0x8085: ("Non-Critical", "Y", False), 0x8099: ("Non-Critical", "Y", False),
}


def _allowed_by_rule(row: tuple[str | None, str | None, bool]) -> bool:
    critical, wan, security = row
    if wan == "N":
        return False        # never reaches a User as an alert
    return critical == "Critical" or security


def test_default_allowed_codes_follow_the_rule_over_the_rows_read():
    policy = RestrictedPolicy.default()
    expected = {code for code, row in SOURCE_ROWS.items() if _allowed_by_rule(row)}
    assert policy.allowed_alert_codes == expected
    assert len(expected) == 32


def test_every_default_alert_code_is_in_the_alert_table_and_names_its_source():
    from importlib.resources import files
    from pandc.usecases.alerts import alert_codes
    table = alert_codes()
    policy = RestrictedPolicy.default()
    assert policy.allowed_alert_codes and policy.allowed_alert_codes <= set(table)
    text = (files("pandc") / "data" / "restricted-policy.toml").read_text()
    body = text[text.index("allowed_codes = ["):]
    body = body[:body.index("\n]") + 2]
    lines = [line for line in body.splitlines() if line.strip().startswith("0x")]
    assert len(lines) == len(policy.allowed_alert_codes)
    for line in lines:
        code = int(line.split(",")[0], 16)
        comment = line.split("#", 1)[1]
        assert any(key in comment for key in ("[A p", "[B p", "[H]")), line
        assert "Critical" in comment or "Security" in comment, line
        # The name in the comment is the alert table's name (or starts it).
        assert comment.strip().split(" - MP169")[0] in table[code].description, line


def _unreadable_alert(code: int, device: str) -> bytes:
    return t.device_alert_response(code, b"\x00\x01", device=device)


def test_filter_delivers_security_alert_and_rejects_non_critical_one_with_reason():
    alerts = [
        # Unauthorised Communication Access attempted: Critical and Security Log ([A p91], [H]).
        # Its payload is unreadable, so only the alert code can let it through.
        parse_duis(_unreadable_alert(0x8F3E, RESTRICTED.device_id)),
        # UTRN not Authentic: Security Log ([H]), sent with the Generic Non Critical message code.
        parse_duis(_alert(RESTRICTED.device_id, 0x1001, 0x8F63, 5)),
        # Close Tunnel Command Rejected: Non-Critical, not in the Security Log ([A p94]).
        parse_duis(_alert(RESTRICTED.device_id, 0x1001, 0x81A4, 6)),
        # The same from a device that is not Restricted: delivered.
        parse_duis(_alert(FREE.device_id, 0x1001, 0x81A4, 7)),
    ]
    decision = filter_alerts(alerts, [RESTRICTED, FREE])
    assert len(decision.delivered) + len(decision.rejected) == len(alerts)
    assert [(a.device_id, a.body.code_hex) for a in decision.delivered] == [
        (RESTRICTED.device_id, "8F3E"), (RESTRICTED.device_id, "8F63"),
        (FREE.device_id, "81A4")]
    [record] = decision.rejected
    assert record["alert_code"] == "81A4" and record["device"] == RESTRICTED.device_id
    assert record["message_code"] == "0x1001"
    assert "Restricted" in record["reason"] and "81A4" in record["reason"]
    assert "Critical, Security or Safety" in record["reason"]
