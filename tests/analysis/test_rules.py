"""Each tokenizing and folding rule, on real words, one row per rule."""

from __future__ import annotations

import pytest

from indexer.analysis import analyze, fold

TOKENIZING = [
    ("vocalised-word-stays-one-token", "وَزِيرُ الخَارِجِيَّةِ", ["وَزِيرُ", "الخَارِجِيَّةِ"]),
    ("shadda-and-tanween-inside-word", "مُحَمَّدٌ", ["مُحَمَّدٌ"]),
    ("dagger-alef-inside-word", "هَـٰذَا", ["هَـٰذَا"]),
    ("quranic-marks-inside-word", "ٱلۡكِتَٰبُ", ["ٱلۡكِتَٰبُ"]),
    ("tatweel-inside-word", "كـــبير", ["كـــبير"]),
    ("zwnj-inside-word", "مي\u200cخواهم", ["مي\u200cخواهم"]),
    ("rlm-inside-word", "وزير\u200f", ["وزير\u200f"]),
    ("word-joiner-inside-word", "ذَ\u2060لِكَ", ["ذَ\u2060لِكَ"]),
    ("hair-space-carrying-a-mark", "ذَ\u200aٰ\u2060لِكَ", ["ذَ\u200aٰ\u2060لِكَ"]),
    ("nbsp-separates", "وزير\u00a0الخارجية", ["وزير", "الخارجية"]),
    ("thin-space-separates", "وزير\u2009الخارجية", ["وزير", "الخارجية"]),
    ("hair-space-separates", "وزير\u200aالخارجية", ["وزير", "الخارجية"]),
    ("arabic-comma-separates", "الرياض،جدة", ["الرياض", "جدة"]),
    ("arabic-semicolon-separates", "قال؛ثم", ["قال", "ثم"]),
    ("arabic-question-mark-separates", "لماذا؟", ["لماذا"]),
    ("arabic-percent-separates", "٥٠٪", ["٥٠"]),
    ("guillemets-separate", "«السلام»", ["السلام"]),
    ("curly-quotes-separate", "“بلينكين”", ["بلينكين"]),
    ("urdu-full-stop-separates", "ختم۔بعد", ["ختم", "بعد"]),
    ("arabic-to-latin-splits", "الـCNN", ["الـ", "CNN"]),
    ("latin-to-arabic-splits", "BBCعربي", ["BBC", "عربي"]),
    ("digits-split-from-arabic-letters", "٢٠١٥م", ["٢٠١٥", "م"]),
    ("era-letters-split-from-a-year", "1436هـ", ["1436", "هـ"]),
    ("clitic-split-from-a-number", "و3 بـ2015", ["و", "3", "بـ", "2015"]),
    ("arabic-letters-split-from-digits-inside", "كوفيد19", ["كوفيد", "19"]),
    ("digits-join-latin-letters", "G20 3D", ["G20", "3D"]),
    ("decimal-number-stays-whole", "3.5% ٣٫٥", ["3.5", "٣٫٥"]),
    ("thousands-grouped-number-stays-whole", "1,200 ١٬٢٠٠ 5,712,778.5", ["1,200", "١٬٢٠٠", "5,712,778.5"]),
    ("decimal-comma-number-stays-whole", "1,3 مليون", ["1,3", "مليون"]),
    ("dotted-thousands-stay-whole", "10.978.106 ركاب", ["10.978.106", "ركاب"]),
    ("a-chain-of-separators-splits", "11.4.2015 1,2,3", ["11", "4", "2015", "1", "2", "3"]),
    ("tatweel-between-numbers-is-a-dash", "1437ـ1441هـ", ["1437", "ـ1441", "هـ"]),
    ("full-stop-after-a-number-separates", "عام 2015.", ["عام", "2015"]),
    ("lone-tatweel-dropped", "ـ كتاب", ["كتاب"]),
    ("lone-mark-dropped", "ُ كتاب", ["كتاب"]),
]


