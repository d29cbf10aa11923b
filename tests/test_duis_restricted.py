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
