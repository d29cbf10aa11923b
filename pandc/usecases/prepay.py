"""SRV 4.3 Read Instantaneous Prepay Values: GCS14 (gas) and ECS19 (electricity).

Money values are written as the meter holds them (integers in units of the currency's
smallest fraction, see the Price cluster's PriceTrailingDigit); MMC types them xs:integer.
"""
from __future__ import annotations

from . import register
from .base import (
    result, dlms_content, register_value, registers, require, response_element, sub,
)
from ..codec import dlms

GCS14 = 0x0075
ECS19 = 0x002D

# MMC element order, with the Prepayment cluster attribute behind each.
GAS_PREPAY_ATTRIBUTES = (
    ("EmergencyCreditBalance", 0x0002),    # EmergencyCreditRemaining
    ("AccumulatedDebtRegister", 0x0005),   # AccumulatedDebt
    ("PaymentDebtRegister", 0x0231),       # DebtAmount #3 (payment-based debt)
    ("TimeDebtRegister1", 0x0211),         # DebtAmount #1 (time-based debt 1)
    ("TimeDebtRegister2", 0x0221),         # DebtAmount #2 (time-based debt 2)
    ("MeterBalance", 0x0001),              # CreditRemaining
)

# ECS19 protected attributes, in the order the ESME returns them.
ELECTRICITY_PREPAY_ORDER = ("MeterBalance", "EmergencyCreditBalance", "AccumulatedDebtRegister",
                            "PaymentDebtRegister", "TimeDebtRegister1", "TimeDebtRegister2")
MMC_ORDER = tuple(name for name, _ in GAS_PREPAY_ATTRIBUTES)


@register(ECS19)
def electricity_prepay_values(message):
    content = dlms_content(message)
    if content is None:
        return None
    root = response_element("ReadInstantaneousPrepayValuesRsp", content.failures)
    if content.failures or not content.data or content.data[0].tag == dlms.NULL_DATA:
        return result(root, content.failures)
    found = registers(content.data[0])
    require(len(found) == len(ELECTRICITY_PREPAY_ORDER),
            f"ECS19 carries {len(ELECTRICITY_PREPAY_ORDER)} prepayment registers, "
            f"found {len(found)}", content.data[0])
    values = {name: register_value(value) for name, value in zip(ELECTRICITY_PREPAY_ORDER, found)}
    for name in MMC_ORDER:
        sub(root, name, values[name])
    return result(root, content.failures)
