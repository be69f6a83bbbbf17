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

import numpy as np

from indexer.analysis.analyzers import words_with_forms
from indexer.analysis.folding import DELETIONS, decompose_presentation_forms, to_nfc
from indexer.store.stats import segment_ids
from indexer.views.selection import FIELDS, Selection

#: Occurrences of each word read to see how it is written.
SAMPLE = 5

#: One occurrence read: where it stands (article id, field index, position), the word
#: counted (a stem or an exact form) and its spelling there.
Written = tuple[tuple[str, int, int], str, str]


def spelling(original: str) -> str:
    """A word as written, without its diacritics, tatweel and invisible marks."""
    return to_nfc(decompose_presentation_forms(original)).translate(DELETIONS)


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
    for article_id, k, doc in order:
        if not left:
            break
        for f, (stream, mask, names) in enumerate(looking[k]):
            tokens = stream.tokens[stream.starts[doc]:stream.starts[doc + 1]]
            for position in np.flatnonzero(mask[tokens]).tolist():
                word = names[int(tokens[position])]
                if not remaining[word]:
                    continue
                remaining[word] -= 1
                places[k, doc, f].append((article_id, position, word))
                if not remaining[word]:
                    left -= 1
                    for other_mask, term_id in masks_of[word]:
                        other_mask[term_id] = False
    found: list[Written] = []
    for (k, doc, f), words in places.items():
        written = words_with_forms(selection.segments[k].reader.stored_fields(doc).get(FIELDS[f]) or "")
        found.extend(((article_id, f, position), word, spelling(written[position][2])) for article_id, position, word in words if position < len(written))
    return found


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
