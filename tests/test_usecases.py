"""SECMP0015 reads end to end: RTDS responses -> (keys) -> MMC SMETSData, valid and right.

Expected values are derived from the bytes, not from pandc's output: a small independent
ZCL reader below parses the decrypted GBZ attributes, and the DLMS values are stated with
the bytes they come from.
"""
from __future__ import annotations

import dataclasses
from decimal import Decimal
from pathlib import Path

import pytest
from lxml import etree

import pandc
from pandc import usecases
from pandc.mmc import MMC_NAMESPACE, to_mmc
from pandc.mmc.render import debug_info_element, values_element
from pandc.codec.parts import PayloadPart
from pandc.testing import build_message
from pandc.usecases import UseCaseError
from pandc.mmc.validation import validate

from conftest import KEYSTORE, OFFICIAL_XSD, RTDS, require

RA = "{%s}" % MMC_NAMESPACE
SRV_FOLDERS = ("4.1.1_*", "4.1.2_*", "4.1.4_*", "4.3_*", "4.18_*")
ROOTS = {
    "GCS13a": "ReadInstantaneousImportRegistersRsp", "ECS17b": "ReadInstantaneousImportRegistersRsp",
    "GCS13c": "ReadInstantaneousImportTOUMatricesRsp",
    "GCS13b": "ReadInstantaneousImportBlockCountersRsp",
    "GCS14": "ReadInstantaneousPrepayValuesRsp", "ECS19": "ReadInstantaneousPrepayValuesRsp",
    "GCS60": "ReadMeterBalanceRsp", "GCS60a": "ReadMeterBalanceRsp", "ECS82": "ReadMeterBalanceRsp",
}


def srv_responses() -> list[Path]:
    require(RTDS)
    return sorted(path for folder in SRV_FOLDERS for path in RTDS.glob(f"{folder}/*_RESPONSE_*.HEX"))


@pytest.fixture(scope="module")
def keys():
    from pandc.security import KeyStore
    return KeyStore.from_directory(require(KEYSTORE))


@pytest.fixture(scope="module")
def decoded(keys):
    """(path, message without keys, message decoded with keys) for every SRV response."""
    found = []
    for path in srv_responses():
        found.append((path, pandc.decode(path.read_text()), pandc.decode(path.read_text(), keys=keys)))
    assert len(found) == 29, [p.name for p, _, _ in found]   # 9 use cases, listed in the folders
    return found


def element_of(result) -> etree._Element:
    """The use case's value tree as the MMC renderer writes it."""
    return values_element(result.values)


def smets_data(message) -> etree._Element | None:
    result = usecases.decode(message)
    return None if result is None else element_of(result)


def debug_info(message) -> etree._Element | None:
    result = usecases.decode(message)
    return None if result is None or not result.failures else debug_info_element(result.failures)


def use_case(path: Path) -> str:
    return path.name.split("_")[0]


def smets(document: etree._Element) -> etree._Element | None:
    container = document.find(f"{RA}Body/{RA}ResponseMessage/{RA}SMETSData")
    return None if container is None else container[0]


def text(element: etree._Element, path: str) -> str | None:
    found = element.find("/".join(RA + step for step in path.split("/")))
    return None if found is None else found.text


def values(element: etree._Element, name: str) -> dict[str, str]:
    return {item.get("index"): item.text for item in element.iter(RA + name)}


# --- an independent reader of decrypted ZCL attribute records -----------------------------

# little-endian integer types seen in these responses: type -> (size, signed)
ZCL_INTEGERS = {0x18: (1, False), 0x21: (2, False), 0x22: (3, False), 0x23: (4, False),
                0x25: (6, False), 0x2B: (4, True), 0x30: (1, False)}


