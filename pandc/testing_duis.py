"""Builders of DUIS documents for tests: Responses of every kind and Requests.

No published samples of DSP-generated responses exist, so tests build them here, element by
element in the order of the official DUIS V5.4 XSD (``sr:Response``: Header with RequestID,
ResponseID, ResponseCode, ResponseDateTime; Body with one of ResponseMessage,
DeviceAlertMessage, DCCAlertMessage). Each builder's output is validated against the official
XSD in tests/test_duis_*.py (documents using MP169 additions, E72 or Restricted, against the
bundled profile).
"""
from __future__ import annotations

import base64
from collections.abc import Iterable, Mapping, Sequence
from datetime import date, datetime, timezone
from typing import Any

from lxml import etree

SR = "http://www.dccinterface.co.uk/ServiceUserGateway"
_NSMAP = {"sr": SR}

USER = "90-B3-D5-1F-30-01-00-00"
DSP = "90-B3-D5-1F-30-00-00-02"
DEFAULT_TIME = datetime(2030, 6, 1, 12, 0, 0, tzinfo=timezone.utc)

# DUIS V5.4 sr:Device, in schema order: (element, key in the device mapping)
DEVICE_ELEMENTS: tuple[tuple[str, str], ...] = (
    ("DeviceID", "device_id"), ("DeviceType", "device_type"),
    ("DeviceStatus", "device_status"), ("DeviceManufacturer", "manufacturer"),
    ("DeviceModel", "model"), ("SMETSCHTSVersion", "smets_chts_version"),
    ("DeviceFirmwareVersion", "firmware_version"),
    ("DeviceFirmwareVersionStatus", "firmware_version_status"), ("CPLStatus", "cpl_status"),
    ("DateCommissioned", "date_commissioned"), ("ImportMPxN", "import_mpxn"),
    ("SecondaryImportMPAN", "secondary_import_mpan"), ("ExportMPAN", "export_mpan"),
    ("ESMEVariant", "esme_variant"), ("UPRN", "uprn"), ("PropertyFilter", "property_filter"),
    ("CSPRegion", "csp_region"), ("DeviceGBCSVersion", "device_gbcs_version"),
    ("HANVariant", "han_variant"), ("S1SP", "s1sp"), ("Connectivity", "connectivity"),
    ("Restricted", "restricted"),  # MP169, bundled profile only
)


def _sr(name: str) -> str:
    return "{%s}%s" % (SR, name)


def _text(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, datetime):
        return value.astimezone(timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, bytes):
        return base64.b64encode(value).decode("ascii")
    return str(value)


def sub(parent: etree._Element, name: str, value: Any = None) -> etree._Element:
    element = etree.SubElement(parent, _sr(name))
    if value is not None:
        element.text = _text(value)
    return element


def eui(n: int) -> str:
    """A device EUI-64 for test number n (00-DB-12-34-nn-nn-nn-nn)."""
    raw = (0x00DB1234_00000000 + n).to_bytes(8, "big")
    return "-".join(f"{b:02X}" for b in raw)


def request_id(device: str, counter: int = 1000, user: str = USER) -> str:
    return f"{user}:{device}:{counter}"


def response(body: etree._Element, *, response_code: str = "I0",
             request_id: str | None = None, response_id: str | None = None,
             response_date_time: datetime = DEFAULT_TIME, schema_version: str = "5.4") -> bytes:
    """An sr:Response around a body element (ResponseMessage, DeviceAlertMessage or
    DCCAlertMessage) made by one of the ``*_body`` builders."""
    root = etree.Element(_sr("Response"), nsmap=_NSMAP)
    root.set("schemaVersion", schema_version)
    header = sub(root, "Header")
    if request_id is not None:
        sub(header, "RequestID", request_id)
    if response_id is not None:
        sub(header, "ResponseID", response_id)
    sub(header, "ResponseCode", response_code)
    sub(header, "ResponseDateTime", response_date_time)
    sub(root, "Body").append(body)
    return bytes(etree.tostring(root, xml_declaration=True, encoding="UTF-8"))


def response_message(service_reference: str, variant: str,
                     content: etree._Element | None = None) -> etree._Element:
    message = etree.Element(_sr("ResponseMessage"), nsmap=_NSMAP)
    sub(message, "ServiceReference", service_reference)
    sub(message, "ServiceReferenceVariant", variant)
    if content is not None:
        message.append(content)
    return message


