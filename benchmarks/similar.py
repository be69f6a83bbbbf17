"""Articles like this one (`corpus query --like ID`, `Corpus.similar`), run by hand (not by CI).

    python benchmarks/similar.py --index DIR [--work DIR] [--sample N]

Does "like this one" find the same story told by another paper? Two news articles that
share a good part of their text, but not nearly all of it, are one story rewritten: the
same press release edited by two papers, or a report and its follow-up. This finds such
pairs among the 41,191 news articles (`../shared/data/news`) by their word 4-shingles
after normalisation (as `knownitem_ceiling.py` normalises: diacritics and punctuation
removed, hamza seats, ة and ى folded): a pair shares at least 5 shingles that at most 8
articles hold, with a Jaccard similarity from 0.1 to 0.8 (above, the two are one text
with a line changed, which `--dedupe` is for). For a sample of articles that have such a
partner it asks for the articles like each, from an index of all 41,191 (``--index``,
e.g. the one ``latency.py`` builds in DIR/ours), and prints MRR@10 (the first partner's
rank) and Recall@10 (a partner among the first 10), against other ways to ask:

- the title alone searched as a pasted title (mode "any"), the article left out;
- the subject words as Lucene's MoreLikeThis picks them by default: a stem counted at
  least twice in the article and found in at least 5 articles, 25 of them;
- the subject words at 10 and 40 words.

The sample is split in two by article id: "dev" (even hash) to choose by, "check" (odd)
to report; the pairs are cached in ``--work``.
"""

from __future__ import annotations

import argparse
import gzip
import hashlib
import itertools
import json
import math
import random
import sys
import time
from collections import Counter, defaultdict
from collections.abc import Callable
from pathlib import Path
from statistics import median

sys.path.insert(0, str(Path(__file__).resolve().parent))

from knownitem_ceiling import words  # noqa: E402

from indexer import Corpus, analysis  # noqa: E402
from indexer.similar import LIKE_WORDS, like_query, subject_words  # noqa: E402
from indexer.store.schema import BODY  # noqa: E402

NEWS = Path(__file__).resolve().parents[2] / "shared" / "data" / "news"
SHINGLE = 4
MAX_HOLDERS = 8
MIN_SHARED = 5
JACCARD = (0.1, 0.8)
DEPTH = 10


def articles() -> dict[str, dict]:
    found = {}
    for name in ("saudinewsnet.jsonl.gz", "antcorpus.jsonl.gz"):
        with gzip.open(NEWS / name, "rt", encoding="utf-8") as lines:
            for line in lines:
                record = json.loads(line)
                found[record["id"]] = record
    return found


def story_pairs(news: dict[str, dict], cache: Path) -> dict[str, set[str]]:
    """Each article's partners: the articles telling its story in part in the same words."""
    if not cache.exists():
        shingles = {}
        for article_id, record in news.items():
            body = words(record.get("body") or "")
            shingles[article_id] = {hash(tuple(body[i:i + SHINGLE])) for i in range(len(body) - SHINGLE + 1)}
        holders = defaultdict(list)
        for article_id, held in shingles.items():
            for shingle in held:
                holders[shingle].append(article_id)
        shared: Counter[tuple[str, str]] = Counter()
        for ids in holders.values():
            if 2 <= len(ids) <= MAX_HOLDERS:
                shared.update(itertools.combinations(sorted(ids), 2))
        pairs = []
        for (a, b), n in shared.items():
            if n >= MIN_SHARED and JACCARD[0] <= n / len(shingles[a] | shingles[b]) < JACCARD[1]:
                pairs.append((a, b))
        cache.write_text(json.dumps(pairs))
    partners: dict[str, set[str]] = defaultdict(set)
    for a, b in json.loads(cache.read_text()):
        partners[a].add(b)
        partners[b].add(a)
    return partners


