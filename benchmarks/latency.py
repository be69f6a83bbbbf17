"""Query latency benchmark, run by hand (not by CI): ``Corpus.search`` against plain Whoosh.

    python benchmarks/latency.py --index DIR
    python benchmarks/latency.py --index DIR --profile

``--index DIR`` holds two indexes of the 41,191 articles of ``../shared/data/news``, built on
the first run and reused after: ``DIR/ours`` (``Corpus.index``) and ``DIR/baseline`` (plain
Whoosh, ``StandardAnalyzer``, fields id, title, body; as in ``benchmarks/index.py``).

About 20 queries per class are drawn from the corpus with a fixed seed: words by document
frequency from our exact-form lexicon (common: in at least 1,000 documents; rare: in 3 to 30),
kept only where the baseline's lexicon has the same word, so both indexes know it; phrases
from real adjacent word pairs (very common ones, "في المملكة" and "وزير الخارجية" among them,
and pairs seen twice); NEAR pairs from words 2 to 4 apart in real text.

Two comparisons, each of the same work on both sides:

- **With the page** (the first table): ours runs ``Corpus.search(q, limit=10)``: parsing,
  planning, searching, then what a page of results shows (each hit's stored fields, a
  snippet and highlights). Whoosh runs ``searcher.search(MultifieldParser(["title",
  "body"]).parse(q), limit=10)`` with the same words in Whoosh syntax, then reads each
  hit's stored title and its body's best fragment from Whoosh's highlighter.
- **The search alone** (the second table): Whoosh's search with its hits left unread,
  against ours up to the same point: the query understood and planned, every match scored
  and the ten best ranked (``indexer.search.rank``), nothing read for display. Both hold
  one searcher open, as Whoosh's raw search does (``Corpus.search`` also checks, per call,
  that the index has not changed: that is in the first table).

Every query runs once untimed, then 3 timed runs (``time.perf_counter``); a query's time is
the median of the 3. The last table checks item 4 of issue 10: every class's p50 and p95 at
most Whoosh's, in both comparisons.

``--profile`` runs cProfile on the 3 slowest queries of ours and on its slowest phrase.

The warm runs reuse what a long-running application keeps between queries (the searcher,
and for fuzzy terms the lexicon slice of their first letter); the first fuzzy query of a
fresh ``Corpus`` pays for that slice, and its time is printed apart ("cold").

Results are recorded in ``docs/benchmarks.md`` (section "Query latency").
"""

from __future__ import annotations

import argparse
import bisect
import cProfile
import io
import math
import pstats
import random
import re
import statistics
import sys
import time
from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
if str(REPO) not in sys.path:
    sys.path.insert(0, str(REPO))

from whoosh.index import exists_in, open_dir  # noqa: E402
from whoosh.qparser import FuzzyTermPlugin, MultifieldParser  # noqa: E402

from benchmarks.index import (  # noqa: E402
    build_baseline,
    build_ours,
    load_line,
    read_records,
    source_paths,
    table,
)
from indexer import Corpus  # noqa: E402
from indexer.analysis import fold, is_stopword  # noqa: E402
from indexer.errors import UsageError  # noqa: E402
from indexer.query import build as build_query  # noqa: E402
from indexer.query.understand import understand  # noqa: E402
from indexer.search import rank  # noqa: E402
from indexer.store.location import Location, open_generation  # noqa: E402

SEED = 2015
PER_CLASS = 20
REPEATS = 3
LIMIT = 10
COMMON_DF = 1_000
COMMON_TITLE_DF = 300
RARE_DF = (3, 30)
SCAN_EVERY = 8  # adjacent pairs come from every 8th article (about 5,000)
NEAR_SCAN_EVERY = 64  # NEAR pairs from every 64th (about 640): there are many more of them
MUST_PHRASES = ("في المملكة", "وزير الخارجية")
SLOWEST = 3
CLASSES = ("term", "AND", "OR", "NOT", "phrase", "NEAR", "field", "date", "wildcard", "fuzzy")
P95_LIMIT_MS = 300
ARABIC_WORD = re.compile("[\u0621-\u063a\u0641-\u064a]+")
PLAIN_WORD = re.compile("^[\u0621-\u063a\u0641-\u064a]{3,}$")


@dataclass(frozen=True)
class Case:
    """One query: its class, our syntax, Whoosh's (None: no Whoosh equivalent)."""

    kind: str
    ours: str
    whoosh: str | None


# --- indexes ------------------------------------------------------------------------------


