"""Query latency benchmark, run by hand (not by CI): ``Corpus.search`` against plain Whoosh.

    cd /work/main && /work/venv/bin/python benchmarks/latency.py --index /tmp/corpus-latency
    cd /work/main && /work/venv/bin/python benchmarks/latency.py --index /tmp/corpus-latency --profile
    cd /work/main && /work/venv/bin/python benchmarks/latency.py --index /tmp/corpus-latency --experiments

``--index DIR`` holds two indexes of the 41,191 articles of ``../shared/data/news``, built on
the first run and reused after: ``DIR/ours`` (``Corpus.index``) and ``DIR/baseline`` (plain
Whoosh, ``StandardAnalyzer``, fields id, title, body; as in ``benchmarks/index.py``).

About 20 queries per class are drawn from the corpus with a fixed seed: words by document
frequency from our exact-form lexicon (common: in at least 1,000 documents; rare: in 3 to 30),
kept only where the baseline's lexicon has the same word, so both indexes know it; phrases
from real adjacent word pairs (very common ones, "في المملكة" and "وزير الخارجية" among them,
and pairs seen twice); NEAR pairs from words 2 to 4 apart in real text. Ours runs
``Corpus.search(q, limit=10)``: parsing, building, searching, snippets and highlights. The
baseline runs ``searcher.search(MultifieldParser(["title", "body"]).parse(q), limit=10)``
with the same words in Whoosh syntax. Every query runs once untimed, then 3 timed runs
(``time.perf_counter``); a query's time is the median of the 3.

``--profile`` runs cProfile on the 3 slowest queries of ours and on its slowest phrase. ``--experiments`` times ours
again with each candidate change monkeypatched in a subprocess (the product is untouched).

Results are recorded in ``docs/benchmarks.md`` (section "Query latency").
"""

from __future__ import annotations

import argparse
import bisect
import cProfile
import importlib
import io
import json
import math
import pstats
import random
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from dataclasses import asdict, dataclass
from datetime import date, timedelta
from itertools import islice
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
if str(REPO) not in sys.path:
    sys.path.insert(0, str(REPO))

from whoosh.index import exists_in, open_dir  # noqa: E402
from whoosh.qparser import FuzzyTermPlugin, MultifieldParser  # noqa: E402

from benchmarks.index import (  # noqa: E402
    build_baseline,
    build_ours,
    mmap_view,
    lengths_table,
    load_line,
    read_records,
    source_paths,
    table,
)
from indexer import Corpus  # noqa: E402
from indexer.analysis import fold, is_stopword  # noqa: E402
from indexer.errors import UsageError  # noqa: E402

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


def time_whoosh(base_dir: Path, cases: Sequence[Case]) -> list[tuple[float, int | str] | None]:
    index = open_dir(str(base_dir))
    parser = MultifieldParser(["title", "body"], index.schema)
    parser.add_plugin(FuzzyTermPlugin())
    results: list[tuple[float, int | str] | None] = []
    with index.searcher() as searcher:
        for case in cases:
            if case.whoosh is None:
                results.append(None)
                continue
            q = case.whoosh
            results.append(timed(lambda q=q: searcher.search(parser.parse(q), limit=LIMIT).scored_length()))
    return results


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
    """Print the class table, targets and slowest queries; return the slowest case indexes."""
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


# --- candidate changes (monkeypatched, in a subprocess each) -------------------------------


