"""Findings of the fuzzing campaign and the hostile-input work, one minimal reproducer each.

A finding that is not fixed yet is marked xfail(strict=True) with the finding's name: the day
it is fixed the test passes, strict xfail turns that into a failure, and whoever fixed it
removes the mark. The expected behaviour is the project's rule: a result or a PandcError
naming the offset, never RecursionError, MemoryError or a hang.
"""
from __future__ import annotations

import pytest

import pandc
from pandc.codec import dlms, zcl
from pandc.testing import build_message

ECS17B = 0x0027   # Read Instantaneous Import Registers (electricity): DLMS Access-Response


def nested_dlms_structures(depth: int) -> bytes:
    """A DLMS Access-Response whose one Data value is ``depth`` structures of one element
    each (02 01 ... 02 01 00): well-formed A-XDR, nested far past any GBCS use."""
    data = b"\x02\x01" * depth + b"\x00"
    #       tag  invoke-id        no date-time, no request spec, 1 data, ..., 1 result: get ok
    return b"\xDA" + b"\x00\x00\x00\x01" + b"\x00" + b"\x00" + b"\x01" + data + b"\x01\x01\x00"


def decode_or_error(data: bytes) -> pandc.Message | pandc.PandcError:
    try:
        return pandc.decode(data)
    except pandc.PandcError as error:
        return error


def test_f1_deeply_nested_dlms_data_is_a_limit_not_a_recursion_error():
    message = build_message(message_code=ECS17B, payload=nested_dlms_structures(5000))
    result = decode_or_error(message)
    if isinstance(result, pandc.Message):
        # Decoded as far as the limits allow: what was not decoded must be said.
        assert result.warnings
    else:
        assert result.offset is not None


def test_f1_dlms_reader_refuses_nesting_past_the_depth_limit():
    with pytest.raises(pandc.DecodeError) as caught:
        dlms.decode_all(b"\x02\x01" * 5000 + b"\x00")
    assert caught.value.offset is not None


def test_f2_zcl_reader_refuses_nesting_past_the_depth_limit():
    # ZCL structure (0x4C): 2-byte little-endian element count, then (type, value) pairs.
    nested = b"\x01\x00\x4C" * 5000 + b"\x01\x00\x10\x01"   # ... innermost: one boolean
    with pytest.raises(pandc.DecodeError) as caught:
        zcl.decode_value(nested, 0, 0x4C)
    assert caught.value.offset is not None


def test_f3_validate_builds_no_more_errors_than_it_reports(monkeypatch):
    # Counted, not timed: the work is the number of validation errors xmlschema builds (each
    # costs O(children)); a validate that stops at MAX_ERRORS, or refuses such a document
    # first, builds at most MAX_ERRORS + 1 of them, whatever the number of children.
    from xmlschema.validators import exceptions
    from pandc.mmc.validation import MAX_ERRORS
    built = []
    original = exceptions.XMLSchemaValidationError.__init__

    def counting(self, *args, **kwargs):
        built.append(1)
        original(self, *args, **kwargs)

    monkeypatch.setattr(exceptions.XMLSchemaValidationError, "__init__", counting)
    sr = "http://www.dccinterface.co.uk/ServiceUserGateway"
    document = (f'<sr:Response xmlns:sr="{sr}" schemaVersion="5.4"><sr:Body><sr:ResponseMessage>'
                + "<sr:X/>" * 5000 + "</sr:ResponseMessage></sr:Body></sr:Response>")
    report = pandc.validate(document, schema="duis")
    assert not report.valid and report.errors
    assert len(built) <= MAX_ERRORS + 1, f"{len(built)} validation errors built"


# Found by the atheris campaign (atheris_decode_keys, 1.4M executions; 112 bytes): a GCS13a
# response whose Metering UnitOfMeasure (0x0300) attribute comes with a string ZCL type, so the
# value is bytes and the warning's f"{unit:02X}" raises TypeError. No keys are needed.
F8_MESSAGE = bytes.fromhex(
    "dd000000000000681100000000df090200000000000003e80800db1234567890a30890b3d51f300100000c"
    "07ea0b1701061e00008000040200742801090101070200200800010000002539300000000000030008010103"
    "002201000002030022e8030000000000000000000000000000")


