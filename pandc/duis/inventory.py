"""SRV 8.2 Read Inventory: the DSP's ``sr:DSPInventory`` as typed device records.

Each ``sr:Device`` (at most 17 a document, DUIS V5.4 ``sr:DSPInventory``) becomes an
:class:`InventoryDevice`; the field list below follows the ``sr:Device`` sequence of DUIS V5.4
in order, plus MP169's ``Restricted`` (an ``xs:boolean`` after ``Connectivity`` in pandc's
bundled DUIS profile; absent, as in every V5.4 document, means not Restricted).
"""
from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, fields
from datetime import date
from typing import Any

from lxml import etree

from . import _xml as x
from ..values import Node, leaf, node

#: DUIS V5.4 sr:DeviceStatus, in schema order.
DEVICE_STATUSES: tuple[str, ...] = (
    "Pending", "Whitelisted", "InstalledNotCommissioned", "Commissioned", "Decommissioned",
    "Withdrawn", "Suspended", "Recovery", "Recovered")

#: DUIS V5.4 sr:DeviceType.
DEVICE_TYPES: tuple[str, ...] = ("ESME", "GSME", "GPF", "CHF", "HCALCS", "PPMID", "IHD", "CAD")


@dataclass(frozen=True, slots=True)
class InventoryDevice:
    """One ``sr:Device`` of a Read Inventory response (names follow the DUIS elements)."""

    device_id: str                                  # DeviceID, EUI-64 as written
    device_type: str                                # DeviceType
    device_status: str | None = None                # DeviceStatus
    manufacturer: str = ""                          # DeviceManufacturer
    model: str = ""                                 # DeviceModel
    smets_chts_version: str | None = None           # SMETSCHTSVersion
    firmware_version: str | None = None             # DeviceFirmwareVersion
    firmware_version_status: str | None = None      # DeviceFirmwareVersionStatus
    cpl_status: str | None = None                   # CPLStatus
    date_commissioned: date | None = None           # DateCommissioned
    import_mpxn: str | None = None                  # ImportMPxN
    secondary_import_mpan: str | None = None        # SecondaryImportMPAN
    export_mpan: str | None = None                  # ExportMPAN
    esme_variant: str | None = None                 # ESMEVariant
    uprn: int | None = None                         # UPRN
    postcode: str | None = None                     # PropertyFilter/PostCode
    address_identifier: str | None = None           # PropertyFilter/AddressIdentifier
    csp_region: str | None = None                   # CSPRegion
    device_gbcs_version: str | None = None          # DeviceGBCSVersion
    han_variant: str | None = None                  # HANVariant
    s1sp: str | None = None                         # S1SP
    connectivity: str | None = None                 # Connectivity
    restricted: bool = False                        # Restricted (MP169)

    @property
    def mpxns(self) -> tuple[str, ...]:
        """The meter points the device is associated with (import, secondary import, export)."""
        return tuple(m for m in (self.import_mpxn, self.secondary_import_mpan, self.export_mpan)
                     if m)

    def as_dict(self) -> dict[str, Any]:
        return {f.name: getattr(self, f.name) for f in fields(self)}


@dataclass(frozen=True, slots=True)
class Inventory:
    """The body of an SRV 8.2 response: its devices, and what pandc noticed reading them."""

    devices: tuple[InventoryDevice, ...]
    warnings: tuple[str, ...] = ()

    def __iter__(self) -> Iterator[InventoryDevice]:
        return iter(self.devices)

    def __len__(self) -> int:
        return len(self.devices)


# element name → (field, converter); the order of sr:Device in DUIS V5.4.
_TEXT = x.text
_DEVICE_FIELDS: dict[str, tuple[Any, Any]] = {
    "DeviceID": ("device_id", _TEXT),
    "DeviceType": ("device_type", _TEXT),
    "DeviceStatus": ("device_status", _TEXT),
    "DeviceManufacturer": ("manufacturer", _TEXT),
    "DeviceModel": ("model", _TEXT),
    "SMETSCHTSVersion": ("smets_chts_version", _TEXT),
    "DeviceFirmwareVersion": ("firmware_version", _TEXT),
    "DeviceFirmwareVersionStatus": ("firmware_version_status", _TEXT),
    "CPLStatus": ("cpl_status", _TEXT),
    "DateCommissioned": ("date_commissioned", x.to_date),
    "ImportMPxN": ("import_mpxn", _TEXT),
    "SecondaryImportMPAN": ("secondary_import_mpan", _TEXT),
    "ExportMPAN": ("export_mpan", _TEXT),
    "ESMEVariant": ("esme_variant", _TEXT),
    "UPRN": ("uprn", lambda e: x.to_int(e, 1, 999_999_999_999)),
    "PropertyFilter": (None, None),
    "CSPRegion": ("csp_region", _TEXT),
    "DeviceGBCSVersion": ("device_gbcs_version", _TEXT),
    "HANVariant": ("han_variant", _TEXT),
    "S1SP": ("s1sp", _TEXT),
    "Connectivity": ("connectivity", _TEXT),
    "Restricted": ("restricted", x.to_bool),
}


