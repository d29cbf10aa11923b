"""The DLMS reads mapped last (issue 10, the 13 RTDS success responses whose values were not
mapped): each checked against values read here from the RTDS bytes by hand — literal offsets
worked out from the hex, or a few lines of A-XDR reading — never from pandc's own output.

Offsets are into the payload (the DLMS Access-Response): ``DA``, long-invoke-id-and-priority
(4), date-time ``00``, then the list-of-data count at offset 7 and its first item at 8.
"""
from __future__ import annotations

import functools

import pytest
from datetime import date, datetime, time, timedelta, timezone

import pandc
from pandc.api import decode_with_context
from pandc.io.duis import DuisPayload
from pandc.testing import build_message

from conftest import KEYSTORE, OFFICIAL_XSD, RTDS, require

UTC2000 = datetime(2000, 1, 1, tzinfo=timezone.utc)


@functools.lru_cache(maxsize=None)
def _rtds(name: str):
    path = next(require(RTDS).glob(f"*/{name}"))
    srv = path.parent.name.split("_")[0]
    keys = pandc.KeyStore.from_directory(require(KEYSTORE))
    message = decode_with_context(
        [(path.read_text().strip(), DuisPayload("", 0, None, None, None, srv))], keys=keys)[0]
    assert not isinstance(message, pandc.DecodeError), message
    return message


def _valid(message) -> None:
    report = pandc.mmc.validate(pandc.to_mmc(message), "mmc", schema_dir=OFFICIAL_XSD)
    assert report.valid, report.errors[:3]


def _clear(message) -> bytes:
    """The DLMS APDU with its protected attributes in the clear (the security layer's part)."""
    (part,) = [p for p in message.parts if p.kind == "dlms"]
    assert part.plaintext is not None
    return part.plaintext


def _date_time(octets: bytes) -> datetime:
    """12-octet COSEM date-time, deviation 0x8000 (UTC), read by hand."""
    assert len(octets) == 12 and octets[9:11] == b"\x80\x00"
    year = int.from_bytes(octets[0:2], "big")
    return datetime(year, octets[2], octets[3], octets[5], octets[6], octets[7],
                    tzinfo=timezone.utc)


def _u32(data: bytes, at: int) -> int:
    assert data[at] == 0x06                       # double-long-unsigned tag
    return int.from_bytes(data[at + 1:at + 5], "big")


# --- ECS18b (SRV 4.12.1) ---------------------------------------------------------------------

def test_ecs18b_maximum_demand_import_by_hand():
    message = _rtds("ECS18b_4.12.1_SUCCESS_RESPONSE_GBCS.HEX")
    p = message.payload
    assert p[7] == 9                              # nine Gets, in GBCS ECS18b order
    # items 0, 1: 09 0C + date-time (last reset, configurable-time then active energy)
    assert p[8:10] == p[22:24] == b"\x09\x0C"
    reset_configurable, reset_energy = _date_time(p[10:22]), _date_time(p[24:36])
    energy = _u32(p, 36)                          # 1-0:1.6.0.255 value
    assert p[41:47] == bytes.fromhex("02020F00161B")      # scaler 0, unit 27 (W)
    assert p[47:49] == b"\x09\x0C"
    energy_time = _date_time(p[49:61])
    configurable = _u32(p, 61)                    # 1-0:1.6.1.255 value
    assert p[66:72] == bytes.fromhex("02020F00161B")
    configurable_time = _date_time(p[74:86])
    # item 8: array(2) of schedule_table_entry structure(10); member 3 long-unsigned
    # script_selector, member 4 octet-string(4) switch_time
    assert p[86:90] == bytes.fromhex("0102020A")
    assert p[103:106] == b"\x12\x00\x01" and p[106:108] == b"\x09\x04"
    first_time = time(p[108], p[109])             # selector 1: the start
    assert p[149:152] == b"\x12\x00\x02" and p[152:154] == b"\x09\x04"
    second_time = time(p[154], p[155])            # selector 2: the end

    values = message.values
    assert values.name == "ReadMaximumDemandImportRegistersRsp"
    assert values.attribute("MessageSuccess") is True
    configurable_node = values.find("MaxDemandConfigurableTimeActivePowerImport")
    assert [(c.name, c.value) for c in configurable_node.children] == [
        ("Value", configurable), ("CaptureTime", configurable_time),
        ("LastResetDateTime", reset_configurable)]
    energy_node = values.find("MaxDemandActiveEnergyImport")
    assert [(c.name, c.value) for c in energy_node.children] == [
        ("Value", energy), ("CaptureTime", energy_time), ("LastResetDateTime", reset_energy)]
    period = values.find("MaxDemandConfigurableTimePeriod")
    assert [(c.name, c.value) for c in period.children] == [
        ("StartTime", first_time), ("EndTime", second_time)]
    assert (energy, configurable) == (0x12A7, 0x2F5A)
    assert (first_time, second_time) == (time(12, 0), time(9, 0))
    _valid(message)


# --- ECS17e (SRV 4.1.3) ----------------------------------------------------------------------

