"""The GBZ (gas) catalogue and walker: values worked out by hand from bytes built here,
every RTDS gas response with an MMC V5.4 type rendered and valid against the official XSD,
and ZCL bombs refused quickly with the offset.

Expected values come from the bytes in each test read by hand (ZCL little-endian, ZCL
UTCTime = seconds since 2000-01-01 UTC), never from pandc's own output.
"""
from __future__ import annotations

import re
from datetime import datetime, timedelta, timezone
from decimal import Decimal
from pathlib import Path

import pytest
from lxml import etree

import pandc
from pandc.codec import zcl
from pandc.codec.limits import LimitError
from pandc.mmc.render import to_mmc
from pandc.testing import build_message
from pandc.usecases.catalogue import coverage_rows
from pandc.usecases.catalogue import gbz as catalogue

from conftest import KEYSTORE, OFFICIAL_XSD, RTDS, SHARED, require

EPOCH = datetime(2000, 1, 1, tzinfo=timezone.utc)
MMC_NS = {"ra": "http://www.dccinterface.co.uk/ResponseAndAlert"}

# ZCL frame control: profile-wide / cluster-specific, server to client, disable default response
PROFILE_WIDE = 0x18
CLUSTER_SPECIFIC = 0x19


def le(value: int, size: int) -> bytes:
    return value.to_bytes(size, "little", signed=value < 0)


def zcl_frame(frame_control: int, command: int, payload: bytes, sequence: int = 1) -> bytes:
    return bytes([frame_control, sequence, command]) + payload


def attribute(attribute_id: int, data_type: int, value: bytes) -> bytes:
    return le(attribute_id, 2) + b"\x00" + bytes([data_type]) + value


def failed_attribute(attribute_id: int, status: int) -> bytes:
    return le(attribute_id, 2) + bytes([status])


def read_attributes(*records: bytes) -> bytes:
    return zcl_frame(PROFILE_WIDE, 0x01, b"".join(records))


def default_response(command: int, status: int) -> bytes:
    return zcl_frame(0x08, 0x0B, bytes([command, status]))


def gbz(*components: tuple[int, bytes]) -> bytes:
    """A GBZ payload: profile 01 09, count, then (control, cluster BE, length BE, ZCL frame)."""
    out = bytearray(b"\x01\x09" + bytes([len(components)]))
    for index, (cluster, frame) in enumerate(components):
        control = 0x01 if index == len(components) - 1 else 0x00
        out += bytes([control]) + cluster.to_bytes(2, "big") + len(frame).to_bytes(2, "big") + frame
    return bytes(out)


def decode(code: int, *components: tuple[int, bytes]) -> pandc.Message:
    return pandc.decode(build_message(message_code=code, payload=gbz(*components)))


def utc(seconds: int) -> datetime:
    return EPOCH + timedelta(seconds=seconds)


def leaves(node, path: str) -> list:
    """Values of every element at ``path`` (child names) below ``node``."""
    found = [node]
    for name in path.split("/"):
        found = [child for parent in found for child in parent.children if child.name == name]
    return [n.value for n in found]


def valid_official(message: pandc.Message) -> bytes:
    require(OFFICIAL_XSD / "MMC Schema V5.4.xsd")
    xml = to_mmc(message)
    report = pandc.validate(xml, schema="mmc", schema_dir=OFFICIAL_XSD)
    assert report.valid, report.errors
    return xml


# ---------------------------------------------------------------------------------------
# Read Attributes Responses (rule 'metering', 'trailing', 'flow', text, enumerations)

def test_consumption_register_is_scaled_by_multiplier_and_divisor():
    # 0x0000 CurrentSummationDelivered uint48 = 0x0186A0 = 100000; Multiplier 3; Divisor 1000
    message = decode(0x0074, (0x0702, read_attributes(
        attribute(0x0000, 0x25, le(100_000, 6)), attribute(0x0300, 0x30, b"\x01"),
        attribute(0x0301, 0x22, le(3, 3)), attribute(0x0302, 0x22, le(1000, 3)))))
    root = message.values
    assert root.name == "ReadInstantaneousImportRegistersRsp"
    assert root.attribute("MessageSuccess") is True
    assert root.find("Gas/ConsumptionRegister/Value").value == Decimal("300")
    assert root.find("Gas/ConsumptionRegister/Unit").value == "m3"
    valid_official(message)


def test_a_multiplier_that_is_not_an_integer_is_a_warning_not_a_silent_gap():
    # Multiplier (0x0301) sent as an octet string (0x41, length 1): nothing to scale with, so
    # the consumption register is left out, and the warning says why
    message = decode(0x0074, (0x0702, read_attributes(
        attribute(0x0000, 0x25, le(100_000, 6)), attribute(0x0300, 0x30, b"\x01"),
        attribute(0x0301, 0x41, b"\x01\x03"), attribute(0x0302, 0x22, le(1000, 3)))))
    assert message.values.find("Gas/ConsumptionRegister/Value") is None
    assert ("cluster 0x0702 attribute 0x0301 is octstr, not an integer: the values it scales "
            "are left out") in message.warnings


def test_wrong_zcl_type_leaves_the_value_out_with_a_warning():
    message = decode(0x0074, (0x0702, read_attributes(
        attribute(0x0000, 0x23, le(5, 4)),            # uint32, GBCS says uint48
        attribute(0x0301, 0x22, le(1, 3)), attribute(0x0302, 0x22, le(1, 3)))))
    assert message.values.find("Gas/ConsumptionRegister") is None
    assert any("0x0000 is uint32, not uint48" in w for w in message.warnings)