def acknowledgement(service_reference: str = "4.1", variant: str = "4.1.1", *,
                    device: str | None = None, **header: Any) -> bytes:
    """An I99 acknowledgement: ServiceReference and variant, no body element."""
    header.setdefault("response_code", "I99")
    header.setdefault("request_id", request_id(device or eui(1)))
    return response(response_message(service_reference, variant), **header)


def gbcs_payload_response(payload: bytes, service_reference: str = "4.1",
                          variant: str = "4.1.1", **header: Any) -> bytes:
    element = etree.Element(_sr("GBCSPayload"), nsmap=_NSMAP)
    element.text = _text(payload)
    header.setdefault("request_id", request_id(eui(1)))
    return response(response_message(service_reference, variant, element), **header)


def precommand_response(payload: bytes, gbcs_version: str = "4.0",
                        service_reference: str = "1.1", variant: str = "1.1.1",
                        **header: Any) -> bytes:
    element = etree.Element(_sr("PreCommand"), nsmap=_NSMAP)
    sub(element, "GBCSVersion", gbcs_version)
    sub(element, "GBCSPayload", payload)
    header.setdefault("request_id", request_id(eui(1)))
    return response(response_message(service_reference, variant, element), **header)


def device_element(device: Mapping[str, Any] | Any) -> etree._Element:
    """An sr:Device from a mapping (keys as InventoryDevice fields) or an InventoryDevice;
    ``property_filter`` is a (postcode, address identifier) pair."""
    if not isinstance(device, Mapping):
        values = dict(device.as_dict())
        if values.get("postcode"):
            values["property_filter"] = (values["postcode"], values["address_identifier"])
        if not values.get("restricted"):
            values.pop("restricted", None)
    else:
        values = dict(device)
    values["manufacturer"] = values.get("manufacturer") or "ACME"
    values["model"] = values.get("model") or "M1"
    element = etree.Element(_sr("Device"), nsmap=_NSMAP)
    for name, key in DEVICE_ELEMENTS:
        value = values.get(key)
        if value is None or value == "":
            continue
        if name == "PropertyFilter":
            holder = sub(element, name)
            sub(holder, "PostCode", value[0])
            sub(holder, "AddressIdentifier", value[1])
        else:
            sub(element, name, value)
    return element


def inventory_response(devices: Sequence[Mapping[str, Any] | Any], *,
                       device: str | None = None, **header: Any) -> bytes:
    """An SRV 8.2 Read Inventory response (1 to 17 devices, DUIS V5.4 sr:DSPInventory)."""
    inventory = etree.Element(_sr("DSPInventory"), nsmap=_NSMAP)
    for item in devices:
        inventory.append(device_element(item))
    header.setdefault("request_id", request_id(device or DSP))
    return response(response_message("8.2", "8.2", inventory), **header)


def wan_matrix_response(regions: Iterable[Mapping[str, Any]], *,
                        postcode: str = "M22 0RR", address: str = "Threapwood Road",
                        uprn: int | None = None, **header: Any) -> bytes:
    """An SRV 12.1 response: sr:DSPWANMatrix with the echoed request and one
    sr:DSPWANMatrixResponse per region mapping (keys: region, code, available, date,
    technology, likelihood, auxiliary, information)."""
    matrix = etree.Element(_sr("DSPWANMatrix"), nsmap=_NSMAP)
    request = sub(matrix, "Request")
    if uprn is not None:
        sub(request, "UPRN", uprn)
    else:
        partial = sub(request, "PartialAddress")
        sub(partial, "PostCode", postcode)
        sub(partial, "AddressIdentifier", address)
    for region in regions:
        answer = sub(matrix, "DSPWANMatrixResponse")
        sub(answer, "CSPRegion", region["region"])
        sub(answer, "CSPRegionResponseCode", region.get("code", "I0"))
        if "available" in region:
            sub(answer, "CoverageAvailability", region["available"])
            if region.get("date") is not None:
                sub(answer, "AnticipatedCoverageDate", region["date"])
            sub(answer, "WANTechnology", region.get("technology", "4G"))
            sub(answer, "ConnectivityLikelihood", region.get("likelihood", "High"))
            if region.get("auxiliary"):
                sub(answer, "AuxiliaryEquipmentRequired", region["auxiliary"])
            if region.get("information"):
                sub(answer, "AdditionalInformation", region["information"])
    header.setdefault("request_id", request_id(DSP))
    return response(response_message("12.1", "12.1", matrix), **header)


