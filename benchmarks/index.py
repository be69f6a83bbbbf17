"""Indexing benchmark, run by hand (not by CI): our full pipeline against plain Whoosh.

    python benchmarks/index.py                  # about 5 min
    python benchmarks/index.py --patch limit-192
    python benchmarks/index.py --profile 5000   # where time goes
    python benchmarks/index.py --experiments    # about 40 min
    python benchmarks/index.py --experiments no-fsync   # what durable commits cost
    python benchmarks/index.py --experiments no-written # what the spellings of forms cost

Over the 41,191 articles of ``../shared/data/news`` (``saudinewsnet.jsonl.gz`` and
``antcorpus.jsonl.gz``; the two files are named, so ``sample_1000.jsonl`` and ``seed/`` in the
same directory are not read):

1. Baseline: plain Whoosh, ``StandardAnalyzer``, one process, fields ``id`` (ID, stored),
   ``title`` and ``body`` (TEXT, stored), one writer with ``limitmb=256``, articles parsed with
   orjson from the same gzip files. Articles with neither title nor body are left out, as ours
   leaves them out, so both index the same documents. Its process never imports ``indexer``.
2. Ours: ``Corpus(tmpdir).index([the two files])``: reading sources, hashing, Arabic analysis,
   stemmed and exact fields, the multiprocess writer as configured in ``indexer/store/sync.py``.
3. Ours again on the same sources, nothing changed.

Each runs in a subprocess of its own, so peak memory figures do not mix. Reading and parsing the
sources is inside the timed run for both (measured apart once, for reference).

``--profile N`` runs ours in one process (no helper processes) on the first N SaudiNewsNet
articles under cProfile. ``--experiments`` rebuilds ours once per candidate change, each applied
by monkeypatching inside the benchmark's subprocess (the product is untouched), beside an
unpatched build in the same run; ``--patch`` applies changes to ours in the plain comparison
(or the profile).

Results are recorded in ``docs/benchmarks.md`` (section "Indexing").
"""

from __future__ import annotations

import argparse
import cProfile
import gzip
import io
import itertools
import json
import os
import pstats
import resource
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable, Iterable, Iterator, Sequence
from pathlib import Path

import orjson
from whoosh.analysis import StandardAnalyzer
from whoosh.fields import ID, TEXT, Schema
from whoosh.index import create_in, open_dir

REPO = Path(__file__).resolve().parents[1]
NEWS = REPO.parent / "shared/data/news"
SOURCES = ("saudinewsnet.jsonl.gz", "antcorpus.jsonl.gz")
LIMIT_MB = 256
PROFILE_ROWS = 25
MB = 1e6  # MB = 10^6 bytes, for text, memory and disk alike

if str(REPO) not in sys.path:
    sys.path.insert(0, str(REPO))

# ``indexer`` is imported only where ours runs: the baseline's process holds plain Whoosh alone.


def _ours():
    """``(Corpus, sync)``, imported on first use."""
    from indexer import Corpus
    from indexer.store import sync

    return Corpus, sync


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


def load_line() -> str:
    """The 1, 5 and 15 minute load averages, as `uptime` shows them."""
    one, five, fifteen = os.getloadavg()
    return f"load average {one:.2f}, {five:.2f}, {fifteen:.2f} on {os.cpu_count()} cores"


# --- data ---------------------------------------------------------------------------------


def source_paths() -> list[Path]:
    """The two news files, or exit with a message saying where they were looked for."""
    paths = [NEWS / name for name in SOURCES]
    missing = [str(p) for p in paths if not p.is_file()]
    if missing:
        sys.exit(
            f"error: {', '.join(missing)} not found.\n"
            "The benchmark reads ../shared/data/news beside the checkout; run it where that exists."
        )
    return paths


def read_records(paths: Sequence[Path]) -> Iterator[dict]:
    """Every JSON Lines record of the gzip files, parsed with orjson."""
    for path in paths:
        with gzip.open(path, "rb") as lines:
            for line in lines:
                if line.strip():
                    yield orjson.loads(line)


def has_text(record: dict) -> bool:
    """Ours skips a record with neither title nor body; the baseline does the same."""
    return bool((record.get("title") or "").strip() or (record.get("body") or "").strip())


def text_size(paths: Sequence[Path]) -> tuple[int, float, float]:
    """(documents, MB of UTF-8 title + body, seconds to read and parse) of what both index."""
    start = time.perf_counter()
    docs, size = 0, 0
    for record in read_records(paths):
        if has_text(record):
            docs += 1
            size += len((record.get("title") or "").encode()) + len((record.get("body") or "").encode())
    return docs, size / MB, time.perf_counter() - start


# --- the two indexers ---------------------------------------------------------------------