def test_a_trailing_digit_that_is_not_a_map8_leaves_its_value_out():
    # Finding F11 (campaign 3, atheris_to_mmc): a CalorificValueTrailingDigit sent as uint48
    # 2^40 made Decimal.scaleb raise InvalidOperation. ZSE gives the attribute as map8.
    message = decode(0x007B, (0x0700, read_attributes(
        attribute(0x0302, 0x23, le(102264, 4)), attribute(0x0303, 0x18, b"\x50"),
        attribute(0x0304, 0x23, le(395, 4)), attribute(0x0306, 0x25, le(1 << 40, 6)))))
    root = message.values
    assert root.find("CalorificValue") is None
    assert root.find("ConversionFactor").value == Decimal("1.02264")    # its own digit is a map8
    assert any("0x0304: trailing-digit attribute 0x0306 is uint48, not map8; left out" in w
               for w in message.warnings)


def test_gas_configuration_trailing_digits_and_flow_scaling():
    # ConversionFactor 102264 with trailing digit 0x50 (5 digits right of the point) = 1.02264;
    # CalorificValue 395 with 0x10 = 39.5; flow 250 x 2 / 10 = 50
    message = decode(0x007B,
                     (0x0700, read_attributes(
                         attribute(0x0302, 0x23, le(102264, 4)), attribute(0x0303, 0x18, b"\x50"),
                         attribute(0x0304, 0x23, le(395, 4)), attribute(0x0305, 0x30, b"\x01"),
                         attribute(0x0306, 0x18, b"\x10"))),
                     (0x0702, read_attributes(
                         attribute(0x0B10, 0x21, le(250, 2)), attribute(0x0B11, 0x30, b"\x01"),
                         attribute(0x0B12, 0x21, le(2, 2)), attribute(0x0B13, 0x21, le(10, 2)),
                         attribute(0x0B14, 0x20, b"\x0F"), attribute(0x0B15, 0x21, le(1800, 2)))))
    root = message.values
    assert [c.name for c in root.children] == [
        "CalorificValue", "ConversionFactor", "UncontrolledGasFlowRate",
        "FlowStabilisationPeriod", "FlowMeasurementPeriod"]              # MMC sequence order
    assert root.find("ConversionFactor").value == Decimal("1.02264")
    assert root.find("CalorificValue").value == Decimal("39.5")
    assert root.find("UncontrolledGasFlowRate").value == Decimal("50")
    assert (root.find("FlowStabilisationPeriod").value, root.find("FlowMeasurementPeriod").value) == (15, 1800)
    assert message.warnings == ()
    valid_official(message)


def test_identity_model_identifier_with_eui_and_non_utf8_kept_with_a_warning():
    model = b"MODEL-01" + bytes.fromhex("00DB123456789AB1")   # not UTF-8 (0xDB 0x12)
    message = decode(0x009E,
                     (0x0000, read_attributes(
                         attribute(0x0004, 0x42, b"\x04ACME"), attribute(0x0005, 0x42, b"\x10" + model))),
                     (0x0702, read_attributes(attribute(0x0607, 0x30, b"\x03"),
                                              attribute(0x0608, 0x30, b"\x07"))))
    root = message.values
    assert root.find("DeviceIdentifier").value == "00-DB-12-34-56-78-9A-B1"
    assert root.find("ModelType").value == "MODEL-01"
    assert root.find("ManufacturerIdentifier").value == "ACME"
    assert root.find("Gas/SupplyTamperState").value == "Unchanged"
    assert root.find("Gas/SupplyDepletionState") is None           # 7: no MMC enumeration
    assert any("not UTF-8" in w for w in message.warnings)
    assert any("value 7 has no MMC enumeration" in w for w in message.warnings)
    valid_official(message)


@pytest.mark.parametrize("name, expected", [
    (b"ACME\x00\x00", "ACME"),            # NUL padding dropped
    (b"AC\x01ME", None),                   # a control character: left out, never invalid XML
    (b"", None),
])
def test_manufacturer_name_text_is_printable_or_left_out(name, expected):
    message = decode(0x00FB, (0x0000, read_attributes(
        attribute(0x0004, 0x42, bytes([len(name)]) + name))))
    found = message.values.find("ManufacturerIdentifier")
    assert (found.value if found is not None else None) == expected
    if expected is None:
        assert any("not printable" in w for w in message.warnings)
    valid_official(message)


def test_mprn_from_site_id_octets():
    message = decode(0x0089, (0x0702, read_attributes(attribute(0x0307, 0x41, b"\x0A7654321098"))))
    assert message.values.find("Gas/MPRN").value == "7654321098"
    valid_official(message)


def test_attribute_status_is_a_failure_and_debug_info():
    message = decode(0x0089, (0x0702, read_attributes(failed_attribute(0x0307, 0x86))))
    assert message.values.attribute("MessageSuccess") is False
    xml = valid_official(message)
    tree = etree.fromstring(xml)
    assert tree.findtext(".//ra:ZIGBEEDataResponse/ra:AttributeID", namespaces=MMC_NS) == "0307"
    assert tree.findtext(".//ra:ZCLStatus", namespaces=MMC_NS) == "UNSUPPORTED_ATTRIBUTE"


