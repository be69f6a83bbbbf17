"""'Did you mean' benchmark, run by hand (not by CI): real query words with one typing slip.

    python benchmarks/suggest.py --index DIR

``DIR`` is a corpus index of the 41,191 articles of ``../shared/data/news`` (the one
``benchmarks/latency.py --index X`` builds as ``X/ours`` will do); it is built there when
missing. 300 words are drawn with a fixed seed from the titles of those articles (what
people search for): no stopwords, at least 5 letters, in at least 20 articles' bodies. Each
gets one typical slip, its kind drawn at random, at a random place (the first letter
included): a neighbouring key of the Arabic keyboard instead of the letter, a letter
dropped, a letter doubled, two neighbours swapped, a neighbouring key pressed as well, a
long vowel (ا و ي) added or dropped, a hamza written on the wrong seat. A slip that folds
back to the word (أ for ا) is drawn again: the index never tells them apart.

Each misspelt word goes through ``Corpus.search(word, did_you_mean=True)`` (mode "all") and is counted as:
``right`` (``Results.suggestion`` is the original word, compared as the index folds it),
``wrong`` (another suggestion), ``none`` (no suggestion although the slip finds fewer than
``FEW_HITS`` articles), or ``a word`` (the slip is itself a word in ``FEW_HITS`` articles or
more, so by design nothing is offered). Before this feature, every word was ``none``.

Results are recorded in ``docs/benchmarks.md`` (section "Did you mean").
"""

from __future__ import annotations

import argparse
import random
import statistics
import sys
import time
from collections import Counter
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
if str(REPO) not in sys.path:
    sys.path.insert(0, str(REPO))

from benchmarks.index import read_records, source_paths, table  # noqa: E402
from indexer import Corpus  # noqa: E402
from indexer.analysis import analyze  # noqa: E402
from indexer.query.suggest import FEW_HITS  # noqa: E402
from indexer.store.schema import BODY_EXACT  # noqa: E402

SEED = 12
WORDS = 300
MIN_LETTERS = 5
MIN_ARTICLES = 20
#: The Arabic (101) keyboard, row by row: a letter's neighbours are beside it in its row.
ROWS = ("ضصثقفغعهخحجد", "شسيبلاتنمكط", "ئءؤرىةوزظ")
SEATS = {"ء": "ا", "ؤ": "و", "ئ": "ي", "أ": "ا", "إ": "ا"}
KINDS = ("neighbour key", "letter dropped", "letter doubled", "letters swapped",
         "extra key", "long vowel", "hamza seat")


def neighbours(letter: str) -> list[str]:
    for row in ROWS:
        i = row.find(letter)
        if i >= 0:
            return [row[j] for j in (i - 1, i + 1) if 0 <= j < len(row)]
    return []


def slip(word: str, kind: str, rng: random.Random) -> str | None:
    """`word` with one slip of `kind` at a random place, or None when it has no place for it."""
    i = rng.randrange(len(word))
    match kind:
        case "neighbour key":
            keys = neighbours(word[i])
            return word[:i] + rng.choice(keys) + word[i + 1:] if keys else None
        case "letter dropped":
            return word[:i] + word[i + 1:]
        case "letter doubled":
            return word[:i] + word[i] + word[i:]
        case "letters swapped":
            i = min(i, len(word) - 2)
            return word[:i] + word[i + 1] + word[i] + word[i + 2:] if word[i] != word[i + 1] else None
        case "extra key":
            keys = neighbours(word[i])
            return word[:i + 1] + rng.choice(keys) + word[i + 1:] if keys else None
        case "long vowel":
            vowels = [j for j, c in enumerate(word) if c in "اوي" and j > 0]
            if vowels and rng.random() < 0.5:
                j = rng.choice(vowels)
                return word[:j] + word[j + 1:]
            return word[:max(i, 1)] + rng.choice("اوي") + word[max(i, 1):]
        case "hamza seat":
            places = [j for j, c in enumerate(word) if c in SEATS or c in "اوي"]
            if not places:
                return None
            j = rng.choice(places)
            swapped = SEATS.get(word[j]) or {"ا": "ء", "و": "ؤ", "ي": "ئ"}[word[j]]
            return word[:j] + swapped + word[j + 1:]
    raise ValueError(kind)


