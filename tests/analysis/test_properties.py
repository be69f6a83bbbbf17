"""Invariants of analysis over arbitrary text (hypothesis)."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from indexer.analysis import analyze, fold

ARABIC_HEAVY = st.text(
    alphabet=st.one_of(
        st.characters(min_codepoint=0x0600, max_codepoint=0x06FF),
        st.characters(min_codepoint=0x08A0, max_codepoint=0x08FF),
        st.characters(min_codepoint=0xFB50, max_codepoint=0xFDFF),
        st.characters(min_codepoint=0xFE70, max_codepoint=0xFEFF),
        st.sampled_from(" \u00a0\u2009\u200a\u200c\u200d\u200f\u2060\u0640،؛؟«»“”.-_aZ09"),
    ),
    max_size=80,
)
ANY_TEXT = st.text(max_size=80)


def check_invariants(text: str) -> None:
    tokens = analyze(text)
    previous_end = 0
    for i, token in enumerate(tokens):
        assert token.position == i
        assert previous_end <= token.start < token.end <= len(text)
        assert text[token.start : token.end] == token.text
        assert token.exact and fold(token.exact) == token.exact  # folding is idempotent
        previous_end = token.end
    folded_text = " ".join(t.exact for t in tokens)
    assert [t.exact for t in analyze(folded_text)] == [t.exact for t in tokens]


@settings(max_examples=400, deadline=None)
@given(ARABIC_HEAVY)
def test_arabic_heavy_text(text: str) -> None:
    check_invariants(text)


@settings(max_examples=400, deadline=None)
@given(ANY_TEXT)
def test_any_unicode(text: str) -> None:
    check_invariants(text)


def test_marks_that_folding_decomposes_out_stay_in_their_word() -> None:
    """Hypothesis found these: NFKC makes U+FB2A ש + U+05C1, and the point split the word."""
    for text in ("\ufb2a", "\ufb2c\ufb2a", "नमस्ते दुनिया", "\u0958"):
        check_invariants(text)
    assert [t.text for t in analyze("नमस्ते दुनिया")] == ["नमस्ते", "दुनिया"]  # vowel signs are marks


NUMBERS_AND_SEPARATORS = st.text(alphabet=st.sampled_from("0123456789٠١٢٣.,٫٬ـ مa"), max_size=40)


@settings(max_examples=600, deadline=None)
@given(NUMBERS_AND_SEPARATORS)
def test_numbers_with_separators(text: str) -> None:
    """A number is one word with one form, whatever its separators; a chain that is no
    number is a word per run of digits; either way the words keep their offsets."""
    check_invariants(text)
    for token in analyze(text):
        if token.text[-1:].isdigit() and token.exact.replace(".", "").isdigit():
            assert token.exact.count(".") <= 1
