#!/usr/bin/env python3
"""atheris target: pandc.correlate of every DUIS request in ../shared (parsed once) against
arbitrary pre-command bytes (seeded with GBCS messages); the last byte picks the request. The
only acceptable outcomes: a Correlation or a PandcError."""
import harness
from harness import pandc, shared_dir

_REQUESTS = [pandc.parse_request(path.read_bytes())
             for path in sorted((shared_dir() / "corpus" / "duis-requests").glob("*_REQUEST_DUIS.XML"))]


def body(data: bytes) -> None:
    if not data or not _REQUESTS:
        return
    request = _REQUESTS[data[-1] % len(_REQUESTS)]
    result = pandc.correlate(request, data)
    if not isinstance(result, pandc.Correlation):
        raise AssertionError(f"correlate gave a {type(result).__name__}")


if __name__ == "__main__":
    harness.run(body)
