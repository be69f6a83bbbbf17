"""How far a lexical ranking can go on the news known-item sets, run by hand (not by CI).

    python benchmarks/knownitem_ceiling.py [--work DIR] [--near 0.9] [--show N] [--set MODULE.NAME=VALUE ...]

On snn-dev and ant-dev a title is the question and its article's body, among some ten
thousand bodies, the one answer. ``make_knownitem.py`` drops bodies that are exactly
equal, but news agencies and papers republish a story with a changed line or two: when
such a near duplicate of the answer ranks above it, no ranking by the words of the title
can tell the two apart, and the answer loses a rank that no lever can win back.

For each question whose answer is not ranked first (``Corpus.search(title, mode="any")``,
as ``relevance.py`` searches), this reads every body ranked above the answer (down to
rank 100) and compares it with the answer: the Jaccard similarity of their sets of word
3-shingles after normalisation (diacritics, tatweel and punctuation removed, hamza seats
and ة/ى folded), and the containment (shared shingles over the smaller set: one body
holding the other, with a paragraph added). A body is a near duplicate at Jaccard >=
``--near``. It prints, per set: how many questions miss rank 1, how many of those have a
near duplicate (and an exact one, after normalisation) above the answer, and the
MRR@10 / Recall@10 / nDCG@10 as measured and as they would be if every near duplicate
tied in our favour (the answer placed at its best duplicate's rank): the ceiling of any
ranking that reads only the words; and, looser, if every body holding the answer's text
(containment >= ``--near``: the same story trimmed or extended) tied too. It also counts
the misses where a body above the answer quotes the title word for word and the answer
does not (a list of the day's headlines, say), with the measures if every such body
ranked below the answer. ``--show N`` prints N misses without a duplicate per set, the
title with the body that wins and the answer's rank, for reading.

Reuses the indexes of ``benchmarks/ranking_tuning.py --work DIR`` (built there on first
use); ``--set`` changes a module constant as it does there.
"""

from __future__ import annotations

import argparse
import json
import math
import re
import sys
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from statistics import mean

sys.path.insert(0, str(Path(__file__).resolve().parent))

from ranking_tuning import apply, index_of  # noqa: E402
from relevance import DEPTH, table  # noqa: E402

from indexer import Corpus  # noqa: E402

KNOWN_ITEM = ("snn-dev", "ant-dev")
READ = 100  # ranks read to find the answer and the bodies above it

_MARKS = re.compile("[\u0610-\u061a\u064b-\u065f\u0670\u06d6-\u06ed\u0640]")
_FOLD = str.maketrans({"أ": "ا", "إ": "ا", "آ": "ا", "ٱ": "ا", "ة": "ه", "ى": "ي", "ؤ": "و", "ئ": "ي"})
_WORD = re.compile(r"\w+")


def words(text: str) -> list[str]:
    """The body's words with the differences that a republished copy often has erased."""
    return _WORD.findall(_MARKS.sub("", text).translate(_FOLD).lower())


def shingles(text: str, size: int = 3) -> frozenset[tuple[str, ...]]:
    w = words(text)
    return frozenset(tuple(w[i : i + size]) for i in range(max(1, len(w) - size + 1)))


def jaccard(a: frozenset, b: frozenset) -> float:
    return len(a & b) / len(a | b) if a or b else 1.0


def containment(a: frozenset, b: frozenset) -> float:
    return len(a & b) / min(len(a), len(b)) if a and b else 0.0


def quotes(body: str, title: str) -> bool:
    """Whether `body` holds the words of `title` one after another (a list of headlines
    quoting it, say)."""
    return f" {' '.join(words(title))} " in f" {' '.join(words(body))} "


def measures(rank: int | None) -> tuple[float, float, float]:
    """MRR@10, Recall@10 and nDCG@10 of one question whose one answer is at `rank`."""
    if rank is None or rank > DEPTH:
        return 0.0, 0.0, 0.0
    return 1 / rank, 1.0, 1 / math.log2(rank + 1)


def summary(ranks: Sequence[int | None]) -> str:
    m = [measures(r) for r in ranks]
    return " / ".join(f"{mean(x[i] for x in m):.3f}" for i in range(3))


@dataclass(frozen=True)
class Above:
    """What the bodies ranked above an answer are to it."""

    duplicates: list[int]  # ranks of the near duplicates (Jaccard >= near)
    containing: list[int]  # ranks of the bodies holding it or held by it (containment >= near)
    exact: bool  # one is the same text once normalised
    quoters: int  # bodies, not near duplicates, quoting the title when the answer does not
    first: tuple[float, float]  # Jaccard and containment of the body ranked first


