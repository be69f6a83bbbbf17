"""What a durable commit costs (store/durable.py), run by hand (not by CI):

    python benchmarks/durability.py               # about 3 min
    python benchmarks/durability.py --articles 5000 --nights 5

The same work twice in one run, each in a fresh interpreter, with fsync as shipped and with
every fsync a no-op (the index as durable as Whoosh alone makes it): a build of the first
``--articles`` SaudiNewsNet articles of ``../shared/data/news`` in commits of ``--batch``
(commits by count only: ``LOSS_SECONDS`` is off, so both variants commit and merge alike),
then ``--nights`` nightly runs of 200 new articles each onto that index. Each row shows the
seconds, the fsyncs made and the seconds spent inside them (timed around ``os.fsync``),
which says where the cost is. ``benchmarks/index.py --experiments no-fsync`` measures a full
build, whose timed commits make the two variants merge differently.
"""

from __future__ import annotations

import argparse
import gzip
import itertools
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
NEWS = REPO.parent / "shared/data/news/saudinewsnet.jsonl.gz"
NIGHT = 200


def write_feeds(folder: Path, articles: int, nights: int) -> tuple[Path, list[Path]]:
    """The build's feed and one feed of ``NIGHT`` new articles per night, from the news file."""
    if not NEWS.is_file():
        sys.exit(f"error: {NEWS} not found; run this where ../shared/data exists beside the checkout")
    with gzip.open(NEWS, "rt", encoding="utf-8") as lines:
        rows = [line for line in itertools.islice(lines, articles + nights * NIGHT)]
    build = folder / "build.jsonl"
    build.write_text("".join(rows[:articles]), encoding="utf-8")
    feeds = []
    for night in range(nights):
        feed = folder / f"night-{night}.jsonl"
        feed.write_text("".join(rows[articles + night * NIGHT: articles + (night + 1) * NIGHT]), encoding="utf-8")
        feeds.append(feed)
    return build, feeds


def measure(directory: Path, build: Path, feeds: list[Path], batch: int, durable: bool) -> dict:
    """One variant, in this process: the build, then the nights; seconds and fsyncs of each."""
    sys.path.insert(0, str(REPO))
    from indexer import Corpus
    from indexer.store import sync

    sync.BATCH_SIZE = batch
    sync.LOSS_SECONDS = float("inf")  # commits by count only: both variants commit alike
    spent = {"calls": 0, "seconds": 0.0}
    real_fsync = os.fsync

    def timed_fsync(fd: int) -> None:
        started = time.perf_counter()
        if durable:
            real_fsync(fd)
        spent["seconds"] += time.perf_counter() - started
        spent["calls"] += 1

    os.fsync = timed_fsync
    figures = {}
    corpus = Corpus(directory)
    for label, sources in [("build", [build]), *((f"night {n + 1}", [feed]) for n, feed in enumerate(feeds))]:
        spent.update(calls=0, seconds=0.0)
        started = time.perf_counter()
        report = corpus.index(sources)
        figures[label] = {
            "seconds": time.perf_counter() - started,
            "added": report.added,
            "fsyncs": spent["calls"],
            "fsync_seconds": spent["seconds"],
        }
    corpus.close()
    return figures


def run_variant(directory: Path, build: Path, feeds: list[Path], batch: int, durable: bool) -> dict:
    command = [sys.executable, __file__, "--variant", "durable" if durable else "no-fsync", "--dir", str(directory),
               "--build", str(build), "--batch", str(batch), "--feeds", *map(str, feeds)]
    done = subprocess.run(command, stdout=subprocess.PIPE, check=True, text=True)
    return json.loads(done.stdout.strip().splitlines()[-1])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, default=10_000)
    parser.add_argument("--batch", type=int, default=2_500)
    parser.add_argument("--nights", type=int, default=10)
    parser.add_argument("--variant", choices=("durable", "no-fsync"), help=argparse.SUPPRESS)
    parser.add_argument("--dir", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--build", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--feeds", type=Path, nargs="*", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.variant:
        print(json.dumps(measure(args.dir, args.build, args.feeds, args.batch, args.variant == "durable")))
        return
    with tempfile.TemporaryDirectory(prefix="corpus-durability-") as tmp:
        folder = Path(tmp)
        build, feeds = write_feeds(folder, args.articles, args.nights)
        one, five, _ = os.getloadavg()
        print(f"Durable commits: a build of {args.articles:,} SaudiNewsNet articles in commits of {args.batch:,},")
        print(f"then {args.nights} nights of {NIGHT} new articles; each variant in a fresh interpreter, on")
        print(f"{folder.parent} ({os.cpu_count()} cores, load average {one:.2f}, {five:.2f} before).")
        print()
        durable = run_variant(folder / "durable", build, feeds, args.batch, durable=True)
        loose = run_variant(folder / "no-fsync", build, feeds, args.batch, durable=False)
    nights = [label for label in durable if label != "build"]
    rows = [("build", durable["build"], loose["build"])]
    rows.append((f"{len(nights)} nights (sum)", _summed(durable, nights), _summed(loose, nights)))
    header = ("run", "articles", "s durable", "s no-fsync", "ratio", "fsyncs", "s in fsync")
    cells = [header] + [
        (label, f"{d['added']:,}", f"{d['seconds']:.2f}", f"{n['seconds']:.2f}", f"{d['seconds'] / n['seconds']:.2f}x",
         f"{d['fsyncs']:,}", f"{d['fsync_seconds']:.2f}")
        for label, d, n in rows
    ]
    widths = [max(len(row[i]) for row in cells) for i in range(len(header))]
    for number, row in enumerate(cells):
        print("  ".join(c.ljust(w) if i == 0 else c.rjust(w) for i, (c, w) in enumerate(zip(row, widths))))
        if number == 0:
            print("  ".join("-" * w for w in widths))
    print()
    print("ratio: seconds durable / seconds with every fsync a no-op, same run. s in fsync: time")
    print("inside os.fsync in the durable variant (the main process; shard or helper processes none).")
    one, five, _ = os.getloadavg()
    print(f"After: load average {one:.2f}, {five:.2f}")


def _summed(figures: dict, labels: list[str]) -> dict:
    return {key: sum(figures[label][key] for label in labels) for key in ("seconds", "added", "fsyncs", "fsync_seconds")}


if __name__ == "__main__":
    main()
