"""SRV 12.1 Request WAN Matrix: the DSP's ``sr:DSPWANMatrix`` as typed coverage records.

DUIS V5.4 ``sr:DSPWANMatrix`` echoes the request (``sr:Request``, a ``RequestWANMatrix``:
a postcode, or a UPRN, ...) and holds one ``sr:DSPWANMatrixResponse`` per CSP region:
``CSPRegion``, ``CSPRegionResponseCode``, then optionally ``CoverageAvailability``,
``AnticipatedCoverageDate``, ``WANTechnology``, ``ConnectivityLikelihood``,
``AuxiliaryEquipmentRequired``, ``AdditionalInformation``.

DP146: an anticipated coverage date may be any date (any year; nothing assumes dates before
1 January 2021). pandc reads every date and flags, as warnings, the two things a User should
look at: coverage available *and* a date of anticipated coverage (contradictory), and a date
in the past (relative to ``today``, by default the response's date).
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from lxml import etree

from . import _xml as x
from .codes import ResponseCode, response_code
from ..values import Node, leaf, node

#: The earliest date DP146 says may appear; older dates are read but flagged.
DP146_EARLIEST = date(2021, 1, 1)


@dataclass(frozen=True, slots=True)
class CoverageRecord:
    """One ``sr:DSPWANMatrixResponse``: the answer for one CSP region."""

    region: str                              # CSPRegion
    response_code: ResponseCode              # CSPRegionResponseCode
    coverage_available: bool | None = None   # CoverageAvailability
    anticipated_coverage_date: date | None = None   # AnticipatedCoverageDate
    technology: str | None = None            # WANTechnology
    connectivity_likelihood: str | None = None      # ConnectivityLikelihood
    auxiliary_equipment: str | None = None   # AuxiliaryEquipmentRequired
    additional_information: str | None = None       # AdditionalInformation


@dataclass(frozen=True, slots=True)
class WanMatrix:
    """The body of an SRV 12.1 response: the echoed request and one record per region."""

    request: Node
    regions: tuple[CoverageRecord, ...]
    warnings: tuple[str, ...] = ()


_OPTIONAL = ("CoverageAvailability", "AnticipatedCoverageDate", "WANTechnology",
             "ConnectivityLikelihood", "AuxiliaryEquipmentRequired", "AdditionalInformation")


def read_region(element: etree._Element) -> CoverageRecord:
    items = x.children(element)
    names = [x.local(item.tag) for item in items]
    for item, name in zip(items, names):
        if item.tag != x.SR + name or name not in ("CSPRegion", "CSPRegionResponseCode") + _OPTIONAL:
            raise x.error_at(item, "not an element of sr:DSPWANMatrixResponse")
        if names.count(name) > 1:
            raise x.error_at(item, "occurs twice in one sr:DSPWANMatrixResponse")
    region = x.req_text(element, "CSPRegion")
    code = response_code(x.req_text(element, "CSPRegionResponseCode"))
    found = {name: item for item, name in zip(items, names)}
    if "CoverageAvailability" in found or any(n in found for n in _OPTIONAL[1:]):
        # DUIS: the coverage group is all-or-nothing: availability, technology and
        # likelihood are mandatory within it.
        for name in ("CoverageAvailability", "WANTechnology", "ConnectivityLikelihood"):
            if name not in found:
                raise x.error_at(element, f"missing sr:{name} (required with any coverage "
                                          "detail)")
    date_element = found.get("AnticipatedCoverageDate")
    return CoverageRecord(
        region, code,
        x.to_bool(found["CoverageAvailability"]) if "CoverageAvailability" in found else None,
        x.to_date(date_element) if date_element is not None else None,
        x.text(found["WANTechnology"]) if "WANTechnology" in found else None,
        x.text(found["ConnectivityLikelihood"]) if "ConnectivityLikelihood" in found else None,
        x.text(found["AuxiliaryEquipmentRequired"]) if "AuxiliaryEquipmentRequired" in found else None,
        x.text(found["AdditionalInformation"]) if "AdditionalInformation" in found else None)


def coverage_warnings(records: tuple[CoverageRecord, ...], today: date | None) -> list[str]:
    """DP146 checks: availability true with a date, a date before ``today``, a date before
    1 January 2021."""
    warnings = []
    for record in records:
        when = record.anticipated_coverage_date
        if when is None:
            continue
        if record.coverage_available:
            warnings.append(f"{record.region}: CoverageAvailability is true but an "
                            f"AnticipatedCoverageDate ({when.isoformat()}) is given")
        if today is not None and when < today:
            warnings.append(f"{record.region}: AnticipatedCoverageDate {when.isoformat()} is "
                            f"in the past (before {today.isoformat()})")
        elif when < DP146_EARLIEST:
            warnings.append(f"{record.region}: AnticipatedCoverageDate {when.isoformat()} is "
                            "before 1 January 2021")
    return warnings


def read_wan_matrix(element: etree._Element, today: date | None = None) -> WanMatrix:
    """An ``sr:DSPWANMatrix`` element; ``today`` is the date past dates are judged against."""
    from .generic import to_node
    request_element = x.required(element, "Request")
    records = []
    for item in x.children(element):
        if item is request_element:
            continue
        if item.tag != x.SR + "DSPWANMatrixResponse":
            raise x.error_at(item, "not an element of sr:DSPWANMatrix")
        records.append(read_region(item))
    if not records:
        raise x.error_at(element, "holds no sr:DSPWANMatrixResponse")
    regions = tuple(records)
    return WanMatrix(to_node(request_element), regions, tuple(coverage_warnings(regions, today)))


def wan_matrix_node(matrix: WanMatrix) -> Node:
    """The matrix as a value tree with the DUIS element names, in schema order."""
    regions = []
    for record in matrix.regions:
        regions.append(node(
            "DSPWANMatrixResponse", leaf("CSPRegion", record.region),
            leaf("CSPRegionResponseCode", record.response_code.code),
            None if record.coverage_available is None
            else leaf("CoverageAvailability", record.coverage_available),
            None if record.anticipated_coverage_date is None
            else leaf("AnticipatedCoverageDate", record.anticipated_coverage_date),
            None if record.technology is None else leaf("WANTechnology", record.technology),
            None if record.connectivity_likelihood is None
            else leaf("ConnectivityLikelihood", record.connectivity_likelihood),
            None if record.auxiliary_equipment is None
            else leaf("AuxiliaryEquipmentRequired", record.auxiliary_equipment),
            None if record.additional_information is None
            else leaf("AdditionalInformation", record.additional_information)))
    return node("DSPWANMatrix", Node("Request", None, matrix.request.children), *regions)
