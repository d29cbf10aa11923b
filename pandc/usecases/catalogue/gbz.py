"""GBZ (ZigBee, gas) use cases: the responses' ZCL content → MMC V5.4 elements.

Three tables, read by the one walker in :mod:`pandc.usecases.zigbee`:

- :data:`USE_CASES`: one row per GBCS use case: message code, SRV, the MMC V5.4 SMETSData
  element, and the response's *shape*: ``ack`` (the MMC type carries only MessageSuccess; the
  response is Default Responses or a command whose content MMC does not carry), ``attributes``
  (Read Attributes Responses, mapped by :data:`VALUES`), or the name of a row template for
  the repeated shapes (logs, snapshots, calendars; :data:`TEMPLATES`).
- :data:`VALUES`: one row per (use case, cluster, attribute): the ZCL type it must have on the
  wire, the named rule that turns it into an MMC value, and the element path below the
  use-case element (``a/b[index=2]``: element ``b`` with attribute ``index="2"``).
- :data:`TEMPLATES`: for each repeated shape, the command it reads and, per entry, which
  command field goes to which element of the entry.

References: "GBCS" names the GBCS use case (section 19 tables of GBCS v4.x) and "ZSE" the
ZigBee Smart Energy 1.4 (07-5356-19) attribute or command; "MMC" the complex type in
``MMC Schema V5.4.xsd``. "[?]" marks a mapping pandc could not check against a published
text and chose as documented here; the coverage table lists those use cases as partial.

Named rules (applied by the walker):

=============  =============================================================================
``integer``    the ZCL integer as it is (money in the currency's smallest unit, periods in s)
``metering``   value × Multiplier (0x0702/0x0301) ÷ Divisor (0x0702/0x0302) of the same
               response; without both, the value is left out with a warning
``flow``       value × UncontrolledFlowMultiplier (0x0702/0x0B12) ÷ ...Divisor (0x0B13)
``trailing``   value ÷ 10^(bits 4-7 of the named trailing-digit attribute) (ZSE Price cluster)
``unit_m3``    UnitOfMeasure enumeration: 0x01 → "m3" (MMC GasConsumptionUnit knows no other)
``octets_text`` an octet string of printable ASCII → text
``enum``       the row's ``mapping`` (ZCL value → MMC enumeration text); others: warning
``model``      Basic ModelIdentifier: the first 8 characters are the model type; when 16
               octets long, the last 8 are the device's EUI-64 [?]
=============  =============================================================================
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from . import CoverageRow

# ZCL data types (ZCL 2.6.2)
BITMAP8, BITMAP32 = 0x18, 0x1B
UINT8, UINT16, UINT24, UINT32, UINT48 = 0x20, 0x21, 0x22, 0x23, 0x25
INT32 = 0x2B
ENUM8 = 0x30
OCTET_STRING, CHARACTER_STRING = 0x41, 0x42

METERING, PRICE, PREPAYMENT, BASIC = 0x0702, 0x0700, 0x0705, 0x0000


@dataclass(frozen=True, slots=True)
class GbzUseCase:
    use_case: str
    code: int
    srv: str
    mmc_type: str
    shape: str                           # 'ack', 'attributes' or a TEMPLATES key
    gbcs_ref: str
    mmc_ref: str
    always: tuple[str, ...] = ()         # elements written even when no value fills them
    log: bool = False                    # Default Response NOT_FOUND = an empty log slot
    status: str = "values"               # coverage: 'values', 'acknowledgement', 'partial: ...'
    commands: tuple[str, ...] = ()       # ZSE commands the response may carry besides the
                                         # shape's own (other commands: UseCaseError)


@dataclass(frozen=True, slots=True)
class GbzValue:
    use_case: str
    cluster: int
    attribute: int
    zcl_types: tuple[int, ...]           # the type(s) GBCS / ZSE give the attribute
    mmc: str                             # path below the use-case element
    rule: str = "integer"
    mapping: dict[int, str] = field(default_factory=dict)
    argument: tuple[int, ...] = ()       # rule argument, e.g. the trailing-digit attribute
    needs: str = ""                      # written only beside this element (e.g. a unit)
    max_length: int = 0                  # MMC maxLength of a text element
    gbcs_ref: str = ""
    mmc_ref: str = ""


def _ack(use_case: str, code: int, srv: str, mmc_type: str, gbcs: str,
         commands: tuple[str, ...] = ()) -> GbzUseCase:
    """A response MMC carries as MessageSuccess only (its MMC type extends
    ServiceRequestBaseType with no elements)."""
    return GbzUseCase(use_case, code, srv, mmc_type, "ack", gbcs, f"MMC {mmc_type} (empty)",
                      status="acknowledgement", commands=commands)


USE_CASES: tuple[GbzUseCase, ...] = (
    # --- commands whose MMC response type is empty: MessageSuccess from the statuses
    _ack("GCS01a", 0x006B, "1.1.1", "UpdateImportTariffPrimaryElementRsp", "GBCS GCS01a: Default Responses per Price/Calendar command"),
    _ack("GCS01b", 0x00A3, "1.2.1", "UpdatePricePrimaryElementRsp", "GBCS GCS01b: Default Responses per Price command"),
    _ack("GCS40a", 0x0086, "1.5", "UpdateMeterBalanceRsp", "GBCS GCS40a: Default Response"),
    _ack("GCS40b", 0x00B4, "1.5", "UpdateMeterBalanceRsp", "GBCS GCS40b: Default Response"),
    _ack("GCS40c", 0x00C0, "1.5", "UpdateMeterBalanceRsp", "GBCS GCS40c: Default Response"),
    _ack("GCS40d", 0x00C2, "1.5", "UpdateMeterBalanceRsp", "GBCS GCS40d: Default Response"),
    _ack("GCS02", 0x006C, "1.6", "UpdatePaymentModeRsp", "GBCS GCS02: ZSE ChangePaymentModeResponse or Default Response",
         ("ChangePaymentModeResponse",)),
    _ack("GCS03", 0x006D, "1.6", "UpdatePaymentModeRsp", "GBCS GCS03: ZSE ChangePaymentModeResponse or Default Response",
         ("ChangePaymentModeResponse",)),
    _ack("GCS05", 0x006F, "2.1", "UpdatePrepayConfigurationRsp", "GBCS GCS05: Default Responses"),
    _ack("CS01b", 0x0097, "2.2", "TopUpDeviceRsp", "GBCS CS01b: ZSE ConsumerTopUpResponse (ResultType)",
         ("ConsumerTopUpResponse",)),
    _ack("GCS04", 0x006E, "2.3", "UpdateDebtRsp", "GBCS GCS04: Default Responses"),
    _ack("GCS06", 0x0070, "2.5", "ActivateEmergencyCreditRsp", "GBCS GCS06: Default Response"),
    _ack("GCS07", 0x0071, "3.1", "DisplayMessageRsp", "GBCS GCS07: Default Response"),
    _ack("GCS09", 0x0072, "3.2", "RestrictAccessForChangeOfTenancyRsp", "GBCS GCS09: Default Response"),
    _ack("CS11", 0x0015, "3.3", "ClearEventLogRsp", "GBCS CS11: Default Response"),
    _ack("GCS44", 0x0088, "3.4", "UpdateSupplierNameRsp", "GBCS GCS44: Default Response"),
    _ack("GCS11", 0x0073, "3.5", "DisablePrivacyPINRsp", "GBCS GCS11: Default Response"),
    _ack("GCS23", 0x007C, "6.6", "UpdateDeviceConfigurationGasConversionRsp", "GBCS GCS23: Default Responses"),
    _ack("GCS24", 0x007D, "6.7", "UpdateDeviceConfigurationGasFlowRsp", "GBCS GCS24: Default Responses"),
    _ack("GCS24a", 0x00FC, "6.7", "UpdateDeviceConfigurationGasFlowRsp", "GBCS GCS24a: Default Responses"),
    _ack("GCS25", 0x007E, "6.8", "UpdateDeviceConfigurationBillingCalendarRsp", "GBCS GCS25: Default Responses"),
    _ack("GCS25a", 0x00D8, "6.8", "UpdateDeviceConfigurationBillingCalendarRsp", "GBCS GCS25a: Default Responses"),
    _ack("GCS41", 0x0087, "6.20.1", "SetDeviceConfigurationImportMPxNRsp", "GBCS GCS41: Default Response"),
    _ack("GCS20", 0x00AD, "6.22", "ConfigureAlertBehaviourRsp", "GBCS GCS20: Default Responses"),
    _ack("GCS32", 0x0081, "7.2", "DisableSupplyRsp", "GBCS GCS32: ZSE SupplyStatusResponse or Default Response",
         ("SupplyStatusResponse",)),
    _ack("GCS39", 0x0085, "7.3", "ArmSupplyRsp", "GBCS GCS39: ZSE SupplyStatusResponse or Default Response",
         ("SupplyStatusResponse",)),

    # --- Read Attributes Responses, mapped by VALUES
    GbzUseCase("GCS13a", 0x0074, "4.1.1", "ReadInstantaneousImportRegistersRsp", "attributes",
               "GBCS GCS13a: Metering 0x0000, 0x0300-0x0302", "MMC ReadInstantaneousImportRegistersRsp/Gas",
               always=("Gas",)),
    GbzUseCase("GCS13c", 0x00B6, "4.1.2", "ReadInstantaneousImportTOUMatricesRsp", "attributes",
               "GBCS GCS13c: Metering 0x0100-0x0106, 0x0301-0x0302", "MMC ReadInstantaneousImportTOUMatricesRsp/Gas",
               always=("Gas",)),
    GbzUseCase("GCS13b", 0x00B8, "4.1.4", "ReadInstantaneousImportBlockCountersRsp", "attributes",
               "GBCS GCS13b: Metering 0x0700-0x0703, 0x0301-0x0302", "MMC ReadInstantaneousImportBlockCountersRsp"),
    GbzUseCase("GCS14", 0x0075, "4.3", "ReadInstantaneousPrepayValuesRsp", "attributes",
               "GBCS GCS14: Prepayment 0x0001-0x0005, 0x0211/0x0221/0x0231", "MMC ReadInstantaneousPrepayValuesRsp"),
    GbzUseCase("GCS60", 0x008D, "4.18", "ReadMeterBalanceRsp", "attributes",
               "GBCS GCS60: Metering 0x0A00, Prepayment 0x0001", "MMC ReadMeterBalanceRsp"),
    GbzUseCase("GCS60a", 0x012A, "4.18", "ReadMeterBalanceRsp", "attributes",
               "GBCS GCS60a (SECMP0015): as GCS60, date-time stamped", "MMC ReadMeterBalanceRsp"),
    GbzUseCase("GCS33", 0x0082, "7.4", "ReadSupplyStatusRsp", "attributes",
               "GBCS GCS33: Metering 0x0014 SupplyStatus", "MMC ReadSupplyStatusRsp",
               status="partial: Gas/RemainingBatteryCapacity not written"),
    GbzUseCase("GCS21a", 0x007B, "6.2.8", "ReadDeviceConfigurationGasRsp", "attributes",
               "GBCS GCS21a: Price 0x0302-0x0306, Metering 0x0B10-0x0B15", "MMC ReadDeviceConfigurationGasRsp"),
    GbzUseCase("GCS21e", 0x009E, "6.2.4", "ReadDeviceConfigurationIdentityExcMPxNRsp", "attributes",
               "GBCS GCS21e: Basic 0x0003-0x0005, Metering 0x0607-0x0608", "MMC ReadDeviceConfigurationIdentityExcMPxNRsp",
               status="values [?] a 16-octet ModelIdentifier split as model + EUI-64; the ZSE tamper/depletion enumeration values (GBCS: ModelType 8 octets; SMETS Locked/Unchanged only)"),
    GbzUseCase("GCS21m", 0x00FB, "6.2.4", "ReadDeviceConfigurationIdentityExcMPxNRsp", "attributes",
               "GBCS GCS21m: Basic 0x0004-0x0005, Metering 0x0607-0x0608", "MMC ReadDeviceConfigurationIdentityExcMPxNRsp",
               status="values [?] a 16-octet ModelIdentifier split as model + EUI-64; the ZSE tamper/depletion enumeration values (GBCS: ModelType 8 octets; SMETS Locked/Unchanged only)"),
    GbzUseCase("GCS46", 0x0089, "6.2.7", "ReadDeviceConfigurationMPxNRsp", "attributes",
               "GBCS GCS46: Metering 0x0307 SiteID", "MMC ReadDeviceConfigurationMPxNRsp/Gas"),
    GbzUseCase("GCS21b", 0x00B5, "4.13", "ReadPrepaymentConfigurationRsp", "prepayment_configuration",
               "GBCS GCS21b: Prepayment attributes, Price 0x0617, Calendar non-disablement commands",
               "MMC ReadPrepaymentConfigurationRsp",
               status="partial: SuspendDebtDisabled, SuspendDebtEmergency not written"),

    # --- cluster-specific commands, by row template
    GbzUseCase("GCS31", 0x0080, "14.1", "RecordNetworkDataGASRsp", "start_sampling",
               "GBCS GCS31: ZSE StartSamplingResponse", "MMC RecordNetworkDataGASRsp"),
    GbzUseCase("GCS18", 0x0079, "4.10", "ReadNetworkDataRsp", "network_data_log",
               "GBCS GCS18: ZSE GetSampledDataResponse", "MMC ReadNetworkDataRsp/Gas/NetworkDataLog",
               always=("Gas",), log=True, status="values (raw sample units)"),
    GbzUseCase("GCS61", 0x00A0, "4.17", "RetrieveDailyConsumptionLogRsp", "daily_consumption_log",
               "GBCS GCS61: ZSE GetSampledDataResponse, one sample per day", "MMC RetrieveDailyConsumptionLogRsp/Gas",
               always=("Gas",), log=True, status="values (raw sample units) [?] 0xFFFF interval = one day"),
    GbzUseCase("GCS16a", 0x0077, "4.6.1", "RetrieveImportDailyReadLogRsp", "daily_read_log",
               "GBCS GCS16a: ZSE PublishSnapshot per day", "MMC ImportDailyReadLogType",
               log=True, status="values (register units: no Multiplier/Divisor in the response)"),
    GbzUseCase("GCS15c", 0x0076, "4.4.3", "RetrieveBillingCalendarTriggeredBillingDataLogRsp", "billing_data_log",
               "GBCS GCS15c: ZSE PublishSnapshot + PublishPrepaySnapshot per billing period",
               "MMC GSMEBillingDataLogType, PrepaymentOperationalDataType",
               always=("Gas",), log=True, status="values (register units: no Multiplier/Divisor in the response)"),
    GbzUseCase("GCS15b", 0x00C3, "4.4.2", "RetrieveCoMOrTariffTriggeredBillingDataLogRsp", "com_billing_log",
               "GBCS GCS15b: ZSE PublishSnapshot + PublishPrepaySnapshot per change of mode / tariff",
               "MMC ConsumptionRegisterGasType, PrepaymentOperationalDataType",
               always=("Gas",), log=True, status="values (register units: no Multiplier/Divisor in the response)"),
    GbzUseCase("GCS16b", 0x0096, "4.14", "ReadPrepaymentDailyReadLogRsp", "prepayment_daily_log",
               "GBCS GCS16b: ZSE PublishPrepaySnapshot per day", "MMC ReadPrepaymentDailyReadLogRsp/Gas",
               always=("Gas",), log=True),
    GbzUseCase("GCS15d", 0x00C4, "4.4.4", "RetrieveBillingDataLogDebtPaymentsRsp", "debt_payments",
               "GBCS GCS15d: ZSE PublishDebtLog", "MMC PaymentBasedDebtRepaymentType", log=True,
               status="values [?] ZSE PublishDebtLog field order"),
    GbzUseCase("GCS17", 0x0078, "4.8.1", "ReadActiveImportProfileDataRsp", "profile_data",
               "GBCS GCS17: ZSE GetProfileResponse (half-hour intervals, most recent first)",
               "MMC ProfileDataLogActiveImportType", log=True,
               status="values (raw interval units)"),
    GbzUseCase("GCS15e", 0x00C5, "4.4.5", "RetrieveBillingDataLogPrepaymentCreditsRsp", "prepayment_credits",
               "GBCS GCS15e: ZSE PublishTopUpLog", "MMC PrepaymentCreditsType", log=True),
    GbzUseCase("CS10b", 0x00A1, "6.13", "ReadEventOrSecurityLogRsp", "event_log",
               "GBCS CS10b: ZSE PublishEventLog", "MMC LogType", log=True,
               status="partial: LogMeaning not written"),
    GbzUseCase("GCS21d", 0x009D, "6.2.3", "ReadDeviceConfigurationDataBillingCalendarRsp", "billing_calendar",
               "GBCS GCS21d: ZSE PublishBillingPeriod", "MMC GasBillingCalendar"),
    GbzUseCase("GCS21k", 0x00DA, "6.2.3", "ReadDeviceConfigurationDataBillingCalendarRsp", "billing_calendar",
               "GBCS GCS21k: ZSE PublishBillingPeriod", "MMC GasBillingCalendar"),
    GbzUseCase("GCS20r", 0x00F1, "6.2.10", "ReadDeviceConfigurationEventAndAlertBehavioursRsp", "event_configuration",
               "GBCS GCS20r: ZSE ReportEventConfiguration", "MMC SupplierGSMEAlertsEvents",
               always=("GasSupplierAlertEventSettings",), status="values [?] Alarm = ZSE raise-alarm bits 5-6"),
)

# Use cases carried in GBZ whose response MMC V5.4 gives no SMETSData type.
NO_MMC_TYPE: tuple[tuple[str, str, str], ...] = (
    ("PCS01", "", "device-to-device (PPMID → GSME): no DUIS service request, no MMC type"),
    ("PCS02", "", "device-to-device (PPMID → GSME): no DUIS service request, no MMC type"),
    ("GCS53", "", "an alert (billing data log push): DeviceAlertMessage, not SMETSData"),
)

_TOU = "TOURegisterMatrixValue"

VALUES: tuple[GbzValue, ...] = (
    # GCS13a: SRV 4.1.1
    GbzValue("GCS13a", METERING, 0x0000, (UINT48,), "Gas/ConsumptionRegister/Value", "metering",
             gbcs_ref="GBCS GCS13a; ZSE Metering CurrentSummationDelivered", mmc_ref="MMC GasConsumptionRegister/Value"),
    GbzValue("GCS13a", METERING, 0x0300, (ENUM8,), "Gas/ConsumptionRegister/Unit", "unit_m3",
             needs="Gas/ConsumptionRegister/Value",
             gbcs_ref="GBCS GCS13a; ZSE Metering UnitOfMeasure", mmc_ref="MMC GasConsumptionUnit"),
    # GCS13c: SRV 4.1.2, CurrentTierNSummationDelivered at 0x0100 + 2(N-1)
    *(GbzValue("GCS13c", METERING, 0x0100 + 2 * n, (UINT48,),
               f"Gas/TariffTOURegisterMatrix/{_TOU}[index={n + 1}]", "metering",
               gbcs_ref=f"GBCS GCS13c; ZSE Metering CurrentTier{n + 1}SummationDelivered",
               mmc_ref="MMC ReadInstantaneousImportTOUMatricesRsp/Gas/TariffTOURegisterMatrix")
      for n in range(4)),
    # GCS13b: SRV 4.1.4, CurrentNoTierBlockNSummationDelivered at 0x0700 + (N-1)
    *(GbzValue("GCS13b", METERING, 0x0700 + n, (UINT48,),
               f"ImportBlockCounters/TariffBlockCounterValue[index={n + 1}]", "metering",
               gbcs_ref=f"GBCS GCS13b; ZSE Metering CurrentNoTierBlock{n + 1}SummationDelivered",
               mmc_ref="MMC ReadInstantaneousImportBlockCountersRsp/ImportBlockCounters")
      for n in range(4)),
    # GCS14: SRV 4.3, in MMC element order
    GbzValue("GCS14", PREPAYMENT, 0x0002, (INT32,), "EmergencyCreditBalance",
             gbcs_ref="GBCS GCS14; ZSE Prepayment EmergencyCreditRemaining", mmc_ref="MMC ReadInstantaneousPrepayValuesRsp"),
    GbzValue("GCS14", PREPAYMENT, 0x0005, (INT32,), "AccumulatedDebtRegister",
             gbcs_ref="GBCS GCS14; ZSE Prepayment AccumulatedDebt", mmc_ref="MMC ReadInstantaneousPrepayValuesRsp"),
    GbzValue("GCS14", PREPAYMENT, 0x0231, (UINT32,), "PaymentDebtRegister",
             gbcs_ref="GBCS GCS14; ZSE Prepayment DebtAmount#3 (payment-based debt)", mmc_ref="MMC ReadInstantaneousPrepayValuesRsp"),
    GbzValue("GCS14", PREPAYMENT, 0x0211, (UINT32,), "TimeDebtRegister1",
             gbcs_ref="GBCS GCS14; ZSE Prepayment DebtAmount#1 (time-based debt 1)", mmc_ref="MMC ReadInstantaneousPrepayValuesRsp"),
    GbzValue("GCS14", PREPAYMENT, 0x0221, (UINT32,), "TimeDebtRegister2",
             gbcs_ref="GBCS GCS14; ZSE Prepayment DebtAmount#2 (time-based debt 2)", mmc_ref="MMC ReadInstantaneousPrepayValuesRsp"),
    GbzValue("GCS14", PREPAYMENT, 0x0001, (INT32,), "MeterBalance",
             gbcs_ref="GBCS GCS14; ZSE Prepayment CreditRemaining", mmc_ref="MMC ReadInstantaneousPrepayValuesRsp"),
    # GCS60 / GCS60a: SRV 4.18
    *(row for use_case in ("GCS60", "GCS60a") for row in (
        GbzValue(use_case, METERING, 0x0A00, (UINT32,), "MeterBalance",
                 gbcs_ref=f"GBCS {use_case}; ZSE Metering BillToDateDelivered (credit-mode balance)",
                 mmc_ref="MMC ReadMeterBalanceRsp/MeterBalance"),
        GbzValue(use_case, PREPAYMENT, 0x0001, (INT32,), "Gas/MeterBalancePrepaymentMode",
                 gbcs_ref=f"GBCS {use_case}; ZSE Prepayment CreditRemaining",
                 mmc_ref="MMC ReadMeterBalanceRsp/Gas/MeterBalancePrepaymentMode"))),
    # GCS33: SRV 7.4
    GbzValue("GCS33", METERING, 0x0014, (ENUM8,), "SupplyState", "enum",
             mapping={0x00: "Disabled", 0x01: "Armed", 0x02: "Enabled"},
             gbcs_ref="GBCS GCS33; ZSE Metering SupplyStatus (0 OFF, 1 OFF/ARMED, 2 ON)",
             mmc_ref="MMC SupplyStateType"),
    # GCS21a: SRV 6.2.8 (ZSE Price "Commodity" set, Metering "Supply Control" set)
    GbzValue("GCS21a", PRICE, 0x0304, (UINT32,), "CalorificValue", "trailing", argument=(PRICE, 0x0306),
             gbcs_ref="GBCS GCS21a; ZSE Price CalorificValue / CalorificValueTrailingDigit",
             mmc_ref="MMC ReadDeviceConfigurationGasRsp/CalorificValue"),
    GbzValue("GCS21a", PRICE, 0x0302, (UINT32,), "ConversionFactor", "trailing", argument=(PRICE, 0x0303),
             gbcs_ref="GBCS GCS21a; ZSE Price ConversionFactor / ConversionFactorTrailingDigit",
             mmc_ref="MMC ReadDeviceConfigurationGasRsp/ConversionFactor"),
    GbzValue("GCS21a", METERING, 0x0B10, (UINT16,), "UncontrolledGasFlowRate", "flow",
             argument=(METERING, 0x0B12, 0x0B13),
             gbcs_ref="GBCS GCS21a; Metering UncontrolledFlowThreshold × Multiplier ÷ Divisor",
             mmc_ref="MMC ReadDeviceConfigurationGasRsp/UncontrolledGasFlowRate"),
    GbzValue("GCS21a", METERING, 0x0B14, (UINT8,), "FlowStabilisationPeriod",
             gbcs_ref="GBCS GCS21a; Metering FlowStabilisationPeriod",
             mmc_ref="MMC ReadDeviceConfigurationGasRsp/FlowStabilisationPeriod"),
    GbzValue("GCS21a", METERING, 0x0B15, (UINT16,), "FlowMeasurementPeriod",
             gbcs_ref="GBCS GCS21a; Metering FlowMeasurementPeriod",
             mmc_ref="MMC ReadDeviceConfigurationGasRsp/FlowMeasurementPeriod"),
    # GCS21e / GCS21m: SRV 6.2.4
    *(row for use_case in ("GCS21e", "GCS21m") for row in (
        GbzValue(use_case, BASIC, 0x0005, (CHARACTER_STRING,), "ModelType", "model", max_length=8,
                 gbcs_ref=f"GBCS {use_case}: ModelType(SmartMeter) = ZCL Basic ModelIdentifier, 8 octets "
                          "(Image Type || hardware version, 4 hex characters each); the 16-octet split [?]",
                 mmc_ref="MMC ReadDeviceConfigurationIdentityExcMPxNRsp/DeviceIdentifier, ModelType"),
        GbzValue(use_case, BASIC, 0x0004, (CHARACTER_STRING,), "ManufacturerIdentifier", "text",
                 max_length=32,
                 gbcs_ref=f"GBCS {use_case}; ZCL Basic ManufacturerName",
                 mmc_ref="MMC ReadDeviceConfigurationIdentityExcMPxNRsp/ManufacturerIdentifier"),
        GbzValue(use_case, METERING, 0x0607, (ENUM8,), "Gas/SupplyTamperState", "enum",
                 mapping={0x00: "Locked", 0x03: "Unchanged"},
                 gbcs_ref=f"GBCS {use_case}; Metering SupplyTamperState (ZSE supply status: 0 OFF, 3 unchanged) [?]",
                 mmc_ref="MMC ReadDeviceConfigurationIdentityExcMPxNRsp/Gas/SupplyTamperState"),
        GbzValue(use_case, METERING, 0x0608, (ENUM8,), "Gas/SupplyDepletionState", "enum",
                 mapping={0x00: "Locked", 0x03: "Unchanged"},
                 gbcs_ref=f"GBCS {use_case}; Metering SupplyDepletionState (as SupplyTamperState) [?]",
                 mmc_ref="MMC ReadDeviceConfigurationIdentityExcMPxNRsp/Gas/SupplyDepletionState"))),
    # GCS46: SRV 6.2.7
    GbzValue("GCS46", METERING, 0x0307, (OCTET_STRING,), "Gas/MPRN", "octets_text", max_length=10,
             gbcs_ref="GBCS GCS46; ZSE Metering SiteID", mmc_ref="MMC ReadDeviceConfigurationMPxNRsp/Gas/MPRN"),
    # GCS21b: SRV 4.13, in MMC element order
    GbzValue("GCS21b", PREPAYMENT, 0x0239, (UINT16,), "DebtRecoveryPerPayment",
             gbcs_ref="GBCS GCS21b; ZSE Prepayment DebtRecoveryTopUpPercentage#3",
             mmc_ref="MMC ReadPrepaymentConfigurationRsp/DebtRecoveryPerPayment"),
    GbzValue("GCS21b", PREPAYMENT, 0x0006, (INT32,), "DebtRecoveryRateCap",
             gbcs_ref="GBCS GCS21b; ZSE Prepayment OverallDebtCap",
             mmc_ref="MMC ReadPrepaymentConfigurationRsp/DebtRecoveryRateCap"),
    GbzValue("GCS21b", PREPAYMENT, 0x0040, (INT32,), "DisablementThreshold",
             gbcs_ref="GBCS GCS21b; ZSE Prepayment CutOffValue",
             mmc_ref="MMC ReadPrepaymentConfigurationRsp/DisablementThreshold"),
    GbzValue("GCS21b", PREPAYMENT, 0x0010, (UINT32,), "EmergencyCreditLimit",
             gbcs_ref="GBCS GCS21b; ZSE Prepayment EmergencyCreditLimit/Allowance",
             mmc_ref="MMC ReadPrepaymentConfigurationRsp/EmergencyCreditLimit"),
    GbzValue("GCS21b", PREPAYMENT, 0x0011, (UINT32,), "EmergencyCreditThreshold",
             gbcs_ref="GBCS GCS21b; ZSE Prepayment EmergencyCreditThreshold",
             mmc_ref="MMC ReadPrepaymentConfigurationRsp/EmergencyCreditThreshold"),
    GbzValue("GCS21b", PREPAYMENT, 0x0031, (UINT32,), "LowCreditThreshold",
             gbcs_ref="GBCS GCS21b; ZSE Prepayment LowCreditWarningLevel",
             mmc_ref="MMC ReadPrepaymentConfigurationRsp/LowCreditThreshold"),
    GbzValue("GCS21b", PREPAYMENT, 0x0022, (UINT32,), "CreditMaxCreditThreshold",
             gbcs_ref="GBCS GCS21b: PrepaymentCredit(MaximumCreditThreshold) = ZSE Prepayment MaxCreditPerTopUp",
             mmc_ref="MMC ReadPrepaymentConfigurationRsp/CreditMaxCreditThreshold"),
    GbzValue("GCS21b", PREPAYMENT, 0x0021, (UINT32,), "MaxCreditMaxMeterBalance",
             gbcs_ref="GBCS GCS21b: PrepaymentCredit(MaxMeterBalance) = ZSE Prepayment MaxCreditLimit",
             mmc_ref="MMC ReadPrepaymentConfigurationRsp/MaxCreditMaxMeterBalance"),
    *(row for n, base in ((1, 0x0210), (2, 0x0220)) for row in (
        GbzValue("GCS21b", PREPAYMENT, base + 7, (UINT32,), f"Gas/DebtRecovery{n}/DebtRecoveryRate",
                 gbcs_ref=f"GBCS GCS21b; ZSE Prepayment DebtRecoveryAmount#{n}",
                 mmc_ref="MMC GasDebtRecovery/DebtRecoveryRate"),
        GbzValue("GCS21b", PREPAYMENT, base + 6, (ENUM8,), f"Gas/DebtRecovery{n}/DebtRecoveryRatePeriod",
                 "enum", mapping={0x00: "HOURLY", 0x01: "DAILY"},
                 gbcs_ref=f"GBCS GCS21b; ZSE Prepayment DebtRecoveryFrequency#{n} (0 per hour, 1 per day)",
                 mmc_ref="MMC GasDebtRecovery/DebtRecoveryRatePeriod"))),
)


# Attributes GBCS responses carry as context for other values, with no MMC element of their
# own: read, used by the rules above or deliberately not written (no warning for them).
CONTEXT_ATTRIBUTES: dict[tuple[int, int], str] = {
    (METERING, 0x0300): "UnitOfMeasure: written only where MMC has a unit element (GCS13a)",
    (METERING, 0x0301): "Multiplier (rule 'metering')",
    (METERING, 0x0302): "Divisor (rule 'metering')",
    (METERING, 0x0B11): "UncontrolledFlowThresholdUnitOfMeasure: MMC states no unit",
    (METERING, 0x0B12): "UncontrolledFlowMultiplier (rule 'flow')",
    (METERING, 0x0B13): "UncontrolledFlowDivisor (rule 'flow')",
    (PRICE, 0x0303): "ConversionFactorTrailingDigit (rule 'trailing')",
    (PRICE, 0x0305): "CalorificValueUnit: MMC states no unit",
    (PRICE, 0x0306): "CalorificValueTrailingDigit (rule 'trailing')",
    (PRICE, 0x0616): "Currency: MMC money values are integers in the currency's smallest unit",
    (PRICE, 0x0617): "PriceTrailingDigit: as Currency",
    (BASIC, 0x0003): "HWVersion: MMC has no element for it",
}

# Shapes that read more than one template, in MMC element order.
SHAPES: dict[str, tuple[str, ...]] = {
    "billing_data_log": ("billing_data_log", "billing_prepayment_log"),
    "com_billing_log": ("com_billing_registers", "com_billing_prepayment"),
    "prepayment_configuration": ("attributes", "non_disablement_calendar"),
}


@dataclass(frozen=True, slots=True)
class EntryField:
    """One element of a repeated entry: where it comes from in the command, and the rule."""

    mmc: str             # element path below the entry element
    source: str          # ZSE field name (or snapshot payload field)
    rule: str = "integer"


@dataclass(frozen=True, slots=True)
class Template:
    """A repeated shape: entries of ``command`` (cluster, ZSE command name) become elements
    ``entry`` under ``container`` (paths below the use-case element), at most ``limit``."""

    cluster: int
    command: str
    container: str
    entry: str
    fields: tuple[EntryField, ...]
    limit: int
    zse_ref: str
    mmc_ref: str


# MMC PrepaymentOperationalDataType from a ZSE debt/credit status snapshot (GCS14's mapping:
# payment-based debt is debt #3, time-based debts #1 and #2).
_PREPAYMENT_OPERATIONAL_DATA = (
    EntryField("AccumulatedDebtRegister", "AccumulatedDebt"),
    EntryField("EmergencyCreditBalance", "EmergencyCreditRemaining"),
    EntryField("MeterBalance", "CreditRemaining"),
    EntryField("PaymentDebtRegister", "Type3DebtRemaining"),
    EntryField("TimeDebtRegisters1", "Type1DebtRemaining"),
    EntryField("TimeDebtRegisters2", "Type2DebtRemaining"),
    EntryField("Timestamp", "SnapshotTime", "utc"),
)

TEMPLATES: dict[str, Template] = {
    "start_sampling": Template(
        METERING, "StartSamplingResponse", "", "", (EntryField("SampleID", "SampleID"),), 1,
        "ZSE D.3.2.3.1.14 StartSamplingResponse", "MMC RecordNetworkDataGASRsp/SampleID"),
    "network_data_log": Template(
        METERING, "GetSampledDataResponse", "Gas/NetworkDataLog", "LogEntry",
        (EntryField("Value", "Sample", "raw_decimal"), EntryField("Timestamp", "SampleTime", "utc")), 41,
        "ZSE D.3.2.3.1.8 GetSampledDataResponse: sample i at start + i × interval",
        "MMC GasNetworkDataLog/LogEntry (Value, Timestamp)"),
    "daily_consumption_log": Template(
        METERING, "GetSampledDataResponse", "Gas", "LogEntry",
        (EntryField("Value", "Sample", "raw_decimal"), EntryField("Timestamp", "SampleTime", "utc")), 731,
        "ZSE GetSampledDataResponse; GBCS GCS61: daily samples (interval 0xFFFF: one day) [?]",
        "MMC GasDailyConsumptionLogEntryType (Value, Timestamp)"),
    "daily_read_log": Template(
        METERING, "PublishSnapshot", "", "LogEntry",
        (EntryField("Timestamp", "SnapshotTime", "utc"),
         EntryField("Gas/GasActiveImportRegisterConsumption", "CurrentSummationDelivered", "raw_decimal"),
         EntryField("Gas/TariffBlockCounterMatrix", "TierBlockSummation", "indexed_decimal"),
         EntryField("Gas/TariffTOURegisterMatrix", "TierSummation", "indexed_decimal")), 31,
        "ZSE D.3.2.3.1.7 PublishSnapshot, payload types 0/2/4/6 (delivered registers)",
        "MMC ImportDailyReadLogType"),
    "billing_data_log": Template(
        METERING, "PublishSnapshot", "Gas", "GSMEBillingDataLogEntry",
        (EntryField("Timestamp", "SnapshotTime", "utc"),
         EntryField("ActiveImportRegisterValueConsumption", "CurrentSummationDelivered", "raw_decimal"),
         EntryField("BlockRegisterMatrixValue", "TierBlockSummation", "indexed_decimal"),
         EntryField("TariffTOURegisterMatrixValue", "TierSummation", "indexed_decimal")), 12,
        "ZSE PublishSnapshot (billing period cause)", "MMC GSMEBillingDataLogType"),
    "billing_prepayment_log": Template(
        PREPAYMENT, "PublishPrepaySnapshot", "Gas", "GSMEBillingPrepaymentDataLogEntry",
        _PREPAYMENT_OPERATIONAL_DATA, 12,
        "ZSE D.7.2.4.2 PublishPrepaySnapshot, payload type 0 (debt/credit status)",
        "MMC PrepaymentOperationalDataType"),
    "prepayment_daily_log": Template(
        PREPAYMENT, "PublishPrepaySnapshot", "Gas", "LogEntry", _PREPAYMENT_OPERATIONAL_DATA, 31,
        "ZSE D.7.2.4.2 PublishPrepaySnapshot, payload type 0 (debt/credit status)",
        "MMC ReadPrepaymentDailyReadLogRsp/Gas/LogEntry (PrepaymentOperationalDataType)"),
    "com_billing_registers": Template(
        METERING, "PublishSnapshot", "Gas", "LogEntryConsumptionRegister",
        (EntryField("ConsumptionRegister", "CurrentSummationDelivered", "raw_decimal"),
         EntryField("Timestamp", "SnapshotTime", "utc"),
         EntryField("TariffTOURegisterMatrixValue", "TierSummation", "indexed_decimal"),
         EntryField("BlockRegisterMatrixValue", "TierBlockSummation", "indexed_decimal")), 12,
        "ZSE PublishSnapshot (change of mode / tariff cause)", "MMC ConsumptionRegisterGasType"),
    "com_billing_prepayment": Template(
        PREPAYMENT, "PublishPrepaySnapshot", "Gas", "LogEntryPrepaymentData",
        _PREPAYMENT_OPERATIONAL_DATA, 12,
        "ZSE PublishPrepaySnapshot, payload type 0", "MMC PrepaymentOperationalDataType"),
    "non_disablement_calendar": Template(
        0x0707, "PublishDayProfile", "Gas/NonDisablementCalendar", "",
        (), 5,
        "ZSE D.9 Calendar cluster, calendar type 0x03 (friendly credit): PublishDayProfile "
        "(start time in minutes, 1 = friendly credit on), PublishWeekProfile, PublishSeasons, "
        "PublishSpecialDays (ZCL dates, 0xFF = any)",
        "MMC GasNonDisablementCalendar (DayProfiles ≤ 5 × 3 actions, WeekProfiles ≤ 2, "
        "Seasons ≤ 3, SpecialDays ≤ 20)"),
    "debt_payments": Template(
        PREPAYMENT, "PublishDebtLog", "PaymentBasedDebtRepayment", "LogEntry",
        (EntryField("Amount", "AmountCollected"), EntryField("Timestamp", "CollectionTime", "utc")), 10,
        "ZSE D.7.2.4.5 PublishDebtLog [?]", "MMC PaymentBasedDebtRepaymentType/LogEntry"),
    "profile_data": Template(
        METERING, "GetProfileResponse", "", "LogEntry",
        (EntryField("Timestamp", "IntervalEnd", "utc"),
         EntryField("Gas/PrimaryValue", "Interval", "raw_decimal")), 19056,
        "ZSE D.3.2.3.1.1 GetProfileResponse: interval i ends at EndTime - i x period",
        "MMC ProfileDataLogActiveImportType (Timestamp, Gas/PrimaryValue)"),
    "prepayment_credits": Template(
        PREPAYMENT, "PublishTopUpLog", "PrepaymentCredits", "LogEntry",
        (EntryField("Amount", "TopUpAmount"), EntryField("Timestamp", "TopUpTime", "utc")), 5,
        "ZSE D.7.2.4.6 PublishTopUpLog", "MMC PrepaymentCreditsType/LogEntry"),
    "event_log": Template(
        0x0709, "PublishEventLog", "Log", "LogEntry",
        (EntryField("Timestamp", "EventTime", "utc"), EntryField("LogCode", "EventID", "hex16"),
         EntryField("OtherInformation", "EventData", "octets_nonempty")), 100,
        "ZSE D.11.2.4.1 PublishEventLog", "MMC LogType/LogEntry"),
    "billing_calendar": Template(
        PRICE, "PublishBillingPeriod", "BillingCalendar/GasBillingCalendar", "",
        (EntryField("BillingPeriodStart", "BillingPeriodStartTime", "utc"),
         EntryField("Periodicity", "Periodicity", "text")), 1,
        "ZSE D.4.2.4.10 PublishBillingPeriod", "MMC GasBillingCalendar"),
    "event_configuration": Template(
        0x0708, "ReportEventConfiguration", "GasSupplierAlertEventSettings", "",
        (EntryField("WANAlert", "EventConfiguration", "bit3"),
         EntryField("HANAlert", "EventConfiguration", "bit4"),
         EntryField("EventLog", "EventConfiguration", "log_action"),
         EntryField("Alarm", "EventConfiguration", "bits5_6")), 44,
        "ZSE D.10.2.4.5 ReportEventConfiguration: bits 0-2 log action, 3 WAN, 4 HAN, 5-6 alarm",
        "MMC SupplierGSMEAlertsEvents/x{EventID} (WANHANEventLogAlarm)"),
}

# ZSE BillingPeriodDurationType bits 0-3 (units: 1 days, 2 weeks, 3 months) and
# BillingPeriodDuration → MMC GasBillingCalendar/Periodicity.
PERIODICITY: dict[tuple[int, int], str] = {
    (1, 1): "Daily", (2, 1): "Weekly", (3, 1): "Monthly", (3, 3): "Quarterly",
    (3, 6): "SixMonthly", (3, 12): "Yearly",
}

# MMC SupplierGSMEAlertsEvents element order (x810D ... x81C6): the events MMC can carry.
GSME_SUPPLIER_EVENTS: tuple[int, ...] = (
    0x810D, 0x810E, 0x8119, 0x8145, 0x8154, 0x8155, 0x8161, 0x8162, 0x8168, 0x8183, 0x8184,
    0x81A0, 0x81A1, 0x81A4, 0x81A5, 0x81A6, 0x81A7, 0x81A8, 0x81A9, 0x81AA, 0x81AB, 0x81AC,
    0x81AD, 0x81AE, 0x81AF, 0x81B0, 0x81B1, 0x81B2, 0x81B3, 0x81B4, 0x81B5, 0x81B6, 0x81B9,
    0x81BA, 0x81BC, 0x81BD, 0x81BE, 0x81BF, 0x81C0, 0x81C2, 0x81C3, 0x81C4, 0x81C5, 0x81C6,
)

# The Calendar cluster commands of a non-disablement (friendly credit) calendar, in MMC order
# of GasNonDisablementCalendar's parts: (command, MMC element, limit).
NON_DISABLEMENT_PARTS: tuple[tuple[str, str, int], ...] = (
    ("PublishDayProfile", "DayProfiles", 5),
    ("PublishWeekProfile", "WeekProfiles", 2),
    ("PublishSeasons", "SeasonProfiles", 3),
    ("PublishSpecialDays", "SpecialDays", 20),
)
FRIENDLY_CREDIT_ACTIONS: dict[int, str] = {0x01: "START", 0x00: "STOP"}
ZCL_DATE_YEAR_BASE = 1900         # ZCL Date: year - 1900, month, day of month, day of week
MMC_GAS_FIRST_YEAR = 2014         # MMC GasYearWithWildcards minInclusive

# ZSE PublishSnapshot payloads pandc reads: type → (billing fields present, block fields present)
SNAPSHOT_PAYLOADS: dict[int, tuple[str, bool, bool]] = {
    0: ("TOU Information Set Delivered Registers", True, False),
    2: ("Block Tier Information Set Delivered Registers", True, True),
    4: ("TOU Information Set Delivered Registers (No Billing)", False, False),
    6: ("Block Tier Information Set Delivered Registers (No Billing)", False, True),
}
PREPAY_SNAPSHOT_DEBT_CREDIT_STATUS = 0   # ZSE PublishPrepaySnapshot payload type 0

# ZSE ConsumerTopUpResponse ResultType: 0x00 and 0x10-0x12 accept the top-up.
TOP_UP_RESULTS: dict[int, str] = {
    0x00: "ACCEPTED", 0x01: "REJECTED_INVALID_TOP_UP", 0x02: "REJECTED_DUPLICATE_TOP_UP",
    0x03: "REJECTED_ERROR", 0x04: "REJECTED_MAX_CREDIT_REACHED", 0x05: "REJECTED_KEYPAD_LOCK",
    0x06: "REJECTED_TOP_UP_VALUE_TOO_LARGE", 0x10: "ACCEPTED_SUPPLY_ENABLED",
    0x11: "ACCEPTED_SUPPLY_DISABLED", 0x12: "ACCEPTED_SUPPLY_ARMED",
}
TOP_UP_ACCEPTED = frozenset({0x00, 0x10, 0x11, 0x12})

# ZSE GetProfileResponse ProfileIntervalPeriod → seconds; Status (0 = success).
PROFILE_INTERVAL_SECONDS: dict[int, int] = {
    0: 86400, 1: 3600, 2: 1800, 3: 900, 4: 600, 5: 450, 6: 300, 7: 150}
PROFILE_STATUSES: dict[int, str] = {
    0x00: "SUCCESS", 0x01: "UNDEFINED_INTERVAL_CHANNEL_REQUESTED",
    0x02: "INTERVAL_CHANNEL_NOT_SUPPORTED", 0x03: "INVALID_END_TIME",
    0x04: "MORE_PERIODS_REQUESTED_THAN_CAN_BE_RETURNED",
    0x05: "NO_INTERVALS_AVAILABLE_FOR_THE_REQUESTED_TIME",
}

# ZSE StartSamplingResponse: SampleID 0xFFFF means the meter could not start sampling.
SAMPLING_NOT_STARTED = 0xFFFF


BY_CODE: dict[int, GbzUseCase] = {row.code: row for row in USE_CASES}
VALUES_BY_USE_CASE: dict[str, tuple[GbzValue, ...]] = {}
for _row in VALUES:
    VALUES_BY_USE_CASE[_row.use_case] = VALUES_BY_USE_CASE.get(_row.use_case, ()) + (_row,)


def coverage_rows() -> list[CoverageRow]:
    rows = [CoverageRow(u.use_case, u.srv, u.mmc_type, "GBZ", u.status) for u in USE_CASES]
    rows += [CoverageRow(use_case, srv, "", "GBZ", f"no MMC type: {reason}")
             for use_case, srv, reason in NO_MMC_TYPE]
    return sorted(rows, key=lambda r: (_srv_key(r.srv), r.use_case))


def _srv_key(srv: str) -> tuple[Any, ...]:
    return tuple(int(p) for p in srv.split(".")) if srv else (999,)