def test_prepayment_configuration_in_mmc_order():
    message = decode(0x00B5, (0x0705, read_attributes(
        attribute(0x0217, 0x23, le(300, 4)), attribute(0x0216, 0x30, b"\x00"),
        attribute(0x0040, 0x2B, le(-1500, 4)), attribute(0x0239, 0x21, le(2500, 2)))))
    root = message.values
    assert root.find("DebtRecoveryPerPayment").value == 2500
    assert root.find("DisablementThreshold").value == -1500
    assert root.find("Gas/DebtRecovery1/DebtRecoveryRate").value == 300
    assert root.find("Gas/DebtRecovery1/DebtRecoveryRatePeriod").value == "HOURLY"
    assert [c.name for c in root.children] == ["DebtRecoveryPerPayment", "DisablementThreshold", "Gas"]
    valid_official(message)


# ---------------------------------------------------------------------------------------
# Acknowledgements: Default Responses and command results

def test_default_response_success_and_failure():
    ok = decode(0x0070, (0x0705, default_response(0x07, 0x00)))
    assert ok.values.name == "ActivateEmergencyCreditRsp"
    assert ok.values.attribute("MessageSuccess") is True and ok.failures == ()
    valid_official(ok)
    failed = decode(0x0070, (0x0705, default_response(0x07, 0xC0)))
    assert failed.values.attribute("MessageSuccess") is False
    assert [(f.cluster_id, f.command_id, f.code, f.name) for f in failed.failures] == [
        (0x0705, 0x07, 0xC0, "HARDWARE_FAILURE")]
    valid_official(failed)


@pytest.mark.parametrize("result, success", [(0x00, True), (0x11, True), (0x02, False)])
def test_top_up_result_type(result, success):
    # ConsumerTopUpResponse: ResultType, TopUpValue int32, Source enum8, CreditRemaining int32
    payload = bytes([result]) + le(500, 4) + b"\x01" + le(900, 4)
    message = decode(0x0097, (0x0705, zcl_frame(0x09, 0x03, payload)))
    assert message.values.name == "TopUpDeviceRsp"
    assert message.values.attribute("MessageSuccess") is success
    valid_official(message)


def test_supply_status_response_acknowledges_disable_supply():
    payload = le(0, 4) + le(7, 4) + le(0, 4) + b"\x00"
    message = decode(0x0081, (0x0702, zcl_frame(0x09, 0x0C, payload)))
    assert message.values.name == "DisableSupplyRsp" and message.failures == ()
    assert message.warnings == ()
    valid_official(message)


# ---------------------------------------------------------------------------------------
# Row templates: logs, snapshots, calendars, event configuration

def sampled_data(sample_id: int, start: int, interval: int, samples: list[int]) -> bytes:
    return zcl_frame(CLUSTER_SPECIFIC, 0x07,
                     le(sample_id, 2) + le(start, 4) + b"\x00" + le(interval, 2)
                     + le(len(samples), 2) + b"".join(le(s, 3) for s in samples))


def test_network_data_log_samples_at_start_plus_interval():
    start = 0x1C371240                      # seconds since 2000
    message = decode(0x0079, (0x0702, sampled_data(2, start, 360, [5, 0x010203])))
    root = message.values
    assert leaves(root, "Gas/NetworkDataLog/LogEntry/Value") == [Decimal(5), Decimal(0x010203)]
    assert leaves(root, "Gas/NetworkDataLog/LogEntry/Timestamp") == [
        utc(start), utc(start + 360)]
    assert utc(start) == datetime(2014, 12, 31, 20, 0, tzinfo=timezone.utc)
    valid_official(message)


def test_daily_consumption_log_one_sample_a_day():
    start = 0x1C2A1B80                      # 2014-12-22 00:00:00 UTC
    message = decode(0x00A0, (0x0702, sampled_data(1, start, 0xFFFF, [10, 20, 30])))
    root = message.values
    assert leaves(root, "Gas/LogEntry/Value") == [Decimal(10), Decimal(20), Decimal(30)]
    assert leaves(root, "Gas/LogEntry/Timestamp") == [
        datetime(2014, 12, 22 + day, tzinfo=timezone.utc) for day in range(3)]
    valid_official(message)


def snapshot(time: int, cause: int, payload_type: int, payload: bytes) -> bytes:
    head = le(0, 4) + le(time, 4) + b"\x01\x00\x01" + le(cause, 4) + bytes([payload_type])
    return zcl_frame(CLUSTER_SPECIFIC, 0x06, head + payload)


def test_daily_read_log_from_block_tier_snapshot_and_not_found_slots():
    # type 6: CurrentSummationDelivered, 2 tiers, tiers-and-blocks byte, 3 block summations
    payload = (le(1234, 6) + b"\x02" + le(11, 6) + le(22, 6) + b"\x13"
               + le(7, 6) + le(8, 6) + le(9, 6))
    time = 10 * 86400 + 9 * 3600           # 2000-01-11 09:00 UTC
    message = decode(0x0077, (0x0702, snapshot(time, 1, 6, payload)),
                     (0x0702, default_response(0x06, 0x8B)))
    root = message.values
    assert root.attribute("MessageSuccess") is True            # NOT_FOUND = empty slot
    assert leaves(root, "LogEntry/Timestamp") == [datetime(2000, 1, 11, 9, tzinfo=timezone.utc)]
    assert leaves(root, "LogEntry/Gas/GasActiveImportRegisterConsumption") == [Decimal(1234)]
    assert leaves(root, "LogEntry/Gas/TariffTOURegisterMatrix") == [Decimal(11), Decimal(22)]
    assert leaves(root, "LogEntry/Gas/TariffBlockCounterMatrix") == [Decimal(7), Decimal(8), Decimal(9)]
    valid_official(message)


