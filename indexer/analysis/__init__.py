"""Arabic analysis: tokenize on the original text, fold to the exact form, light-stem.

``analyze(text)`` shows every step for every word; the Whoosh analyzers in ``analyzers``
are what the index schema uses. Both run the same tokenizer, folding and stemming.
"""

from __future__ import annotations

from dataclasses import dataclass

from indexer.analysis.analyzers import exact_analyzer, stem_analyzer, words_with_forms
from indexer.analysis.forms import exact_form, stem_form
from indexer.analysis.stemming import candidate_forms
from indexer.analysis.stopwords import is_stopword

#: Recorded in every index. Bump it whenever a change to tables, folding, stemming or the
#: word-frequency data would give an existing index different terms than a new one.
ANALYZER_VERSION = "4"

__all__ = [
    "ANALYZER_VERSION",
    "Token",
    "analyze",
    "candidate_forms",
    "exact_analyzer",
    "fold",
    "is_stopword",
    "stem",
    "stem_analyzer",
]

fold = exact_form
stem = stem_form


@dataclass(frozen=True, slots=True)
class Token:
    """One word: its position, its offsets and slice in the original text, and its forms."""

    position: int
    start: int
    end: int
    text: str
    exact: str
    stem: str
    stopword: bool


def analyze(text: str) -> list[Token]:
    """Every word of ``text`` with its original slice, exact form, stem and stopword flag.

    >>> [(t.text, t.exact, t.stem) for t in analyze("وَالوَزِيرُ")]
    [('وَالوَزِيرُ', 'والوزير', 'وزير')]
    """
    return [
        Token(position, start, end, original, exact, stem, is_stopword(exact))
        for position, (start, end, original, exact, stem) in enumerate(words_with_forms(text))
    ]