def test_ecs17e_tou_with_blocks_by_hand():
    message = _rtds("ECS17e_4.1.3_SUCCESS_RESPONSE_GBCS.HEX")
    clear = _clear(message)
    # decrypted protected attributes: structure(1) structure(1) array(64) of 06 + 4 octets
    start = clear.index(bytes.fromhex("020102010140")) + 6
    numbers = [_u32(clear, start + 5 * i) for i in range(64)]
    blocks = [c for c in message.values.find("TariffBlockTOURegisterCollection").children]
    assert [b.attribute("index") for b in blocks] == [1, 2, 3, 4]
    for b, block in enumerate(blocks):
        registers = [(c.attribute("index"), c.value) for c in block.children
                     if c.name == "RegisterMatrixTOUValue"]
        counters = [(c.attribute("index"), c.value) for c in block.children
                    if c.name == "CounterMatrixTOUValue"]
        # GBCS: [16b+1..16b+8] register matrix values of block b+1, the next 8 its counters
        assert registers == list(enumerate(numbers[16 * b:16 * b + 8], start=1))
        assert counters == list(enumerate(numbers[16 * b + 8:16 * b + 16], start=1))
    assert numbers[0] == 95 and numbers[8] == 39
    _valid(message)


# --- ECS25r1 / ECS25r2 (SRV 6.2.10) ----------------------------------------------------------

