"""Conflation benchmark, run by hand (not by CI): three stemmers on the conflation table.

    python benchmarks/conflation.py [--wrong]

The table is ``tests/analysis/conflation.py``: 417 groups of forms of one word and 306 pairs
of different words, made from the most frequent words of the news corpus (how is written
there), plus the few hand-picked cases the tests require one by one. Scored:

- ours: ``stem(fold(w))`` from ``indexer.analysis`` (ANALYZER_VERSION 3);
- v2: the stemmer of ANALYZER_VERSION 2, frozen in ``benchmarks/stemmer_v2.py``;
- v1: the stemmer of ANALYZER_VERSION 1, frozen in ``benchmarks/stemmer_v1.py``;
- Light10: Lucene's Arabic light stemmer, ported in ``benchmarks/light10.py``.

Conflation is the share of word pairs within a group that get one stem; "groups whole" the
share of groups whose words all get one stem; separation the share of pairs that get two.
Halves: the even rows of each table (on which the thresholds of ``stemming.py`` were
chosen) and the odd rows (not looked at while choosing). ``--wrong`` lists what ours gets
wrong. Results are recorded in ``docs/benchmarks.md`` (section "Stemming").
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
# ``tests.analysis.conflation`` and ``benchmarks`` live beside the package, not in it.
if str(REPO) not in sys.path:
    sys.path.insert(0, str(REPO))

from benchmarks.analyze import table  # noqa: E402
from benchmarks.light10 import light10  # noqa: E402
from benchmarks.stemmer_v1 import stem as stem_v1  # noqa: E402
from benchmarks.stemmer_v2 import stem as stem_v2  # noqa: E402
from indexer.analysis import fold, stem  # noqa: E402
from tests.analysis.conflation import (  # noqa: E402
    CONFLATE,
    GROUPS,
    PAIRS,
    SEPARATE,
    conflation_rate,
    group_rate,
    separation_rate,
)

STEMMERS: dict[str, Callable[[str], str]] = {
    "ours": lambda w: stem(fold(w)),
    "v2": lambda w: stem_v2(fold(w)),
    "v1": lambda w: stem_v1(fold(w)),
    "Light10": light10,
}


def rows() -> list[tuple[str, ...]]:
    halves = {
        "all": (GROUPS, PAIRS),
        "even rows": (GROUPS[0::2], PAIRS[0::2]),
        "odd rows": (GROUPS[1::2], PAIRS[1::2]),
        "hand-picked": (CONFLATE, SEPARATE),
    }
    out = []
    for half, (groups, pairs) in halves.items():
        size = f"{len(groups)} / {len(pairs)}"
        for name, s in STEMMERS.items():
            out.append((
                f"{half}: {name}", size,
                f"{conflation_rate(s, groups):.3f}", f"{group_rate(s, groups):.3f}",
                f"{separation_rate(s, pairs):.3f}",
            ))
    return out


def wrong() -> None:
    s = STEMMERS["ours"]
    print("ours splits:")
    for group in GROUPS + CONFLATE:
        if len({s(w) for w in group}) > 1:
            print("  " + "  ".join(f"{w}\u2192{s(w)}" for w in group))
    print("ours joins:")
    for a, b in PAIRS + SEPARATE:
        if s(a) == s(b):
            print(f"  {a}\u2192{s(a)}  {b}\u2192{s(b)}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--wrong", action="store_true", help="list what ours gets wrong")
    args = parser.parse_args()
    print("Conflation table: tests/analysis/conflation.py (groups / pairs)")
    print()
    print(table(("table: stemmer", "groups / pairs", "conflation", "groups whole", "separation"), rows()))
    print()
    print("Targets (issue 12): separation >= 0.95 with conflation >= 0.90.")
    if args.wrong:
        print()
        wrong()


if __name__ == "__main__":
    main()