def baseline_schema() -> Schema:
    return Schema(
        id=ID(stored=True, unique=True),
        title=TEXT(analyzer=StandardAnalyzer(), stored=True),
        body=TEXT(analyzer=StandardAnalyzer(), stored=True),
    )


def build_baseline(directory: Path, paths: Sequence[Path]) -> int:
    """Plain Whoosh over the same articles; returns the number of documents written."""
    directory.mkdir(parents=True, exist_ok=True)
    index = create_in(str(directory), baseline_schema())
    writer = index.writer(limitmb=LIMIT_MB)
    docs = 0
    for record in read_records(paths):
        if has_text(record):
            writer.add_document(id=record["id"], title=record.get("title") or "", body=record.get("body") or "")
            docs += 1
    writer.commit()
    return docs


def build_ours(directory: Path, paths: Sequence[Path]):
    """``Corpus.index`` over the two files; returns its ``IndexReport``."""
    Corpus, _ = _ours()
    with Corpus(directory) as corpus:
        return corpus.index(paths)


def segment_count(directory: Path, ours: bool) -> int:
    """Segments of the index (reads the table of contents only)."""
    if ours:
        generation = _ours()[0](directory).location.live_generation()
        directory = generation if generation is not None else directory
    return len(open_dir(str(directory))._segments())


def disk_size(directory: Path) -> int:
    return sum(p.stat().st_size for p in directory.rglob("*") if p.is_file())


# --- memory -------------------------------------------------------------------------------


class TreeRss(threading.Thread):
    """Samples the summed RSS of this process and its descendants (shared pages counted in
    each process, so an upper bound of what the tree holds) and keeps the peak."""

    def __init__(self, interval: float = 0.2) -> None:
        super().__init__(daemon=True)
        self.interval = interval
        self.peak_kb = 0
        self._done = threading.Event()

    def run(self) -> None:
        while not self._done.wait(self.interval):
            self.peak_kb = max(self.peak_kb, sum(_rss_kb(pid) for pid in _tree(os.getpid())))

    def stop(self) -> int:
        self._done.set()
        self.join()
        return self.peak_kb


def _tree(pid: int) -> list[int]:
    pids, todo = [], [pid]
    while todo:
        current = todo.pop()
        pids.append(current)
        try:
            todo += [int(c) for c in Path(f"/proc/{current}/task/{current}/children").read_text().split()]
        except OSError:
            pass
    return pids


def _rss_kb(pid: int) -> int:
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
    except OSError:
        pass
    return 0


# --- candidate changes, applied by monkeypatching in a variant's subprocess --------------


def _set(name: str, value: object) -> Callable[[], None]:
    return lambda: setattr(_ours()[1], name, value)


def _job_size(size: int) -> Callable[[], None]:
    def patch() -> None:
        _, sync = _ours()
        original = sync.SafeMpWriter
        sync.SafeMpWriter = lambda *args, **kwargs: original(*args, **{**kwargs, "batchsize": size})

    return patch


def _exact_without_positions() -> None:
    """``title_exact`` / ``body_exact`` as ``TEXT(phrase=False)``: frequencies, no positions."""
    import indexer.corpus
    from indexer.analysis.analyzers import exact_analyzer
    from indexer.store.schema import TITLE_BOOST, build_schema

    def schema() -> Schema:
        built = build_schema()
        for name, boost in (("title_exact", TITLE_BOOST), ("body_exact", 1.0)):
            built.remove(name)
            built.add(name, TEXT(analyzer=exact_analyzer(), phrase=False, field_boost=boost))
        return built

    indexer.corpus.build_schema = schema


def _without_fsync() -> None:
    """Every fsync a no-op: the index as durable as Whoosh alone makes it (not at all)."""
    os.fsync = lambda fd: None


def _without_written() -> None:
    """The ``written`` field indexes nothing: what remembering each form's spellings costs."""
    from indexer.analysis.written import WrittenForms

    WrittenForms.index = lambda self, value, **kwargs: iter(())


