"""The query language: text -> syntax tree (`parse`) -> plan (`build`) -> matches (`match`).

    >>> from indexer.query import parse, build, explain
    >>> node = parse('عنوان:"وزير الخارجية" date:2015-07')
    >>> explain(node)
    'AND(title:"وزير الخارجية", date:2015-07)'
    >>> type(build(node, mode="all")).__name__  # an operator of indexer.query.plan
    'AllOf'

The syntax and the lenient readings are documented in `indexer.query.parse`.
Nothing here reads files or prints.
"""

from indexer.query.build import Compiled, build, compile_query
from indexer.query.errors import QueryError, QuerySyntaxError
from indexer.query.execute import match
from indexer.query.expansion import DEFAULT_EXPANSION_LIMIT
from indexer.query.explain import explain
from indexer.query.highlight import (
    FuzzyMark,
    Highlights,
    NearMark,
    PatternMark,
    PhraseMark,
    TermMark,
    highlight_terms,
)
from indexer.query.nodes import (
    And,
    DateRange,
    Fuzzy,
    Near,
    Node,
    Not,
    Or,
    Phrase,
    Prefix,
    Required,
    Wildcard,
    Word,
)
from indexer.query.parse import parse, parse_lenient

__all__ = [
    "DEFAULT_EXPANSION_LIMIT",
    "And",
    "Compiled",
    "DateRange",
    "Fuzzy",
    "FuzzyMark",
    "Highlights",
    "Near",
    "NearMark",
    "Node",
    "Not",
    "Or",
    "PatternMark",
    "Phrase",
    "PhraseMark",
    "Prefix",
    "QueryError",
    "QuerySyntaxError",
    "Required",
    "TermMark",
    "Wildcard",
    "Word",
    "build",
    "compile_query",
    "explain",
    "highlight_terms",
    "match",
    "parse",
    "parse_lenient",
]
