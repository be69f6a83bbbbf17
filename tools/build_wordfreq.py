"""Build indexer/analysis/data/wordfreq.tsv.gz: folded word counts from the ANT corpus.

The ANT corpus (Chouigui et al., AICCSA 2017) is Apache-2.0; we ship figures (word, count),
not text. Only Arabic-script words seen at least MIN_COUNT times are kept. Rerun with:
    python tools/build_wordfreq.py ../shared/data/news/antcorpus.jsonl.gz
"""

from __future__ import annotations

import gzip
import sys
from collections import Counter
from pathlib import Path

import orjson

from indexer.analysis.folding import fold
from indexer.analysis.tokenize import words

MIN_COUNT = 3
OUT = Path(__file__).resolve().parents[1] / "indexer" / "analysis" / "data" / "wordfreq.tsv.gz"


def main(path: str) -> None:
    counts: Counter[str] = Counter()
    with gzip.open(path, "rb") as lines:
        for line in lines:
            article = orjson.loads(line)
            text = f"{article.get('title') or ''}\n{article.get('body') or ''}"
            counts.update(fold(text[a:b]) for a, b in words(text))
    kept = sorted(
        ((w, n) for w, n in counts.items() if n >= MIN_COUNT and "\u0621" <= w[:1] <= "\u064a"),
        key=lambda item: (-item[1], item[0]),
    )
    with gzip.open(OUT, "wt", encoding="utf-8", compresslevel=9) as out:
        out.write(f"# folded word counts from the ANT corpus (Apache-2.0); min count {MIN_COUNT}\n")
        for word, n in kept:
            out.write(f"{word}\t{n}\n")
    print(f"{len(kept)} words, {sum(counts.values())} tokens -> {OUT} ({OUT.stat().st_size} bytes)")


if __name__ == "__main__":
    main(sys.argv[1])