def _settings_bits(payload: bytes, count: int) -> list[set[int]]:
    """``count`` items 04 82 01 00 + 32 octets (bit-string of 256 bits), from offset 8; GBCS
    numbers the bits LSB = 0, so bit n is (octet 31 - n // 8) >> (n % 8)."""
    found, at = [], 8
    for _ in range(count):
        assert payload[at:at + 4] == b"\x04\x82\x01\x00"
        octets = payload[at + 4:at + 36]
        found.append({n for n in range(256) if octets[31 - n // 8] >> (n % 8) & 1})
        at += 36
    return found


def _enabled(group) -> dict[str, str]:
    return {c.name: c.value for c in group.children}


def test_ecs25r1_supplier_settings_by_hand():
    message = _rtds("ECS25r1_6.2.10_SUCCESS_RESPONSE_GBCS.HEX")
    wan, han, alarm, logging = _settings_bits(message.payload, 4)
    settings = message.values.find("ElectricitySupplierAlertEventSettings")
    names = ["ElectricitySupplierWANAlertSettings", "ElectricitySupplierHANAlertSettings",
             "ElectricitySupplierAlarmSettings", "ElectricitySupplierLoggingSettings"]
    assert [c.name for c in settings.children] == names
    for name, bits in zip(names, (wan, han, alarm, logging)):
        common = _enabled(settings.find(name + "/SupplierESMECommon"))
        assert len(common) == 42
        for element, state in common.items():
            code = int(element[1:], 16)
            assert code >> 8 == 0x81
            assert state == ("Enable" if code & 0xFF in bits else "Disable"), (name, element)
        # 0x81B7 (polyphase only) is not enabled in any of the four strings
        assert 0xB7 not in bits and settings.find(name + "/SupplierESMEPolyPhase") is None
    # spot checks read straight from the hex: HAN sharing enables 810D, 8119, 8168, ...
    assert {0x0D, 0x19, 0x68, 0xAA, 0xAB, 0xC4} <= han and alarm == set()
    assert _enabled(settings.find(names[1] + "/SupplierESMECommon"))["x8168"] == "Enable"
    _valid(message)


def test_ecs25r2_network_operator_settings_by_hand():
    message = _rtds("ECS25r2_6.2.10_SUCCESS_RESPONSE_GBCS.HEX")
    wan, logging = _settings_bits(message.payload, 2)
    assert wan == logging == {0x14, 0x15}
    settings = message.values.find("ElectricityNetworkOperatorAlertEventSettings")
    for name in ("ElectricityNetworkOperatorWANAlertSettings",
                 "ElectricityNetworkOperatorLoggingSettings"):
        group = settings.find(name)
        assert [c.name for c in group.children] == ["NetworkOperatorESMECommon"]
        assert _enabled(group.children[0]) == {"x8014": "Enable", "x8015": "Enable"}
    # no single- or polyphase-only code is enabled: which group applies is not guessed
    assert sum("do not tell" in w for w in message.warnings) == 2
    _valid(message)


# --- CCS07 (SRV 8.9) -------------------------------------------------------------------------

def _backup_pan(p: bytes, at: int) -> tuple[list[tuple[bytes, bytes]], int]:
    """structure(3) { 09 0C date-time, 09 08 PAN id, array(n) of structure(2) { 09 08 MAC,
    09 10 hashed key } } at ``at``; returns the (MAC, hash) pairs and the next offset."""
    assert p[at:at + 4] == b"\x02\x03\x09\x0C"
    at += 4 + 12
    assert p[at:at + 2] == b"\x09\x08"
    at += 2 + 8
    assert p[at] == 0x01
    count, at = p[at + 1], at + 2
    pairs = []
    for _ in range(count):
        assert p[at:at + 4] == b"\x02\x02\x09\x08" and p[at + 12:at + 14] == b"\x09\x10"
        pairs.append((p[at + 4:at + 12], p[at + 14:at + 30]))
        at += 30
    return pairs, at


def test_ccs07_chf_device_logs_by_hand():
    message = _rtds("CCS07_8.9_SUCCESS_RESPONSE_GBCS.HEX")
    p = message.payload
    assert p[7] == 2                              # two method results: current, historic log
    current, at = _backup_pan(p, 8)
    historic, _ = _backup_pan(p, at)
    log = message.values.find("CHFConnectedDeviceLog")
    for name, pairs in (("CHFCurrentConnectedDeviceLogEntry", current),
                        ("CHFHistoricConnectedDeviceLogEntry", historic)):
        entries = [c for c in log.children if c.name == name]
        assert [(e.find("DeviceID").value, e.find("DeviceSecurityDetails").value)
                for e in entries] == [
            ("-".join(f"{b:02X}" for b in mac), key.hex().upper()) for mac, key in pairs]
    assert current[0][0] == bytes.fromhex("00DB1234567890A0") and len(historic) == 2
    _valid(message)


def test_ccs06_link_quality_is_the_average_rssi_by_hand():
    message = _rtds("CCS06_8.9_SUCCESS_RESPONSE_GBCS.HEX")
    p = message.payload
    # array(2) at 8; entry structure(14) at 10: 09 08 MAC (12), 04 08 status (22),
    # 0F maxRSSI (25), 0F averageRSSI (27), 0F minRSSI (29) ...
    assert p[8:12] == b"\x01\x02\x02\x0E" and p[22:24] == b"\x04\x08"
    assert p[25] == p[27] == p[29] == 0x0F
    average_rssi = int.from_bytes(p[28:29], "big", signed=True)
    entry = message.values.find("CHFDeviceLog").children[0]
    assert entry.find("SubGHzLinkQuality").value == average_rssi == -50
    _valid(message)


# --- ECS20c (SRV 4.4.3) and ECS21b (SRV 4.14) ---------------------------------------------------

def _words(contents: bytes, signed: bool = False) -> list[int]:
    return [int.from_bytes(contents[i:i + 4], "big", signed=signed)
            for i in range(0, len(contents), 4)]


def _compact(clear: bytes, description: bytes) -> bytes:
    """The contents of the compact-array (13) whose type description is ``description``:
    BER length (one octet, or 81/82 + octets), then the packed values."""
    at = clear.index(b"\x13" + description) + 1 + len(description)
    first = clear[at]
    if first < 0x80:
        return clear[at + 1:at + 1 + first]
    size = int.from_bytes(clear[at + 1:at + 1 + (first & 0x7F)], "big")
    start = at + 1 + (first & 0x7F)
    return clear[start:start + size]


# prepayment log entry: structure(7) { double-long-unsigned, 6 x double-long }
PREPAYMENT_ENTRY = bytes.fromhex("0207" "06" "050505050505")
# GBCS entry_prepaymentReadLogEntry member order -> MMC PrepaymentOperationalDataType names
PREPAYMENT_MEMBERS = ("EmergencyCreditBalance", "MeterBalance", "PaymentDebtRegister",
                      "TimeDebtRegisters1", "TimeDebtRegisters2", "AccumulatedDebtRegister")


def _prepayment_entries(clear: bytes) -> list[dict[str, object]]:
    words = _compact(clear, PREPAYMENT_ENTRY)
    assert len(words) % 28 == 0
    out = []
    for i in range(0, len(words), 28):
        seconds = int.from_bytes(words[i:i + 4], "big")
        values = _words(words[i + 4:i + 28], signed=True)
        entry: dict[str, object] = dict(zip(PREPAYMENT_MEMBERS, values))
        entry["Timestamp"] = UTC2000 + timedelta(seconds=seconds)
        out.append(entry)
    return out


def _as_dict(element) -> dict[str, object]:
    return {c.name: c.value for c in element.children}


def test_ecs21b_prepayment_daily_read_log_by_hand():
    for name in ("ECS21b_4.14_KRP_SUCCESS_RESPONSE_GBCS.HEX",
                 "ECS21b_4.14_URP_SUCCESS_RESPONSE_GBCS.HEX"):
        message = _rtds(name)
        expected = _prepayment_entries(_clear(message))
        entries = message.values.find("Electricity").children
        assert len(entries) == len(expected) == 7
        assert [_as_dict(e) for e in entries] == expected
        # MMC element order: AccumulatedDebtRegister first, Timestamp last
        assert [c.name for c in entries[0].children][0::6] == [
            "AccumulatedDebtRegister", "Timestamp"]
        _valid(message)


@pytest.mark.parametrize("name, twin", [
    ("ECS20c_4.4.3_SINGLE_SUCCESS_RESPONSE_GBCS.HEX", False),
    ("ECS20c_4.4.3_TWIN_SUCCESS_RESPONSE_GBCS.HEX", True)])
def test_ecs20c_billing_data_log_by_hand(name, twin):
    message = _rtds(name)
    clear = _clear(message)
    # billing entries: compact-array of structure { dlu timestamp, dlu active import,
    # [dlu secondary], array(48) dlu, [array(4) dlu], 4 x array(8) dlu }
    if twin:
        description = bytes.fromhex("0209" "06" "06" "06" "01003006" "01000406") + \
            bytes.fromhex("01000806") * 4
        sizes = [("ActiveImportRegisterValueConsumption", 1),
                 ("SecondaryActiveImportRegisterValueConsumption", 1),
                 ("TariffTOURegisterMatrixValue", 48),
                 ("SecondaryTariffTOURegisterMatrixValue", 4)]
    else:
        description = bytes.fromhex("0207" "06" "06" "01003006") + bytes.fromhex("01000806") * 4
        sizes = [("ActiveImportRegisterValueConsumption", 1),
                 ("TariffTOURegisterMatrixValue", 48)]
    sizes += [(f"TariffTOUBlock{n}RegisterMatrixValue", 8) for n in range(1, 5)]
    words = _words(_compact(clear, description))
    per_entry = 1 + sum(size for _, size in sizes)
    assert len(words) % per_entry == 0
    billing = [c for c in message.values.find("Electricity").children
               if c.name == "ESMEBillingDataLogEntry"]
    assert len(billing) == len(words) // per_entry == 2
    for n, element in enumerate(billing):
        entry = words[n * per_entry:(n + 1) * per_entry]
        expected = [("Timestamp", UTC2000 + timedelta(seconds=entry[0]), None)]
        at = 1
        for element_name, size in sizes:
            for index in range(size):
                expected.append((element_name, entry[at + index],
                                 None if size == 1 else index + 1))
            at += size
        assert [(c.name, c.value, c.attribute("index")) for c in element.children] == expected
    prepayment = [_as_dict(c) for c in message.values.find("Electricity").children
                  if c.name == "ESMEBillingPrepaymentDataLogEntry"]
    assert prepayment == _prepayment_entries(clear)
    _valid(message)


# --- ECS35g (SRV 6.13) -----------------------------------------------------------------------

ACTIONS = {0x11: "On", 0x12: "Off", 0x20: "Revert to calendar control",
           0x00: "Entry relates to a Message from an HC ALCS"}
OUTCOMES = {0: "Outcome not known", 1: "Success", 2: "Failure"}


def test_ecs35g_alcs_event_log_by_hand():
    message = _rtds("ECS35g_6.13_SUCCESS_RESPONSE_GBCS.HEX")
    p = message.payload
    # one item: compact-array 13, type structure(4) { 06 dlu, 12 long-unsigned, 16 enum,
    # 06 dlu }, contents length 82 01 13 = 275 = 25 entries of 4 + 2 + 1 + 4 octets
    assert p[7:15] == bytes.fromhex("01" "13" "0204061216" "06") and p[15] == 0x82
    size = int.from_bytes(p[16:18], "big")
    contents = p[18:18 + size]
    assert size == 275
    expected = []
    for i in range(0, size, 11):
        seconds = int.from_bytes(contents[i:i + 4], "big")
        switch, action = contents[i + 4], contents[i + 5]
        outcome = contents[i + 6]
        command = int.from_bytes(contents[i + 7:i + 11], "big")
        expected.append({"Timestamp": UTC2000 + timedelta(seconds=seconds),
                         "SwitchNumber": switch, "SwitchAction": ACTIONS[action],
                         "Outcome": OUTCOMES[outcome], "HANCommandID": command})
    entries = message.values.find("ALCSEvent").children
    assert [_as_dict(e) for e in entries] == expected
    assert expected[0]["SwitchNumber"] == 2 and expected[0]["SwitchAction"] == "On"
    _valid(message)


def test_alcs_action_without_an_mmc_name_is_refused_with_its_offset():
    # ECS35f, one entry whose right octet (0x55) is no GBCS switch action
    entry = (b"\x02\x04" + b"\x06\x00\x00\x00\x01" + b"\x12\x01\x55" + b"\x16\x01"
             + b"\x06\x00\x00\x00\x00")
    apdu = bytes.fromhex("DA20000001" "00" "00") + b"\x01\x01\x01" + entry + b"\x01\x01\x00"
    blob = build_message(message_code=0x00BA, payload=apdu).hex()
    message = pandc.decode(blob)
    assert message.values is None
    assert any("0x55 has no MMC name" in w for w in message.warnings)


# --- ECS61e (SRV 7.15) -----------------------------------------------------------------------

def test_ecs61e_auxiliary_controller_operational_data_by_hand():
    message = _rtds("ECS61e_7.15_SUCCESS_RESPONSE_GBCS.HEX")
    p = message.payload
    assert p[7] == 10                         # five typeAndIdentifier, five state texts
    at, octets, texts = 8, [], []
    for _ in range(5):
        assert p[at] == 0x09                  # octet-string, one-octet length
        octets.append(p[at + 2:at + 2 + p[at + 1]])
        at += 2 + p[at + 1]
    for _ in range(5):
        assert p[at] == 0x0C and p[at + 1] < 0x80     # utf8-string, short length
        texts.append(p[at + 2:at + 2 + p[at + 1]].decode("utf-8"))
        at += 2 + p[at + 1]

    def expected_type(raw: bytes) -> dict[str, str]:
        # GBCS ECS61e: empty = none, FF = APC, eight zeros = ALCS, else the HCALCS's EUI-64
        if raw == b"":
            return {"AuxiliaryControllerType": "None"}
        if raw == b"\xff":
            return {"AuxiliaryControllerType": "APC"}
        if raw == bytes(8):
            return {"AuxiliaryControllerType": "ALCS"}
        return {"AuxiliaryControllerType": "HCALCS",
                "HCALCSID": "-".join(f"{b:02X}" for b in raw)}

    groups = message.values.children
    assert [g.attribute("auxiliaryControllerN") for g in groups] == [1, 2, 3, 4, 5]
    for group, raw, text in zip(groups, octets, texts):
        assert _as_dict(group.find("TypeAndIdentifier")) == expected_type(raw)
        state = group.find("AuxiliaryControllerStateAndAssociatedInformation")
        assert _as_dict(state) == {"StateAndAssociatedInformation": text}
    assert [expected_type(r)["AuxiliaryControllerType"] for r in octets] == [
        "HCALCS", "ALCS", "APC", "None", "ALCS"]
    _valid(message)


# --- ECS26a (SRV 4.13) -----------------------------------------------------------------------

def _signed(data: bytes) -> int:
    return int.from_bytes(data, "big", signed=True)


def test_ecs26a_prepayment_configuration_by_hand():
    message = _rtds("ECS26a_4.13_SINGLE_SUCCESS_RESPONSE_GBCS.HEX")
    p = message.payload
    assert p[7] == 18                                 # eighteen Gets, GBCS ECS26a order
    # scalar items (offsets from walking the list-of-data): tag, then the value octets
    assert (p[204], p[207], p[212:214], p[214], p[219], p[224], p[229], p[237], p[242]) == (
        0x12, 0x05, b"\x01\x01", 0x05, 0x05, 0x05, 0x12, 0x05, 0x05)
    expected = {
        "DebtRecoveryPerPayment": _signed(b"\x00" + p[205:207]),     # item 7 long-unsigned
        "DebtRecoveryRateCap": _signed(b"\x00" + p[230:232]),        # item 12 long-unsigned
        "DisablementThreshold": _signed(p[215:219]),                 # item 9 thresholds[1]
        "EmergencyCreditLimit": _signed(p[238:242]),                 # item 14
        "EmergencyCreditThreshold": _signed(p[243:247]),             # item 15
        "LowCreditThreshold": _signed(p[225:229]),                   # item 11
        "CreditMaxCreditThreshold": _signed(p[208:212]),             # item 8
        "MaxCreditMaxMeterBalance": _signed(p[220:224]),             # item 10
    }
    leaves = {c.name: c.value for c in message.values.children if c.value is not None}
    assert leaves == expected
    assert expected["DisablementThreshold"] == -500000

    # DebtRecoveryRates[1]: item 0 structure { {0F commodity, 0F price_scale}, ..., array(1)
    # { {09 00, 10 charge_per_unit} } }, item 2 period (06 + 4); [2]: items 4 and 5
    assert p[14] == 0x0F and p[37] == 0x10 and p[98] == 0x06 and p[141] == 0x0F and p[164] == 0x10
    electricity = message.values.find("Electricity")
    for n, (scale, charge, period) in enumerate(((p[15], p[38:40], p[99:103]),
                                                 (p[142], p[165:167], p[168:172])), start=1):
        seconds = int.from_bytes(period, "big")
        assert _as_dict(electricity.find(f"DebtRecovery{n}")) == {
            "DebtRecoveryRate": _signed(charge), "DebtRecoveryRatePriceScale": _signed(bytes([scale])),
            "DebtRecoveryRatePeriod": {3600: "HOURLY", 86400: "DAILY"}[seconds]}

    # special days: item 1 array(4) of structure { 12 index, 09 05 date, 11 day_id }
    calendar = electricity.find("NonDisablementCalendar")
    days = calendar.find("ElectricitySpecialDays").children
    assert p[40:42] == b"\x01\x04" and len(days) == 4
    for n, day in enumerate(days):
        at = 42 + 14 * n
        assert p[at:at + 3] == b"\x02\x03\x12" and p[at + 5:at + 7] == b"\x09\x05"
        index, octets = int.from_bytes(p[at + 3:at + 5], "big"), p[at + 7:at + 12]
        year = int.from_bytes(octets[:2], "big")
        assert day.attribute("index") == index
        assert day.find("Year").children[0].name == (
            "NonSpecifiedYear" if year == 0xFFFF else "SpecifiedYear")
        assert day.find("Month/SpecifiedMonth").value == octets[2]
        assert day.find("DayOfMonth/SpecifiedDayOfMonth").value == octets[3]
        assert day.find("DayOfWeek").children[0].name == "NonSpecifiedDayOfWeek"

    # schedule: item 16 array(6) of structure(10), 47 octets each from offset 249
    schedule = [c for c in calendar.children if c.name == "ElectricityNonDisablementSchedule"]
    assert p[247:249] == b"\x01\x06" and len(schedule) == 6
    weekdays = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
    for n, entry in enumerate(schedule):
        at = 249 + 47 * n
        assert p[at + 18:at + 20] == b"\x09\x04" and p[at + 27:at + 29] == b"\x04\x07"
        assert p[at + 30:at + 32] == b"\x04\x04" and p[at + 33:at + 35] == b"\x09\x05"
        switch = time(p[at + 20], p[at + 21])
        week_bits = p[at + 29]
        special_bits = p[at + 32]
        begin, end = p[at + 35:at + 40], p[at + 42:at + 47]
        when = entry.find("ScheduleDatesAndTime")
        assert [(c.name, c.value) for c in when.children] == [
            ("SwitchTime", switch),
            ("StartDate", date(int.from_bytes(begin[:2], "big"), begin[2], begin[3])),
            ("EndDate", date(int.from_bytes(end[:2], "big"), end[2], end[3]))]
        days_on = [c.find("DayOfWeekID").value for c in entry.find("DaysOfWeekApplicability").children]
        assert days_on == [weekdays[i] for i in range(7) if week_bits >> (7 - i) & 1]
        special_on = [c.find("SpecialDayID").value
                      for c in entry.find("SpecialDaysApplicability").children]
        assert special_on == [i + 1 for i in range(4) if special_bits >> (7 - i) & 1]
    assert [c.find("DayOfWeekID").value
            for c in schedule[0].find("DaysOfWeekApplicability").children] == ["Saturday", "Sunday"]
    assert any("SuspendDebtDisabled" in w for w in message.warnings)
    _valid(message)


# --- reads RTDS has only error responses for: built from GBCS's attribute lists ---------------

def _built(code: int, data: bytes, results: bytes, srv: str):
    apdu = bytes.fromhex("DA20000001" "00" "00") + data + results
    blob = build_message(message_code=code, payload=apdu).hex()
    return decode_with_context([(blob, DuisPayload("", 0, None, None, None, srv))])[0]


def test_ecs17a_export_registers_from_gbcs_list():
    # 1-0:2.8.0 value 1234 (scaler 1, Wh); 1-0:4.8.0 value 56 (scaler 0, varh)
    data = (b"\x04" + b"\x06\x00\x00\x04\xD2" + b"\x02\x02\x0F\x01\x16\x1E"
            + b"\x06\x00\x00\x00\x38" + b"\x02\x02\x0F\x00\x16\x20")
    message = _built(0x0026, data, b"\x04" + b"\x01\x00" * 4, "4.2")     # four Gets, success
    assert [(c.name, _as_dict(c)) for c in message.values.children] == [
        ("ActiveExportRegister", {"Value": 12340, "ActiveEnergyUnit": "Wh"}),
        ("ReactiveExportRegister", {"Value": 56, "ReactiveEnergyUnit": "varh"})]
    _valid(message)


@pytest.mark.parametrize("state, text", [(0, "Disabled"), (1, "Enabled"), (2, "Armed")])
def test_ecs45_supply_state_from_gbcs_list(state, text):
    message = _built(0x0052, b"\x01\x16" + bytes([state]), b"\x01\x01\x00", "7.4")
    assert _as_dict(message.values) == {"SupplyState": text}
    _valid(message)


def _dlu(value: int) -> bytes:
    return b"\x06" + value.to_bytes(4, "big")


def test_ecs21a_daily_read_log_from_gbcs_entry():
    # one single-element entry: timestamp, active import, 48 TOU, 4 x 8 block registers
    seconds = 24 * 3600 * 5479                       # 2015-01-01T00:00:00Z
    tou = list(range(100, 148))
    blocks = [[1000 * b + i for i in range(8)] for b in range(1, 5)]
    entry = (b"\x02\x07" + _dlu(seconds) + _dlu(777) + b"\x01\x30" + b"".join(map(_dlu, tou))
             + b"".join(b"\x01\x08" + b"".join(map(_dlu, block)) for block in blocks))
    data = b"\x01" + b"\x02\x01" + b"\x01\x01" + entry      # one item: structure(1){array(1)}
    message = _built(0x0033, data, b"\x01\x01\x00", "4.6.1")
    (log,) = message.values.children
    assert log.find("Timestamp").value == datetime(2015, 1, 1, tzinfo=timezone.utc)
    electricity = log.find("Electricity")
    expected = [("ElecActiveImportRegisterConsumption", 777, None)]
    expected += [("TariffTOURegisterMatrixValue", v, i) for i, v in enumerate(tou, start=1)]
    for b, block in enumerate(blocks, start=1):
        expected += [(f"TariffTOUBlock{b}RegisterMatrixValue", v, i)
                     for i, v in enumerate(block, start=1)]
    assert [(c.name, c.value, c.attribute("index")) for c in electricity.children] == expected
    _valid(message)


def test_ecs26k_polyphase_voltage_settings_from_gbcs_order():
    # items 0-7: limiter threshold, duration x 4; items 8-13: 32.35 (P1 over), 32.31 (P1
    # under), 52.31 (P2 under), 52.35 (P2 over), 72.31 (P3 under), 72.35 (P3 over)
    limiters = [(260 + n, 10 + n) for n in range(4)]
    phases = [253, 207, 208, 254, 209, 255]
    data = bytes([14]) + b"".join(_dlu(t) + _dlu(d) for t, d in limiters) + b"".join(map(_dlu, phases))
    message = _built(0x00C6, data, b"\x0E" + b"\x01\x00" * 14, "6.2.1")
    poly = [c for c in message.values.children if c.name == "PolyPhaseVoltageSettings"]
    assert [(g.find("Phase").value, _as_dict(g.find("PhaseVoltageSettings"))) for g in poly] == [
        (1, {"AverageRMSOverVoltageThreshold": 253, "AverageRMSUnderVoltageThreshold": 207}),
        (2, {"AverageRMSOverVoltageThreshold": 254, "AverageRMSUnderVoltageThreshold": 208}),
        (3, {"AverageRMSOverVoltageThreshold": 255, "AverageRMSUnderVoltageThreshold": 209})]
    names = ("RMSExtremeOverVoltage", "RMSExtremeUnderVoltage", "RMSVoltageSag", "RMSVoltageSwell")
    expected = {}
    for name, (threshold, duration) in zip(names, limiters):
        expected[f"{name}MeasurementPeriod"] = duration
        expected[f"{name}Threshold"] = threshold
    assert _as_dict(message.values.find("RMSVoltageSettings")) == expected
    _valid(message)


def test_ecs20b_change_of_mode_billing_log_from_gbcs_entry():
    # one twin-element entry: timestamp, active, secondary active, 48 TOU, 4 secondary TOU,
    # 4 x 8 block registers, then ECB, MB, PDR, TD1, TD2, ADR (double-long)
    seconds = 24 * 3600 * 5479 + 60
    tou, second_tou = list(range(48)), [900, 901, 902, 903]
    blocks = [[10 * b + i for i in range(8)] for b in range(1, 5)]
    prepay = [-5, 6, 7, 8, 9, 10]
    entry = (b"\x02" + bytes([15]) + _dlu(seconds) + _dlu(500) + _dlu(501)
             + b"\x01\x30" + b"".join(map(_dlu, tou)) + b"\x01\x04" + b"".join(map(_dlu, second_tou))
             + b"".join(b"\x01\x08" + b"".join(map(_dlu, block)) for block in blocks)
             + b"".join(b"\x05" + v.to_bytes(4, "big", signed=True) for v in prepay))
    data = b"\x01" + b"\x02\x01" + b"\x01\x01" + entry
    message = _built(0x002F, data, b"\x01\x01\x00", "4.4.2")
    electricity = message.values.find("Electricity")
    registers, prepayment = electricity.children
    when = datetime(2015, 1, 1, 0, 1, tzinfo=timezone.utc)
    expected = [("ActiveImportRegisterConsumption", 500, None)]
    expected += [("TariffTOURegisterMatrixValue", v, i) for i, v in enumerate(tou, start=1)]
    for b, block in enumerate(blocks, start=1):
        expected += [(f"TariffTOUBlock{b}RegisterMatrixValue", v, i) for i, v in enumerate(block, start=1)]
    expected += [("SecondaryActiveImportRegisterConsumption", 501, None)]
    expected += [("SecondaryTariffTOURegisterMatrixValue", v, i) for i, v in enumerate(second_tou, start=1)]
    expected += [("Timestamp", when, None)]
    assert registers.name == "LogEntryConsumptionAndTariffRegistersData"
    assert [(c.name, c.value, c.attribute("index")) for c in registers.children] == expected
    # GBCS member order ECB, MB, PDR, TD1, TD2, ADR; MMC order ADR first, Timestamp last
    assert [(c.name, c.value) for c in prepayment.children] == [
        ("AccumulatedDebtRegister", 10), ("EmergencyCreditBalance", -5), ("MeterBalance", 6),
        ("PaymentDebtRegister", 7), ("TimeDebtRegisters1", 8), ("TimeDebtRegisters2", 9),
        ("Timestamp", when)]
    _valid(message)


def _date_time_octets(year: int, month: int, day: int, hour: int, minute: int) -> bytes:
    return (year.to_bytes(2, "big") + bytes([month, day, 0xFF, hour, minute, 0, 0])
            + b"\x80\x00\xFF")


def test_ecs18a_maximum_demand_export_from_gbcs_order():
    reset = _date_time_octets(2015, 1, 1, 0, 0)
    captured = _date_time_octets(2015, 1, 2, 17, 30)
    data = (b"\x04" + b"\x09\x0C" + reset + _dlu(4200) + b"\x02\x02\x0F\x00\x16\x1B"
            + b"\x09\x0C" + captured)
    message = _built(0x002B, data, b"\x04" + b"\x01\x00" * 4, "4.12.2")
    assert _as_dict(message.values.find("MaxDemandActiveEnergyExport")) == {
        "Value": 4200, "CaptureTime": datetime(2015, 1, 2, 17, 30, tzinfo=timezone.utc),
        "LastResetDateTime": datetime(2015, 1, 1, tzinfo=timezone.utc)}
    _valid(message)


@pytest.mark.parametrize("state, text", [(True, "Disable"), (False, "Unchanged")])
def test_ecs27_load_limit_data_from_gbcs_order(state, text):
    data = (b"\x06" + b"\x03" + bytes([state]) + _dlu(3) + b"\x02\x02\x0F\x00\x16\xFF"
            + _dlu(7000) + _dlu(60) + _dlu(300))
    message = _built(0x0042, data, b"\x06" + b"\x01\x00" * 6, "4.15")
    assert [(c.name, c.value) for c in message.values.children] == [
        ("LoadLimitCounterValue", 3), ("LoadLimitPowerThreshold", 7000), ("LoadLimitPeriod", 60),
        ("LoadLimitRestorationPeriod", 300), ("LoadLimitSupplyState", text)]
    _valid(message)


@pytest.mark.parametrize("code, srv, element, limit", [
    (0x002E, "4.4.4", "PaymentBasedDebtRepayment", 10), (0x00C9, "4.4.5", "PrepaymentCredits", 5)])
def test_ecs20a_ecs20d_amount_logs_from_gbcs_entry(code, srv, element, limit):
    # entry_dlValueLogEntry { double-long-unsigned UTC seconds, double-long-unsigned amount }
    seconds = 24 * 3600 * 5479
    entries = [(seconds + 3600 * i, 1000 + i) for i in range(2)]
    data = b"\x01\x01" + bytes([len(entries)]) + b"".join(
        b"\x02\x02" + _dlu(t) + _dlu(a) for t, a in entries)
    message = _built(code, data, b"\x01\x01\x00", srv)
    log = message.values.find(element).children
    assert [_as_dict(e) for e in log] == [
        {"Amount": a, "Timestamp": UTC2000 + timedelta(seconds=t)} for t, a in entries]
    _valid(message)
    # more entries than MMC allows are refused, not cut
    many = b"\x01\x01" + bytes([limit + 1]) + (b"\x02\x02" + _dlu(seconds) + _dlu(1)) * (limit + 1)
    refused = _built(code, many, b"\x01\x01\x00", srv)
    assert refused.values is None and any(f"MMC allows {limit}" in w for w in refused.warnings)


def test_ecs35a_event_log_other_information_from_gbcs_entry():
    # entry_eventLogEntry8 { UTC seconds, long-unsigned log code, octet-string(8) other info }
    entry = b"\x02\x03" + _dlu(86400) + b"\x12\x80\x1D" + b"\x09\x08" + bytes(range(8))
    message = _built(0x0048, b"\x01\x01\x01" + entry, b"\x01\x01\x00", "6.13")
    (log,) = message.values.find("Log").children
    assert _as_dict(log) == {"Timestamp": UTC2000 + timedelta(days=1), "LogCode": b"\x80\x1D",
                             "OtherInformation": "0001020304050607"}
    _valid(message)


def _lu(value: int) -> bytes:
    return b"\x12" + value.to_bytes(2, "big")


def _u(value: int) -> bytes:
    return b"\x11" + bytes([value])


def test_dbch03_configuration_counts_and_periods_from_gbcs_structure():
    masks = [(28 << 27) | 0b1, (29 << 27) | 0b10, (30 << 27) | 0b100, (31 << 27) | 0b1000]
    config = (b"\x02\x0F" + b"".join(b"\x04\x20" + m.to_bytes(4, "big") for m in masks)
              + _lu(100) + _lu(200) + _u(3) + _lu(1440) + _u(6) + _u(9) + _lu(500) + _u(48)
              + _lu(30) + _lu(700) + _lu(800))
    message = _built(0x010C, b"\x01" + config, b"\x01\x01\x00", "6.30")
    leaves = {c.name: c.value for c in message.values.children if c.value is not None}
    assert leaves == {"MaximumSubGHzChannelChangesPerWeek": 3, "GSMECurfew": 1440,
                      "ChannelQuieterThreshold": 6, "ChannelNoisierThreshold": 9,
                      "NonGSMEPoorCommsMeasurementPeriods": 48, "LocalCHNoiseMeasurementPeriod": 30}
    assert [c.name for c in message.values.find("LowerBandSubGHzChannels27To34").children] == [
        "Channel28"]
    assert any("NormalLimitedDutyCycleThreshold" in w for w in message.warnings)
    _valid(message)


def test_dbch02_channel_log_from_gbcs_entry():
    entry = b"\x02\x03" + _dlu(3600) + b"\x12\x80\xB2" + b"\x09\x08" + bytes(8)
    message = _built(0x010B, b"\x01\x01\x01" + entry, b"\x01\x01\x00", "6.32")
    (log,) = message.values.children
    assert _as_dict(log) == {"Timestamp": UTC2000 + timedelta(hours=1), "EventCode": b"\x80\xB2"}
    _valid(message)


def test_ecs70_synchronise_clock_is_valid_in_the_bundled_profile_too():
    # SynchroniseClockRsp is shared by GCS28 (ASN.1, Gas) and ECS70 (DLMS, Electricity)
    message = _rtds("ECS70_6.11_SUCCESS_RESPONSE_GBCS.HEX")
    assert message.values.find("Electricity/ElecClockTimeStatus") is not None
    report = pandc.mmc.validate(pandc.to_mmc(message), "mmc")
    assert report.valid, report.errors[:2]
    _valid(message)


def test_ecs26c_randomisation_from_gbcs_order():
    message = _built(0x003D, b"\x03" + _lu(120) + _lu(7) + _lu(1800), b"\x03" + b"\x01\x00" * 3,
                     "6.2.2")
    assert [(c.name, c.value) for c in message.values.children] == [
        ("RandomisedOffset", 120), ("RandomisedOffsetNumber", 7), ("RandomisedOffsetLimit", 1800)]
    _valid(message)


def test_ecs35e_power_event_log_from_gbcs_entry():
    # entry_powerLogEntry { UTC seconds, long-unsigned log code, double-long-unsigned other }
    entry = b"\x02\x03" + _dlu(60) + b"\x12\x80\x35" + _dlu(0x0102ABCD)
    message = _built(0x00B9, b"\x01\x01\x01" + entry, b"\x01\x01\x00", "6.13")
    (log,) = message.values.find("Log").children
    assert _as_dict(log) == {"Timestamp": UTC2000 + timedelta(minutes=1), "LogCode": b"\x80\x35",
                             "OtherInformation": bytes.fromhex("0102ABCD")}
    _valid(message)