def ensure_indexes(root: Path) -> tuple[Path, Path]:
    """``root/ours`` and ``root/baseline``, built if missing."""
    ours, base = root / "ours", root / "baseline"
    paths = source_paths()
    if Corpus(ours).location.live_generation() is None:
        start = time.perf_counter()
        report = build_ours(ours, paths)
        print(f"built {ours}: {report.added:,} articles in {time.perf_counter() - start:.0f} s")
    if not (base.is_dir() and exists_in(str(base))):
        start = time.perf_counter()
        docs = build_baseline(base, paths)
        print(f"built {base}: {docs:,} articles in {time.perf_counter() - start:.0f} s")
    return ours, base


def lexicon(reader, field: str) -> dict[str, int]:
    """term -> document frequency of one field."""
    return {term.decode("utf-8"): info.doc_frequency() for term, info in reader.iter_field(field)}


# --- queries ------------------------------------------------------------------------------


def draw_cases(ours_dir: Path, base_dir: Path) -> list[Case]:
    """About ``PER_CLASS`` queries per class, the same for a given corpus and seed."""
    rng = random.Random(SEED)
    with Corpus(ours_dir).open_index().reader() as reader:
        body_df = lexicon(reader, "body_exact")
        title_df = lexicon(reader, "title_exact")
    with open_dir(str(base_dir)).reader() as reader:
        base_body = {t.decode("utf-8") for t in reader.lexicon("body")}
        base_title = {t.decode("utf-8") for t in reader.lexicon("title")}

    def words(df: dict[str, int], known: set[str], low: int, high: float) -> list[str]:
        return sorted(
            w for w, n in df.items()
            if low <= n <= high and PLAIN_WORD.match(w) and w in known and not is_stopword(w)
        )

    common = words(body_df, base_body, COMMON_DF, math.inf)
    rare = words(body_df, base_body, *RARE_DF)
    half = PER_CLASS // 2

    def pick(pool: Sequence, n: int) -> list:
        return rng.sample(list(pool), min(n, len(pool)))

    def mixed() -> list[str]:
        return pick(common, half) + pick(rare, half)

    cases = [Case("term", w, w) for w in mixed()]
    for kind, op in (("AND", "AND"), ("OR", "OR"), ("NOT", "NOT")):
        firsts = pick(common, PER_CLASS)
        seconds = pick(common, half) + pick(rare, half)
        cases += [Case(kind, f"{a} {op} {b}", f"{a} {op} {b}") for a, b in zip(firsts, seconds)]

    known = set(body_df).__contains__
    adjacent, near = real_pairs(known)
    top = [p for p, _ in adjacent.most_common(100) if " ".join(p) not in MUST_PHRASES]
    twice = sorted(p for p, n in adjacent.items() if n == 2 and not any(map(is_stopword, p)))
    phrases = [tuple(p.split()) for p in MUST_PHRASES] + pick(top, half - len(MUST_PHRASES)) + pick(twice, half)
    cases += [Case("phrase", f'"{a} {b}"', f'"{a} {b}"') for a, b in phrases]
    near_top = [p for p, _ in near.most_common(100)]
    near_twice = sorted(p for p, n in near.items() if n == 2)
    cases += [
        Case("NEAR", f"{a} NEAR/5 {b}", f'"{a} {b}"~5')
        for a, b in pick(near_top, half) + pick(near_twice, half)
    ]

    title_words = pick(words(title_df, base_title, COMMON_TITLE_DF, math.inf), half)
    title_words += pick(words(title_df, base_title, *RARE_DF), half)
    cases += [Case("field", f"title:{w}", f"title:{w}") for w in title_words]

    cases += [Case("date", f"date:[{a} TO {b}]", None) for a, b in date_ranges(rng)]

    lex = sorted(body_df)
    prefixes: list[str] = []
    for w in pick(common, 3 * PER_CLASS) + pick(rare, 3 * PER_CLASS):
        for size in (3, 4, 5):
            prefix = w[:size]
            if 2 <= expansions(lex, prefix) <= 1000 and prefix not in prefixes:
                prefixes.append(prefix)
                break
    cases += [Case("wildcard", f"{p}*", f"{p}*") for p in prefixes[:PER_CLASS]]
    cases += [Case("fuzzy", f"{w}~", f"{w}~") for w in mixed()]
    return cases