def test_every_slot_not_found_is_a_failure():
    message = decode(0x0077, (0x0702, default_response(0x06, 0x8B)),
                     (0x0702, default_response(0x06, 0x8B)))
    assert message.values.attribute("MessageSuccess") is False
    assert [f.name for f in message.failures] == ["NOT_FOUND", "NOT_FOUND"]
    valid_official(message)


def test_billing_data_log_with_prepayment_snapshot():
    time = 0x1C296000
    registers = le(65, 6) + b"\x01" + le(81, 6)                     # type 4: TOU, no billing
    debt_credit = (le(35, 4) + le(177, 4) + le(48, 4) + le(74, 4) + le(0, 4) + le(-126, 4))
    prepay = zcl_frame(CLUSTER_SPECIFIC, 0x01, le(0, 4) + le(time, 4) + b"\x01\x00\x01"
                       + le(2, 4) + b"\x00" + debt_credit)
    message = decode(0x0076, (0x0702, snapshot(time, 2, 4, registers)), (0x0705, prepay))
    gas = message.values.find("Gas")
    assert [c.name for c in gas.children] == ["GSMEBillingDataLogEntry", "GSMEBillingPrepaymentDataLogEntry"]
    entry = gas.find("GSMEBillingDataLogEntry")
    assert entry.find("ActiveImportRegisterValueConsumption").value == Decimal(65)
    assert entry.find("TariffTOURegisterMatrixValue").value == Decimal(81)
    prepayment = gas.find("GSMEBillingPrepaymentDataLogEntry")
    assert [(c.name, c.value) for c in prepayment.children] == [
        ("AccumulatedDebtRegister", 35), ("EmergencyCreditBalance", 0), ("MeterBalance", -126),
        ("PaymentDebtRegister", 74), ("TimeDebtRegisters1", 177), ("TimeDebtRegisters2", 48),
        ("Timestamp", utc(time))]
    valid_official(message)


def test_prepayment_credits_from_top_up_log():
    entries = [(b"12345678901234567890", 1_000_000, 0x1C2F1E00), (b"0000", -5, 0)]
    payload = b"\x00\x01" + b"".join(bytes([len(code)]) + code + le(amount, 4) + le(time, 4)
                                     for code, amount, time in entries)
    message = decode(0x00C5, (0x0705, zcl_frame(CLUSTER_SPECIFIC, 0x05, payload)))
    root = message.values
    assert leaves(root, "PrepaymentCredits/LogEntry/Amount") == [1_000_000, -5]
    assert leaves(root, "PrepaymentCredits/LogEntry/Timestamp") == [utc(0x1C2F1E00), EPOCH]
    valid_official(message)


def test_event_log_codes_times_and_event_data():
    events = [(0x04, 0x8F0C, 0x1C35F900, b""), (0x04, 0x8F1C, 0x1C360121, b"\xAB\xCD")]
    payload = le(2, 2) + b"\x00\x01\x20" + b"".join(
        bytes([log]) + le(event, 2) + le(time, 4) + bytes([len(data)]) + data
        for log, event, time, data in events)
    message = decode(0x00A1, (0x0709, zcl_frame(CLUSTER_SPECIFIC, 0x01, payload)))
    root = message.values
    assert leaves(root, "Log/LogEntry/LogCode") == [b"\x8F\x0C", b"\x8F\x1C"]
    assert leaves(root, "Log/LogEntry/Timestamp") == [utc(0x1C35F900), utc(0x1C360121)]
    assert leaves(root, "Log/LogEntry/OtherInformation") == [b"\xAB\xCD"]
    xml = valid_official(message)
    assert b"<ra:LogCode>8F0C</ra:LogCode>" in xml


@pytest.mark.parametrize("duration, duration_type, periodicity", [
    (1, 0x01, "Daily"), (1, 0x22, "Weekly"), (1, 0x03, "Monthly"), (3, 0x03, "Quarterly"),
    (6, 0x23, "SixMonthly"), (12, 0x03, "Yearly")])
def test_billing_calendar_periodicity(duration, duration_type, periodicity):
    start = 0x1A561700                                 # 2014-01-01 00:00:00 UTC
    payload = le(0, 4) + le(1, 4) + le(start, 4) + le(duration, 3) + bytes([duration_type, 0])
    message = decode(0x009D, (0x0700, zcl_frame(0x09, 0x09, payload)))
    calendar = message.values.find("BillingCalendar/GasBillingCalendar")
    assert calendar.find("BillingPeriodStart").value == datetime(2014, 1, 1, tzinfo=timezone.utc)
    assert calendar.find("Periodicity").value == periodicity
    valid_official(message)


def test_billing_period_mmc_cannot_express_is_left_out_with_a_warning():
    payload = le(0, 4) + le(1, 4) + le(0, 4) + le(5, 3) + bytes([0x01, 0])   # every 5 days
    message = decode(0x009D, (0x0700, zcl_frame(0x09, 0x09, payload)))
    assert message.values.find("BillingCalendar") is None
    assert any("billing calendar left out" in w for w in message.warnings)
    valid_official(message)


