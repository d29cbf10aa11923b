"""DLMS/COSEM: the reader's limits, compact-array, the grammar-based ciphered-content finder,
the catalogue against GBCS/MMC, and every RTDS DLMS response rendered and validated.

Expected values are read from the bytes here (by hand or the small independent readers
below), never copied from pandc's output.
"""
from __future__ import annotations

import csv
import functools
import re
import struct
from datetime import time

import pytest

import pandc
from pandc.api import decode_with_context
from pandc.codec import dlms
from pandc.codec.limits import LimitError
from pandc.codec.parts import split_payload
from pandc.io.duis import DuisPayload
from pandc.testing import build_message
from pandc.usecases.catalogue import dlms as catalogue
from pandc.values import Node

from conftest import FACTS_CSV, KEYSTORE, OFFICIAL_XSD, RTDS, require

MMC_XSD = OFFICIAL_XSD / "MMC Schema V5.4.xsd"


# --- the reader's limits -------------------------------------------------------------------

@pytest.mark.parametrize("depth", [50, 500, 5_000, 50_000])
def test_deep_nesting_is_a_limit_error_with_offset(depth):
    nested = b"\x01\x01" * depth + b"\x00"           # array(1) of array(1) of ... null-data
    with pytest.raises(LimitError) as caught:
        dlms.decode_all(nested)
    # the default budget allows 32 levels: the 33rd array (at byte 64) is refused
    assert caught.value.offset == 2 * 32


@pytest.mark.parametrize("depth", [50, 50_000])
def test_deep_nesting_inside_an_access_response(depth):
    apdu = bytes.fromhex("DA20000001" "00" "00" "01") + b"\x02\x01" * depth + b"\x00" + b"\x01\x01\x00"
    with pytest.raises(LimitError):
        dlms.access_response(apdu)
    # the splitter never raises: it reports why the part was not read ...
    (part,) = split_payload(apdu, "response")
    assert part.error and "nesting" in part.error
    # ... and decoding the message is a LimitError (a PandcError), never RecursionError
    with pytest.raises(LimitError):
        pandc.decode(build_message(message_code=0x0069, payload=apdu))


def test_counts_past_the_bytes_are_refused_before_reading():
    # array of 10^6 elements announced, 3 bytes follow: truncated, refused before reading
    with pytest.raises(dlms.DlmsDecodeError) as caught:
        dlms.decode_all(b"\x01\x83\x0F\x42\x40" + b"\x00" * 3)
    assert caught.value.offset == 0


def test_element_budget_covers_the_whole_message():
    # 10^6 null-data elements really present (1 MB): past the per-message element budget
    data = b"\x01\x83\x0F\x42\x40" + b"\x00" * 1_000_000
    with pytest.raises(LimitError) as caught:
        dlms.decode_all(data)
    assert caught.value.offset == 0
    # the budget is per message: 60,000 small arrays of two elements each (240 kB, under the
    # size limit) hold 180,000 elements in all
    many = b"\x01\x82\xEA\x60" + b"\x01\x02\x00\x00" * 60_000
    with pytest.raises(LimitError) as caught:
        dlms.decode_all(many)
    assert "per-message limit" in caught.value.reason


def test_total_size_limit():
    with pytest.raises(LimitError):
        dlms.access_response(b"\xDA" + bytes(2 << 20))


def test_compact_array_bombs():
    # array(65535) of array(65535) of unsigned, with 4 bytes of contents
    bomb = b"\x13\x01\xFF\xFF\x01\xFF\xFF\x11" + b"\x04" + b"\x00" * 4
    with pytest.raises(pandc.DecodeError):
        dlms.decode_all(bomb)
    # array(65535) of null-data takes no bytes: fine when empty, refused when not
    assert dlms.decode_all(b"\x13\x01\xFF\xFF\x00\x00").value == ()
    with pytest.raises(pandc.DecodeError):
        dlms.decode_all(b"\x13\x01\xFF\xFF\x00\x01\x00")
    # deeply nested type descriptions
    with pytest.raises(LimitError):
        dlms.decode_all(b"\x13" + b"\x02\x01" * 50_000 + b"\x11\x01\x00")
    # 10^6 structure members described in 1,000 bytes
    with pytest.raises(dlms.DlmsDecodeError):
        dlms.decode_all(b"\x13\x02\x83\x0F\x42\x40" + b"\x11" * 1000)


# --- compact-array -------------------------------------------------------------------------

def test_compact_array_of_structures():
    # type: structure { double-long-unsigned, long }; contents: two instances (12 bytes)
    contents = struct.pack(">Ih", 7, -2) + struct.pack(">Ih", 0x01020304, 300)
    data = b"\x13\x02\x02\x06\x10" + bytes([len(contents)]) + contents
    value = dlms.decode_all(data)
    assert value.tag == dlms.ARRAY
    assert value.to_python() == [[7, -2], [0x01020304, 300]]
    assert value.items[1].items[0].offset == 6 + 6       # second instance starts 6 bytes in


def test_compact_array_with_strings_and_nested_array():
    # type: structure { octet-string, array(2) of unsigned }
    contents = b"\x02AB\x01\x02" + b"\x00\x09\x08"
    data = b"\x13\x02\x02\x09\x01\x00\x02\x11" + bytes([len(contents)]) + contents
    assert dlms.decode_all(data).to_python() == [[b"AB", [1, 2]], [b"", [9, 8]]]


def test_compact_array_contents_ending_inside_a_value():
    data = b"\x13\x06\x06" + b"\x00\x00\x00\x01\x00\x00"
    with pytest.raises(dlms.DlmsDecodeError) as caught:
        dlms.decode_all(data)
    assert caught.value.offset == 7


def test_rtds_voltage_profile_compact_array():
    """ECS23 (4.10): the sixth item is a compact-array of structure{dlu, dlu}; read here by
    slicing the bytes."""
    path = require(RTDS / "4.10_ECS23" / "ECS23_4.10_SUCCESS_RESPONSE_GBCS.HEX")
    payload = pandc.decode(bytes.fromhex(path.read_text())).payload
    at = payload.index(b"\x13\x02\x02\x06\x06\x82")
    length = int.from_bytes(payload[at + 6:at + 8], "big")
    raw = payload[at + 8:at + 8 + length]
    expected = [list(struct.unpack(">II", raw[i:i + 8])) for i in range(0, length, 8)]
    response = dlms.access_response(payload)
    assert response.data[4].to_python() == expected
    assert len(expected) == 49


# --- the ciphered-content finder reads the grammar ----------------------------------------

def _protected_lookalike() -> bytes:
    """Bytes shaped like protected attributes: structure(2){array(1){structure(2){enum,
    structure(5)}}, octet-string(17) starting 0x31}."""
    return (b"\x02\x02\x01\x01" b"\x02\x02\x16\x02" b"\x02\x05\x00\x00\x00\x00\x00"
            b"\x09\x11\x31" + bytes(16))


