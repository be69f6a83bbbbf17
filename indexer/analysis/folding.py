"""Folding: the "exact" form of a word, one named step at a time.

Each step is a small function over a table from ``tables.py``; ``fold`` runs them in the
documented order. Folding changes only a token's text, never its offsets, so highlights
still land on the word as it was written.
"""

from __future__ import annotations

import re
import unicodedata

from indexer.analysis import tables
from indexer.analysis.numerals import NUMBER, number_form


def _presentation_form_map() -> dict[int, str]:
    # NFKC of a presentation form, restricted to those ranges; spaces dropped because a few
    # word ligatures (U+FDFA, U+FDFB) expand to several words and a token must stay one word.
    mapping = {}
    for lo, hi in tables.PRESENTATION_FORM_RANGES:
        for cp in range(lo, hi + 1):
            decomposed = unicodedata.normalize("NFKC", chr(cp)).replace(" ", "")
            if decomposed != chr(cp):
                mapping[cp] = decomposed
    return mapping


PRESENTATION_FORMS: dict[int, str] = _presentation_form_map()
DELETIONS: dict[int, None] = {
    cp: None for lo, hi in tables.DELETED_RANGES for cp in range(lo, hi + 1)
} | {ord(space): None for space in tables.MARK_CARRIER_SPACES}  # inside a token, only carriers
VARIANTS: dict[int, str] = {
    ord(variant): target
    for target, variants in tables.LETTER_VARIANTS.items()
    for variant in variants
} | {ord(d): w for d, w in tables.DIGITS.items()}


def to_nfc(text: str) -> str:
    """Step 1a: compose, so a letter plus a combining hamza becomes the seated letter."""
    return text if unicodedata.is_normalized("NFC", text) else unicodedata.normalize("NFC", text)


def decompose_presentation_forms(text: str) -> str:
    """Step 1b: NFKC on Arabic presentation forms only (ﻻ becomes لا)."""
    return text.translate(PRESENTATION_FORMS)


_SEATED_HAMZA = re.compile(
    f"[{tables.HAMZA_SEATS_FOR_COMBINING_HAMZA}]"
    f"([{tables.ranges_to_class(tables.DELETED_RANGES)}]*?)[{tables.COMBINING_HAMZAS}]"
)


def compose_hamza_seats(text: str) -> str:
    """Step 1c: a yeh-like seat carrying a combining hamza is the seated hamza ء."""
    if "\u0654" in text or "\u0655" in text:
        return _SEATED_HAMZA.sub("\u0621\\1", text)
    return text


def delete_marks(text: str) -> str:
    """Step 2: drop diacritics, Quranic marks, tatweel, format characters, mark carriers."""
    return text.translate(DELETIONS)


def map_variants(text: str) -> str:
    """Step 3: fold alef, yeh, kaf, heh and hamza-seat variants and non-Western digits."""
    return text.translate(VARIANTS)


_NUMBER_SEPARATORS = frozenset(tables.NUMBER_SEPARATORS)


def write_numbers(text: str) -> str:
    """Step 5: a number written with separators in its one form (1,200 as 1200, 3,5 as 3.5)."""
    if _NUMBER_SEPARATORS.isdisjoint(text) or not NUMBER.fullmatch(text):
        return text
    return number_form(text)


def spelling(word: str) -> str:
    """``word`` as written, marks deleted but letter variants kept (أ إ آ ؤ ئ ة ى): what the
    stemmer reads for hamza evidence. Letter for letter the same length as ``fold(word)``
    for Arabic words.

    >>> spelling("وَإِلَى")
    'وإلى'
    """
    return delete_marks(compose_hamza_seats(decompose_presentation_forms(to_nfc(word))))


def fold(word: str) -> str:
    """The exact (folded) form of ``word``; "" when nothing but marks was there.

    >>> fold("وَزِيرُ")
    'وزير'
    >>> fold("مسئول") == fold("مسؤول")
    True
    """
    composed = compose_hamza_seats(decompose_presentation_forms(to_nfc(word)))
    return write_numbers(map_variants(delete_marks(composed)).casefold())