_BY_TAG = {x.SR + name: (name, field, convert) for name, (field, convert) in _DEVICE_FIELDS.items()}


def inventory_node(inventory: Inventory) -> Node:
    """The inventory as a value tree with the DUIS element names, in schema order."""
    devices = []
    for device in inventory.devices:
        items = []
        for name, (field, _) in _DEVICE_FIELDS.items():
            if name == "PropertyFilter":
                if device.postcode is not None:
                    items.append(node(name, leaf("PostCode", device.postcode),
                                      leaf("AddressIdentifier", device.address_identifier)))
                continue
            value = getattr(device, field)
            if value is None or (name == "Restricted" and value is False):
                continue
            items.append(leaf(name, value))
        devices.append(node("Device", *items))
    return node("DSPInventory", *devices)


def read_device(element: etree._Element, warnings: list[str] | None = None) -> InventoryDevice:
    """An ``sr:Device`` element as a record; unknown children are an error naming them."""
    values: dict[str, Any] = {}
    for item in x.children(element):
        entry = _BY_TAG.get(item.tag)
        if entry is None:
            raise x.error_at(item, "not an element of sr:Device")
        name, field, convert = entry
        if name == "PropertyFilter":
            values["postcode"] = x.req_text(item, "PostCode")
            values["address_identifier"] = x.req_text(item, "AddressIdentifier")
            continue
        if field in values:
            raise x.error_at(item, "occurs twice in one sr:Device")
        values[field] = convert(item)
    for name in ("DeviceID", "DeviceType"):
        if _DEVICE_FIELDS[name][0] not in values:
            raise x.error_at(element, f"missing sr:{name}")
    device = InventoryDevice(**values)
    if warnings is not None:
        if device.device_status is not None and device.device_status not in DEVICE_STATUSES:
            warnings.append(f"device {device.device_id}: DeviceStatus {device.device_status!r} "
                            "is not a DUIS V5.4 device status")
        if device.device_type not in DEVICE_TYPES:
            warnings.append(f"device {device.device_id}: DeviceType {device.device_type!r} is "
                            "not a DUIS V5.4 device type")
    return device


def read_inventory(element: etree._Element) -> Inventory:
    """An ``sr:DSPInventory`` element (1 to 17 devices) as an :class:`Inventory`."""
    warnings: list[str] = []
    devices = []
    for item in x.children(element):
        if item.tag != x.SR + "Device":
            raise x.error_at(item, "not an element of sr:DSPInventory")
        devices.append(read_device(item, warnings))
    if not devices:
        raise x.error_at(element, "holds no sr:Device")
    if len(devices) > 17:
        warnings.append(f"{len(devices)} devices in one DSPInventory (DUIS V5.4 allows 17)")
    return Inventory(tuple(devices), tuple(warnings))


def devices_of(inventories: Any) -> Iterator[InventoryDevice]:
    """Devices from a device, an Inventory, a DUIS response holding one, or an iterable of
    any of these (nested as deep as given, without recursion)."""
    stack: list[Iterator[Any]] = [iter((inventories,))]
    while stack:
        try:
            item = next(stack[-1])
        except StopIteration:
            stack.pop()
            continue
        if isinstance(item, InventoryDevice):
            yield item
        elif isinstance(item, Inventory):
            yield from item.devices
        elif isinstance(getattr(item, "body", None), Inventory):
            yield from item.body.devices
        elif isinstance(item, (str, bytes)):
            raise TypeError("expected inventories or devices, got text: parse it with "
                            "pandc.parse_duis first")
        elif isinstance(item, Iterable):
            stack.append(iter(item))
        else:
            raise TypeError(f"expected an inventory or device, not {type(item).__name__}")


def to_arrow(inventory: Any) -> Any:
    """The devices as a ``pyarrow.Table`` (one row a device, one column a field).

    pyarrow is imported here, so ``import pandc`` does not need it: install ``pandc[arrow]``.
    """
    try:
        import pyarrow as pa  # type: ignore[import-untyped, unused-ignore]
    except ImportError as exc:  # pragma: no cover - depends on the environment
        raise ImportError("to_arrow needs pyarrow: pip install 'pandc[arrow]'") from exc
    columns: dict[str, list[Any]] = {f.name: [] for f in fields(InventoryDevice)}
    for device in devices_of(inventory):
        for name, column in columns.items():
            column.append(getattr(device, name))
    special = {"date_commissioned": pa.date32(), "uprn": pa.int64(), "restricted": pa.bool_()}
    schema = pa.schema([(name, special.get(name, pa.string())) for name in columns])
    return pa.table(columns, schema=schema)


DeviceList = Sequence[InventoryDevice]
