"""Correlate ECS47 (Set or Reset HC ALCS or ALCS State) for all three DUIS requests:
7.5 ActivateAuxiliaryLoad, 7.6 DeactivateAuxiliaryLoad, 7.8 ResetAuxiliaryLoad.

../shared holds RTDS pairs for 7.6 and 7.8 only. The pre-commands here are built by hand from
the DLMS Access-Request layout (FACTS section 2 header; D9, long-invoke-id-and-priority
0x20 + counter, no date-time, the specification list, the data list); the builder is first
checked against the RTDS 7.6 pre-command byte for byte, then used for 7.5 with the two values
that differ: the duration object 0-0:94.44.117.1 and the script action 0x11 (as the public
RTDS 4.5.0 vector ECS47Activate_7.5_SUCCESS lays them out; it is not in ../shared).
"""
from __future__ import annotations

import pytest

from pandc.correlate import correlate

from conftest import RTDS, require

NS = "http://www.dccinterface.co.uk/ServiceUserGateway"
SUPPLIER, ESME = "90B3D51F30010000", "00DB1234567890A0"


def _obis(text: str) -> bytes:
    ab, cdef = text.split(":")
    return bytes(int(x) for x in ab.split("-") + cdef.split("."))


def _precommand(counter: int, index: int, action: int, duration: tuple[str, int] | None
                ) -> bytes:
    specs = []
    data = []
    if duration is not None:
        specs.append(b"\x02" + (1).to_bytes(2, "big") + _obis(duration[0]) + b"\x02")
        data.append(b"\x12" + duration[1].to_bytes(2, "big"))
    specs.append(b"\x03" + (9).to_bytes(2, "big") + _obis("0-0:10.0.103.255") + b"\x01")
    data.append(b"\x12" + bytes([index, action]))
    apdu = (b"\xD9" + (0x20000000 | counter).to_bytes(4, "big") + b"\x00"
            + bytes([len(specs)]) + b"".join(specs) + bytes([len(data)]) + b"".join(data))
    header = (b"\xDF\x09\x01" + counter.to_bytes(8, "big") + b"\x08" + bytes.fromhex(SUPPLIER)
              + b"\x08" + bytes.fromhex(ESME) + b"\x00\x02\x00\x55")
    return header + bytes([len(apdu)]) + apdu


def _request(element: str, child: str, srv: str, counter: int, index: int,
             duration: int | None) -> bytes:
    eui = lambda h: "-".join(h[i:i + 2] for i in range(0, 16, 2))  # noqa: E731
    inner = f"<sr:Duration>{duration}</sr:Duration>" if duration is not None else ""
    return f"""<sr:Request xmlns:sr="{NS}" schemaVersion="5.4"><sr:Header>
<sr:RequestID>{eui(SUPPLIER)}:{eui(ESME)}:{counter}</sr:RequestID>
<sr:CommandVariant>4</sr:CommandVariant><sr:ServiceReference>{srv}</sr:ServiceReference>
<sr:ServiceReferenceVariant>{srv}</sr:ServiceReferenceVariant></sr:Header><sr:Body>
<sr:{element}><sr:{child} index="{index}">{inner}</sr:{child}></sr:{element}></sr:Body>
</sr:Request>""".encode()


@pytest.mark.parametrize("name,built", [
    ("7.6_ECS47Deactivate/ECS47Deactivate_7.6", (1001, 3, 0x12, ("0-0:94.44.119.2", 60))),
    ("7.8_ECS47Reset/ECS47Reset_7.8", (1002, 5, 0x20, None)),
])
def test_the_builder_gives_the_rtds_precommands(name, built):
    pre = RTDS / f"{name}_SUCCESS_PRECOMMAND_GBCS.HEX"
    require(pre)
    assert _precommand(*built) == bytes.fromhex(pre.read_text())


ACTIVATE = _precommand(1000, 1, 0x11, ("0-0:94.44.117.1", 30))


def _activate(index: int = 1, duration: int = 30, counter: int = 1000) -> bytes:
    return _request("ActivateAuxiliaryLoad", "ActivateALCSHCALCS", "7.5", counter, index,
                    duration)


def test_activate_correlates():
    result = correlate(_activate(), ACTIVATE)
    assert result.correlated, [str(m) for m in result.mismatches]
    assert result.use_case == "ECS47"


@pytest.mark.parametrize("kwargs,field", [
    ({"index": 2}, "ActivateALCSHCALCS/@index"),
    ({"index": 1, "duration": 31}, "ActivateALCSHCALCS/Duration"),
    ({"index": 1, "duration": 29}, "ActivateALCSHCALCS/Duration"),
])
def test_activate_changed_value_is_caught(kwargs, field):
    result = correlate(_activate(**kwargs), ACTIVATE)
    assert not result.correlated
    assert [m.field for m in result.mismatches] == [f"ActivateAuxiliaryLoad/{field}"]


def test_deactivate_request_against_an_activate_precommand_is_caught():
    """Same switch and duration, the other direction: the duration object and the script
    action differ (and 7.6 is still an SRV of ECS47, so only the payload can tell)."""
    request = _request("DeactivateAuxiliaryLoad", "DeactivateALCSHCALCS", "7.6", 1000, 1, 30)
    assert not correlate(request, ACTIVATE).correlated
    deactivate = _precommand(1000, 1, 0x12, ("0-0:94.44.119.2", 30))
    assert correlate(request, deactivate).correlated
    assert not correlate(_activate(), deactivate).correlated


def test_reset_correlates_and_carries_no_duration():
    request = _request("ResetAuxiliaryLoad", "ResetALCSHCALCS", "7.8", 1000, 4, None)
    assert correlate(request, _precommand(1000, 4, 0x20, None)).correlated
    assert not correlate(request, _precommand(1000, 4, 0x20, ("0-0:94.44.119.2", 0))).correlated


@pytest.mark.parametrize("offset", [10, 19, 28, 32])    # counter, originator, recipient, code
def test_activate_with_a_changed_header_is_caught(offset):
    damaged = bytearray(ACTIVATE)
    damaged[offset] ^= 0x01
    assert not correlate(_activate(), bytes(damaged)).correlated
