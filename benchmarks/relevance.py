"""Relevance benchmark, run by hand (not by CI): questions against two Arabic test collections.

    python benchmarks/relevance.py [--collection NAME]

For each collection in ``../shared/data/ir/`` (beside the checkout):

1. ``corpus index --index TMP DOCS --quiet`` (a subprocess, as a user would run it) builds a
   fresh index in a temporary directory, removed afterwards.
2. Every question of every split goes through ``Corpus(TMP).search(question, mode="any",
   limit=10)`` exactly as it appears in the queries file (TSV, decoded with ``csv``: a field
   wrapped in double quotes has them removed and ``""`` read as ``"``; nothing else).
3. MRR@10, Recall@10 and nDCG@10 are averaged over the judged questions with at least one
   answer. The qrels grade every relevant passage 1, so nDCG is binary (gain 1, log2
   discount, ideal = min(relevant, 10) hits at the top). A question the library rejects
   (``UsageError``) counts as returning nothing and is counted under "errors".

Collections (see ``../shared/data/README.md``):

- ``snn-dev`` and ``ant-dev``: news known-item sets built by ``../shared/data/ir/
  make_knownitem.py`` (into a temporary directory): an article's title is the question,
  its body (among 10,000 SaudiNewsNet or 9,701 ANT bodies, body only) the one answer;
  400 questions each, one split ("dev", used for tuning).
- ``arcd``: 460 Wikipedia paragraphs (title + text), 1,395 questions with one relevant
  paragraph each; ``queries_split.tsv`` gives train (693) and test (702).
- ``qqa23``: 1,266 Qur'an passages (text only; the undiacritized ``docs.jsonl``), questions
  and passage qrels (``qrels_{split}.txt``, not the verse-level files) for train, dev and
  test. A question whose qrels are the single docid ``-1`` has no answer in the text; by the
  usual convention it is left out of MRR, Recall and nDCG (a ranked list cannot express "no
  answer"); the table counts such questions under "no-answer". A question with no qrels line
  at all (test question 504) is unjudged and left out too.

The Lucene 8.7 ``ArabicAnalyzer`` figures (title and body, BM25 defaults, same documents and
questions; issue 12) are quoted, not measured here; the row "corpus ÷ Lucene" divides ours
by them (issue 12 asks for 1.05x on snn-dev, ant-dev and ARCD test, 1x on QQA23 test).

Results are recorded in ``docs/benchmarks.md`` (section "Relevance").
"""

from __future__ import annotations

import argparse
import csv
import math
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from statistics import mean

from indexer import Corpus
from indexer.errors import UsageError

REPO = Path(__file__).resolve().parents[1]
DATA = REPO.parent / "shared/data/ir"
DEPTH = 10
NO_ANSWER = "-1"

#: Lucene 8.7 ArabicAnalyzer, title and body, BM25 defaults: (MRR@10, Recall@10, nDCG@10).
LUCENE: dict[tuple[str, str], tuple[float | None, float | None, float | None]] = {
    ("snn-dev", "dev"): (0.642, 0.900, 0.705),
    ("ant-dev", "dev"): (0.823, 0.950, 0.854),
    ("arcd", "test"): (0.783, 0.954, 0.826),
    ("qqa23", "test"): (0.296, None, 0.180),
}


# --- collections --------------------------------------------------------------------------


@dataclass(frozen=True)
class Split:
    """The questions of one split and their judgments (docid -> grade)."""

    name: str
    questions: dict[str, str]
    qrels: dict[str, dict[str, int]]


@dataclass(frozen=True)
class Collection:
    name: str
    docs: Path
    fields: tuple[str, ...]  # `corpus index --field` options
    splits: tuple[Split, ...]


def read_tsv(path: Path) -> list[list[str]]:
    """Rows of a tab-separated file; a field wrapped in double quotes is CSV-decoded."""
    with path.open(encoding="utf-8", newline="") as lines:
        return [row for row in csv.reader(lines, delimiter="\t") if row]


def read_qrels(path: Path) -> dict[str, dict[str, int]]:
    """TREC qrels (``qid iter docid grade``, blank or tab separated) as qid -> docid -> grade."""
    qrels: dict[str, dict[str, int]] = {}
    for line in path.read_text(encoding="utf-8").splitlines():
        parts = line.split()
        if parts:
            qid, _, docid, grade = parts
            qrels.setdefault(qid, {})[docid] = int(grade)
    return qrels


