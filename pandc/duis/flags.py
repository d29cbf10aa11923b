"""MP077: the DCC Service Flag of every meter point, from the SMI statuses of its smart meters.

The rule (FACTS §1, MP077; pandc's order for the mixed cases the papers leave open):

1. ``A`` if a smart meter associated with the meter point is Commissioned;
2. else ``I`` if one is InstalledNotCommissioned;
3. else ``N`` if the meter point had a flag before (``previous``) or has a Decommissioned smart
   meter (the DSP sets N when SRV 8.3 decommissions a meter);
4. else none (NULL; ``None`` here).

Smart meters are ESME and GSME; a CHF, GPF, PPMID, IHD, HCALCS or CAD never counts. The statuses
are DUIS ``sr:DeviceStatus``; Pending, Whitelisted, Withdrawn, Suspended, Recovery and Recovered
change nothing ("not used for DCC Service Status updates"). ``W`` and ``S`` are retired and
never produced. A smart meter whose status is missing or not one of the nine DUIS statuses is
an error (:class:`FlagError`), never a guess.

A device is associated with the meter points of its ImportMPxN, SecondaryImportMPAN and
ExportMPAN. Meter points are those of the devices given (any device type: a meter point
seen only through a GPF or PPMID is reported, NULL unless it had a flag before).
"""
from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from .inventory import DEVICE_STATUSES, InventoryDevice, devices_of
from ..errors import PandcError

SMART_METER_TYPES = frozenset({"ESME", "GSME"})

#: How much a smart meter's status says, by DUIS status: 3 → A, 2 → I, 1 → N, 0 → nothing.
STATUS_WEIGHT: dict[str, int] = {
    "Commissioned": 3,               # MP077: A, at least one smart meter Commissioned
    "InstalledNotCommissioned": 2,   # MP077: I
    "Decommissioned": 1,             # MP077: N (the DSP sets N on SRV 8.3 decommissioning)
    "Pending": 0, "Whitelisted": 0, "Withdrawn": 0, "Suspended": 0, "Recovery": 0,
    "Recovered": 0,                  # "not used for DCC Service Status updates"
}
assert set(STATUS_WEIGHT) == set(DEVICE_STATUSES)

_FLAG_BY_WEIGHT = (None, "N", "I", "A")

#: Flags as registration systems may hold them; W and S are retired by MP077 but a meter point
#: that carried one had a flag.
KNOWN_FLAGS = frozenset({"A", "I", "N", "W", "S"})
NULL_TEXTS = frozenset({"", "NULL", "null", "None", "none"})


class FlagError(PandcError, ValueError):
    """A smart meter whose status cannot be used (missing or not a DUIS device status)."""


@dataclass(frozen=True, slots=True)
class FlagDecision:
    """The flag of one meter point and why."""

    mpxn: str
    flag: str | None
    reason: str


def _history(previous: Any) -> set[str]:
    """Meter points that had a flag before: from earlier flags (mpxn → flag) or from earlier
    inventories (a meter point whose flag they give is not NULL)."""
    if previous is None:
        return set()
    if isinstance(previous, Mapping):
        had = set()
        for mpxn, flag in previous.items():
            text = "" if flag is None else str(flag).strip()
            if text in NULL_TEXTS:
                continue
            if text not in KNOWN_FLAGS:
                raise FlagError(f"meter point {mpxn}: previous flag {text!r} is not a DCC "
                                "Service Flag (A, I, N, or retired W, S)")
            had.add(str(mpxn))
        return had
    return {mpxn for mpxn, flag in service_flags(previous).items() if flag is not None}


def _status_error(device: InventoryDevice) -> FlagError:
    if device.device_status is None:
        return FlagError(f"smart meter {device.device_id} ({device.device_type}) has no "
                         "DeviceStatus: its meter points' flags cannot be computed")
    return FlagError(f"smart meter {device.device_id} ({device.device_type}): DeviceStatus "
                     f"{device.device_status!r} is not a DUIS device status")