def zcl_attributes(parts) -> dict[tuple[int, int], int | str]:
    """{(cluster, attribute): value or 'failed'} from the parts' ZCL frames."""
    found = {}
    for part in parts:
        frame = part.plaintext
        if frame[2] != 0x01:                      # not a Read Attributes Response
            continue
        i = 3
        while i < len(frame):
            attribute = frame[i] | frame[i + 1] << 8
            if frame[i + 2] != 0:
                found[(part.cluster_id, attribute)] = "failed"
                i += 3
                continue
            size, signed = ZCL_INTEGERS[frame[i + 3]]
            found[(part.cluster_id, attribute)] = int.from_bytes(
                frame[i + 4:i + 4 + size], "little", signed=signed)
            i += 4 + size
    return found


def scaled(attributes, attribute_id) -> str:
    value = (Decimal(attributes[(0x0702, attribute_id)]) * attributes[(0x0702, 0x0301)]
             / attributes[(0x0702, 0x0302)])
    return format(value.normalize(), "f") if value else "0"


# --- every RTDS vector of the five SRVs ----------------------------------------------------

def test_every_response_with_keys_is_valid_official_mmc_with_smets_data(decoded):
    require(OFFICIAL_XSD / "MMC Schema V5.4.xsd")
    for path, _, secured in decoded:
        xml = to_mmc(secured)
        report = validate(xml, "mmc", schema_dir=OFFICIAL_XSD)
        assert report.valid, f"{path.name}: {report.errors[0]}"
        element = smets(etree.fromstring(xml))
        assert element is not None, path.name
        assert etree.QName(element).localname == ROOTS[use_case(path)], path.name


def test_message_success_is_false_exactly_for_the_error_scenarios(decoded):
    for path, _, secured in decoded:
        result = usecases.decode(secured)
        is_error = "_ERROR_" in path.name
        assert element_of(result).get("MessageSuccess") == ("false" if is_error else "true"), path.name
        assert bool(result.failures) == is_error, path.name
        if is_error:
            # nothing is invented for what failed: no value elements at all
            assert not [e for e in element_of(result).iter() if e.text and e.text.strip()], path.name


def test_timestamp_attributes_follow_the_time_status_byte(decoded):
    """SECMP0015: the date-time's last octet (clock status) gives isFromGSME (bit 2) and
    ClockStatus (bit 0 invalid, bit 1 unreliable) - read here straight from the raw bytes."""
    for path, message, secured in decoded:
        raw = message.raw
        at = raw.index(b"\xDF") + 29                  # DF 09 cra counter(8) 08 eui 08 eui
        header = etree.fromstring(to_mmc(secured)).find(RA + "Header")
        stamp = header.find(RA + "Timestamp")
        if raw[at] == 0x00:
            assert stamp is None, path.name
            continue
        status = raw[at + 12]
        assert stamp is not None, path.name
        if status == 0xFF:
            assert stamp.get("isFromGSME") is None and stamp.get("ClockStatus") is None
            continue
        assert stamp.get("isFromGSME") == ("true" if status & 0x04 else "false"), path.name
        expected = "invalid" if status & 1 else "unreliable" if status & 2 else "reliable"
        assert stamp.get("ClockStatus") == expected, path.name
        # (file names are not a guide for GSME: GCS60a ..._UNRELIABLE_GSME_ carries 0x02)
        if "_GPF_" in path.name:
            assert stamp.get("isFromGSME") == "false", path.name
        if "UNRELIABLE" in path.name:
            assert stamp.get("ClockStatus") == "unreliable", path.name


