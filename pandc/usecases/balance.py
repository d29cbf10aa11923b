"""SRV 4.18 Read Meter Balance: GCS60 / GCS60a (gas) and ECS82 (electricity).

GCS60a replaces GCS60 (SECMP0015: the GPF stamps the response with the GSME's date-time);
the payload is the same. The gas meter returns its credit-mode balance (Metering cluster
BillToDateDelivered) and its prepayment-mode balance (Prepayment cluster CreditRemaining).
"""
from __future__ import annotations

from . import register
from .base import (
    result, dlms_content, require, response_element, sub,
)
from ..codec import dlms

GCS60 = 0x008D
GCS60A = 0x012A
ECS82 = 0x0069

BILL_TO_DATE_DELIVERED = 0x0A00     # Metering cluster
CREDIT_REMAINING = 0x0001           # Prepayment cluster


@register(ECS82)
def electricity_meter_balance(message):
    content = dlms_content(message)
    if content is None:
        return None
    root = response_element("ReadMeterBalanceRsp", content.failures)
    if content.failures or not content.data or content.data[0].tag == dlms.NULL_DATA:
        return result(root, content.failures)
    require(len(content.data) == 1, f"ECS82 carries one value, found {len(content.data)}")
    value = content.data[0]
    require(value.is_integer, f"meter balance must be an integer, found {value.type_name}", value)
    sub(root, "MeterBalance", value.value)
    return result(root, content.failures)
