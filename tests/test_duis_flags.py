"""MP077 DCC Service Flags: every combination of up to three smart meters over the nine DUIS
device statuses, with and without history, against an oracle written from the FACTS rules."""
from __future__ import annotations

import itertools

import pytest

from pandc import PandcError, parse_duis, service_flags
from pandc import testing_duis as t
from pandc.cli import main
from pandc.duis import InventoryDevice, flag_decisions
from pandc.duis.flags import FlagError

# DUIS V5.4 sr:DeviceStatus, written out here (not imported) so the test stands alone.
STATUSES = ("Pending", "Whitelisted", "InstalledNotCommissioned", "Commissioned",
            "Decommissioned", "Withdrawn", "Suspended", "Recovery", "Recovered")


def oracle(statuses: tuple[str, ...], had_flag: bool) -> str | None:
    """FACTS §1, in its words: A if a smart meter is Commissioned; else I if one is
    InstalledNotCommissioned; else N if the meter point had a flag before or has a
    Decommissioned smart meter; else NULL."""
    if "Commissioned" in statuses:
        return "A"
    if "InstalledNotCommissioned" in statuses:
        return "I"
    if had_flag or "Decommissioned" in statuses:
        return "N"
    return None


def cases():
    for count in range(0, 4):
        for statuses in itertools.product(STATUSES, repeat=count):
            yield statuses


def build(statuses, mpxn, serial):
    devices = []
    for index, status in enumerate(statuses):
        devices.append(InventoryDevice(t.eui(serial * 10 + index), "ESME" if index % 2 == 0
                                       else "GSME", status, import_mpxn=mpxn))
    # Devices that never count, whatever their status: a GPF and a PPMID Commissioned, a CHF
    # InstalledNotCommissioned, an IHD Decommissioned, on the same meter point.
    devices += [InventoryDevice(t.eui(serial * 10 + 5), "GPF", "Commissioned", import_mpxn=mpxn),
                InventoryDevice(t.eui(serial * 10 + 6), "PPMID", "Commissioned", import_mpxn=mpxn),
                InventoryDevice(t.eui(serial * 10 + 7), "CHF", "InstalledNotCommissioned",
                                import_mpxn=mpxn),
                InventoryDevice(t.eui(serial * 10 + 8), "IHD", "Decommissioned",
                                import_mpxn=mpxn)]
    return devices


@pytest.mark.parametrize("history", ["none", "flags", "inventories"])
def test_every_combination_of_up_to_three_smart_meters(history):
    devices, expected, previous_flags, previous_devices = [], {}, {}, []
    for serial, statuses in enumerate(cases()):
        # Half the meter points had a flag before, alternating, when there is history.
        had = history != "none" and serial % 2 == 1
        for copy, with_history in ((0, False), (1, had)):
            mpxn = f"{serial:07d}{copy}"
            # Inventories of at most 17 devices: split each meter point's devices apart.
            devices.append(build(statuses, mpxn, serial * 2 + copy))
            expected[mpxn] = oracle(statuses, with_history)
            if with_history:
                previous_flags[mpxn] = "A"
                previous_devices.append(InventoryDevice(t.eui(9_000_000 + serial), "GSME",
                                                        "Commissioned", import_mpxn=mpxn))
    assert len(expected) == 2 * sum(9 ** n for n in range(4))
    previous = {"none": None, "flags": previous_flags,
                "inventories": [previous_devices[i:i + 17]
                                for i in range(0, len(previous_devices), 17)]}[history]
    got = service_flags(devices, previous)
    assert got == expected
    assert {d.mpxn: d.flag for d in flag_decisions(devices, previous)} == expected
    assert not {"W", "S"} & set(got.values())


def test_history_from_retired_flags_counts_and_null_does_not():
    meter = InventoryDevice(t.eui(1), "ESME", "Suspended", import_mpxn="1000000000001")
    assert service_flags([meter]) == {"1000000000001": None}
    assert service_flags([meter], {"1000000000001": "W"}) == {"1000000000001": "N"}
    assert service_flags([meter], {"1000000000001": "NULL"}) == {"1000000000001": None}
    with pytest.raises(FlagError):
        service_flags([meter], {"1000000000001": "X"})


