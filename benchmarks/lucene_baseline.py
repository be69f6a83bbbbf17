"""Lucene 8.7's ArabicAnalyzer run on the relevance collections, run by hand (not by CI).

    python benchmarks/lucene_baseline.py [--work DIR] [--splits tuning|all] [--compare N]

Issue 12 quotes Lucene 8.7's figures (ArabicAnalyzer, BM25 defaults, title and body) for
snn-dev, ant-dev, ARCD test and QQA23 test; `relevance.py` prints them beside ours. This
runs that baseline here, so that it can be checked against the quoted figures and read on
the tuning splits, where it was never quoted: Debian's `liblucene8-java` (Lucene 8.7.0's
jars in /usr/share/java) and a JDK (`javac`) compile and run
`benchmarks/lucene/LuceneBaseline.java`, which indexes each collection's documents (title
and body) in memory and searches every question through a MultiFieldQueryParser over both
fields, escaped (OR between words). The measures are `relevance.py`'s.

``--splits tuning`` (the default) runs the splits issue 12 lets us tune on: snn-dev,
ant-dev, ARCD train, QQA23 train and dev; ``all`` adds the test splits, to check this run
against the quoted figures once. ``--compare N`` also searches the tuning questions with
corpus (the indexes of ``ranking_tuning.py --work DIR``) and counts, per split, the
questions where each system ranks the answer higher, printing N of those Lucene wins.
"""

from __future__ import annotations

import argparse
import json
import re
import subprocess
import sys
from pathlib import Path
from statistics import mean

sys.path.insert(0, str(Path(__file__).resolve().parent))

from ranking_tuning import TUNING, index_of  # noqa: E402
from relevance import COLLECTIONS, DEPTH, LUCENE, answerable, collection_root, ndcg, recall, reciprocal_rank, table  # noqa: E402

from indexer import Corpus  # noqa: E402
from indexer.errors import UsageError  # noqa: E402

JARS = Path("/usr/share/java")
NEEDED = ("lucene-core", "lucene-analyzers-common", "lucene-queryparser")
SOURCE = Path(__file__).resolve().parent / "lucene" / "LuceneBaseline.java"
_SPACES = re.compile(r"[\t\r\n]+")


def classpath() -> str:
    jars = [next(iter(sorted(JARS.glob(f"{name}-8*.jar"))), None) for name in NEEDED]
    if not all(jars):
        sys.exit("error: Lucene 8's jars are missing: apt-get install liblucene8-java (and a JDK for javac)")
    return ":".join(str(jar) for jar in jars)


def compile_baseline(work: Path, jars: str) -> None:
    if not (work / "LuceneBaseline.class").exists() or SOURCE.stat().st_mtime > (work / "LuceneBaseline.class").stat().st_mtime:
        subprocess.run(["javac", "-cp", jars, "-d", str(work), str(SOURCE)], check=True)


def one_line(text: str | None) -> str:
    return _SPACES.sub(" ", text or "")


def lucene_run(name: str, split_names: tuple[str, ...], work: Path, jars: str) -> dict[str, dict[str, list[str]]]:
    """Lucene's ranking of every question of the splits: split -> qid -> doc ids."""
    collection = COLLECTIONS[name](collection_root(name, work / "knownitem"))
    docs = work / f"{name}.docs.tsv"
    with docs.open("w", encoding="utf-8") as out:
        for line in collection.docs.read_text(encoding="utf-8").splitlines():
            record = json.loads(line)
            body = record.get("body") if record.get("body") is not None else record.get("text")
            out.write(f"{one_line(record['id'])}\t{one_line(record.get('title'))}\t{one_line(body)}\n")
    runs = {}
    for split in collection.splits:
        if split.name not in split_names:
            continue
        queries, run = work / f"{name}.{split.name}.queries.tsv", work / f"{name}.{split.name}.run.tsv"
        queries.write_text("".join(f"{qid}\t{one_line(text)}\n" for qid, text in split.questions.items()), encoding="utf-8")
        subprocess.run(["java", "-cp", f"{jars}:{work}", "LuceneBaseline", str(docs), str(queries), str(run), str(DEPTH)], check=True)
        ranked: dict[str, list[str]] = {qid: [] for qid in split.questions}
        for row in run.read_text(encoding="utf-8").splitlines():
            qid, _, docid, _ = row.split("\t")
            ranked[qid].append(docid)
        runs[split.name] = ranked
    return runs