def test_event_configuration_bits_in_mmc_event_order():
    # entries out of MMC order; 0x9999 is not an MMC GSME event
    entries = [(0x8119, 0x0B), (0x810D, 0x18), (0x9999, 0x08), (0x810E, 0x60)]
    payload = b"\x00\x01" + b"".join(le(e, 2) + bytes([c]) for e, c in entries)
    message = decode(0x00F1, (0x0708, zcl_frame(0x01, 0x04, payload)))
    settings = message.values.find("GasSupplierAlertEventSettings")
    assert [c.name for c in settings.children] == ["x810D", "x810E", "x8119"]
    def flags(name):
        return [c.value for c in settings.find(name).children]
    assert flags("x810D") == ["Enable", "Enable", "Disable", "Disable"]    # WAN, HAN
    assert flags("x810E") == ["Disable", "Disable", "Disable", "Enable"]   # alarm bits
    assert flags("x8119") == ["Enable", "Disable", "Enable", "Disable"]    # WAN, log 3
    assert any("0x9999" in w for w in message.warnings)
    valid_official(message)


def test_start_sampling_response_sample_id():
    message = decode(0x0080, (0x0702, zcl_frame(0x09, 0x0D, le(0x0102, 2))))
    assert message.values.find("SampleID").value == 0x0102
    valid_official(message)


def test_start_sampling_refused_is_a_failure():
    message = decode(0x0080, (0x0702, zcl_frame(0x09, 0x0D, b"\xFF\xFF")))
    assert message.values.attribute("MessageSuccess") is False
    assert message.values.find("SampleID") is None
    valid_official(message)


def test_cluster_command_with_trailing_bytes_is_an_error_with_offset():
    frame = zcl.parse_frame(zcl_frame(0x09, 0x0D, le(1, 2) + b"\xFF"), base=10)
    with pytest.raises(zcl.ZclDecodeError) as caught:
        zcl.cluster_command(0x0702, frame)
    assert caught.value.offset == 10 + 3 + 2


@pytest.mark.parametrize("code, frame", [
    (0x0080, zcl_frame(0x09, 0x7E, b"\x00")),                    # no such command
    (0x0080, bytes([0x0D, 0x34, 0x12, 0x01, 0x0D, 0x02, 0x00])),  # manufacturer-specific 0x0D
    (0x0074, zcl_frame(CLUSTER_SPECIFIC, 0x06, bytes(40))),      # a snapshot in a register read
])
def test_command_the_use_case_does_not_define_is_a_use_case_error(code, frame):
    from pandc import usecases
    from pandc.usecases import UseCaseError
    raw = build_message(message_code=code, payload=gbz((0x0702, frame)))
    with pytest.raises(UseCaseError) as caught:
        usecases.decode(pandc.decode(raw))
    command = frame[4] if frame[0] & 0x04 else frame[2]
    assert f"command 0x{command:02X}" in caught.value.reason and caught.value.offset is not None
    message = pandc.decode(raw)                                    # the pipeline says so
    assert message.values is None
    assert any("values not decoded" in w for w in message.warnings)


# ---------------------------------------------------------------------------------------
# ZCL bombs: depth and element count past the limits give LimitError quickly, with offset

def nested_arrays(depth: int) -> bytes:
    """An array of arrays ... of one uint8, ``depth`` arrays deep (value after the type)."""
    return b"\x48\x01\x00" * (depth - 1) + b"\x20\x01\x00\x05"


@pytest.mark.parametrize("depth", [50, 500, 5_000, 50_000])
def test_deep_arrays_raise_limit_error(depth):
    with pytest.raises(LimitError) as caught:
        zcl.decode_value(nested_arrays(depth), 0, 0x48)
    assert caught.value.offset is not None and caught.value.offset < 200


@pytest.mark.parametrize("depth", [50, 20_000])      # a GBZ component holds 65,535 bytes
def test_deep_structures_in_a_message_raise_limit_error(depth):
    value = b"\x01\x00" + b"\x4C\x01\x00" * depth + b"\x20\x00"
    message = build_message(message_code=0x0074, payload=gbz(
        (0x0702, read_attributes(attribute(0x0000, 0x4C, value)))))
    with pytest.raises(LimitError):
        pandc.decode(message)


@pytest.mark.parametrize("arrays, per_array", [(1_500, 4_000), (250, 4_000), (16, 65_000)])
def test_element_count_over_the_message_is_bounded(arrays, per_array):
    # arrays of no-data elements cost 3 bytes each yet announce up to 65,000 elements:
    # 1,500 x 4,000 = 6,000,000 from 4.5 KB.
    data = b"\x48" + le(arrays, 2) + (b"\x00" + le(per_array, 2)) * arrays
    with pytest.raises(LimitError):
        zcl.decode_value(data, 0, 0x48)


def test_count_past_the_bytes_left_is_refused_before_reading():
    with pytest.raises(LimitError) as caught:
        zcl.decode_value(b"\x20" + le(60_000, 2) + b"\x01\x02", 0, 0x48, base=7)
    assert caught.value.offset == 7 + 1


def test_budget_is_shared_by_the_whole_message():
    # 40 attribute records of 3,000-element arrays: each fits, the message (120,000) does not
    record = attribute(0x0000, 0x48, b"\x00" + le(3_000, 2)) + bytes(3_000)
    with pytest.raises(LimitError):
        zcl.read_attributes_response(record * 40)
    zcl.read_attributes_response(record * 10)            # 30,000 elements: within the limit


