"""Fast pickling for the frozen, slotted dataclasses that decoded results are made of.

A dataclass with ``slots=True`` pickles through the generated ``__getstate__`` /
``__setstate__``, which call ``dataclasses.fields()`` for every object, both ways: about 10
microseconds an object, a hundred or more a message. Results travel between worker processes
(``pandc.workers``), so each of these classes uses :func:`reduce_by_fields` instead: the class
and its field values in ``__init__`` order (the constructor runs again on load, checks and all).
"""
from __future__ import annotations

from collections.abc import Callable
from dataclasses import fields
from operator import attrgetter
from typing import Any

_VALUES: dict[type, Callable[[Any], tuple[Any, ...]]] = {}


def reduce_by_fields(self: Any) -> tuple[type, tuple[Any, ...]]:
    """``__reduce__`` for a dataclass whose fields are all positional ``__init__`` parameters."""
    cls = type(self)
    values = _VALUES.get(cls)
    if values is None:
        found = fields(cls)
        if any(not field.init or field.kw_only for field in found):
            raise TypeError(f"{cls.__name__}: every field must be a positional __init__ parameter")
        names = [field.name for field in found]
        # attrgetter of two or more names gives a tuple; of one, the bare value
        values = _VALUES[cls] = (attrgetter(*names) if len(names) > 1
                                 else lambda item: (getattr(item, names[0]),))
    return cls, values(self)
