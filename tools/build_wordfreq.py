"""Build indexer/analysis/data/wordfreq.tsv.gz: folded word counts from the ANT corpus.

The ANT corpus (Chouigui et al., AICCSA 2017) is Apache-2.0; we ship figures (word, count),
not text. Only Arabic-script words seen at least MIN_COUNT times are kept. Two more columns
keep what folding loses, where the stemmer reads it (``evidence.article_count``,
``evidence.pronoun_count``): of a word in ال, how often it was spelled with a hamza alef
first (ألوان, آلاف fold to الوان, الاف: no article); of a word in ه, how often its ه was a
teh marbuta ة (بقاعة, not بقاع + ه). Rerun with:
    python tools/build_wordfreq.py ../shared/data/news/antcorpus.jsonl.gz
"""

from __future__ import annotations

import gzip
import sys
from collections import Counter
from pathlib import Path

import orjson

from indexer.analysis.folding import fold, spelling
from indexer.analysis.tables import WORD_INITIAL_HAMZA_ALEFS
from indexer.analysis.tokenize import words

MIN_COUNT = 3
TEH_MARBUTA = "\u0629"
OUT = Path(__file__).resolve().parents[1] / "indexer" / "analysis" / "data" / "wordfreq.tsv.gz"


def main(path: str) -> None:
    counts: Counter[str] = Counter()
    hamza_first: Counter[str] = Counter()
    teh_marbuta_last: Counter[str] = Counter()
    with gzip.open(path, "rb") as lines:
        for line in lines:
            article = orjson.loads(line)
            text = f"{article.get('title') or ''}\n{article.get('body') or ''}"
            for a, b in words(text):
                word = fold(text[a:b])
                counts[word] += 1
                if word.startswith("ال") or word.endswith("ه"):
                    spelled = spelling(text[a:b])  # marks removed: ةٌ ends in ة
                    if word.startswith("ال") and spelled[:1] in WORD_INITIAL_HAMZA_ALEFS:
                        hamza_first[word] += 1
                    if word.endswith("ه") and spelled.endswith(TEH_MARBUTA):
                        teh_marbuta_last[word] += 1
    kept = sorted(
        ((w, n) for w, n in counts.items() if n >= MIN_COUNT and "\u0621" <= w[:1] <= "\u064a"),
        key=lambda item: (-item[1], item[0]),
    )
    with gzip.open(OUT, "wt", encoding="utf-8", compresslevel=9) as out:
        out.write(f"# folded word counts from the ANT corpus (Apache-2.0); min count {MIN_COUNT}\n")
        out.write("# word, count[, of which spelled with a hamza alef first, of which ending in ة]\n")
        for word, n in kept:
            spelled = (hamza_first[word], teh_marbuta_last[word])
            out.write(f"{word}\t{n}\t{spelled[0]}\t{spelled[1]}\n" if any(spelled) else f"{word}\t{n}\n")
    print(f"{len(kept)} words, {sum(counts.values())} tokens -> {OUT} ({OUT.stat().st_size} bytes)")


if __name__ == "__main__":
    main(sys.argv[1])
