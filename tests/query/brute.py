"""What a query should find, worked out by scanning analysed articles one by one.

Independent of `indexer.query`: each article's title and body go through
`indexer.analysis.analyze` (the analysis the index is built with), and a query is
spelled here as a predicate over those tokens: `word("وزير")`, `phrase(...)`,
`near(...)`, combined with `all_of`, `any_of`, `but_not`. Positions are token
positions, shared by a field's stemmed and exact forms.
"""

from __future__ import annotations

import functools
import math
import re
from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime
from itertools import combinations, product

from whoosh.util.numeric import byte_to_length, length_to_byte

from indexer import Article
from indexer.analysis import analyze, fold
from indexer.store.schema import BODY, TITLE, TITLE_BOOST

TEXT = (TITLE, BODY)
BOOST = {TITLE: TITLE_BOOST, BODY: 1.0}
K1, B = 1.2, 0.75  # whoosh.scoring.BM25F's defaults, which the corpus searches with


@dataclass(frozen=True)
class Doc:
    """An article and its analysed text fields: per field, (position, exact, stem)."""

    article: Article
    tokens: dict[str, tuple[tuple[int, str, str], ...]]

    @staticmethod
    def of(article: Article) -> Doc:
        fields = {TITLE: article.title, BODY: article.body}
        return Doc(article, {f: tuple((t.position, t.exact, t.stem) for t in analyze(v)) for f, v in fields.items()})


Spans = Callable[[Doc, str], list[tuple[int, int]]]  # (first, last) positions in one field
Pred = Callable[[Doc], bool]


def stem(word: str) -> str:
    (token,) = analyze(word)
    return token.stem


def exact(word: str) -> str:
    (token,) = analyze(word)
    return token.exact


# Operands: where something stands in one field.


def term(word: str, is_exact: bool = False) -> Spans:
    form = exact(word) if is_exact else stem(word)
    slot = 1 if is_exact else 2
    return lambda doc, field: [(t[0], t[0]) for t in doc.tokens[field] if t[slot] == form]


def seq(text: str, is_exact: bool = False) -> Spans:
    """Consecutive words (a phrase): the analysed forms of `text`, in order."""
    forms = [t.exact if is_exact else t.stem for t in analyze(text)]
    slot = 1 if is_exact else 2

    def spans(doc: Doc, field: str) -> list[tuple[int, int]]:
        toks = doc.tokens[field]
        return [
            (toks[i][0], toks[i + len(forms) - 1][0])
            for i in range(len(toks) - len(forms) + 1)
            if [t[slot] for t in toks[i:i + len(forms)]] == forms
        ]

    return spans


def glob(pattern: str) -> Spans:
    """Exact forms matching a glob (`*`, `?`), folded like the text."""
    regex = re.compile("".join(".*" if c == "*" else "." if c == "?" else re.escape(fold(c)) for c in pattern) + r"\Z")
    return lambda doc, field: [(t[0], t[0]) for t in doc.tokens[field] if regex.match(t[1])]


def osa(a: str, b: str) -> int:
    """Optimal string alignment distance: insertions, deletions, substitutions and
    swaps of two adjacent letters."""
    d = [[i + j if i * j == 0 else 0 for j in range(len(b) + 1)] for i in range(len(a) + 1)]
    for i, j in product(range(1, len(a) + 1), range(1, len(b) + 1)):
        d[i][j] = min(d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + (a[i - 1] != b[j - 1]))
        if i > 1 and j > 1 and a[i - 1] == b[j - 2] and a[i - 2] == b[j - 1]:
            d[i][j] = min(d[i][j], d[i - 2][j - 2] + 1)
    return d[len(a)][len(b)]


def fuzzy(word: str, maxdist: int) -> Spans:
    """Exact forms sharing the first letter and within `maxdist` edits."""
    form = exact(word)
    return lambda doc, field: [
        (t[0], t[0]) for t in doc.tokens[field] if t[1][:1] == form[:1] and osa(t[1], form) <= maxdist
    ]


# Predicates over a document.


def found(operand: Spans, fields: Sequence[str] = TEXT) -> Pred:
    return lambda doc: any(operand(doc, f) for f in fields)


def word(text: str, fields: Sequence[str] = TEXT, is_exact: bool = False) -> Pred:
    return found(term(text, is_exact), fields)


