"""NodeVisitor: dispatch on the node's class, and a loud failure for a node type a
concern has no rule for."""

from __future__ import annotations

import typing
from dataclasses import dataclass

import pytest

from indexer.query import nodes
from indexer.query.build import _Planner
from indexer.query.explain import _Renderer
from indexer.query.forms import _SearchesText
from indexer.query.highlight import _Walker
from indexer.query.nodes import DateRange, NodeVisitor, Word
from indexer.query.unseen import _Resolver

#: Every visitor over whole trees: each must say what every node type means to it.
TREE_VISITORS = [_Planner, _Renderer, _SearchesText, _Walker, _Resolver]


class _Names(NodeVisitor[str]):
    def visit_word(self, node: Word) -> str:
        return f"word {node.text}"

    def visit_date_range(self, node: DateRange) -> str:
        return f"date {node.spec}"


def test_dispatch_on_the_node_class() -> None:
    assert _Names().visit(Word("نفط")) == "word نفط"
    assert _Names().visit(DateRange(None, None, "2015")) == "date 2015"


def test_a_node_without_a_rule_raises() -> None:
    with pytest.raises(TypeError, match="_Names has no rule for Phrase nodes"):
        _Names().visit(nodes.Phrase(("a", "b")))


def test_a_new_node_type_fails_until_it_has_a_rule() -> None:
    @dataclass(frozen=True)
    class Regex:
        pattern: str

    with pytest.raises(TypeError, match="no rule for Regex nodes"):
        _Names().visit(Regex("a.b"))  # type: ignore[arg-type]


@pytest.mark.parametrize("visitor", TREE_VISITORS, ids=lambda v: v.__name__)
@pytest.mark.parametrize("kind", typing.get_args(nodes.Node), ids=lambda k: k.__name__)
def test_every_tree_visitor_has_a_rule_for_every_node_type(visitor: type, kind: type) -> None:
    assert callable(getattr(visitor, nodes._visit_method(kind), None))
