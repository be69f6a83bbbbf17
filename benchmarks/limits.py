"""What hostile input costs, run by hand (not by CI): inputs sized to hurt, and queries too.

    python benchmarks/limits.py                       # inputs only
    python benchmarks/limits.py --index DIR           # and queries, on an index of the news

Inputs are generated in a temporary directory from the bundled ``corpus/`` articles and read
by ``read_sources`` with the default limits in a fresh process each, which reports its peak
resident memory (``VmHWM``: ``ru_maxrss`` survives ``exec`` and would report the parent's):

- a gzip of text that expands to 1 GiB (a gzip bomb; about 6 MB on disk);
- a JSON array of about 230 MB (streamed);
- a JSON Lines gzip of one article followed by 10 million ``{}`` lines (29 KB on disk), read by
  ``corpus index --json`` into a fresh index: the summary's size is what matters.

Queries (with ``--index``, e.g. the ``ours`` index of ``benchmarks/latency.py``): 1,000
characters of unseen words in mode "any", 250 prefixes of up to 1,000 terms each, 125 ``~2``
fuzzy words. Each runs once; the table shows the time, the peak memory so far and the outcome.
"""

from __future__ import annotations

import argparse
import gzip
import json
import random
import re
import subprocess
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
if str(REPO) not in sys.path:
    sys.path.insert(0, str(REPO))

from benchmarks.index import table  # noqa: E402

SEED = 2015
BUNDLED = REPO / "corpus" / "articles.jsonl"
PROBE = """
import re, sys, time
from indexer.sources import Article, read_sources
started = time.perf_counter()
count, skipped, first = 0, 0, ""
for item in read_sources(sys.argv[1:]):
    if isinstance(item, Article):
        count += 1
    else:
        skipped += 1
        first = first or item.reason
peak = int(re.search(r"VmHWM:\\s+(\\d+)", open("/proc/self/status").read())[1]) // 1024
print(repr((count, skipped, first, peak, time.perf_counter() - started)))
"""


def make_inputs(folder: Path) -> dict[str, Path]:
    """The hostile inputs, written once into `folder`."""
    records = [json.loads(line) for line in BUNDLED.read_text(encoding="utf-8").splitlines()]
    bomb = folder / "bomb.txt.gz"
    with gzip.open(bomb, "wb", compresslevel=1) as out:
        block = ("خبر " * 256 + "\n").encode("utf-8") * 1024
        for _ in range((1 << 30) // len(block)):
            out.write(block)
    array = folder / "dump.json"
    with array.open("wb") as out:
        out.write(b"[")
        for n in range(6000):
            chunk = ",".join(json.dumps(dict(r, id=f"{r['id']}-{n}"), ensure_ascii=False) for r in records)
            out.write((("," if n else "") + chunk).encode("utf-8"))
        out.write(b"]")
    empties = folder / "empties.jsonl.gz"
    empties.write_bytes(gzip.compress(json.dumps(records[0], ensure_ascii=False).encode() + b"\n" + b"{}\n" * 10_000_000, 9))
    return {"gzip bomb (1 GiB of text)": bomb, "JSON array": array, "10M empty lines (gzip)": empties}


def read_input(path: Path) -> tuple[str, str, float, int]:
    """(outcome, peak MB, seconds, size on disk) of reading one input in a fresh process."""
    out = subprocess.run([sys.executable, "-c", PROBE, str(path)], capture_output=True, text=True, check=True, cwd=REPO)
    count, skipped, first, peak, seconds = eval(out.stdout)  # noqa: S307 - our own probe's repr
    outcome = f"{count:,} articles" + (f"; {skipped:,} skipped: {first[:60]}" if skipped else "")
    return outcome, f"{peak:,}", seconds, path.stat().st_size


def index_summary(path: Path, folder: Path) -> tuple[str, float]:
    """The `corpus index --json` summary's size and the run's seconds."""
    started = time.perf_counter()
    result = subprocess.run(
        [sys.executable, "-m", "indexer", "index", "--json", "--index", str(folder / "idx"), str(path)],
        capture_output=True, text=True, cwd=REPO,
    )
    seconds = time.perf_counter() - started
    summary = json.loads(result.stdout)
    return f"{len(result.stdout):,} bytes, skipped_count {summary['skipped_count']:,}, listed {len(summary['skipped'])}", seconds


def hostile_queries(index: Path) -> list[tuple[str, str]]:
    """(label, query, mode) of the queries that once ran unbounded."""
    from indexer import Corpus
    from indexer.query.expansion import DEFAULT_EXPANSION_LIMIT
    from indexer.store.schema import BODY_EXACT

    rng = random.Random(SEED)
    letters = "ابتثجحخدذرزسشصضطظعغفقكلمنهوي"
    unseen = " ".join("".join(rng.choice(letters) for _ in range(6)) for _ in range(142))[:1000]
    with Corpus(index).open_index().reader() as reader:
        prefixes = Counter(term[:3] for term in reader.field_terms(BODY_EXACT) if len(term) >= 3)
    fitting = [p for p, n in prefixes.most_common() if 50 <= n < DEFAULT_EXPANSION_LIMIT // 2][:250]
    patterns = " ".join(f"{p}*" for p in fitting)[:1000]
    fuzzy = " ".join("".join(rng.choice(letters) for _ in range(5)) + "~2" for _ in range(125))[:1000]
    return [("1,000 chars of unseen words", unseen, "any"), ("250 prefixes", patterns, "any"), ("125 fuzzy ~2 words", fuzzy, "any")]


def run_queries(index: Path) -> list[list[str]]:
    import resource

    from indexer import Corpus, QueryError

    rows = []
    with Corpus(index) as corpus:
        for label, query, mode in hostile_queries(index):
            started = time.perf_counter()
            try:
                outcome = f"{corpus.search(query, mode=mode).total:,} matching"
            except QueryError as error:
                outcome = "refused: " + re.sub(r" at position.*", "", error.message)[:70]
            seconds = time.perf_counter() - started
            peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss // 1024
            rows.append([label, f"{len(query):,}", f"{seconds:.2f}", f"{peak:,}", outcome])
    return rows


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--index", type=Path, help="an index of the news articles, for the query table")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        inputs = make_inputs(folder)
        rows = []
        for label, path in inputs.items():
            outcome, peak, seconds, size = read_input(path)
            rows.append([label, f"{size / 2**20:,.1f}", f"{seconds:.1f}", peak, outcome])
        print(table(["input", "MB on disk", "s", "peak MB", "outcome (read_sources, default limits)"], rows))
        summary, seconds = index_summary(inputs["10M empty lines (gzip)"], folder)
        print(f"\ncorpus index --json on the 10M empty lines: {seconds:.0f} s; summary {summary}")
    if args.index:
        print()
        print(table(["query (mode any)", "chars", "s", "peak MB", "outcome"], run_queries(args.index)))


if __name__ == "__main__":
    main()
