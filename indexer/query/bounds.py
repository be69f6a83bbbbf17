"""How much one query may ask of the index, checked before any of it is searched.

Every word costs a lookup per field and segment, and in mode "any" an unseen word becomes
a fuzzy expansion; a pasted page of text would cost seconds and hundreds of megabytes
for an answer nobody reads. A long question or a pasted headline fits many times over.
The terms that wildcards and fuzzy words stand for are bounded in `expansion`
(`MAX_EXPANDED_TERMS`), where they are looked up.
"""

from __future__ import annotations

from indexer.query.errors import QueryError
from indexer.query.nodes import (
    And,
    DateRange,
    Fuzzy,
    Near,
    Node,
    NodeVisitor,
    Not,
    Or,
    Phrase,
    Prefix,
    Required,
    Wildcard,
    Word,
)

#: The longest query searched, in characters.
MAX_QUERY_CHARS = 1_000
#: The most words (phrase words, patterns and fuzzy words included) one query may search.
MAX_QUERY_TERMS = 200


def check_length(query: str) -> None:
    """Raise `QueryError` at the first character past `MAX_QUERY_CHARS`."""
    if len(query) > MAX_QUERY_CHARS:
        raise QueryError(
            f"the query is {len(query):,} characters long; at most {MAX_QUERY_CHARS:,} are searched",
            MAX_QUERY_CHARS,
            query,
            hint="shorten it",
        )


def check_term_count(node: Node, query: str) -> None:
    """Raise `QueryError` at the first word past `MAX_QUERY_TERMS`."""
    positions = _TermPositions().visit(node)
    if len(positions) > MAX_QUERY_TERMS:
        raise QueryError(
            f"the query has {len(positions):,} words; at most {MAX_QUERY_TERMS} are searched",
            positions[MAX_QUERY_TERMS],
            query,
            hint="shorten it",
        )


class _TermPositions(NodeVisitor[list[int]]):
    """The query position of every searched word, in order (a phrase's words share one)."""

    def visit_word(self, node: Word) -> list[int]:
        return [node.pos]

    def visit_phrase(self, node: Phrase) -> list[int]:
        return [node.pos] * len(node.words)

    def visit_prefix(self, node: Prefix) -> list[int]:
        return [node.pos]

    def visit_wildcard(self, node: Wildcard) -> list[int]:
        return [node.pos]

    def visit_fuzzy(self, node: Fuzzy) -> list[int]:
        return [node.pos]

    def visit_near(self, node: Near) -> list[int]:
        return self.visit(node.left) + self.visit(node.right)

    def visit_date_range(self, node: DateRange) -> list[int]:
        return []

    def visit_and(self, node: And) -> list[int]:
        return [pos for child in node.children for pos in self.visit(child)]

    def visit_or(self, node: Or) -> list[int]:
        return [pos for child in node.children for pos in self.visit(child)]

    def visit_not(self, node: Not) -> list[int]:
        return self.visit(node.child)

    def visit_required(self, node: Required) -> list[int]:
        return self.visit(node.child)