def test_finder_never_matches_inside_plain_data():
    lookalike = _protected_lookalike()
    # as it stands the look-alike is a real protected-attributes item ...
    assert dlms.protected_data(dlms.decode_all(lookalike)).ciphered
    # ... but here it is the content of a plain octet-string: the byte search for 02 02 01
    # (the old splitter) found it and called the payload ciphered; the grammar does not.
    data = b"\x09" + bytes([len(lookalike)]) + lookalike
    apdu = bytes.fromhex("DA20000001" "00" "00" "01") + data + b"\x01\x01\x00"
    assert b"\x02\x02\x01" in apdu
    (part,) = split_payload(apdu, "response")
    assert not part.encrypted and part.cipher_spans == () and part.plaintext == apdu
    assert part.error is None


def test_finder_locates_a_real_protected_item():
    apdu = bytes.fromhex("DA20000001" "00" "00" "02" "1105") + _protected_lookalike() \
        + b"\x02\x01\x00\x03\x00"
    (part,) = split_payload(apdu, "response")
    assert part.encrypted
    element = 5 + 1 + 1 + 1 + 2 + 15        # header, date-time, flag, count, 11 05, 15-byte head
    assert part.cipher_spans == ((element, element + 2, element + 2 + 17),)


def test_finder_on_rtds_ecs17b():
    path = require(RTDS / "4.1.1_ECS17b" / "ECS17b_4.1.1_SINGLE_SUCCESS_RESPONSE_GBCS.HEX")
    payload = pandc.decode(bytes.fromhex(path.read_text())).payload
    # by hand: the protected octet-string is the last data item, followed by the results
    # list 01 03 00 (one action, success); its length octet is 0x2B
    assert payload[-3:] == b"\x01\x03\x00"
    cipher_end = len(payload) - 3
    cipher_start = cipher_end - 0x2B
    assert payload[cipher_start - 2:cipher_start] == b"\x09\x2B"
    (part,) = split_payload(payload, "response")
    assert part.cipher_spans == ((cipher_start - 2, cipher_start, cipher_end),)


def test_malformed_access_response_is_reported_not_raised():
    (part,) = split_payload(bytes.fromhex("DA20000001" "00" "00" "01" "63" "0100"), "response")
    assert part.error and "0x63" in part.error and not part.encrypted


# --- the catalogue against the specifications -------------------------------------------

def _xsd_response_types() -> dict[str, str]:
    """SRV -> MMC type, from the ``<!-- SR x.y -->`` comment inside each ...Rsp complexType
    of the official schema."""
    text = require(MMC_XSD).read_text()
    found = {}
    for name, body in re.findall(r'<xs:complexType name="(\w+Rsp)">(.*?)\n    </xs:complexType>',
                                 text, re.S):
        for srv in re.findall(r"SR\s*([0-9]+(?:\.[0-9]+)*)", body):
            found[srv] = name
    return found


def test_catalogue_types_agree_with_the_official_schema():
    from_xsd = _xsd_response_types()
    text = MMC_XSD.read_text()
    # MMC V5.4 comments "SR 2.10" on UpdatePrepayConfigurationRsp; the SRV is 2.1.
    from_xsd["2.1"] = from_xsd.pop("2.10")
    for row in catalogue.USE_CASES:
        for srv, mmc_type in row.responses:
            assert re.search(rf'<xs:element\s+name="{mmc_type}"', text), (row.use_case, mmc_type)
            if srv in from_xsd:
                assert from_xsd[srv] == mmc_type, (row.use_case, srv)
            else:   # types without an SR comment: the name is the DUIS request's plus Rsp
                assert srv in {"4.1.4", "4.8.1", "6.2.8", "6.2.9"}, (row.use_case, srv)


def test_catalogue_agrees_with_the_message_code_table():
    table = {}
    with require(FACTS_CSV).open() as handle:
        for line in csv.DictReader(handle):
            table[int(line["message_code"], 16)] = line
    codes = [row.message_code for row in catalogue.USE_CASES]
    assert len(codes) == len(set(codes))
    for row in catalogue.USE_CASES:
        entry = table[row.message_code]
        assert entry["use_case"] == row.use_case
        srvs = {s for s in entry["srv"].split(";") if s}
        assert {srv for srv, _ in row.responses} <= srvs, row.use_case


def _flat(placements):
    stack = list(placements)
    while stack:
        placement = stack.pop()
        if isinstance(placement, catalogue.Group):
            stack.extend(placement.members)
        else:
            yield placement


def test_value_rows_are_consistent():
    for row in catalogue.USE_CASES:
        assert (row.shape == catalogue.VALUES) == bool(row.values or row.handler), row.use_case
        placed = [p for p in _flat(row.values) if not isinstance(p, catalogue.Fixed)]
        # one value may be read under two rules (ECS24's charge table: TOU and block prices)
        positions = [(p.position, getattr(p, "path", ()), getattr(p, "selector", None),
                      getattr(p, "rule", None)) for p in placed]
        assert len(positions) == len(set(positions)), row.use_case
        for value in placed:
            assert isinstance(value, (catalogue.Value, catalogue.Rows))
            assert re.fullmatch(r"\d+-\d+:\d+\.\d+\.\d+\.\d+", value.obis), value


def test_coverage_rows():
    rows = catalogue.coverage_rows()
    assert all(len(r) == 5 and r[3] == "DLMS" for r in rows)
    assert all(r[4].startswith(("values", "acknowledgement", "partial: ", "no MMC type: "))
               for r in rows)
    assert ("ECS46d", "6.14.3", "", "DLMS",
            "no MMC type: MMC V5.4 defines no response type for SRV 6.14.3") in rows
    assert ("ECS70", "8.1.1", "CommissionDeviceSynchroniseClockRsp", "DLMS",
            "acknowledgement") in rows
    assert ("ECS70", "6.11", "SynchroniseClockRsp", "DLMS", "values") in rows
    assert any(r[0] == "ECS24b" and r[4].startswith("partial: ") for r in rows)
    assert not any(r[0] in ("ECS26d", "ECS26l") and r[4].startswith("partial") for r in rows)
    # the shared table takes the rows as they are
    from pandc.usecases.catalogue import coverage_rows
    assert set(rows) <= set(coverage_rows())


# --- values computed by hand ---------------------------------------------------------------

def _response(code: int, data: bytes, results: bytes, srv: str | None = None):
    apdu = bytes.fromhex("DA20000001" "00" "00") + data + results
    blob = build_message(message_code=code, payload=apdu).hex()
    if srv is None:
        return pandc.decode(blob)
    return decode_with_context([(blob, DuisPayload("", 0, None, None, None, srv))])[0]


def _leaves(root: Node) -> dict[str, str]:
    out = {}
    stack = [(root, root.name)]
    while stack:
        current, path = stack.pop()
        if current.value is not None:
            out[path] = pandc.values.text(current.value)
        for child in current.children:
            stack.append((child, path + "/" + child.name))
    return out


