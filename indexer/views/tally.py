"""The counting under a frequency list: each word's occurrences, documents and occurrences
written as a stopword, in the selected articles of one index (or one shard).

Counted as arrays aligned to the index's vocabulary (the words of every segment's title
and body, `IndexWords`), which a process computes once per index generation and keeps:
segments never change, so neither does the vocabulary of a set of them. A tally of every
live article (the whole corpus, and the reference a query's keyness is measured
against) is kept too, so that a server answering many requests counts it once. Words
become strings only where shards add their parts up (`Tally.__add__`) and where a list
names the few it shows (`frequency.frequency_list`).
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from dataclasses import dataclass

import numpy as np

from indexer.views.selection import FIELDS, Selection

#: How many vocabularies and tallies a process keeps (least recently used dropped first):
#: a few generations of a few indexes (a server swaps generations as the index grows).
KEPT = 4


@dataclass
class Tally:
    """Each word's occurrences, documents and occurrences written as a stopword, aligned
    to ``terms``, and the number of words: of one index (or one shard), or added up over
    shards. Words counted nowhere have zeros."""

    terms: list[str]
    frequency: np.ndarray  # int64
    documents: np.ndarray  # int64
    stopwords: np.ndarray  # int64, occurrences written as a stopword
    words: int = 0

    def __add__(self, other: Tally) -> Tally:
        """The sum over the union of both vocabularies (shards' vocabularies differ)."""
        if self.terms is other.terms or self.terms == other.terms:
            return Tally(self.terms, self.frequency + other.frequency, self.documents + other.documents,
                         self.stopwords + other.stopwords, self.words + other.words)
        at = {term: i for i, term in enumerate(self.terms)}
        terms = list(self.terms)
        for term in other.terms:
            if term not in at:
                at[term] = len(terms)
                terms.append(term)
        where = np.fromiter((at[term] for term in other.terms), dtype=np.int64, count=len(other.terms))

        def summed(mine: np.ndarray, theirs: np.ndarray) -> np.ndarray:
            total = np.zeros(len(terms), dtype=np.int64)
            total[: len(mine)] = mine
            np.add.at(total, where, theirs)
            return total

        return Tally(terms, summed(self.frequency, other.frequency), summed(self.documents, other.documents),
                     summed(self.stopwords, other.stopwords), self.words + other.words)

    def counts_of(self, terms: list[str]) -> np.ndarray:
        """The occurrences of each of ``terms`` (0 for a word this tally never saw)."""
        if terms is self.terms:
            return self.frequency
        at = {term: i for i, term in enumerate(self.terms)}
        where = np.fromiter((at.get(term, -1) for term in terms), dtype=np.int64, count=len(terms))
        return np.where(where >= 0, self.frequency[where], 0)


@dataclass(frozen=True)
class IndexWords:
    """The words of every segment's title and body streams in one form (stem or exact),
    and where each stream's term ids lie among them: ``ids[segment][field][term_id]``."""

    terms: list[str]
    ids: tuple[tuple[np.ndarray, ...], ...]


_lock = threading.Lock()
_vocabularies: OrderedDict[tuple, IndexWords] = OrderedDict()
_tallies: OrderedDict[tuple, Tally] = OrderedDict()


def _kept(cache: OrderedDict, key: tuple | None, make):  # type: ignore[no-untyped-def]
    """``cache[key]``, made (outside the lock: threads may both make it, one is kept) when
    missing; ``key`` None: made and not kept."""
    if key is None:
        return make()
    with _lock:
        found = cache.get(key)
        if found is not None:
            cache.move_to_end(key)
            return found
    made = make()
    with _lock:
        found = cache.setdefault(key, made)
        cache.move_to_end(key)
        while len(cache) > KEPT:
            cache.popitem(last=False)
    return found


def _segments_key(selection: Selection, by: str) -> tuple | None:
    """What identifies the streams of ``selection``'s segments (None: nothing does, an
    index without a generation directory is not kept)."""
    if not selection.segments or any(seg.generation is None for seg in selection.segments):
        return None
    return (str(selection.segments[0].generation), by, tuple(seg.reader.segment().segment_id() for seg in selection.segments))


def index_words(selection: Selection, by: str) -> IndexWords:
    """The `IndexWords` of ``selection``'s segments (kept per generation)."""

    def make() -> IndexWords:
        vocabulary: dict[str, int] = {}
        ids = tuple(
            tuple(
                np.fromiter((vocabulary.setdefault(w, len(vocabulary)) for w in words), dtype=np.int64, count=len(words))
                for words in (seg.form_stream(by, name).words for name in FIELDS)
            )
            for seg in selection.segments
        )
        terms = [""] * len(vocabulary)
        for word, i in vocabulary.items():
            terms[i] = word
        return IndexWords(terms, ids)

    return _kept(_vocabularies, _segments_key(selection, by), make)


def tally(selection: Selection, by: str, documents: bool = True) -> Tally:
    """Occurrences (and documents, stopword occurrences) of every word of the selection.
    Those of every live article, and references (``documents`` False: a query's corpus
    under the same filters), are kept per generation and selected articles."""
    key = _segments_key(selection, by)
    whole = all(np.array_equal(seg.selected, seg.live) for seg in selection.segments)
    if key is not None and (whole or not documents):  # the whole corpus, or a reference
        key = (*key, documents, b"".join(np.packbits(seg.selected).tobytes() for seg in selection.segments))
    else:
        key = None
    return _kept(_tallies, key, lambda: _count(selection, by, documents))


def _count(selection: Selection, by: str, documents: bool) -> Tally:
    vocabulary = index_words(selection, by)
    size = len(vocabulary.terms)
    frequency = np.zeros(size, dtype=np.int64)
    stopwords = np.zeros(size, dtype=np.int64)
    held = np.zeros(size, dtype=np.int64)
    words = 0
    for seg, ids in zip(selection.segments, vocabulary.ids):
        if not seg.selected.any():
            continue
        doc_parts, word_parts, stop_parts = [], [], []
        for name, shared in zip(FIELDS, ids):
            stream, exact = seg.form_stream(by, name), seg.form_stream("exact", name)
            owner = stream.owners
            # Every document of the segment: whole arrays, no copy. The exact stream has the same layout.
            at = slice(None) if seg.selected.all() else np.flatnonzero(seg.selected[owner])
            word_parts.append(shared[stream.tokens[at]])
            stop_parts.append(exact.stopwords[exact.tokens[at]])
            doc_parts.append(owner[at].astype(np.int64))
        found = np.concatenate(word_parts)
        words += len(found)
        frequency += np.bincount(found, minlength=size)
        stopwords += np.bincount(found, weights=np.concatenate(stop_parts), minlength=size).astype(np.int64)
        if documents:
            pairs = np.sort(np.concatenate(doc_parts) * size + found)  # sorting beats np.unique's hashing here
            pairs = pairs[np.concatenate(([True], pairs[1:] != pairs[:-1]))]
            held += np.bincount(pairs % size, minlength=size)
    return Tally(vocabulary.terms, frequency, held, stopwords, words)