def device_alert_response(alert_code: int, payload: bytes, *, device: str | None = None,
                          throttled: tuple[int, int] | None = None, **header: Any) -> bytes:
    """A DeviceAlertMessage: AlertCode (2 octets, hex), optional throttling, GBCSPayload.
    The ResponseID is ``{device}:{user}:{counter}`` as DUIS has it for device alerts."""
    body = etree.Element(_sr("DeviceAlertMessage"), nsmap=_NSMAP)
    sub(body, "AlertCode", f"{alert_code:04X}")
    if throttled is not None:
        sub(body, "ThrottledAlertSequenceId", throttled[0])
        sub(body, "ThrottledAlertCount", throttled[1])
    sub(body, "GBCSPayload", payload)
    header.setdefault("response_id", f"{device or eui(1)}:{USER}:1")
    return response(body, **header)


def dcc_alert_response(dcc_alert_code: str = "N1", *, hub: str | None = None,
                       start: datetime = DEFAULT_TIME, mpxn: str = "1234567890123",
                       **header: Any) -> bytes:
    """A DCCAlertMessage carrying a PowerOutageEvent (CommsHubDeviceID, StartDateTime, MPxN)."""
    body = etree.Element(_sr("DCCAlertMessage"), nsmap=_NSMAP)
    sub(body, "DCCAlertCode", dcc_alert_code)
    event = sub(sub(body, "DCCAlert"), "PowerOutageEvent")
    sub(event, "CommsHubDeviceID", hub or eui(99))
    sub(event, "StartDateTime", start)
    sub(event, "MPxN", mpxn)
    header.setdefault("response_id", f"{DSP}:{USER}:1")
    return response(body, **header)


# Request body elements (DUIS V5.4 sr:Request/Body choice) whose content may be empty
# (an optional ExecutionDateTime only), by Service Reference Variant.
EMPTY_REQUEST_BODIES: dict[str, str] = {
    "4.1.1": "ReadInstantaneousImportRegisters",
    "4.1.2": "ReadInstantaneousImportTOUMatrices",
    "4.1.3": "ReadInstantaneousImportTOUWithBlocksMatrices",
    "4.1.4": "ReadInstantaneousImportBlockCounters",
    "4.2": "ReadInstantaneousExportRegisters",
    "4.3": "ReadInstantaneousPrepayValues",
    "11.2": "ReadFirmwareVersion",
}


def request(service_reference: str, variant: str, body: etree._Element | None = None, *,
            device: str | None = None, counter: int = 1000, command_variant: int = 1,
            schema_version: str = "5.4") -> bytes:
    """An sr:Request (Header: RequestID, CommandVariant, ServiceReference, variant; Body).

    Without ``body``: SRV 8.2 gets a ReadInventory of the device, 11.1 an UpdateFirmware
    of a small image for the device, the variants in
    EMPTY_REQUEST_BODIES their empty element; any other variant needs ``body``."""
    device = device or eui(1)
    if body is None:
        if variant == "8.2":
            body = etree.Element(_sr("ReadInventory"), nsmap=_NSMAP)
            sub(body, "DeviceID", device)
        elif variant == "11.1":
            body = etree.Element(_sr("UpdateFirmware"), nsmap=_NSMAP)
            sub(body, "FirmwareImage", b"firmware image")
            sub(body, "FirmwareVersion", "00000001")
            sub(body, "DeviceIDList", device)
        elif variant in EMPTY_REQUEST_BODIES:
            body = etree.Element(_sr(EMPTY_REQUEST_BODIES[variant]), nsmap=_NSMAP)
        else:
            raise ValueError(f"give the body of an SRV {variant} request")
    root = etree.Element(_sr("Request"), nsmap=_NSMAP)
    root.set("schemaVersion", schema_version)
    header = sub(root, "Header")
    sub(header, "RequestID", request_id(device, counter))
    sub(header, "CommandVariant", command_variant)
    sub(header, "ServiceReference", service_reference)
    sub(header, "ServiceReferenceVariant", variant)
    holder = sub(root, "Body")
    holder.append(body)
    return bytes(etree.tostring(root, xml_declaration=True, encoding="UTF-8"))
