"""The views' figures on the whole news against a scan of its JSONL, run by hand (not by CI).

    python benchmarks/views_check.py --index DIR

``DIR`` holds an index of the 41,191 articles of ``../shared/data/news`` (built by
``corpus index`` from the two gzip files). The scan reads the same files with
`read_sources`, analyses every title and body with `indexer.analysis.analyze` and counts
by hand (no index, no word stream, no view code): each word's occurrences and articles,
a word's occurrences per month and the words of each month, the company of a node
within five words, a query's articles' frequency list and its keyness. Each figure is
printed beside the view's, with whether they agree; the exit status is 1 if any differs.
The tests do the same on the 1,000-article sample (`tests/views/test_views_oracle.py`);
this checks that nothing changes at the size a researcher works at.
"""

from __future__ import annotations

import argparse
import math
import sys
import time
from collections import Counter, defaultdict
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
if str(REPO) not in sys.path:
    sys.path.insert(0, str(REPO))

from benchmarks.index import source_paths, table  # noqa: E402
from indexer import Corpus  # noqa: E402
from indexer.analysis import analyze  # noqa: E402
from indexer.analysis.stopwords import is_stopword  # noqa: E402
from indexer.sources import Article, read_sources  # noqa: E402

#: Words whose occurrences are counted: frequent, middling and rare.
WORDS = ("الملك", "الحكومة", "قال", "النفط", "الزلزال", "بلينكن")
#: The node whose collocates are checked (window 5, stopwords left out, as the view's defaults).
NODE, WINDOW = "الحكومة", 5
#: The word whose monthly trend is checked.
TREND_WORD = "النفط"
#: The query whose articles' frequency list and keyness are checked.
KEYNESS_QUERY = "النفط"


def stem_of(word: str) -> str:
    (token,) = analyze(word)
    return token.stem


def scan() -> dict:
    """Every count the checks need, from one pass over the news."""
    stems = {w: stem_of(w) for w in WORDS}
    node, trend_stem, key_stem = stem_of(NODE), stem_of(TREND_WORD), stem_of(KEYNESS_QUERY)
    occurrences: Counter = Counter()
    articles: Counter = Counter()
    trend_occurrences: Counter = Counter()
    month_words: Counter = Counter()
    together: Counter = Counter()
    corpus_stems: Counter = Counter()
    corpus_exact: Counter = Counter()
    inside: Counter = Counter()
    node_frequency = window_words = 0
    for article in read_sources(source_paths()):
        if not isinstance(article, Article):
            continue
        fields = [analyze(article.title or ""), analyze(article.body or "")]
        month = article.date.strftime("%Y-%m") if article.date else None
        held = set()
        for toks in fields:
            corpus_stems.update(t.stem for t in toks)
            corpus_exact.update(t.exact for t in toks)
            if month:
                month_words[month] += len(toks)
            near: set[int] = set()
            for i, t in enumerate(toks):
                held.add(t.stem)
                if t.stem == node:
                    node_frequency += 1
                    near.update(j for j in (*range(i - WINDOW, i), *range(i + 1, i + WINDOW + 1)) if 0 <= j < len(toks))
                if t.stem == trend_stem and month:
                    trend_occurrences[month] += 1
            window_words += len(near)
            together.update(toks[j].stem for j in near if not is_stopword(toks[j].exact))
        for word, s in stems.items():
            n = sum(t.stem == s for toks in fields for t in toks)
            occurrences[word] += n
            articles[word] += bool(n)
        if key_stem in held:
            inside.update(t.stem for toks in fields for t in toks)
    return {
        "occurrences": occurrences, "articles": articles, "trend": trend_occurrences, "month_words": month_words,
        "together": together, "node_frequency": node_frequency, "window_words": window_words,
        "corpus_stems": corpus_stems, "corpus_exact": corpus_exact, "inside": inside,
    }


def g2(o11: float, o12: float, o21: float, o22: float) -> float:
    """Dunning's G2, signed, written out again here rather than imported."""
    n = o11 + o12 + o21 + o22
    cells = ((o11, o11 + o12, o11 + o21), (o12, o11 + o12, o12 + o22), (o21, o21 + o22, o11 + o21), (o22, o21 + o22, o12 + o22))
    value = 2 * sum(o * math.log(o * n / (r * c)) for o, r, c in cells if o)
    return value if o11 * n >= (o11 + o12) * (o11 + o21) else -value