def folded(text: str) -> str:
    tokens = analyze(text)
    return tokens[0].exact if len(tokens) == 1 else ""


def title_words(corpus: Corpus, rng: random.Random) -> list[str]:
    """`WORDS` distinct title words (as written) that the bodies hold often enough."""
    reader = corpus.open_index().reader()
    seen: dict[str, str] = {}
    for record in read_records(source_paths()):
        for token in analyze(record.get("title") or ""):
            if token.stopword or len(token.exact) < MIN_LETTERS or token.exact in seen:
                continue
            if token.text.isalpha():
                seen[token.exact] = token.text
    pool = sorted(seen)
    rng.shuffle(pool)
    chosen = []
    for form in pool:
        if reader.doc_frequency(BODY_EXACT, form) >= MIN_ARTICLES:
            chosen.append(seen[form])
            if len(chosen) == WORDS:
                break
    return chosen


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--index", type=Path, required=True, help="a corpus index of the news (built if missing)")
    parser.add_argument("--seed", type=int, default=SEED, help=f"draw other words and slips (default {SEED}, the reported run)")
    args = parser.parse_args()
    with Corpus(args.index) as corpus:
        if corpus.location.live_generation() is None:
            print(f"building {args.index} from {', '.join(p.name for p in source_paths())} ...", flush=True)
            corpus.index(source_paths())
        rng = random.Random(args.seed)
        words = title_words(corpus, rng)
        outcome: Counter[tuple[str, str]] = Counter()
        first_letter: Counter[str] = Counter()
        times, cold = [], None
        examples: dict[str, list[str]] = {}
        for word in words:
            while True:
                kind = rng.choice(KINDS)
                typo = slip(word, kind, rng)
                if typo and folded(typo) and folded(typo) != folded(word):
                    break
            started = time.perf_counter()
            results = corpus.search(typo, did_you_mean=True)
            elapsed = (time.perf_counter() - started) * 1000
            if cold is None:
                cold = elapsed
            else:
                times.append(elapsed)
            if results.suggestion and folded(results.suggestion) == folded(word):
                verdict = "right"
            elif results.suggestion:
                verdict = "wrong"
            elif results.total >= FEW_HITS:
                verdict = "a word"
            else:
                verdict = "none"
            outcome[(kind, verdict)] += 1
            if folded(typo)[:1] != folded(word)[:1]:
                first_letter[verdict] += 1
            if verdict != "right" and len(examples.setdefault(verdict, [])) < 6:
                examples[verdict].append(f"{typo} ({kind}, meant {word}) -> {results.suggestion or '-'}")
    verdicts = ("right", "wrong", "none", "a word")
    rows = []
    for kind in (*KINDS, "all"):
        counts = [sum(n for (k, v), n in outcome.items() if v == verdict and kind in (k, "all")) for verdict in verdicts]
        total = sum(counts)
        rows.append((kind, total, *counts, f"{counts[0] / total:.1%}" if total else "-"))
    print(f"Did you mean: {len(words)} title words of the news, one slip each (seed {args.seed}); "
          f"Corpus.search(typo, did_you_mean=True), mode all; index {args.index}")
    print()
    print(table(("slip", "words", *verdicts, "right %"), rows))
    print()
    scored = sum(n for (k, v), n in outcome.items() if v != "a word")
    right = sum(n for (k, v), n in outcome.items() if v == "right")
    print(f"right among the slips that are not themselves words of the index: {right}/{scored} = {right / scored:.1%}")
    print(f"slips in the first letter (only hamza seats, a swap and an extra key are looked for there): {sum(first_letter.values())}, "
          + ", ".join(f"{v} {n}" for v, n in sorted(first_letter.items())))
    print(f"search time with the suggestion: first (cold lexicon) {cold:.0f} ms; then median "
          f"{statistics.median(times):.0f} ms, p95 {statistics.quantiles(times, n=20)[-1]:.0f} ms")
    for verdict, lines in examples.items():
        print(f"{verdict}:")
        for line in lines:
            print(f"  {line}")


if __name__ == "__main__":
    main()
