"""Every character rule of the analyzer, in one place.

A reader who wants to know what happens to a character looks here and nowhere else:
which characters glue a word together, which separate words, which are deleted by
folding, and which letter variants fold to which letter. Code points are written as
``\\uXXXX`` escapes (combining marks written raw are invisible and reorder in editors);
pyarabic's named constants are used where it has them.

The folding order (see ``folding.py``) is:
    1. NFC, then NFKC on Arabic presentation forms only (``PRESENTATION_FORM_RANGES``),
       then a yeh seat carrying a combining hamza becomes ء;
    2. delete ``DELETED_CHARS`` (diacritics, Quranic marks, tatweel, format characters);
    3. map ``LETTER_VARIANTS`` and ``DIGITS``;
    4. casefold everything else;
    5. write a number that holds separators in its one form (``NUMBER_SEPARATORS``,
       ``numerals.py``: 1,200 as 1200).

pyarabic's ``normalize_alef`` maps alef maksura to alef (إلى would become الا) and its
``normalize_hamza`` maps أ to ء by default: we use these tables instead of those functions.
"""

from __future__ import annotations

import unicodedata

from pyarabic import araby

# --- Ranges -------------------------------------------------------------------------------

#: The blocks of the Arabic script: a letter from here is "Arabic" for script splitting.
ARABIC_SCRIPT_RANGES: tuple[tuple[int, int], ...] = (
    (0x0600, 0x06FF),  # Arabic
    (0x0750, 0x077F),  # Arabic Supplement
    (0x0870, 0x089F),  # Arabic Extended-B
    (0x08A0, 0x08FF),  # Arabic Extended-A
    (0xFB50, 0xFDFF),  # Arabic Presentation Forms-A
    (0xFE70, 0xFEFF),  # Arabic Presentation Forms-B
)

#: Presentation forms are decomposed with NFKC; nothing outside these ranges is (a global
#: NFKC would rewrite unrelated text such as ligatures, superscripts and full-width Latin).
PRESENTATION_FORM_RANGES: tuple[tuple[int, int], ...] = (
    (0xFB50, 0xFDFF),
    (0xFE70, 0xFEFF),
)

# --- Characters deleted by folding (step 2) ------------------------------------------------

HARAKAT_AND_MARKS = (0x064B, 0x065F)  # fathatan .. wavy hamza below (pyarabic: TASHKEEL + more)
DAGGER_ALEF = araby.MINI_ALEF  # \u0670, superscript alef
HONORIFIC_MARKS = (0x0610, 0x061A)  # small high signs used after names
QURANIC_MARKS = ((0x06D6, 0x06DC), (0x06DF, 0x06E8), (0x06EA, 0x06ED))
EXTENDED_COMBINING_MARKS = (0x08D3, 0x08FF)  # incl. open tanween U+08F0-U+08F2
TATWEEL = araby.TATWEEL  # \u0640, kashida: stretches a word, means nothing

#: Invisible format characters: zero-width space/joiners, LRM/RLM, embeddings, word
#: joiner, isolates, Arabic letter mark, soft hyphen, BOM.
FORMAT_CHARS: tuple[tuple[int, int], ...] = (
    (0x200B, 0x200F),
    (0x202A, 0x202E),
    (0x2060, 0x2060),
    (0x2066, 0x2069),
    (0x061C, 0x061C),
    (0x00AD, 0x00AD),
    (0xFEFF, 0xFEFF),
)

DELETED_RANGES: tuple[tuple[int, int], ...] = (
    HARAKAT_AND_MARKS,
    (ord(DAGGER_ALEF), ord(DAGGER_ALEF)),
    HONORIFIC_MARKS,
    *QURANIC_MARKS,
    EXTENDED_COMBINING_MARKS,
    (ord(TATWEEL), ord(TATWEEL)),
    *FORMAT_CHARS,
)

# --- Letter variants (step 3) ---------------------------------------------------------------

ALEF_VARIANTS = (
    araby.ALEF_HAMZA_ABOVE,  # \u0623 أ
    araby.ALEF_HAMZA_BELOW,  # \u0625 إ
    araby.ALEF_MADDA,  # \u0622 آ
    araby.ALEF_WASLA,  # \u0671 ٱ
    "\u0672",  # ٲ alef with wavy hamza above
    "\u0673",  # ٳ alef with wavy hamza below
)
YEH_VARIANTS = (
    araby.ALEF_MAKSURA,  # \u0649 ى (so على and علي meet, as users type both)
    "\u06cc",  # ی Farsi yeh
    "\u06d2",  # ے yeh barree
)
KAF_VARIANTS = ("\u06a9",)  # ک keheh (Farsi kaf)
HEH_VARIANTS = (
    araby.TEH_MARBUTA,  # \u0629 ة (so مدرسة and the common misspelling مدرسه meet)
    "\u06c0",  # ۀ heh with yeh above
    "\u06c1",  # ہ heh goal
)
HAMZA_SEATS = (
    araby.WAW_HAMZA,  # \u0624 ؤ
    araby.YEH_HAMZA,  # \u0626 ئ (so مسؤول and مسئول meet)
)

