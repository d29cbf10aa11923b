"""The DLMS/COSEM use-case catalogue: what each electricity (and CHF) response carries and
which MMC V5.4 element each value becomes.

Checkable line by line against the two specifications, side by side:

* ``USE_CASES``: one row per GBCS use case whose response is a DLMS Access-Response. ``gbcs``
  names the use case (GBCS section 13 / the use-case tables) and message code; ``responses``
  gives, per DUIS service reference variant, the MMC V5.4 response type (the ``...Rsp``
  complexType whose ``<!-- SR x.y -->`` comment names the SRV). ``shape`` says what the
  response holds:
    - ``RESULTS``: the command sets attributes or invokes methods only; the MMC type has no
      elements, and the outcome is the Set/Action results (``MessageSuccess``, DebugInfo);
    - ``VALUES``: the command reads attributes; ``values`` (rows below) map them;
    - ``UNMAPPED``: a read whose values this catalogue does not map yet: the response keeps
      GBCSData, with a warning, unless the device reported a failure (then MMC gets the
      ``MessageSuccess="false"`` element, which holds no values anyway).
  ``wrapper`` is the element path the MMC type requires around the values (e.g. the
  ``Electricity`` branch of a gas/electricity choice); it is written on failures too.
* ``values``, in MMC element order:
    - ``Value``: the position of the attribute in the GBCS request (which is its position in
      the Access-Response list-of-data), its (class, OBIS, attribute), the rule that turns the
      DLMS value into the MMC value, and the element path under the response type;
    - ``Rows`` (row template): a profile/log buffer or table (array of entry structures) ->
      one repeated MMC element per entry, its ``Column``s naming entry members;
    - ``Group``: a new element (per phase, per switch ...) holding its own placements, with
      fixed attributes; ``Fixed``: a value the use case itself fixes (the phase number).
  ``handler`` names a function of :mod:`pandc.usecases.cosem` for the few irregular shapes
  (register sets of value + scaler_unit pairs, the billing calendar). ``note`` and
  ``unwritten`` say, for coverage and in each message's warnings, what is not written and
  which choices are unconfirmed ([?]).

An ambiguous message code (one use case serving several SRVs, e.g. ECS70 for 6.11 and 8.1.1)
names its MMC type only when the DUIS request or response tells the SRV.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Union

RESULTS = "results"
VALUES = "values"
UNMAPPED = "unmapped"

# Value rules (pandc.usecases.cosem applies them):
INTEGER = "integer"            # any DLMS integer type -> xs:integer (x 10^scaler when the
                               # row names a scaler_unit; it must stay a whole number)
TEXT = "text"                  # octet/visible-string of printable ASCII -> xs:string;
                               # trailing spaces are padding of a fixed-width field (RTDS
                               # ECS26n pads the manufacturer "CSW " where ECS26e/i send
                               # "CSW") and are not part of the value
HEX = "hex"                    # octet-string -> upper-case hex text
EUI = "eui"                    # octet-string(8) -> EUI-64 as 00-DB-12-...
BOOLEAN = "boolean"            # boolean -> xs:boolean
ENUM = "enum"                  # enum/integer -> text through ``names``
SPLIT13 = "split13"            # octet-string of 13-digit MPANs -> one element per MPAN
UTC2000 = "utc2000"            # double-long-unsigned seconds since 2000-01-01T00:00:00Z (the
                               # GB UTC time object 0-0:94.44.100.255 that profile requests
                               # select ranges by) -> xs:dateTime
DATE_TIME = "date-time"        # COSEM date-time (12 octets) -> xs:dateTime (codec.dates)
CLOCK_STATUS = "clock-status"  # clock status (unsigned) -> element with TimeStatusCode and
                               # TimeStatus reliable/unreliable/invalid (FACTS section 3)
SUBGHZ_CHANNEL = "subghz-channel"  # bit-string(32) ZigBee channel page (bits 31-27) + mask
                               # (bits 26-0) holding one channel -> OperatingSubGHzChannel
SUBGHZ_MASK = "subghz-mask"    # the same form, any channels, on the row's ``page`` -> one
                               # empty ChannelN element per channel (MMC ChannelsXToY)
OCTET_INT = "octet-int"        # octet-string as a big-endian unsigned number (e.g. an index)
CODE16 = "code16"              # long-unsigned event code -> 2-octet xs:hexBinary
OCTETS32 = "octets32"          # double-long-unsigned -> its 4 octets (xs:hexBinary)
ALERT_BITS = "alert-bits"      # bit-string(256) of event/alert settings, numbered LSB = 0
                               # (bit n is the 256-bit string's 2^n bit) for the code
                               # prefix || n -> Enable/Disable per MMC xNNNN element of the
                               # row's ``groups`` (GBCS ECS25r1/ECS25r2, SMETS 5.7.4.1/51)
AUX_TYPE = "aux-type"          # octet-string typeAndIdentifier (GBCS ECS61e): empty = None,
                               # FF = APC, eight 00 = ALCS, else an HCALCS's EUI-64 ->
                               # MMC TypeAndIdentifier { AuxiliaryControllerType, HCALCSID }
SWITCH_TYPE = "switch-type"    # octet-string(8) TypeAndIdentifier (GBCS ECS46c/ECS61a): eight
                               # 00 = an ALCS, else the HC ALCS's EUI-64 -> MMC
                               # SwitchTypeAndID { ALCS | HCALCS }
UTF8 = "utf8"                  # utf8-string -> xs:string (refused when XML cannot carry it)
DATE_WILD = "date-wild"        # COSEM date (octet-string(5), wildcards) -> MMC Date children
                               # Year, Month, DayOfMonth, DayOfWeek (Specified... or
                               # NonSpecified..., LastDayOfMonth FE, SecondLastDayOfMonth FD)
DATE_PLAIN = "date-plain"      # COSEM date without wildcards -> xs:date
TIME_PLAIN = "time-plain"      # COSEM time (octet-string(4), hour and minute given) -> xs:time
WEEKDAYS = "weekdays"          # schedule exec_weekdays bit-string(7), first bit Monday ->
                               # DayOfWeekApplicability/DayOfWeekID per set bit
SPECDAYS = "specdays"          # schedule exec_specdays bit-string(n): bit i -> SpecialDayID i+1
HIGH_OCTET = "high-octet"      # long-unsigned -> its left (most significant) octet
LOW_OCTET_ENUM = "low-octet-enum"  # long-unsigned -> its right octet, as text through ``names``
SWITCH_TIME = "switch-time"    # class 10 Schedule entries (array of schedule_table_entry) ->
                               # xs:time: the switch_time (member 4, octet-string(4) hour,
                               # minute, second, hundredths) of the entry whose script_selector
                               # (member 3) is the row's ``selector``
INDEXED = "indexed"            # array of integers -> one ``item`` element per value, with
                               # index="1".. in array order (MMC's indexed lists)
PRICE_TOU = "price-tou"        # class 113 charge_table (array of { index octet-string(1),
                               # charge_per_unit }) -> TariffTOUPrice index=n for the entries
                               # whose index is a TOU rate n = 0x01..0x30
PRICE_BLOCK = "price-block"    # the same table -> TariffBlockPrices index=t { BlockPrice
                               # index=b } for the entries whose index is 0xA0 + 0x10 (b - 1)
                               # + t (blocks 1-4 as high nibble A-D, TOU rate t = 1-8 low)


@dataclass(frozen=True, slots=True)
class Value:
    """One COSEM attribute value of a response -> one MMC element."""

    position: int              # 0-based place in the request's list (= list-of-data)
    cosem_class: int
    obis: str                  # A-B:C.D.E.F
    attribute: int
    rule: str
    mmc: str                   # path under the response type ("/"-separated)
    path: tuple[int, ...] = ()   # inside a structure value: the member indices
    names: tuple[tuple[int, str], ...] = ()    # ENUM: DLMS value -> MMC text
    scaler: tuple[int, ...] | None = None       # INTEGER: path of the scaler_unit to apply
    scaler_item: int | None = None              # ... in another list-of-data item (attribute 3)
    page: int | None = None                     # SUBGHZ_MASK: the channel page the element is for
    also: tuple[str, ...] = ()   # SPLIT13: elements for the second, third ... MPAN
    selector: int | None = None  # SWITCH_TIME: the script_selector of the entry to read
    groups: tuple["AlertGroup", ...] = ()   # ALERT_BITS: the MMC element groups, in order
    item: str = ""               # INDEXED: the repeated element's name

    @property
    def cosem(self) -> str:
        return f"class {self.cosem_class} {self.obis} attribute {self.attribute}"


@dataclass(frozen=True, slots=True)
class AlertGroup:
    """An MMC group of per-code Enable/Disable elements (``x`` + the 4-hex-digit code).

    ``when``: ``always`` writes every code; ``if-set`` writes the group only when one of its
    codes is enabled (a polyphase-only code enabled says the ESME is polyphase); ``choice``
    groups are alternatives (single / polyphase): the one whose codes alone are enabled is
    written, and when that cannot be told none is, with a warning."""

    element: str
    codes: tuple[int, ...]
    when: str = "always"


@dataclass(frozen=True, slots=True)
class Column:
    """One member of a log/profile entry (a structure of the captured values) -> one child
    of the repeated MMC element."""

    member: int                # index in the entry structure (capture-object order)
    rule: str
    mmc: str                   # child path; "@name": an attribute; ".": the element's text
    names: tuple[tuple[int, str], ...] = ()    # ENUM, LOW_OCTET_ENUM: DLMS value -> MMC text


@dataclass(frozen=True, slots=True)
class Rows:
    """A row template: a profile's buffer (an array of entry structures) -> a repeated MMC
    element, one per entry, its children from ``columns`` (in MMC order)."""

    position: int              # place in the list-of-data (as for Value)
    cosem_class: int
    obis: str
    attribute: int
    element: str               # the repeated element's path under the response type
    columns: tuple[Column, ...]
    max_rows: int              # MMC maxOccurs of the element
    path: tuple[int, ...] = ()   # where the array sits inside the item (structure members)

    @property
    def cosem(self) -> str:
        return f"class {self.cosem_class} {self.obis} attribute {self.attribute}"


@dataclass(frozen=True, slots=True)
class Fixed:
    """An MMC element whose value the use case itself fixes (e.g. the phase number of a
    polyphase ESME's per-phase group)."""

    mmc: str
    value: int | str


@dataclass(frozen=True, slots=True)
class Group:
    """A new MMC element (one per group, even when a sibling has the same name) whose
    members' paths are relative to it: repeated shapes such as per-phase data."""

    element: str
    members: tuple["Placement", ...]
    attributes: tuple[tuple[str, int | str], ...] = ()   # fixed attributes of the element


Placement = Union[Value, Rows, Fixed, Group]


@dataclass(frozen=True, slots=True)
class DlmsUseCase:
    use_case: str
    message_code: int
    responses: tuple[tuple[str, str], ...]     # (SRV, MMC V5.4 response type)
    shape: str
    gbcs: str                                  # GBCS use-case title
    wrapper: tuple[str, ...] = ()
    values: tuple[Placement, ...] = field(default=())   # in MMC element order
    handler: str | None = None                 # an irregular shape: pandc.usecases.cosem
    results_only: tuple[str, ...] = ()         # MMC types of this use case that take no values
    note: str = ""                             # coverage: what is partial or unconfirmed ([?])
    unwritten: tuple[str, ...] = ()            # MMC elements the response carries, not written

    def response_type(self, srv: str | None) -> str | None:
        """The MMC type for ``srv``; without an SRV, the type when the code has just one."""
        types = dict(self.responses)
        if srv is not None:
            return types.get(srv)
        distinct = set(types.values())
        return distinct.pop() if len(distinct) == 1 else None


def _uc(use_case: str, code: int, responses: str, shape: str, gbcs: str,
        wrapper: str = "", values: tuple[Placement, ...] = (), handler: str | None = None,
        results_only: tuple[str, ...] = (), note: str = "", unwritten: tuple[str, ...] = ()
        ) -> DlmsUseCase:
    pairs = tuple(tuple(pair.split("=")) for pair in responses.split())
    return DlmsUseCase(use_case, code, pairs, shape, gbcs,  # type: ignore[arg-type]
                       tuple(wrapper.split("/")) if wrapper else (), values, handler,
                       results_only, note, unwritten)


def _profile(obis: str, element: str, max_rows: int, *columns: tuple[int, str, str]) -> Rows:
    """Rows of a class 7 Profile generic buffer (attribute 2), read directly or as the one
    protected attribute of a Get Protected Attributes response."""
    return Rows(0, 7, obis, 2, element, tuple(Column(*c) for c in columns), max_rows)


def _prepayment_log(obis: str, element: str, max_rows: int, path: tuple[int, ...] = ()) -> Rows:
    """A buffer of GBCS entry_prepaymentReadLogEntry { timestamp (UTC seconds),
    emergencyCreditBalanceValue, meterBalanceValue, paymentDebtRegisterValue,
    timeDebtRegisters1Value, timeDebtRegisters2Value, accumulatedDebtRegisterValue } (GBCS
    ECS20c, ECS21b) -> MMC PrepaymentOperationalDataType, in its element order."""
    return Rows(0, 7, obis, 2, element, (
        Column(6, INTEGER, "AccumulatedDebtRegister"), Column(1, INTEGER, "EmergencyCreditBalance"),
        Column(2, INTEGER, "MeterBalance"), Column(3, INTEGER, "PaymentDebtRegister"),
        Column(4, INTEGER, "TimeDebtRegisters1"), Column(5, INTEGER, "TimeDebtRegisters2"),
        Column(0, UTC2000, "Timestamp")), max_rows, path)


_SWITCH_ACTIONS = ((0x11, "On"), (0x12, "Off"), (0x20, "Revert to calendar control"),
                   (0x00, "Entry relates to a Message from an HC ALCS"))
_ALCS_OUTCOMES = ((0, "Outcome not known"), (1, "Success"), (2, "Failure"))


def _alcs_log(obis: str) -> Rows:
    """A buffer of GBCS entry_alcsLogEntry (ECS35f) -> MMC ALCSEvent/ALCSEventLogEntry."""
    return Rows(0, 7, obis, 2, "ALCSEvent/ALCSEventLogEntry", (
        Column(0, UTC2000, "Timestamp"), Column(1, HIGH_OCTET, "SwitchNumber"),
        Column(1, LOW_OCTET_ENUM, "SwitchAction", _SWITCH_ACTIONS),
        Column(2, ENUM, "Outcome", _ALCS_OUTCOMES), Column(3, INTEGER, "HANCommandID")), 100)


def _rms_voltage_settings() -> tuple[Value, ...]:
    """Four class 71 Limiters, GBCS ECS26b/ECS26k items 0-7: 0-0:17.0.1.255 RMS extreme over-
    voltage, .2 extreme under-voltage, .3 sag, .4 swell, each threshold_normal (attribute 4)
    then min_over_threshold_duration (attribute 6, the MMC measurement period); MMC order."""
    names = ("RMSExtremeOverVoltage", "RMSExtremeUnderVoltage", "RMSVoltageSag", "RMSVoltageSwell")
    return tuple(value for n, name in enumerate(names) for value in (
        Value(2 * n + 1, 71, f"0-0:17.0.{n + 1}.255", 6, INTEGER, f"RMSVoltageSettings/{name}MeasurementPeriod"),
        Value(2 * n, 71, f"0-0:17.0.{n + 1}.255", 4, INTEGER, f"RMSVoltageSettings/{name}Threshold")))


# GBCS 'Device Identity' objects (class 1 Data, GB objects 0-0:96.1.x / 0-0:94.44.x).
def _device_id(at: int) -> Value:
    return Value(at, 1, "0-0:96.1.1.255", 2, EUI, "DeviceIdentifier")


def _meter_variant(at: int) -> Value:
    return Value(at, 1, "0-0:96.1.2.255", 2, TEXT, "Electricity/MeterVariant")


def _model(at: int) -> Value:
    return Value(at, 1, "0-0:96.1.4.255", 2, TEXT, "ModelType")


def _manufacturer(at: int) -> Value:
    return Value(at, 1, "0-0:96.1.6.255", 2, TEXT, "ManufacturerIdentifier")


def _tamper(at: int) -> Value:
    # boolean, GBCS ECS26m / SMETS 5.7.4.44 SupplyTamperState: Locked (TRUE), Unchanged (FALSE)
    return Value(at, 1, "0-0:94.44.0.4", 2, ENUM, "Electricity/SupplyTamperState",
                 names=((0, "Unchanged"), (1, "Locked")))

def _voltage_data(at: int, c: int, under: str) -> tuple[Placement, ...]:
    """MMC VoltageOperationalData from six attributes starting at list position ``at``, OBIS
    C group ``c`` (32, 52, 72: L1, L2, L3)."""
    return (
        Value(at + 2, 3, f"1-0:{c}.36.0.4", 2, INTEGER, f"{under}/AvgRMSOverVoltageCounter/Value",
              scaler_item=at + 3),
        Value(at, 3, f"1-0:{c}.32.0.4", 2, INTEGER, f"{under}/AvgRMSUnderVoltageCounter/Value",
              scaler_item=at + 1),
        Rows(at + 4, 7, f"1-0:{c}.24.0.255", 2, f"{under}/AvgRMSVoltageProfileDataLog/LogEntry",
             (Column(1, INTEGER, "Value"), Column(0, UTC2000, "Timestamp")), 4320),
        Value(at + 5, 7, f"1-0:{c}.24.0.255", 4, INTEGER,
              f"{under}/AvgRMSVoltageProfileDataLog/MeasurementPeriod"),
    )


def _event_log(obis: str, other_information: bool = False) -> Rows:
    """Event / security log entries { timestamp, logCode[, otherInformation] }: GBCS ECS35a's
    entry_eventLogEntry8 carries otherInformation (octet-string(8)) as a third member."""
    other = ((2, HEX, "OtherInformation"),) if other_information else ()
    return _profile(obis, "Log/LogEntry", 100, (0, UTC2000, "Timestamp"), (1, CODE16, "LogCode"),
                    *other)


def _codes(text: str) -> tuple[int, ...]:
    return tuple(int(code, 16) for code in text.split())


# MMC V5.4 ElectricitySupplierAlerts / ElectricityNetworkOperatorAlerts: the codes each group
# has an element for, in the schema's element order.
_SUPPLIER_ALERTS = (
    AlertGroup("SupplierESMECommon", _codes(
        "810D 810E 8119 8145 8154 8155 8161 8162 8168 8183 81A0 81A1 81A2 81A3 81A4 81A5 81A6 "
        "81A7 81A8 81A9 81AA 81AB 81AC 81AD 81AE 81AF 81B0 81B1 81B2 81B3 81B8 81B9 81BA 81BB "
        "81BC 81BD 81BE 81C0 81C1 81C4 81C5 81C6")),
    AlertGroup("SupplierESMEPolyPhase", _codes("81B7"), "if-set"),
)
_NETWORK_OPERATOR_ALERTS = (
    AlertGroup("NetworkOperatorESMECommon", _codes("8014 8015")),
    AlertGroup("NetworkOperatorESMESinglePhase", _codes(
        "8002 8006 8020 8024 8028 802C 8085 8089 808D 8091 8095 8099 8010"), "choice"),
    AlertGroup("NetworkOperatorESMEPolyPhase", _codes(
        "8003 8004 8005 8007 8008 8009 8021 8022 8023 8025 8026 8027 8029 802A 802B 802D 802E "
        "802F 8086 8087 8088 808A 808B 808C 808E 808F 8090 8092 8093 8094 8096 8097 8098 809A "
        "809B 809C 8011 8016 8013"), "choice"),
)


# fmt: off
USE_CASES: tuple[DlmsUseCase, ...] = (
    # --- SR 1: tariffs, prices, balance, payment mode (Set / Action only) -----------------
    _uc("ECS01a", 0x0019, "1.1.1=UpdateImportTariffPrimaryElementRsp", RESULTS, "Set Tariff and Price on ESME"),
    _uc("ECS01b", 0x00A2, "1.2.1=UpdatePricePrimaryElementRsp", RESULTS, "Set Price on ESME"),
    _uc("ECS01c", 0x00B7, "1.1.2=UpdateImportTariffSecondaryElementRsp", RESULTS, "Set Tariff and Price on ESME secondary"),
    _uc("ECS01d", 0x00C7, "1.2.2=UpdatePriceSecondaryElementRsp", RESULTS, "Set Price on ESME secondary"),
    _uc("ECS04a", 0x001C, "1.5=UpdateMeterBalanceRsp", RESULTS, "Adjust Meter Balance on the ESME"),
    _uc("ECS04b", 0x00B3, "1.5=UpdateMeterBalanceRsp", RESULTS, "Reset Meter Balance on the ESME"),
    _uc("ECS02", 0x001A, "1.6=UpdatePaymentModeRsp", RESULTS, "Set ESME Payment Mode to Credit"),
    _uc("ECS03", 0x001B, "1.6=UpdatePaymentModeRsp", RESULTS, "Set ESME Payment Mode to Prepayment"),
    _uc("ECS05", 0x001D, "1.7=ResetTariffBlockCounterMatrixRsp", RESULTS, "Reset Tariff Block Counter Matrix"),
    # --- SR 2: prepayment -------------------------------------------------------------
    # MMC V5.4's comment on UpdatePrepayConfigurationRsp says "SR 2.10"; DUIS names the
    # request of SRV 2.1 UpdatePrepayConfiguration, and no SRV 2.10 exists.
    _uc("ECS08", 0x001F, "2.1=UpdatePrepayConfigurationRsp", RESULTS, "Update Prepayment Configuration on ESME"),
    _uc("ECS08a", 0x00DE, "2.1=UpdatePrepayConfigurationRsp", RESULTS, "Update Prepayment Configuration on ESME"),
    _uc("CS01a", 0x0007, "2.2=TopUpDeviceRsp", RESULTS, "Apply Prepayment Top Up to an ESME"),
    _uc("ECS07", 0x001E, "2.3=UpdateDebtRsp", RESULTS, "Manage Debt on the ESME"),
    _uc("ECS09", 0x0020, "2.5=ActivateEmergencyCreditRsp", RESULTS, "Activate Emergency Credit Remotely on ESME"),
    # --- SR 3: display, tenancy, logs, supplier details, PIN --------------------------------
    _uc("ECS10", 0x0021, "3.1=DisplayMessageRsp", RESULTS, "Send Message to ESME"),
    _uc("ECS12", 0x0022, "3.2=RestrictAccessForChangeOfTenancyRsp", RESULTS, "Set Change of Tenancy date on ESME"),
    _uc("ECS15a", 0x0024, "3.3=ClearEventLogRsp", RESULTS, "Clear ESME Event Log"),
    _uc("ECS15c", 0x00C1, "3.3=ClearEventLogRsp", RESULTS, "Clear ALCS Event Log"),
    _uc("ECS16", 0x0025, "3.4=UpdateSupplierNameRsp", RESULTS, "Write Supplier Contact Details on ESME"),
    _uc("ECS14", 0x0023, "3.5=DisablePrivacyPINRsp", RESULTS, "Disable Privacy PIN Protection on ESME"),
    # --- SR 4: reads ------------------------------------------------------------------
    # Register sets: a Get Protected Attributes action (class 30 data protection, method 1)
    # returning value, scaler_unit pairs; the handler reads them (pandc.usecases.cosem).
    _uc("ECS17b", 0x0027, "4.1.1=ReadInstantaneousImportRegistersRsp", VALUES, "Read ESME Energy Registers (Import Energy)", "Electricity", handler="import_registers"),
    _uc("ECS17d", 0x0029, "4.1.2=ReadInstantaneousImportTOUMatricesRsp", VALUES, "Read ESME Energy Register (TOU)", "Electricity", handler="tou_registers"),
    _uc("ECS19", 0x002D, "4.3=ReadInstantaneousPrepayValuesRsp", VALUES, "Read ESME Prepayment Registers", handler="prepay_registers"),
    _uc("ECS82", 0x0069, "4.18=ReadMeterBalanceRsp", VALUES, "Read Meter Balance for ESME", values=(
        Value(0, 112, "0-0:19.10.0.255", 2, INTEGER, "MeterBalance"),      # credit: current_credit_amount
    )),
    # GBCS ECS17a: class 3 1-0:2.8.0.255 (ActiveExportRegister) value, scaler_unit (unit 30
    # Wh), then 1-0:4.8.0.255 (ReactiveExportRegister) value, scaler_unit (unit 32 varh).
    _uc("ECS17a", 0x0026, "4.2=ReadInstantaneousExportRegistersRsp", VALUES, "Read ESME Energy Registers (Export Energy)", values=(
        Value(0, 3, "1-0:2.8.0.255", 2, INTEGER, "ActiveExportRegister/Value", scaler_item=1),
        Value(1, 3, "1-0:2.8.0.255", 3, ENUM, "ActiveExportRegister/ActiveEnergyUnit", path=(1,), names=((30, "Wh"),)),
        Value(2, 3, "1-0:4.8.0.255", 2, INTEGER, "ReactiveExportRegister/Value", scaler_item=3),
        Value(3, 3, "1-0:4.8.0.255", 3, ENUM, "ReactiveExportRegister/ReactiveEnergyUnit", path=(1,), names=((32, "varh"),)),
    )),
    # class 1 0-0:94.44.34.20 attribute 2, GBCS ECS17c: power_import_collection ::= structure
    # { active_power_import_value (value of 1-0:1.7.0.255), active_power_scal_unit_type
    # { scaler, unit }, primary_active_power_import_value (1-1:1.7.0.255) }; DLMS unit 27 is W
    _uc("ECS17c", 0x0028, "4.16=ReadActivePowerImportRsp", VALUES, "Read ESME Energy Registers (Power)", values=(
        Value(0, 1, "0-0:94.44.34.20", 2, INTEGER, "ActivePowerImport/Value", path=(0,), scaler=(1,)),
        Value(0, 1, "0-0:94.44.34.20", 2, ENUM, "ActivePowerImport/Unit", path=(1, 1), names=((27, "W"),)),
        Value(0, 1, "0-0:94.44.34.20", 2, INTEGER, "PrimaryActivePowerImportValue", path=(2,), scaler=(1,)),
    )),
    # Protected (Get Protected Attributes, 0-0:43.2.10.255) class 1 0-0:94.44.34.2 attribute 2,
    # GBCS ECS17e: Block_TOU_register_collection ::= structure { array of 64
    # double-long-unsigned }: per block b = 1..4, entries 16(b-1)+1..+8 are the TOU register
    # matrix values and the next 8 the block counters (GBCS TariffBlockTOURegisterCollection
    # note) -> MMC TariffBlockTOUType: TariffBlock[index=b] { RegisterMatrixTOUValue[1..8],
    # CounterMatrixTOUValue[1..8] }.
    _uc("ECS17e", 0x002A, "4.1.3=ReadInstantaneousImportTOUWithBlocksMatricesRsp", VALUES, "Read ESME Energy Register (TOU with Blocks)", handler="tou_block_registers"),
    # GBCS ECS18a: class 1 0-0:94.44.5.2 (last reset date-time), then class 4 1-0:2.6.0.255
    # (MaximumDemandActivePowerExportValue) value, scaler_unit (unit 27 W), capture_time.
    _uc("ECS18a", 0x002B, "4.12.2=ReadMaximumDemandExportRegistersRsp", VALUES, "Read Maximum Demand Registers (export)", values=(
        Value(1, 4, "1-0:2.6.0.255", 2, INTEGER, "MaxDemandActiveEnergyExport/Value", scaler_item=2),
        Value(3, 4, "1-0:2.6.0.255", 5, DATE_TIME, "MaxDemandActiveEnergyExport/CaptureTime"),
        Value(0, 1, "0-0:94.44.5.2", 2, DATE_TIME, "MaxDemandActiveEnergyExport/LastResetDateTime"),
    )),
    # GBCS ECS18b, in request order: last reset date-times (class 1 0-0:94.44.5.0 for the
    # configurable-time maximum demand, 0-0:94.44.5.1 for the other), then class 4 Extended
    # registers 1-0:1.6.0.255 (MaximumDemandActiveEnergyImportValue) and 1-0:1.6.1.255
    # (MaximumDemand(ConfigurableTime)ActivePowerImportValue), each value, scaler_unit (unit 27
    # W), capture_time; then class 10 Schedule 0-0:12.0.0.255 entries, whose script_selector
    # is 1 for the period's start time and 2 for its end time (GBCS, SMETS 5.7.4.26).
    _uc("ECS18b", 0x002C, "4.12.1=ReadMaximumDemandImportRegistersRsp", VALUES, "Read Maximum Demand Registers (import)", values=(
        Value(5, 4, "1-0:1.6.1.255", 2, INTEGER, "MaxDemandConfigurableTimeActivePowerImport/Value", scaler_item=6),
        Value(7, 4, "1-0:1.6.1.255", 5, DATE_TIME, "MaxDemandConfigurableTimeActivePowerImport/CaptureTime"),
        Value(0, 1, "0-0:94.44.5.0", 2, DATE_TIME, "MaxDemandConfigurableTimeActivePowerImport/LastResetDateTime"),
        Value(2, 4, "1-0:1.6.0.255", 2, INTEGER, "MaxDemandActiveEnergyImport/Value", scaler_item=3),
        Value(4, 4, "1-0:1.6.0.255", 5, DATE_TIME, "MaxDemandActiveEnergyImport/CaptureTime"),
        Value(1, 1, "0-0:94.44.5.1", 2, DATE_TIME, "MaxDemandActiveEnergyImport/LastResetDateTime"),
        Value(8, 10, "0-0:12.0.0.255", 2, SWITCH_TIME, "MaxDemandConfigurableTimePeriod/StartTime", selector=1),
        Value(8, 10, "0-0:12.0.0.255", 2, SWITCH_TIME, "MaxDemandConfigurableTimePeriod/EndTime", selector=2),
    )),
    # GBCS ECS20a: class 7 0-0:98.1.4.255 buffer of entry_dlValueLogEntry { timestamp, dlValue
    # (the debt recovered) }, at most 10 entries.
    _uc("ECS20a", 0x002E, "4.4.4=RetrieveBillingDataLogDebtPaymentsRsp", VALUES, "Read ESME Billing Data Log (payment based debt payments)", values=(
        _profile("0-0:98.1.4.255", "PaymentBasedDebtRepayment/LogEntry", 10,
                 (1, INTEGER, "Amount"), (0, UTC2000, "Timestamp")),)),
    # Protected (0-0:43.2.3.255), GBCS ECS20b: class 7 0-0:98.1.2.255 buffer of
    # entry_billingCalendarOnSetModeOrTariffLogEntry { the entry_registerReadLogEntry members,
    # then emergencyCreditBalance, meterBalance, paymentDebtRegister, timeDebtRegisters1,
    # timeDebtRegisters2, accumulatedDebtRegister } (handler: MMC splits each entry in two).
    _uc("ECS20b", 0x002F, "4.4.2=RetrieveCoMOrTariffTriggeredBillingDataLogRsp", VALUES, "Read ESME Billing Data Log (change of mode / tariff triggered exc export)", "Electricity",
        handler="change_of_mode_billing_log"),
    # Protected (Get Protected Attributes, 0-0:43.2.2.255), GBCS ECS20c: the buffers of class 7
    # 0-0:98.1.0.255 (entry_registerReadLogEntry: read by the handler, its members differ on a
    # twin-element ESME) and 0-0:98.1.1.255 (entry_prepaymentReadLogEntry, below).
    _uc("ECS20c", 0x0030, "4.4.3=RetrieveBillingCalendarTriggeredBillingDataLogRsp", VALUES, "Read ESME Billing Data Log (billing calendar triggered exc export)", "Electricity",
        handler="register_read_log", values=(
            _prepayment_log("0-0:98.1.1.255", "Electricity/ESMEBillingPrepaymentDataLogEntry", 12, path=(1,)),)),
    # GBCS ECS20d: class 7 0-0:98.1.5.255 buffer of entry_dlValueLogEntry { timestamp, dlValue
    # (the credit) }, at most 5 entries.
    _uc("ECS20d", 0x00C9, "4.4.5=RetrieveBillingDataLogPrepaymentCreditsRsp", VALUES, "Read ESME Billing Data Log (prepayment credits)", values=(
        _profile("0-0:98.1.5.255", "PrepaymentCredits/LogEntry", 5,
                 (1, INTEGER, "Amount"), (0, UTC2000, "Timestamp")),)),
    # Protected, GBCS ECS21a: class 7 0-0:98.1.9.255 buffer of entry_registerReadLogEntry (the
    # same entry as ECS20c's billing data log; read by the handler).
    _uc("ECS21a", 0x0033, "4.6.1=RetrieveImportDailyReadLogRsp", VALUES, "Read Electricity Daily Read Log (exc export)", handler="daily_read_log"),
    # Protected (Get Protected Attributes, 0-0:43.2.6.255), GBCS ECS21b: class 7 0-0:98.1.8.255
    # buffer of entry_prepaymentReadLogEntry.
    _uc("ECS21b", 0x0034, "4.14=ReadPrepaymentDailyReadLogRsp", VALUES, "Read Electricity (Prepayment) Daily Read Log", "Electricity", values=(
        _prepayment_log("0-0:98.1.8.255", "Electricity/LogEntry", 31),)),
    _uc("ECS21c", 0x0035, "4.6.2=RetrieveExportDailyReadLogRsp", VALUES, "Read Electricity Daily Read Log (export only)", values=(
        _profile("0-0:98.1.10.255", "LogEntry", 31,
                 (1, INTEGER, "ActiveExportRegisterValue"), (0, UTC2000, "TimeStamp")),)),
    _uc("ECS22a", 0x0036, "4.8.3=ReadExportProfileDataRsp", VALUES, "Read Electricity Half Hour Profile Data (export)", values=(
        _profile("0-0:99.1.1.255", "LogEntry", 4464, (1, INTEGER, "ActiveEnergyExportedValue"),
                 (2, INTEGER, "ReactiveEnergyExportedValue"), (0, UTC2000, "Timestamp")),)),
    # Protected (Get Protected Attributes, 0-0:43.2.7.255); a twin-element ESME adds the
    # secondary element's value as a third member.
    _uc("ECS22b", 0x0037, "4.8.1=ReadActiveImportProfileDataRsp", VALUES, "Read Electricity Half Hour Profile Data (active import)", values=(
        _profile("0-0:99.1.0.255", "LogEntry", 19056, (0, UTC2000, "Timestamp"),
                 (1, INTEGER, "Electricity/PrimaryValue"), (2, INTEGER, "Electricity/SecondaryValue")),)),
    _uc("ECS22c", 0x0038, "4.8.2=ReadReactiveImportProfileDataRsp", VALUES, "Read Electricity Half Hour Profile Data (reactive import)", values=(
        _profile("0-0:99.1.2.255", "LogEntry", 4464,
                 (1, INTEGER, "ReactiveEnergyImportedValue"), (0, UTC2000, "Timestamp")),)),
    # OBIS voltage limits (C=32 L1 voltage): D=36 over-limit and D=32 under-limit occurrence
    # counters (class 3: value, then scaler_unit as its own item), then the average RMS
    # voltage profile (class 7 1-0:32.24.0.255: buffer of entry_dlValueLogEntry { UTC seconds
    # at the end of the measurement period, value }, written as captured: GBCS ECS23/ECS23b
    # reads no scaler for it, "the Average RMS Value measured (so implied unit is Volts)") and
    # its capture period (attribute 4).
    _uc("ECS23", 0x0039, "4.10=ReadNetworkDataRsp", VALUES, "Read Voltage Operational Data", "Electricity/SinglePhaseESME",
        values=_voltage_data(0, 32, "Electricity/SinglePhaseESME"), note="profile values as carried: GBCS gives no scaler, the implied unit is volts"),
    # The same six attributes per phase: L1 (C=32), L2 (C=52), L3 (C=72).
    _uc("ECS23b", 0x00BC, "4.10=ReadNetworkDataRsp", VALUES, "Read Voltage Operational Data - 3 Phase", "Electricity/PolyPhaseESME", values=tuple(
        Group("Electricity/PolyPhaseESME/PhaseVoltageOperationalData",
              (*_voltage_data(6 * phase, 32 + 20 * phase, "VoltageOperationalData"),
               Fixed("Phase", phase + 1)))
        for phase in range(3)), note="profile values as carried: GBCS gives no scaler, the implied unit is volts"),
    # GBCS ECS24, in request order: 0 (Primary)ActiveTariffPrice value (class 3 0-0:94.44.1.7,
    # double-long-unsigned), 1 its scaler_unit (GBCS constant: scaler -5, unit 254), 2-4 the
    # TariffSwitchingTable (class 20 0-0:13.0.0.255 season_profile_active, week_profile_table_
    # active, day_profile_table_active), 5 its special days (class 11 0-0:11.0.0.255 entries
    # { index, specialday_date octet-string(5), day_id }), 6-13 TariffThresholdMatrixBlocks
    # [1to3]TOU[1..8] (class 21 0-0:16.0.11..18.255 thresholds, array of 3
    # double-long-unsigned), 14 CurrencyUnit (class 9000 0-0:94.44.2.0 value_active: GB
    # pounds TRUE, ECB euro FALSE), 15 StandingCharge (class 113 0-0:19.20.4.255
    # unit_charge_active: { { commodity_scale, price_scale }, commodity_reference,
    # charge_table [1] { index, charge_per_unit } }), 16 TariffBlockPriceMatrixTOU (class 113
    # 0-0:19.20.0.255 unit_charge_active, charge_table [1..80]). MMC PriceScale is the price
    # matrix's price_scale (the scale its PriceType prices need; the active price's scaler is
    # GBCS's constant -5) [?]. The charge-table index -> TOU rate / block and TOU rate split is
    # the one ECS01a's commands use (0x01-0x30 TOU rates, 0xA1-0xD8 block 1-4 x TOU 1-8) [?].
    # The switching table's day profiles need the GBCS 7.3.7 script selectors (TOU or block
    # action), not found here: the switching table is not written.
    _uc("ECS24", 0x003A, "4.11.1=ReadTariffPrimaryElementRsp", VALUES, "Read ESME Tariff Data", "Electricity", values=(
        Value(0, 3, "0-0:94.44.1.7", 2, INTEGER, "Electricity/PrimaryActiveTariffPrice"),
        Value(14, 9000, "0-0:94.44.2.0", 2, ENUM, "Electricity/CurrencyUnitsLabel", names=((1, "GBP"), (0, "ECB"))),
        Value(15, 113, "0-0:19.20.4.255", 5, INTEGER, "Electricity/StandingCharge", path=(2, 0, 1)),
        Value(15, 113, "0-0:19.20.4.255", 5, INTEGER, "Electricity/StandingChargeScale", path=(0, 1)),
        Value(16, 113, "0-0:19.20.0.255", 5, INTEGER, "Electricity/PriceScale", path=(0, 1)),
        Value(16, 113, "0-0:19.20.0.255", 5, PRICE_BLOCK, "Electricity/TariffBlockPriceMatrix", path=(2,)),
        Value(16, 113, "0-0:19.20.0.255", 5, PRICE_TOU, "Electricity/TariffTOUPriceMatrix", path=(2,)),
        Rows(5, 11, "0-0:11.0.0.255", 2, "Electricity/TariffSwitchingTableSpecialDays/SpecialDay",
             (Column(1, DATE_WILD, "Date"), Column(2, INTEGER, "ReferencedDay")), 50),
        *(Group("Electricity/TariffThresholdMatrix/ElecTariffThresholds",
                (Value(5 + n, 21, f"0-0:16.0.{10 + n}.255", 2, INDEXED, "*", item="BlockThreshold"),),
                attributes=(("index", n),))
          for n in range(1, 9)),
    ), note="partial: TariffSwitchingTable not written (GBCS 7.3.7 script selectors not found); [?] PriceScale from the price matrix, charge-table index split",
        unwritten=("TariffSwitchingTable",)),
    # secondary element's active price (class 3 0-0:94.44.1.8: value, scaler_unit whose
    # scaler is the MMC PriceScale) and its TOU prices (class 113 Charge 0-0:19.20.5.255
    # unit_charge_active: structure { scaling, commodity, charge_table array of { index
    # octet-string, charge_per_unit } }); the switching tables are not mapped yet
    _uc("ECS24b", 0x00BD, "4.11.2=ReadTariffSecondaryElementRsp", VALUES, "Read ESME Tariff Data - second element", values=(
        Value(1, 3, "0-0:94.44.1.8", 2, INTEGER, "SecondaryActiveTariffPrice"),
        Value(2, 3, "0-0:94.44.1.8", 3, INTEGER, "PriceScale", path=(0,)),
        Rows(0, 113, "0-0:19.20.5.255", 5, "TariffTOUPriceMatrix/TariffTOUPrice",
             (Column(1, INTEGER, "."), Column(0, OCTET_INT, "@index")), 4, path=(2,)),
        # GBCS ECS24b item 3: class 11 0-0:11.0.1.255 entries { index, specialday_date
        # octet-string(5), day_id } (items 4-6: the class 20 0-0:13.0.1.255 switching table)
        Rows(3, 11, "0-0:11.0.1.255", 2, "TariffSwitchingTableSpecialDays/SpecialDay",
             (Column(1, DATE_WILD, "Date"), Column(2, INTEGER, "ReferencedDay")), 50),
    ), note="partial: TariffSwitchingTable not written (GBCS 7.3.7 script selectors not found)",
        unwritten=("TariffSwitchingTable",)),
    # GBCS ECS26a, in request order: 0 DebtRecoveryRates[1] (class 113 0-0:19.20.1.255
    # unit_charge_active: { { commodity_scale, price_scale }, commodity_reference,
    # charge_table [ { index, charge_per_unit } ] }), 1 Non-DisablementCalendar special days
    # (class 11 0-0:11.0.2.255 entries { index, date, day_id }), 2 DebtRecoveryRates[1] period
    # (attribute 8, seconds), 3 a second unit_charge of 0-0:19.20.1.255 (no MMC place), 4-6 the
    # same for DebtRecoveryRates[2] (0-0:19.20.2.255), 7 DebtRecoveryperPayment (0-0:19.20.3.255
    # proportion), 8 MaximumCreditThreshold (class 9000 0-0:94.44.2.10 value_active), 9
    # DisablementThreshold (class 21 0-0:16.0.1.255 thresholds[1]), 10 MaxMeterBalance
    # (0-0:94.44.2.20), 11 LowCreditThreshold (class 111 0-0:19.0.0.255 attribute 16), 12
    # DebtRecoveryRateCap amount (attribute 18 max_provision), 13 its period (attribute 19, no
    # MMC place), 14 EmergencyCreditLimit (class 112 0-0:19.10.1.255 preset_credit_amount), 15
    # EmergencyCreditThreshold (credit_available_threshold), 16 Non-DisablementCalendar
    # schedule (class 10 0-0:12.0.1.255 entries), 17 credit_charge_configuration (class 111
    # attribute 11: SuspendDebtDisabled / SuspendDebtEmergency / PaymentMode by GBCS 18.2.1,
    # not found here: not written).
    _uc("ECS26a", 0x003B, "4.13=ReadPrepaymentConfigurationRsp", VALUES, "Read ESME Configuration Data Prepayment", values=(
        Value(7, 113, "0-0:19.20.3.255", 13, INTEGER, "DebtRecoveryPerPayment"),
        Value(12, 111, "0-0:19.0.0.255", 18, INTEGER, "DebtRecoveryRateCap"),
        Value(9, 21, "0-0:16.0.1.255", 2, INTEGER, "DisablementThreshold", path=(0,)),
        Value(14, 112, "0-0:19.10.1.255", 9, INTEGER, "EmergencyCreditLimit"),
        Value(15, 112, "0-0:19.10.1.255", 10, INTEGER, "EmergencyCreditThreshold"),
        Value(11, 111, "0-0:19.0.0.255", 16, INTEGER, "LowCreditThreshold"),
        Value(8, 9000, "0-0:94.44.2.10", 2, INTEGER, "CreditMaxCreditThreshold"),
        Value(10, 9000, "0-0:94.44.2.20", 2, INTEGER, "MaxCreditMaxMeterBalance"),
        Rows(1, 11, "0-0:11.0.2.255", 2, "Electricity/NonDisablementCalendar/ElectricitySpecialDays/SpecialDay",
             (Column(0, INTEGER, "@index"), Column(1, DATE_WILD, "*")), 20),
        Rows(16, 10, "0-0:12.0.1.255", 2, "Electricity/NonDisablementCalendar/ElectricityNonDisablementSchedule",
             (Column(7, SPECDAYS, "SpecialDaysApplicability"),
              Column(6, WEEKDAYS, "DaysOfWeekApplicability"),
              Column(4, TIME_PLAIN, "ScheduleDatesAndTime/SwitchTime"),
              Column(8, DATE_PLAIN, "ScheduleDatesAndTime/StartDate"),
              Column(9, DATE_PLAIN, "ScheduleDatesAndTime/EndDate")), 22),
        *(placement for n, (rates, period) in enumerate(((0, 2), (4, 5)), start=1) for placement in (
            Value(rates, 113, f"0-0:19.20.{n}.255", 5, INTEGER, f"Electricity/DebtRecovery{n}/DebtRecoveryRate", path=(2, 0, 1)),
            Value(rates, 113, f"0-0:19.20.{n}.255", 5, INTEGER, f"Electricity/DebtRecovery{n}/DebtRecoveryRatePriceScale", path=(0, 1)),
            # GBCS: "the valid periods are hour (3600 seconds), day (86,400 seconds)"
            Value(period, 113, f"0-0:19.20.{n}.255", 8, ENUM, f"Electricity/DebtRecovery{n}/DebtRecoveryRatePeriod",
                  names=((3600, "HOURLY"), (86400, "DAILY"))),
        )),
    ), note="partial: SuspendDebtDisabled, SuspendDebtEmergency, PaymentMode, NonDisablementScript "
            "not written (GBCS 18.2.1 and the 7.3.7 script selectors not found); [?] exec_specdays "
            "bit i = special day i+1",
        unwritten=("SuspendDebtDisabled", "SuspendDebtEmergency", "PaymentMode", "NonDisablementScript")),
    # GBCS ECS27: class 9000 0-0:94.44.0.3 value_active (LoadLimitSupplyState boolean:
    # "Disable(TRUE), Unchanged(FALSE)"), class 3 0-0:94.44.42.255 LoadLimitCounter value and
    # scaler_unit, class 71 0-0:17.0.0.255 threshold_normal (LoadLimitPowerThreshold),
    # min_over_threshold_duration (LoadLimitPeriod), min_under_threshold_duration
    # (LoadLimitRestorationPeriod).
    _uc("ECS27", 0x0042, "4.15=ReadLoadLimitDataRsp", VALUES, "Read ESME Load Limit Data", values=(
        Value(1, 3, "0-0:94.44.42.255", 2, INTEGER, "LoadLimitCounterValue", scaler_item=2),
        Value(3, 71, "0-0:17.0.0.255", 4, INTEGER, "LoadLimitPowerThreshold"),
        Value(4, 71, "0-0:17.0.0.255", 6, INTEGER, "LoadLimitPeriod"),
        Value(5, 71, "0-0:17.0.0.255", 7, INTEGER, "LoadLimitRestorationPeriod"),
        Value(0, 9000, "0-0:94.44.0.3", 2, ENUM, "LoadLimitSupplyState", names=((1, "Disable"), (0, "Unchanged"))),
    )),
    # Protected (Get Protected Attributes, 0-0:43.2.4.255)
    _uc("ECS66", 0x0060, "4.17=RetrieveDailyConsumptionLogRsp", VALUES, "Read ESME Daily Consumption Log", "Electricity", values=(
        _profile("0-0:99.1.3.255", "Electricity/LogEntry", 731,
                 (1, INTEGER, "Value"), (0, UTC2000, "Timestamp")),)),
    # --- SR 6: device configuration ---------------------------------------------------
    # Four class 71 Limiters (0-0:17.0.1..4: RMS extreme over-voltage, extreme under-voltage,
    # sag, swell), each threshold (attribute 4) then minimum duration (attribute 6, the MMC
    # measurement period); then the average RMS over- and under-voltage thresholds (class 1
    # 1-0:32.35.0.4 and 1-0:32.31.0.4).
    # The limiter OBIS codes and their order are GBCS's (ECS26k's table lists the same class 71
    # objects: 0-0:17.0.1.255 RMSExtremeOverVoltage, .2 RMSExtremeUnderVoltage, .3
    # RMSVoltageSag, .4 RMSVoltageSwell, threshold_normal then min_over_threshold_duration).
    _uc("ECS26b", 0x003C, "6.2.1=ReadDeviceConfigurationVoltageRsp", VALUES, "Read ESME Configuration Voltage Data", values=(
        Value(8, 1, "1-0:32.35.0.4", 2, INTEGER, "SinglePhaseVoltageSettings/AverageRMSOverVoltageThreshold"),
        Value(9, 1, "1-0:32.31.0.4", 2, INTEGER, "SinglePhaseVoltageSettings/AverageRMSUnderVoltageThreshold"),
        *_rms_voltage_settings(),
    )),
    # GBCS ECS26k: the same four limiters (items 0-7), then per phase the average RMS over- and
    # under-voltage thresholds: 1-0:32.35.0.4, 32.31.0.4 (phase 1), then 52.31.0.4, 52.35.0.4
    # (phase 2) and 72.31.0.4, 72.35.0.4 (phase 3): under before over for phases 2 and 3.
    _uc("ECS26k", 0x00C6, "6.2.1=ReadDeviceConfigurationVoltageRsp", VALUES, "Read ESME Configuration Voltage Data - 3 phase", values=(
        *(Group("PolyPhaseVoltageSettings", (
            Fixed("Phase", phase),
            Value(over, 1, f"1-0:{c}.35.0.4", 2, INTEGER, "PhaseVoltageSettings/AverageRMSOverVoltageThreshold"),
            Value(under, 1, f"1-0:{c}.31.0.4", 2, INTEGER, "PhaseVoltageSettings/AverageRMSUnderVoltageThreshold")))
          for phase, c, over, under in ((1, 32, 8, 9), (2, 52, 11, 10), (3, 72, 13, 12))),
        *_rms_voltage_settings(),
    )),
    # GBCS ECS26c: class 1 value of 0-0:94.44.0.0 (RandomisedOffset), 0-0:94.44.0.2
    # (RandomisedOffsetNumber), 0-0:94.44.0.1 (RandomisedOffsetLimit), long-unsigned each.
    _uc("ECS26c", 0x003D, "6.2.2=ReadDeviceConfigurationRandomisationRsp", VALUES, "Read ESME Configuration Data Device Information (randomisation)", values=(
        Value(0, 1, "0-0:94.44.0.0", 2, INTEGER, "RandomisedOffset"),
        Value(1, 1, "0-0:94.44.0.2", 2, INTEGER, "RandomisedOffsetNumber"),
        Value(2, 1, "0-0:94.44.0.1", 2, INTEGER, "RandomisedOffsetLimit"),
    )),
    # class 22 Single action schedule 0-0:15.0.0.255 execution_time (attribute 4): an array of
    # { time, date } with wildcards; the handler reads one entry as daily / weekly / monthly
    # (month not given) or yearly, two as six-monthly, four as quarterly (month given).
    _uc("ECS26d", 0x003E, "6.2.3=ReadDeviceConfigurationDataBillingCalendarRsp", VALUES, "Read ESME Configuration Data Device Information (Billing Calendar)", handler="billing_calendar",
        note="[?] BillingPeriodStartMonth: the first execution time's month"),
    _uc("ECS26l", 0x00D9, "6.2.3=ReadDeviceConfigurationDataBillingCalendarRsp", VALUES, "Read ESME Configuration Data Device Information (Billing Calendar - all periodicities)", handler="billing_calendar",
        note="[?] BillingPeriodStartMonth: the first execution time's month"),
    _uc("ECS26e", 0x003F, "6.2.4=ReadDeviceConfigurationIdentityExcMPxNRsp", VALUES, "Read ESME Configuration Data Device Information (device identity exc MPAN)", values=(
        _device_id(0), _model(2), _manufacturer(3), _tamper(4), _meter_variant(1))),
    _uc("ECS26i", 0x0092, "6.2.4=ReadDeviceConfigurationIdentityExcMPxNRsp", VALUES, "Read Configuration Data Device Information (CHF identity)", values=(
        _device_id(0), _model(1), _manufacturer(2))),
    _uc("ECS26n", 0x00FA, "6.2.4=ReadDeviceConfigurationIdentityExcMPxNRsp", VALUES, "Read CHF Configuration Data Device Information (CH identity and type)", values=(
        _model(0), _manufacturer(1))),
    # class 21 Register monitor 0-0:16.0.0.255 thresholds: array { low/medium, medium/high }
    _uc("ECS26f", 0x0040, "6.2.5=ReadDeviceConfigurationInstantaneousPowerThresholdsRsp", VALUES, "Read ESME Configuration Data Device Information (instantaneous power thresholds)", values=(
        Value(0, 21, "0-0:16.0.0.255", 2, INTEGER, "LowMediumPowerThreshold", path=(0,)),
        Value(0, 21, "0-0:16.0.0.255", 2, INTEGER, "MediumHighPowerThreshold", path=(1,)),
    )),
    _uc("ECS40", 0x004E, "6.2.7=ReadDeviceConfigurationMPxNRsp", VALUES, "Read MPAN Value on the ESME", "Electricity", values=(
        # Import MPAN: a twin-element ESME holds the primary and secondary MPANs, 13 digits each.
        Value(0, 1, "0-0:94.44.34.11", 2, SPLIT13, "Electricity/ImportMPAN", also=("Electricity/SecondaryImportMPAN",)),
        Value(1, 1, "1-0:0.0.2.255", 2, TEXT, "Electricity/ExportMPAN"),
    ), note="[?] trailing spaces of text are padding"),
    _uc("ECS26j", 0x00BE, "6.2.9=ReadDeviceConfigurationPaymentModeRsp", VALUES, "Read ESME Configuration Data Device Information (Payment Mode)", values=(
        # class 111 Account, account_mode_and_status: structure { payment_mode, account_status }
        Value(0, 111, "0-0:19.0.0.255", 2, ENUM, "PaymentMode", path=(0,), names=((1, "Credit"), (2, "Prepayment"))),
    )),
    # GBCS ECS25r1: class 1 0-30:97.98.15..18.255 value, each a bit-string(256) numbered LSB = 0,
    # bit n = code 0x81 || n: WAN alerting, HAN device sharing, alarms, logging, in that order
    # (the MMC ElectricitySupplierAlerts groups list which codes MMC has a place for).
    _uc("ECS25r1", 0x00EE, "6.2.10=ReadDeviceConfigurationEventAndAlertBehavioursRsp", VALUES, "Read non-critical event and alert behaviours - ESME - Supplier", "ElectricitySupplierAlertEventSettings", values=(
        Value(0, 1, "0-30:97.98.15.255", 2, ALERT_BITS, "ElectricitySupplierAlertEventSettings/ElectricitySupplierWANAlertSettings", groups=_SUPPLIER_ALERTS),
        Value(1, 1, "0-30:97.98.16.255", 2, ALERT_BITS, "ElectricitySupplierAlertEventSettings/ElectricitySupplierHANAlertSettings", groups=_SUPPLIER_ALERTS),
        Value(2, 1, "0-30:97.98.17.255", 2, ALERT_BITS, "ElectricitySupplierAlertEventSettings/ElectricitySupplierAlarmSettings", groups=_SUPPLIER_ALERTS),
        Value(3, 1, "0-30:97.98.18.255", 2, ALERT_BITS, "ElectricitySupplierAlertEventSettings/ElectricitySupplierLoggingSettings", groups=_SUPPLIER_ALERTS),
    ), note="[?] SupplierESMEPolyPhase (0x81B7) written only when enabled"),
    # GBCS ECS25r2: 0-33:97.98.15.255 (WAN alerting) and 0-33:97.98.18.255 (logging), bit n =
    # code 0x80 || n.
    _uc("ECS25r2", 0x00EF, "6.2.10=ReadDeviceConfigurationEventAndAlertBehavioursRsp", VALUES, "Read non-critical event and alert behaviours - ESME - Network Operator", "ElectricityNetworkOperatorAlertEventSettings", values=(
        Value(0, 1, "0-33:97.98.15.255", 2, ALERT_BITS, "ElectricityNetworkOperatorAlertEventSettings/ElectricityNetworkOperatorWANAlertSettings", groups=_NETWORK_OPERATOR_ALERTS),
        Value(1, 1, "0-33:97.98.18.255", 2, ALERT_BITS, "ElectricityNetworkOperatorAlertEventSettings/ElectricityNetworkOperatorLoggingSettings", groups=_NETWORK_OPERATOR_ALERTS),
    ), note="[?] single/polyphase group chosen by which codes are enabled; neither when that cannot be told"),
    _uc("ECS28a", 0x0043, "6.4.1=UpdateDeviceConfigurationLoadLimitingGeneralSettingsRsp", RESULTS, "Set Load Limit Configurations - General Settings"),
    _uc("ECS28b", 0x0044, "6.4.2=UpdateDeviceConfigurationLoadLimitingCounterResetRsp", RESULTS, "Set Load Limit Configuration Counter Reset"),
    _uc("ECS29a", 0x0045, "6.5=UpdateDeviceConfigurationVoltageRsp", RESULTS, "Set Voltage Configurations on ESME"),
    _uc("ECS29b", 0x00AE, "6.5=UpdateDeviceConfigurationVoltageRsp", RESULTS, "Set Voltage Configurations on ESME - 3ph"),
    _uc("ECS29c", 0x00D1, "6.5=UpdateDeviceConfigurationVoltageRsp", RESULTS, "Set Voltage Configurations on ESME without counter reset"),
    _uc("ECS29d", 0x00D2, "6.5=UpdateDeviceConfigurationVoltageRsp", RESULTS, "Set Voltage Configurations on polyphase ESME without counter reset"),
    _uc("ECS30", 0x0046, "6.8=UpdateDeviceConfigurationBillingCalendarRsp", RESULTS, "Set Billing Calendar on the ESME"),
    _uc("ECS30a", 0x00D7, "6.8=UpdateDeviceConfigurationBillingCalendarRsp", RESULTS, "Set Billing Calendar on the ESME - all periodicities"),
    # Set clock (class 8 0-0:1.0.0.255: set attribute 9, methods 5 and 4), then Get time
    # (attribute 2) and status (attribute 4); CommissionDeviceSynchroniseClockRsp (8.1.1)
    # holds no values.
    _uc("ECS70", 0x0062, "6.11=SynchroniseClockRsp 8.1.1=CommissionDeviceSynchroniseClockRsp", VALUES, "Set Clock on ESME", values=(
        Value(3, 8, "0-0:1.0.0.255", 2, DATE_TIME, "DeviceTime"),
        Value(4, 8, "0-0:1.0.0.255", 4, CLOCK_STATUS, "Electricity/ElecClockTimeStatus"),
    ), results_only=("CommissionDeviceSynchroniseClockRsp",)),
    _uc("ECS34", 0x0047, "6.12=UpdateDeviceConfigurationInstantaneousPowerThresholdRsp", RESULTS, "Set Instantaneous Power Threshold Configuration"),
    # Event and security logs: entries { UTC time, event code } (LogMeaning, the GBCS event
    # code description, is optional in MMC and not written). The security-log OBIS is the one
    # the RTDS ECS35b/ECS35d requests name; the event-log OBIS (ECS35a/ECS35c) is not
    # confirmed by an RTDS request (the walker reads by position, not by OBIS).
    _uc("ECS35a", 0x0048, "6.13=ReadEventOrSecurityLogRsp", VALUES, "Read ESME Event Log", values=(_event_log("0-0:99.98.0.255", other_information=True),), note="partial: LogMeaning not written", unwritten=("LogMeaning",)),
    _uc("ECS35b", 0x0049, "6.13=ReadEventOrSecurityLogRsp", VALUES, "Read ESME Security Log", values=(_event_log("0-0:99.98.1.255"),), note="partial: LogMeaning not written", unwritten=("LogMeaning",)),
    _uc("ECS35c", 0x0093, "6.13=ReadEventOrSecurityLogRsp", VALUES, "Read CHF Event Log", values=(_event_log("0-0:99.98.0.255"),), note="partial: LogMeaning not written", unwritten=("LogMeaning",)),
    _uc("ECS35d", 0x0094, "6.13=ReadEventOrSecurityLogRsp", VALUES, "Read CHF Security Log", values=(_event_log("0-0:99.98.1.255"),), note="partial: LogMeaning not written", unwritten=("LogMeaning",)),
    # GBCS ECS35e: class 7 0-0:99.98.4.255 buffer of entry_powerLogEntry { timestamp, logCode,
    # otherInformation (double-long-unsigned: written as its four octets, MMC hexBinary) }.
    _uc("ECS35e", 0x00B9, "6.13=ReadEventOrSecurityLogRsp", VALUES, "Read ESME Power Event Log", values=(
        _profile("0-0:99.98.4.255", "Log/LogEntry", 100, (0, UTC2000, "Timestamp"), (1, CODE16, "LogCode"),
                 (2, OCTETS32, "OtherInformation")),),
        note="partial: LogMeaning not written", unwritten=("LogMeaning",)),
    # GBCS ECS35f: class 7 0-17:99.98.2.255 buffer of entry_alcsLogEntry { timestamp (UTC
    # seconds), switchNumberAndAction (long-unsigned: left octet the switch [n], right octet
    # 0x11 On, 0x12 Off, 0x20 revert to calendar control, 0x00 a message from an HC ALCS),
    # outcome (enum 0 not known, 1 success, 2 failure), hANCommandID } -> MMC ALCSEvent.
    _uc("ECS35f", 0x00BA, "6.13=ReadEventOrSecurityLogRsp", VALUES, "Read ALCS Event Log", values=(
        _alcs_log("0-17:99.98.2.255"),)),
    # GBCS ECS35g (GBCS v4 use-case table, "Read Auxiliary Controller Event Log"): the same
    # class 7 0-17:99.98.2.255 buffer, of entry_auxiliaryControllerLogEntry with the same four
    # members; its switchNumberAndAction refers to GBCS 7.3.6.1 / 18.1.1.1, not found here, so
    # the ALCS action codes above are used and an APC level would be refused, not guessed.
    _uc("ECS35g", 0x00FD, "6.13=ReadEventOrSecurityLogRsp", VALUES, "Read Auxiliary Controller Event Log", values=(
        _alcs_log("0-17:99.98.2.255"),),
        note="[?] switchNumberAndAction read with ECS35f's ALCS action codes (GBCS 7.3.6.1 not "
             "found): AuxiliaryControllerLevel, InputFromControlledLoad not written"),
    _uc("ECS46a", 0x0053, "6.14.1=UpdateDeviceConfigurationALCDescriptionsRsp", RESULTS, "Set HC ALCS or ALCS Labels in ESME"),
    _uc("ECS46c", 0x0054, "6.14.2=UpdateDeviceConfigurationALCSchedulerRsp", RESULTS, "Set HC ALCS and ALCS configuration in ESME (excluding labels)"),
    _uc("ECS37", 0x004A, "6.18.1=SetMaximumDemandConfigurableTimePeriodRsp", RESULTS, "Set Maximum Demand Configurable Time Period"),
    _uc("ECS57", 0x005A, "6.18.2=ResetMaximumDemandRegistersRsp", RESULTS, "Reset ESME Maximum Demand Registers"),
    _uc("ECS39a", 0x004C, "6.20.1=SetDeviceConfigurationImportMPxNRsp", RESULTS, "Set MPAN Value on the ESME"),
    _uc("ECS39b", 0x004D, "6.20.2=SetDeviceConfigurationExportMPANRsp", RESULTS, "Set Export MPAN Value on the ESME"),
    _uc("ECS25a", 0x00AC, "6.22=ConfigureAlertBehaviourRsp", RESULTS, "Set Alert Behaviours - ESME - Supplier"),
    _uc("ECS25a1", 0x00EA, "6.22=ConfigureAlertBehaviourRsp", RESULTS, "Set Event Behaviours - ESME to HAN Device - Supplier"),
    _uc("ECS25a2", 0x00EB, "6.22=ConfigureAlertBehaviourRsp", RESULTS, "Set Event Behaviours - ESME audible alarm - Supplier"),
    _uc("ECS25a3", 0x00EC, "6.22=ConfigureAlertBehaviourRsp", RESULTS, "Set Event Behaviours - ESME logging - Supplier"),
    _uc("ECS25b", 0x00B0, "6.22=ConfigureAlertBehaviourRsp", RESULTS, "Set Alert Behaviours - ESME - Network Operator"),
    _uc("ECS25b3", 0x00ED, "6.22=ConfigureAlertBehaviourRsp", RESULTS, "Set Event Behaviours - ESME logging - Network Operator"),
    _uc("ECS81", 0x0068, "6.25=SetElectricitySupplyTamperStateRsp", RESULTS, "Set Supply Tamper State on ESME"),
    _uc("ECS48", 0x00DB, "6.26=UpdateDeviceConfigurationDailyResettingOfTariffBlockCounterMatrixRsp", RESULTS, "Configure daily resetting of Tariff Block Counter Matrix"),
    _uc("ECS29e", 0x00D3, "6.27=UpdateDeviceConfigurationRMSVoltageCounterResetRsp", RESULTS, "Reset RMS Voltage Counters on ESME"),
    _uc("ECS29f", 0x00D4, "6.27=UpdateDeviceConfigurationRMSVoltageCounterResetRsp", RESULTS, "Reset RMS Voltage Counters on polyphase ESME"),
    _uc("DBCH04", 0x010D, "6.28=SetCHFSubGHzConfigurationRsp", RESULTS, "Set CHF Sub GHz Configuration"),
    _uc("DBCH05", 0x010E, "6.29=RequestCHFSubGHzChannelScanRsp", RESULTS, "Request CHF Sub GHz Channel Scan"),
    # Sub-GHz channels as ZigBee channel pages: page 28 = lower band channels 0-26, 29 =
    # 27-34 (mask bits 0-7), 30 = 35-61, 31 = upper band 0-26 (MMC's Channels0To26,
    # Channels27To34, Channels35To61 follow the same split) [?: GBCS 10.6.2.1 not found].
    # DBCH03, GBCS: class 1 0-0:94.44.10.0 attribute 2 subGhzConfig ::= structure {
    # page28Mask, page29Mask, page30Mask, page31Mask (bit-string(32)),
    # normalLimitedDutyCycleThreshold, limitedCriticalDutyCycleThreshold (long-unsigned),
    # channelChangesPerWeek (unsigned), gsmeCurfew (long-unsigned), quieterDecibelsLimit,
    # noisierDecibelsLimit (unsigned), nonGsmePoorCommsPercentage (long-unsigned),
    # nonGsmeMeasurementPeriods (unsigned), localChNoiseMeasurementPeriod,
    # localChFailurePercentage, localChRetryPercentage (long-unsigned) }. The counts and periods
    # are written as carried; the duty-cycle thresholds and percentages (MMC xs:decimal) need
    # GBCS 10.6.2.3's scale, not found here, and are not written.
    _uc("DBCH03", 0x010C, "6.30=ReadCHFSubGHzConfigurationRsp", VALUES, "Read CHF Sub GHz Configuration", values=(
        Value(0, 1, "0-0:94.44.10.0", 2, SUBGHZ_MASK, "LowerBandSubGHzChannels0To26", path=(0,), page=28),
        Value(0, 1, "0-0:94.44.10.0", 2, SUBGHZ_MASK, "LowerBandSubGHzChannels27To34", path=(1,), page=29),
        Value(0, 1, "0-0:94.44.10.0", 2, SUBGHZ_MASK, "LowerBandSubGHzChannels35To61", path=(2,), page=30),
        Value(0, 1, "0-0:94.44.10.0", 2, SUBGHZ_MASK, "UpperBandSubGHzChannels0To26", path=(3,), page=31),
        Value(0, 1, "0-0:94.44.10.0", 2, INTEGER, "MaximumSubGHzChannelChangesPerWeek", path=(6,)),
        Value(0, 1, "0-0:94.44.10.0", 2, INTEGER, "GSMECurfew", path=(7,)),
        Value(0, 1, "0-0:94.44.10.0", 2, INTEGER, "ChannelQuieterThreshold", path=(8,)),
        Value(0, 1, "0-0:94.44.10.0", 2, INTEGER, "ChannelNoisierThreshold", path=(9,)),
        Value(0, 1, "0-0:94.44.10.0", 2, INTEGER, "NonGSMEPoorCommsMeasurementPeriods", path=(11,)),
        Value(0, 1, "0-0:94.44.10.0", 2, INTEGER, "LocalCHNoiseMeasurementPeriod", path=(12,)),
    ), note="partial: the duty-cycle thresholds and percentages not written (GBCS 10.6.2.3 scale not found); [?] channel page to channel numbers",
        unwritten=("NormalLimitedDutyCycleThreshold", "LimitedCriticalDutyCycleThreshold",
                   "NonGSMEPoorCommsPercentageThreshold", "LocalCHFailurePercentage",
                   "LocalCHRetryPercentage")),
    _uc("DBCH01", 0x010A, "6.31=ReadCHFSubGHzChannelRsp", VALUES, "Read CHF Sub GHz Channel", values=(
        Value(0, 1, "0-0:94.44.10.2", 2, SUBGHZ_CHANNEL, "OperatingSubGHzChannel"),
    ), note="[?] channel pages 28-31"),
    # GBCS DBCH02: class 7 0-0:94.44.10.3 buffer of entry_eventLogEntry8 { timestamp, logCode,
    # otherInformation octet-string(8) }; the channel and scan trigger inside otherInformation
    # (GBCS 10.6.2.1) are not decoded here.
    _uc("DBCH02", 0x010B, "6.32=ReadCHFSubGHzChannelLogRsp", VALUES, "Read CHF Sub GHz Channel Log", values=(
        _profile("0-0:94.44.10.3", "LogEntry", 100, (0, UTC2000, "Timestamp"), (1, CODE16, "EventCode")),),
        note="partial: OperatingSubGHzChannel, ScanTrigger (in otherInformation, GBCS 10.6.2.1 not found) not written",
        unwritten=("OperatingSubGHzChannel", "ScanTrigger")),
    # --- SR 7: supply and load control ------------------------------------------------
    _uc("ECS42", 0x004F, "7.1=EnableSupplyRsp", RESULTS, "Remotely Close the Load Switch on the ESME"),
    _uc("ECS43", 0x0050, "7.2=DisableSupplyRsp", RESULTS, "Remotely Open the Load Switch on the ESME"),
    _uc("ECS44", 0x0051, "7.3=ArmSupplyRsp", RESULTS, "Arm Load Switch in ESME"),
    # GBCS ECS45: class 70 Disconnect control 0-0:96.3.10.255 control_state (attribute 3):
    # "Enabled = 1 (Connected), Disabled = 0 (Disconnected), Armed = 2 (Ready_for_reconnection)"
    _uc("ECS45", 0x0052, "7.4=ReadSupplyStatusRsp", VALUES, "Read Status of Load Switch in the ESME", values=(
        Value(0, 70, "0-0:96.3.10.255", 3, ENUM, "SupplyState", names=((0, "Disabled"), (1, "Enabled"), (2, "Armed"))),
    )),
    _uc("ECS47", 0x0055, "7.5=ActivateAuxiliaryLoadRsp 7.6=DeactivateAuxiliaryLoadRsp 7.8=ResetAuxiliaryLoadRsp", RESULTS, "Set or Reset HC ALCS or ALCS State"),
    # per switch n = 1..5: description (class 1 0-0:94.44.0.1n, items 0-4), type and
    # identifier (class 1 0-0:94.44.0.2n octet-string(8), items 5-9) and state (class 70
    # Disconnect control 0-n:96.3.10.255 output_state, items 12-16), GBCS ECS61a order; item 10 the switches'
    # special days (class 11 0-0:11.0.3.255 entries { index, date, day_id }), item 11 their
    # schedule (class 10 0-0:12.0.2.255 entries): its actions are script selectors (GBCS
    # 7.3.7, not found here), so the scheduler is not written
    _uc("ECS61a", 0x00BB, "7.7=ReadALCSDataRsp", VALUES, "Read HC ALCS and ALCS Data from ESME", values=(
        *(Group("AuxiliaryLoadControlSwitch",
                (Value(n - 1, 1, f"0-0:94.44.0.{10 + n}", 2, TEXT, "Description"),
                 Value(4 + n, 1, f"0-0:94.44.0.{20 + n}", 2, SWITCH_TYPE, "TypeAndIdentifier"),
                 Value(11 + n, 70, f"0-{n}:96.3.10.255", 2, BOOLEAN, "State")),
                attributes=(("Index", n),))
          for n in range(1, 6)),
        Rows(10, 11, "0-0:11.0.3.255", 2, "ALCSHCALCSSpecialDays/ALCSHCALCSSpecialDay",
             (Column(0, INTEGER, "@index"), Column(1, DATE_WILD, "*")), 20),
    ), note="partial: ALCSScheduler not written (GBCS 7.3.7 script selectors not found)",
        unwritten=("ALCSScheduler",)),
    _uc("ECS62", 0x005F, "7.9=AddAuxiliaryLoadToBoostButtonRsp 7.10=RemoveAuxiliaryLoadFromBoostButtonRsp", RESULTS, "Set ALCS and Boost Button Association"),
    # boost button availability (0-0:94.44.7.255), its event log (class 7 0-0:99.98.20.255:
    # GBCS ECS61c entry_boostFunctionLogEntry { boost_start, boost_end } as UTC seconds, the
    # members in the order GBCS's table lists them, as for every other named entry) and the five boost function controls
    # (0-0:94.44.6.1..5), all class 1 value attributes
    _uc("ECS61c", 0x005E, "7.11=ReadBoostButtonDetailsRsp", VALUES, "Read Boost Button Data from ESME", values=(
        Rows(1, 7, "0-0:99.98.20.255", 2, "EventLogEntry",
             (Column(1, UTC2000, "BoostEnd"), Column(0, UTC2000, "BoostStart")), 25),
        Value(0, 1, "0-0:94.44.7.255", 2, BOOLEAN, "BoostFunctionAvailability"),
        *(Value(1 + n, 1, f"0-0:94.44.6.{n}", 2, BOOLEAN, f"BoostFunctionControl{n}Value")
          for n in range(1, 6)),
    )),
    _uc("ECS38", 0x004B, "7.12=SetRandomisedOffsetLimitRsp", RESULTS, "Update Randomised Offset Limit"),
    _uc("ECS47a", 0x011E, "7.13=SetAuxiliaryControllerStateRsp", RESULTS, "Set Auxiliary Controller [n] State"),
    # descriptions of auxiliary controllers 1..5 (class 1 0-0:94.44.0.11..15, visible-string,
    # items 0-4), item 5 the special days (class 11 0-0:11.0.3.255 entries { index, date,
    # day_id }: the entry index is the MMC identifier [?]), item 6 the schedule (class 10
    # 0-0:12.0.2.255): its actions are GBCS 7.3.7 script selectors, not found here
    _uc("ECS61d", 0x011C, "7.14=ReadAuxiliaryControllerConfigurationDataRsp", VALUES, "Read Auxiliary Controller Configuration Data", values=(
        *(Group("AuxiliaryControllerDescription",
                (Value(n - 1, 1, f"0-0:94.44.0.{10 + n}", 2, TEXT, "AuxiliaryControlDescription"),),
                attributes=(("auxiliaryControllerN", n),))
          for n in range(1, 6)),
        Rows(5, 11, "0-0:11.0.3.255", 2, "AuxiliaryControllerSpecialDayDefinitions/AuxiliaryControllerSpecialDayDefinition",
             (Column(0, INTEGER, "@identifier"), Column(1, DATE_WILD, "*")), 20),
    ), note="partial: AuxiliaryControllerSchedule not written (GBCS 7.3.7 script selectors not found); [?] special-day identifier = entry index",
        unwritten=("AuxiliaryControllerSchedule",)),
    # GBCS ECS61e (GBCS v4 use-case table): class 1 value of 0-0:94.44.0.21..25 (each Auxiliary
    # Controller's typeAndIdentifier, octet-string) then 0-0:94.44.0.31..35 (its
    # stateAndAssociatedInformation, utf8-string of up to 72,000 octets, "see GBCS 7.2.9.2").
    _uc("ECS61e", 0x011D, "7.15=ReadAuxiliaryControllerOperationalDataRsp", VALUES, "Read Auxiliary Controller Operational Data", values=tuple(
        Group("AuxiliaryControllerOperationalData",
              (Value(n - 1, 1, f"0-0:94.44.0.{20 + n}", 2, AUX_TYPE, "TypeAndIdentifier"),
               Value(4 + n, 1, f"0-0:94.44.0.{30 + n}", 2, UTF8,
                     "AuxiliaryControllerStateAndAssociatedInformation/StateAndAssociatedInformation")),
              attributes=(("auxiliaryControllerN", n),))
        for n in range(1, 6)),
        note="[?] OutputState, InputState not taken out of the state text (its GBCS 7.2.9.2 "
             "format not found); the whole text is StateAndAssociatedInformation"),
    _uc("ECS47e", 0x011F, "7.16=LimitAPCLevelRsp", RESULTS, "Limit APC [n] Level"),
    # SRV 6.14.3 (ECS46d Set Auxiliary Controller Calendar) has no MMC V5.4 response type.
    _uc("ECS46d", 0x011A, "", RESULTS, "Set Auxiliary Controller Calendar"),
    # --- SR 8, 9, 11: CHF device log, CIN, firmware ------------------------------------
    _uc("CCS01", 0x0001, "8.11=UpdateHANDeviceLogRsp", RESULTS, "Add Device to CHF device log"),
    _uc("CCS02", 0x0002, "8.11=UpdateHANDeviceLogRsp", RESULTS, "Remove device from CHF device log"),
    _uc("CCS03", 0x0003, "8.12.1=RestoreHANDeviceLogRsp", RESULTS, "Restore CHF Device Log"),
    # class 104 (ZigBee network control) 0-0:30.3.0.255 attribute 4 active_devices, GBCS CCS06:
    # active_device { mac_address (0), status, maxRSSI, averageRSSI (3: the CHTS
    # subGHzLinkQuality, DLMS integer), minRSSI, maxLQI, averageLQI, minLQI,
    # last_communication_date-time (8), number_of_hops, ... }
    _uc("CCS06", 0x010F, "8.9=ReadDeviceLogRsp", VALUES, "Read CHF device log and check HAN communications", values=(
        Rows(0, 104, "0-0:30.3.0.255", 4, "CHFDeviceLog/CHFDeviceLogEntry",
             (Column(0, EUI, "DeviceID"), Column(8, DATE_TIME, "LastCommunicationsDateTime"),
              Column(3, INTEGER, "SubGHzLinkQuality")), 16),
    )),
    # GBCS CCS07: class 104 method 4 (backup_PAN) of 0-0:30.3.0.255 (the CHF Device Log) then
    # of 0-0:30.3.1.255 (the CHF Historic Device Log), each returning structure { date-time,
    # extended_PAN_ID, devices_to_backup array of { MAC_address octet-string(8),
    # hashed_TC_link_key octet-string(16) } } -> MMC CHFConnectedDeviceLog current / historic
    # entries { DeviceID, DeviceSecurityDetails (the hash as hex, empty when no TC link key) }.
    # (Rows.attribute holds the method number here.)
    _uc("CCS07", 0x00FE, "8.9=ReadDeviceLogRsp", VALUES, "Read CHF Device Logs", values=(
        Rows(0, 104, "0-0:30.3.0.255", 4, "CHFConnectedDeviceLog/CHFCurrentConnectedDeviceLogEntry",
             (Column(0, EUI, "DeviceID"), Column(1, HEX, "DeviceSecurityDetails")), 16, path=(2,)),
        Rows(1, 104, "0-0:30.3.1.255", 4, "CHFConnectedDeviceLog/CHFHistoricConnectedDeviceLogEntry",
             (Column(0, EUI, "DeviceID"), Column(1, HEX, "DeviceSecurityDetails")), 16, path=(2,)),
    )),
    _uc("ECS50", 0x0058, "9.1=RequestCustomerIdentificationNumberRsp", RESULTS, "Send CIN to ESME"),
    _uc("ECS52", 0x0059, "11.2=ReadFirmwareVersionRsp", VALUES, "Read ESME/Comms Hub Firmware Version", values=(
        # class 1 Data 0-0:0.2.1.255: GBCS ECS52 octet-string(4), "the File Version field in the
        # ZSE OTA Header"; written as hex, the 8 characters MMC's FirmwareVersion type allows
        Value(0, 1, "0-0:0.2.1.255", 2, HEX, "FirmwareVersion"),
    )),
)
# fmt: on

BY_CODE: dict[int, DlmsUseCase] = {row.message_code: row for row in USE_CASES}


def coverage_rows() -> list[tuple[str, str, str, str, str]]:
    """(use_case, srv, mmc_type, encoding, status) for docs/coverage.md, in SRV order.

    status (the vocabulary of ``tools/coverage_table.py``): ``acknowledgement`` (Set/Action:
    the MMC type holds MessageSuccess only), ``values`` (with the row's note: what is
    partial, what is unconfirmed [?]), ``partial: ...`` for reads whose values are not mapped
    yet (their error responses get the element with MessageSuccess="false"), ``no MMC
    type: ...``."""
    rows = []
    for row in USE_CASES:
        if not row.responses:
            srv = _NO_MMC_TYPE[row.use_case]
            rows.append((row.use_case, srv, "", "DLMS",
                         f"no MMC type: MMC V5.4 defines no response type for SRV {srv}"))
            continue
        for srv, mmc_type in row.responses:
            if row.shape == RESULTS or mmc_type in row.results_only:
                status = "acknowledgement"
            elif row.shape == VALUES:
                status = f"values {row.note}".strip() if not row.note.startswith("partial") \
                    else row.note
            else:
                status = "partial: values not mapped yet (error responses only: MessageSuccess " \
                         "and COSEM failures)"
            rows.append((row.use_case, srv, mmc_type, "DLMS", status))
    return sorted(rows, key=lambda r: (_srv_key(r[1]), r[0]))


_NO_MMC_TYPE = {"ECS46d": "6.14.3"}


def _srv_key(srv: str) -> tuple[int, ...]:
    return tuple(int(p) for p in srv.split(".")) if srv else (999,)
