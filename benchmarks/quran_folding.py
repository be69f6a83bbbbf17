"""How many words of each Uthmani verse fold to the same exact forms as its clean twin.

Prints the agreement rate (shared exact forms / words of the clean verse) for the Tanzil
Uthmani text and for the typeset variant (Farsi yeh, open tanween, hair spaces carrying
marks), and the commonest remaining differences, so a reader can judge whether what is
left is Uthmani spelling or a folding bug.

    python benchmarks/quran_folding.py
"""

from __future__ import annotations

import sys
from collections import Counter
from pathlib import Path

from indexer.analysis import analyze

DATA = Path(__file__).resolve().parents[1].parent / "shared" / "data" / "diacritized"


def verses(name: str) -> list[str]:
    path = DATA / name
    if name.endswith("variant.txt"):
        return [line.rstrip("\n") for line in path.open(encoding="utf-8")][:6236]
    return [line.rstrip("\n").split("|", 2)[2] for line in path.open(encoding="utf-8") if line.count("|") >= 2]


def compare(left: list[str], right: list[str]) -> tuple[float, Counter]:
    shared = total = 0
    differences: Counter = Counter()
    for a, b in zip(left, right, strict=True):
        fa, fb = [t.exact for t in analyze(a)], [t.exact for t in analyze(b)]
        shared += sum((Counter(fa) & Counter(fb)).values())
        total += len(fb)
        if len(fa) == len(fb):
            differences.update((x, y) for x, y in zip(fa, fb) if x != y)
    return shared / total, differences


def main() -> None:
    if not DATA.is_dir():
        sys.exit(f"{DATA} not found: this benchmark needs ../shared/data beside the checkout")
    uthmani = verses("quran_tanzil_uthmani_v1.1_tarteel.txt")
    clean = verses("quran_tanzil_simple_clean_tarteel.txt")
    variant = verses("quran_uthmani_mustafa0x_variant.txt")
    print(f"{'pair':<34} {'agreement':>9}")
    for label, left, right in (("uthmani -> simple-clean", uthmani, clean), ("typeset variant -> uthmani", variant, uthmani)):
        rate, differences = compare(left, right)
        print(f"{label:<34} {rate:>9.4f}")
        for (ours, twin), count in differences.most_common(8):
            print(f"    {count:>5}  {ours} / {twin}")


if __name__ == "__main__":
    main()
