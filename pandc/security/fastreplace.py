"""dataclasses.replace without its per-field bookkeeping, for the frozen slotted records
(Message, PayloadPart) the security layer rebuilds once per message in a batch."""
from __future__ import annotations

import dataclasses
import operator
from typing import Any, Callable, TypeVar

T = TypeVar("T")
_Plan = tuple[Callable[[Any], tuple[Any, ...]], dict[str, int], tuple[Callable[[Any, Any], None], ...]]
_PLANS: dict[type, _Plan | None] = {}


def _plan(cls: type) -> _Plan | None:
    fields = dataclasses.fields(cls)
    # Only plain records qualify: every field set by __init__, nothing run after it, slots
    # to write to. Anything else takes dataclasses.replace.
    if (not all(f.init for f in fields) or hasattr(cls, "__post_init__")
            or "__slots__" not in cls.__dict__):
        return None
    names = tuple(f.name for f in fields)
    setters = tuple(cls.__dict__[name].__set__ for name in names)
    return operator.attrgetter(*names), {name: i for i, name in enumerate(names)}, setters


def replace(record: T, **changes: Any) -> T:
    """A copy of ``record`` with ``changes``, as dataclasses.replace would make it."""
    cls = type(record)
    try:
        plan = _PLANS[cls]
    except KeyError:
        plan = _PLANS[cls] = _plan(cls)
    if plan is None:
        return dataclasses.replace(record, **changes)  # type: ignore[type-var]
    getter, index, setters = plan
    values = list(getter(record))
    for name, value in changes.items():
        values[index[name]] = value
    copy = object.__new__(cls)
    for setter, value in zip(setters, values):
        setter(copy, value)
    return copy
