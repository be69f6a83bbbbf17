"""Merge benchmark, run by hand (not by CI): how long merging segments takes.

    python benchmarks/merge.py --index DIR [--repeats N]

Copies the corpus index ``DIR`` (built by ``benchmarks/latency.py``: the 41,191 news
articles in a few segments) into a temporary directory, deletes one article in 50 (so
the merge drops deleted postings, as a nightly merge does), and merges all its segments
into one with ``CorpusWriter`` and the tier merge's copy (``merging._merge``), as
``corpus index`` merges full tiers. Prints seconds and postings per second for each
repeat (a fresh copy each time), and a digest of the merged index: every term's
postings (ids, weights, values) and the answers to a few searches, so two versions of
the code can be compared on what they write, not only on time.
"""

from __future__ import annotations

import argparse
import hashlib
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
if str(REPO) not in sys.path:
    sys.path.insert(0, str(REPO))

from indexer import Corpus  # noqa: E402
from indexer.store.merging import _merge  # noqa: E402
from indexer.store.writer import CorpusWriter  # noqa: E402

QUERIES = ("المملكة", "وزير الخارجية", '"ولي العهد"', "النفط OR الذهب", "الرياض NEAR/3 جدة", "title:الهلال")


def answers(corpus: Corpus) -> list:
    return [[(h.id, round(h.score, 9)) for h in corpus.search(q, limit=20)] for q in QUERIES]


def digest(corpus: Corpus) -> str:
    """A digest of every posting of the index, its stored ids in order, and `answers`."""
    found = hashlib.blake2b(digest_size=8)
    with corpus.open_index().reader() as reader:
        for fieldname, btext in reader.all_terms():
            matcher = reader.postings(fieldname, btext)
            found.update(repr((fieldname, btext, list(matcher.all_ids()))).encode())
            matcher = reader.postings(fieldname, btext)
            while matcher.is_active():
                found.update(repr((matcher.weight(), matcher.value())).encode())
                matcher.next()
        found.update(repr([stored.get("id") for _, stored in reader.iter_docs()]).encode())
    found.update(repr(answers(corpus)).encode())
    return found.hexdigest()


def one_merge(source: Path) -> tuple[float, int, int, str]:
    with tempfile.TemporaryDirectory(dir="/tmp") as tmp:
        root = Path(tmp) / "index"
        shutil.copytree(source, root, symlinks=True)
        corpus = Corpus(root)
        index = corpus.open_index()
        with index.reader() as reader:
            ids = [stored["id"] for _, stored in reader.iter_docs()][::50]
        corpus.delete(ids)
        index = corpus.open_index()
        with index.reader() as reader:
            postings = sum(reader.doc_frequency(f, t) for f, t in reader.all_terms())
        segments = list(index._segments())
        writer = CorpusWriter(index)
        started = time.perf_counter()
        writer.commit(mergetype=lambda w, segs: [_merge(w, s) for s in segs] and [])
        seconds = time.perf_counter() - started
        corpus.close()
        corpus = Corpus(root)
        merged = digest(corpus)
        corpus.close()
        return seconds, len(segments), postings, merged


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--index", type=Path, required=True)
    parser.add_argument("--repeats", type=int, default=2)
    args = parser.parse_args()
    runs = [one_merge(args.index) for _ in range(args.repeats)]
    for i, (seconds, segments, postings, merged) in enumerate(runs, 1):
        print(f"merge {i}: {segments} segments, {postings:,} postings in {seconds:.1f} s ({postings / seconds:,.0f} postings/s); merged index digest {merged}")
    print(f"median {statistics.median(r[0] for r in runs):.1f} s")


if __name__ == "__main__":
    main()