def arcd(root: Path) -> Collection:
    questions = dict(read_tsv(root / "queries.tsv"))
    qrels = read_qrels(root / "qrels.txt")
    split_of = dict(read_tsv(root / "queries_split.tsv"))
    splits = tuple(
        Split(name, {q: text for q, text in questions.items() if split_of[q] == name}, qrels)
        for name in ("train", "test")
    )
    return Collection("arcd", root / "docs.jsonl", ("body=text",), splits)


def qqa23(root: Path) -> Collection:
    splits = tuple(
        Split(
            name,
            dict(read_tsv(root / f"queries_{name}.tsv")),
            read_qrels(root / f"qrels_{name}.txt"),
        )
        for name in ("train", "dev", "test")
    )
    return Collection("qqa23", root / "docs.jsonl", ("body=text",), splits)


def known_item(name: str) -> Callable[[Path], Collection]:
    """A news known-item set (an article's title is the question, its body the one
    answer) as ``make_knownitem.py`` builds it into ``root``: one split, "dev"."""

    def collection(root: Path) -> Collection:
        split = Split("dev", dict(read_tsv(root / "queries.tsv")), read_qrels(root / "qrels.txt"))
        return Collection(name, root / "docs.jsonl", (), (split,))

    return collection


COLLECTIONS = {"snn-dev": known_item("snn-dev"), "ant-dev": known_item("ant-dev"), "arcd": arcd, "qqa23": qqa23}
KNOWN_ITEM = ("snn-dev", "ant-dev")


def collection_root(name: str, scratch: Path) -> Path:
    """Where the collection's files are: the shared data, or for a known-item set the
    directory ``make_knownitem.py`` writes it to under ``scratch`` (built once)."""
    if name not in KNOWN_ITEM:
        return DATA / name
    if not (scratch / name / "qrels.txt").exists():
        subprocess.run([sys.executable, str(DATA / "make_knownitem.py"), str(scratch)], check=True, stdout=subprocess.DEVNULL)
    return scratch / name


def build_index(collection: Collection, directory: Path) -> float:
    """Index the collection's documents with the CLI; returns the seconds it took."""
    corpus_cli = Path(sys.executable).with_name("corpus")
    command = [str(corpus_cli)] if corpus_cli.exists() else [sys.executable, "-m", "indexer"]
    command += ["index", "--index", str(directory), str(collection.docs), "--quiet"]
    for spec in collection.fields:
        command += ["--field", spec]
    started = time.perf_counter()
    subprocess.run(command, check=True)
    return time.perf_counter() - started


# --- metrics ------------------------------------------------------------------------------


def reciprocal_rank(ranked: Sequence[str], relevant: dict[str, int]) -> float:
    hits = (1 / rank for rank, d in enumerate(ranked[:DEPTH], 1) if relevant.get(d, 0) > 0)
    return next(hits, 0.0)


def recall(ranked: Sequence[str], relevant: dict[str, int]) -> float:
    wanted = {d for d, grade in relevant.items() if grade > 0}
    return len(wanted.intersection(ranked[:DEPTH])) / len(wanted)


def ndcg(ranked: Sequence[str], relevant: dict[str, int]) -> float:
    """nDCG@10 with the qrels grade as gain (every grade here is 1: binary)."""
    gains = [relevant.get(d, 0) for d in ranked[:DEPTH]]
    ideal = sorted((g for g in relevant.values() if g > 0), reverse=True)[:DEPTH]
    return _dcg(gains) / _dcg(ideal)


def _dcg(gains: Sequence[int]) -> float:
    return sum(g / math.log2(rank + 1) for rank, g in enumerate(gains, 1))


@dataclass(frozen=True)
class Scores:
    questions: int  # judged questions with an answer: the ones averaged
    no_answer: int
    unjudged: int
    errors: int
    mrr: float
    recall: float
    ndcg: float


def answerable(relevant: dict[str, int] | None) -> bool:
    return bool(relevant) and any(g > 0 for d, g in relevant.items() if d != NO_ANSWER)