def expand_once() -> None:
    """indexer/query/expansion.py + build.py: ``check_expansion`` expands every wildcard,
    prefix and fuzzy term over the whole index (for a fuzzy term, ``MultiReader.terms_within``
    runs Damerau-Levenshtein in Python on every term sharing the first letter), then Whoosh
    expands it again in every segment, twice (``Or`` orders its children by ``estimate_size``,
    which expands, then ``matcher`` expands). Instead: expand once per segment (each segment's
    own automaton walk, as the search does now), count the union for the limit, and search
    exactly those terms: a ``MultiTerm`` whose ``_btexts`` is the segment's list."""
    from whoosh.query import FuzzyTerm
    from whoosh.query.terms import MultiTerm

    import indexer.corpus
    from indexer.query.errors import QueryError
    from indexer.query.expansion import DEFAULT_EXPANSION_LIMIT
    from indexer.query.nodes import ID_FIELDS

    build_module = importlib.import_module("indexer.query.build")  # the package exports a build()

    class Expanded(MultiTerm):
        def __init__(self, original, per_segment):
            self.fieldname = original.fieldname
            self.text = original.text
            self.boost = original.boost
            self.constantscore = original.constantscore
            self.per_segment = per_segment  # id(segment) -> its terms

        def __eq__(self, other):
            return type(other) is Expanded and (self.fieldname, self.per_segment) == (other.fieldname, other.per_segment)

        def __hash__(self):
            return hash((self.fieldname, self.text))

        def __repr__(self):
            return f"Expanded({self.fieldname!r}, {self.text!r})"

        def _btexts(self, ixreader):
            if ixreader.is_atomic():
                return self.per_segment.get(id(ixreader.segment()), [])
            return sorted(set().union(*self.per_segment.values()))

    def replace(q, reader):
        if isinstance(q, MultiTerm) and q.field() not in ID_FIELDS:
            per_segment, union = {}, set()
            for leaf, _ in reader.leaf_readers():
                terms = list(q._btexts(leaf))
                per_segment[id(leaf.segment())] = terms
                union.update(terms)
                if len(union) > DEFAULT_EXPANSION_LIMIT:
                    fuzzy = isinstance(q, FuzzyTerm)
                    raise QueryError(
                        f"{'fuzzy term' if fuzzy else 'pattern'} '{getattr(q, 'query_text', q.text)}' "
                        f"matches more than {DEFAULT_EXPANSION_LIMIT} terms",
                        getattr(q, "query_pos", None),
                        hint="use ~1 or a longer word" if fuzzy else "make it longer",
                    )
            return Expanded(q, per_segment)
        if q.is_leaf():
            return q
        return q.apply(lambda child: replace(child, reader))

    def build(node, mode="all", exact=False, *, reader=None, **kwargs):
        query = build_module.compile_query(node, mode, exact, reader=None, **kwargs).query
        return query if reader is None else replace(query, reader)

    indexer.corpus.build_query = build


def phrase_positions() -> None:
    """indexer/query/spans.py ``_PhraseMatcher._get_spans``: read each word's positions as
    ints (``value_as("positions")``) instead of ``spans()``, which builds a ``Span`` object
    per position of every word (thousands for a word like في), and intersect start sets."""
    from whoosh.query.spans import Span

    from indexer.query import spans

    def _get_spans(self):
        starts = set(self.ms[0].value_as("positions"))
        for i, m in enumerate(self.ms[1:], 1):
            starts.intersection_update(p - i for p in m.value_as("positions"))
            if not starts:
                return []
        last = len(self.ms) - 1
        return [Span(s, s + last) for s in sorted(starts)]

    spans._PhraseMatcher._get_spans = _get_spans


def fuzzy_prefix_2() -> None:
    """indexer/query/build.py ``FUZZY_PREFIX = 2``: fuzzy matches share two leading letters."""
    importlib.import_module("indexer.query.build").FUZZY_PREFIX = 2


def fuzzy_one_edit() -> None:
    """``word~`` allows one edit at any length (the parser gives 2 from 6 letters on)."""
    from whoosh.query import FuzzyTerm

    original = FuzzyTerm.__init__

    def __init__(self, fieldname, text, boost=1.0, maxdist=1, *args, **kwargs):
        original(self, fieldname, text, boost, min(maxdist, 1), *args, **kwargs)

    FuzzyTerm.__init__ = __init__


def and_not_first() -> None:
    """whoosh/matching/binary.py ``AndNotMatcher._find_first``: it excludes the first
    document only when the negative matcher sits exactly on it; when the negative matcher
    starts earlier (its first document is lower), the positive's first document is returned
    even if it holds the negative word. Every new ``AndNotMatcher`` (per segment, and again
    from ``replace()``) starts this way, so ``a NOT b`` returns a few documents holding b
    (more segments, more of them). Skip the negative matcher to the first document first."""
    from whoosh.matching.binary import AndNotMatcher

    def _find_first(self):
        a, b = self.a, self.b
        if a.is_active() and b.is_active():
            if b.id() < a.id():
                b.skip_to(a.id())
            if b.is_active() and a.id() == b.id():
                self._find_next()

    AndNotMatcher._find_first = _find_first