#: A yeh-like seat carrying a combining hamza that NFC cannot compose (typeset Qur'an text
#: writes the ئ of أولئك as ى + U+0655; Persian text writes ی + U+0654) is a seated hamza,
#: folded to ء like ئ. Other marks may stand between seat and hamza (NFC orders marks).
HAMZA_SEATS_FOR_COMBINING_HAMZA = araby.ALEF_MAKSURA + "\u06cc" + araby.YEH
COMBINING_HAMZAS = "\u0654\u0655"  # hamza above, hamza below

#: One target letter for each group of variants.
LETTER_VARIANTS: dict[str, tuple[str, ...]] = {
    araby.ALEF: ALEF_VARIANTS,  # ا
    araby.YEH: YEH_VARIANTS,  # ي
    araby.KAF: KAF_VARIANTS,  # ك
    araby.HEH: HEH_VARIANTS,  # ه
    araby.HAMZA: HAMZA_SEATS,  # ء
}

ARABIC_INDIC_DIGITS = "".join(chr(c) for c in range(0x0660, 0x066A))  # ٠..٩
EXTENDED_ARABIC_INDIC_DIGITS = "".join(chr(c) for c in range(0x06F0, 0x06FA))  # ۰..۹ (Persian/Urdu)
DIGITS: dict[str, str] = {
    **{d: str(i) for i, d in enumerate(ARABIC_INDIC_DIGITS)},
    **{d: str(i) for i, d in enumerate(EXTENDED_ARABIC_INDIC_DIGITS)},
}

#: Separators inside a number: 1,200 and 3.5, ١٬٢٠٠ and ٣٫٥ (the Arabic thousands and
#: decimal signs). A chain of digits and separators is one number, folded to its digits
#: with at most one "." (1,200 to 1200, ٣٫٥ and 3,5 to 3.5), when ``numerals.py`` can read
#: it as one; else (the date 8.10.1436) it is one word per run of digits.
ARABIC_DECIMAL_SEPARATOR = "\u066b"  # ٫
ARABIC_THOUSANDS_SEPARATOR = "\u066c"  # ٬
NUMBER_SEPARATORS = ".," + ARABIC_DECIMAL_SEPARATOR + ARABIC_THOUSANDS_SEPARATOR

#: Tatweel stretches Arabic letters only: between digits it is a dash (2015ـ2025 is two
#: numbers), so it joins no digit or Latin letter to what follows.
DASH_AFTER_DIGITS = TATWEEL

# --- Tokenizing -----------------------------------------------------------------------------

#: Marks that sit inside a word and never split it: the deleted ranges above, plus generic
#: combining diacritics (a decomposed Latin é) and the Latin-script joiners ZWJ/ZWNJ
#: (already in FORMAT_CHARS).
#: Presentation forms of harakat and shadda: letters to Unicode, but NFKC makes them marks.
PRESENTATION_MARK_RANGES: tuple[tuple[int, int], ...] = (
    (0xFC5E, 0xFC63),  # shadda with a haraka, isolated forms
    (0xFCF2, 0xFCF4),  # shadda with a haraka, medial forms
    (0xFE70, 0xFE7F),  # tanween, harakat, shadda, sukun: isolated and medial forms
)


def _combining_mark_ranges() -> tuple[tuple[int, int], ...]:
    """Every combining mark of every script (Unicode categories Mn, Mc, Me), as ranges.

    NFKC turns some presentation forms into a letter and a mark (Hebrew שׁ U+FB2A into
    ש + U+05C1, Devanagari क़ into क + nukta): the mark must stay inside the word, or the
    folded text would not tokenize as its original did.
    """
    ranges: list[tuple[int, int]] = []
    for cp in (*range(0x20000), *range(0xE0000, 0xE0200)):
        if unicodedata.category(chr(cp)).startswith("M"):
            if ranges and ranges[-1][1] == cp - 1:
                ranges[-1] = (ranges[-1][0], cp)
            else:
                ranges.append((cp, cp))
    return tuple(ranges)


IN_WORD_MARK_RANGES: tuple[tuple[int, int], ...] = (
    *DELETED_RANGES,
    *PRESENTATION_MARK_RANGES,
    *_combining_mark_ranges(),  # a decomposed Latin é, a Hebrew point, a Devanagari vowel sign
)

