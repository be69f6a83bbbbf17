"""What the search page's "كيف فُهم البحث" panel costs, run by hand (not by CI): for each
query, the median time of ``Corpus.explanation`` (what the panel adds) beside that of the
search the page runs for its results (``Corpus.search`` with the page's facets and "did you
mean"), in one process, the same queries alternating.

    python benchmarks/explain.py --index DIR [--rounds 7]

``DIR`` holds an index (the 41,191 articles of ``../shared/data/news``, as ``serve.py``
builds it). The last row is the sum of the medians.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
if str(REPO) not in sys.path:
    sys.path.insert(0, str(REPO))

from benchmarks.index import load_line, table  # noqa: E402
from indexer import Corpus  # noqa: E402
from indexer.server.pages import PAGE_FACETS, PAGE_SIZE  # noqa: E402

QUERIES = [
    "السعودية", "وزير الخارجية", '"وزير الخارجية"', "النفط الأسعار", "الرياض OR جدة", "الهلال النصر",
    "الاقتصا*", "بلينكن~1", "فكرة والمحطة بالخدمة", "ما هي عاصمة السعودية",
]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--index", type=Path, required=True)
    parser.add_argument("--rounds", type=int, default=7)
    args = parser.parse_args()
    with Corpus(args.index) as corpus:
        search = lambda q: corpus.search(q, limit=PAGE_SIZE, facets=PAGE_FACETS, did_you_mean=True)  # noqa: E731
        for query in QUERIES:  # warm the caches both use
            search(query), corpus.explanation(query)
        rows, totals = [], [0.0, 0.0]
        for query in QUERIES:
            times: tuple[list[float], list[float]] = ([], [])
            for _ in range(args.rounds):
                for spent, call in zip(times, (search, corpus.explanation)):
                    start = time.perf_counter()
                    call(query)
                    spent.append(time.perf_counter() - start)
            searched, explained = (statistics.median(t) * 1000 for t in times)
            totals[0] += searched
            totals[1] += explained
            rows.append((query, f"{searched:.1f}", f"{explained:.1f}", f"{explained / searched:.0%}"))
        rows.append(("all (sum of medians)", f"{totals[0]:.1f}", f"{totals[1]:.1f}", f"{totals[1] / totals[0]:.0%}"))
    print(load_line())
    print(table(("query", "search ms", "explanation ms", "explanation/search"), rows))


if __name__ == "__main__":
    main()