def test_gas_values_match_an_independent_reading_of_the_decrypted_attributes(decoded):
    checked = 0
    for path, _, secured in decoded:
        if not use_case(path).startswith("GCS") or "_ERROR_" in path.name:
            continue
        attributes = zcl_attributes(secured.parts)
        element = smets_data(secured)
        kind = use_case(path)
        if kind == "GCS13a":
            assert attributes[(0x0702, 0x0300)] == 0x01                  # m3
            assert text(element, "Gas/ConsumptionRegister/Value") == scaled(attributes, 0x0000)
            assert text(element, "Gas/ConsumptionRegister/Unit") == "m3"
        elif kind == "GCS13c":
            expected = {str(n + 1): scaled(attributes, 0x0100 + 2 * n) for n in range(4)}
            assert values(element, "TOURegisterMatrixValue") == expected
        elif kind == "GCS13b":
            expected = {str(n + 1): scaled(attributes, 0x0700 + n) for n in range(4)}
            assert values(element, "TariffBlockCounterValue") == expected
        elif kind == "GCS14":
            for name, attribute in [("EmergencyCreditBalance", 0x0002),
                                    ("AccumulatedDebtRegister", 0x0005),
                                    ("PaymentDebtRegister", 0x0231),
                                    ("TimeDebtRegister1", 0x0211),
                                    ("TimeDebtRegister2", 0x0221), ("MeterBalance", 0x0001)]:
                assert text(element, name) == str(attributes[(0x0705, attribute)]), name
        else:  # GCS60, GCS60a
            assert text(element, "MeterBalance") == str(attributes[(0x0702, 0x0A00)])
            assert text(element, "Gas/MeterBalancePrepaymentMode") == str(attributes[(0x0705, 0x0001)])
        checked += 1
    assert checked == 16    # 3 each for GCS13a/b/c and GCS14, 1 GCS60, 3 GCS60a


HAND_VERIFIED = {
    # GCS13a: CurrentSummationDelivered uint48 39 30 00 00 00 00 = 12345, Multiplier uint24 1,
    # Divisor uint24 E8 03 00 = 1000, UnitOfMeasure enum8 01 = m3 (FACTS 4 checks the same).
    "GCS13a_4.1.1_SUCCESS_RELIABLE_GSME": {"Gas/ConsumptionRegister/Value": "12.345"},
    # GCS13c: tiers 1-4 (0x0100/02/04/06) E8 03, D0 07, B8 0B, A0 0F = 1000..4000, / 1000
    "GCS13c_4.1.2_SUCCESS_RELIABLE_GPF": {"index": ("TOURegisterMatrixValue",
                                                    {"1": "1", "2": "2", "3": "3", "4": "4"})},
    # GCS13b: blocks 1-4 (0x0700..0x0703) = 0, 1, 2, 3, / 1000
    "GCS13b_4.1.4_SUCCESS_UNRELIABLE": {"index": ("TariffBlockCounterValue",
                                                  {"1": "0", "2": "0.001", "3": "0.002",
                                                   "4": "0.003"})},
    # GCS14 prepayment int32s: 0x0002 20 A1 07 00 = 500000, 0x0005 A0 25 26 00 = 2500000,
    # 0x0231/0x0211/0x0221 uint32 88 13 00 00 = 5000, 0x0001 A0 25 26 00 = 2500000
    "GCS14_4.3_SUCCESS_RELIABLE_GSME": {"EmergencyCreditBalance": "500000",
                                        "AccumulatedDebtRegister": "2500000",
                                        "PaymentDebtRegister": "5000", "TimeDebtRegister1": "5000",
                                        "TimeDebtRegister2": "5000", "MeterBalance": "2500000"},
    # GCS60a: Metering 0x0A00 uint32 E0 67 35 00 = 3500000; Prepayment 0x0001 int32 = 2500000
    "GCS60a_4.18_SUCCESS_RELIABLE_GSME": {"MeterBalance": "3500000",
                                          "Gas/MeterBalancePrepaymentMode": "2500000"},
    # ECS17b (decrypted): struct{dlu 00 00 00 0A, {integer 0, enum 1E = Wh},
    #                            dlu 00 00 00 0A, {integer 0, enum 20 = varh}[, dlu 0A]}
    "ECS17b_4.1.1_SINGLE_SUCCESS": {"Electricity/ActiveImportRegister/Value": "10",
                                    "Electricity/ActiveImportRegister/ActiveEnergyUnit": "Wh",
                                    "Electricity/ReactiveImportRegister/Value": "10",
                                    "Electricity/ReactiveImportRegister/ReactiveEnergyUnit": "varh"},
    "ECS17b_4.1.1_TWIN_SUCCESS": {"Electricity/SecondaryActiveImportRegister/Value": "10"},
    # ECS19 (decrypted): six double-longs 0003D090 00017318 0002DA78 000318F8 0003B538 0000B3B0
    # in GBCS ECS19's prepayment_balance_collection order = meter balance 250000 (equal to
    # ECS82's), emergency credit 95000, accumulated debt 187000, time debt 1 203000, time
    # debt 2 243000, payment debt 46000
    "ECS19_4.3_SUCCESS": {"MeterBalance": "250000", "EmergencyCreditBalance": "95000",
                          "AccumulatedDebtRegister": "187000", "TimeDebtRegister1": "203000",
                          "TimeDebtRegister2": "243000", "PaymentDebtRegister": "46000"},
    # ECS82: double-long 00 03 D0 90 = 250000, in the clear
    "ECS82_4.18_SUCCESS": {"MeterBalance": "250000"},
}


