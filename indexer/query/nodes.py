"""The syntax tree of a parsed query: small frozen dataclasses, and `NodeVisitor`, the
base of every walk over them (one `visit_<node>` method per node type).

Every node records `pos`, the 0-based character position where its syntax
starts in the query (the field prefix, the quote, the `-`...), so later stages
can point at it in messages. Fields are already resolved to the index's field
names (`indexer.store.schema`: title, body, source, url, id, date) and pushed down
from groups onto the leaves: `title:(a OR b)` parses as `OR(title:a, title:b)`.
`field=None` means "title or body".
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime
from typing import Generic, TypeVar

from indexer.store.schema import ID, SOURCE, STEM_FIELDS, URL

TEXT_FIELDS = frozenset(STEM_FIELDS)
"""Fields searched through the analyzer (stemmed or exact forms)."""

ID_FIELDS = frozenset({SOURCE, URL, ID})
"""Fields holding one literal value per document (no analysis)."""


@dataclass(frozen=True)
class Word:
    """One word. `exact` (from `=word`) searches the exact form, no stemming.

    In an ID field (`source:`, `url:`, `id:`) `text` is the literal value.
    """

    text: str
    field: str | None = None
    exact: bool = False
    pos: int = 0


@dataclass(frozen=True)
class Phrase:
    """Quoted words. `slop=None`: adjacent and in order. `slop=N` (`"a b"~N`):
    all the words, in any order, inside a window holding at most N other words."""

    words: tuple[str, ...]
    field: str | None = None
    slop: int | None = None
    exact: bool = False
    pos: int = 0


@dataclass(frozen=True)
class Prefix:
    """`word*`: exact forms starting with `prefix`."""

    prefix: str
    field: str | None = None
    pos: int = 0


@dataclass(frozen=True)
class Wildcard:
    """`wo?d*`: exact forms matching the glob (`*` any run, `?` one character)."""

    pattern: str
    field: str | None = None
    pos: int = 0


@dataclass(frozen=True)
class Fuzzy:
    """`word~`, `word~1`, `word~2`: exact forms within `maxdist` edits."""

    text: str
    maxdist: int
    field: str | None = None
    pos: int = 0


NearOperand = Word | Phrase | Prefix | Wildcard | Fuzzy


@dataclass(frozen=True)
class Near:
    """`a NEAR/N b` (either order) or `a ONEAR/N b` (a first): at most
    `distance` words between the two, in the same field. Both operands carry
    the same `field` as the Near itself."""

    left: NearOperand
    right: NearOperand
    distance: int = 10
    ordered: bool = False
    field: str | None = None
    pos: int = 0


@dataclass(frozen=True)
class DateRange:
    """A date filter; `start` and `end` are inclusive, `None` is open.

    `spec` is the text as typed after `date:` (for messages and explain)."""

    start: datetime | None
    end: datetime | None
    spec: str
    pos: int = 0


@dataclass(frozen=True)
class And:
    """All children. `implicit=True` for juxtaposed terms (`a b`): the builder's
    `mode` decides whether that means AND ("all") or OR ("any")."""

    children: tuple[Node, ...]
    implicit: bool = False
    pos: int = 0


@dataclass(frozen=True)
class Or:
    """Any child."""

    children: tuple[Node, ...]
    pos: int = 0


@dataclass(frozen=True)
class Not:
    """Exclude documents matching `child` (`NOT x`, `-x`, `ليس x`)."""

    child: Node
    pos: int = 0


@dataclass(frozen=True)
class Required:
    """`+x`: required even when the builder's mode is "any"."""

    child: Node
    pos: int = 0


Node = Word | Phrase | Prefix | Wildcard | Fuzzy | Near | DateRange | And | Or | Not | Required


T = TypeVar("T")


class NodeVisitor(Generic[T]):
    """One concern over the syntax tree, one method per node type.

    `visit(node)` calls `visit_<type>` for the node's class in snake case
    (`visit_word`, `visit_phrase`, `visit_date_range`, ...) and returns what it returns.
    A visitor without a method for a node's type raises `TypeError`: a new node type
    fails loudly in every concern that has not said what it means there. Visitors
    recurse themselves (`self.visit(child)`), so each decides what its children mean.
    """

    def visit(self, node: Node) -> T:
        method = getattr(self, _visit_method(type(node)), None)
        if method is None:
            raise TypeError(f"{type(self).__name__} has no rule for {type(node).__name__} nodes: {node!r}")
        return method(node)  # type: ignore[no-any-return]


_METHOD_NAMES: dict[type, str] = {}


def _visit_method(kind: type) -> str:
    """`visit_` and the class name in snake case (`DateRange` -> `visit_date_range`)."""
    name = _METHOD_NAMES.get(kind)
    if name is None:
        name = _METHOD_NAMES[kind] = "visit_" + re.sub(r"(?<!^)(?=[A-Z])", "_", kind.__name__).lower()
    return name
