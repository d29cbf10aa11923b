"""pandc.codec.fastdata: the faster __init__ and __reduce__ of the result dataclasses keep
the dataclass contract (signature, defaults, __post_init__ checks, frozen, equality)."""
from __future__ import annotations

import dataclasses
import inspect
import pickle

import pytest

from pandc.codec.fastdata import fast_init, reduce_by_fields
from pandc.codec.frame import Frame, Layout
from pandc.codec.parts import PayloadPart
from pandc.message import DuisContext, Message
from pandc.security.verification import Verification
from pandc.usecases.base import Failure
from pandc.values import Node


@dataclasses.dataclass(frozen=True, slots=True)
class _Plain:
    a: int
    b: str = "x"
    c: tuple[int, ...] = ()

    def __post_init__(self) -> None:
        if self.a < 0:
            raise ValueError("negative")


@fast_init
@dataclasses.dataclass(frozen=True, slots=True)
class _Fast:
    a: int
    b: str = "x"
    c: tuple[int, ...] = ()

    __reduce__ = reduce_by_fields

    def __post_init__(self) -> None:
        if self.a < 0:
            raise ValueError("negative")


def test_same_signature_defaults_checks_and_frozenness():
    assert str(inspect.signature(_Fast)) == str(inspect.signature(_Plain))
    for args, kwargs in (((1,), {}), ((1, "y"), {}), ((), {"a": 2, "c": (3,)}), ((4,), {"b": "z"})):
        fast, plain = _Fast(*args, **kwargs), _Plain(*args, **kwargs)
        assert (fast.a, fast.b, fast.c) == (plain.a, plain.b, plain.c)
        assert pickle.loads(pickle.dumps(fast)) == fast
        assert dataclasses.replace(fast, b="w").b == "w"
    with pytest.raises(ValueError):
        _Fast(-1)
    with pytest.raises(TypeError):
        _Fast()                                    # a is required, as with the dataclass
    with pytest.raises(dataclasses.FrozenInstanceError):
        _Fast(1).a = 2                             # type: ignore[misc]


@pytest.mark.parametrize("cls", [Node, Layout, Frame, PayloadPart, Verification, Failure,
                                 DuisContext, Message])
def test_result_classes_keep_their_dataclass_signature(cls):
    expected = [(f.name, f.default) for f in dataclasses.fields(cls)]
    parameters = list(inspect.signature(cls).parameters.values())
    assert [(p.name, dataclasses.MISSING if p.default is inspect.Parameter.empty else p.default)
            for p in parameters] == expected


def test_node_still_refuses_a_value_with_children():
    with pytest.raises(ValueError):
        Node("a", 1, (Node("b"),))


def test_default_factories_are_refused():
    @dataclasses.dataclass(frozen=True, slots=True)
    class WithFactory:
        items: list[int] = dataclasses.field(default_factory=list)

    with pytest.raises(TypeError):
        fast_init(WithFactory)