def test_every_associated_meter_point_gets_the_flag():
    meter = InventoryDevice(t.eui(1), "ESME", "Commissioned", import_mpxn="1000000000001",
                            secondary_import_mpan="1000000000002", export_mpan="1000000000003")
    assert service_flags([meter]) == dict.fromkeys(
        ["1000000000001", "1000000000002", "1000000000003"], "A")


@pytest.mark.parametrize("status", [None, "Installed", "commissioned", ""])
def test_an_unknown_status_is_an_error_not_a_guess(status):
    meter = InventoryDevice(t.eui(1), "GSME", status, import_mpxn="1000000000001")
    with pytest.raises(PandcError, match=t.eui(1)):
        service_flags([meter])
    with pytest.raises(PandcError):
        flag_decisions([meter])


def test_flags_from_parsed_inventories():
    first = parse_duis(t.inventory_response([
        {"device_id": t.eui(1), "device_type": "ESME", "device_status": "Commissioned",
         "import_mpxn": "1000000000001"},
        {"device_id": t.eui(2), "device_type": "GSME", "device_status": "Decommissioned",
         "import_mpxn": "2000000001"}]))
    second = parse_duis(t.inventory_response([
        {"device_id": t.eui(3), "device_type": "GPF", "device_status": "Commissioned",
         "import_mpxn": "3000000001"}]))
    assert service_flags([first, second]) == {"1000000000001": "A", "2000000001": "N",
                                              "3000000001": None}


def test_cli_flags_with_previous_and_registration(tmp_path, capsys):
    inventory = tmp_path / "inv.xml"
    inventory.write_bytes(t.inventory_response([
        {"device_id": t.eui(1), "device_type": "ESME", "device_status": "Commissioned",
         "import_mpxn": "1000000000001"},
        {"device_id": t.eui(2), "device_type": "GSME", "device_status": "Withdrawn",
         "import_mpxn": "2000000001"},
        {"device_id": t.eui(3), "device_type": "GSME", "device_status": "Pending",
         "import_mpxn": "2000000002"}]))
    previous = tmp_path / "prev.csv"
    previous.write_text("mpxn,flag\n2000000001,I\n")
    registration = tmp_path / "reg.csv"
    registration.write_text("1000000000001,A\n2000000001,S\n2000000002,\n9999,A\n")
    report = tmp_path / "disagreements.csv"
    status = main(["flags", str(inventory), "--previous", str(previous), "--registration",
                   str(registration), "--disagreements", str(report)])
    out = capsys.readouterr().out
    assert out.splitlines() == ["mpxn,flag", "1000000000001,A", "2000000001,N", "2000000002,NULL"]
    rows = report.read_text().splitlines()
    assert rows[0] == "mpxn,registered,computed,why"
    assert rows[1].startswith("2000000001,S,N,registered S is retired by MP077")
    assert rows[2].startswith("9999,A,NULL,meter point not in the inventories")
    assert len(rows) == 3
    assert status == 1


def test_cli_flags_goes_on_past_a_bad_file(tmp_path, capsys):
    good = tmp_path / "good.xml"
    good.write_bytes(t.inventory_response([
        {"device_id": t.eui(1), "device_type": "ESME", "device_status": "Commissioned",
         "import_mpxn": "1000000000001"}]))
    bad = tmp_path / "bad.xml"
    bad.write_bytes(b"<sr:Response xmlns:sr='" + t.SR.encode() + b"'>")
    assert main(["flags", str(bad), str(good)]) == 1
    captured = capsys.readouterr()
    assert captured.out.splitlines() == ["mpxn,flag", "1000000000001,A"]
    assert "bad.xml: error: " in captured.err and "malformed XML" in captured.err


def test_cli_previous_may_be_an_earlier_inventory(tmp_path, capsys):
    earlier = tmp_path / "earlier.xml"
    earlier.write_bytes(t.inventory_response([
        {"device_id": t.eui(2), "device_type": "GSME", "device_status": "Commissioned",
         "import_mpxn": "2000000001"}]))
    now = tmp_path / "now.xml"
    now.write_bytes(t.inventory_response([
        {"device_id": t.eui(2), "device_type": "GSME", "device_status": "Withdrawn",
         "import_mpxn": "2000000001"}]))
    assert main(["flags", str(now)]) == 0
    assert capsys.readouterr().out.splitlines()[1] == "2000000001,NULL"
    assert main(["flags", str(now), "--previous", str(earlier)]) == 0
    assert capsys.readouterr().out.splitlines()[1] == "2000000001,N"
