"""Numbers searched over the news, against a scan of the texts, run by hand (not by CI).

    python benchmarks/numbers_check.py --index DIR [--news DIR]

For each number, the articles whose title or body writes it as a whole number (Western or
Arabic-Indic digits, thousands separated or not, a decimal point or comma, letters glued
on either side allowed: و3, 2015م, 1436هـ; not part of a longer number or a decimal: 2015
is not in 12015 or 2015.5),
counted by a regular expression over the stored JSONL, beside the articles ``corpus query
NUMBER`` finds in the index at ``--index``. Equal counts mean the number finds what the
texts hold; "found" below "written" counts the articles a search misses, above it the
articles it finds for a number they do not write (5 in 3.5).

Run it with the checkout whose analyzer built the index (an index of another analyzer
version is refused).
"""

from __future__ import annotations

import argparse
import re
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
NEWS = REPO.parent / "shared" / "data" / "news"
FILES = ("saudinewsnet.jsonl.gz", "antcorpus.jsonl.gz")
NUMBERS = ("2015", "2014", "1436", "1437", "1441", "3", "10", "1.5", "2.5", "3.5", "1000", "100000", "1000000")
TO_WESTERN = str.maketrans("٠١٢٣٤٥٦٧٨٩۰۱۲۳۴۵۶۷۸۹٫٬", "01234567890123456789.,")


def as_written(number: str) -> re.Pattern[str]:
    """``number`` as a whole number of a text in Western digits: its integer part may be
    grouped in thousands (1,000; 1.000.000 with two dots or more), its decimals follow a
    point or a comma (1.5, 1,5), and nothing numeric stands glued to either end (so a
    number inside a dotted date, 8.10.1436, is not counted: the index finds it)."""
    whole, _, decimals = number.partition(".")
    groups = []
    while len(whole) > 3:
        whole, groups = whole[:-3], [whole[-3:], *groups]
    body = whole + "".join(f",?{g}" for g in groups)
    if len(groups) >= 2:
        body = f"(?:{body}|{whole}{''.join(rf'[.]{g}' for g in groups)})"
    if decimals:
        body += rf"[.,]{decimals}"
    return re.compile(rf"(?<![0-9])(?<![0-9][.,]){body}(?![0-9]|[.,][0-9])")


def scan(news: Path) -> dict[str, str]:
    """id -> title and body of every article the index would hold (the last of an id)."""
    from indexer.sources import Article, read_sources

    texts = {}
    for article in read_sources([news / name for name in FILES]):
        if isinstance(article, Article):
            texts[article.id] = f"{article.title}\n{article.body}".translate(TO_WESTERN)
    return texts


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--index", type=Path, required=True)
    parser.add_argument("--news", type=Path, default=NEWS)
    args = parser.parse_args()
    if not args.news.is_dir():
        sys.exit(f"error: {args.news} not found")
    from indexer import Corpus

    texts = scan(args.news)
    rows = []
    with Corpus(args.index) as corpus:
        for number in NUMBERS:
            pattern = as_written(number)
            written = sum(1 for text in texts.values() if pattern.search(text))
            found = corpus.search(number, limit=0).total
            rows.append((number, written, found, found - written))
    print(f"articles scanned: {len(texts):,}; index: {args.index}")
    print()
    print(f"{'number':>8}  {'written':>8}  {'found':>8}  {'found - written':>15}")
    for number, written, found, gap in rows:
        print(f"{number:>8}  {written:>8,}  {found:>8,}  {gap:>+15,}")


if __name__ == "__main__":
    main()
