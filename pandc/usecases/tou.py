"""SRV 4.1.2 Read Instantaneous Import TOU Matrices: GCS13c (gas) and ECS17d (electricity)."""
from __future__ import annotations

from . import register
from .base import (
    result, dlms_content, require,
    response_element, sub, unwrap,
)
from ..codec import dlms

GCS13C = 0x00B6
ECS17D = 0x0029

# Metering CurrentTierNSummationDelivered: tier N at 0x0100 + 2 (N - 1); MMC holds four.
TIER_SUMMATIONS = {0x0100 + 2 * tier: tier + 1 for tier in range(4)}
MAX_PRIMARY_TOU = 48
MAX_SECONDARY_TOU = 4


@register(ECS17D)
def electricity_tou_registers(message):
    """ECS17d: the TOU registers as an array (primary element), and for twin-element
    meters a second array (secondary element)."""
    content = dlms_content(message)
    if content is None:
        return None
    root = response_element("ReadInstantaneousImportTOUMatricesRsp", content.failures)
    electricity = sub(root, "Electricity")
    if content.failures or not content.data or content.data[0].tag == dlms.NULL_DATA:
        return result(root, content.failures)
    value = unwrap(content.data[0])
    if value.tag == dlms.ARRAY:
        groups = [value]
    else:
        groups = list(value.items)
        for group in groups:
            require(group.tag == dlms.ARRAY,
                    f"expected an array of TOU registers, found {group.type_name}", group)
    require(len(groups) <= 2, f"expected at most two TOU register arrays, found {len(groups)}",
            value)
    collection = sub(electricity, "TariffTOURegisterCollection")
    limits = (("TOUPrimaryRegisterValue", MAX_PRIMARY_TOU),
              ("TOUSecondRegisterValue", MAX_SECONDARY_TOU))
    for group, (name, limit) in zip(groups, limits):
        require(len(group.value) <= limit,
                f"{name}: MMC allows {limit} registers, found {len(group.value)}", group)
        for index, item in enumerate(group.value, start=1):
            require(item.is_integer, f"expected a register value, found {item.type_name}", item)
            sub(collection, name, item.value, index=index)
    return result(root, content.failures)