def checks(corpus: Corpus, counts: dict) -> list[list[object]]:
    rows: list[list[object]] = []

    def row(case: str, ours: object, scanned: object, close: bool = False) -> None:
        same = math.isclose(ours, scanned, rel_tol=1e-9) if close else ours == scanned  # type: ignore[arg-type]
        rows.append([case, ours if not close else f"{ours:.6g}", scanned if not close else f"{scanned:.6g}", "yes" if same else "NO"])

    for word in WORDS:
        found = corpus.kwic(word, limit=0)
        row(f"kwic {word}: occurrences", found.total, counts["occurrences"][word])
        row(f"kwic {word}: articles", found.articles, counts["articles"][word])
    trend = corpus.trend(TREND_WORD, by="month").series[0]
    points = {p.period: p for p in trend.points}
    by_month = {p: v.occurrences for p, v in points.items() if v.occurrences}
    row(f"trend {TREND_WORD}: months holding it", len(by_month), len(counts["trend"]))
    row(f"trend {TREND_WORD}: occurrences of every month", by_month == dict(counts["trend"]), True)
    busiest = max(counts["trend"], key=counts["trend"].get)
    row(f"trend {TREND_WORD}: per million words, {busiest}", points[busiest].normalized,
        counts["trend"][busiest] / counts["month_words"][busiest] * 1e6, close=True)
    size = sum(counts["corpus_stems"].values())
    for measure in ("logdice", "mi", "t", "llr"):
        result = corpus.collocates(NODE, window=WINDOW, measure=measure, min_freq=1, top=1_000_000)
        if measure == "logdice":
            row(f"collocates {NODE}: node frequency", result.node_frequency, counts["node_frequency"])
            row(f"collocates {NODE}: window words", result.window_words, counts["window_words"])
            row(f"collocates {NODE}: corpus words", result.corpus_words, size)
            row(f"collocates {NODE}: co-occurrence of every collocate", {c.stem: c.cooccurrences for c in result.collocates} == dict(counts["together"]), True)
        best = result.collocates[0]
        o11, f2 = counts["together"][best.stem], counts["corpus_stems"][best.stem]
        expected = counts["window_words"] * f2 / size
        scanned = {
            "logdice": 14 + math.log2(2 * o11 / (counts["node_frequency"] + f2)),
            "mi": math.log2(o11 / expected),
            "t": (o11 - expected) / math.sqrt(o11),
            "llr": g2(o11, counts["window_words"] - o11, f2 - o11, size - counts["window_words"] - f2 + o11),
        }[measure]
        row(f"collocates {NODE} --measure {measure}: {best.word}", best.score, scanned, close=True)
    top = corpus.freq(by="exact", top=50)
    expected_top = sorted(counts["corpus_exact"], key=lambda w: (-counts["corpus_exact"][w], w))[:50]
    row("freq --by exact: the 50 commonest, in order", [t.term for t in top.terms] == expected_top, True)
    row("freq --by exact: their frequencies", [t.frequency for t in top.terms] == [counts["corpus_exact"][w] for w in expected_top], True)
    keyed = corpus.freq(KEYNESS_QUERY, sort="keyness", top=10)
    inside, whole = counts["inside"], counts["corpus_stems"]
    part = sum(inside.values())
    row(f"freq {KEYNESS_QUERY}: words of its articles", keyed.words, part)
    for term in keyed.terms[:3]:
        o11, rest = inside[term.term], whole[term.term] - inside[term.term]
        row(f"freq {KEYNESS_QUERY} keyness: {term.term}", term.keyness, g2(o11, part - o11, rest, size - part - rest), close=True)
    return rows


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--index", type=Path, required=True, help="an index of the two news files")
    args = parser.parse_args()
    started = time.perf_counter()
    counts = scan()
    print(f"scanned the news in {time.perf_counter() - started:.0f} s", file=sys.stderr)
    with Corpus(args.index) as corpus:
        rows = checks(corpus, counts)
    print(table(["check", "view", "scan", "same"], rows))
    sys.exit(0 if all(r[-1] == "yes" for r in rows) else 1)


if __name__ == "__main__":
    main()
