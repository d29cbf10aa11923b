#!/usr/bin/env python3
"""atheris target: pandc.validate on arbitrary bytes, against the MMC and DUIS profiles.
A ValidationReport must come back (valid or not) and an invalid one must say why."""
import atheris

# Validation is mostly xmlschema's and elementpath's code: instrument them too, so coverage
# guides the fuzzer through the schema checks and not only pandc's wrapper.
with atheris.instrument_imports(include=["xmlschema", "elementpath"]):
    import xmlschema  # noqa: F401

import harness
from harness import pandc


def body(data: bytes) -> None:
    for schema in ("mmc", "duis"):
        report = pandc.validate(data, schema=schema)
        if not isinstance(report, pandc.ValidationReport):
            raise AssertionError(f"validate returned {type(report).__name__}")
        if not report.valid and not report.errors:
            raise AssertionError("an invalid report that names no error")


if __name__ == "__main__":
    harness.run(body, recursion_limit=400)