def phrase(text: str, fields: Sequence[str] = TEXT, is_exact: bool = False) -> Pred:
    return found(seq(text, is_exact), fields)


def window(words: Sequence[str], extra: int, fields: Sequence[str] = TEXT) -> Pred:
    """Every word (a repeated one as often as it is repeated), any order, within a window
    holding at most `extra` other words."""
    counts = Counter(stem(w) for w in words)

    def fits(doc: Doc, field: str) -> bool:
        where = {s: [t[0] for t in doc.tokens[field] if t[2] == s] for s in counts}
        for pick in product(*(combinations(where[s], n) for s, n in counts.items())):
            chosen = [p for group in pick for p in group]
            if max(chosen) - min(chosen) + 1 - len(chosen) <= extra:
                return True
        return False

    return lambda doc: any(fits(doc, f) for f in fields)


def near(left: Spans, right: Spans, between: int, ordered: bool, fields: Sequence[str] = TEXT) -> Pred:
    """`left` and `right` in one field with at most `between` words between them (and
    not overlapping); `ordered`: left first."""

    def close(doc: Doc, field: str) -> bool:
        for (a0, a1), (b0, b1) in product(left(doc, field), right(doc, field)):
            if 0 <= b0 - a1 - 1 <= between or (not ordered and 0 <= a0 - b1 - 1 <= between):
                return True
        return False

    return lambda doc: any(close(doc, f) for f in fields)


def dated(start: datetime | None, end: datetime | None) -> Pred:
    def within(doc: Doc) -> bool:
        date = doc.article.date
        return date is not None and (start is None or date >= start) and (end is None or date <= end)

    return within


def source(name: str) -> Pred:
    return lambda doc: doc.article.source.lower() == name.lower()


def all_of(*preds: Pred) -> Pred:
    return lambda doc: all(p(doc) for p in preds)


def any_of(*preds: Pred) -> Pred:
    return lambda doc: any(p(doc) for p in preds)


def but_not(pred: Pred, *excluded: Pred) -> Pred:
    return lambda doc: pred(doc) and not any(x(doc) for x in excluded)


def matching(docs: Iterable[Doc], pred: Pred) -> set[str]:
    return {doc.article.id for doc in docs if pred(doc)}


# BM25F as whoosh.scoring computes it, from counts.


def idf(n: int, df: int) -> float:
    """Whoosh's idf of a term held by `df` of `n` documents."""
    return math.log(n / (df + 1)) + 1


class Bm25f:
    """Whoosh's BM25F over `docs` (the whole index, no deletions): idf `log(N / (df + 1)) + 1`
    (`Weighting.idf`), average field length = the field's total length / N
    (`Searcher.avg_field_length`), each document's length as its one-byte column holds it
    (`length_to_byte`, `byte_to_length`), a term's weight = its count x the field's boost."""

    def __init__(self, docs: Sequence[Doc]) -> None:
        self.docs = docs
        self.n = len(docs)
        self.avgfl = {f: sum(len(d.tokens[f]) for d in docs) / self.n for f in TEXT}

    @functools.cache  # noqa: B019 (one instance per test)
    def df(self, field: str, slot: int, form: str) -> int:
        """Documents holding the form in the field."""
        return sum(1 for d in self.docs if any(t[slot] == form for t in d.tokens[field]))

    def idf(self, field: str, slot: int, form: str) -> float:
        return idf(self.n, self.df(field, slot, form))

    def score(self, doc: Doc, field: str, slot: int, form: str) -> float:
        """The term's score in one field of `doc` (0.0 when the field lacks it)."""
        tf = sum(1 for t in doc.tokens[field] if t[slot] == form) * BOOST[field]
        if not tf:
            return 0.0
        fl = byte_to_length(length_to_byte(len(doc.tokens[field])))
        idf, avgfl = self.idf(field, slot, form), self.avgfl[field]
        return idf * ((tf * (K1 + 1)) / (tf + K1 * ((1 - B) + B * fl / avgfl)))

    def word(self, doc: Doc, text: str, is_exact: bool = False) -> float:
        """A word searched in title or body: the sum of its two fields' scores."""
        slot, form = (1, exact(text)) if is_exact else (2, stem(text))
        return self.score(doc, TITLE, slot, form) + self.score(doc, BODY, slot, form)