def evaluate(corpus: Corpus, split: Split) -> Scores:
    """Search every answerable question of ``split`` and average the three measures."""
    rr, rec, nd = [], [], []
    no_answer = unjudged = errors = 0
    for qid, question in split.questions.items():
        relevant = split.qrels.get(qid)
        if relevant is None:
            unjudged += 1
            continue
        if not answerable(relevant):
            no_answer += 1
            continue
        try:
            ranked = [hit.id for hit in corpus.search(question, mode="any", limit=DEPTH)]
        except UsageError:
            errors, ranked = errors + 1, []
        rr.append(reciprocal_rank(ranked, relevant))
        rec.append(recall(ranked, relevant))
        nd.append(ndcg(ranked, relevant))
    return Scores(len(rr), no_answer, unjudged, errors, mean(rr), mean(rec), mean(nd))


# --- output -------------------------------------------------------------------------------


def table(header: Sequence[str], rows: Iterable[Sequence[object]]) -> str:
    """A plain text table: first two columns left-aligned, the others right-aligned."""
    cells = [list(header)] + [[str(c) for c in row] for row in rows]
    widths = [max(len(row[i]) for row in cells) for i in range(len(header))]

    def line(row: Sequence[str]) -> str:
        return "  ".join(
            c.ljust(w) if i < 2 else c.rjust(w) for i, (c, w) in enumerate(zip(row, widths))
        ).rstrip()

    rule = "  ".join("-" * w for w in widths)
    return "\n".join([line(cells[0]), rule, *(line(row) for row in cells[1:])])


def figure(value: float | None) -> str:
    return "-" if value is None else f"{value:.3f}"


def ratio(ours: float, lucene: float | None) -> str:
    return "-" if not lucene else f"{ours / lucene:.3f}x"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--collection", choices=sorted(COLLECTIONS), action="append",
        help="only this collection (repeatable; default: all)",
    )
    args = parser.parse_args()
    if not DATA.is_dir():
        sys.exit(
            f"error: {DATA} not found.\n"
            "The benchmark reads ../shared/data beside the checkout; run it where that exists."
        )
    header = ("collection", "split / system", "questions", "no-answer", "errors",
              "MRR@10", "Recall@10", "nDCG@10")
    rows: list[Sequence[object]] = []
    notes = []
    unjudged = []
    scratch = tempfile.TemporaryDirectory(prefix="relevance-knownitem-")
    for name in args.collection or list(COLLECTIONS):
        collection = COLLECTIONS[name](collection_root(name, Path(scratch.name)))
        with tempfile.TemporaryDirectory(prefix=f"relevance-{name}-") as tmp:
            seconds = build_index(collection, Path(tmp) / "index")
            notes.append(f"{name}: indexed {collection.docs.name} in {seconds:.1f} s")
            with Corpus(Path(tmp) / "index") as corpus:
                for split in collection.splits:
                    s = evaluate(corpus, split)
                    rows.append((name, f"{split.name} / corpus", s.questions, s.no_answer,
                                 s.errors, figure(s.mrr), figure(s.recall), figure(s.ndcg)))
                    lucene = LUCENE.get((name, split.name))
                    if lucene:
                        rows.append((name, f"{split.name} / Lucene 8.7", s.questions,
                                     s.no_answer, "", *(figure(v) for v in lucene)))
                        ours = (s.mrr, s.recall, s.ndcg)
                        rows.append((name, f"{split.name} / corpus ÷ Lucene", "", "", "",
                                     *(ratio(a, b) for a, b in zip(ours, lucene))))
                    if s.unjudged:
                        unjudged.append(f"{s.unjudged} {name} {split.name}")
    print("Relevance: Corpus.search(question, mode=\"any\", limit=10); binary relevance "
          "(every qrels grade is 1)")
    print()
    print(table(header, rows))
    print()
    print("questions = judged questions with an answer (averaged); no-answer = QQA23 docid -1,")
    print("left out; errors = questions the search rejected (scored as no hits). Lucene 8.7")
    print("ArabicAnalyzer (title + body, BM25 defaults) is quoted from issue 12 ('-' = not given);")
    print("benchmarks/lucene_baseline.py runs it and reproduces every quoted figure.")
    if unjudged:
        print(f"Questions without any qrels line, left out: {', '.join(unjudged)}.")
    for note in notes:
        print(note)
    scratch.cleanup()


if __name__ == "__main__":
    main()
