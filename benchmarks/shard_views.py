"""What the corpus views and --dedupe cost over shards, run by hand (not by CI): each case
of ``benchmarks/views.py`` and a few deduplicated searches, on one index and on a sharded
index of the same articles, interleaved case by case in one process (so the machine's load
falls on both alike), with a check that both give the same answer.

    python benchmarks/shard_views.py --one DIR --sharded DIR

``--one`` is an unsharded corpus index of ``../shared/data/news``, ``--sharded`` a sharded
one of the same articles (``corpus index --shards 4 --index DIR`` with the two news files).
Each case runs once untimed on both (the answers compared, ``took_ms`` aside), then 3
timed runs on each, alternating; its time is the median of the 3. Everything runs in this
process: the shards are searched one after another (``InProcess``).
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

from benchmarks.index import load_line, table  # noqa: E402
from benchmarks.views import CASES  # noqa: E402
from indexer import Corpus  # noqa: E402

REPEATS = 3
SEARCHES: list[tuple[str, Callable[[Corpus], object]]] = [
    ("search السعودية", lambda c: c.search("السعودية")),
    ("search السعودية --dedupe", lambda c: c.search("السعودية", dedupe=True)),
    ("search النفط --dedupe --sort -date", lambda c: c.search("النفط", dedupe=True, sort="-date")),
    ("search خادم الحرمين --dedupe", lambda c: c.search("خادم الحرمين", dedupe=True)),
]


def answer(result: object) -> dict:
    data = result.to_dict()  # type: ignore[attr-defined]
    data.pop("took_ms", None)
    return data


def timed(call: Callable[[], object]) -> float:
    started = time.perf_counter()
    call()
    return (time.perf_counter() - started) * 1000


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--one", type=Path, required=True, help="an unsharded index of the news")
    parser.add_argument("--sharded", type=Path, required=True, help="a sharded index of the same articles")
    args = parser.parse_args()
    print(load_line())
    rows = []
    with Corpus(args.one) as one, Corpus(args.sharded) as sharded:
        shards = len(sharded._shards().transport.names)  # type: ignore[union-attr]
        for name, call in [*SEARCHES, *CASES]:
            same = answer(call(one)) == answer(call(sharded))
            times: dict[str, list[float]] = {"one": [], "sharded": []}
            for _ in range(REPEATS):
                times["one"].append(timed(lambda: call(one)))
                times["sharded"].append(timed(lambda: call(sharded)))
            a, b = statistics.median(times["one"]), statistics.median(times["sharded"])
            rows.append([name, f"{a:.0f}", f"{b:.0f}", f"{b / a:.2f}", "yes" if same else "NO"])
    print()
    print(table(["case (library call, warm)", "1 index ms", f"{shards} shards ms", "ratio", "same answer"], rows))
    print(load_line())


if __name__ == "__main__":
    main()
