"""Which questions one ranking lever moves, run by hand (not by CI).

    python benchmarks/lever_questions.py --work DIR --set MODULE.NAME=VALUE [--set ...]

Searches every question of the tuning splits (as ``ranking_tuning.py`` does, over the
indexes it built in ``--work``) twice, as shipped and with the ``--set`` values, and
counts the questions whose answer (first relevant document) ranks higher or lower in
the top 10, and those newly first or no longer first. Then the same for a check outside
the tuning splits: the titles of 5 words or more of ``news/sample_1000.jsonl`` searched
over an index of that file's bodies alone (titles left blank), each title's own article
the answer, with MRR@10 both ways. A lever that wins a few questions on one set and
loses them on the next is noise.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
import tempfile
from collections.abc import Callable, Iterable
from contextlib import contextmanager
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from ranking_tuning import TUNING, apply, index_of  # noqa: E402
from relevance import DATA, answerable, table  # noqa: E402

from indexer import Article, Corpus  # noqa: E402

OUTSIDE = DATA.parent / "news" / "sample_1000.jsonl"
MISSING = 11  # the rank given to an answer outside the top 10


@contextmanager
def settings(values: list[str]):  # type: ignore[no-untyped-def]
    """The module constants of `values` set for the block, then put back."""
    import importlib

    saved = []
    for setting in values:
        target = setting.partition("=")[0]
        module_name, _, name = target.rpartition(".")
        module = importlib.import_module(module_name)
        saved.append((module, name, getattr(module, name)))
        apply(setting)
    try:
        yield
    finally:
        for module, name, value in reversed(saved):
            setattr(module, name, value)


def first_rank(corpus: Corpus, question: str, relevant: dict[str, int]) -> int:
    hits = corpus.search(question, mode="any", limit=10).hits
    return next((i for i, hit in enumerate(hits, 1) if relevant.get(hit.id, 0) > 0), MISSING)


def compare(rank: Callable[[str, dict[str, int]], int], questions: Iterable[tuple[str, dict[str, int]]], values: list[str]) -> tuple:
    """Counts of the questions `values` moves, and MRR@10 as shipped and with them."""
    questions = list(questions)
    shipped = [rank(q, rel) for q, rel in questions]
    with settings(values):
        changed = [rank(q, rel) for q, rel in questions]
    mrr = lambda ranks: sum(1 / r for r in ranks if r < MISSING) / len(ranks)  # noqa: E731
    pairs = list(zip(shipped, changed))
    return (
        len(pairs),
        sum(b < a for a, b in pairs),
        sum(b > a for a, b in pairs),
        sum(b == 1 < a for a, b in pairs),
        sum(a == 1 < b for a, b in pairs),
        f"{mrr(shipped):.3f}",
        f"{mrr(changed):.3f}",
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--work", type=Path, default=Path("/tmp/ranking-tuning"), help="the indexes of ranking_tuning.py")
    parser.add_argument("--set", action="append", required=True, metavar="MODULE.NAME=VALUE")
    args = parser.parse_args()
    if not DATA.is_dir():
        sys.exit(f"error: {DATA} not found (the benchmark reads ../shared/data beside the checkout)")
    (args.work / "knownitem").mkdir(parents=True, exist_ok=True)
    rows = []
    for name, splits in TUNING.items():
        index, collection = index_of(name, args.work)
        with Corpus(index) as corpus:
            for split in collection.splits:  # type: ignore[attr-defined]
                if split.name in splits:
                    questions = [(q, split.qrels[i]) for i, q in split.questions.items() if answerable(split.qrels.get(i))]
                    rows.append((name, split.name, *compare(lambda q, rel: first_rank(corpus, q, rel), questions, args.set)))
    articles = [json.loads(line) for line in OUTSIDE.open(encoding="utf-8")]
    with tempfile.TemporaryDirectory() as scratch, Corpus(Path(scratch) / "index") as corpus:
        corpus.add([Article(a["id"], "", a["body"], None, "", "", "", "") for a in articles])
        titled = [(a["title"], {a["id"]: 1}) for a in articles if len(re.findall(r"\w+", a.get("title") or "")) >= 5]
        rows.append(("sample_1000", "titles", *compare(lambda q, rel: first_rank(corpus, q, rel), titled, args.set)))
    print("Questions moved by: " + ", ".join(args.set) + " (against the ranking as shipped)")
    print()
    header = ("collection", "split", "questions", "higher", "lower", "newly first", "no longer first", "MRR@10 shipped", "MRR@10 set")
    print(table(header, rows))


if __name__ == "__main__":
    main()
