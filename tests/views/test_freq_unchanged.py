"""`corpus freq` counts in arrays over a vocabulary kept per generation and keeps the whole
corpus's tally (`views/tally.py`); its lists must be exactly those of the word-by-word
count it replaced, kept here as the reference: every word, figure, flag and score."""

from __future__ import annotations

import heapq
from collections import Counter

import numpy as np
import pytest

from indexer import Corpus
from indexer.analysis.stopwords import is_stopword
from indexer.views.measures import keyness_array, log_ratio_array
from indexer.views.selection import FIELDS, Selection, select

# (query, options): the whole corpus and a query's articles, by stem and exact, with
# date and source filters, with copies counted once; keyness with a query.
CASES = [
    (None, {}),
    (None, {"by": "exact"}),
    (None, {"dedupe": True}),
    (None, {"since": "2016-01-01", "until": "2016-12-31"}),
    (None, {"source": "alriyadh"}),
    ("السعودية", {}),
    ("السعودية", {"sort": "keyness"}),
    ("السعودية", {"sort": "keyness", "by": "exact"}),
    ("وزير", {"sort": "keyness", "source": ["alriyadh", "okaz"], "dedupe": True}),
    ("الملك OR الحكومة", {"since": "2016-01-01", "by": "exact"}),
    ('"وزير الخارجية"', {"sort": "keyness", "dedupe": True}),
]


def old_tally(selection: Selection, by: str, documents: bool = True) -> tuple[Counter, Counter, Counter, int]:
    """The count before: per segment, one id space built word by word, then Counters."""
    frequency, held, stopwords, words = Counter(), Counter(), Counter(), 0
    for seg in selection.segments:
        if not seg.selected.any():
            continue
        vocabulary: dict[str, int] = {}
        doc_parts, word_parts, stop_parts = [], [], []
        for name in FIELDS:
            stream, exact = seg.form_stream(by, name), seg.form_stream("exact", name)
            owner = stream.owners
            at = np.flatnonzero(seg.selected[owner])
            shared = np.fromiter((vocabulary.setdefault(w, len(vocabulary)) for w in stream.words), dtype=np.int64, count=len(stream.words))
            word_parts.append(shared[stream.tokens[at]])
            stop_parts.append(exact.stopwords[exact.tokens[at]])
            doc_parts.append(owner[at].astype(np.int64))
        names = [""] * len(vocabulary)
        for word, i in vocabulary.items():
            names[i] = word
        ids = np.concatenate(word_parts)
        size = len(names)
        words += len(ids)
        for counter, counts in (
            (frequency, np.bincount(ids, minlength=size)),
            (stopwords, np.bincount(ids, weights=np.concatenate(stop_parts), minlength=size)),
        ):
            for i in np.flatnonzero(counts).tolist():
                counter[names[i]] += int(counts[i])
        if documents:
            pairs = np.sort(np.concatenate(doc_parts) * size + ids)
            pairs = pairs[np.concatenate(([True], pairs[1:] != pairs[:-1]))]
            counts = np.bincount(pairs % size, minlength=size)
            for i in np.flatnonzero(counts).tolist():
                held[names[i]] += int(counts[i])
    return frequency, held, stopwords, words