def measures(split, ranked: dict[str, list[str]]) -> tuple[int, float, float, float]:  # type: ignore[no-untyped-def]
    judged = [qid for qid in split.questions if answerable(split.qrels.get(qid))]
    return (
        len(judged),
        mean(reciprocal_rank(ranked[q], split.qrels[q]) for q in judged),
        mean(recall(ranked[q], split.qrels[q]) for q in judged),
        mean(ndcg(ranked[q], split.qrels[q]) for q in judged),
    )


def first_rank(ranked: list[str], relevant: dict[str, int]) -> int | None:
    return next((i for i, d in enumerate(ranked, 1) if relevant.get(d, 0) > 0), None)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--work", type=Path, default=Path("/tmp/ranking-tuning"), help="where the sets, the class and the runs are kept")
    parser.add_argument("--splits", choices=("tuning", "all"), default="tuning")
    parser.add_argument("--compare", type=int, default=None, metavar="N", help="also compare with corpus per question on the tuning splits")
    args = parser.parse_args()
    args.work.mkdir(parents=True, exist_ok=True)
    jars = classpath()
    compile_baseline(args.work, jars)
    rows, comparisons = [], []
    for name in COLLECTIONS:
        wanted = TUNING[name] + (("test",) if args.splits == "all" and name in ("arcd", "qqa23") else ())
        collection = COLLECTIONS[name](collection_root(name, args.work / "knownitem"))
        runs = lucene_run(name, wanted, args.work, jars)
        for split in collection.splits:
            if split.name not in runs:
                continue
            n, mrr, rec, nd = measures(split, runs[split.name])
            quoted = LUCENE.get((name, split.name))
            quote = " / ".join("-" if v is None else f"{v:.3f}" for v in quoted) if quoted else ""
            rows.append((name, split.name, n, f"{mrr:.3f}", f"{rec:.3f}", f"{nd:.3f}", quote))
            if args.compare is not None and split.name in TUNING[name]:
                comparisons.append((name, split, runs[split.name]))
    print("Lucene 8.7 ArabicAnalyzer, BM25 defaults, title and body, run here\n")
    print(table(("collection", "split", "questions", "MRR@10", "Recall@10", "nDCG@10", "quoted in issue 12"), rows))
    for name, split, lucene in comparisons:
        corpus = Corpus(index_of(name, args.work)[0])
        wins, losses, ties, shown = 0, 0, 0, []
        for qid, question in split.questions.items():
            relevant = split.qrels.get(qid)
            if not answerable(relevant):
                continue
            try:
                ours = [hit.id for hit in corpus.search(question, mode="any", limit=DEPTH)]
            except UsageError:
                ours = []
            a, b = first_rank(ours, relevant), first_rank(lucene[qid], relevant)
            a, b = a or DEPTH + 1, b or DEPTH + 1
            if a < b:
                wins += 1
            elif b < a:
                losses += 1
                shown.append((qid, b, a if a <= DEPTH else "-", question))
            else:
                ties += 1
        print(f"\n{name} {split.name}: corpus ranks the first answer higher on {wins}, Lucene on {losses}, the same on {ties}")
        for qid, theirs, ours_rank, question in shown[:args.compare]:
            print(f"  {qid}  Lucene {theirs}  corpus {ours_rank}  {question}")
        corpus.close()


if __name__ == "__main__":
    main()
