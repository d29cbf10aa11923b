#!/usr/bin/env python3
"""atheris target: pandc.parse_request on arbitrary bytes (seeded with DUIS requests). The only
acceptable outcomes: a Request or a PandcError naming the element."""
import harness
from harness import pandc


def body(data: bytes) -> None:
    request = pandc.parse_request(data)
    if not isinstance(request, pandc.Request):
        raise AssertionError(f"parse_request gave a {type(request).__name__}")


if __name__ == "__main__":
    harness.run(body, recursion_limit=400)