def real_pairs(known: Callable[[str], bool]) -> tuple[Counter, Counter]:
    """Adjacent word pairs, and pairs 2 to 4 words apart (no stopwords), in real bodies."""
    adjacent: Counter = Counter()
    near: Counter = Counter()
    for n, record in enumerate(read_records(source_paths())):
        if n % SCAN_EVERY:
            continue
        body = record.get("body") or ""
        matches = list(ARABIC_WORD.finditer(body))
        for left, right in zip(matches, matches[1:]):
            if body[left.end():right.start()].isspace():
                adjacent[left.group(), right.group()] += 1
        if n % NEAR_SCAN_EVERY:
            continue
        plain = [m.group() for m in matches]
        for i, a in enumerate(plain):
            for b in plain[i + 2:i + 5]:
                if len(a) >= 3 and len(b) >= 3 and a != b and not is_stopword(fold(a)) and not is_stopword(fold(b)):
                    near[a, b] += 1
    def keep(pair: tuple[str, str]) -> bool:
        return all(len(w) >= 2 and known(fold(w)) for w in pair)

    return Counter({p: c for p, c in adjacent.items() if keep(p)}), Counter({p: c for p, c in near.items() if keep(p)})


def date_ranges(rng: random.Random) -> list[tuple[date, date]]:
    """Half inside SaudiNewsNet's weeks (July-August 2015), half across ANT's years."""
    ranges = []
    for first, last, longest in ((date(2015, 7, 21), date(2015, 8, 20), 14), (date(2013, 1, 1), date(2017, 6, 30), 90)):
        for _ in range(PER_CLASS // 2):
            start = first + timedelta(days=rng.randrange((last - first).days))
            ranges.append((start, start + timedelta(days=rng.randrange(longest) + 1)))
    return ranges


def expansions(lex: list[str], prefix: str) -> int:
    """How many terms of the sorted lexicon start with ``prefix``."""
    return bisect.bisect_left(lex, prefix + "\U0010ffff") - bisect.bisect_left(lex, prefix)


# --- timing -------------------------------------------------------------------------------


def timed(run: Callable[[], int]) -> tuple[float, int | str]:
    """Median of ``REPEATS`` timed runs after one untimed run, in ms; and the hit count."""
    try:
        found: int | str = run()
    except UsageError as error:
        found = f"error: {error}"
    times = []
    for _ in range(REPEATS):
        start = time.perf_counter()
        try:
            run()
        except UsageError:
            pass
        times.append((time.perf_counter() - start) * 1000)
    return statistics.median(times), found


def time_ours(ours_dir: Path, cases: Sequence[Case]) -> list[tuple[float, int | str]]:
    with Corpus(ours_dir) as corpus:
        return [timed(lambda q=case.ours: corpus.search(q, limit=LIMIT).total) for case in cases]


def time_ours_search_alone(ours_dir: Path, cases: Sequence[Case]) -> list[tuple[float, int | str]]:
    """Ours without the page, on one searcher held open: understanding and planning the
    query, scoring every match and ranking the first ``LIMIT`` (``search.rank``)."""
    generation = Location(ours_dir).require_live_generation()
    with open_generation(generation).searcher() as searcher:
        reader = searcher.reader()

        def search(q: str) -> int:
            node, _ = understand(q, "all", False, reader)
            plan = build_query(node, mode="all", exact=False, reader=reader)
            return len(rank(searcher, plan, limit=LIMIT, offset=0, sort="relevance").docnums)

        return [timed(lambda q=case.ours: search(q)) for case in cases]


def time_cold_fuzzy(ours_dir: Path, cases: Sequence[Case], count: int = 5) -> list[float]:
    """ms of the first fuzzy query of a fresh ``Corpus`` (opening the index included), for
    the first ``count`` fuzzy cases: what a one-query CLI run pays."""
    times = []
    for case in [c for c in cases if c.kind == "fuzzy"][:count]:
        start = time.perf_counter()
        with Corpus(ours_dir) as corpus:
            try:
                corpus.search(case.ours, limit=LIMIT)
            except UsageError:
                pass
        times.append((time.perf_counter() - start) * 1000)
    return times


def time_whoosh(base_dir: Path, cases: Sequence[Case], page: bool = False) -> list[tuple[float, int | str] | None]:
    """Whoosh's raw search of each case; with ``page``, also what a page of results shows:
    each hit's stored title and its body's best fragment from Whoosh's own highlighter."""
    index = open_dir(str(base_dir))
    parser = MultifieldParser(["title", "body"], index.schema)
    parser.add_plugin(FuzzyTermPlugin())
    results: list[tuple[float, int | str] | None] = []

    def raw(searcher, q: str) -> int:  # type: ignore[no-untyped-def]
        return searcher.search(parser.parse(q), limit=LIMIT).scored_length()

    def with_page(searcher, q: str) -> int:  # type: ignore[no-untyped-def]
        hits = searcher.search(parser.parse(q), limit=LIMIT)
        for hit in hits:
            hit.get("title")
            hit.highlights("body")
        return hits.scored_length()

    run = with_page if page else raw
    with index.searcher() as searcher:
        for case in cases:
            if case.whoosh is None:
                results.append(None)
                continue
            results.append(timed(lambda q=case.whoosh: run(searcher, q)))
    return results


def report_search_alone(cases: Sequence[Case], alone: Sequence, base: Sequence) -> None:
    """Ours against Whoosh, the search alone (nothing read for display), class by class."""
    rows = []
    for kind in CLASSES:
        picked = [i for i, c in enumerate(cases) if c.kind == kind]
        mine = [alone[i][0] for i in picked]
        theirs = [base[i][0] for i in picked if base[i] is not None]
        rows.append((kind, len(picked), *summary(mine)[:2], *summary(theirs)[:2]))
    print("The search alone: ours up to the ranked page (search.rank), Whoosh's search with its hits unread")
    print(table(("class", "queries", "ours p50", "p95", "Whoosh p50", "p95"), rows))
    print()


def report_item4(cases: Sequence[Case], comparisons: Sequence[tuple[str, Sequence, Sequence]]) -> None:
    """Issue 10 item 4: every class's p50 and p95 at most Whoosh's, in each comparison."""
    rows = []
    for name, mine_all, theirs_all in comparisons:
        for kind in CLASSES:
            picked = [i for i, c in enumerate(cases) if c.kind == kind and theirs_all[i] is not None]
            if not picked:
                continue
            mine = [mine_all[i][0] for i in picked]
            theirs = [theirs_all[i][0] for i in picked]
            for p in (50, 95):
                a, b = percentile(mine, p), percentile(theirs, p)
                rows.append((name, kind, f"p{p}", f"{a:,.2f}", f"{b:,.2f}", "yes" if a <= b else "NO"))
    print("Issue 10 item 4: ours at most Whoosh, every class, p50 and p95 (ms, two decimals)")
    print(table(("comparison", "class", "", "ours", "Whoosh", "met"), rows))
    print()


def percentile(values: Sequence[float], p: float) -> float:
    """Nearest-rank percentile: the smallest value with at least p% of values at or below it."""
    ordered = sorted(values)
    return ordered[max(0, math.ceil(p / 100 * len(ordered)) - 1)]


def summary(values: Sequence[float]) -> tuple[str, str, str]:
    if not values:
        return ("n/a", "n/a", "n/a")
    return tuple(f"{v:,.1f}" for v in (percentile(values, 50), percentile(values, 95), max(values)))  # type: ignore[return-value]


# --- reports ------------------------------------------------------------------------------


def report(cases: Sequence[Case], ours: Sequence, base: Sequence) -> list[int]:
    """Print the class table (with the page on both sides), targets and slowest queries;
    return the slowest case indexes."""
    rows = []
    both_ours: list[float] = []
    both_base: list[float] = []
    for kind in (*CLASSES, "overall", "overall, classes both ran"):
        picked = [
            i for i, c in enumerate(cases)
            if c.kind == kind or kind == "overall" or (kind.startswith("overall,") and base[i] is not None)
        ]
        mine = [ours[i][0] for i in picked]
        theirs = [base[i][0] for i in picked if base[i] is not None]
        errors = sum(isinstance(ours[i][1], str) for i in picked)
        if kind.startswith("overall,"):
            both_ours, both_base = mine, theirs
        rows.append((kind, len(picked), *summary(mine), *summary(theirs), errors))
    print("With the page: ours Corpus.search, Whoosh its search then each hit's title and highlighted fragment")
    print(table(
        ("class", "queries", "ours p50", "p95", "max", "Whoosh p50", "p95", "max", "ours errors"),
        rows,
    ))
    print("(ms; each query's time is the median of 3 warm runs; p95 is nearest-rank: with 20")
    print(" queries, the 19th fastest. Whoosh has no date field here: n/a.)")
    print()
    worst_class = max(CLASSES, key=lambda k: percentile([ours[i][0] for i, c in enumerate(cases) if c.kind == k], 95))
    worst_p95 = percentile([ours[i][0] for i, c in enumerate(cases) if c.kind == worst_class], 95)
    checks = [
        ("overall p50, ours vs Whoosh", percentile(both_ours, 50), percentile(both_base, 50)),
        ("overall p95, ours vs Whoosh", percentile(both_ours, 95), percentile(both_base, 95)),
    ]
    print(table(
        ("target", "measured", "wanted", "met"),
        [
            *((name, f"{a:,.1f} ms", f"<= {b:,.1f} ms", "yes" if a <= b else "NO") for name, a, b in checks),
            (f"worst class p95 ({worst_class})", f"{worst_p95:,.1f} ms", f"<= {P95_LIMIT_MS} ms",
             "yes" if worst_p95 <= P95_LIMIT_MS else "NO"),
        ],
    ))
    print()
    slowest = sorted(range(len(cases)), key=lambda i: ours[i][0], reverse=True)[:SLOWEST]
    print(f"{SLOWEST} slowest queries of ours:")
    print(table(
        ("query", "class", "ours ms", "hits", "Whoosh query", "Whoosh ms", "hits"),
        [
            (cases[i].ours, cases[i].kind, f"{ours[i][0]:,.1f}", ours[i][1], cases[i].whoosh or "n/a",
             f"{base[i][0]:,.1f}" if base[i] else "n/a", base[i][1] if base[i] else "n/a")
            for i in slowest
        ],
    ))
    print()
    print("Slowest query of ours per class:")
    per_class = [max((i for i, c in enumerate(cases) if c.kind == k), key=lambda i: ours[i][0]) for k in CLASSES]
    print(table(
        ("class", "query", "ms", "hits"),
        [(cases[i].kind, cases[i].ours, f"{ours[i][0]:,.1f}", ours[i][1]) for i in per_class],
    ))
    return slowest


def profile(ours_dir: Path, cases: Sequence[Case], which: Iterable[int], rows: int = 14) -> None:
    with Corpus(ours_dir) as corpus:
        for i in which:
            q = cases[i].ours
            try:
                corpus.search(q, limit=LIMIT)
            except UsageError:
                pass
            profiler = cProfile.Profile()
            start = time.perf_counter()
            profiler.enable()
            try:
                corpus.search(q, limit=LIMIT)
            except UsageError:
                pass
            profiler.disable()
            print(f"cProfile of Corpus.search({q!r}), warm: {(time.perf_counter() - start) * 1000:,.0f} ms under the profiler")
            for order in ("tottime", "cumulative"):
                out = io.StringIO()
                pstats.Stats(profiler, stream=out).sort_stats(order).print_stats(rows)
                text = out.getvalue()
                print(f"sorted by {order}:")
                print(text[text.index("   ncalls"):].rstrip().replace(sys.prefix, "<venv>"))
            print()




# --- main -----------------------------------------------------------------------------------


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--index", type=Path, required=True, help="directory for the two indexes (reused)")
    parser.add_argument("--profile", action="store_true", help=f"cProfile the {SLOWEST} slowest queries of ours and its slowest phrase")
    args = parser.parse_args()
    ours_dir, base_dir = ensure_indexes(args.index)
    cases = draw_cases(ours_dir, base_dir)
    counts = Counter(c.kind for c in cases)
    print(f"{len(cases)} queries ({', '.join(f'{k} {counts[k]}' for k in CLASSES)}), seed {SEED}; "
          f"limit={LIMIT}")
    with Corpus(ours_dir).open_index().reader() as r:
        ours_info = f"{r.doc_count():,} docs"
    print(f"ours: {ours_dir} ({ours_info}, {len(Corpus(ours_dir).open_index()._segments())} segments); "
          f"Whoosh: {base_dir} ({len(open_dir(str(base_dir))._segments())} segment)")
    print(f"Before: {load_line()}")
    print()
    ours = time_ours(ours_dir, cases)
    alone = time_ours_search_alone(ours_dir, cases)
    pages = time_whoosh(base_dir, cases, page=True)
    base = time_whoosh(base_dir, cases)
    slowest = report(cases, ours, pages)
    report_search_alone(cases, alone, base)
    report_item4(cases, [("with the page", ours, pages), ("search alone", alone, base)])
    cold = time_cold_fuzzy(ours_dir, cases)
    print(f"cold: the first fuzzy query of a fresh Corpus (index opened, lexicon slice loaded), "
          f"{len(cold)} queries: median {statistics.median(cold):,.1f} ms, max {max(cold):,.1f} ms")
    print(f"After: {load_line()}")
    if args.profile:
        phrases = [i for i, c in enumerate(cases) if c.kind == "phrase"]
        worst_phrase = max(phrases, key=lambda i: ours[i][0])
        print()
        profile(ours_dir, cases, [*slowest, *([worst_phrase] if worst_phrase not in slowest else [])])


if __name__ == "__main__":
    main()
