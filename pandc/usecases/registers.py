"""SRV 4.1.1 Read Instantaneous Import Registers: GCS13a (gas) and ECS17b (electricity)."""
from __future__ import annotations

from . import register
from .base import (
    gas_response,
    result, gas_unit, gas_values,
    sub,
)

GCS13A = 0x0074

CURRENT_SUMMATION_DELIVERED = 0x0000

@register(GCS13A)
def gas_consumption_register(message):
    started = gas_response(message, "ReadInstantaneousImportRegistersRsp")
    if started is None:
        return None
    readout, failures, root = started
    warnings: list[str] = []
    gas = sub(root, "Gas")
    values = gas_values(readout, (CURRENT_SUMMATION_DELIVERED,), warnings)
    if CURRENT_SUMMATION_DELIVERED in values:
        consumption = sub(gas, "ConsumptionRegister")
        sub(consumption, "Value", values[CURRENT_SUMMATION_DELIVERED])
        unit = gas_unit(readout, warnings)
        if unit is not None:
            sub(consumption, "Unit", unit)
    return result(root, failures, warnings)
