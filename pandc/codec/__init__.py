"""The codec layer: GBCS bytes in, plain decoded structures out; nothing above it is imported.

- ``header``: the grouping-header decoder (the C core ``_cheader`` or its twin ``_pyheader``);
- ``ber``: the one length reader; ``dates``: date-times, time status and their one formatter;
- ``parts``: a payload split into GBZ components, DLMS APDUs or ASN.1;
- ``zcl``, ``dlms``, ``asn1``: readers of those encodings, with depth, count and size limits;
- ``text``: hex and base64 input.
"""
