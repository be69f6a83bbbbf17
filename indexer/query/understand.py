"""A query as it is searched: parsed, bounded, and its unseen words resolved.

One index, every shard of a sharded one, and the corpus views all understand a query
here, so each answers the same query the same way."""

from __future__ import annotations

from indexer.query.bounds import check_length, check_term_count
from indexer.query.errors import QueryError
from indexer.query.forms import Analysis, default_analysis
from indexer.query.nodes import Node
from indexer.query.parse import parse, parse_lenient
from indexer.query.questions import read_question_marks
from indexer.query.unseen import resolve_unseen


def understand(query: str, mode: str, exact: bool, reader, analysis: Analysis | None = None) -> tuple[Node, list[str]]:  # type: ignore[no-untyped-def]
    """The query tree as searched, and notes on what was changed: questions (mode "any")
    are read leniently, a `?` ending one of their words as its question mark, and words
    the index (``reader``) has never seen are resolved (see ``indexer.query.unseen``). A query too long to be worth its cost is refused
    (``indexer.query.bounds``). ``analysis`` defaults to ``indexer.analysis``."""
    check_length(query)
    notes: list[str] = []
    if mode == "any":
        query, notes = read_question_marks(query)
        node, problems = parse_lenient(query)
        if node is None:
            raise problems[0] if problems else QueryError("empty query", 0, query)
    else:
        node = parse(query)
    check_term_count(node, query)
    if exact:
        return node, notes
    node, rewrites = resolve_unseen(node, reader, mode, analysis or default_analysis())
    return node, notes + rewrites
