"""Analysis benchmark, run by hand (not by CI): throughput on real news.

    python benchmarks/analyze.py [--articles N]

Throughput: the title and body of the first N (10,000) SaudiNewsNet articles, loaded into
   memory first, through ``stem_analyzer()`` (called as Whoosh calls it at index time),
   through ``analyze()`` and, for reference, through Whoosh's ``StandardAnalyzer()``. The stem
   analyzer runs once with cold word-to-forms caches, then warm; warm runs are best of 3.

The stemmers are scored on the conflation table by ``benchmarks/conflation.py``.

Results are recorded in ``docs/benchmarks.md`` (section "Analysis").
"""

from __future__ import annotations

import argparse
import gzip
import sys
import time
from collections.abc import Callable, Iterable, Sequence
from pathlib import Path

import orjson
from whoosh.analysis import StandardAnalyzer

REPO = Path(__file__).resolve().parents[1]
NEWS = REPO.parent / "shared/data/news/saudinewsnet.jsonl.gz"
ARTICLES = 10_000
REPEATS = 3

# The checkout's package, not an installed one.
if str(REPO) not in sys.path:
    sys.path.insert(0, str(REPO))

from indexer.analysis import analyze, stem_analyzer  # noqa: E402
from indexer.analysis import forms  # noqa: E402
from indexer.analysis.evidence import word_counts  # noqa: E402


# --- output -------------------------------------------------------------------------------


def table(header: Sequence[str], rows: Iterable[Sequence[object]]) -> str:
    """A plain text table: first column left-aligned, the others right-aligned."""
    cells = [list(header)] + [[str(c) for c in row] for row in rows]
    widths = [max(len(row[i]) for row in cells) for i in range(len(header))]

    def line(row: Sequence[str]) -> str:
        return "  ".join(
            c.ljust(w) if i == 0 else c.rjust(w) for i, (c, w) in enumerate(zip(row, widths))
        ).rstrip()

    rule = "  ".join("-" * w for w in widths)
    return "\n".join([line(cells[0]), rule, *(line(row) for row in cells[1:])])


# --- throughput -----------------------------------------------------------------------------


def load_texts(path: Path, limit: int) -> list[str]:
    """Title and body of the first ``limit`` articles, as separate texts (two fields)."""
    if not path.is_file():
        sys.exit(
            f"error: {path} not found.\n"
            "The benchmark reads ../shared/data beside the checkout; run it where that exists."
        )
    texts = []
    with gzip.open(path, "rb") as lines:
        for n, line in enumerate(lines):
            if n >= limit:
                break
            article = orjson.loads(line)
            texts += [article.get("title") or "", article.get("body") or ""]
    return texts


def run_whoosh(analyzer) -> Callable[[list[str]], int]:
    """Consume every token the way Whoosh's index formats do; return the token count."""

    def run(texts: list[str]) -> int:
        count = 0
        for text in texts:
            for _ in analyzer(text, positions=True, chars=True):
                count += 1
        return count

    return run


def run_analyze(texts: list[str]) -> int:
    return sum(len(analyze(text)) for text in texts)


def timed(run: Callable[[list[str]], int], texts: list[str], repeats: int) -> tuple[int, float]:
    """Token count and the best wall time of ``repeats`` runs."""
    best = float("inf")
    for _ in range(repeats):
        start = time.perf_counter()
        tokens = run(texts)
        best = min(best, time.perf_counter() - start)
    return tokens, best


def cache_counts() -> dict[str, tuple[int, int, int]]:
    """(hits, misses, entries) of each word-to-forms cache."""
    return {
        name: (info.hits, info.misses, info.currsize)
        for name, info in (
            ("exact_form", forms.exact_form.cache_info()),
            ("stem_form", forms.stem_form.cache_info()),
        )
    }


def throughput(limit: int) -> None:
    texts = load_texts(NEWS, limit)
    megabytes = sum(len(t.encode("utf-8")) for t in texts) / 1e6
    start = time.perf_counter()
    word_counts()  # the word-frequency table is loaded once per process, not per cache
    load = time.perf_counter() - start

    rows, cache_rows = [], []

    def record(label: str, tokens: int, seconds: float) -> None:
        per_s = tokens / seconds
        rows.append((label, f"{tokens:,}", f"{seconds:.2f}", f"{per_s:,.0f}", f"{megabytes / seconds:.2f}"))

    def record_cache(label: str, before: dict, after: dict) -> None:
        for name in after:
            hits = after[name][0] - before[name][0]
            misses = after[name][1] - before[name][1]
            lookups = hits + misses
            rate = f"{hits / lookups:.1%}" if lookups else "-"
            cache_rows.append((f"{label}: {name}", f"{lookups:,}", f"{misses:,}", rate, f"{after[name][2]:,}"))

    standard = run_whoosh(StandardAnalyzer())
    record(f"StandardAnalyzer (whoosh), best of {REPEATS}", *timed(standard, texts, REPEATS))

    analyzer = stem_analyzer()
    forms.exact_form.cache_clear()
    forms.stem_form.cache_clear()
    before = cache_counts()
    record("stem_analyzer, cold cache, 1 run", *timed(run_whoosh(analyzer), texts, 1))
    after = cache_counts()
    record_cache("cold", before, after)

    before = after
    record(f"stem_analyzer, warm cache, best of {REPEATS}", *timed(run_whoosh(analyzer), texts, REPEATS))
    record_cache(f"warm x{REPEATS}", before, cache_counts())

    record(f"analyze() -> Token list, warm, best of {REPEATS}", *timed(run_analyze, texts, REPEATS))

    print(f"Throughput: title + body of {len(texts) // 2:,} articles from {NEWS.name}", end=", ")
    print(f"{megabytes:.1f} MB of UTF-8 (MB = 10^6 bytes)")
    print()
    print(table(("analyzer", "tokens", "seconds", "tokens/s", "MB/s"), rows))
    print()
    print(table(("word-to-forms cache", "lookups", "misses", "hit rate", "entries"), cache_rows))
    print(f"(at most {forms.CACHE_SIZE:,} entries per cache; the word-frequency table was loaded")
    print(f" before timing, in {load:.2f} s; cache_clear() does not drop it)")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--articles", type=int, default=ARTICLES, help=f"articles to analyze (default {ARTICLES:,})"
    )
    args = parser.parse_args()
    throughput(args.articles)


if __name__ == "__main__":
    main()
