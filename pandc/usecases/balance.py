"""SRV 4.18 Read Meter Balance: GCS60 / GCS60a (gas) and ECS82 (electricity).

GCS60a replaces GCS60 (SECMP0015: the GPF stamps the response with the GSME's date-time);
the payload is the same. The gas meter returns its credit-mode balance (Metering cluster
BillToDateDelivered) and its prepayment-mode balance (Prepayment cluster CreditRemaining).
"""
from __future__ import annotations

from . import register
from .base import (
    gas_response,
    METERING_CLUSTER, PREPAYMENT_CLUSTER, result, missing,
    sub,
)

GCS60 = 0x008D
GCS60A = 0x012A

BILL_TO_DATE_DELIVERED = 0x0A00     # Metering cluster
CREDIT_REMAINING = 0x0001           # Prepayment cluster


@register(GCS60, GCS60A)
def gas_meter_balance(message):
    started = gas_response(message, "ReadMeterBalanceRsp")
    if started is None:
        return None
    readout, failures, root = started
    warnings: list[str] = []
    if not failures:
        missing(readout, METERING_CLUSTER, (BILL_TO_DATE_DELIVERED,), warnings)
        missing(readout, PREPAYMENT_CLUSTER, (CREDIT_REMAINING,), warnings)
    balance = readout.value(METERING_CLUSTER, BILL_TO_DATE_DELIVERED)
    if isinstance(balance, int):
        sub(root, "MeterBalance", balance)
    prepayment_balance = readout.value(PREPAYMENT_CLUSTER, CREDIT_REMAINING)
    if isinstance(prepayment_balance, int):
        sub(sub(root, "Gas"), "MeterBalancePrepaymentMode", prepayment_balance)
    return result(root, failures, warnings)
