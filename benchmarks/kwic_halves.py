"""A concordance's two halves timed apart, run by hand (not by CI): counting and ordering
every occurrence (`ViewCounter.kwic`: the sort keys, the first lines chosen) and building
the page's lines from the stored text (`ViewCounter.kwic_lines`), for each --sort.

    python benchmarks/kwic_halves.py --index DIR [--repeat 15]

``DIR`` as for ``benchmarks/views.py`` (the news, built when missing). A change to the
order changes which lines a page shows (a title's line costs less to build than a body's),
so the whole call's time mixes the order's cost with the lines'; this table keeps them
apart. Medians of ``--repeat`` warm calls, in ms.
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
from benchmarks.views import ensure_index  # noqa: E402
from indexer import Corpus  # noqa: E402
from indexer.views import counting  # noqa: E402

QUERY = "السعودية"
HALVES = ("kwic", "kwic_lines")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--index", type=Path, required=True, help="index of the news (built when missing)")
    parser.add_argument("--repeat", type=int, default=15)
    args = parser.parse_args()
    ensure_index(args.index)
    spent: dict[str, float] = {}
    for name in HALVES:  # each half timed where the views call it
        def timed(*call_args, _method=getattr(counting.ViewCounter, name), _name=name, **kwargs):  # type: ignore[no-untyped-def]
            started = time.perf_counter()
            result = _method(*call_args, **kwargs)
            spent[_name] = time.perf_counter() - started
            return result
        setattr(counting.ViewCounter, name, timed)
    rows = []
    with Corpus(args.index) as corpus:
        for sort in ("date", "left", "right"):
            corpus.kwic(QUERY, limit=100, sort=sort)
            times: dict[str, list[float]] = {name: [] for name in HALVES}
            for _ in range(args.repeat):
                found = corpus.kwic(QUERY, limit=100, sort=sort)
                for name in HALVES:
                    times[name].append(spent[name])
            titles = sum(line.field == "title" for line in found.lines)
            rows.append([f"kwic {QUERY} --sort {sort}, first 100", f"{titles}"] + [f"{statistics.median(times[n]) * 1000:.1f}" for n in HALVES])
    print(load_line())
    print(table(["call", "title lines", "count+order ms", "lines ms"], rows))


if __name__ == "__main__":
    main()