def lucene_words(corpus: Corpus, article_id: str) -> list[str]:
    """Lucene's MoreLikeThis defaults: minTermFreq 2, minDocFreq 5, maxQueryTerms 25."""
    article = corpus.article(article_id)
    reader = corpus._reader()
    counts: Counter[str] = Counter()
    spellings: dict[str, Counter[str]] = defaultdict(Counter)
    for token in analysis.analyze(f"{article.title}\n{article.body}"):
        if not token.stopword:
            counts[token.stem] += 1
            spellings[token.stem][token.text] += 1
    n = reader.doc_count()
    weights = {}
    for stem, tf in counts.items():
        df = reader.doc_frequency(BODY, stem) if (BODY, stem) in reader else 0
        if tf >= 2 and df >= 5:
            weights[stem] = tf * math.log(n / df)
    best = sorted(weights, key=lambda s: (-weights[s], s))[:25]
    return [spellings[s].most_common(1)[0][0] for s in best]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--index", type=Path, required=True, help="a corpus index of the 41,191 news articles")
    parser.add_argument("--work", type=Path, default=Path("/tmp/corpus-similar"), help="where the pairs are cached")
    parser.add_argument("--sample", type=int, default=600, help="articles asked about (half dev, half check)")
    args = parser.parse_args()
    args.work.mkdir(parents=True, exist_ok=True)
    news = articles()
    partners = story_pairs(news, args.work / "pairs.json")
    corpus = Corpus(args.index)
    asked = sorted(a for a in partners if a in news)
    random.Random(7).shuffle(asked)
    asked = asked[:args.sample]
    split = {a: "dev" if int(hashlib.sha1(a.encode()).hexdigest(), 16) % 2 == 0 else "check" for a in asked}
    reader = corpus._reader()

    def by_words(pick: Callable[[str], list[str]]) -> Callable[[str], list[str]]:
        return lambda a: [h.id for h in corpus.search(like_query(pick(a), a), limit=DEPTH, mode="any").hits]

    methods: dict[str, Callable[[str], list[str]]] = {
        "title alone (mode any)": by_words(lambda a: [news[a]["title"]]),
        "Lucene MoreLikeThis defaults": by_words(lambda a: lucene_words(corpus, a)),
        "subject words, 10": by_words(lambda a: subject_words(corpus.article(a), reader, 10)),
        f"subject words, {LIKE_WORDS} (Corpus.similar)": lambda a: [h.id for h in corpus.similar(a, limit=DEPTH).hits],
        "subject words, 40": by_words(lambda a: subject_words(corpus.article(a), reader, 40)),
    }
    print(f"{len(partners)} articles have a partner (Jaccard of word {SHINGLE}-shingles {JACCARD[0]} to {JACCARD[1]}); "
          f"asked about {len(asked)}: {sum(v == 'dev' for v in split.values())} dev, {sum(v == 'check' for v in split.values())} check\n")
    print(f"{'method':<40} {'dev MRR@10':>10} {'dev R@10':>9} {'check MRR@10':>12} {'check R@10':>10} {'p50 ms':>7}")
    for name, method in methods.items():
        rr: dict[str, list[float]] = {"dev": [], "check": []}
        hit: dict[str, list[int]] = {"dev": [], "check": []}
        times = []
        for a in asked:
            started = time.perf_counter()
            ranked = method(a)
            times.append((time.perf_counter() - started) * 1000)
            ranks = [i for i, b in enumerate(ranked, 1) if b in partners[a]]
            rr[split[a]].append(1 / ranks[0] if ranks else 0.0)
            hit[split[a]].append(1 if ranks else 0)
        m = {k: sum(v) / len(v) for k, v in rr.items()}
        r = {k: sum(v) / len(v) for k, v in hit.items()}
        print(f"{name:<40} {m['dev']:>10.3f} {r['dev']:>9.3f} {m['check']:>12.3f} {r['check']:>10.3f} {median(times):>7.1f}")


if __name__ == "__main__":
    main()
