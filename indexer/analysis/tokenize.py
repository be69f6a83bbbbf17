"""Split text into words, keeping each word's offsets into the ORIGINAL text.

A word is a run of letters and digits together with the marks that sit inside words
(harakat, shadda, dagger alef, Quranic marks, tatweel, ZWJ/ZWNJ, LRM/RLM, ..., and a hair
or thin space that carries such a mark). Whoosh's
default ``\\w+`` pattern would cut a vocalised word at every haraka, because combining
marks are not ``\\w``. Everything else separates words: every kind of space (NBSP, thin and
hair spaces), and punctuation of every script (، ؛ ؟ ٪ « » “ ” ۔).

Letters of the Arabic script and letters of other scripts never share a word: الـCNN
gives ال and CNN. Digits join letters of other scripts (G20, 3D) but never Arabic
letters: Arabic writes clitics and abbreviations onto numbers (و3, بـ2015, 2015م, 1436هـ),
and a search for 2015 must find them. A number keeps its separators (3.5, ٣٫٥, 1,200,
10.978.106) when they make one number (``numerals.py``); the date 8.10.1436 is three words.
Marks join whatever they sit in, but a tatweel joins Arabic letters only (2015ـ2025 is
two numbers).
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from indexer.analysis import tables
from indexer.analysis.numerals import NUMBER_PATTERN


def _without(ranges: tuple[tuple[int, int], ...], code_point: int) -> tuple[tuple[int, int], ...]:
    """``ranges`` with ``code_point`` taken out."""
    kept: list[tuple[int, int]] = []
    for lo, hi in ranges:
        if lo <= code_point <= hi:
            kept += [r for r in ((lo, code_point - 1), (code_point + 1, hi)) if r[0] <= r[1]]
        else:
            kept.append((lo, hi))
    return tuple(kept)


# Marks of the Basic Multilingual Plane go in the character classes; the few beyond it
# (musical notation, Brahmi, ...) are matched apart, any astral code point first and then,
# looking back, the marks among them: one code point past U+FFFF in a class makes `re` test
# its ranges one by one instead of in a bitmap, and tokenizing Arabic 3 to 4x slower.
_MARK = tables.ranges_to_class(tuple(r for r in tables.IN_WORD_MARK_RANGES if r[1] <= 0xFFFF))
_ASTRAL_MARKS = tables.ranges_to_class(tuple(r for r in tables.IN_WORD_MARK_RANGES if r[1] > 0xFFFF))
_ASTRAL_MARK = f"(?:[\\U00010000-\\U0010ffff](?<=[{_ASTRAL_MARKS}]))"
_ARABIC_BLOCKS = tables.ranges_to_class(tables.ARABIC_SCRIPT_RANGES)
_ARABIC = re.escape(tables.arabic_letters())
_OTHER = f"[^\\W\\d_{_ARABIC_BLOCKS}{_MARK}]"  # word characters of any other script
_CARRIED_MARK = f"[{tables.MARK_CARRIER_SPACES}](?=[{_MARK}]|{_ASTRAL_MARK})"
_MARKS = f"(?:[{_MARK}]|{_ASTRAL_MARK}|{_CARRIED_MARK})"

# Digits and Latin letters go on through marks, but not through a tatweel: it stretches
# Arabic letters, and between digits it is a dash (2015ـ2025).
_MARK_AFTER_DIGITS = tables.ranges_to_class(
    tuple(r for r in _without(tables.IN_WORD_MARK_RANGES, ord(tables.DASH_AFTER_DIGITS)) if r[1] <= 0xFFFF)
)

# A word: leading marks, then a run of Arabic letters, a number written with separators
# (numerals.py: 1,200, 3.5; not the date 8.10.1436, a word per run of digits; tried after
# the letters, which most words are, and only at a digit: its guard looks back) or a run
# of other-script letters and digits, each run continued by marks (a carried mark
# too). Digits are ``\\d`` by name: the Arabic-Indic ones lie inside the Arabic blocks that
# ``_OTHER`` leaves out. Possessive quantifiers (*+, ++) and merged classes: the same words
# as plain alternation, with less backtracking.
WORD_PATTERN = re.compile(
    f"{_MARKS}*+"
    f"(?:[{_ARABIC}](?:[{_ARABIC}{_MARK}]++|{_ASTRAL_MARK}|{_CARRIED_MARK})*+"
    f"|(?=\\d){NUMBER_PATTERN}"
    f"|(?:{_OTHER}|\\d)(?:{_OTHER}++|[\\d{_MARK_AFTER_DIGITS}]++|{_ASTRAL_MARK}|{_CARRIED_MARK})*+)"
)


def words(text: str) -> Iterator[tuple[int, int]]:
    """Yield the ``(start, end)`` offsets of each word of ``text``, in order."""
    for match in WORD_PATTERN.finditer(text):
        yield match.span()