def test_nested_values_decode_without_recursion():
    # struct { uint8 5, array<uint16> [1, 2] } and array<array<uint8>> [[7], []]
    assert zcl.decode_value(b"\x02\x00\x20\x05\x48\x21\x02\x00\x01\x00\x02\x00", 0, 0x4C)[0] == [
        (0x20, 5), (0x48, [1, 2])]
    assert zcl.decode_value(b"\x48\x02\x00\x20\x01\x00\x07\x20\x00\x00", 0, 0x48)[0] == [[7], []]


def test_non_utf8_character_string_is_kept_with_a_warning():
    warnings: list[str] = []
    value, end = zcl.decode_value(b"\x03\xFF\xFEA", 0, 0x42, base=20, warnings=warnings)
    assert (value, end) == (b"\xFF\xFEA", 4)
    assert warnings and "offset 21" in warnings[0]


# ---------------------------------------------------------------------------------------
# The catalogue against the official XSD and the DUIS requests; RTDS with keys

def test_every_catalogue_mmc_type_is_an_smetsdata_choice_in_the_official_xsd():
    xsd = require(OFFICIAL_XSD / "MMC Schema V5.4.xsd").read_text(encoding="utf-8")
    smets = xsd[xsd.index('<xs:element name="SMETSData"'):]
    smets = smets[:smets.index("</xs:choice>")]
    choices = set(re.findall(r'<xs:element name="(\w+Rsp)"', smets))
    for row in catalogue.USE_CASES:
        assert row.mmc_type in choices, row


# DUIS names the request element; MMC names the response "<request>Rsp", except here:
_MMC_NAME_EXCEPTIONS = {"ReadDeviceConfigurationBillingCalendar": "ReadDeviceConfigurationDataBillingCalendarRsp"}


def test_catalogue_mmc_type_matches_the_duis_request_of_each_rtds_srv():
    requests = require(SHARED / "corpus" / "duis-requests")
    checked = 0
    for row in catalogue.USE_CASES:
        for path in sorted(requests.glob(f"{row.use_case}_{row.srv}_*REQUEST_DUIS.XML")):
            tree = etree.parse(str(path), etree.XMLParser(resolve_entities=False, no_network=True))
            body = next(e for e in tree.iter() if etree.QName(e).localname == "Body")
            name = etree.QName(body[0]).localname
            variant = next(e.text for e in tree.iter()
                           if etree.QName(e).localname == "ServiceReferenceVariant")
            assert variant == row.srv, path.name
            assert row.mmc_type == _MMC_NAME_EXCEPTIONS.get(name, name + "Rsp"), path.name
            checked += 1
    assert checked >= 40


def gbz_responses() -> list[Path]:
    if not RTDS.exists():
        return []
    found = []
    for path in sorted(RTDS.glob("*/*_RESPONSE_GBCS.HEX")):
        payload = pandc.decode(path.read_text().strip()).payload
        if payload[:2] == b"\x01\x09":
            found.append(path)
    return found


@pytest.fixture(scope="module")
def keys():
    return pandc.KeyStore.from_directory(require(KEYSTORE))


_GBZ_RESPONSES = gbz_responses()


@pytest.mark.parametrize("path", _GBZ_RESPONSES, ids=[p.name for p in _GBZ_RESPONSES])
def test_rtds_gbz_response_gets_smetsdata_valid_against_the_official_xsd(path, keys):
    message = pandc.decode(path.read_text().strip(), keys=keys)
    row = catalogue.BY_CODE.get(message.message_code)
    if row is None:
        assert message.use_case in {u for u, _, _ in catalogue.NO_MMC_TYPE}
        return
    assert message.values is not None, message.warnings
    assert message.values.name == row.mmc_type
    xml = valid_official(message)
    tree = etree.fromstring(xml)
    element = tree.find(f".//ra:SMETSData/ra:{row.mmc_type}", namespaces=MMC_NS)
    success = element.get("MessageSuccess") == "true"
    assert success == (not message.failures)
    if "_ERROR_" in path.name or "_NOT_FOUND_" in path.name:
        assert not success and tree.find(".//ra:DebugInfo", namespaces=MMC_NS) is not None


def test_rtds_coverage_figure(keys):
    if not _GBZ_RESPONSES:
        require(RTDS)
    with_type = with_smets = 0
    for path in _GBZ_RESPONSES:
        message = pandc.decode(path.read_text().strip(), keys=keys)
        if message.message_code in catalogue.BY_CODE:
            with_type += 1
            with_smets += b"<ra:SMETSData>" in to_mmc(message)
    assert with_type >= 100 and with_smets == with_type


def test_rtds_billing_calendar_read_by_hand(keys):
    # GCS21d: PublishBillingPeriod: ProviderID(4) IssuerEventID(4) StartTime(4) Duration(3)
    # DurationType(1) TariffType(1), little-endian
    path = require(RTDS / "6.2.3_GCS21d" / "GCS21d_6.2.3_SUCCESS_RESPONSE_GBCS.HEX")
    message = pandc.decode(path.read_text().strip(), keys=keys)
    plaintext = message.parts[0].plaintext
    payload = plaintext[3:]
    start = int.from_bytes(payload[8:12], "little")
    duration = int.from_bytes(payload[12:15], "little")
    units = payload[15] & 0x0F
    expected = {(1, 1): "Daily", (2, 1): "Weekly", (3, 1): "Monthly", (3, 3): "Quarterly",
                (3, 6): "SixMonthly", (3, 12): "Yearly"}[(units, duration)]
    calendar = message.values.find("BillingCalendar/GasBillingCalendar")
    assert calendar.find("BillingPeriodStart").value == utc(start)
    assert calendar.find("Periodicity").value == expected


