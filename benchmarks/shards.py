"""Sharding benchmark, run by hand (not by CI): build time by shard count, and query latency
by class for 1 and 4 shards, in one process and on a local Dask cluster.

    python benchmarks/shards.py --workdir DIR [--shards 1 2 4] [--per-class 6] [--workers 2]
    python benchmarks/shards.py --workdir DIR --memory   # RSS of a fresh searching process

Build: ``Corpus.index`` of the 41,191 articles of ``../shared/data/news`` (the two gzip
files, as ``benchmarks/index.py`` reads them) with ``--shards N``, a fresh index each
(``--rebuild``), timed wall-clock. One shard is one index written by ``sync.PROCS`` writer
processes; N shards are written by min(N, cores) processes, one writer each.

Latency: ``--per-class`` queries per class, drawn with a fixed seed from the 1-shard index
(words by document frequency, real adjacent pairs for phrases, words 2 to 4 apart for NEAR,
prefixes and one-edit misspellings of common words, a common word sorted by date). Each
runs on the 1- and 4-shard indexes in this process, then through ``Corpus(path,
cluster=...)`` on a ``LocalCluster`` of ``--workers`` worker processes (1 thread each,
127.0.0.1). Each query runs once untimed, then 3 timed runs; its time is their median
(``time.perf_counter``, ``limit=10``, snippets included). Every configuration's answers are
compared with the 1-shard in-process answers (total, ids, scores to 1e-9).
"""

from __future__ import annotations

import argparse
import random
import re
import statistics
import subprocess
import sys
import time
from collections.abc import Callable, Sequence
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
if str(REPO) not in sys.path:
    sys.path.insert(0, str(REPO))

from benchmarks.index import disk_size, load_line, read_records, source_paths, table  # noqa: E402
from indexer import Corpus  # noqa: E402
from indexer.store.schema import BODY_EXACT  # noqa: E402

REPEATS = 3
ARABIC_WORD = re.compile(r"^[\u0621-\u064A]{3,}$")


def build(workdir: Path, counts: Sequence[int]) -> list[tuple]:
    rows = []
    for count in counts:
        corpus = Corpus(workdir / f"shards-{count}")
        started = time.perf_counter()
        report = corpus.index(source_paths(), rebuild=True, shards=count)
        seconds = time.perf_counter() - started
        rows.append((count, f"{report.total_documents:,}", f"{seconds:.1f}", f"{report.total_documents / seconds:,.0f}", f"{disk_size(workdir / f'shards-{count}') / 1e6:.0f}"))
        print(f"  built {count} shard(s) in {seconds:.1f}s ({load_line()})", flush=True)
    return rows


def draw(index: Path, per_class: int, seed: int = 16) -> dict[str, list[tuple[str, dict]]]:
    """Queries by class, from the lexicon and the text of the 1-shard index."""
    rng = random.Random(seed)
    with Corpus(index).open_index().searcher() as searcher:
        reader = searcher.reader()
        frequencies = {
            term.decode(): reader.doc_frequency(BODY_EXACT, term)
            for term in reader.lexicon(BODY_EXACT)
            if ARABIC_WORD.match(term.decode())
        }
        bodies = [fields.get("body") or "" for _, fields in zip(range(3000), searcher.all_stored_fields())]
    common = sorted(w for w, n in frequencies.items() if n >= 1000)
    rare = sorted(w for w, n in frequencies.items() if 3 <= n <= 30)
    pairs, nears = [], []
    for body in rng.sample(bodies, min(len(bodies), 400)):
        words = [w for w in body.split() if ARABIC_WORD.match(w)]
        if len(words) > 6:
            i = rng.randrange(len(words) - 5)
            pairs.append(f'"{words[i]} {words[i + 1]}"')
            nears.append(f"{words[i]} NEAR/5 {words[i + 3]}")

    def misspelt(word: str) -> str:
        i = rng.randrange(1, len(word))
        return word[:i] + rng.choice("بتثجحخدذرزسشصضطظعغفقكلمنهوي") + word[i + 1 :] + "~1"

    picks = lambda items: rng.sample(items, per_class)  # noqa: E731
    return {
        "common word": [(w, {}) for w in picks(common)],
        "rare word": [(w, {}) for w in picks(rare)],
        "two common words": [(f"{a} {b}", {}) for a, b in zip(picks(common), picks(common))],
        "phrase": [(p, {}) for p in picks(pairs)],
        "NEAR/5": [(n, {}) for n in picks(nears)],
        "prefix*": [(w[:4] + "*", {}) for w in picks([w for w in common if len(w) >= 5])],
        "fuzzy~1": [(misspelt(w), {}) for w in picks([w for w in common if len(w) >= 4])],
        "common word, -date": [(w, {"sort": "-date"}) for w in picks(common)],
    }


