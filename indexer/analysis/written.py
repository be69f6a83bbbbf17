"""How the articles write each exact form: the index field that remembers it.

The index holds words folded (``fold``: أن and إن are both ان, رئيس is رءيس, على is علي),
which is what matching needs and what no reader of Arabic writes. A frequency list, a
collocate, a "did you mean" or the forms ``--explain`` lists must show a word as the
articles write it: على, not the name علي; رئيس, not رءيس. The ``written`` field keeps, for
each article, every exact form it spells otherwise (``spelling``: marks deleted, letter
variants and case kept) with how often, as a term ``"<exact> <spelling>"`` whose weight
is the count; a form written only as itself adds nothing. The commonest spelling of a
form is then a prefix lookup in the lexicon (``indexer.written``), exact over the whole
index and free of any scan of the texts.

Whoosh pickles this class into every index's schema: keep its module path and name.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator

from whoosh.analysis import IDAnalyzer
from whoosh.fields import FieldType
from whoosh.formats import Existence

from indexer.analysis.analyzers import exact_form, original_words
from indexer.analysis.folding import spelling
from indexer.analysis.forms import CACHE_SIZE

#: Between a form and its spelling in a term of the field: no word holds a space.
SEPARATOR = " "


def written_term(exact: str, spelt: str) -> str:
    """The term of the ``written`` field saying ``exact`` was written ``spelt``."""
    return f"{exact}{SEPARATOR}{spelt}"


def spelling_of_term(term: str) -> str:
    """The spelling a ``written`` term names."""
    return term.partition(SEPARATOR)[2]


class _Spellings(dict):
    """original word -> ``(exact, spelling)`` when its spelling differs from its exact form,
    else None. Shared by all threads: only read, filled and emptied with single dict
    operations (as ``analyzers._Forms``)."""

    def __missing__(self, original: str) -> tuple[str, str] | None:
        if len(self) >= CACHE_SIZE:
            self.clear()
        exact = exact_form(original)
        spelt = spelling(original) if exact is not None else None
        value = (exact, spelt) if spelt is not None and spelt != exact else None
        self[original] = value  # type: ignore[assignment]
        return value  # type: ignore[return-value]


_spellings = _Spellings()


def spelt_otherwise(text: str) -> Counter[tuple[str, str]]:
    """``(exact, spelling)`` -> occurrences, for each word of ``text`` whose spelling is
    not its exact form.

    >>> sorted(spelt_otherwise("قالَ الرئيسُ إنّ الرئيس على حق").items())
    [(('الرءيس', 'الرئيس'), 2), (('ان', 'إن'), 1), (('علي', 'على'), 1)]
    """
    found: Counter[tuple[str, str]] = Counter()
    spellings = _spellings
    for original, count in Counter(original_words(text)).items():
        pair = spellings[original]
        if pair is not None:
            found[pair] += count
    return found


class WrittenForms(FieldType):
    """The ``written`` field: per article, each exact form it spells otherwise, weighted
    by how often (``spelt_otherwise``). Not searched, not scored, not stored; the
    postings need no positions (``Existence``: the weight carries the count)."""

    def __init__(self) -> None:
        super().__init__(format=Existence(), analyzer=IDAnalyzer())

    def index(self, value, **kwargs) -> Iterator[tuple[bytes, int, float, bytes]]:  # type: ignore[no-untyped-def]
        for (exact, spelt), count in spelt_otherwise(value).items():
            yield written_term(exact, spelt).encode("utf-8"), count, float(count), b""
