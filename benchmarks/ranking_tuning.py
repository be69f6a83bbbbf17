"""Ranking levers on the tuning splits only, run by hand (not by CI).

    python benchmarks/ranking_tuning.py [--work DIR] [--set MODULE.NAME=VALUE ...] [--collection NAME]

Issue 12 tunes the ranking on snn-dev, ant-dev, ARCD train and QQA23 train and dev, and
reports the test splits (ARCD test, QQA23 test) once, at the end, with
``benchmarks/relevance.py``. This script never reads a test split: it evaluates the
tuning splits the way ``relevance.py`` does (same collections, same questions, same
``Corpus.search(question, mode="any", limit=10)``, same measures), over indexes built
once into ``--work`` and reused, so that one lever is one quick run:

    python benchmarks/ranking_tuning.py --set indexer.query.ranking.LEAD_WEIGHT=0

The indexes are built by the analysis of the checkout that first builds them: after any
change to ``indexer/analysis`` give a fresh ``--work`` directory (or delete the old one).

Each ``--set`` replaces a module constant for the run (the value is a Python literal, or
else a string).
The last line of output is the row for the "Ranking levers" table of
``docs/benchmarks.md`` (MRR@10 / Recall@10 / nDCG@10 per split).
"""

from __future__ import annotations

import argparse
import ast
import importlib
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from relevance import COLLECTIONS, DATA, build_index, collection_root, evaluate, figure, table  # noqa: E402

from indexer import Corpus  # noqa: E402

#: The splits tuned on, per collection; test splits are never evaluated here.
TUNING = {"snn-dev": ("dev",), "ant-dev": ("dev",), "arcd": ("train",), "qqa23": ("train", "dev")}


def apply(setting: str) -> None:
    """Set ``module.NAME`` to a Python literal, e.g. ``indexer.query.ranking.LEAD_WEIGHT=0``."""
    target, _, value = setting.partition("=")
    module_name, _, name = target.rpartition(".")
    if not value or not module_name:
        sys.exit(f"error: --set {setting!r}: expected MODULE.NAME=VALUE")
    module = importlib.import_module(module_name)
    if not hasattr(module, name):
        sys.exit(f"error: --set {setting!r}: {module_name} has no {name}")
    try:
        parsed = ast.literal_eval(value)
    except (ValueError, SyntaxError):
        parsed = value  # a bare word: a string
    setattr(module, name, parsed)


def index_of(name: str, work: Path) -> tuple[Path, object]:
    """The collection and its index under ``work``, built on first use."""
    collection = COLLECTIONS[name](collection_root(name, work / "knownitem"))
    index, built = work / name, work / f"{name}.built"
    if not built.exists():
        build_index(collection, index)
        built.write_text("built\n")
    return index, collection


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--work", type=Path, default=Path("/tmp/ranking-tuning"), help="where the indexes are kept")
    parser.add_argument("--set", action="append", default=[], metavar="MODULE.NAME=VALUE")
    parser.add_argument("--collection", choices=sorted(TUNING), action="append")
    args = parser.parse_args()
    if not DATA.is_dir():
        sys.exit(f"error: {DATA} not found (the benchmark reads ../shared/data beside the checkout)")
    for setting in args.set:
        apply(setting)
    (args.work / "knownitem").mkdir(parents=True, exist_ok=True)
    rows, cells = [], []
    for name in args.collection or list(TUNING):
        index, collection = index_of(name, args.work)
        with Corpus(index) as corpus:
            for split in collection.splits:  # type: ignore[attr-defined]
                if split.name not in TUNING[name]:
                    continue
                s = evaluate(corpus, split)
                rows.append((name, split.name, s.questions, s.errors, figure(s.mrr), figure(s.recall), figure(s.ndcg)))
                cells.append(f"{s.mrr:.3f} / {s.recall:.3f} / {s.ndcg:.3f}")
    print("Tuning splits: " + (", ".join(args.set) or "the ranking as it is"))
    print()
    print(table(("collection", "split", "questions", "errors", "MRR@10", "Recall@10", "nDCG@10"), rows))
    print()
    print("| " + " | ".join(cells) + " |")


if __name__ == "__main__":
    main()