def test_hand_verified_values(decoded):
    by_name = {path.name.rsplit("_RESPONSE_", 1)[0]: secured for path, _, secured in decoded}
    for scenario, expectations in HAND_VERIFIED.items():
        element = smets_data(by_name[scenario])
        for path, expected in expectations.items():
            if path == "index":
                name, indexed = expected
                assert values(element, name) == indexed, scenario
            else:
                assert text(element, path) == expected, f"{scenario}: {path}"


def test_error_scenarios_say_what_failed(decoded):
    by_name = {path.name.rsplit("_RESPONSE_", 1)[0]: secured for path, _, secured in decoded}
    # GCS13a ERROR (decrypted): Divisor record 02 03 C0 - attribute 0x0302, HARDWARE_FAILURE
    (failure,) = usecases.decode(by_name["GCS13a_4.1.1_ERROR"]).failures
    assert (failure.cluster_id, failure.attribute_id, failure.name) == (0x0702, 0x0302,
                                                                        "HARDWARE_FAILURE")
    # GCS60a ERROR: 00 0A C0 (0x0A00 failed), then a Default Response FF 01 (FAILURE)
    failures = usecases.decode(by_name["GCS60a_4.18_ERROR"]).failures
    assert [(f.cluster_id, f.attribute_id, f.command_id, f.code) for f in failures] == [
        (0x0702, 0x0A00, None, 0xC0), (0x0705, None, 0xFF, 0x01)]
    # ECS82 ERROR: access-response-specification 01 01 - get, hardware-fault
    (failure,) = usecases.decode(by_name["ECS82_4.18_ERROR"]).failures
    assert (failure.protocol, failure.kind, failure.name, failure.position) == (
        "cosem", "get", "hardware-fault", 1)


def test_debug_info_names_the_failure_in_valid_mmc(decoded):
    require(OFFICIAL_XSD / "MMC Schema V5.4.xsd")
    errors = [(path, secured) for path, _, secured in decoded if "_ERROR_" in path.name]
    assert len(errors) == 9
    for path, secured in errors:
        info = debug_info(secured)
        assert info is not None, path.name
        # a standalone ResponseMessage: GBCSData, SMETSData, then DebugInfo (schema order)
        document = etree.fromstring(to_mmc(secured))
        response = document.find(f"{RA}Body/{RA}ResponseMessage")
        for old in response.findall(RA + "DebugInfo"):
            response.remove(old)
        response.append(info)
        report = validate(etree.tostring(document), "mmc", schema_dir=OFFICIAL_XSD)
        assert report.valid, f"{path.name}: {report.errors[0]}"
        statuses = [e.text for e in info.iter() if etree.QName(e).localname in (
            "ZCLStatus", "DataAccessResult", "ActionResult")]
        assert statuses and "SUCCESS" not in statuses and "success" not in statuses
    for path, _, secured in decoded:
        if "_ERROR_" not in path.name:
            assert debug_info(secured) is None