def _all_of(*patches: Callable[[], None]) -> Callable[[], None]:
    def patch() -> None:
        for each in patches:
            each()

    return patch


PATCHES: dict[str, tuple[str, Callable[[], None]]] = {
    "lengths": ("whoosh: doc_field_length from a bytes table (as in benchmarks/index.py)", lengths_table),
    "mmap-view": ("whoosh: BufferFile reads the mmap in place, no copy (as in benchmarks/index.py)", mmap_view),
    "expand-once": ("ours: search the terms check_expansion found, expand once", expand_once),
    "phrase-ints": ("ours: phrase spans from position ints, set intersection", phrase_positions),
    "fuzzy-prefix-2": ("ours: FUZZY_PREFIX = 2 (changes results)", fuzzy_prefix_2),
    "fuzzy-1-edit": ("ours: ~ is 1 edit at any length (changes results)", fuzzy_one_edit),
    "and-not-first": ("whoosh: AndNotMatcher skips the negative matcher first (fixes results)", and_not_first),
    "combined": (
        "lengths + mmap-view + expand-once + phrase-ints",
        _all_of(lengths_table, mmap_view, expand_once, phrase_positions),
    ),
}
ONE_SEGMENT = "one-segment"  # the same index, optimized into one segment (a copy)
#: Run by a bare ``--experiments``; "X@one-segment" runs change X on the one-segment copy.
EXPERIMENTS = (
    "lengths", "mmap-view", "expand-once", "phrase-ints", "and-not-first", "fuzzy-1-edit", "combined",
    ONE_SEGMENT, f"combined@{ONE_SEGMENT}",
)


def experiments(root: Path, ours_dir: Path, cases: Sequence[Case], names: Sequence[str]) -> None:
    print(f"Candidate changes, each timed in a subprocess on the same queries. Before: {load_line()}")
    print()
    with tempfile.TemporaryDirectory(prefix="corpus-latency-") as tmp:
        cases_file = Path(tmp) / "cases.json"
        cases_file.write_text(json.dumps([asdict(c) for c in cases], ensure_ascii=False))
        runs = {"as is": _child(ours_dir, cases_file, [])}
        for name in names:
            patch, _, where = name.partition("@")
            if ONE_SEGMENT in (patch, where):
                patches = [] if patch == ONE_SEGMENT else [patch]
                runs[name] = _child(optimized_copy(root, ours_dir), cases_file, patches)
            else:
                runs[name] = _child(ours_dir, cases_file, [name])
            print(f"  done: {name}", file=sys.stderr, flush=True)
    hits = {label: [found for _, found in run] for label, run in runs.items()}
    runs = {label: [ms for ms, _ in run] for label, run in runs.items()}
    rows = []
    for kind in (*CLASSES, "overall"):
        picked = [i for i, c in enumerate(cases) if c.kind == kind or kind == "overall"]
        cells = []
        for label, times in runs.items():
            values = [times[i] for i in picked]
            cells.append(f"{percentile(values, 50):,.0f} / {percentile(values, 95):,.0f}")
        rows.append((kind, *cells))
    print(table(("class (p50 / p95 ms)", *runs), rows))
    print()
    ratios = []
    base = runs["as is"]
    for label, times in runs.items():
        if label == "as is":
            continue
        slowest = sorted(range(len(cases)), key=lambda i: base[i], reverse=True)[:SLOWEST]
        ratios.append((
            label,
            f"{percentile(base, 50) / percentile(times, 50):.2f}",
            f"{percentile(base, 95) / percentile(times, 95):.2f}",
            f"{sum(base[i] for i in slowest) / sum(times[i] for i in slowest):.2f}",
            sum(a != b for a, b in zip(hits["as is"], hits[label])),
            _describe(label),
        ))
    print(table(("change", "p50 speed-up", "p95 speed-up", f"{SLOWEST} slowest", "totals differ", "what"), ratios))
    print("speed-up: as is / with the change (overall, all classes; 3 slowest: sum of the 3 slowest")
    print("queries as is); same run, same queries. totals differ: queries whose hit count changed.")
    print(f"After: {load_line()}")


