"""Collocations: the words that keep company with a node within a window of words.

The node is whatever a query matched (`occurrences.py`): each of its occurrences in the
selected articles looks ``window`` words to its left and right, inside its own field (a
title's words never neighbour a body's), and every word standing within reach of an
occurrence counts once (two close occurrences of the node do not count their shared
neighbours twice). A collocate's frequency is its count in the corpus under the same
filters (titles and bodies, the same dates, source and deduplication); the scores
(`measures.py`) weigh the two.
Stopwords (by their exact form) are left out unless asked for.

By stem (the default), a collocate is its stem, shown as its commonest written form
beside the node (`الحرمين` rather than `حرمين`); by exact, each folded form is its own.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import asdict, dataclass, field

import numpy as np

from indexer.errors import Surface, UsageError, option, worded
from indexer.query.plan import Plan
from indexer.views.measures import MEASURES, association
from indexer.views.occurrences import occurrences
from indexer.views.selection import BY, FIELDS, Selection


@dataclass(frozen=True)
class Collocate:
    #: Its commonest form beside the node, as the articles most often write it (`indexer.written`).
    word: str
    stem: str
    cooccurrences: int
    frequency: int
    score: float


@dataclass
class Collocates:
    node: str
    window: int
    measure: str
    by: str
    node_frequency: int
    window_words: int
    corpus_words: int
    deduplicated: bool
    collocates: list[Collocate]
    #: Why it may be emptier than meant (see ``Results.notes``).
    notes: list[str] = field(default_factory=list)

    def to_dict(self, surface: Surface = Surface.LIBRARY) -> dict:
        data = asdict(self)
        data["collocates"] = [asdict(c) for c in self.collocates]
        data["notes"] = [worded(note, surface) for note in self.notes]
        return data


def counted(values: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """The distinct values (ascending) and how often each occurs: `np.unique` by sorting,
    which beats its hashing on these arrays."""
    if not len(values):
        return values, np.zeros(0, dtype=np.int64)
    ordered = np.sort(values)
    starts = np.flatnonzero(np.concatenate(([True], ordered[1:] != ordered[:-1])))
    return ordered[starts], np.diff(np.append(starts, len(ordered)))


def neighbours(seg, found, window: int, name_index: int) -> np.ndarray:  # type: ignore[no-untyped-def]
    """Token indexes (into the streams of field ``FIELDS[name_index]``) of the words
    within ``window`` of an occurrence in that field, each word once however many
    occurrences it is near (so a collocate is never counted more often than it occurs)."""
    stream = seg.form_stream("exact", FIELDS[name_index])  # the stem stream has the same layout
    here = found.field == name_index
    doc, first, last = found.doc[here], found.first[here], found.last[here]
    lengths = stream.lengths()[doc]
    parts = []
    for step in range(1, window + 1):
        for position in (first - step, last + step):
            inside = (position >= 0) & (position < lengths)
            parts.append(stream.starts[doc[inside]] + position[inside])
    return counted(np.concatenate(parts))[0] if parts else np.zeros(0, dtype=np.int64)


@dataclass
class CollocationPart:
    """What one index (or one shard) counts of a node's company: each collocate's
    co-occurrences, all its forms together and by exact form written, and the node's
    occurrences."""

    seen: Counter  # key -> co-occurrences
    written: Counter  # (key, exact form) -> co-occurrences
    node_frequency: int
    window_words: int  # the words within reach of an occurrence, stopwords too, each once

    def __add__(self, other: CollocationPart) -> CollocationPart:
        return CollocationPart(
            self.seen + other.seen,
            self.written + other.written,
            self.node_frequency + other.node_frequency,
            self.window_words + other.window_words,
        )


def check_collocates(by: str, measure: str, window: int, min_freq: int, top: int) -> None:
    if by not in BY:
        raise UsageError(option("by"), f" must be one of {', '.join(BY)}, not {by!r}")
    if measure not in MEASURES:
        raise UsageError(option("measure"), f" must be one of {', '.join(MEASURES)}, not {measure!r}")
    for name, value, least in (("window", window, 1), ("min_freq", min_freq, 1), ("top", top, 0)):
        if value < least:
            raise UsageError(option(name), f" must be at least {least}, not {value}")


def collocation_part(plan: Plan, selection: Selection, *, window: int, by: str, stopwords: bool) -> CollocationPart:
    """The words within ``window`` of the occurrences of ``plan`` in the selected
    articles (stopwords left out unless ``stopwords``), counted (see the module docstring)."""
    seen: Counter[str] = Counter()
    written: Counter[tuple[str, str]] = Counter()  # (key, exact form) beside the node
    node_frequency = window_words = 0
    for seg in selection.segments:
        found = occurrences(seg, plan)
        node_frequency += len(found)
        if not len(found):
            continue
        for f, name in enumerate(FIELDS):
            at = neighbours(seg, found, window, f)
            if not len(at):
                continue
            window_words += len(at)
            exact = seg.form_stream("exact", name)
            if not stopwords:
                at = at[~exact.stopwords[exact.tokens[at]]]
            keys = seg.form_stream(by, name).tokens[at].astype(np.int64)
            forms = exact.tokens[at].astype(np.int64)
            pairs, counts = counted(keys * len(exact.words) + forms)
            key_words = seg.form_stream(by, name).word_array
            exact_words = exact.word_array
            for key, form, count in zip(
                key_words[pairs // len(exact.words)].tolist(), exact_words[pairs % len(exact.words)].tolist(), counts.tolist()
            ):
                seen[key] += count
                written[key, form] += count
    return CollocationPart(seen, written, node_frequency, window_words)


def frequent(counted_part: CollocationPart, min_freq: int) -> set[str]:
    """The collocates seen at least ``min_freq`` times: those whose corpus frequency is asked."""
    return {key for key, count in counted_part.seen.items() if count >= min_freq}


def collocates(
    node: str,
    counted_part: CollocationPart,
    totals: dict[str, int],
    corpus_words: int,
    *,
    window: int,
    by: str,
    measure: str,
    min_freq: int,
    top: int,
    deduplicated: bool,
) -> Collocates:
    """The ``top`` collocates by ``measure`` among those seen at least ``min_freq`` times
    near the node, from the counts of every index added up (`collocation_part`) and the
    corpus frequencies of the `frequent` ones (`frequency.corpus_frequencies`, added up)."""
    check_collocates(by, measure, window, min_freq, top)
    kept = frequent(counted_part, min_freq)
    shown: dict[str, tuple[int, str]] = {}  # each collocate's commonest form beside the node (ties: the first in order)
    for (key, form), count in counted_part.written.items():
        if key in kept and (key not in shown or (-count, form) < shown[key]):
            shown[key] = (-count, form)
    found_collocates = []
    for key in kept:
        count = counted_part.seen[key]
        frequency = totals.get(key, 0)
        score = association(
            measure, count, counted_part.node_frequency, counted_part.window_words, frequency, corpus_words
        )
        found_collocates.append(Collocate(shown[key][1], key, count, frequency, score))
    found_collocates.sort(key=lambda c: (-c.score, -c.cooccurrences, c.stem))
    return Collocates(
        node=node,
        window=window,
        measure=measure,
        by=by,
        node_frequency=counted_part.node_frequency,
        window_words=counted_part.window_words,
        corpus_words=corpus_words,
        deduplicated=deduplicated,
        collocates=found_collocates[:top],
    )
