"""What the ranking levers and "did you mean" cost, run by hand: the same queries with each
switched off and on, interleaved query by query in one process (so load on the machine
falls on both alike).

    python benchmarks/ranking_latency.py --index DIR

``DIR`` is a corpus index of ``../shared/data/news`` (``benchmarks/latency.py --index X``
builds one as ``X/ours``). Queries, drawn with a fixed seed from the same news:

- ``title (any)``: 100 article titles of 5 words or more searched with ``mode="any"``, as
  a pasted title or a question is. "off" sets the levers of ``indexer/query/ranking.py``
  to nothing (no proximity, lead, telling words, siblings or idf emphasis; the bag is
  still coordinated, one multiplication per document); "on" as shipped.
- ``title: siblings``: the same titles; "off" leaves out only the siblings (the lever
  that looks words up in the lexicon while planning and reads more postings).
- ``title: telling``: the same titles; "off" leaves out only the telling words (which
  read the positions of the best documents' words once more).
- ``question: decaying lead``: 100 ARCD train questions (``../shared/data/ir/arcd``,
  drawn with the same seed), ``mode="any"``; "off" gives a question the headline's lead
  (cut off at the 40th word), "on" the lead decaying with position.
- ``rare word``: 100 words in 1 to 4 articles (the queries that ask for a suggestion),
  ``mode="all"``. "off" sets ``suggest.FEW_HITS`` to 0 (never asked); "on" as shipped.

Each query runs once untimed, then 3 timed runs per setting (``time.perf_counter``); its
time is the median of the 3. Results are recorded in ``docs/benchmarks.md``.
"""

from __future__ import annotations

import argparse
import random
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
if str(REPO) not in sys.path:
    sys.path.insert(0, str(REPO))

from benchmarks.index import read_records, source_paths, table  # noqa: E402
from benchmarks.relevance import COLLECTIONS, DATA  # noqa: E402
from indexer import Corpus  # noqa: E402
from indexer.analysis import analyze  # noqa: E402
from indexer.query import ranking, suggest  # noqa: E402
from indexer.store.schema import BODY_EXACT  # noqa: E402

SEED = 7
QUERIES = 100
REPEATS = 3
SCAN_EVERY = 8  # rare words from the first 1,000 characters of every 8th body
LEVERS_OFF = {"PROXIMITY_WEIGHT": 0.0, "LEAD_WEIGHT": 0.0, "TELLING_WEIGHT": 0.0, "IDF_EMPHASIS": 0.0, "SIBLING_WEIGHT": 0.0}


def timed(run: Callable[[], object]) -> float:
    samples = []
    for _ in range(REPEATS):
        started = time.perf_counter()
        run()
        samples.append((time.perf_counter() - started) * 1000)
    return statistics.median(samples)


def switched(module, off: dict[str, object], on: bool, run: Callable[[], object]) -> float:
    """`run` timed with `module`'s constants as shipped (`on`) or set to `off`."""
    saved = {name: getattr(module, name) for name in off}
    if not on:
        for name, value in off.items():
            setattr(module, name, value)
    try:
        return timed(run)
    finally:
        for name, value in saved.items():
            setattr(module, name, value)


def draw(corpus: Corpus, rng: random.Random) -> tuple[list[str], list[str]]:
    reader = corpus.open_index().reader()
    titles, rare = [], {}
    for n, record in enumerate(read_records(source_paths())):
        title = " ".join((record.get("title") or "").split())
        if len(title.split()) >= 5:
            titles.append(title)
        if n % SCAN_EVERY:
            continue
        for token in analyze((record.get("body") or "")[:1000]):
            if not token.stopword and len(token.exact) >= 4 and token.text.isalpha():
                rare.setdefault(token.exact, token.text)
    pool = sorted(rare)
    rng.shuffle(pool)
    words = [rare[f] for f in pool if 1 <= reader.doc_frequency(BODY_EXACT, f) < suggest.FEW_HITS][:QUERIES]
    return rng.sample(titles, QUERIES), words


def questions(rng: random.Random) -> list[str]:
    """ARCD train questions, as the queries file spells them."""
    split = next(s for s in COLLECTIONS["arcd"](DATA / "arcd").splits if s.name == "train")
    return rng.sample(sorted(split.questions.values()), QUERIES)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--index", type=Path, required=True, help="a corpus index of the news")
    args = parser.parse_args()
    with Corpus(args.index) as corpus:
        titles, words = draw(corpus, random.Random(SEED))
        cases = [
            ("title (any)", ranking, LEVERS_OFF, titles, "any"),
            ("title: siblings", ranking, {"SIBLING_WEIGHT": 0.0}, titles, "any"),
            ("title: telling", ranking, {"TELLING_WEIGHT": 0.0}, titles, "any"),
            ("question: decaying lead", ranking, {"QUESTION_LEAD_DECAY": 0.0}, questions(random.Random(SEED)), "any"),
            ("rare word", suggest, {"FEW_HITS": 0}, words, "all"),
        ]
        rows = []
        for name, module, off, queries, mode in cases:
            times: dict[bool, list[float]] = {False: [], True: []}
            for query in queries:
                def run(query: str = query, mode: str = mode) -> object:
                    return corpus.search(query, mode=mode, limit=10, did_you_mean=True)
                run()
                for on in (False, True):
                    times[on].append(switched(module, off, on, run))
            for on in (False, True):
                t = times[on]
                rows.append((name, "on" if on else "off", len(t), f"{statistics.median(t):.1f}",
                             f"{statistics.quantiles(t, n=20)[-1]:.1f}", f"{max(t):.1f}"))
    print(f"Ranking levers and did-you-mean, off and on, interleaved (seed {SEED}; index {args.index})")
    print()
    print(table(("queries", "setting", "n", "p50 ms", "p95 ms", "max ms"), rows))


if __name__ == "__main__":
    main()