#: Thin spaces that typesetters put INSIDE a word as the carrier of a combining mark
#: (ذَ<hair space>ٰ<word joiner>لِكَ in typeset Qur'an text): followed by a mark, they are part
#: of the word; anywhere else they separate words like every other space.
MARK_CARRIER_SPACES = "\u2009\u200a"

#: Characters of the Arabic blocks that are punctuation or symbols, not letters: these
#: separate words (but ٫ and ٬ inside a number, which ``NUMBER_SEPARATORS`` keeps whole). Listed for the reader; the tokenizer derives them from Unicode
#: categories (P*, S*, Z*, C* other than the format characters above).
ARABIC_PUNCTUATION_EXAMPLES = "\u060c\u061b\u061f\u066a\u066b\u066c\u066d\u06d4\u00ab\u00bb"  # ، ؛ ؟ ٪ ٫ ٬ ٭ ۔ « »


def ranges_to_class(ranges: tuple[tuple[int, int], ...]) -> str:
    """Render code point ranges as the body of a regex character class."""

    def escape(cp: int) -> str:
        return f"\\u{cp:04x}" if cp <= 0xFFFF else f"\\U{cp:08x}"

    return "".join(escape(lo) if lo == hi else f"{escape(lo)}-{escape(hi)}" for lo, hi in ranges)


def _is_word_char(ch: str) -> bool:
    return ch.isalnum() or unicodedata.category(ch) in ("Mn", "Mc", "Lm")


def in_ranges(cp: int, ranges: tuple[tuple[int, int], ...]) -> bool:
    """True when code point ``cp`` falls in one of ``ranges``."""
    return any(lo <= cp <= hi for lo, hi in ranges)


def arabic_letters() -> str:
    """The letters of the Arabic blocks: not digits, not marks, not punctuation.

    Derived from Unicode categories over the Arabic blocks only (about 2,300 code points),
    so that Arabic punctuation and symbols (، ؛ ؟ ٪ ۔ ﴾ ﴿ ﷼) keep separating words.
    """
    return "".join(
        chr(c)
        for lo, hi in ARABIC_SCRIPT_RANGES
        for c in range(lo, hi + 1)
        if _is_word_char(chr(c))
        and not chr(c).isdigit()
        and not in_ranges(c, IN_WORD_MARK_RANGES)
    )

# --- Affixes the light stemmer may remove (stemming.py decides each one by evidence) --------

#: A leading conjunction: and, so.
CONJUNCTIONS = ("و", "ف")
#: The article and the prepositions glued to it; longest first. لل is ل + ال with the alef
#: elided. These are unambiguous in shape and need no evidence.
ARTICLES = ("بال", "كال", "لل", "ال")
#: A leading one-letter preposition: with/in, like, for.
PREPOSITIONS = ("ب", "ك", "ل")
#: Number and pronoun suffixes, tried longest first; one of these at most. The pronouns of
#: "you" and "them (f.)" (كما كم كن هن هما) are left out: in the ANT news counts fewer than 5
#: words in 10,000 carry them, while words ending in those letters are common (يمكن، لكن،
#: حاكم، بلينكن).
SUFFIXES = ("ها", "هم", "نا", "ات", "ون", "ين", "ان", "يه")
#: Pronoun suffixes: before them a teh marbuta is written ت (حكومتها is حكومة + ها).
PRONOUN_SUFFIXES = ("ها", "هم", "نا")
#: What a suffix leaves in its place, when the result is attested: the feminine plural ات
#: leaves the singular's ة (الحكومات, الحكومة), the nisba's feminine يه its ي (السعودية,
#: السعودي). A final ة or ي is never removed by itself: after folding, ة is also the ه of
#: "his", and both end thousands of words of their own (الرياضة and الرياضي beside الرياض,
#: الجامعة beside جامع, السعودي beside سعود).
SUFFIX_LEAVES = {"ات": "ه", "يه": "ي"}
#: Many more words end in ان than duals do (لبنان, إيران, سلمان, البرلمان): a dual is only
#: recognised when its contexts clearly agree with the singular's.
SUFFIXES_NEEDING_CONTEXTS = ("ان",)
#: Alef seats that begin a word and never continue one after a one-letter prefix: in the
#: spelling before folding, و + أ/إ/آ is the conjunction before a word (وإلى, وأضاف).
WORD_INITIAL_HAMZA_ALEFS = (araby.ALEF_HAMZA_ABOVE, araby.ALEF_HAMZA_BELOW, araby.ALEF_MADDA)