def test_register_set_values_and_scaler():
    # ECS17b: structure{ dlu 7, scaler_unit(3, Wh), dlu 12340, scaler_unit(-1, varh) }
    data = bytes.fromhex("01" "0204" "0600000007" "02020F03161E" "0600003034" "02020FFF1620")
    message = _response(0x0027, data, b"\x01\x03\x00")
    root = "ReadInstantaneousImportRegistersRsp/Electricity"
    assert _leaves(message.values) == {
        root + "/ActiveImportRegister/Value": str(7 * 10 ** 3),
        root + "/ActiveImportRegister/ActiveEnergyUnit": "Wh",
        root + "/ReactiveImportRegister/Value": str(0x3034 // 10),
        root + "/ReactiveImportRegister/ReactiveEnergyUnit": "varh"}
    # 12345 x 10^-1 is not a whole number: MMC's integer cannot hold it, nothing is invented
    data = bytes.fromhex("01" "0202" "0600003039" "02020FFF161E")
    message = _response(0x0027, data, b"\x01\x03\x00")
    assert message.values is None and any("whole number" in w for w in message.warnings)


def test_prepay_registers_in_mmc_order():
    # ESME order (GBCS ECS19 prepayment_balance_collection): meter balance, emergency credit,
    # accumulated debt, time debt 1, time debt 2, payment debt
    values = [100, -5, 7, 9, 10, 8]
    data = b"\x01\x02\x06" + b"".join(b"\x05" + struct.pack(">i", v) for v in values)
    message = _response(0x002D, data, b"\x01\x03\x00")
    children = [(c.name, c.value) for c in message.values.children]
    assert children == [("EmergencyCreditBalance", -5), ("AccumulatedDebtRegister", 7),
                        ("PaymentDebtRegister", 8), ("TimeDebtRegister1", 9),
                        ("TimeDebtRegister2", 10), ("MeterBalance", 100)]


def test_value_rows_with_partial_failure():
    # ECS26e: device id, meter variant, model, manufacturer, tamper; the 3rd Get failed
    data = (b"\x05" b"\x09\x08" + bytes.fromhex("00DB1234567890A0") + b"\x09\x01B" + b"\x00"
            + b"\x09\x03CSW" + b"\x03\x01")
    results = b"\x05" + b"\x01\x00\x01\x00\x01\x0B\x01\x00\x01\x00"
    message = _response(0x003F, data, results)
    leaves = _leaves(message.values)
    root = "ReadDeviceConfigurationIdentityExcMPxNRsp"
    assert message.values.attribute("MessageSuccess") is False
    assert leaves == {root + "/DeviceIdentifier": "00-DB-12-34-56-78-90-A0",
                      root + "/ManufacturerIdentifier": "CSW",
                      root + "/Electricity/SupplyTamperState": "Locked",
                      root + "/Electricity/MeterVariant": "B"}
    (failure,) = message.failures
    assert (failure.kind, failure.position, failure.code, failure.name) == (
        "get", 3, 11, "object-unavailable")


def test_twin_mpans_split_and_wrong_type_is_a_warning():
    data = b"\x02" + b"\x09\x1A" + b"1000000000001" + b"2000000000002" + b"\x11\x05"
    message = _response(0x004E, data, b"\x02\x01\x00\x01\x00")
    leaves = _leaves(message.values)
    root = "ReadDeviceConfigurationMPxNRsp/Electricity"
    assert leaves == {root + "/ImportMPAN": "1000000000001",
                      root + "/SecondaryImportMPAN": "2000000000002"}
    assert any("ExportMPAN left out" in w for w in message.warnings)
    # three MPANs where MMC has two places: refused with a warning, none dropped silently
    data = b"\x01" + b"\x09\x27" + b"1000000000001" * 3
    message = _response(0x004E, data, b"\x01\x01\x00")
    assert "ImportMPAN" not in str(_leaves(message.values))
    assert any("1 to 2 13-digit MPANs" in w for w in message.warnings)


def test_set_and_action_results_become_failures():
    # ECS02 (1.6): three Sets; the second is read-write-denied (3)
    message = _response(0x001A, b"\x03\x00\x00\x00", b"\x03\x02\x00\x02\x03\x02\x00")
    assert message.values.name == "UpdatePaymentModeRsp"
    assert message.values.attribute("MessageSuccess") is False
    assert [(f.kind, f.position, f.name) for f in message.failures] == [
        ("set", 2, "read-write-denied")]
    xml = pandc.to_mmc(message)
    assert b'ResponseCode="3" Position="2"' in xml
    ok = _response(0x001A, b"\x03\x00\x00\x00", b"\x03\x02\x00\x02\x00\x02\x00")
    assert ok.values.attribute("MessageSuccess") is True and not ok.failures


def test_ambiguous_code_needs_the_srv():
    # ECS47 serves 7.5, 7.6 and 7.8: each has its own MMC type
    message = _response(0x0055, b"\x01\x00", b"\x01\x03\x00")
    assert message.values is None and any("SRV" in w for w in message.warnings)
    message = _response(0x0055, b"\x01\x00", b"\x01\x03\x00", srv="7.8")
    assert message.values.name == "ResetAuxiliaryLoadRsp"


def test_unmapped_read_keeps_gbcsdata_with_a_warning(monkeypatch):
    # every read is mapped now: a row marked UNMAPPED stands for the next use case added
    import dataclasses
    code = 0x003A
    monkeypatch.setitem(catalogue.BY_CODE, code, dataclasses.replace(
        catalogue.BY_CODE[code], shape=catalogue.UNMAPPED, values=()))
    message = _response(code, bytes.fromhex("010600000093"), b"\x01\x01\x00")
    assert message.values is None
    assert any("does not map" in w for w in message.warnings)


# --- every RTDS DLMS response --------------------------------------------------------------

@functools.lru_cache(maxsize=1)
def _rtds_dlms_responses():
    return tuple(_read_rtds_dlms_responses())


def _read_rtds_dlms_responses():
    keys = pandc.KeyStore.from_directory(require(KEYSTORE))
    for path in sorted(require(RTDS).glob("*/*_RESPONSE_*.HEX")):
        srv = path.parent.name.split("_")[0]     # the SRV the DUIS request named
        message = decode_with_context(
            [(path.read_text().strip(), DuisPayload("", 0, None, None, None, srv))], keys=keys)[0]
        if isinstance(message, pandc.DecodeError) or message.payload[:1] != b"\xDA":
            continue
        yield path, srv, message


def test_every_rtds_dlms_response_with_an_mmc_type():
    require(MMC_XSD)
    from_xsd = _xsd_response_types()
    from_xsd["2.1"] = from_xsd.pop("2.10")
    with_type = with_smets = 0
    unmapped = []
    for path, srv, message in _rtds_dlms_responses():
        row = catalogue.BY_CODE[message.message_code]
        mmc_type = row.response_type(srv)
        if srv in from_xsd:
            assert mmc_type == from_xsd[srv], path.name
        if mmc_type is None:
            assert srv == "6.14.3", path.name       # the one RTDS SRV without an MMC type
            continue
        with_type += 1
        if message.values is None:
            # only successful reads whose values the catalogue does not map yet, and it says so
            assert row.shape == catalogue.UNMAPPED and not message.failures, path.name
            assert any("does not map" in w for w in message.warnings), path.name
            unmapped.append(path.name)
            continue
        with_smets += 1
        assert message.values.name == mmc_type
        assert message.values.attribute("MessageSuccess") is (not message.failures)
        report = pandc.mmc.validate(pandc.to_mmc(message), "mmc", schema_dir=OFFICIAL_XSD)
        assert report.valid, (path.name, report.errors[:2])
    assert with_type >= 184
    # every RTDS DLMS response whose SRV has an MMC type gets SMETSData (184 of 184): the
    # catalogue's remaining UNMAPPED reads have only error responses in RTDS
    assert unmapped == [] and with_smets == with_type


def test_error_responses_of_rtds_all_get_smetsdata():
    for path, srv, message in _rtds_dlms_responses():
        if "ERROR" in path.name and catalogue.BY_CODE[message.message_code].response_type(srv):
            assert message.values is not None, path.name
            assert message.failures, path.name


def test_rtds_values_read_by_hand():
    by_name = {path.name: message for path, _, message in _rtds_dlms_responses()}
    # ECS82: payload ... 01 05 00 03 D0 90 01 01 00 -> double-long 0x0003D090
    message = by_name["ECS82_4.18_SUCCESS_RESPONSE_GBCS.HEX"]
    assert message.payload[8:13] == b"\x05\x00\x03\xD0\x90"
    assert _leaves(message.values) == {"ReadMeterBalanceRsp/MeterBalance": str(0x0003D090)}
    # ECS52: octet-string(4) 01 23 AB CD
    message = by_name["ECS52_11.2_SUCCESS_RESPONSE_GBCS.HEX"]
    assert message.payload[8:14] == bytes.fromhex("090401 23ABCD".replace(" ", ""))
    assert _leaves(message.values) == {"ReadFirmwareVersionRsp/FirmwareVersion": "0123ABCD"}
    # ECS26j: structure(2){enum 2 (prepayment), enum 2}
    message = by_name["ECS26j_6.2.9_SUCCESS_RESPONSE_GBCS.HEX"]
    assert message.payload[8:14] == bytes.fromhex("020216021602")
    assert _leaves(message.values) == {"ReadDeviceConfigurationPaymentModeRsp/PaymentMode":
                                       "Prepayment"}
    # ECS40 twin: the first octet-string holds two 13-digit MPANs
    message = by_name["ECS40_6.2.7_TWIN_SUCCESS_RESPONSE_GBCS.HEX"]
    first = message.payload.index(b"\x09\x1A") + 2
    mpans = message.payload[first:first + 26].decode()
    leaves = _leaves(message.values)
    assert leaves["ReadDeviceConfigurationMPxNRsp/Electricity/ImportMPAN"] == mpans[:13]
    assert leaves["ReadDeviceConfigurationMPxNRsp/Electricity/SecondaryImportMPAN"] == mpans[13:]


# --- row templates (profiles and logs) -----------------------------------------------------

def test_profile_rows_by_hand():
    # ECS22a export profile: array(2) of structure{ UTC seconds, active, reactive }
    seconds = 24 * 3600 * 366 + 1800          # 2001-01-01T00:30:00Z (2000 is a leap year)
    data = (b"\x01\x01\x02" + b"\x02\x03\x06" + struct.pack(">I", seconds)
            + b"\x06\x00\x00\x00\x05" + b"\x06\x00\x00\x00\x06"
            + b"\x02\x03\x06" + struct.pack(">I", seconds + 1800)
            + b"\x06\x00\x00\x00\x07" + b"\x00")
    message = _response(0x0036, data, b"\x01\x01\x00")
    entries = [{c.name: pandc.values.text(c.value) for c in e.children}
               for e in message.values.children]
    assert entries == [
        {"ActiveEnergyExportedValue": "5", "ReactiveEnergyExportedValue": "6",
         "Timestamp": "2001-01-01T00:30:00Z"},
        {"ActiveEnergyExportedValue": "7", "Timestamp": "2001-01-01T01:00:00Z"}]
    report = pandc.mmc.validate(pandc.to_mmc(message), "mmc", schema_dir=require(OFFICIAL_XSD))
    assert report.valid, report.errors


def test_profile_entry_of_the_wrong_shape_is_refused():
    data = b"\x01\x01\x01" + b"\x06\x00\x00\x00\x01"
    message = _response(0x0038, data, b"\x01\x01\x00")
    assert message.values is None
    assert any("must be a structure" in w and "offset" in w for w in message.warnings)


def test_rtds_event_log_by_hand():
    by_name = {path.name: message for path, _, message in _rtds_dlms_responses()}
    message = by_name["ECS35b_6.13_SUCCESS_RESPONSE_GBCS.HEX"]
    payload = message.payload
    # list-of-data(1): compact-array of structure{double-long-unsigned, long-unsigned},
    # contents length 81 C6: 198 bytes, 6 per entry
    assert payload[7:15] == bytes.fromhex("0113020206128 1C6".replace(" ", ""))
    count = 0xC6 // 6
    seconds, code = int.from_bytes(payload[15:19], "big"), payload[19:21]
    entries = message.values.children[0].children
    assert len(entries) == count
    timestamp = entries[0].children[0].value
    assert (timestamp - timestamp.replace(year=2000, month=1, day=1, hour=0, minute=0,
                                          second=0)).total_seconds() == seconds
    assert entries[0].children[1].value == code


def test_scaled_value_and_unit_by_hand():
    # ECS17c: structure { double-long 1234, scaler_unit(+2, W), double-long 56 }
    data = bytes.fromhex("01" "0203" "05000004D2" "02020F02161B" "0500000038")
    message = _response(0x0028, data, b"\x01\x01\x00")
    assert _leaves(message.values) == {
        "ReadActivePowerImportRsp/ActivePowerImport/Value": str(1234 * 100),
        "ReadActivePowerImportRsp/ActivePowerImport/Unit": "W",
        "ReadActivePowerImportRsp/PrimaryActivePowerImportValue": str(56 * 100)}
    # a unit MMC has no name for: the unit is left out with a warning, the values stay
    data = bytes.fromhex("01" "0203" "05000004D2" "02020F00161C" "0500000038")
    message = _response(0x0028, data, b"\x01\x01\x00")
    assert "ReadActivePowerImportRsp/ActivePowerImport/Unit" not in _leaves(message.values)
    assert any("no MMC name" in w for w in message.warnings)


def test_clock_values_by_hand():
    # ECS70 6.11: set, action, action, then Get time (date-time 2021-03-04 05:06:07, deviation
    # not specified = UTC) and Get status 0x02 (doubtful -> unreliable)
    octets = bytes.fromhex("07E5030404050607008000") + b"\x02"
    data = b"\x05\x00\x00\x00" + b"\x09\x0C" + octets + b"\x11\x02"
    message = _response(0x0062, data, bytes.fromhex("05" "0200" "0300" "0300" "0100" "0100"),
                        srv="6.11")
    xml = pandc.to_mmc(message)
    assert b"<ra:DeviceTime>2021-03-04T05:06:07Z</ra:DeviceTime>" in xml
    assert b'<ra:ElecClockTimeStatus TimeStatusCode="2">' in xml
    assert b"<ra:TimeStatus>unreliable</ra:TimeStatus>" in xml
    assert pandc.mmc.validate(xml, "mmc", schema_dir=require(OFFICIAL_XSD)).valid
    commissioning = _response(0x0062, data, bytes.fromhex("05" "0200" "0300" "0300" "0100" "0100"),
                              srv="8.1.1")
    assert commissioning.values.name == "CommissionDeviceSynchroniseClockRsp"
    assert commissioning.values.children == ()


def test_a_payload_that_is_not_dlms_is_a_warning_not_silence():
    message = pandc.decode(build_message(message_code=0x0021, payload=b"\x01\x09\x00"))
    assert message.values is None
    assert any("expected a DLMS Access-Response" in w for w in message.warnings)


def test_without_keys_protected_content_stays_encrypted_and_says_so():
    path = require(RTDS / "4.8.1_ECS22b" / "ECS22b_4.8.1_SINGLE_SUCCESS_RESPONSE_GBCS.HEX")
    message = pandc.decode(path.read_text())
    assert message.values is None and message.parts[0].encrypted
    assert any("encrypted" in w for w in message.warnings)
    assert b'format="encrypted"' in pandc.to_mmc(message)


def test_rtds_voltage_operational_data_by_hand():
    by_name = {path.name: message for path, _, message in _rtds_dlms_responses()}
    message = by_name["ECS23_4.10_SUCCESS_RESPONSE_GBCS.HEX"]
    payload = message.payload
    # list-of-data: 06 <under count> 02 02 0F 00 16 FF  06 <over count> 02 02 0F 00 16 FF ...
    assert payload[7] == 6 and payload[8] == 0x06 and payload[19] == 0x06
    under, over = int.from_bytes(payload[9:13], "big"), int.from_bytes(payload[20:24], "big")
    assert payload[13:19] == payload[24:30] == bytes.fromhex("02020F0016FF")   # scaler 0, count
    period = int.from_bytes(payload[-17:-13], "big")      # 06 00 00 0E 10, then 6 results
    assert payload[-18] == 0x06 and period == 3600
    leaves = _leaves(message.values)
    root = "ReadNetworkDataRsp/Electricity/SinglePhaseESME"
    assert leaves[root + "/AvgRMSOverVoltageCounter/Value"] == str(over)
    assert leaves[root + "/AvgRMSUnderVoltageCounter/Value"] == str(under)
    assert leaves[root + "/AvgRMSVoltageProfileDataLog/MeasurementPeriod"] == "3600"
    log = message.values.find("Electricity/SinglePhaseESME/AvgRMSVoltageProfileDataLog")
    assert len([c for c in log.children if c.name == "LogEntry"]) == 49


def test_rtds_boost_button_by_hand():
    by_name = {path.name: message for path, _, message in _rtds_dlms_responses()}
    message = by_name["ECS61c_7.11_SUCCESS_RESPONSE_GBCS.HEX"]
    payload = message.payload
    assert payload[7:9] == b"\x07\x03" and payload[9]   # 7 items; boolean true
    names = [c.name for c in message.values.children]
    assert names[:6] == ["EventLogEntry"] * 6            # 6 entries { start, end }
    assert names[6:] == ["BoostFunctionAvailability"] + [
        f"BoostFunctionControl{n}Value" for n in range(1, 6)]
    first = message.values.children[0]
    # compact-array 13, type structure{dlu, dlu} 02 02 06 06, contents 0x30 = 6 x 8 bytes
    assert payload[10:16] == bytes.fromhex("130202060630")
    start = int.from_bytes(payload[16:20], "big")
    end = int.from_bytes(payload[20:24], "big")
    epoch = first.children[1].value.replace(year=2000, month=1, day=1, hour=0, minute=0, second=0)
    assert (first.children[1].name, (first.children[1].value - epoch).total_seconds()) == (
        "BoostStart", start)
    assert (first.children[0].name, (first.children[0].value - epoch).total_seconds()) == (
        "BoostEnd", end)


def test_rtds_polyphase_groups():
    by_name = {path.name: message for path, _, message in _rtds_dlms_responses()}
    message = by_name["ECS23b_4.10_SUCCESS_RESPONSE_GBCS.HEX"]
    payload = message.payload
    poly = message.values.find("Electricity/PolyPhaseESME")
    phases = [c for c in poly.children if c.name == "PhaseVoltageOperationalData"]
    assert [p.find("Phase").value for p in phases] == [1, 2, 3]
    # the first under-voltage counter: 06 at offset 8 (after DA, invoke id, 00, 00, count 12)
    assert payload[7:9] == b"\x12\x06"
    under = int.from_bytes(payload[9:13], "big")
    assert phases[0].find("VoltageOperationalData/AvgRMSUnderVoltageCounter/Value").value == under


def test_every_catalogue_type_renders_valid_success_and_failure_shapes():
    """For every (use case, SRV, MMC type) of the catalogue, a failed response (one
    data-access-result) and, for Set/Action use cases, a successful one validate against
    the official schema."""
    require(MMC_XSD)
    for row in catalogue.USE_CASES:
        for srv, mmc_type in row.responses:
            kind = b"\x02" if row.shape == catalogue.RESULTS else b"\x01"
            failed = _response(row.message_code, b"\x01\x00", b"\x01" + kind + b"\x03", srv=srv)
            assert failed.values is not None, (row.use_case, srv, failed.warnings)
            assert failed.values.name == mmc_type
            report = pandc.mmc.validate(pandc.to_mmc(failed), "mmc", schema_dir=OFFICIAL_XSD)
            assert report.valid, (row.use_case, srv, report.errors[:1])
            if row.shape == catalogue.RESULTS or mmc_type in row.results_only:
                ok = _response(row.message_code, b"\x01\x00", b"\x01" + kind + b"\x00", srv=srv)
                assert ok.values.attribute("MessageSuccess") is True
                report = pandc.mmc.validate(pandc.to_mmc(ok), "mmc", schema_dir=OFFICIAL_XSD)
                assert report.valid, (row.use_case, srv, report.errors[:1])


def test_groups_with_attributes_and_unwritten_elements_named():
    # ECS61d: five descriptions (the 2nd Get failed), special days and schedule (null here)
    texts = [b"One", None, b"Three", b"Four", b"Five"]
    data = bytes([7]) + b"".join(b"\x00" if t is None else b"\x0A" + bytes([len(t)]) + t
                                 for t in texts) + b"\x00\x00"
    results = b"\x07" + b"\x01\x00" + b"\x01\x04" + b"\x01\x00" * 5
    message = _response(0x011C, data, results)
    groups = [c for c in message.values.children if c.name == "AuxiliaryControllerDescription"]
    assert [(g.attribute("auxiliaryControllerN"), g.children[0].value) for g in groups] == [
        (1, "One"), (3, "Three"), (4, "Four"), (5, "Five")]
    report = pandc.mmc.validate(pandc.to_mmc(message), "mmc", schema_dir=require(OFFICIAL_XSD))
    assert report.valid, report.errors
    ok = _response(0x011C, data.replace(b"\x00", b"\x0A\x03Two", 1), b"\x07" + b"\x01\x00" * 7)
    assert any("AuxiliaryControllerSchedule not written" in w for w in ok.warnings)


def test_rtds_tariff_price_table_by_hand():
    by_name = {path.name: message for path, _, message in _rtds_dlms_responses()}
    message = by_name["ECS24b_4.11.2_SUCCESS_RESPONSE_GBCS.HEX"]
    payload = message.payload
    # the charge table: 01 04 then four structure(2) { octet-string(1) index, long price }
    at = payload.index(b"\x01\x04\x02\x02\x09\x01\x01")
    expected = []
    for k in range(4):
        entry = payload[at + 2 + 8 * k: at + 2 + 8 * (k + 1)]
        assert entry[:4] == b"\x02\x02\x09\x01"
        expected.append((entry[4], int.from_bytes(entry[6:8], "big", signed=entry[5] == 0x10)))
    matrix = message.values.find("TariffTOUPriceMatrix")
    assert [(c.attribute("index"), c.value) for c in matrix.children] == expected
    assert message.values.find("PriceScale").value == -5


@pytest.mark.parametrize("word,band,channel", [
    (28 << 27 | 1 << 5, "OperatingLowerBandSubGHzChannel", 5),
    (29 << 27 | 1 << 7, "OperatingLowerBandSubGHzChannel", 34),
    (30 << 27 | 1 << 26, "OperatingLowerBandSubGHzChannel", 61),
    (31 << 27 | 1 << 0, "OperatingUpperBandSubGHzChannel", 0),
])
def test_subghz_channel_pages_by_hand(word, band, channel):
    data = b"\x01" + b"\x04\x20" + word.to_bytes(4, "big")
    message = _response(0x010A, data, b"\x01\x01\x00")
    node = message.values.find(f"OperatingSubGHzChannel/{band}")
    assert [c.name for c in node.children] == [f"Channel{channel}"]


@pytest.mark.parametrize("word", [27 << 27 | 1, 28 << 27 | 3, 29 << 27 | 1 << 8, 28 << 27])
def test_subghz_channel_that_mmc_cannot_hold_is_a_warning(word):
    data = b"\x01" + b"\x04\x20" + word.to_bytes(4, "big")
    message = _response(0x010A, data, b"\x01\x01\x00")
    assert message.values.children == ()
    assert any("OperatingSubGHzChannel left out" in w for w in message.warnings)


@pytest.mark.parametrize("time_octets,date_octets,expected", [
    ("17300000", "FFFFFFFFFF", {"BillingTime": "23:48:00", "Daily": None}),
    ("00000000", "FFFFFFFF03", {"BillingTime": "00:00:00", "Weekly": "3"}),
    ("0C00FFFF", "FFFFFF1CFF", {"BillingTime": "12:00:00", "Monthly": "28"}),
])
def test_billing_calendar_by_hand(time_octets, date_octets, expected):
    entry = b"\x02\x02\x09\x04" + bytes.fromhex(time_octets) + b"\x09\x05" \
        + bytes.fromhex(date_octets)
    message = _response(0x003E, b"\x01\x01\x01" + entry, b"\x01\x01\x00")
    calendar = message.values.find("BillingCalendar/ElectricityBillingCalendar")
    got = {c.name: None if c.value is None else pandc.values.text(c.value)
           for c in calendar.children}
    assert got == expected          # 0x17 = 23 h, 0x30 = 48 min; 0xFF seconds = 0
    assert pandc.mmc.validate(pandc.to_mmc(message), "mmc", schema_dir=require(OFFICIAL_XSD)).valid


@pytest.mark.parametrize("months,period", [
    ((2, 5, 8, 11), "Quarterly"), ((11, 2, 5, 8), "Quarterly"), ((4, 10), "SixMonthly"),
    ((12,), "Yearly")])
def test_billing_calendar_with_months_by_hand(months, period):
    # each entry: time 01:30:00.00, date year FFFF, month m, day 15 (0x0F), weekday FF
    entries = b"".join(b"\x02\x02\x09\x04" + bytes.fromhex("011E0000") + b"\x09\x05"
                       + bytes([0xFF, 0xFF, m, 0x0F, 0xFF]) for m in months)
    message = _response(0x00D9, b"\x01\x01" + bytes([len(months)]) + entries, b"\x01\x01\x00")
    calendar = message.values.find("BillingCalendar/ElectricityBillingCalendar")
    assert calendar.find("BillingTime").value == time(1, 30)
    element = calendar.find(period)
    assert [(c.name, c.value) for c in element.children] == [
        ("DayOfMonth", 15), ("BillingPeriodStartMonth", months[0])]
    assert pandc.mmc.validate(pandc.to_mmc(message), "mmc", schema_dir=require(OFFICIAL_XSD)).valid


@pytest.mark.parametrize("dates", [
    [bytes.fromhex("FFFF020FFF"), bytes.fromhex("FFFF060FFF")],     # 4 months apart, two times
    [bytes.fromhex("FFFF010FFF"), bytes.fromhex("FFFF070EFF")],     # different days of month
    [bytes.fromhex("FFFF011DFF")],                                  # day 29: MMC allows 1-28
    [bytes.fromhex("FFFF010FFF")] * 3,                              # three a year
])
def test_billing_calendar_mmc_cannot_hold_is_a_warning(dates):
    entries = b"".join(b"\x02\x02\x09\x04" + bytes(4) + b"\x09\x05" + d for d in dates)
    message = _response(0x003E, b"\x01\x01" + bytes([len(dates)]) + entries, b"\x01\x01\x00")
    assert message.values.children == ()
    assert any("not a yearly, six-monthly or quarterly" in w for w in message.warnings)


def test_billing_calendar_with_several_times_is_named_not_guessed():
    entry = b"\x02\x02\x09\x04" + bytes(4) + b"\x09\x05" + bytes.fromhex("FFFF0101FF")
    message = _response(0x003E, b"\x01\x01\x04" + entry * 4, b"\x01\x01\x00")
    assert message.values.children == ()
    assert any("4 execution times" in w for w in message.warnings)


def test_rtds_chf_device_log_by_hand():
    by_name = {path.name: message for path, _, message in _rtds_dlms_responses()}
    message = by_name["CCS06_8.9_SUCCESS_RESPONSE_GBCS.HEX"]
    payload = message.payload
    # array of entries, each a structure whose first member is the EUI (09 08 ...) and whose
    # ninth member is a 12-octet date-time (09 0C ...)
    first = payload.index(b"\x09\x08") + 2
    eui = payload[first:first + 8]
    at = payload.index(b"\x09\x0C") + 2
    octets = payload[at:at + 12]
    year, month, day, hour, minute = (int.from_bytes(octets[:2], "big"), octets[2], octets[3],
                                      octets[5], octets[6])
    entry = message.values.find("CHFDeviceLog").children[0]
    assert entry.children[0].value == eui.hex("-").upper()
    when = entry.children[1].value
    assert (when.year, when.month, when.day, when.hour, when.minute) == (
        year, month, day, hour, minute)


# --- ECS24 (SRV 4.11.1): built per GBCS ECS24's Get list, values worked out by hand ----------

def _ecs24_data(charge_table: bytes) -> bytes:
    thresholds = [b"\x01\x03" + b"".join(b"\x06" + v.to_bytes(4, "big") for v in (1000, 2000, 3000)),
                  b"\x01\x03" + b"".join(b"\x06" + v.to_bytes(4, "big") for v in (1, 2, 3))] \
        + [b"\x01\x00"] * 6
    items = [
        bytes.fromhex("0600003039"),              # 0 active price 0x3039 = 12345
        bytes.fromhex("02020FFB16FE"),            # 1 scaler -5, unit 254
        b"\x01\x00", b"\x01\x00", b"\x01\x00",     # 2-4 seasons, weeks, day profiles (empty)
        # 5 special days: { 1, date FFFF-12-25 any weekday, day 3 }, { 2, 2026-01-01 Thu, day 2 }
        bytes.fromhex("0102" "0203120001" "0905FFFF0C19FF" "1103"
                      "0203120002" "090507EA010104" "1102"),
        *thresholds,                              # 6-13 TOU[1..8] block thresholds
        b"\x03\x01",                               # 14 currency: TRUE = GB pounds
        # 15 standing charge: scaling { 0, -2 }, commodity reference, [ { '', 100 } ]
        bytes.fromhex("0203" "02020F000FFE" "020312000009060000000000000F00"
                      "0101" "0202" "0900" "100064"),
        # 16 price matrix: scaling { -2, -5 }, reference 1-0:1.8.0.255 attr 2, charge table
        bytes.fromhex("0203" "02020FFE0FFB" "0203120003090601000108" "00FF0F02") + charge_table,
    ]
    return bytes([len(items)]) + b"".join(items)


def _charge_table(*entries: tuple[int, int]) -> bytes:
    return bytes([0x01, len(entries)]) + b"".join(
        b"\x02\x02\x09\x01" + bytes([index]) + b"\x10" + price.to_bytes(2, "big", signed=True)
        for index, price in entries)


def test_ecs24_primary_tariff_by_hand():
    table = _charge_table((0x01, 0x0849), (0x02, 0x0C37), (0xA1, 0x08F1), (0xB1, 0x0DDA),
                          (0xA2, 0x0FA2))
    message = _response(0x003A, _ecs24_data(table), b"\x11" + b"\x01\x00" * 17)
    assert not message.failures and message.values.attribute("MessageSuccess") is True
    electricity = message.values.find("Electricity")
    assert [c.name for c in electricity.children] == [
        "PrimaryActiveTariffPrice", "CurrencyUnitsLabel", "StandingCharge",
        "StandingChargeScale", "PriceScale", "TariffBlockPriceMatrix", "TariffTOUPriceMatrix",
        "TariffSwitchingTableSpecialDays", "TariffThresholdMatrix"]
    value = {c.name: c.value for c in electricity.children}
    assert (value["PrimaryActiveTariffPrice"], value["CurrencyUnitsLabel"],
            value["StandingCharge"], value["StandingChargeScale"], value["PriceScale"]) == (
        12345, "GBP", 100, -2, -5)
    # block b, TOU t at index 0xA0 + 0x10 (b - 1) + t: TOU 1 has blocks 1 and 2, TOU 2 block 1
    blocks = electricity.find("TariffBlockPriceMatrix")
    assert [(b.attribute("index"), [(p.attribute("index"), p.value) for p in b.children])
            for b in blocks.children] == [(1, [(1, 2289), (2, 3546)]), (2, [(1, 4002)])]
    tou = electricity.find("TariffTOUPriceMatrix")
    assert [(p.attribute("index"), p.value) for p in tou.children] == [(1, 2121), (2, 3127)]
    days = electricity.find("TariffSwitchingTableSpecialDays").children
    assert len(days) == 2 and days[0].find("Date/Year/NonSpecifiedYear") is not None
    first, second = (_leaves(d) for d in days)
    assert first["SpecialDay/Date/Month/SpecifiedMonth"] == "12"
    assert first["SpecialDay/Date/DayOfMonth/SpecifiedDayOfMonth"] == "25"
    assert first["SpecialDay/ReferencedDay"] == "3"
    assert (second["SpecialDay/Date/Year/SpecifiedYear"],
            second["SpecialDay/Date/DayOfWeek/SpecifiedDayOfWeek"],
            second["SpecialDay/ReferencedDay"]) == ("2026", "4", "2")
    matrix = electricity.find("TariffThresholdMatrix")
    assert [(m.attribute("index"), [(t.attribute("index"), t.value) for t in m.children])
            for m in matrix.children] == [(1, [(1, 1000), (2, 2000), (3, 3000)]),
                                          (2, [(1, 1), (2, 2), (3, 3)])]
    assert any("TariffSwitchingTable not written" in w for w in message.warnings)
    report = pandc.mmc.validate(pandc.to_mmc(message), "mmc", schema_dir=require(OFFICIAL_XSD))
    assert report.valid, report.errors


def test_ecs24_charge_index_outside_both_ranges_is_a_warning():
    table = _charge_table((0x01, 5), (0x31, 7))     # 0x31: past TOU rate 48, not a block
    message = _response(0x003A, _ecs24_data(table), b"\x11" + b"\x01\x00" * 17)
    electricity = message.values.find("Electricity")
    assert electricity.find("TariffTOUPriceMatrix") is None
    assert electricity.find("TariffBlockPriceMatrix") is None
    assert sum("0x31 is neither" in w for w in message.warnings) == 2
    assert electricity.find("PrimaryActiveTariffPrice").value == 12345


def test_ecs24b_special_days_by_hand():
    # GBCS ECS24b: 0 unit_charge (0-0:19.20.5.255), 1 price, 2 scaler_unit, 3 special days
    # (0-0:11.0.1.255), 4-6 switching table (empty arrays here)
    items = [
        bytes.fromhex("0203" "02020F000FFB" "0203120003090601140108" "00FF0F02")
        + _charge_table((0x01, 300), (0x02, -4)),
        bytes.fromhex("0600000457"),                          # 0x457 = 1111
        bytes.fromhex("02020FFB16FE"),
        # { 7, date 2027-FF-FE (last day of every month) any weekday, day 16 }
        bytes.fromhex("0101" "0203120007" "090507EBFFFEFF" "1110"),
        b"\x01\x00", b"\x01\x00", b"\x01\x00"]
    data = bytes([len(items)]) + b"".join(items)
    message = _response(0x00BD, data, b"\x07" + b"\x01\x00" * 7)
    assert [c.name for c in message.values.children] == [
        "SecondaryActiveTariffPrice", "PriceScale", "TariffTOUPriceMatrix",
        "TariffSwitchingTableSpecialDays"]
    prices = message.values.find("TariffTOUPriceMatrix")
    assert [(p.attribute("index"), p.value) for p in prices.children] == [(1, 300), (2, -4)]
    (day,) = message.values.find("TariffSwitchingTableSpecialDays").children
    leaves = _leaves(day)
    assert leaves["SpecialDay/Date/Year/SpecifiedYear"] == "2027"
    assert leaves["SpecialDay/ReferencedDay"] == "16"
    assert day.find("Date/DayOfMonth/LastDayOfMonth") is not None
    assert day.find("Date/Month/NonSpecifiedMonth") is not None
    assert any("TariffSwitchingTable not written" in w for w in message.warnings)
    report = pandc.mmc.validate(pandc.to_mmc(message), "mmc", schema_dir=require(OFFICIAL_XSD))
    assert report.valid, report.errors


def test_ecs61a_type_and_identifier_and_special_days_by_hand():
    # GBCS ECS61a: 0-4 descriptions, 5-9 TypeAndIdentifier octet-string(8) (eight 00 = ALCS,
    # else the HC ALCS EUI-64), 10 special days, 11 schedule (null here), 12-16 states
    descriptions = [b"\x0A\x02S" + bytes([0x30 + n]) for n in range(1, 6)]
    types = [b"\x09\x08" + bytes(8)] * 5
    types[2] = b"\x09\x08" + bytes.fromhex("00DB1234567890AB")
    # { index 3, date 2030-07-FF weekday 6 }, { index 20, FFFF-FF-FD (second last day) }
    special = bytes.fromhex("0102" "0203120003" "090507EE07FF06" "1101"
                            "0203120014" "0905FFFFFFFDFF" "1102")
    states = [b"\x03\x01", b"\x03\x00", b"\x03\x01", b"\x03\x00", b"\x03\x01"]
    data = bytes([17]) + b"".join(descriptions + types + [special, b"\x00"] + states)
    message = _response(0x00BB, data, b"\x11" + b"\x01\x00" * 17)
    switches = [c for c in message.values.children if c.name == "AuxiliaryLoadControlSwitch"]
    assert [(s.attribute("Index"), s.find("Description").value,
             [c.name for c in s.find("TypeAndIdentifier").children], s.find("State").value)
            for s in switches] == [
        (1, "S1", ["ALCS"], True), (2, "S2", ["ALCS"], False), (3, "S3", ["HCALCS"], True),
        (4, "S4", ["ALCS"], False), (5, "S5", ["ALCS"], True)]
    assert switches[2].find("TypeAndIdentifier/HCALCS").value == "00-DB-12-34-56-78-90-AB"
    days = message.values.find("ALCSHCALCSSpecialDays").children
    assert [d.attribute("index") for d in days] == [3, 20]
    assert (_leaves(days[0])["ALCSHCALCSSpecialDay/Year/SpecifiedYear"],
            _leaves(days[0])["ALCSHCALCSSpecialDay/DayOfWeek/SpecifiedDayOfWeek"]) == ("2030", "6")
    assert days[1].find("DayOfMonth/SecondLastDayOfMonth") is not None
    assert any("ALCSScheduler not written" in w for w in message.warnings)
    report = pandc.mmc.validate(pandc.to_mmc(message), "mmc", schema_dir=require(OFFICIAL_XSD))
    assert report.valid, report.errors
    # a TypeAndIdentifier that is not 8 octets is left out with a warning, the rest stays
    short = data.replace(types[2], b"\x09\x07" + bytes.fromhex("00DB1234567890"), 1)
    message = _response(0x00BB, short, b"\x11" + b"\x01\x00" * 17)
    third = [c for c in message.values.children if c.name == "AuxiliaryLoadControlSwitch"][2]
    assert third.find("TypeAndIdentifier") is None and third.find("State").value is True
    assert any("TypeAndIdentifier left out" in w for w in message.warnings)


def test_ecs61d_special_day_definitions_by_hand():
    texts = [b"\x0A\x01" + bytes([0x41 + n]) for n in range(5)]
    special = bytes.fromhex("0101" "0203120005" "090507EA0C19FF" "1101")   # 2026-12-25
    data = bytes([7]) + b"".join(texts) + special + b"\x00"
    message = _response(0x011C, data, b"\x07" + b"\x01\x00" * 7)
    (definition,) = message.values.find("AuxiliaryControllerSpecialDayDefinitions").children
    assert definition.attribute("identifier") == 5
    leaves = _leaves(definition)
    prefix = "AuxiliaryControllerSpecialDayDefinition/"
    assert (leaves[prefix + "Year/SpecifiedYear"], leaves[prefix + "Month/SpecifiedMonth"],
            leaves[prefix + "DayOfMonth/SpecifiedDayOfMonth"]) == ("2026", "12", "25")
    report = pandc.mmc.validate(pandc.to_mmc(message), "mmc", schema_dir=require(OFFICIAL_XSD))
    assert report.valid, report.errors


def test_ecs24_failed_gets_are_failures_and_the_rest_is_written():
    table = _charge_table((0x01, 9))
    data = bytearray(_ecs24_data(table))
    # the price matrix (item 16, the last) failed: null-data in its place, result 01 0B
    cut = data.index(bytes.fromhex("0203" "02020FFE0FFB"))
    data = bytes(data[:cut]) + b"\x00"
    results = b"\x11" + b"\x01\x00" * 16 + b"\x01\x0B"
    message = _response(0x003A, data, results)
    assert message.values.attribute("MessageSuccess") is False
    assert [(f.kind, f.position, f.code) for f in message.failures] == [("get", 17, 11)]
    electricity = message.values.find("Electricity")
    assert electricity.find("PriceScale") is None
    assert electricity.find("TariffTOUPriceMatrix") is None
    assert electricity.find("StandingCharge").value == 100
    report = pandc.mmc.validate(pandc.to_mmc(message), "mmc", schema_dir=require(OFFICIAL_XSD))
    assert report.valid, report.errors
