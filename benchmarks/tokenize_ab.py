"""The tokenizer of another checkout against this one's, in one process, run by hand.

    git worktree add --detach /tmp/before REV
    python benchmarks/tokenize_ab.py --before /tmp/before [--articles N]

Both word patterns run over the title and body of the first N (10,000) SaudiNewsNet
articles, loaded first, taking every match as the stem analyzer does (``finditer``,
``group``); best of 7, the two in turn, so the machine's load falls on both alike.
"""

from __future__ import annotations

import argparse
import gzip
import importlib.util
import sys
import time
from pathlib import Path
from types import ModuleType

import orjson

REPO = Path(__file__).resolve().parents[1]
NEWS = REPO.parent / "shared/data/news/saudinewsnet.jsonl.gz"
REPEATS = 7


def tokenize_module(root: Path, name: str) -> ModuleType:
    """``indexer/analysis/tokenize.py`` of the checkout at ``root``, loaded as ``name``
    (its own imports come from the installed package: the tables it reads must agree)."""
    spec = importlib.util.spec_from_file_location(name, root / "indexer" / "analysis" / "tokenize.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def read_texts(limit: int) -> list[str]:
    texts = []
    with gzip.open(NEWS) as lines:
        for line in lines:
            article = orjson.loads(line)
            texts.append(f"{article.get('title') or ''}\n{article.get('body') or ''}")
            if len(texts) == limit:
                break
    return texts


def words_of(pattern, texts: list[str]) -> int:  # type: ignore[no-untyped-def]
    count = 0
    for text in texts:
        for match in pattern.finditer(text):
            match.group()
            count += 1
    return count


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--before", type=Path, required=True, help="the other checkout's root")
    parser.add_argument("--articles", type=int, default=10_000)
    args = parser.parse_args()
    if not NEWS.is_file():
        sys.exit(f"error: {NEWS} not found")
    texts = read_texts(args.articles)
    patterns = {
        "before": tokenize_module(args.before, "tokenize_before").WORD_PATTERN,
        "this checkout": tokenize_module(REPO, "tokenize_now").WORD_PATTERN,
    }
    best = dict.fromkeys(patterns, float("inf"))
    words = {}
    for _ in range(REPEATS):
        for name, pattern in patterns.items():
            started = time.perf_counter()
            words[name] = words_of(pattern, texts)
            best[name] = min(best[name], time.perf_counter() - started)
    megabytes = sum(len(t.encode()) for t in texts) / 1e6
    print(f"{len(texts):,} articles, {megabytes:.1f} MB; best of {REPEATS}, in turn")
    print()
    print(f"{'tokenizer':<14} {'words':>10} {'seconds':>8} {'MB/s':>6}")
    for name in patterns:
        print(f"{name:<14} {words[name]:>10,} {best[name]:>8.3f} {megabytes / best[name]:>6.1f}")
    print()
    print(f"this checkout / before, time: {best['this checkout'] / best['before']:.3f}")


if __name__ == "__main__":
    main()