PATCHES: dict[str, tuple[str, Callable[[], None]]] = {
    "batch-5000": ("sync.BATCH_SIZE = 5,000 (configured: 50,000, one batch)", _set("BATCH_SIZE", 5_000)),
    "batch-10000": ("sync.BATCH_SIZE = 10,000", _set("BATCH_SIZE", 10_000)),
    "batch-20000": ("sync.BATCH_SIZE = 20,000", _set("BATCH_SIZE", 20_000)),
    "procs-1": ("sync.PROCS = 1 (one writer, one process)", _set("PROCS", 1)),
    "procs-3": ("sync.PROCS = 3", _set("PROCS", 3)),
    "limit-96": ("sync.LIMIT_MB = 96 (configured: 128)", _set("LIMIT_MB", 96)),
    "limit-192": ("sync.LIMIT_MB = 192", _set("LIMIT_MB", 192)),
    "limit-256": ("sync.LIMIT_MB = 256", _set("LIMIT_MB", 256)),
    "limit-512": ("sync.LIMIT_MB = 512", _set("LIMIT_MB", 512)),
    "jobs-1000": ("MpWriter batchsize = 1,000 (configured: 256)", _job_size(1_000)),
    "exact-no-pos": ("exact fields TEXT(phrase=False)", _exact_without_positions),
    "no-fsync": ("no fsync (store/durable.py off): what a durable commit costs", _without_fsync),
    "no-written": ("the written field left empty: what the spellings of forms cost", _without_written),
}
#: Run by a bare ``--experiments`` (the others can be named).
EXPERIMENTS = tuple(p for p in PATCHES if p not in ("batch-5000", "procs-3", "limit-96", "no-fsync", "no-written"))


# --- one variant per subprocess -----------------------------------------------------------


def measure(variant: str, directory: Path, patches: Sequence[str]) -> dict:
    """Run one variant in this process and return its figures (called in a subprocess)."""
    for name in patches:
        PATCHES[name][1]()
    paths = source_paths()
    sampler = TreeRss()
    sampler.start()
    start = time.perf_counter()
    unchanged = 0
    if variant == "baseline":
        assert "indexer.store" not in sys.modules, "the baseline runs plain Whoosh alone"
        docs = build_baseline(directory, paths)
    else:
        report = build_ours(directory, paths)
        docs, unchanged = report.added + report.updated, report.unchanged
    seconds = time.perf_counter() - start
    tree_kb = sampler.stop()
    own = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    children = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    return {
        "docs": docs,
        "unchanged": unchanged,
        "seconds": seconds,
        "rss_self_kb": own,
        "rss_children_kb": children,
        "rss_tree_kb": max(tree_kb, own),
        "segments": segment_count(directory, ours=variant != "baseline"),
    }


def run_variant(variant: str, directory: Path, patches: Sequence[str] = ()) -> dict:
    """``measure`` in a fresh interpreter; adds the index size on disk."""
    command = [sys.executable, __file__, "--variant", variant, "--dir", str(directory)]
    if patches:
        command += ["--patch", ",".join(patches)]
    done = subprocess.run(command, stdout=subprocess.PIPE, check=True, text=True)
    result = json.loads(done.stdout.strip().splitlines()[-1])
    result["disk"] = disk_size(directory)
    return result


def row(label: str, result: dict, size_mb: float) -> tuple:
    seconds = result["seconds"]
    docs = result["docs"] or result["unchanged"]
    return (
        label,
        f"{docs:,}",
        f"{seconds:.1f}",
        f"{docs / seconds:,.0f}",
        f"{size_mb / seconds:.2f}",
        f"{result['rss_self_kb'] * 1024 / MB:,.0f}",
        f"{result['rss_children_kb'] * 1024 / MB:,.0f}",
        f"{result['rss_tree_kb'] * 1024 / MB:,.0f}",
        f"{result['disk'] / MB:,.0f}",
        result["segments"],
    )


HEADER = (
    "variant",
    "docs",
    "seconds",
    "docs/s",
    "MB/s",
    "RSS main",
    "RSS child",
    "RSS tree",
    "index MB",
    "segments",
)
MEMORY_NOTE = (
    "RSS main / child: ru_maxrss of the run's process (RUSAGE_SELF) and of its largest writer\n"
    "subprocess (RUSAGE_CHILDREN, a maximum, not a sum). RSS tree: peak of the summed VmRSS of\n"
    "the process and its subprocesses, sampled every 0.2 s (pages shared after fork counted in\n"
    "each). Memory, text and disk in MB = 10^6 bytes."
)


