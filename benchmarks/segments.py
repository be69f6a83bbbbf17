"""Query latency against the number of segments, run by hand (not by CI).

    python benchmarks/segments.py --index DIR

Builds (or reuses) copies of our index of the 41,191 news articles written with different
``sync.BATCH_SIZE`` values (``DIR/segments-BATCH``; each commit adds one segment per writer
process), then runs ``benchmarks/latency.py``'s 200 queries on each, alternating between the
copies round by round so that both see the same machine. A query's time is its minimum over
``--runs`` runs (the VM's noise is one-sided), and each round prints overall p50 and p95.
Every query word is looked up once per segment: this is why ``BATCH_SIZE`` is what it is
(docs/benchmarks.md, "Query latency").

``--loss-seconds S[,S...]`` adds copies written with ``sync.LOSS_SECONDS = S`` (a batch
commits before its reading and its commit would take longer than S), printing for each
how long the build took, when each commit made it to disk, the longest stretch from the
start or a commit to the next commit (what a kill at the worst moment loses) and how long
the closing merge took. The ``BATCH_SIZE`` copies are written without that clock (one
commit per batch).

``--nights N`` adds a copy that lives the nightly job's life: a build of all but the last
N x ``--nightly`` articles, then N incremental runs adding ``--nightly`` articles each (each
run commits a segment of its own, and Whoosh's merge policy decides what to merge).
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
if str(REPO) not in sys.path:
    sys.path.insert(0, str(REPO))

import orjson  # noqa: E402

from benchmarks.index import build_ours, has_text, read_records, segment_count, source_paths, table  # noqa: E402
from benchmarks.latency import LIMIT, draw_cases, ensure_indexes, percentile  # noqa: E402
from indexer import Corpus  # noqa: E402
from indexer.progress import Progress  # noqa: E402
from indexer.store import sync  # noqa: E402


def ensure_copy(root: Path, batch: int) -> Path:
    """``root/segments-BATCH``, built with ``sync.BATCH_SIZE = batch`` if missing."""
    directory = root / f"segments-{batch}"
    if Corpus(directory).location.live_generation() is None:
        configured = sync.BATCH_SIZE, sync.LOSS_SECONDS
        sync.BATCH_SIZE, sync.LOSS_SECONDS = batch, float("inf")
        try:
            start = time.perf_counter()
            build_ours(directory, source_paths())
            print(f"built {directory} in {time.perf_counter() - start:.0f} s")
        finally:
            sync.BATCH_SIZE, sync.LOSS_SECONDS = configured
    return directory


class CommitClock(Progress):
    """When each commit of a run made it to disk."""

    def __init__(self) -> None:
        self.started = time.perf_counter()
        self.commits: list[float] = []

    def committed(self, documents: int, added: int, updated: int, deleted: int) -> None:
        self.commits.append(time.perf_counter() - self.started)


def ensure_timed_copy(root: Path, seconds: float) -> Path:
    """``root/loss-S``, built with ``sync.LOSS_SECONDS = seconds`` if missing; prints the
    build's commits, the longest stretch without one and the closing merge's time."""
    directory = root / f"loss-{seconds:g}"
    if Corpus(directory).location.live_generation() is None:
        configured, sync.LOSS_SECONDS = sync.LOSS_SECONDS, seconds
        try:
            clock = CommitClock()
            with Corpus(directory) as corpus:
                corpus.index(source_paths(), progress=clock)
            total = time.perf_counter() - clock.started
            marks = [0.0, *clock.commits]
            longest = max(b - a for a, b in zip(marks, marks[1:]))
            print(
                f"built {directory} in {total:.0f} s: {len(clock.commits)} commits at"
                f" {', '.join(f'{t:.0f}' for t in clock.commits)} s; longest stretch without a commit"
                f" {longest:.0f} s; then merging {total - clock.commits[-1]:.0f} s", flush=True
            )
        finally:
            sync.LOSS_SECONDS = configured
    return directory


def ensure_nightly_copy(root: Path, nights: int, nightly: int) -> Path:
    """``root/nights-NxM`` (N nights of M articles): a full build short of ``nights * nightly`` articles, then ``nights``
    incremental runs of ``nightly`` new articles each, in source order."""
    directory = root / f"nights-{nights}x{nightly}"
    if Corpus(directory).location.live_generation() is not None:
        return directory
    records = [r for r in read_records(source_paths()) if has_text(r)]
    held_back = nights * nightly
    feeds = root / f"nights-{nights}x{nightly}-feeds"
    feeds.mkdir(parents=True, exist_ok=True)
    chunks = [records[: len(records) - held_back]]
    chunks += [records[len(records) - held_back + n * nightly:][:nightly] for n in range(nights)]
    runs = []
    with Corpus(directory) as corpus:
        for number, chunk in enumerate(chunks):
            path = feeds / f"{number:03d}.jsonl"
            path.write_bytes(b"".join(orjson.dumps(r) + b"\n" for r in chunk))
            start = time.perf_counter()
            corpus.index([path])
            runs.append(f"{time.perf_counter() - start:.1f} s/{segment_count(directory, ours=True)}")
    print(f"built {directory}: build, then each nightly run (seconds/segments after it): {runs[0]}; {', '.join(runs[1:])}")
    return directory


def min_times(directory: Path, queries: list[str], runs: int) -> list[float]:
    """Each query's fastest of ``runs`` runs (ms), after one untimed run."""
    times = []
    with Corpus(directory) as corpus:
        for query in queries:
            corpus.search(query, limit=LIMIT)
            best = float("inf")
            for _ in range(runs):
                start = time.perf_counter()
                corpus.search(query, limit=LIMIT)
                best = min(best, time.perf_counter() - start)
            times.append(best * 1000)
    return times


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--index", type=Path, required=True, help="as for latency.py (queries come from DIR/ours)")
    parser.add_argument("--batches", default="10000,50000", help="BATCH_SIZE of each copy (default: 10000,50000)")
    parser.add_argument("--runs", type=int, default=7, help="timed runs per query (default 7)")
    parser.add_argument("--rounds", type=int, default=2, help="times each copy is measured (default 2)")
    parser.add_argument("--loss-seconds", default="", help="also copies built with LOSS_SECONDS = S (e.g. 60)")
    parser.add_argument("--nights", type=int, default=0, help="also a copy updated by N nightly runs (default: none)")
    parser.add_argument("--nightly", type=int, default=300, help="articles each nightly run adds (default 300)")
    args = parser.parse_args()
    ours, base = ensure_indexes(args.index)
    queries = [case.ours for case in draw_cases(ours, base)]
    copies = [(f"BATCH_SIZE {int(b):,}", ensure_copy(args.index, int(b))) for b in args.batches.split(",")]
    for seconds in filter(None, args.loss_seconds.split(",")):
        copies.append((f"LOSS_SECONDS {float(seconds):g}", ensure_timed_copy(args.index, float(seconds))))
    if args.nights:
        copies.append(
            (f"{args.nights} nights x {args.nightly}", ensure_nightly_copy(args.index, args.nights, args.nightly))
        )
    rows = []
    for round_number in range(1, args.rounds + 1):
        for label, directory in copies:
            times = min_times(directory, queries, args.runs)
            rows.append(
                (round_number, label, segment_count(directory, ours=True),
                 f"{percentile(times, 50):.2f}", f"{percentile(times, 95):.1f}")
            )
    print(f"{len(queries)} queries of benchmarks/latency.py, each the min of {args.runs} runs (ms)")
    print(table(("round", "index", "segments", "p50", "p95"), rows))


if __name__ == "__main__":
    main()
