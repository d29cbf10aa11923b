#!/usr/bin/env python3
"""atheris target: pandc.decode then pandc.to_mmc; whatever to_mmc renders must be
well-formed XML (checked with the hardened parser)."""
from lxml import etree

import harness
from harness import pandc
from pandc.hardened_xml import hardened_parser


def body(data: bytes) -> None:
    message = pandc.decode(data)
    document = pandc.to_mmc(message)
    etree.fromstring(document, hardened_parser())   # XMLSyntaxError here is a finding


if __name__ == "__main__":
    harness.run(body)
