"""SRV 4.1.2 Read Instantaneous Import TOU Matrices: GCS13c (gas) and ECS17d (electricity)."""
from __future__ import annotations

from . import register
from .base import (
    gas_response,
    result, gas_values, sub,
)

GCS13C = 0x00B6

# Metering CurrentTierNSummationDelivered: tier N at 0x0100 + 2 (N - 1); MMC holds four.
TIER_SUMMATIONS = {0x0100 + 2 * tier: tier + 1 for tier in range(4)}


@register(GCS13C)
def gas_tou_matrix(message):
    started = gas_response(message, "ReadInstantaneousImportTOUMatricesRsp")
    if started is None:
        return None
    readout, failures, root = started
    warnings: list[str] = []
    gas = sub(root, "Gas")
    values = gas_values(readout, tuple(TIER_SUMMATIONS), warnings)
    if values:
        matrix = sub(gas, "TariffTOURegisterMatrix")
        for attribute_id, index in TIER_SUMMATIONS.items():
            if attribute_id in values:
                sub(matrix, "TOURegisterMatrixValue", values[attribute_id], index=index)
    return result(root, failures, warnings)
