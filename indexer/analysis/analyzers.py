"""The Whoosh side of analysis: a tokenizer and two filters, composed into two analyzers.

Whoosh pickles these classes into every index's schema: keep this module path and the
class names stable, keep their state picklable (no caches on instances), or existing
indexes stop opening. Caches live at module level instead.

The index analyzes the same title and body twice (stemmed and exact fields). The
tokenizer remembers the words of the last few texts it saw, with both forms, so the
second field costs a list walk instead of a second tokenization.

    >>> [t.text for t in stem_analyzer()("والوزيرُ قالَ")]
    ['وزير', 'قال']
"""

from __future__ import annotations

from collections.abc import Iterator

from whoosh.analysis import Filter, Token, Tokenizer

from indexer.analysis.forms import exact_form, stem_form
from indexer.analysis.tokenize import WORD_PATTERN

Word = tuple[int, int, str, str, str]  # start, end, original slice, exact form, stem
_RECENT_TEXTS = 4
_recent: dict[str, list[Word]] = {}


def iter_words(text: str) -> Iterator[Word]:
    """The words of ``text`` that fold to something, with their forms, as they are read."""
    for match in WORD_PATTERN.finditer(text):
        original = match.group()
        exact = exact_form(original)
        if exact:
            yield match.start(), match.end(), original, exact, stem_form(exact)


def words_with_forms(text: str) -> list[Word]:
    """The words of ``text`` that fold to something, with their forms (recent texts cached)."""
    words = _recent.get(text)
    if words is None:
        words = list(iter_words(text))
        if len(_recent) >= _RECENT_TEXTS:
            _recent.pop(next(iter(_recent)))
        _recent[text] = words
    return words


class ArabicTokenizer(Tokenizer):
    """Words with their positions and offsets into the original text; text = the original slice.

    Each token also carries ``exact`` and ``stem`` for the filters below.
    """

    def __call__(
        self,
        value,
        positions=False,
        chars=False,
        keeporiginal=False,
        removestops=True,
        start_pos=0,
        start_char=0,
        tokenize=True,
        mode="",
        **kwargs,
    ):
        # Whoosh reuses ONE Token object for the whole stream (copy it to keep it).
        token = Token(positions, chars, removestops=removestops, mode=mode, **kwargs)
        if not tokenize:
            token.original = token.text = value
            token.exact = exact_form(value)
            token.stem = stem_form(token.exact)
            token.boost = 1.0
            token.pos = start_pos
            token.startchar, token.endchar = start_char, start_char + len(value)
            yield token
            return
        token.boost = 1.0
        token.stopped = False
        for pos, (start, end, original, exact, stem) in enumerate(words_with_forms(value), start_pos):
            token.text = original
            token.exact = exact
            token.stem = stem
            if keeporiginal:
                token.original = original
            if positions:
                token.pos = pos
            if chars:
                token.startchar = start_char + start
                token.endchar = start_char + end
            yield token


class FoldFilter(Filter):
    """Replace each token's text by its exact (folded) form."""

    def __call__(self, tokens):
        for token in tokens:
            token.text = token.exact
            yield token


class StemFilter(Filter):
    """Replace each token's text by its light stem."""

    is_morph = True

    def __call__(self, tokens):
        for token in tokens:
            token.text = token.stem
            yield token


def exact_analyzer():
    """Tokenize and fold: the form behind ``--exact``, wildcards and fuzzy terms."""
    return ArabicTokenizer() | FoldFilter()


def stem_analyzer():
    """Tokenize, fold and light-stem: the default search form."""
    return ArabicTokenizer() | FoldFilter() | StemFilter()
