"""SRV 4.1.1 Read Instantaneous Import Registers: ECS17b (electricity; gas GCS13a is in the
GBZ catalogue, pandc/usecases/catalogue/gbz.py)."""
from __future__ import annotations

from . import register
from .base import (
    result, dlms_content, register_value, registers, require, response_element, sub,
)
from ..codec import dlms

GCS13A = 0x0074
ECS17B = 0x0027

CURRENT_SUMMATION_DELIVERED = 0x0000

# DLMS unit enumeration values MMC accepts for the electricity registers
UNIT_WH = 30
UNIT_VARH = 32

# ECS17b register order: (MMC element, unit element, expected DLMS unit, unit text)
_ELECTRICITY_REGISTERS = (
    ("ActiveImportRegister", "ActiveEnergyUnit", UNIT_WH, "Wh"),
    ("ReactiveImportRegister", "ReactiveEnergyUnit", UNIT_VARH, "varh"),
    ("SecondaryActiveImportRegister", "ActiveEnergyUnit", UNIT_WH, "Wh"),   # twin element
)


@register(ECS17B)
def electricity_import_registers(message):
    content = dlms_content(message)
    if content is None:
        return None
    warnings: list[str] = []
    root = response_element("ReadInstantaneousImportRegistersRsp", content.failures)
    electricity = sub(root, "Electricity")
    if content.failures or not content.data or content.data[0].tag == dlms.NULL_DATA:
        return result(root, content.failures)
    found = registers(content.data[0])
    require(len(found) <= len(_ELECTRICITY_REGISTERS),
            f"ECS17b carries at most {len(_ELECTRICITY_REGISTERS)} registers, found {len(found)}",
            content.data[0])
    for value, (name, unit_name, expected_unit, unit_text) in zip(found, _ELECTRICITY_REGISTERS):
        element = sub(electricity, name)
        sub(element, "Value", register_value(value))
        if value.unit == expected_unit:
            sub(element, unit_name, unit_text)
        elif value.unit is not None:
            warnings.append(f"{name}: DLMS unit {value.unit} is not {unit_text}; unit left out")
    return result(root, content.failures, warnings)
