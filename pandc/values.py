"""Typed value trees: what use cases, DUIS requests and DUIS responses decode into.

A :class:`Node` is a named element with attributes and either children or one typed leaf
value (int, Decimal, str, bool, datetime, date, time, bytes). Nodes hold no XML: the MMC
renderer (``pandc.mmc``) writes a tree as XML elements, and the JSON Lines sink writes the
same tree by :func:`to_json`, so that both render each leaf by :func:`text`.

The JSON rule (the xmltodict convention, namespaces dropped): an element is a key with its
local name; an element with only text is that text; one with children or attributes is an
object, attributes as ``@name`` keys and its text as ``#text``; an empty element is
``None``; repeated sibling elements become a list (an element that occurs once never is).
"""
from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, datetime, time
from decimal import Decimal
from typing import Union

from .codec.dates import format_date_time
from .codec.fastdata import fast_init, reduce_by_fields

Scalar = Union[int, Decimal, str, bool, datetime, date, time, bytes]
JsonValue = Union[None, str, dict[str, "JsonValue"], list["JsonValue"]]


@fast_init
@dataclass(frozen=True, slots=True)
class Node:
    """One element of a value tree: ``name``, ``attributes`` (name → value, in order), and
    either ``children`` or a leaf ``value`` (None for an empty element)."""

    __reduce__ = reduce_by_fields   # see pandc.codec.fastdata

    name: str
    value: Scalar | None = None
    children: tuple["Node", ...] = ()
    attributes: tuple[tuple[str, Scalar], ...] = ()

    def __post_init__(self) -> None:
        if self.value is not None and self.children:
            raise ValueError(f"node {self.name!r} has both a value and children")

    def child(self, name: str) -> "Node | None":
        """The first child called ``name``, or None."""
        for node in self.children:
            if node.name == name:
                return node
        return None

    def find(self, path: str) -> "Node | None":
        """The node at a '/'-separated path of child names below this one, or None."""
        node: Node | None = self
        for name in path.split("/"):
            if node is None:
                return None
            node = node.child(name)
        return node

    def attribute(self, name: str) -> Scalar | None:
        for key, value in self.attributes:
            if key == name:
                return value
        return None

    def walk(self) -> Iterator["Node"]:
        """This node and every node below it, depth first, without recursion."""
        stack = [self]
        while stack:
            node = stack.pop()
            yield node
            stack.extend(reversed(node.children))


def node(name: str, *children: "Node | None", **attributes: Scalar | None) -> Node:
    """An element with children (None children and None attributes are left out)."""
    return Node(name, None, tuple(c for c in children if c is not None),
                tuple((k, v) for k, v in attributes.items() if v is not None))


def leaf(name: str, value: Scalar | None, **attributes: Scalar | None) -> Node:
    """An element with one typed value."""
    return Node(name, value, (), tuple((k, v) for k, v in attributes.items() if v is not None))


def decimal_text(value: Decimal) -> str:
    """xs:decimal text: plain notation, no exponent, no trailing fractional zeros."""
    text = format(value, "f")
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return "0" if text in ("-0", "") else text


def text(value: Scalar) -> str:
    """A leaf or attribute value as MMC and DUIS write it (and the JSON rule copies)."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, str):
        return value
    if isinstance(value, int):
        return str(value)
    if isinstance(value, Decimal):
        return decimal_text(value)
    if isinstance(value, datetime):
        return format_date_time(value)
    if isinstance(value, (date, time)):
        return value.isoformat()
    if isinstance(value, bytes):
        return value.hex().upper()          # xs:hexBinary, as MMC carries octet values
    raise TypeError(f"not a value-tree scalar: {type(value).__name__}")


def to_json(root: Node) -> dict[str, JsonValue]:
    """``{root.name: ...}`` by the JSON rule above, without recursion."""
    result: dict[str, JsonValue] = {}
    # (node, container dict to place it in)
    stack: list[tuple[Node, dict[str, JsonValue]]] = [(root, result)]
    while stack:
        current, into = stack.pop()
        if not current.children and not current.attributes:
            converted: JsonValue = None if current.value is None else text(current.value)
            _place(into, current.name, converted)
            continue
        obj: dict[str, JsonValue] = {f"@{k}": text(v) for k, v in current.attributes}
        if current.value is not None:
            obj["#text"] = text(current.value)
        _place(into, current.name, obj)
        stack.extend((child, obj) for child in reversed(current.children))
    return result


def _place(into: dict[str, JsonValue], key: str, value: JsonValue) -> None:
    if key not in into:
        into[key] = value
        return
    existing = into[key]
    # Leaves are text, None or objects: a list here can only come from repetition.
    if isinstance(existing, list):
        existing.append(value)
    else:
        into[key] = [existing, value]


class Builder:
    """A mutable element under construction, for decoders that fill a tree in document
    order; :meth:`build` freezes it into a :class:`Node`."""

    __slots__ = ("name", "value", "attributes", "children")

    def __init__(self, name: str, value: Scalar | None = None, **attributes: Scalar | None) -> None:
        self.name = name
        self.value = value
        # Most elements have no attributes: skip the filtering comprehension for them.
        self.attributes = {k: v for k, v in attributes.items() if v is not None} if attributes else {}
        self.children: list[Builder | Node] = []

    def add(self, name: str, value: Scalar | None = None, **attributes: Scalar | None) -> "Builder":
        """Append a child element and return it."""
        child = Builder(name, value, **attributes)
        self.children.append(child)
        return child

    def append(self, child: "Node | Builder") -> None:
        self.children.append(child)

    def set(self, name: str, value: Scalar) -> None:
        self.attributes[name] = value

    def build(self) -> Node:
        # Decoders build shallow trees (a few levels), so recursion depth is bounded by code.
        children = self.children
        return Node(self.name, self.value,
                    tuple([c.build() if isinstance(c, Builder) else c for c in children])
                    if children else (),
                    tuple(self.attributes.items()) if self.attributes else ())
