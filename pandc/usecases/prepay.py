"""SRV 4.3 Read Instantaneous Prepay Values: GCS14 (gas) and ECS19 (electricity).

Money values are written as the meter holds them (integers in units of the currency's
smallest fraction, see the Price cluster's PriceTrailingDigit); MMC types them xs:integer.
"""
from __future__ import annotations

from . import register
from .base import (
    gas_response,
    PREPAYMENT_CLUSTER, result, missing,
    sub,
)

GCS14 = 0x0075

# MMC element order, with the Prepayment cluster attribute behind each.
GAS_PREPAY_ATTRIBUTES = (
    ("EmergencyCreditBalance", 0x0002),    # EmergencyCreditRemaining
    ("AccumulatedDebtRegister", 0x0005),   # AccumulatedDebt
    ("PaymentDebtRegister", 0x0231),       # DebtAmount #3 (payment-based debt)
    ("TimeDebtRegister1", 0x0211),         # DebtAmount #1 (time-based debt 1)
    ("TimeDebtRegister2", 0x0221),         # DebtAmount #2 (time-based debt 2)
    ("MeterBalance", 0x0001),              # CreditRemaining
)

MMC_ORDER = tuple(name for name, _ in GAS_PREPAY_ATTRIBUTES)


@register(GCS14)
def gas_prepay_values(message):
    started = gas_response(message, "ReadInstantaneousPrepayValuesRsp")
    if started is None:
        return None
    readout, failures, root = started
    warnings: list[str] = []
    if not any(f.cluster_id == PREPAYMENT_CLUSTER for f in failures):
        missing(readout, PREPAYMENT_CLUSTER, [a for _, a in GAS_PREPAY_ATTRIBUTES], warnings)
    for name, attribute_id in GAS_PREPAY_ATTRIBUTES:
        value = readout.value(PREPAYMENT_CLUSTER, attribute_id)
        if isinstance(value, int):
            sub(root, name, value)
    return result(root, failures, warnings)