def service_flags(inventory: Any, previous: Any = None) -> dict[str, str | None]:
    """The DCC Service Flag (``"A"``, ``"I"``, ``"N"`` or None) of every meter point of the
    devices in ``inventory`` (devices, Inventory objects, DUIS responses holding one, or
    iterables of these: many inventories of up to 17 devices), in order of first appearance.

    ``previous``: earlier flags (a mapping mpxn → flag) or earlier inventories.
    """
    had = _history(previous)
    weight_of = STATUS_WEIGHT
    smart = SMART_METER_TYPES
    best: dict[str, int] = {}
    get = best.get
    for device in devices_of(inventory):
        mpxn = device.import_mpxn
        if device.device_type in smart:
            weight = weight_of.get(device.device_status)  # type: ignore[arg-type]
            if weight is None:
                raise _status_error(device)
        else:
            weight = 0
        if mpxn:
            current = get(mpxn)
            if current is None or weight > current:
                best[mpxn] = weight
        for other in (device.secondary_import_mpan, device.export_mpan):
            if other:
                current = get(other)
                if current is None or weight > current:
                    best[other] = weight
    flags: dict[str, str | None] = {}
    for mpxn, weight in best.items():
        if weight == 0 and mpxn in had:
            weight = 1
        flags[mpxn] = _FLAG_BY_WEIGHT[weight]
    return flags


def flag_decisions(inventory: Any, previous: Any = None) -> list[FlagDecision]:
    """:func:`service_flags` with the reason for each meter point's flag (slower; for
    reports and reconciliation)."""
    had = _history(previous)
    seen: dict[str, list[InventoryDevice]] = {}
    for device in devices_of(inventory):
        for mpxn in device.mpxns:
            seen.setdefault(mpxn, []).append(device)
    decisions = []
    for mpxn, devices in seen.items():
        meters = [d for d in devices if d.device_type in SMART_METER_TYPES]
        for meter in meters:
            if meter.device_status not in STATUS_WEIGHT:
                raise _status_error(meter)

        def with_status(status: str) -> list[str]:
            return [m.device_id for m in meters if m.device_status == status]

        if with_status("Commissioned"):
            flag, why = "A", f"smart meter {', '.join(with_status('Commissioned'))} Commissioned"
        elif with_status("InstalledNotCommissioned"):
            flag, why = "I", ("smart meter " + ", ".join(with_status("InstalledNotCommissioned"))
                              + " InstalledNotCommissioned, none Commissioned")
        elif with_status("Decommissioned"):
            flag, why = "N", ("smart meter " + ", ".join(with_status("Decommissioned"))
                              + " Decommissioned, none Commissioned or InstalledNotCommissioned")
        elif mpxn in had:
            flag, why = "N", ("had a flag before; no smart meter Commissioned or "
                              "InstalledNotCommissioned now")
        elif meters:
            flag, why = None, ("smart meters only " + ", ".join(
                sorted({str(m.device_status) for m in meters})) + ", and no flag before")
        else:
            flag, why = None, "no smart meter (ESME/GSME) associated, and no flag before"
        decisions.append(FlagDecision(mpxn, flag, why))
    return decisions


def reconcile(decisions: Iterable[FlagDecision], registered: Mapping[str, str | None]
              ) -> list[tuple[str, str | None, str | None, str]]:
    """Meter points whose registered flag differs from the computed one:
    (mpxn, registered, computed, why). A registration for a meter point not in the
    inventories is reported too (it cannot be checked)."""
    out: list[tuple[str, str | None, str | None, str]] = []
    computed: dict[str, FlagDecision] = {d.mpxn: d for d in decisions}
    for mpxn, raw in registered.items():
        flag = None if raw is None or str(raw).strip() in NULL_TEXTS else str(raw).strip()
        decision = computed.get(mpxn)
        if decision is None:
            out.append((mpxn, flag, None, "meter point not in the inventories given: cannot "
                                          "be checked"))
            continue
        if flag == decision.flag:
            continue
        if flag in ("W", "S"):
            why = f"registered {flag} is retired by MP077; computed from {decision.reason}"
        else:
            why = decision.reason
        out.append((mpxn, flag, decision.flag, why))
    return out
