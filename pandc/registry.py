"""GBCS message codes: use case, title, service reference variants (pandc/data/message_codes.csv)."""
from __future__ import annotations

import csv
from dataclasses import dataclass
from importlib import resources


@dataclass(frozen=True, slots=True)
class MessageCodeInfo:
    code: int
    use_case: str
    title: str
    service_reference_variants: tuple[str, ...]
    response_date_time_mandatory: bool      # SECMP0015: the GPF must stamp these responses
    superseded_by: int | None = None

    @property
    def service_reference_variant(self) -> str | None:
        """The SRV when the code maps to exactly one, else None (the DUIS request tells)."""
        variants = self.service_reference_variants
        return variants[0] if len(variants) == 1 else None


def _load() -> dict[int, MessageCodeInfo]:
    table: dict[int, MessageCodeInfo] = {}
    text = resources.files("pandc").joinpath("data/message_codes.csv").read_text(encoding="utf-8")
    for row in csv.DictReader(text.splitlines()):
        code = int(row["message_code"], 16)
        table[code] = MessageCodeInfo(
            code=code,
            use_case=row["use_case"],
            title=row["title"],
            service_reference_variants=tuple(v for v in row["srv"].split(";") if v),
            response_date_time_mandatory=row["response_datetime_mandatory"].strip().upper() == "Y",
            superseded_by=int(row["superseded_by"], 16) if row["superseded_by"] else None,
        )
    return table


MESSAGE_CODES: dict[int, MessageCodeInfo] = _load()
BY_USE_CASE: dict[str, MessageCodeInfo] = {info.use_case: info for info in MESSAGE_CODES.values()}


def lookup(code: int) -> MessageCodeInfo | None:
    return MESSAGE_CODES.get(code)