def compare(bodies: dict[str, str], answer: str, above: list[str], title: str, near: float) -> Above:
    mine = shingles(bodies[answer])
    similar = [(jaccard(mine, theirs), containment(mine, theirs)) for theirs in (shingles(bodies[d]) for d in above)]
    quoted = not quotes(bodies[answer], title)
    return Above(
        duplicates=[rank for rank, (j, _) in enumerate(similar, 1) if j >= near],
        containing=[rank for rank, (_, c) in enumerate(similar, 1) if c >= near],
        exact=any(words(bodies[d]) == words(bodies[answer]) for d in above),
        quoters=sum(1 for (j, _), d in zip(similar, above) if quoted and j < near and quotes(bodies[d], title)),
        first=similar[0],
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--work", type=Path, default=Path("/tmp/ranking-tuning"))
    parser.add_argument("--near", type=float, default=0.9, help="Jaccard of 3-shingles from which a body is a near duplicate")
    parser.add_argument("--show", type=int, default=0, help="print this many misses without a duplicate, per set")
    parser.add_argument("--set", action="append", default=[], metavar="MODULE.NAME=VALUE", help="as ranking_tuning.py's")
    args = parser.parse_args()
    for setting in args.set:
        apply(setting)
    rows = []
    for name in KNOWN_ITEM:
        index, collection = index_of(name, args.work)
        split = collection.splits[0]  # type: ignore[attr-defined]
        with open(collection.docs, encoding="utf-8") as lines:  # type: ignore[attr-defined]
            bodies = {d["id"]: d["body"] for d in map(json.loads, lines)}
        measured: list[int | None] = []
        ceiling: list[int | None] = []  # near duplicates tied in our favour
        loose: list[int | None] = []  # bodies holding the answer's text (containment) tied too
        unquoted: list[int | None] = []  # bodies quoting the title (not near duplicates) ranked below the answer
        missed = near = exact = contained = quoting = 0
        shown = 0
        with Corpus(index) as corpus:
            for qid, title in split.questions.items():
                answer = next(d for d, g in split.qrels[qid].items() if g > 0)
                ranked = [hit.id for hit in corpus.search(title, mode="any", limit=READ)]
                rank = ranked.index(answer) + 1 if answer in ranked else None
                measured.append(rank)
                if rank == 1:
                    ceiling.append(rank)
                    loose.append(rank)
                    unquoted.append(rank)
                    continue
                missed += 1
                above = ranked[: (rank or READ + 1) - 1]
                found = compare(bodies, answer, above, title, args.near)
                near += bool(found.duplicates)
                exact += found.exact
                contained += bool(found.containing)
                quoting += bool(found.quoters) and not found.duplicates
                ceiling.append(min(found.duplicates, default=rank))
                loose.append(min(found.duplicates + found.containing, default=rank))
                unquoted.append(rank - found.quoters if rank is not None else None)
                if not found.duplicates and shown < args.show and rank is not None and rank <= DEPTH:
                    shown += 1
                    winner = above[0]
                    print(f"--- {name} {qid} answer at rank {rank}; title: {title}")
                    print(f"  winner {winner} (Jaccard {found.first[0]:.2f}, containment {found.first[1]:.2f}): {bodies[winner][:300]!r}")
                    print(f"  answer {answer}: {bodies[answer][:300]!r}")
        rows.append((name, len(measured), missed, near, exact, contained, quoting, summary(measured), summary(ceiling), summary(loose), summary(unquoted)))
    print(f"Near duplicate: Jaccard of word 3-shingles >= {args.near}; ranks read: {READ}; " + (", ".join(args.set) or "the ranking as it is"))
    print()
    header = ("set", "questions", "answer not first", "near dup above", "exact dup above", f"contained >= {args.near}", "quoting title", "measured", "ceiling", "ceiling, containment too", "quoting bodies below")
    print(table(header, rows))
    print()
    print("measured, ceilings: MRR@10 / Recall@10 / nDCG@10; ceiling: each near duplicate above the answer tied in our")
    print(f"favour; containment too: so is each body sharing >= {args.near} of the smaller body's shingles (one holds the other)")
    print("quoting title: misses where a body above the answer, not a near duplicate, holds the title word for word and the answer does not;")
    print("quoting bodies below: the measures if every such body ranked below the answer")


if __name__ == "__main__":
    main()