def test_rtds_daily_consumption_log_read_by_hand(keys):
    path = require(RTDS / "4.17_GCS61" / "GCS61_4.17_SUCCESS_RESPONSE_GBCS.HEX")
    message = pandc.decode(path.read_text().strip(), keys=keys)
    payload = message.parts[0].plaintext[3:]
    start = int.from_bytes(payload[2:6], "little")
    count = int.from_bytes(payload[9:11], "little")
    samples = [int.from_bytes(payload[11 + 3 * i:14 + 3 * i], "little") for i in range(count)]
    assert leaves(message.values, "Gas/LogEntry/Value") == [Decimal(s) for s in samples]
    assert leaves(message.values, "Gas/LogEntry/Timestamp")[0] == utc(start)


def test_coverage_rows_name_every_catalogue_use_case():
    rows = [r for r in coverage_rows() if r.encoding == "GBZ"]
    assert {r.use_case for r in rows} >= {u.use_case for u in catalogue.USE_CASES}
    assert all(r.mmc_type or r.status.startswith("no MMC type") for r in rows)


def test_docs_coverage_table_is_current():
    import importlib.util
    tool = Path(__file__).resolve().parents[1] / "tools" / "coverage_table.py"
    spec = importlib.util.spec_from_file_location("coverage_table", tool)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    assert module.main(["--check"]) == 0, "run python tools/coverage_table.py"


def prepay_snapshot(time: int, accumulated: int, debts: tuple[int, int, int], emergency: int,
                    credit: int) -> bytes:
    status = (le(accumulated, 4) + b"".join(le(d, 4) for d in debts) + le(emergency, 4)
              + le(credit, 4))
    return zcl_frame(CLUSTER_SPECIFIC, 0x01, le(0, 4) + le(time, 4) + b"\x01\x00\x01"
                     + le(1, 4) + b"\x00" + status)


def test_prepayment_daily_read_log():
    time = 86400 * 5                                       # 2000-01-06 00:00 UTC
    message = decode(0x0096, (0x0705, prepay_snapshot(time, -7, (1, 2, 3), 40, 5000)))
    entry = message.values.find("Gas/LogEntry")
    assert [(c.name, c.value) for c in entry.children] == [
        ("AccumulatedDebtRegister", -7), ("EmergencyCreditBalance", 40), ("MeterBalance", 5000),
        ("PaymentDebtRegister", 3), ("TimeDebtRegisters1", 1), ("TimeDebtRegisters2", 2),
        ("Timestamp", datetime(2000, 1, 6, tzinfo=timezone.utc))]
    valid_official(message)


def test_change_of_mode_billing_log():
    registers = le(900, 6) + b"\x02" + le(500, 6) + le(400, 6)          # type 4
    message = decode(0x00C3, (0x0702, snapshot(60, 0x10, 4, registers)),
                     (0x0705, prepay_snapshot(60, 0, (0, 0, 0), 0, 12)))
    gas = message.values.find("Gas")
    assert [c.name for c in gas.children] == ["LogEntryConsumptionRegister", "LogEntryPrepaymentData"]
    assert gas.find("LogEntryConsumptionRegister/ConsumptionRegister").value == Decimal(900)
    assert gas.find("LogEntryConsumptionRegister/Timestamp").value == utc(60)
    assert leaves(gas, "LogEntryConsumptionRegister/TariffTOURegisterMatrixValue") == [
        Decimal(500), Decimal(400)]
    assert gas.find("LogEntryPrepaymentData/MeterBalance").value == 12
    valid_official(message)


@pytest.mark.parametrize("status, state", [(0, "Disabled"), (1, "Armed"), (2, "Enabled")])
def test_supply_status(status, state):
    message = decode(0x0082, (0x0702, read_attributes(attribute(0x0014, 0x30, bytes([status])))))
    assert message.values.find("SupplyState").value == state
    valid_official(message)


# ---------------------------------------------------------------------------------------
# Hostile content: whatever the ZCL bytes, a PandcError or a result, never a crash

from hypothesis import given, settings, strategies as st  # noqa: E402

from pandc.errors import PandcError  # noqa: E402


@settings(max_examples=300, deadline=None)
@given(code=st.sampled_from(sorted(catalogue.BY_CODE)),
       cluster=st.sampled_from([0x0000, 0x0700, 0x0702, 0x0705, 0x0707, 0x0708, 0x0709]),
       frame_control=st.sampled_from([0x08, 0x09, 0x18, 0x19, 0x01]),
       command=st.sampled_from([0x00, 0x01, 0x02, 0x03, 0x04, 0x05, 0x06, 0x07, 0x09, 0x0B,
                                0x0C, 0x0D]),
       body=st.binary(max_size=120))