def old_list(corpus: Corpus, query: str | None, options: dict, top: int) -> tuple[list[tuple], int]:
    """The list (and number of words) as `frequency_list` made it from the Counters."""
    by, sort = options.get("by", "stem"), options.get("sort", "frequency")
    since, until, source, dedupe = (options.get(k) for k in ("since", "until", "source", "dedupe"))
    plan = corpus._plan(query, "all", False, since, until) if query is not None else None
    generation = corpus.location.require_live_generation()
    searcher = corpus._searchers.get(generation)
    counted = old_tally(select(searcher, generation, corpus._scope(plan, since, until, source, bool(dedupe))), by)
    frequency_of, documents, stopwords, size = counted
    words = list(frequency_of)
    frequency = np.array([frequency_of[w] for w in words], dtype=np.float64)
    scores = ratios = None
    if query is not None:
        whole, _, _, whole_size = old_tally(select(searcher, generation, corpus._scope(None, since, until, source, bool(dedupe))), by, documents=False)
        rest = np.array([whole[w] for w in words], dtype=np.float64) - frequency
        scores = keyness_array(frequency, float(size), rest, float(whole_size - size))
        ratios = log_ratio_array(frequency, float(size), rest, float(whole_size - size))
    if sort == "keyness":
        order = sorted(range(len(words)), key=lambda i: (-scores[i], -frequency[i], words[i]))[:top]
    else:
        order = heapq.nsmallest(top, range(len(words)), key=lambda i: (-frequency[i], words[i]))
    return [
        (
            words[i], int(frequency[i]), documents[words[i]],
            bool(stopwords[words[i]] * 2 > frequency[i] if by == "stem" else is_stopword(words[i])),
            None if scores is None else float(scores[i]),
            None if ratios is None or np.isnan(ratios[i]) else float(ratios[i]),
        )
        for i in order
    ], size


@pytest.mark.parametrize(("query", "options"), CASES)
@pytest.mark.parametrize("top", [1, 37, 100_000])
def test_freq_lists_as_the_word_by_word_count_made_them(sample_corpus: Corpus, query: str | None, options: dict, top: int) -> None:
    expected, words = old_list(sample_corpus, query, options, top)
    for _ in range(2):  # counted, then from what the first call kept
        listed = sample_corpus.freq(query, top=top, **options)
        got = [(t.term, t.frequency, t.documents, t.stopword, t.keyness, t.log_ratio) for t in listed.terms]
        assert got == expected
    assert listed.words == words
    if top == 100_000:
        assert len(got) > 1000  # every word of the selection, ties and all


def test_freq_from_many_threads_at_once_answers_as_one_thread(sample_corpus: Corpus) -> None:
    """A server answers on threads: with nothing kept yet, threads that count and keep
    the vocabulary and the whole corpus's tally at the same time all get the lists one
    thread gets."""
    from concurrent.futures import ThreadPoolExecutor

    from indexer.views import tally

    asks = [(None, {}), ("السعودية", {"sort": "keyness"}), (None, {"by": "exact"}), ("وزير", {"sort": "keyness", "by": "exact"})] * 3

    def listed(ask: tuple) -> list[tuple]:
        query, options = ask
        return [(t.term, t.frequency, t.documents, t.stopword, t.keyness, t.log_ratio) for t in sample_corpus.freq(query, top=200, **options).terms]

    expected = [old_list(sample_corpus, query, options, 200)[0] for query, options in asks]
    with tally._lock:
        tally._vocabularies.clear()
        tally._tallies.clear()
    with ThreadPoolExecutor(6) as pool:
        assert list(pool.map(listed, asks)) == expected


def test_freq_counts_what_an_update_added_and_pruned(sample_jsonl, tmp_path) -> None:  # type: ignore[no-untyped-def]
    """What a process keeps belongs to the segments and articles it counted: after an
    update adds articles (a new segment) or prunes some (deletions in a kept segment),
    freq counts the index as it is now."""
    lines = sample_jsonl.read_text(encoding="utf-8").splitlines()
    articles = tmp_path / "articles.jsonl"
    articles.write_text("\n".join(lines[:150]) + "\n", encoding="utf-8")
    with Corpus(tmp_path / "index") as corpus:
        corpus.index([articles])
        first = corpus.freq(top=50)
        assert [(t.term, t.frequency) for t in first.terms] == [row[:2] for row in old_list(corpus, None, {}, 50)[0]]
        for kept in (lines[:300], lines[100:300]):
            articles.write_text("\n".join(kept) + "\n", encoding="utf-8")
            corpus.index([articles], prune=True)
            for query, options in ((None, {}), ("السعودية", {"sort": "keyness"})):
                expected, words = old_list(corpus, query, options, 50)
                listed = corpus.freq(query, top=50, **options)
                assert [(t.term, t.frequency, t.documents, t.stopword, t.keyness, t.log_ratio) for t in listed.terms] == expected
                assert listed.words == words
            assert listed.words != first.words
