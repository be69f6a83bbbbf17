"""Corpus views benchmark, run by hand (not by CI): kwic, trend, collocates, freq on the news.

    python benchmarks/views.py --index DIR

``DIR`` holds an index of the 41,191 articles of ``../shared/data/news``
(``Corpus.index``), built on the first run and reused after. The first table times
building the word streams the views read (`indexer/store/streams.py`), as the writer does
after a commit: every segment, the four text fields, from the postings. The second times
each view through the library (`Corpus.kwic`, `trend`, `collocates`, `freq`), the query
included: "first" in a fresh `Corpus` (a new process's first call: searcher opened,
streams mapped from their files), "warm" as the median of 3 more calls in it (a
long-running application). Words are chosen by how many articles hold them (printed).
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
if str(REPO) not in sys.path:
    sys.path.insert(0, str(REPO))

from benchmarks.index import build_ours, load_line, source_paths, table  # noqa: E402
from indexer import Corpus  # noqa: E402
from indexer.store import streams  # noqa: E402

CASES: list[tuple[str, Callable[[Corpus], object]]] = [
    ("kwic خادم, first 100 lines by date", lambda c: c.kwic("خادم", limit=100)),
    ("kwic السعودية, first 100 lines by date", lambda c: c.kwic("السعودية", limit=100)),
    ("kwic السعودية, first 100 lines --sort left", lambda c: c.kwic("السعودية", limit=100, sort="left")),
    ('kwic "ولي العهد", first 100 lines', lambda c: c.kwic('"ولي العهد"', limit=100)),
    ("kwic الملك NEAR/3 سلمان, first 100 lines", lambda c: c.kwic("الملك NEAR/3 سلمان", limit=100)),
    ("trend السعودية --by month", lambda c: c.trend("السعودية", by="month")),
    ("trend النفط الذهب الدولار --by month", lambda c: c.trend(["النفط", "الذهب", "الدولار"], by="month")),
    ("trend السعودية --by week --split source", lambda c: c.trend("السعودية", by="week", split_source=True)),
    ("trend السعودية --by month --dedupe", lambda c: c.trend("السعودية", by="month", dedupe=True)),
    ("collocates خادم", lambda c: c.collocates("خادم")),
    ("collocates السعودية", lambda c: c.collocates("السعودية")),
    ("collocates ولي --by exact --measure llr", lambda c: c.collocates("ولي", by="exact", measure="llr")),
    ("freq النفط --sort keyness", lambda c: c.freq("النفط", sort="keyness")),
    ("freq (whole corpus)", lambda c: c.freq()),
]


def ensure_index(directory: Path) -> None:
    if not (directory / "current").exists():
        print(f"building {directory} from the news (once)...", file=sys.stderr)
        build_ours(directory, source_paths())


def time_stream_build(directory: Path) -> list[list[object]]:
    """Each text field's streams built from the postings, every segment, nothing saved."""
    rows = []
    with Corpus(directory) as corpus:
        with corpus.open_index().reader() as reader:
            leaves = [leaf for leaf, _ in reader.leaf_readers()]
            for field in streams.TEXT_FIELDS:
                started = time.perf_counter()
                words = sum(len(streams.build(leaf, field).tokens) for leaf in leaves)
                rows.append([field, len(leaves), f"{words:,}", f"{time.perf_counter() - started:.2f}"])
    return rows


def time_views(directory: Path) -> list[list[object]]:
    rows = []
    for name, call in CASES:
        with Corpus(directory) as corpus:
            started = time.perf_counter()
            result = call(corpus)
            first = time.perf_counter() - started
            warm = []
            for _ in range(3):
                started = time.perf_counter()
                call(corpus)
                warm.append(time.perf_counter() - started)
        rows.append([name, _size(result), f"{first * 1000:.0f}", f"{statistics.median(warm) * 1000:.0f}"])
    return rows


def _size(result: object) -> str:
    if hasattr(result, "lines"):
        return f"{result.total:,} occ. in {result.articles:,} art."  # type: ignore[attr-defined]
    if hasattr(result, "series"):
        return f"{len(result.series)} series x {len(result.series[0].points)} periods"  # type: ignore[attr-defined]
    if hasattr(result, "collocates"):
        return f"node {result.node_frequency:,} occ."  # type: ignore[attr-defined]
    return f"{result.articles:,} art., {result.words:,} words"  # type: ignore[attr-defined]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--index", type=Path, required=True, help="index of the news (built when missing)")
    args = parser.parse_args()
    ensure_index(args.index)
    print(load_line())
    print()
    print(table(["streams built from the postings", "segments", "words", "seconds"], time_stream_build(args.index)))
    print()
    streams.prepare(Corpus(args.index).open_index(), Corpus(args.index).location.require_live_generation())
    print(table(["view (library call)", "size", "first ms", "warm ms"], time_views(args.index)))


if __name__ == "__main__":
    main()
