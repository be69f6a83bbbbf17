"""Corpus evidence the stemmer weighs before it removes an affix: word counts, how much two
forms share their contexts, and how often each prefix occurs on a word.

Both files are built from the ANT news corpus (Apache-2.0) and ship figures, not text:

* ``data/wordfreq.tsv.gz`` (``tools/build_wordfreq.py``): folded word counts, min count 3,
  and what folding loses: how often a word in ال was spelled with a hamza alef first
  (ألوان, not ال + وان), and a word in ه with ة (بقاعة, not بقاع + ه).
* ``data/pairs.tsv.gz`` (``tools/build_pairs.py``): for each pair of forms the stemmer could
  join by shape (``وقال``/``قال``, ``الحكومات``/``الحكومه`` seen without the article,
  ``لبنان``/``لبن``), both seen at least ``MIN_CONTEXTS`` times, two figures. How alike
  their neighbouring words are (a cosine): forms of one word are used alike (what follows
  وقال is what follows قال: 0.50), two words are not (فكره/كره 0.04). And how much more
  often than chance they meet in one article: forms of one word share their subject
  (المعلمين/معلم 9.1), two words do not (الرياضه/الرياض 1.0); this is Xu and Croft's (1998)
  co-occurrence refinement of stem classes. Its ``#rate`` lines give, per prefix, the count
  of prefix+word over the count of word, over all words: what the prefix predicts.
"""

from __future__ import annotations

import gzip
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources

#: A pair is only compared on contexts when both forms were seen this often.
MIN_CONTEXTS = 10


def _data_lines(name: str) -> list[str]:
    data = resources.files("indexer.analysis").joinpath(f"data/{name}").read_bytes()
    return gzip.decompress(data).decode("utf-8").splitlines()


@lru_cache(maxsize=1)
def _word_table() -> tuple[dict[str, int], dict[str, tuple[int, int]]]:
    counts, spelled = {}, {}
    for line in _data_lines("wordfreq.tsv.gz"):
        if line and not line.startswith("#"):
            word, count, *other = line.split("\t")
            counts[word] = int(count)
            if other:
                spelled[word] = (int(other[0]), int(other[1]))
    return counts, spelled


def word_counts() -> dict[str, int]:
    """Folded word counts shipped with the package (loaded once per process)."""
    return _word_table()[0]


@dataclass(frozen=True, slots=True)
class Contexts:
    """How two forms are used: neighbour cosine (0..1), article co-occurrence (1 = chance)."""

    neighbours: float
    cooccurrence: float


@lru_cache(maxsize=1)
def _pairs() -> tuple[dict[tuple[str, str], Contexts], dict[str, float]]:
    similarities: dict[tuple[str, str], Contexts] = {}
    rates: dict[str, float] = {}
    for line in _data_lines("pairs.tsv.gz"):
        if line.startswith("#rate\t"):
            _, affix, rate = line.split("\t")
            rates[affix] = float(rate)
        elif line and not line.startswith("#"):
            longer, shorter, neighbours, cooccurrence = line.split("\t")
            similarities[longer, shorter] = Contexts(float(neighbours), float(cooccurrence))
    return similarities, rates


def count(word: str) -> int:
    """How often ``word`` (folded) was seen; 0 when fewer than 3 times."""
    return word_counts().get(word, 0)


def article_count(word: str) -> int:
    """How often ``word`` (folded, in ال) was seen spelled with a plain alef first: the times
    its ال may be the article. ألوان and آلاف fold to الوان and الاف, and are no article."""
    return count(word) - _word_table()[1].get(word, (0, 0))[0]


def pronoun_count(word: str) -> int:
    """How often ``word`` (folded, in ه) was seen spelled with ه, not with ة: the times its
    ه may be the pronoun "his" (بعده). بقاعة folds to بقاعه too, and is ب + قاعة."""
    return count(word) - _word_table()[1].get(word, (0, 0))[1]


def contexts(longer: str, shorter: str) -> Contexts | None:
    """How ``longer`` and ``shorter`` are used; None when either was seen too rarely to
    say (or the pair is not one the stemmer can form)."""
    return _pairs()[0].get((longer, shorter))


def prefix_rate(prefix: str) -> float:
    """The count of prefix+word over the count of word, pooled over all words."""
    return _pairs()[1].get(prefix, 0.0)
