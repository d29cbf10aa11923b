"""Fast construction and pickling of the frozen, slotted dataclasses decoded results are made of.

A frozen dataclass's generated ``__init__`` stores each field with ``object.__setattr__``,
about a quarter of a microsecond a field: building a Message (26 fields), its Frame, Layout,
parts and a dozen value Nodes costs tens of microseconds a message. :func:`fast_init` gives
the class an ``__init__`` with the same signature and defaults that stores each field through
its slot descriptor directly (three times cheaper), then calls ``__post_init__`` as before.

A dataclass with ``slots=True`` pickles through the generated ``__getstate__`` /
``__setstate__``, which call ``dataclasses.fields()`` for every object, both ways: about 10
microseconds an object. Results travel between worker processes (``pandc.workers``), so these
classes use :func:`reduce_by_fields` instead: the class and its field values in ``__init__``
order (the constructor runs again on load, checks and all).
"""
from __future__ import annotations

from collections.abc import Callable
from dataclasses import MISSING, fields
from operator import attrgetter
from types import MemberDescriptorType
from typing import Any, TypeVar

T = TypeVar("T")

_VALUES: dict[type, Callable[[Any], tuple[Any, ...]]] = {}


def _positional_fields(cls: type) -> tuple[Any, ...]:
    found = fields(cls)
    if any(not field.init or field.kw_only or field.default_factory is not MISSING
           for field in found):
        raise TypeError(f"{cls.__name__}: every field must be a positional __init__ parameter "
                        "without a default factory")
    return found


def reduce_by_fields(self: Any) -> tuple[type, tuple[Any, ...]]:
    """``__reduce__`` for a dataclass whose fields are all positional ``__init__`` parameters."""
    cls = type(self)
    values = _VALUES.get(cls)
    if values is None:
        names = [field.name for field in _positional_fields(cls)]
        # attrgetter of two or more names gives a tuple; of one, the bare value
        values = _VALUES[cls] = (attrgetter(*names) if len(names) > 1
                                 else lambda item: (getattr(item, names[0]),))
    return cls, values(self)


def fast_init(cls: type[T]) -> type[T]:
    """Class decorator, above ``@dataclass(frozen=True, slots=True)``: the same ``__init__``
    (parameters, defaults, ``__post_init__``), storing fields through their slot descriptors."""
    found = _positional_fields(cls)
    namespace: dict[str, Any] = {}
    parameters, body = [], []
    for index, field in enumerate(found):
        slot = getattr(cls, field.name)
        if not isinstance(slot, MemberDescriptorType):
            raise TypeError(f"{cls.__name__}.{field.name} is not a slot")
        namespace[f"_set_{index}"] = slot.__set__
        if field.default is MISSING:
            parameters.append(field.name)
        else:
            namespace[f"_default_{index}"] = field.default
            parameters.append(f"{field.name}=_default_{index}")
        body.append(f"    _set_{index}(self, {field.name})")
    if hasattr(cls, "__post_init__"):
        body.append("    self.__post_init__()")
    # Field names are Python identifiers (dataclass checked them); nothing else is spliced in.
    source = f"def __init__(self, {', '.join(parameters)}):\n" + "\n".join(body) + "\n"
    exec(source, namespace)
    init = namespace["__init__"]
    init.__qualname__ = f"{cls.__qualname__}.__init__"
    init.__doc__ = getattr(cls.__init__, "__doc__", None)
    init.__annotations__ = dict(getattr(cls.__init__, "__annotations__", {}))
    setattr(cls, "__init__", init)
    return cls
