"""The DUIS side: DUIS Responses of every kind, SRV 8.2 inventories, MP077 service flags,
the MP169 Restricted policy and DP146 WAN coverage (SRV 12.1)."""
from __future__ import annotations

from ._xml import DuisError
from .codes import ResponseCode, response_code, response_code_table
from .coverage import CoverageRecord, WanMatrix
from .flags import FlagDecision, flag_decisions, service_flags
from .inventory import Inventory, InventoryDevice, devices_of, to_arrow
from .responses import (DccAlert, DeviceAlert, DspBody, DuisResponse, GbcsPayload, duis_record,
                        iter_duis, parse_duis)
from .restricted import (AlertDecision, RequestCheck, RestrictedPolicy, check_request,
                         filter_alerts)

__all__ = [
    "AlertDecision", "CoverageRecord", "DccAlert", "DeviceAlert", "DspBody", "DuisError",
    "DuisResponse", "FlagDecision", "GbcsPayload", "Inventory", "InventoryDevice",
    "RequestCheck", "ResponseCode", "RestrictedPolicy", "WanMatrix", "check_request",
    "devices_of", "duis_record", "filter_alerts", "flag_decisions", "iter_duis", "parse_duis", "response_code",
    "response_code_table", "service_flags", "to_arrow",
]
