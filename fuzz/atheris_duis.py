#!/usr/bin/env python3
"""atheris target: DUIS parsing, pandc.decode_duis and pandc.iter_decode over a DUIS file
object. Both must yield the same results, one per GBCSPayload, each a Message or DecodeError."""
import io

import harness
from harness import pandc


def _summary(results):
    return [(type(r).__name__, getattr(r, "message_code", None)) for r in results]


def body(data: bytes) -> None:
    try:
        listed = pandc.decode_duis(data)
    except pandc.PandcError:
        listed = None
    # iter_decode also yields the DUIS responses that carry no GBCS message; decode_duis does not
    everything = list(pandc.iter_decode(io.BytesIO(data)))
    for result in everything:
        if not isinstance(result, (pandc.Message, pandc.DecodeError, pandc.DuisResponse)):
            raise AssertionError(f"iter_decode gave a {type(result).__name__}")
    streamed = [r for r in everything if not isinstance(r, pandc.DuisResponse)]
    for result in listed or ():
        if not isinstance(result, (pandc.Message, pandc.DecodeError)):
            raise AssertionError(f"decode_duis gave a {type(result).__name__}")
    if listed is not None and data.lstrip()[:1] == b"<" and _summary(listed) != _summary(streamed):
        raise AssertionError(f"decode_duis {_summary(listed)} != iter_decode {_summary(streamed)}")


if __name__ == "__main__":
    harness.run(body, recursion_limit=400)