def compare(workdir: Path, patches: Sequence[str] = ()) -> None:
    paths = source_paths()
    docs, size_mb, parse_seconds = text_size(paths)
    _, sync = _ours()
    print(f"Indexing: {docs:,} articles with a title or body from {' + '.join(SOURCES)},")
    print(f"{size_mb:.1f} MB of UTF-8 title + body; reading and parsing them alone takes {parse_seconds:.1f} s")
    print(f"(inside every timed run below). Before: {load_line()}")
    print(f"ours: BATCH_SIZE={sync.BATCH_SIZE:,}, PROCS={sync.PROCS}, LIMIT_MB={sync.LIMIT_MB}, PARALLEL_MIN={sync.PARALLEL_MIN:,}")
    if patches:
        print("ours with candidate changes: " + "; ".join(f"{p}: {PATCHES[p][0]}" for p in patches))
    print()
    base = run_variant("baseline", workdir / "baseline")
    ours = run_variant("ours", workdir / "ours", patches)
    again = run_variant("ours", workdir / "ours", patches)
    rows = [
        row("baseline: Whoosh StandardAnalyzer, 1 process", base, size_mb),
        row("ours: Corpus.index, full", ours, size_mb),
        row("ours: Corpus.index again, unchanged", again, size_mb),
    ]
    print(table(HEADER, rows))
    print(MEMORY_NOTE)
    print()
    speed = (ours["docs"] / ours["seconds"]) / (base["docs"] / base["seconds"])
    rerun = again["seconds"] / ours["seconds"]
    peak = max(ours["rss_tree_kb"], again["rss_tree_kb"]) * 1024 / MB
    print(table(
        ("target", "measured", "wanted", "met"),
        [
            ("ours / baseline docs/s", f"{speed:.2f}x", ">= 1.5x", "yes" if speed >= 1.5 else "NO"),
            ("unchanged rerun / full run", f"{rerun:.1%}", "< 5%", "yes" if rerun < 0.05 else "NO"),
            ("peak RSS of ours (tree)", f"{peak:,.0f} MB", "< 1,000 MB", "yes" if peak < 1000 else "NO"),
        ],
    ))
    print(f"After: {load_line()}")


def experiments(workdir: Path, names: Sequence[str]) -> None:
    paths = source_paths()
    _, size_mb, _ = text_size(paths)
    print("Candidate changes to ours, one full build each (monkeypatched in the subprocess only);")
    print(f"every row is a fresh index of the same two files. Before: {load_line()}")
    print()
    reference = run_variant("ours", workdir / "as-configured")
    rows = [(*row("as configured", reference, size_mb), "1.00")]
    for name in names:
        result = run_variant("ours", workdir / name, [name])
        ratio = reference["seconds"] / result["seconds"]
        rows.append((*row(name, result, size_mb), f"{ratio:.2f}"))
        print(f"  done: {name} ({result['seconds']:.0f} s)", file=sys.stderr, flush=True)
    print(table((*HEADER, "speed-up"), rows))
    print(MEMORY_NOTE)
    print("speed-up: seconds as configured / seconds with the change, same run.")
    print()
    print("\n".join(f"  {name:<22} {PATCHES[name][0]}" for name in names))
    print(f"After: {load_line()}")


def profile(articles: int, workdir: Path, patches: Sequence[str]) -> None:
    from indexer.sources import Article, read_sources

    for name in patches:
        PATCHES[name][1]()
    Corpus, sync = _ours()
    sync.PARALLEL_MIN = sys.maxsize  # one writer in this process: cProfile sees everything
    items = [
        item
        for item in itertools.islice(read_sources([source_paths()[0]]), articles)
        if isinstance(item, Article)
    ]
    profiler = cProfile.Profile()
    with Corpus(workdir / "profiled") as corpus:
        start = time.perf_counter()
        profiler.enable()
        report = corpus.add(items)
        profiler.disable()
        seconds = time.perf_counter() - start
    label = f", patches: {', '.join(patches)}" if patches else ""
    print(f"cProfile of Corpus.add({report.added:,} articles), one process{label}: {seconds:.1f} s")
    print(f"under the profiler. {load_line()}")
    out = io.StringIO()
    pstats.Stats(profiler, stream=out).sort_stats("tottime").print_stats(PROFILE_ROWS)
    text = out.getvalue()
    print(text[text.index("   ncalls"):].rstrip().replace(str(Path(sys.prefix)), "<venv>"))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--profile", type=int, metavar="N", help="profile ours on the first N articles")
    parser.add_argument(
        "--experiments",
        nargs="?",
        const=",".join(EXPERIMENTS),
        metavar="NAME,...",
        help=f"build ours once per candidate change (default: {', '.join(EXPERIMENTS)})",
    )
    parser.add_argument(
        "--patch", default="", metavar="NAME,...", help="apply these candidate changes to ours (not with --experiments)"
    )
    parser.add_argument("--variant", choices=("baseline", "ours"), help=argparse.SUPPRESS)
    parser.add_argument("--dir", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args()
    patches = [p for p in args.patch.split(",") if p]
    unknown = [p for p in patches + (args.experiments or "").split(",") if p and p not in PATCHES]
    if unknown:
        parser.error(f"unknown change {', '.join(unknown)}; known: {', '.join(PATCHES)}")
    if args.variant:
        print(json.dumps(measure(args.variant, args.dir, patches)))
        return
    source_paths()
    with tempfile.TemporaryDirectory(prefix="corpus-bench-") as tmp:
        if args.profile:
            profile(args.profile, Path(tmp), patches)
        elif args.experiments:
            experiments(Path(tmp), [n for n in args.experiments.split(",") if n])
        else:
            compare(Path(tmp), patches)


if __name__ == "__main__":
    main()
