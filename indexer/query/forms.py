"""From query words to index forms: the rules the builder and the highlighter share.

A query word goes through the same analysis as the text it searches, so it can
give several tokens (`الـCNN` -> `ال`, `cnn`: searched as a phrase) or none (a
lone diacritic: dropped). Stopwords are dropped from bag-of-words queries,
unless the query searches nothing else (`keeps_stopwords`); inside a phrase or
a NEAR a stopword is a word like any other.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Protocol

from indexer.query.nodes import (
    ID_FIELDS,
    And,
    DateRange,
    Fuzzy,
    Near,
    Node,
    NodeVisitor,
    Not,
    Phrase,
    Prefix,
    Required,
    Wildcard,
    Word,
)


class TokenLike(Protocol):
    """What the query side reads from an analysis token."""

    exact: str
    stem: str
    stopword: bool


class Analysis(Protocol):
    """The slice of `indexer.analysis` the query package uses (a module fits)."""

    def analyze(self, text: str) -> Sequence[TokenLike]: ...

    def fold(self, word: str) -> str: ...

    def candidate_forms(self, stem: str) -> Iterable[str]: ...


def default_analysis() -> Analysis:
    """The project's analysis module, imported on first use."""
    import indexer.analysis

    return indexer.analysis  # type: ignore[return-value]


@dataclass(frozen=True)
class Forms:
    """The index forms of one query word or phrase, in order.

    `kind` is "stem" or "exact"; `stopword` is True for a single stopword.
    """

    forms: tuple[str, ...]
    kind: str
    stopword: bool = False


def text_forms(text: str, exact: bool, analysis: Analysis) -> Forms:
    """Analyze `text` and keep the stems (or exact forms when `exact`)."""
    tokens = analysis.analyze(text)
    forms = tuple(t.exact if exact else t.stem for t in tokens)
    stopword = len(tokens) == 1 and bool(tokens[0].stopword)
    return Forms(tuple(f for f in forms if f), "exact" if exact else "stem", stopword)


def fuzzy_form(text: str, analysis: Analysis) -> str:
    """The folded word a fuzzy term looks around: punctuation stuck to the word is not a
    letter to match ("بلجيكيا؟~1" is بلجيكيا); text of several words is folded whole."""
    tokens = analysis.analyze(text)
    return tokens[0].exact if len(tokens) == 1 else analysis.fold(text)


def fold_pattern(pattern: str, analysis: Analysis) -> str:
    """Fold the letters of a glob like text (diacritics off, variants folded), keep `*` `?`."""
    pieces = re.split(r"([*?])", pattern)
    return "".join(p if p in ("*", "?") else analysis.fold(p) for p in pieces)


def pattern_regex(folded: str) -> re.Pattern[str]:
    """The regex (over whole exact forms) of a folded glob: `*` any run, `?` one
    character, everything else itself."""
    parts = ("." if c == "?" else ".*" if c == "*" else re.escape(c) for c in folded)
    return re.compile("".join(parts) + r"\Z", re.DOTALL)


def has_letters(folded: str) -> bool:
    """Whether a folded glob keeps any literal character."""
    return any(c not in "*?" for c in folded)


def keeps_stopwords(node: Node, exact: bool, analysis: Analysis) -> bool:
    """True when the query's positive text terms are all stopwords (then they are kept).

    Date and ID-field terms are filters and do not count as text.
    """
    return not _SearchesText(exact, analysis).visit(node)


class _SearchesText(NodeVisitor[bool]):
    """Whether a node searches text other than stopwords, outside NOT."""

    def __init__(self, exact: bool, analysis: Analysis) -> None:
        self.exact = exact
        self.analysis = analysis

    def visit_and(self, node: And) -> bool:
        return any(self.visit(child) for child in node.children)

    visit_or = visit_and  # type: ignore[assignment]

    def visit_required(self, node: Required) -> bool:
        return self.visit(node.child)

    def visit_not(self, node: Not) -> bool:
        return False

    def visit_date_range(self, node: DateRange) -> bool:
        return False

    def visit_word(self, node: Word) -> bool:
        if node.field in ID_FIELDS:
            return False
        forms = text_forms(node.text, self.exact or node.exact, self.analysis)
        return bool(forms.forms) and not forms.stopword

    def _text(self, node: Phrase | Near | Prefix | Wildcard | Fuzzy) -> bool:
        return True  # a phrase or NEAR keeps its stopwords; a pattern is not a stopword

    visit_phrase = visit_near = visit_prefix = visit_wildcard = visit_fuzzy = _text