def timed(run: Callable[[], object]) -> float:
    run()
    times = []
    for _ in range(REPEATS):
        started = time.perf_counter()
        run()
        times.append((time.perf_counter() - started) * 1000)
    return statistics.median(times)


def answer(corpus: Corpus, text: str, options: dict) -> tuple:
    results = corpus.search(text, limit=10, **options)
    return results.total, [(h.id, h.score) for h in results]


def same(a: tuple, b: tuple) -> bool:
    return a[0] == b[0] and [i for i, _ in a[1]] == [i for i, _ in b[1]] and all(
        abs(x - y) <= 1e-9 * abs(x) for (_, x), (_, y) in zip(a[1], b[1])
    )


def latency(workdir: Path, per_class: int, workers: int) -> None:
    from distributed import Client, LocalCluster

    cases = draw(workdir / "shards-1", per_class)
    configs: dict[str, Corpus] = {
        "1 shard": Corpus(workdir / "shards-1"),
        "4 shards": Corpus(workdir / "shards-4"),
    }
    with LocalCluster(n_workers=workers, threads_per_worker=1, processes=True, host="127.0.0.1", dashboard_address=None) as cluster, Client(cluster) as client:
        configs["1 shard, cluster"] = Corpus(workdir / "shards-1", cluster=client)
        configs["4 shards, cluster"] = Corpus(workdir / "shards-4", cluster=client)
        print(f"  latency: {per_class} queries per class, {len(configs)} configurations, cluster of {workers} workers ({load_line()})", flush=True)
        times: dict[str, dict[str, list[float]]] = {name: {} for name in configs}
        mismatches: dict[str, int] = dict.fromkeys(configs, 0)
        for kind, queries in cases.items():
            for text, options in queries:
                reference = answer(configs["1 shard"], text, options)
                for name, corpus in configs.items():
                    mismatches[name] += not same(answer(corpus, text, options), reference)
                    times[name].setdefault(kind, []).append(timed(lambda: corpus.search(text, limit=10, **options)))
        names = list(configs)
        rows = []
        for kind in cases:
            medians = [statistics.median(times[name][kind]) for name in names]
            rows.append((kind, *(f"{m:,.1f}" for m in medians), f"{medians[2] - medians[0]:+,.1f}", f"{medians[3] - medians[1]:+,.1f}"))
        every = [[t for kind in cases for t in times[name][kind]] for name in names]
        medians = [statistics.median(v) for v in every]
        rows.append(("all", *(f"{m:,.1f}" for m in medians), f"{medians[2] - medians[0]:+,.1f}", f"{medians[3] - medians[1]:+,.1f}"))
        print()
        print("median of per-query medians, ms (limit=10, snippets included)")
        print(table(("class", *names, "cluster cost, 1", "cluster cost, 4"), rows))
        print("answers differing from 1 shard in this process: " + ", ".join(f"{n}: {mismatches[n]}" for n in names))
        for corpus in configs.values():
            corpus.close()


def memory(workdir: Path, name: str, per_class: int) -> None:
    """VmRSS of this (fresh) process before opening `name` and after the latency queries."""
    cases = draw(workdir / "shards-1", per_class)
    before = _rss_mb()
    with Corpus(workdir / name) as corpus:
        for queries in cases.values():
            for text, options in queries:
                corpus.search(text, limit=10, **options)
        print(f"  {name}: VmRSS {before} MB before opening, {_rss_mb()} MB after {sum(map(len, cases.values()))} queries")


def _rss_mb() -> int:
    return int(Path("/proc/self/status").read_text().split("VmRSS:")[1].split()[0]) // 1024


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--workdir", type=Path, required=True, help="where the indexes are built (kept between runs)")
    parser.add_argument("--shards", type=int, nargs="*", default=[1, 2, 4], help="shard counts to build (none: reuse)")
    parser.add_argument("--per-class", type=int, default=6)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--memory", action="store_true", help="only the RSS of a fresh process searching shards-1 and shards-4")
    parser.add_argument("--rss-of", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.rss_of:
        memory(args.workdir, args.rss_of, args.per_class)
        return
    if args.memory:
        for name in ("shards-1", "shards-4"):
            subprocess.run([sys.executable, __file__, "--workdir", str(args.workdir), "--per-class", str(args.per_class), "--rss-of", name], check=True)
        return
    documents = sum(1 for _ in read_records(source_paths()))
    print(f"{documents:,} records in {', '.join(p.name for p in source_paths())}; before: {load_line()}", flush=True)
    if args.shards:
        rows = build(args.workdir, args.shards)
        print()
        print(table(("shards", "docs", "seconds", "docs/s", "index MB"), rows))
        print()
    latency(args.workdir, args.per_class, args.workers)
    print(f"after: {load_line()}")


if __name__ == "__main__":
    main()