def test_any_zcl_content_gives_a_result_or_a_pandc_error(code, cluster, frame_control, command, body):
    raw = build_message(message_code=code, payload=gbz((cluster, zcl_frame(frame_control, command, body))))
    try:
        message = pandc.decode(raw)
    except PandcError:
        return
    if message.values is not None and (OFFICIAL_XSD / "MMC Schema V5.4.xsd").exists():
        report = pandc.validate(to_mmc(message), schema="mmc", schema_dir=OFFICIAL_XSD)
        assert report.valid, (report.errors, message.warnings)


def calendar_head() -> bytes:
    return le(0, 4) + le(1, 4) + le(2, 4)          # ProviderID, IssuerEventID, IssuerCalendarID


def test_non_disablement_calendar_from_friendly_credit_commands():
    day = zcl_frame(CLUSTER_SPECIFIC, 0x01, calendar_head() + bytes([1, 2, 0, 1, 3])
                    + le(0, 2) + b"\x01" + le(450, 2) + b"\x00")          # 00:00 on, 07:30 off
    week = zcl_frame(CLUSTER_SPECIFIC, 0x02, calendar_head() + bytes([2, 1, 1, 1, 1, 1, 3, 3]))
    seasons = zcl_frame(CLUSTER_SPECIFIC, 0x03, calendar_head() + b"\x00\x01"
                        + bytes([0xFF, 3, 29, 0xFF, 2]))                   # any year, 29 March
    special = zcl_frame(CLUSTER_SPECIFIC, 0x04, calendar_head() + le(0, 4) + bytes([3, 1, 0, 1])
                        + bytes([115, 12, 25, 0xFF, 4]))                   # 25 Dec 2015
    message = decode(0x00B5, (0x0705, read_attributes(attribute(0x0217, 0x23, le(9, 4)))),
                     (0x0707, day), (0x0707, week), (0x0707, seasons), (0x0707, special))
    gas = message.values.find("Gas")
    assert [c.name for c in gas.children] == ["NonDisablementCalendar", "DebtRecovery1"]
    calendar = gas.find("NonDisablementCalendar")
    profile = calendar.find("DayProfiles/GasNonDisablementDayProfile")
    assert leaves(profile, "TimeStartAction/StartTime") == [
        datetime(2000, 1, 1).time(), datetime(2000, 1, 1, 7, 30).time()]
    assert leaves(profile, "TimeStartAction/NonDisablementAction") == ["START", "STOP"]
    assert profile.find("GasDayName").value == 1
    assert leaves(calendar, "WeekProfiles/WeekProfile/ReferencedDayName") == [1, 1, 1, 1, 1, 3, 3]
    season = calendar.find("SeasonProfiles/Season")
    assert season.find("SeasonStartDate/GasYearWithWildcards/NonSpecifiedYear") is not None
    assert season.find("SeasonStartDate/GasMonthWithWildcards/SpecifiedMonth").value == 3
    assert season.find("SeasonStartDate/GasDayOfMonthWithWildcards/SpecifiedDayOfMonth").value == 29
    assert season.find("ReferencedWeekName").value == 2
    special_day = calendar.find("SpecialDays/SpecialDay")
    assert special_day.find("Date/GasYearWithWildcards/SpecifiedYear").value == 2015
    assert special_day.find("ReferencedDayName").value == 4
    assert [w for w in message.warnings if "missing from the response" not in w] == []
    valid_official(message)


def test_profile_data_most_recent_interval_first():
    end = 0x1C371240                                   # 2014-12-31 20:00 UTC
    payload = le(end, 4) + b"\x00\x02\x03" + le(7, 3) + le(0, 3) + le(0x0A0B0C, 3)
    message = decode(0x0078, (0x0702, zcl_frame(CLUSTER_SPECIFIC, 0x00, payload)))
    root = message.values
    assert leaves(root, "LogEntry/Gas/PrimaryValue") == [Decimal(7), Decimal(0), Decimal(0x0A0B0C)]
    assert leaves(root, "LogEntry/Timestamp") == [utc(end), utc(end - 1800), utc(end - 3600)]
    valid_official(message)


def test_profile_status_is_a_failure():
    payload = le(0, 4) + b"\x05\x02\x00"               # no intervals for the requested time
    message = decode(0x0078, (0x0702, zcl_frame(CLUSTER_SPECIFIC, 0x00, payload)))
    assert [f.name for f in message.failures] == ["NO_INTERVALS_AVAILABLE_FOR_THE_REQUESTED_TIME"]
    assert message.values.attribute("MessageSuccess") is False
    valid_official(message)


def test_debt_payments_log():
    entries = [(0x1C2F1E00, 250, 2, 1000), (0x1C300000, 75, 2, 925)]
    payload = b"\x00\x01" + b"".join(le(t, 4) + le(a, 4) + bytes([d]) + le(o, 4)
                                     for t, a, d, o in entries)
    message = decode(0x00C4, (0x0705, zcl_frame(CLUSTER_SPECIFIC, 0x04, payload)))
    root = message.values
    assert leaves(root, "PaymentBasedDebtRepayment/LogEntry/Amount") == [250, 75]
    assert leaves(root, "PaymentBasedDebtRepayment/LogEntry/Timestamp") == [
        utc(0x1C2F1E00), utc(0x1C300000)]
    valid_official(message)


def test_payload_past_the_message_size_limit_is_refused_before_reading():
    from pandc.codec.limits import MAX_MESSAGE_BYTES
    with pytest.raises(LimitError) as caught:
        zcl.read_attributes_response(bytes(MAX_MESSAGE_BYTES + 1), base=5)
    assert caught.value.offset == 5