def test_without_keys_encrypted_parts_stay_first_pass(decoded):
    for path, message, _ in decoded:
        xml = etree.fromstring(to_mmc(message))
        parts = pandc.codec.parts.split_parts(message)
        ciphered = any(part.encrypted for part in parts)
        formats = [d.get("format") for d in xml.iter(RA + "GBCSData")]
        assert formats, path.name
        if ciphered:
            assert smets_data(message) is None, path.name
            assert smets(xml) is None, path.name
            assert "encrypted" in formats, path.name
        else:
            # nothing sensitive: the first pass already decodes the use case
            assert smets(xml) is not None, path.name
    ciphered_count = sum(any(p.encrypted for p in pandc.codec.parts.split_parts(m))
                         for _, m, _ in decoded)
    assert ciphered_count == 18    # GCS13a/b/c all 4, GCS14 3, ECS17b 2, ECS19 1


def test_wrong_key_leaves_the_first_pass(decoded):
    """A part whose tag fails stays undecrypted: no SMETSData from unauthenticated bytes."""
    path, message, _ = next(item for item in decoded if use_case(item[0]) == "GCS13a"
                            and "_SUCCESS_" in item[0].name)
    parts = tuple(dataclasses.replace(part, plaintext=None, error="tag mismatch")
                  for part in pandc.codec.parts.split_parts(message))
    assert smets_data(dataclasses.replace(message, parts=parts)) is None


# --- synthetic messages: shapes RTDS does not have ----------------------------------------

def gbz(*components: tuple[int, bytes]) -> bytes:
    """A clear GBZ payload: (cluster, ZCL frame) per component, last-component flag set."""
    body = b""
    for number, (cluster, frame) in enumerate(components, start=1):
        control = 0x01 if number == len(components) else 0x00
        body += bytes([control]) + cluster.to_bytes(2, "big") + len(frame).to_bytes(2, "big") + frame
    return b"\x01\x09" + bytes([len(components)]) + body


def record(attribute_id: int, data_type: int, value: bytes) -> bytes:
    return attribute_id.to_bytes(2, "little") + b"\x00" + bytes([data_type]) + value


def message(code: int, payload: bytes) -> pandc.Message:
    return pandc.decode(build_message(message_code=code, payload=payload))


def metering(*records: bytes) -> bytes:
    return b"\x18\x00\x01" + b"".join(records)


SCALE = (record(0x0301, 0x22, (1).to_bytes(3, "little"))
         + record(0x0302, 0x22, (1000).to_bytes(3, "little")))


def test_gas_unit_other_than_m3_is_left_out_with_a_warning():
    frame = metering(record(0x0000, 0x25, (5).to_bytes(6, "little")), SCALE,
                     record(0x0300, 0x30, b"\x00"))                 # 0x00 = kWh
    result = usecases.decode(message(0x0074, gbz((0x0702, frame))))
    assert result.success
    assert text(element_of(result), "Gas/ConsumptionRegister/Value") == "0.005"
    assert text(element_of(result), "Gas/ConsumptionRegister/Unit") is None
    assert any("UnitOfMeasure 0x00" in warning for warning in result.warnings)


def test_missing_divisor_gives_no_value_and_a_warning():
    frame = metering(record(0x0000, 0x25, (5).to_bytes(6, "little")),
                     record(0x0301, 0x22, (1).to_bytes(3, "little")))
    result = usecases.decode(message(0x0074, gbz((0x0702, frame))))
    assert element_of(result).find(f"{RA}Gas/{RA}ConsumptionRegister") is None
    assert any("0x0302" in warning for warning in result.warnings)


def test_zero_divisor_is_refused_rather_than_divided():
    frame = metering(record(0x0000, 0x25, (5).to_bytes(6, "little")),
                     record(0x0301, 0x22, (1).to_bytes(3, "little")),
                     record(0x0302, 0x22, (0).to_bytes(3, "little")))
    result = usecases.decode(message(0x0074, gbz((0x0702, frame))))
    assert element_of(result).find(f"{RA}Gas/{RA}ConsumptionRegister") is None
    assert any("Divisor is 0" in warning for warning in result.warnings)


