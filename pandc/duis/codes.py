"""DUIS ResponseCodes and what they mean.

The code list is the ``sr:ResponseCode`` enumeration of DUIS V5.4 (held once, in
``pandc.responsecodes.DUIS_V54_RESPONSE_CODES``) plus the MP169 Restricted code (E72 by
default, see ``pandc.responsecodes``). The V5.4 XSD enumerates the codes but documents none
of them, so the meanings come from two places, each entry saying which:

- ``GENERIC_MEANINGS``: the generic codes whose text is in the DUIS response code table
  ("DCC Systems Response Codes"), written here in pandc's own words from the table as
  reproduced at https://iananthony3000.wixsite.com/smets2reference-1/copy-of-esme-sr-list
  (a third-party copy; pandc holds no DUIS document to check it against);
- the structure of the code itself for the rest: a six-digit code ``Ennmmxx`` / ``Wnnmmxx``
  is error / warning ``xx`` specific to SRV ``nn.mm`` (E080201 is an SRV 8.2 error), and its
  prose lives in that SRV's section of DUIS, which pandc does not hold. Such meanings say so
  rather than guess.

Searched again for the rest (issue 13, 2026-11-25; pandc's search tool, corpora docs, pages,
code and issues: "DCC Systems Response Codes", the E31-E71 codes, "Failed Validation",
SRV-specific codes such as E080201 and E120101): the only copy of the table found is the
third-party one above, which stops at E30; a DUIS V3.1 draft is held (scribd.com,
"CON_U1_2_DUIS_31") but not the pages of its response code tables. So E31-E71, E100,
E1000-E1011 and every SRV-specific code keep the generic meaning built from the code, and a
test checks none of them was given invented prose.
"""
from __future__ import annotations

from dataclasses import dataclass

from ..responsecodes import (DUIS_V54_RESPONSE_CODES, RESTRICTED_RESPONSE_CODE_DESCRIPTION,
                             restricted_response_code)

# code → meaning, from the DUIS response code table (DUIS section 3.5), paraphrased.
GENERIC_MEANINGS: dict[str, str] = {
    "I0": "success: the request had a successful outcome",
    "I99": "acknowledgement: the request passed access control and was accepted for sending "
           "to the device (or a non-device request succeeded with no data to return)",
    "E1": "authorisation failed: the User / User Role is not a valid SEC Party / User Role",
    "E2": "authorisation failed: the User Role may not send this Service Reference",
    "E3": "authorisation failed: the User's status does not permit this Service Reference",
    "E4": "authorisation failed: the User Role is not authorised for the device at the "
          "requested date and time",
    "E5": "authorisation failed: the device's SMI status is incompatible with the Service "
          "Reference",
    "E11": "validation failed: the Service Reference does not apply to this device type",
    "E12": "validation failed: the Command Variant does not apply to this request",
    "E13": "validation failed: the request type is not valid for the URL it was sent to",
    "E17": "authorisation failed: the request is not available for local delivery for this "
           "User Role and device status",
    "E19": "authorisation failed: the device does not exist (device ID invalid)",
    "E20": "communications failure: the DCC cannot establish communications with the device",
    "E21": "communications failure: no response from the device to an on-demand or "
           "future-dated command",
    "E30": "time-out of a future-dated command",
}

_KIND_BY_PREFIX = {"I": "information", "E": "error", "W": "warning"}


@dataclass(frozen=True, slots=True)
class ResponseCode:
    """A DUIS ResponseCode: ``code`` as found, ``meaning`` in words, ``kind`` information /
    error / warning, ``known`` False for a code DUIS V5.4 (and MP169) does not define."""

    code: str
    meaning: str
    kind: str
    known: bool

    @property
    def success(self) -> bool:
        return self.code == "I0"

    @property
    def acknowledgement(self) -> bool:
        return self.code == "I99"

    def __str__(self) -> str:
        return self.code


def _structured_meaning(code: str) -> str | None:
    kind = _KIND_BY_PREFIX.get(code[:1])
    digits = code[1:]
    if kind is None or not digits.isdigit():
        return None
    if len(digits) == 6:
        srv = f"{int(digits[0:2])}.{int(digits[2:4])}"
        return (f"{kind} {digits[4:6]} specific to SRV {srv} (its text is in the SRV {srv} "
                "section of DUIS; the V5.4 XSD does not document it)")
    return (f"generic DUIS {kind} {code} (its text is in the DUIS response code table; the "
            "V5.4 XSD does not document it)")


def response_code(code: str, duis_version: str | None = None) -> ResponseCode:
    """The ResponseCode for a code as found in a document (surrounding blanks ignored)."""
    code = code.strip()
    kind = _KIND_BY_PREFIX.get(code[:1], "unknown")
    if code == restricted_response_code(duis_version):
        return ResponseCode(code, RESTRICTED_RESPONSE_CODE_DESCRIPTION, "error", True)
    known = code in _V54
    meaning = GENERIC_MEANINGS.get(code) or (_structured_meaning(code) if known else None)
    if meaning is None:
        meaning = "not a DUIS V5.4 response code"
    return ResponseCode(code, meaning, kind, known)


_V54 = frozenset(DUIS_V54_RESPONSE_CODES)


def response_code_table(duis_version: str | None = None) -> tuple[ResponseCode, ...]:
    """Every code pandc knows, in schema order, the Restricted code last."""
    codes = list(DUIS_V54_RESPONSE_CODES)
    restricted = restricted_response_code(duis_version)
    if restricted not in _V54:
        codes.append(restricted)
    return tuple(response_code(code, duis_version) for code in codes)
