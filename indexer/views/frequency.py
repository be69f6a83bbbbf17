"""Frequency lists: how often each word occurs in the selected articles, and in how many.

Counted from the word streams of titles and bodies: a word's frequency is its number of
occurrences, its documents the articles holding it in title or body. Over the articles
a query matches, each word also gets its keyness against the rest of the corpus
(log-likelihood, `measures.keyness`: how sure the difference is) and its Log Ratio (how
big it is, `measures.log_ratio_array`). By stem (the default) a stem is flagged as a
stopword when most of its occurrences are written as one; by exact, when it is one.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import asdict, dataclass, field

import numpy as np

from indexer.analysis.stopwords import is_stopword
from indexer.errors import Spelled, Surface, UsageError, given, option, worded
from indexer.views.measures import keyness_array, log_ratio_array
from indexer.views.selection import BY, FIELDS, Selection
from indexer.views.tally import Tally, tally

FREQ_SORTS = ("frequency", "keyness")


@dataclass(frozen=True)
class TermCount:
    term: str
    frequency: int
    documents: int
    stopword: bool
    keyness: float | None = None
    #: The term as the bodies commonly write it, set by `Corpus.freq` (`indexer.written`):
    #: على for علي, رئيس for رءيس; a stem the bodies never hold alone, by its commonest form.
    written: str | None = None
    #: With a query: Log Ratio, how many times (log2) more frequent in its articles than in
    #: the rest (`measures.log_ratio_array`); None without a query or without a rest.
    log_ratio: float | None = None


@dataclass
class FrequencyList:
    query: str | None
    by: str
    articles: int
    words: int
    deduplicated: bool
    terms: list[TermCount]
    #: Why it may be emptier than meant (see ``Results.notes``).
    notes: list[str] = field(default_factory=list)

    def to_dict(self, surface: Surface = Surface.LIBRARY) -> dict:
        data = asdict(self)
        data["terms"] = [asdict(t) for t in self.terms]
        data["notes"] = [worded(note, surface) for note in self.notes]
        return data


@dataclass
class FrequencyPart:
    """What one index (or one shard) counts of a frequency list: the selected articles'
    `Tally` and their number, and (with a query) the `Tally` of the corpus under the same
    filters."""

    counted: Tally
    articles: int
    corpus: Tally | None

    def __add__(self, other: FrequencyPart) -> FrequencyPart:
        corpus = None if self.corpus is None or other.corpus is None else self.corpus + other.corpus
        return FrequencyPart(self.counted + other.counted, self.articles + other.articles, corpus)


def frequency_part(selection: Selection, corpus: Selection | None, by: str) -> FrequencyPart:
    """The `Tally` of the selection (and of ``corpus``, its reference, when given)."""
    return FrequencyPart(tally(selection, by), selection.count(), tally(corpus, by, documents=False) if corpus is not None else None)


def corpus_frequencies(corpus: Selection, by: str, wanted: set[str]) -> tuple[dict[str, int], int]:
    """The occurrences of each of ``wanted`` in the selected articles, and their number
    of words (one count over each segment's streams; only the wanted words are named)."""
    found: Counter[str] = Counter()
    words = 0
    for seg in corpus.segments:
        for name in FIELDS:
            stream = seg.form_stream(by, name)
            tokens = stream.tokens[seg.selected[stream.owners]]
            words += len(tokens)
            counts = np.bincount(tokens, minlength=len(stream.words))
            for word in wanted:
                term_id = stream.term_id(word)
                if term_id is not None:
                    found[word] += int(counts[term_id])
    return found, words


def check_frequency(by: str, sort: str, top: int, query: str | None) -> None:
    if by not in BY:
        raise UsageError(option("by"), f" must be one of {', '.join(BY)}, not {by!r}")
    if sort not in FREQ_SORTS:
        raise UsageError(option("sort"), f" must be one of {', '.join(FREQ_SORTS)}, not {sort!r}")
    if sort == "keyness" and query is None:
        raise UsageError(given("sort", "keyness"), " needs ", Spelled("a query", "a QUERY"), ": keyness compares its articles with the rest")
    if top < 0:
        raise UsageError(option("top"), f" must not be negative, not {top}")


def frequency_list(
    query: str | None,
    part: FrequencyPart,
    *,
    by: str = "stem",
    top: int = 100,
    sort: str = "frequency",
    deduplicated: bool = False,
) -> FrequencyList:
    """The ``top`` words of the selection by frequency (or keyness, with a query: against
    the corpus under the same filters), from the counts of every index added up
    (`frequency_part`)."""
    check_frequency(by, sort, top, query)
    counted, whole = part.counted, part.corpus
    listed = np.flatnonzero(counted.frequency)  # the words the selection holds
    frequency = counted.frequency[listed].astype(np.float64)
    scores = ratios = None
    if whole is not None:
        rest = whole.counts_of(counted.terms)[listed].astype(np.float64) - frequency
        scores = keyness_array(frequency, float(counted.words), rest, float(whole.words - counted.words))
        ratios = log_ratio_array(frequency, float(counted.words), rest, float(whole.words - counted.words))
    terms = counted.terms
    if sort == "keyness":
        assert scores is not None
        order = _top(top, scores, lambda i: (-scores[i], -frequency[i], terms[listed[i]]))
    else:
        order = _top(top, frequency, lambda i: (-frequency[i], terms[listed[i]]))
    shown = []
    for i in order:
        word, at = terms[listed[i]], listed[i]
        stop = counted.stopwords[at] * 2 > frequency[i] if by == "stem" else is_stopword(word)
        score = None if scores is None else float(scores[i])
        ratio = None if ratios is None or np.isnan(ratios[i]) else float(ratios[i])
        shown.append(TermCount(word, int(frequency[i]), int(counted.documents[at]), bool(stop), score, log_ratio=ratio))
    return FrequencyList(
        query=query,
        by=by,
        articles=part.articles,
        words=counted.words,
        deduplicated=deduplicated,
        terms=shown,
    )


def _top(top: int, values: np.ndarray, key) -> list[int]:  # type: ignore[no-untyped-def]
    """The positions of the ``top`` largest ``values``, in the order ``key`` gives: only
    those at least as large as the ``top``-th largest are sorted (ties at the edge too)."""
    if top == 0:
        return []
    candidates = np.arange(len(values))
    if len(values) > top:
        edge = -np.partition(-values, top - 1)[top - 1]
        candidates = np.flatnonzero(values >= edge)
    return sorted(candidates.tolist(), key=key)[:top]