def _describe(name: str) -> str:
    patch, _, where = name.partition("@")
    if patch == ONE_SEGMENT:
        return "the same index optimized into 1 segment (a copy)"
    return PATCHES[patch][0] + (", on the 1-segment copy" if where else "")


def optimized_copy(root: Path, ours_dir: Path) -> Path:
    """``root/ours-optimized``: a copy of ours merged into one segment (made once)."""
    target = root / "ours-optimized"
    if not target.exists():
        shutil.copytree(ours_dir, target, symlinks=True)
        start = time.perf_counter()
        Corpus(target).open_index().optimize()
        print(f"  optimized a copy into {target} in {time.perf_counter() - start:.0f} s", file=sys.stderr)
    return target


def _child(ours_dir: Path, cases_file: Path, patches: Sequence[str]) -> list[list]:
    """[ms, hits] per case, timed in a fresh interpreter with ``patches`` applied."""
    command = [sys.executable, __file__, "--index", str(ours_dir), "--child", str(cases_file)]
    if patches:
        command += ["--patch", ",".join(patches)]
    done = subprocess.run(command, stdout=subprocess.PIPE, check=True, text=True)
    return json.loads(done.stdout.strip().splitlines()[-1])


def child(ours_dir: Path, cases_file: Path, patches: Sequence[str]) -> None:
    for name in patches:
        PATCHES[name][1]()
    cases = [Case(**c) for c in json.loads(cases_file.read_text())]
    print(json.dumps(time_ours(ours_dir, cases), ensure_ascii=False))


# --- main -----------------------------------------------------------------------------------


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--index", type=Path, required=True, help="directory for the two indexes (reused)")
    parser.add_argument("--profile", action="store_true", help=f"cProfile the {SLOWEST} slowest queries of ours and its slowest phrase")
    parser.add_argument(
        "--experiments", nargs="?", const=",".join(EXPERIMENTS), metavar="NAME,...",
        help=f"time ours with candidate changes (default: {', '.join(EXPERIMENTS)}; also: "
        f"{', '.join(p for p in PATCHES if p not in EXPERIMENTS)})",
    )
    parser.add_argument("--child", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--patch", default="", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        child(args.index, args.child, [p for p in args.patch.split(",") if p])
        return
    names = [n for n in (args.experiments or "").split(",") if n]
    unknown = [n for n in names if any(p not in PATCHES and p != ONE_SEGMENT for p in n.split("@"))]
    if unknown:
        parser.error(f"unknown change {', '.join(unknown)}; known: {', '.join([*PATCHES, ONE_SEGMENT])}")
    ours_dir, base_dir = ensure_indexes(args.index)
    cases = draw_cases(ours_dir, base_dir)
    counts = Counter(c.kind for c in cases)
    print(f"{len(cases)} queries ({', '.join(f'{k} {counts[k]}' for k in CLASSES)}), seed {SEED}; "
          f"limit={LIMIT}")
    with Corpus(ours_dir).open_index().reader() as r:
        ours_info = f"{r.doc_count():,} docs"
    print(f"ours: {ours_dir} ({ours_info}, {len(Corpus(ours_dir).open_index()._segments())} segments); "
          f"Whoosh: {base_dir} ({len(open_dir(str(base_dir))._segments())} segment)")
    if names:
        experiments(args.index, ours_dir, cases, names)
        return
    print(f"Before: {load_line()}")
    print()
    ours = time_ours(ours_dir, cases)
    base = time_whoosh(base_dir, cases)
    slowest = report(cases, ours, base)
    print(f"After: {load_line()}")
    if args.profile:
        phrases = [i for i, c in enumerate(cases) if c.kind == "phrase"]
        worst_phrase = max(phrases, key=lambda i: ours[i][0])
        print()
        profile(ours_dir, cases, [*slowest, *([worst_phrase] if worst_phrase not in slowest else [])])


if __name__ == "__main__":
    main()
