"""SRV 8.2 Read Inventory (with MP169 Restricted) and SRV 12.1 WAN coverage (DP146 dates)."""
from __future__ import annotations

from datetime import date, datetime, timezone

import pytest

from conftest import OFFICIAL_XSD, require
from pandc import PandcError, parse_duis
from pandc import testing_duis as t
from pandc.duis import Inventory, WanMatrix, to_arrow
from pandc.mmc.validation import validate

DEVICES = [
    {"device_id": t.eui(1), "device_type": "ESME", "device_status": "Commissioned",
     "manufacturer": "ACME", "model": "E-2", "smets_chts_version": "SMETS2",
     "firmware_version": "0A0B0C0D", "firmware_version_status": "Active", "cpl_status": "Active",
     "date_commissioned": date(2030, 2, 28), "import_mpxn": "1200000000001",
     "secondary_import_mpan": "1200000000002", "export_mpan": "1200000000003",
     "esme_variant": "A", "uprn": 100023336956, "property_filter": ("M22 0RR", "1 Road"),
     "csp_region": "North", "device_gbcs_version": "4.3", "connectivity": "Cellular"},
    {"device_id": t.eui(2), "device_type": "GSME", "device_status": "InstalledNotCommissioned",
     "import_mpxn": "2000000001", "date_commissioned": date(2099, 12, 31)},
    {"device_id": t.eui(3), "device_type": "CHF", "manufacturer": "HubCo", "model": "H"},
]


def test_inventory_devices_are_typed_and_official_valid():
    document = t.inventory_response(DEVICES, response_date_time=datetime(2099, 1, 1,
                                                                         tzinfo=timezone.utc))
    require(OFFICIAL_XSD)
    assert validate(document, "duis", OFFICIAL_XSD).valid
    assert validate(document, "duis").valid
    response = parse_duis(document)
    assert response.kind == "inventory" and isinstance(response.body, Inventory)
    first, second, hub = response.body.devices
    assert first.device_type == "ESME" and first.device_status == "Commissioned"
    assert first.date_commissioned == date(2030, 2, 28)
    assert first.mpxns == ("1200000000001", "1200000000002", "1200000000003")
    assert first.firmware_version == "0A0B0C0D" and first.cpl_status == "Active"
    assert first.uprn == 100023336956 and first.postcode == "M22 0RR"
    assert first.restricted is False
    assert second.date_commissioned == date(2099, 12, 31)
    assert hub.device_status is None and hub.mpxns == ()


def test_restricted_flag_valid_against_the_profile_only():
    devices = [dict(DEVICES[0], restricted=True), dict(DEVICES[1], restricted=False)]
    document = t.inventory_response(devices)
    assert validate(document, "duis").valid
    require(OFFICIAL_XSD)
    assert not validate(document, "duis", OFFICIAL_XSD).valid      # MP169 is not in V5.4
    first, second = parse_duis(document).body.devices
    assert first.restricted is True and second.restricted is False


def test_inventory_as_arrow_table():
    pytest.importorskip("pyarrow")
    response = parse_duis(t.inventory_response([dict(DEVICES[0], restricted=True)] + DEVICES[1:]))
    table = to_arrow(response)
    assert table.num_rows == 3
    assert table.column("restricted").to_pylist() == [True, False, False]
    assert table.column("date_commissioned").to_pylist() == [date(2030, 2, 28),
                                                             date(2099, 12, 31), None]
    assert str(table.schema.field("uprn").type) == "int64"


def test_bad_inventory_names_the_element():
    document = t.inventory_response(DEVICES).replace(b"2030-02-28", b"2030-02-30")
    with pytest.raises(PandcError, match="sr:DateCommissioned"):
        parse_duis(document)
    document = t.inventory_response(DEVICES).replace(b"<sr:DeviceType>CHF</sr:DeviceType>", b"")
    with pytest.raises(PandcError, match="missing sr:DeviceType"):
        parse_duis(document)


REGIONS = [
    {"region": "North", "available": False, "date": date(2030, 7, 1), "technology": "4G",
     "likelihood": "Medium", "auxiliary": "mesh", "information": "planned"},
    {"region": "Central", "available": False, "date": date(2099, 12, 31)},
    {"region": "South", "code": "E120101"},
    {"region": "4G South", "available": True, "likelihood": "High"},
]


@pytest.mark.parametrize("sent", [datetime(2026, 1, 1, tzinfo=timezone.utc),
                                  datetime(2098, 1, 1, tzinfo=timezone.utc)])
def test_wan_matrix_dates_in_2030_and_2099(sent):
    document = t.wan_matrix_response(REGIONS, response_date_time=sent)
    require(OFFICIAL_XSD)
    assert validate(document, "duis", OFFICIAL_XSD).valid
    assert validate(document, "duis").valid          # the profile now has DSPWANMatrix
    response = parse_duis(document)
    assert response.kind == "wan_matrix" and isinstance(response.body, WanMatrix)
    north, central, south, south4g = response.body.regions
    assert north.anticipated_coverage_date == date(2030, 7, 1)
    assert north.coverage_available is False and north.technology == "4G"
    assert north.connectivity_likelihood == "Medium" and north.auxiliary_equipment == "mesh"
    assert central.anticipated_coverage_date == date(2099, 12, 31)
    assert south.response_code.code == "E120101" and south.coverage_available is None
    assert south4g.coverage_available is True and south4g.anticipated_coverage_date is None
    assert response.body.request.find("PartialAddress/PostCode").value == "M22 0RR"
    past = [w for w in response.warnings if "in the past" in w]
    # 2030-07-01 is in the past when the response is dated 2098; nothing is in 2026.
    assert len(past) == (1 if sent.year == 2098 else 0)


def test_wan_matrix_warnings_for_available_with_a_date_and_old_dates():
    regions = [{"region": "North", "available": True, "date": date(2031, 1, 1)},
               {"region": "Central", "available": False, "date": date(2020, 12, 31)}]
    document = t.wan_matrix_response(regions, uprn=100023336956,
                                     response_date_time=datetime(2019, 1, 1, tzinfo=timezone.utc))
    response = parse_duis(document)
    warnings = " | ".join(response.warnings)
    assert "North: CoverageAvailability is true but an AnticipatedCoverageDate" in warnings
    assert "Central: AnticipatedCoverageDate 2020-12-31 is before 1 January 2021" in warnings
    assert response.body.request.find("UPRN").value == 100023336956


def test_wan_matrix_coverage_group_is_all_or_nothing():
    document = t.wan_matrix_response([{"region": "North", "available": False}]).replace(
        b"<sr:ConnectivityLikelihood>High</sr:ConnectivityLikelihood>", b"")
    with pytest.raises(PandcError, match="missing sr:ConnectivityLikelihood"):
        parse_duis(document)
