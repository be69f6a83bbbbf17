"""The conflation table: words that must share a stem, and pairs that must not.

Two parts, shared by the tests and by ``benchmarks/conflation.py`` (which scores the old
stemmer, ours and Light10 on the same table):

* ``CONFLATE`` and ``SEPARATE``: a few hand-picked cases, each of which must hold.
* ``GROUPS`` and ``PAIRS`` (``conflation_groups.tsv``, ``separation_pairs.tsv``): the large
  table, scored as rates. Made from the 41,191 news articles of ``../shared/data/news``:
  - groups: each of the 420 most frequent words with the article, with its forms the
    stemmer's affixes can make (و ب ل and the article before it, the bare word, ات for a
    word in ة, ة ين ون for a word in ي), each kept when seen at least 20 times in the
    news; then read by hand, and the forms that are another word taken out (بطاقة from
    الطاقة, بعيد from العيد, الرياضيات from الرياضية, قدم from القدم, ...) and two groups
    dropped whose bare form is mostly a name (عمر, كريم).
  - pairs: the stem classes of the old stemmer (ANALYZER_VERSION 1) over the 30,000 most
    frequent news words, largest first, read by hand for pairs of two different words that
    it joins (فكرة/كرة, فيصل/يصل, الرياضة/الرياض, الجامعة/جامع), plus the issue's cases.
  Words are written folded (as ``fold`` returns them). A form of a word is a form only
  within what a light stemmer removes: no broken plurals, no ت before a pronoun.
"""

from __future__ import annotations

from itertools import combinations
from pathlib import Path
from statistics import mean
from typing import Callable

HERE = Path(__file__).parent


def _rows(name: str) -> list[tuple[str, ...]]:
    lines = (HERE / name).read_text(encoding="utf-8").splitlines()
    return [tuple(line.split("\t")) for line in lines if line and not line.startswith("#")]


#: The large table: groups of forms of one word, and pairs of different words.
GROUPS: list[tuple[str, ...]] = _rows("conflation_groups.tsv")
PAIRS: list[tuple[str, str]] = [(a, b) for a, b in _rows("separation_pairs.tsv")]


def conflation_rate(stem: Callable[[str], str], groups: list[tuple[str, ...]] = GROUPS) -> float:
    """The share of word pairs within the groups that get one stem."""
    return mean(stem(a) == stem(b) for group in groups for a, b in combinations(group, 2))


def group_rate(stem: Callable[[str], str], groups: list[tuple[str, ...]] = GROUPS) -> float:
    """The share of groups whose words all get one stem (stricter)."""
    return mean(len({stem(w) for w in group}) == 1 for group in groups)


def separation_rate(stem: Callable[[str], str], pairs: list[tuple[str, str]] = PAIRS) -> float:
    """The share of pairs whose two words get different stems."""
    return mean(stem(a) != stem(b) for a, b in pairs)


#: Each group must reduce to ONE stem.
CONFLATE: list[tuple[str, ...]] = [
    ("الوزير", "والوزير", "بالوزير", "للوزير", "وزير", "لوزير", "ووزير"),
    ("المعلمون", "المعلمين", "معلم", "والمعلمين"),
    ("الحكومة", "الحكومات", "حكومة", "والحكومة"),
    ("قال", "وقال", "فقال"),
    ("أضاف", "وأضاف"),
    ("الخارجية", "والخارجية", "بالخارجية"),
    ("المسؤول", "مسئول", "والمسؤول", "مسؤولون"),
    ("السعودية", "والسعودية", "بالسعودية"),
    ("الرياض", "بالرياض", "والرياض"),
    ("الاقتصاد", "اقتصاد", "والاقتصاد"),
    ("المدرسة", "مدرسة", "المدرسه", "للمدرسة"),
    ("الاتفاق", "اتفاق", "والاتفاق"),
    ("كتاب", "الكتاب", "بالكتاب", "وكتاب", "لكتاب"),  # كتابات is the plural of كتابة (writing)
    ("اللاعب", "لاعب", "اللاعبين", "لاعبون"),
]

#: Each pair must keep DIFFERENT stems (Light10 merges them wrongly).
SEPARATE: list[tuple[str, str]] = [
    ("وزارة", "زار"),
    ("وزير", "زير"),
    ("وجود", "جود"),
    ("وسائل", "سائل"),
    ("بيان", "بي"),
    ("وطن", "طن"),
    ("كتاب", "تاب"),
    ("بلد", "لد"),
    ("فريق", "ريق"),
    ("الله", "له"),
    ("وكالة", "كالة"),
    ("ولاية", "لاية"),
    # issue 12: each of these was joined by the stemmer of ANALYZER_VERSION 1
    ("فكرة", "كرة"),
    ("فيصل", "يصل"),
    ("فقرة", "الفقر"),
    ("لبنان", "لبن"),
    ("كيري", "يرى"),
    ("الرياض", "الرياضة"),
    ("الرياض", "الرياضي"),
    ("السيسي", "سيسهم"),
]
