"""SRV 4.1.4 Read Instantaneous Import Block Counters: GCS13b (gas)."""
from __future__ import annotations

from . import register
from .base import gas_response, result, gas_values, sub

GCS13B = 0x00B8

# Metering CurrentNoTierBlockNSummationDelivered: block N at 0x0700 + (N - 1); MMC holds four.
BLOCK_SUMMATIONS = {0x0700 + block: block + 1 for block in range(4)}


@register(GCS13B)
def gas_block_counters(message):
    started = gas_response(message, "ReadInstantaneousImportBlockCountersRsp")
    if started is None:
        return None
    readout, failures, root = started
    warnings: list[str] = []
    values = gas_values(readout, tuple(BLOCK_SUMMATIONS), warnings)
    if values:
        counters = sub(root, "ImportBlockCounters")
        for attribute_id, index in BLOCK_SUMMATIONS.items():
            if attribute_id in values:
                sub(counters, "TariffBlockCounterValue", values[attribute_id], index=index)
    return result(root, failures, warnings)
