"""How the words a view counts are written in the articles.

The word streams hold each word folded (hamza seats, ة, ى and diacritics folded away) or
stemmed, so a count names رءيس, اليمنيه, علي where the articles wrote رئيس, اليمنية,
على. A researcher quotes words as written, so collocates and frequency lists name each
word by the commonest spelling among its first `SAMPLE` occurrences in the articles
counted, taken in order of article id (then title before body, then position), so
one index and its shards, however laid out, show the same spelling: those articles'
stored text is read and analysed again, as a concordance line is. Diacritics and
tatweel are left out of a spelling: news writes them sparsely, and وزير, وَزِير and وزيـر
are one spelling of one word.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from itertools import islice

import numpy as np

from indexer.analysis.analyzers import iter_words
from indexer.analysis.folding import spelling
from indexer.store.stats import segment_ids
from indexer.views.selection import FIELDS, Selection

#: Occurrences of each word read to see how it is written.
SAMPLE = 10

#: One occurrence read: where it stands (article id, field index, position), the word
#: counted (a stem or an exact form) and its spelling there.
Written = tuple[tuple[str, int, int], str, str]


def spellings(selection: Selection, by: str, wanted: set[str]) -> list[Written]:
    """The first `SAMPLE` occurrences of each of ``wanted`` (words of the ``by`` stream:
    stems or exact forms) in the selected articles, in order of article id, with their
    spelling. The parts of several shards merge by `first_spellings`."""
    remaining = dict.fromkeys(wanted, SAMPLE)
    # per segment and field: its stream, which of its term ids are still looked for, and their words
    looking: list[list[tuple]] = []
    masks_of: dict[str, list[tuple[np.ndarray, int]]] = defaultdict(list)
    order = []
    for k, seg in enumerate(selection.segments):
        per_field = []
        for name in FIELDS:
            stream = seg.form_stream(by, name)
            names = {term_id: word for word in wanted if (term_id := stream.term_id(word)) is not None}
            mask = np.zeros(len(stream.words), dtype=bool)
            mask[list(names)] = True
            for term_id, word in names.items():
                masks_of[word].append((mask, term_id))
            per_field.append((stream, mask, names))
        looking.append(per_field)
        docs = np.flatnonzero(seg.selected)
        order.extend(zip(segment_ids(seg.reader)[docs].tolist(), [k] * len(docs), docs.tolist()))
    order.sort()
    left = sum(1 for word in wanted if masks_of[word])
    places: dict[tuple[int, int, int], list[tuple[str, int, str]]] = defaultdict(list)  # (segment, doc, field) -> (id, position, word)
    for low in range(0, len(order), _CHUNK_ARTICLES):
        if not left:
            break
        chunk = order[low:low + _CHUNK_ARTICLES]
        hits = _hits(chunk, looking)
        for rank, f, position, word in hits:
            if not remaining[word]:
                continue
            remaining[word] -= 1
            article_id, k, doc = chunk[rank]
            places[k, doc, f].append((article_id, position, word))
            if not remaining[word]:
                left -= 1
                for mask, term_id in masks_of[word]:
                    mask[term_id] = False
    found: list[Written] = []
    for (k, doc, f), words in places.items():
        text = selection.segments[k].reader.stored_fields(doc).get(FIELDS[f]) or ""
        written = list(islice(iter_words(text), max(position for _, position, _ in words) + 1))  # up to the last word wanted
        found.extend(((article_id, f, position), word, spelling(written[position][2])) for article_id, position, word in words if position < len(written))
    return found


#: Articles whose words are looked through at once, in order of id (the look stops once
#: every word has its sample, so the commonest words cost one batch).
_CHUNK_ARTICLES = 256


def _hits(chunk: list[tuple[str, int, int]], looking: list[list[tuple]]) -> list[tuple[int, int, int, str]]:
    """``(rank in chunk, field, position, word)`` of every word still looked for in the
    chunk's articles, in order of rank, field and position."""
    ranks, fields, positions, words = [], [], [], []
    by_segment: dict[int, list[int]] = defaultdict(list)
    for rank, (_, k, _) in enumerate(chunk):
        by_segment[k].append(rank)
    for k, chunk_ranks in by_segment.items():
        docs = np.array([chunk[rank][2] for rank in chunk_ranks], dtype=np.int64)
        for f, (stream, mask, names) in enumerate(looking[k]):
            starts = stream.starts[docs]
            lengths = stream.starts[docs + 1] - starts
            total = int(lengths.sum())
            if not total or not mask.any():
                continue
            owner = np.repeat(np.arange(len(docs)), lengths)
            at = starts[owner] + np.arange(total) - np.repeat(np.cumsum(lengths) - lengths, lengths)
            hit = np.flatnonzero(mask[stream.tokens[at]])
            if not len(hit):
                continue
            ranks.append(np.asarray(chunk_ranks)[owner[hit]])
            fields.append(np.full(len(hit), f))
            positions.append(at[hit] - starts[owner[hit]])
            words.extend(names[int(t)] for t in stream.tokens[at[hit]].tolist())
    if not ranks:
        return []
    rank, field, position = np.concatenate(ranks), np.concatenate(fields), np.concatenate(positions)
    ordered = np.lexsort((position, field, rank))
    return [(int(rank[i]), int(field[i]), int(position[i]), words[i]) for i in ordered.tolist()]


def first_spellings(parts: list[list[Written]]) -> dict[str, str]:
    """Each word's commonest spelling among its first `SAMPLE` occurrences in all the
    parts (of equally common ones, the first in code point order)."""
    taken: Counter = Counter()
    counts: Counter = Counter()
    for place, word, written in sorted(found for part in parts for found in part):
        if taken[word] < SAMPLE:
            taken[word] += 1
            counts[word, written] += 1
    best: dict[str, tuple[int, str]] = {}
    for (word, written), count in counts.items():
        if word not in best or (-count, written) < best[word]:
            best[word] = (-count, written)
    return {word: written for word, (_, written) in best.items()}
