"""Build indexer/analysis/data/pairs.tsv.gz: how much the forms the stemmer could join share
their contexts in the ANT corpus, and what each prefix predicts for a word's count.

Forms are counted without a leading article (``stemming.without_context_article``). For
each pair (longer form, shorter form) that one affix of ``tables.py`` links
(``stemming.suffix_results`` for suffixes), both seen at least ``MIN_CONTEXTS`` times, the
file keeps two figures:

* neighbours: the larger of two cosines, over the words just before and over the words
  just after each form, each neighbour weighted by the square root of its count times its
  idf (log of all neighbour slots over its own), so that في and من, beside every word, do
  not make all words alike. A clitic leaves what follows a word as it was (وقال, قال).
* articles: how much more often the two forms occur in the same article than chance
  predicts, (both + 1) / (expected + 1) with expected = df(a) x df(b) / articles. Forms of
  one word meet in the articles about their subject (المعلمين and معلم: 9.1), two words
  only by chance (الرياضة and الرياض: 1.0). This is Xu and Croft's (1998) co-occurrence
  refinement of stem classes.

Then, per prefix, its rate: the count of prefix+word over the count of word, pooled over
every word seen ``stemming.MIN_EVIDENCE`` times (of three letters or more, not a stopword):
what the prefix predicts for a word it is added to. Rerun with:
    python tools/build_pairs.py ../shared/data/news/antcorpus.jsonl.gz
"""

from __future__ import annotations

import gzip
import math
import sys
from collections import Counter, defaultdict
from collections.abc import Iterator
from pathlib import Path

import orjson

from indexer.analysis.evidence import MIN_CONTEXTS, word_counts
from indexer.analysis.folding import fold
from indexer.analysis.stemming import MIN_EVIDENCE, MIN_STEM, suffix_results, takes_suffix, without_context_article
from indexer.analysis.stopwords import STOPWORDS
from indexer.analysis.tables import CONJUNCTIONS, PREPOSITIONS, SUFFIXES
from indexer.analysis.tokenize import words

OUT = Path(__file__).resolve().parents[1] / "indexer" / "analysis" / "data" / "pairs.tsv.gz"


class Contexts:
    """Neighbour counts and the articles each form occurs in, over one corpus."""

    def __init__(self, path: str) -> None:
        self.left: dict[str, Counter] = defaultdict(Counter)
        self.right: dict[str, Counter] = defaultdict(Counter)
        self.articles: dict[str, set[int]] = defaultdict(set)
        self.article_count = 0
        with gzip.open(path, "rb") as lines:
            for number, line in enumerate(lines):
                article = orjson.loads(line)
                text = f"{article.get('title') or ''}\n{article.get('body') or ''}"
                forms = [without_context_article(fold(text[a:b])) for a, b in words(text)]
                for before, after in zip(forms, forms[1:]):
                    self.right[before][after] += 1
                    self.left[after][before] += 1
                for form in forms:
                    self.articles[form].add(number)
                self.article_count = number + 1
        self.slots = {
            w: max(sum(self.left[w].values()), sum(self.right[w].values()))
            for w in self.left.keys() | self.right.keys()
        }
        self.total = sum(self.slots.values())

    def seen(self) -> set[str]:
        return {w for w, n in self.slots.items() if n >= MIN_CONTEXTS and w[:1] >= "\u0621"}

    def weighted(self, neighbours: Counter) -> dict[str, float]:
        """sqrt(count) x idf per neighbour."""
        return {w: math.sqrt(n) * math.log(self.total / self.slots[w]) for w, n in neighbours.items()}

    def neighbour_similarity(self, a: str, b: str) -> float:
        return max(
            cosine(self.weighted(self.left[a]), self.weighted(self.left[b])),
            cosine(self.weighted(self.right[a]), self.weighted(self.right[b])),
        )

    def cooccurrence(self, a: str, b: str) -> float:
        in_a, in_b = self.articles[a], self.articles[b]
        expected = len(in_a) * len(in_b) / self.article_count
        return (len(in_a & in_b) + 1) / (expected + 1)


def cosine(a: dict[str, float], b: dict[str, float]) -> float:
    if len(a) > len(b):
        a, b = b, a
    dot = sum(n * b.get(w, 0) for w, n in a.items())
    norm = math.sqrt(sum(n * n for n in a.values()) * sum(n * n for n in b.values()))
    return dot / norm if norm else 0.0


def candidate_pairs(seen: set[str]) -> Iterator[tuple[str, str]]:
    """(longer, shorter) for each pair of seen forms that one affix links."""
    for word in seen:
        if word[0] in CONJUNCTIONS + PREPOSITIONS and word[1:] in seen and len(word) > MIN_STEM:
            yield word, word[1:]
        for suffix in SUFFIXES:
            if takes_suffix(word, suffix):
                for rest in suffix_results(word, suffix):
                    if rest in seen:
                        yield word, rest


def prefix_rates(counts: dict[str, int]) -> dict[str, float]:
    """Per prefix: count(prefix + word) / count(word), pooled over the words it may be added to."""
    bases = [(w, n) for w, n in counts.items() if n >= MIN_EVIDENCE and len(w) >= MIN_STEM and w not in STOPWORDS]
    total = sum(n for _, n in bases)
    return {p: sum(counts.get(p + w, 0) for w, _ in bases) / total for p in CONJUNCTIONS + PREPOSITIONS}


def main(path: str) -> None:
    contexts = Contexts(path)
    rows = [
        f"{a}\t{b}\t{contexts.neighbour_similarity(a, b):.2f}\t{contexts.cooccurrence(a, b):.2f}\n"
        for a, b in sorted(set(candidate_pairs(contexts.seen())))
    ]
    rates = prefix_rates(word_counts())
    with gzip.open(OUT, "wt", encoding="utf-8", compresslevel=9) as out:
        out.write("# forms one affix links: longer, shorter, neighbour cosine, article co-occurrence\n")
        out.write(f"# ANT corpus (Apache-2.0), {contexts.article_count} articles; both forms seen {MIN_CONTEXTS}+ times\n")
        for prefix, rate in sorted(rates.items()):
            out.write(f"#rate\t{prefix}\t{rate:.5f}\n")
        out.writelines(rows)
    print(f"{len(rows)} pairs, prefix rates {({p: round(r, 4) for p, r in rates.items()})} -> {OUT}")


if __name__ == "__main__":
    main(sys.argv[1])