def test_f8_a_unit_of_measure_of_the_wrong_zcl_type_is_a_warning():
    result = decode_or_error(F8_MESSAGE)
    if isinstance(result, pandc.Message):
        # the GBZ walker names the attribute (Metering 0x0300, UnitOfMeasure) and leaves it out
        assert any("0x0300" in warning for warning in result.warnings)


# --- fixed findings (regression tests) ------------------------------------------------------

# Finding F11 (campaign 3, atheris_to_mmc, 143 bytes): a GCS21a response whose
# CalorificValueTrailingDigit (Price 0x0306) came as a uint48, so Decimal.scaleb got an exponent
# out of its range and raised decimal.InvalidOperation out of pandc.decode.
F11_MESSAGE = bytes.fromhex(
    "dd0000000000008186110000008fdf090200000000000003eb0800db1234567890a10890b3d51f3001000000"
    "02007b52010902000700002208000106030025000503be30010403002337020000030300180102030023240000"
    "000107020023080101130b00210109120b00210100110b003001b70b0021c800eaf43fea0afe21100e00db7cc6"
    "1c86256d9224404046")


def test_fixed_f11_a_trailing_digit_of_the_wrong_zcl_type_is_a_warning():
    message = pandc.decode(F11_MESSAGE)
    assert message.use_case == "GCS21a"
    assert any("trailing-digit attribute 0x0306 is uint48, not map8" in w for w in message.warnings)
    pandc.to_mmc(message)

# Finding F4 (fixed in pandc/io/duis.py: elements inside one Response were emptied but never
# dropped, 3M elements cost 405 MB) is tested with a measured RSS in
# test_hostile_xml.py::test_many_small_elements_stream_in_flat_memory.


def test_fixed_oversized_text_payload_is_a_limit_error_at_offset_zero():
    # Finding F5 (fixed in pandc/codec/text.py): base64/hex text past the message limit was
    # walked character by character and had no size limit.
    text = "3" + "A" * (3 << 20)
    with pytest.raises(pandc.LimitError) as caught:
        pandc.decode(text)
    assert caught.value.offset == 0
    with pytest.raises(pandc.LimitError):
        pandc.decode(b"\xDD" + bytes(2 << 20))


def test_fixed_validate_refuses_an_oversized_document_without_reading_it(tmp_path):
    # Finding F6 (fixed in pandc/mmc/validation.py): validate read any document into memory.
    from pandc.hardened_xml import MAX_DOCUMENT_BYTES
    path = tmp_path / "big.xml"
    with open(path, "wb") as stream:
        stream.truncate(MAX_DOCUMENT_BYTES + 1)     # sparse: nothing is really written
    report = pandc.validate(path=path)
    assert not report.valid
    assert "limit for validation" in report.errors[0].message


def test_fixed_f9_a_billing_time_second_out_of_range_is_a_decode_problem_not_a_value_error():
    # Finding F9 (the CI fuzzing pass, atheris_decode): an ECS billing calendar whose
    # execution time has second 0x40 made usecases/cosem.py build time(…, 64) (ValueError).
    import base64
    data = base64.b64decode("3QAAAAAAAFARAAAAAN8JAgAAAAAAAAPpCADbEjRWeJCgCJCz1R8wAQAAAAIAPhzaIAAD6QAA"
                            "AQEBAgIJBAwAQAAJBf///wH/AQEAACzDjD4tPhiXbFArVA==")
    result = decode_or_error(data)
    if isinstance(result, pandc.Message):
        assert result.values is None and any("values not decoded" in w for w in result.warnings)


def test_fixed_f10_a_cosem_date_time_whose_deviation_leaves_the_calendar():
    # 9999-12-31 23:59:59 with deviation +720 minutes: UTC falls past year 9999.
    octets = bytes.fromhex("270F0C1FFF173B3B00" "02D0" "00")
    with pytest.raises(pandc.DecodeError):
        dlms.date_time(octets)
