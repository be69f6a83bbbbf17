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
and a search for 2015 must find them. A number keeps its decimal and thousands
separators (3.5, ٣٫٥, 1,200), unless it is a chain of them (11.4.2015). Marks are neutral
and join whatever they sit in.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from indexer.analysis import tables

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
_NEUTRAL = f"\\d{_MARK}"  # class body: digits of any script, in-word marks
_MARKS = f"(?:[{_MARK}]|{_ASTRAL_MARK}|{_CARRIED_MARK})"

# A number with its separators: 1,200 or 1,200.5 (groups of three) or 3.5, written with
# Western or Arabic separators. Neither the tail nor the head of a longer chain (the date
# 11.4.2015, the list 1,2,3): those are cut at every separator, as before.
_SEPARATOR = re.escape(tables.DECIMAL_SEPARATORS + tables.THOUSANDS_SEPARATORS)
_DECIMAL = f"[{re.escape(tables.DECIMAL_SEPARATORS)}]"
_THOUSANDS = f"[{re.escape(tables.THOUSANDS_SEPARATORS)}]"
_NUMBER = (
    f"(?<!\\d[{_SEPARATOR}])"
    f"(?:\\d{{1,3}}+(?:{_THOUSANDS}\\d{{3}}+(?!\\d))++(?:{_DECIMAL}\\d++)?+|\\d++{_DECIMAL}\\d++)"
    f"(?![{_SEPARATOR}]\\d)"
)

# A word: leading marks, then a number with separators, a run of Arabic letters or a run
# of other-script letters and digits, each run continued by marks (a carried mark too).
# Digits are ``\\d`` by name: the Arabic-Indic ones lie inside the Arabic blocks that
# ``_OTHER`` leaves out. Possessive quantifiers (*+, ++) and merged classes: the same words
# as plain alternation, with less backtracking.
WORD_PATTERN = re.compile(
    f"{_MARKS}*+"
    f"(?:{_NUMBER}"
    f"|[{_ARABIC}](?:[{_ARABIC}{_MARK}]++|{_ASTRAL_MARK}|{_CARRIED_MARK})*+"
    f"|(?:{_OTHER}|\\d)(?:{_OTHER}++|[{_NEUTRAL}]++|{_ASTRAL_MARK}|{_CARRIED_MARK})*+)"
)


def words(text: str) -> Iterator[tuple[int, int]]:
    """Yield the ``(start, end)`` offsets of each word of ``text``, in order."""
    for match in WORD_PATTERN.finditer(text):
        yield match.span()