@pytest.mark.parametrize(("text", "expected"), [r[1:] for r in TOKENIZING], ids=[r[0] for r in TOKENIZING])
def test_tokenizing(text: str, expected: list[str]) -> None:
    tokens = analyze(text)
    assert [t.text for t in tokens] == expected
    assert all(text[t.start : t.end] == t.text for t in tokens)
    assert [t.position for t in tokens] == list(range(len(tokens)))


FOLDING = [
    ("harakat-deleted", "وَزِيرُ", "وزير"),
    ("tanween-deleted", "كتابًا", "كتابا"),
    ("shadda-deleted", "الشَّمْس", "الشمس"),
    ("dagger-alef-deleted", "هَـٰذَا", "هذا"),
    ("quranic-marks-deleted", "ٱلۡكِتَٰبُ", "الكتب"),
    ("open-tanween-deleted", "عَلِيمࣰ", "عليم"),
    ("honorific-mark-deleted", "محمد\u0610", "محمد"),
    ("tatweel-deleted", "كـــبير", "كبير"),
    ("format-chars-deleted", "مي\u200cخو\u200dا\u2066ه\u00adم\ufeff", "ميخواهم"),
    ("alef-hamza-above", "أحمد", "احمد"),
    ("alef-hamza-below", "إسلام", "اسلام"),
    ("alef-madda", "آمن", "امن"),
    ("alef-wasla", "ٱلله", "الله"),
    ("alef-wavy-hamza", "\u0672\u0673", "اا"),
    ("alef-maksura-to-yeh", "على", "علي"),
    ("farsi-yeh-to-yeh", "مدیر", "مدير"),
    ("yeh-barree-to-yeh", "ے", "ي"),
    ("keheh-to-kaf", "کتاب", "كتاب"),
    ("teh-marbuta-to-heh", "مدرسة", "مدرسه"),
    ("heh-goal-to-heh", "ہ", "ه"),
    ("waw-hamza-to-hamza", "مسؤول", "مسءول"),
    ("yeh-hamza-to-hamza", "مسئول", "مسءول"),
    ("maksura-with-combining-hamza-below", "أُو۟لَـٰٓىِٕكَ", "اولءك"),
    ("combining-hamza-composes-nfc", "ي\u0654", "ء"),
    ("arabic-indic-digits", "٢٠١٥", "2015"),
    ("extended-digits", "۲۰۱۵", "2015"),
    ("arabic-decimal-sign-to-full-stop", "٣٫٥", "3.5"),
    ("decimal-comma-to-full-stop", "1,3", "1.3"),
    ("arabic-thousands-sign-deleted", "١٬٢٠٠", "1200"),
    ("thousands-commas-deleted", "5,712,778", "5712778"),
    ("thousands-dots-deleted", "10.978.106", "10978106"),
    ("thousands-and-decimal-sign", "1,205.9", "1205.9"),
    ("lam-alef-presentation-form", "\ufefb", "لا"),
    ("lam-alef-hamza-presentation-form", "\ufef7", "لا"),
    ("presentation-forms-word", "\ufe8d\ufedf\ufeb4\ufefc\ufee1", "السلام"),
    ("latin-casefolded", "NASA", "nasa"),
    ("no-global-nfkc", "x²①", "x²①"),
]


@pytest.mark.parametrize(("word", "expected"), [r[1:] for r in FOLDING], ids=[r[0] for r in FOLDING])
def test_folding(word: str, expected: str) -> None:
    assert fold(word) == expected


def test_query_side_spellings_meet() -> None:
    assert fold("مسئول") == fold("مسؤول")
    assert fold("إلى") == fold("الى") != fold("الا")
    assert fold("٢٠١٥") == fold("2015")


def test_stopwords_flagged_and_kept_with_positions() -> None:
    tokens = analyze("وزير من الخارجية")
    assert [(t.exact, t.stopword) for t in tokens] == [("وزير", False), ("من", True), ("الخارجيه", False)]
    assert tokens[2].position == 2