def test_truncated_zcl_names_the_part_and_offset():
    frame = metering(record(0x0000, 0x25, b"\x01\x02"))
    with pytest.raises(pandc.DecodeError) as caught:
        usecases.decode(message(0x0074, gbz((0x0702, frame))))
    assert caught.value.offset == 7 and "GBZ component 1" in caught.value.source


def test_unexpected_zcl_command_is_a_use_case_error():
    with pytest.raises(UseCaseError) as caught:
        usecases.decode(message(0x0074, gbz((0x0702, b"\x19\x00\x06\x00"))))
    assert "command 0x06" in caught.value.reason


def access_response(data: bytes, result: bytes = b"\x01\x00") -> bytes:
    return bytes.fromhex("DA20000001" "00" "00" "01") + data + b"\x01" + result


def test_ecs17d_primary_and_secondary_tou_registers():
    # no RTDS vector for ECS17d: struct{ array(3) of dlu, array(1) of dlu }
    data = bytes.fromhex("0202" "0103" "0600000001" "0600000002" "0600000003"
                         "0101" "0600000009")
    result = usecases.decode(message(0x0029, access_response(data, b"\x03\x00")))
    assert values(element_of(result), "TOUPrimaryRegisterValue") == {"1": "1", "2": "2", "3": "3"}
    assert values(element_of(result), "TOUSecondRegisterValue") == {"1": "9"}
    require(OFFICIAL_XSD / "MMC Schema V5.4.xsd")
    xml = to_mmc(message(0x0029, access_response(data, b"\x03\x00")))
    assert validate(xml, "mmc", schema_dir=OFFICIAL_XSD).valid


def test_ecs82_negative_balance_and_scaled_register():
    result = usecases.decode(message(0x0069, access_response(bytes.fromhex("05FFFFFF9C"))))
    assert text(element_of(result), "MeterBalance") == "-100"
    # ECS17b with scaler 3 (kWh register expressed in Wh): 7 x 10^3
    data = bytes.fromhex("0202" "0600000007" "02020F03161E")
    result = usecases.decode(message(0x0027, access_response(data, b"\x03\x00")))
    assert text(element_of(result), "Electricity/ActiveImportRegister/Value") == "7000"


def test_dlms_value_that_cannot_be_an_integer_names_its_offset():
    data = bytes.fromhex("0202" "0600000007" "02020FFF161E")          # 7 x 10^-1
    payload = access_response(data, b"\x03\x00")
    with pytest.raises(UseCaseError) as caught:
        usecases.decode(message(0x0027, payload))
    assert caught.value.offset == payload.index(bytes.fromhex("0600000007"))


def test_ecs19_with_the_wrong_register_count_is_refused():
    data = bytes.fromhex("0202" "0500000001" "0500000002")
    with pytest.raises(UseCaseError, match="six|6"):
        usecases.decode(message(0x002D, access_response(data, b"\x03\x00")))


def test_registry_rules():
    assert {0x0074, 0x00B6, 0x00B8, 0x0075, 0x008D, 0x012A, 0x0027, 0x0029, 0x002D,
            0x0069} <= usecases.registered_codes()
    # unregistered code: first pass only (0x0001, CCS01, is a DLMS use case now)
    assert smets_data(message(0x0FFF, bytes.fromhex("3000"))) is None
    # commands never get SMETSData
    command = pandc.decode(build_message(cra="command", message_code=0x0069,
                                         payload=access_response(bytes.fromhex("0500000001"))))
    assert usecases.decode(command) is None
    with pytest.raises(ValueError, match="0x0074"):
        usecases.register(0x0074)(lambda m: None)


def test_parts_given_by_the_caller_are_used():
    frame = metering(record(0x0000, 0x25, (2500).to_bytes(6, "little")), SCALE)
    base = message(0x0074, gbz((0x0702, frame)))
    part = PayloadPart("gbz", False, frame, frame, "given", cluster_id=0x0702)
    assert text(smets_data(dataclasses.replace(base, parts=(part,))),
                "Gas/ConsumptionRegister/Value") == "2.5"
