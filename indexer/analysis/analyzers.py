"""The Whoosh side of analysis: a tokenizer and two filters, composed into two analyzers,
and the text field type that indexes with them.

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

import sys
from array import array
from collections.abc import Iterator

from whoosh.analysis import Filter, Token, Tokenizer
from whoosh.fields import TEXT
from whoosh.formats import Positions

from indexer.analysis.folding import fold, spelling
from indexer.analysis.forms import CACHE_SIZE, stem_form
from indexer.analysis.stemming import reads_spelling, stem
from indexer.analysis.tokenize import WORD_PATTERN

Word = tuple[int, int, str, str, str]  # start, end, original slice, exact form, stem
_RECENT_TEXTS = 4
_BIG_ENDIAN = sys.byteorder == "big"
_recent: dict[str, list[Word]] = {}


def iter_words(text: str) -> Iterator[Word]:
    """The words of ``text`` that fold to something, with their forms, as they are read."""
    forms = _forms
    for match in WORD_PATTERN.finditer(text):
        original = match.group()
        pair = forms[original]
        if pair is not None:
            yield match.start(), match.end(), original, pair[0], pair[1]


def words_with_forms(text: str) -> list[Word]:
    """The words of ``text`` that fold to something, with their forms (recent texts cached)."""
    words = _recent.get(text)
    if words is None:
        words = list(iter_words(text))
        _remember(_recent, text, words)
    return words


def _remember(recent: dict, text: str, value: list) -> None:
    """Keep ``value`` for ``text`` in ``recent``, emptied first when it is full.

    Emptied, not the oldest evicted: the threads of a process share these caches, and
    ``clear()`` and the insert are each one dict operation, atomic under the GIL. Evicting
    the oldest would read the dict, then pop from it: two threads could pop the same entry
    (KeyError), or an insert could land between another thread's ``iter()`` and
    ``next()`` (RuntimeError). The reuse served, a text's second field right after its
    first, is the same either way.
    """
    if len(recent) >= _RECENT_TEXTS:
        recent.clear()
    recent[text] = value


class _Forms(dict):
    """original word -> ``(exact, stem)``, or None when it folds to nothing. The stem reads
    the original spelling too (وإلى is و + إلى: ``stemming.derive``).

    One lookup per word instead of two cached calls; emptied when it reaches ``CACHE_SIZE``.
    Shared by all threads, so it is only ever read, filled and emptied with single dict
    operations (``d[k]``, ``d[k] = v``, ``clear()``), each atomic under the GIL: a word
    another thread's ``clear()`` dropped is folded again. Never iterate it or evict
    entries one by one.
    """

    def __missing__(self, original: str) -> tuple[str, str] | None:
        if len(self) >= CACHE_SIZE:
            self.clear()
        exact = fold(original)
        if not exact:
            forms = None
        elif not reads_spelling(original, exact):  # one stem per exact form, cached
            forms = (exact, stem_form(exact))
        else:
            forms = (exact, stem(exact, spelling(original)))
        self[original] = forms
        return forms


_forms = _Forms()


def exact_form(original: str) -> str | None:
    """The exact (folded) form of the word ``original``, None when it folds to nothing
    (cached with its stem)."""
    forms = _forms[original]
    return forms[0] if forms is not None else None
_recent_forms: dict[str, list[tuple[str, str]]] = {}
_recent_originals: dict[str, list[str]] = {}


def original_words(text: str) -> list[str]:
    """The words of ``text`` as written, in order (recent texts cached: the fields of one
    text read them once)."""
    words = _recent_originals.get(text)
    if words is None:
        words = WORD_PATTERN.findall(text)
        _remember(_recent_originals, text, words)
    return words


def word_forms(text: str) -> list[tuple[str, str]]:
    """``(exact, stem)`` of each word of ``text`` that folds to something, in order: the
    forms of ``words_with_forms`` without offsets, for indexing (recent texts cached)."""
    forms = _recent_forms.get(text)
    if forms is None:
        forms = [pair for pair in map(_forms.__getitem__, original_words(text)) if pair is not None]
        _remember(_recent_forms, text, forms)
    return forms


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
            token.exact, token.stem = _forms[value] or ("", "")
            token.boost = 1.0
            token.pos = start_pos
            token.startchar, token.endchar = start_char, start_char + len(value)
            yield token
            return
        token.boost = 1.0
        token.stopped = False
        for pos, (start, end, original, exact, stem_of_word) in enumerate(words_with_forms(value), start_pos):
            token.text = original
            token.exact = exact
            token.stem = stem_of_word
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


class PackedPositions(Positions):
    """Whoosh's ``Positions`` format with a posting's positions packed as little-endian
    uint32s (Whoosh pickles their deltas): the index writer (``store/postings.py``) lays
    them out in blocks without unpickling anything."""

    def encode(self, poslist) -> bytes:
        return pack_positions(poslist)

    def decode_positions(self, valuestring: bytes) -> list[int]:
        return unpack_positions(valuestring)

    def decode_frequency(self, valuestring: bytes) -> int:
        return len(valuestring) // 4

    def decode_weight(self, valuestring: bytes) -> float:
        return self.decode_frequency(valuestring) * self.field_boost


def pack_positions(positions) -> bytes:  # type: ignore[no-untyped-def]
    """``PackedPositions`` encoding of ascending token positions."""
    packed = array("I", positions)
    if _BIG_ENDIAN:
        packed.byteswap()
    return packed.tobytes()


def unpack_positions(value: bytes) -> list[int]:
    """The positions packed by ``pack_positions``."""
    packed = array("I")
    packed.frombytes(value)
    if _BIG_ENDIAN:
        packed.byteswap()
    return packed.tolist()


class _SinglePositions(dict):
    """position -> the encoding of a posting at that one position (most postings)."""

    def __missing__(self, position: int) -> bytes:
        encoded = self[position] = pack_positions((position,))
        return encoded


_single_positions = _SinglePositions()
_FORM_AT = {"exact": 0, "stem": 1}  # where each form sits in a ``word_forms`` pair


class ArabicText(TEXT):
    """A ``TEXT`` field over our analyzers whose postings skip the Token stream.

    Whoosh indexes text by pulling every word through the analyzer's generator chain
    (tokenizer, then each filter) and ``Positions.word_values``, one Python frame per word
    and filter. Here both forms of the words come from ``word_forms`` (shared with the
    other field of the same text) and are grouped in one dict pass. The postings are
    byte for byte Whoosh's own (tests/analysis/test_field.py); queries, highlights and
    everything else still use ``self.analyzer``.

    ``form`` is ``"stem"`` (``stem_analyzer``) or ``"exact"`` (``exact_analyzer``).
    """

    def __init__(self, form: str = "stem", **kwargs) -> None:
        if form not in _FORM_AT:
            raise ValueError(f"form must be 'stem' or 'exact', not {form!r}")
        analyzer = stem_analyzer() if form == "stem" else exact_analyzer()
        super().__init__(analyzer=analyzer, **kwargs)
        self.format = PackedPositions(field_boost=self.format.field_boost)
        self.form = form

    def index(self, value, **kwargs):
        """``(term bytes, frequency, weight, encoded positions)`` per distinct term of ``value``."""
        if not isinstance(value, str) or type(self.format) is not PackedPositions:
            return super().index(value, **kwargs)
        at = _FORM_AT[self.form]
        positions: dict[str, list[int]] = {}
        for pos, word in enumerate(word_forms(value)):
            term = word[at]
            found = positions.get(term)
            if found is None:
                positions[term] = [pos]
            else:
                found.append(pos)
        boost = self.format.field_boost
        encode, single = self.format.encode, _single_positions
        return [
            (
                term.encode("utf-8"),
                len(poslist),
                float(len(poslist)) * boost,
                single[poslist[0]] if len(poslist) == 1 else encode(poslist),
            )
            for term, poslist in positions.items()
        ]
