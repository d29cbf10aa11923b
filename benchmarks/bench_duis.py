"""MP077 service_flags over 1,000,000 devices, and reading SRV 8.2 inventories.

Run: python -m pytest benchmarks/bench_duis.py --benchmark-only
A DUIS Read Inventory holds at most 17 devices, so the million devices come as 58,824
inventories (Inventory objects, as parse_duis gives them) of up to 17: an ESME, a GSME, a
GPF, a CHF, a PPMID and an IHD on each of three meter points, statuses cycling over the nine
DUIS device statuses. Side by side: service_flags (the fast path) and flag_decisions (the same
flags with reasons, for reconciliation), and parse-then-flag from DUIS XML for a share of it.
devices/s = devices per round / mean round time, in extra_info.
"""
from __future__ import annotations

import pytest

from pandc import iter_duis, service_flags
from pandc import testing_duis as t
from pandc.duis import Inventory, InventoryDevice, flag_decisions
from pandc.duis.inventory import DEVICE_STATUSES

DEVICES = 1_000_000
PER_INVENTORY = 17
TYPES = ("ESME", "GSME", "GPF", "CHF", "PPMID", "IHD")


def _inventories(total: int) -> list[Inventory]:
    inventories = []
    made = 0
    number = 0
    while made < total:
        size = min(PER_INVENTORY, total - made)
        devices = []
        for index in range(size):
            serial = made + index
            devices.append(InventoryDevice(
                t.eui(serial), TYPES[index % len(TYPES)],
                DEVICE_STATUSES[(serial // 7) % len(DEVICE_STATUSES)],
                import_mpxn=f"{number:09d}{index // len(TYPES)}"))
        inventories.append(Inventory(tuple(devices)))
        made += size
        number += 1
    return inventories


def _smoke(request: pytest.FixtureRequest) -> bool:
    # CI's smoke run (--benchmark-disable) runs each benchmark once, untimed: a small input
    # shows the code works without holding a million records in memory.
    return bool(request.config.getoption("benchmark_disable", False))


@pytest.fixture(scope="module")
def inventories(request: pytest.FixtureRequest) -> list[Inventory]:
    return _inventories(10_000 if _smoke(request) else DEVICES)


def _rate(benchmark, devices: int) -> None:
    benchmark.extra_info["devices_per_round"] = devices
    if benchmark.stats is not None:
        benchmark.extra_info["devices_per_second"] = round(devices / benchmark.stats.stats.mean)


def _count(inventories: list[Inventory]) -> int:
    return sum(len(inventory) for inventory in inventories)


def test_service_flags_million_devices(benchmark, inventories):
    flags = benchmark.pedantic(service_flags, args=(inventories,), rounds=3, iterations=1)
    assert len(flags) == sum(len({d.import_mpxn for d in inv}) for inv in inventories)
    _rate(benchmark, _count(inventories))


def test_service_flags_million_devices_with_history(benchmark, inventories):
    previous = {f"{n:09d}0": "A" for n in range(0, len(inventories), 2)}
    benchmark.pedantic(service_flags, args=(inventories, previous), rounds=3, iterations=1)
    _rate(benchmark, _count(inventories))


def test_flag_decisions_million_devices(benchmark, inventories):
    benchmark.pedantic(flag_decisions, args=(inventories,), rounds=1, iterations=1)
    _rate(benchmark, _count(inventories))


def test_parse_and_flag_from_xml(benchmark, request):
    # 100,000 devices as DUIS XML (5,883 Read Inventory responses in one file), read
    # streaming and flagged: what `pandc flags` does per device.
    total = 1_000 if _smoke(request) else 100_000
    documents = []
    for inventory in _inventories(total):
        documents.append(t.inventory_response(list(inventory.devices)).split(b"?>", 1)[1])
    data = b"<Batch>" + b"".join(documents) + b"</Batch>"

    def run():
        return service_flags(item for item in iter_duis(data))

    benchmark.pedantic(run, rounds=1, iterations=1)
    _rate(benchmark, total)
