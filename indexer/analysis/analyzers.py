"""The Whoosh side of analysis: a tokenizer and two filters, composed into two analyzers.

Whoosh pickles these classes into every index's schema: keep this module path and the
class names stable, keep their state picklable (no caches on instances), or existing
indexes stop opening. Caches live in module-level functions (``forms``) instead.

    >>> [t.text for t in stem_analyzer()("والوزيرُ قالَ")]
    ['وزير', 'قال']
"""

from __future__ import annotations

from whoosh.analysis import Filter, Token, Tokenizer

from indexer.analysis.forms import exact_form, stem_form
from indexer.analysis.tokenize import WORD_PATTERN


class ArabicTokenizer(Tokenizer):
    """Words with their positions and offsets into the original text; text = the original slice."""

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
            token.boost = 1.0
            token.pos = start_pos
            token.startchar, token.endchar = start_char, start_char + len(value)
            yield token
            return
        for pos, match in enumerate(WORD_PATTERN.finditer(value), start_pos):
            token.text = match.group()
            if keeporiginal:
                token.original = token.text
            token.boost = 1.0
            token.stopped = False
            if positions:
                token.pos = pos
            if chars:
                token.startchar = start_char + match.start()
                token.endchar = start_char + match.end()
            yield token


class FoldFilter(Filter):
    """Replace each token's text by its exact (folded) form; drop tokens that fold to nothing."""

    def __call__(self, tokens):
        for token in tokens:
            token.text = exact_form(token.text)
            if token.text:
                yield token


class StemFilter(Filter):
    """Replace each (folded) token's text by its light stem."""

    is_morph = True

    def __call__(self, tokens):
        for token in tokens:
            token.text = stem_form(token.text)
            yield token


def exact_analyzer():
    """Tokenize and fold: the form behind ``--exact``, wildcards and fuzzy terms."""
    return ArabicTokenizer() | FoldFilter()


def stem_analyzer():
    """Tokenize, fold and light-stem: the default search form."""
    return ArabicTokenizer() | FoldFilter() | StemFilter()
