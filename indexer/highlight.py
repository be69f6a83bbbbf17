"""Which words of a text a query matched, as ``(start, end)`` spans into the original text.

``indexer.query.highlight_terms`` describes what each positive part of a query matches,
in index forms (stems by default, exact forms for ``--exact``, ``=word``, wildcards and
fuzzy terms). Here those marks are applied to the analyzed text: the words a term
matched, the phrase occurrence (not every stray occurrence of its words), the proximity
pair, the fuzzy or wildcard variant.
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from collections.abc import Callable
from itertools import islice

from rapidfuzz.distance import OSA

from indexer.analysis.analyzers import Word, iter_words, words_with_forms
from indexer.query import FuzzyMark, Highlights, NearMark, PatternMark, PhraseMark, TermMark

Span = tuple[int, int]
WordTest = Callable[[Word], bool]
START, END, EXACT, STEM = 0, 1, 3, 4  # fields of a Word (words_with_forms)


def highlight_spans(marks: Highlights, words: list[Word], field: str) -> list[Span]:
    """Sorted spans of the ``words`` of text field ``field`` that ``marks`` match."""
    found: set[int] = set()
    stems = {m.form for m in marks.terms if m.kind == "stem" and m.field in (None, field)}
    exacts = {m.form for m in marks.terms if m.kind == "exact" and m.field in (None, field)}
    singles = [_test(m) for m in (*marks.patterns, *marks.fuzzy) if m.field in (None, field)]
    if stems or exacts or singles:
        for i, word in enumerate(words):
            if word[STEM] in stems or word[EXACT] in exacts or (singles and any(test(word) for test in singles)):
                found.add(i)
    for phrase in marks.phrases:
        if phrase.field in (None, field):
            found.update(_phrase(phrase, words))
    for near in marks.nears:
        if near.field in (None, field):
            found.update(_near(near, words))
    return [(words[i][START], words[i][END]) for i in sorted(found)]


def snippet_words(marks: Highlights, text: str, field: str, window: int) -> tuple[list[Word], bool]:
    """The words of ``text`` a snippet of ``window`` words needs, and whether more follow.

    Bodies run to thousands of words and a hit's snippet shows a few dozen: with only
    single-word marks (terms, patterns, fuzzy), reading stops ``window`` words after each
    mark has matched once. Phrases and proximity pairs are checked on the whole text.
    """
    if marks.phrases or marks.nears:
        return words_with_forms(text), False
    singles = [m for m in (*marks.terms, *marks.patterns, *marks.fuzzy) if m.field in (None, field)]
    # Forms not yet seen, looked up by set (most marks are terms); other marks by their test.
    stems = {m.form for m in singles if isinstance(m, TermMark) and m.kind == "stem"}
    exacts = {m.form for m in singles if isinstance(m, TermMark) and m.kind != "stem"}
    tests = [_test(m) for m in singles if not isinstance(m, TermMark)]
    words: list[Word] = []
    stream = iter_words(text)
    for word in stream:
        words.append(word)
        stems.discard(word[STEM])
        exacts.discard(word[EXACT])
        if tests:
            tests = [test for test in tests if not test(word)]
        if not (stems or exacts or tests):
            words.extend(islice(stream, window))
            return words, next(stream, None) is not None
    return words, False


class _FormTest:
    """Whether a word's stem (or exact form) is ``form``; ``_indexes`` reads its fields
    to compare without a call per word."""

    __slots__ = ("field", "form")

    def __init__(self, field: int, form: str) -> None:
        self.field, self.form = field, form

    def __call__(self, word: Word) -> bool:
        return word[self.field] == self.form


def _test(mark: TermMark | PatternMark | FuzzyMark) -> WordTest:
    if isinstance(mark, TermMark):
        return _FormTest(STEM if mark.kind == "stem" else EXACT, mark.form)
    if isinstance(mark, PatternMark):
        return lambda w: mark.regex.fullmatch(w[EXACT]) is not None
    # The distance fuzzy expansion uses (indexer.query.expansion): optimal string alignment.
    return lambda w: OSA.distance(w[EXACT], mark.form, score_cutoff=mark.maxdist) <= mark.maxdist


def _form_tests(phrase: PhraseMark) -> list[WordTest]:
    return [_test(TermMark(phrase.kind, form)) for form in phrase.forms]


def _phrase(phrase: PhraseMark, words: list[Word]) -> set[int]:
    """Word indexes of each occurrence: consecutive in order, or inside the window."""
    tests = _form_tests(phrase)
    if phrase.window is None:
        return {i for first, last in _occurrences(tests, words) for i in range(first, last + 1)}
    hits: set[int] = set()
    width = len(tests) + phrase.window
    for start in range(len(words)):
        chosen = _assign(tests, words, range(start, min(start + width, len(words))))
        if chosen:
            hits.update(chosen)
    return hits


def _assign(tests: list[WordTest], words: list[Word], window: range) -> list[int] | None:
    """One distinct word in ``window`` for each test (greedy), or None."""
    used: list[int] = []
    for test in tests:
        pick = next((j for j in window if j not in used and test(words[j])), None)
        if pick is None:
            return None
        used.append(pick)
    return used


def _operand_tests(mark) -> list[WordTest]:
    return _form_tests(mark) if isinstance(mark, PhraseMark) else [_test(mark)]


def _near(near: NearMark, words: list[Word]) -> set[int]:
    """Word indexes of every left and right occurrence within ``near.distance`` words of
    each other. Occurrences of one operand all have one length, so sorted by first word
    they are sorted by last word too: each left occurrence finds its partners by bisection
    (a book-length article holds thousands of each)."""
    left = _occurrences(_operand_tests(near.left), words)
    right = _occurrences(_operand_tests(near.right), words)
    right_firsts = [first for first, _ in right]
    right_lasts = [last for _, last in right]
    hits: set[int] = set()
    for left_first, left_last in left:
        after = right[bisect_left(right_firsts, left_last + 1) : bisect_right(right_firsts, left_last + 1 + near.distance)]
        before = [] if near.ordered else right[
            bisect_left(right_lasts, left_first - 1 - near.distance) : bisect_right(right_lasts, left_first - 1)
        ]
        if after or before:
            hits.update(range(left_first, left_last + 1))
            for right_first, right_last in after + before:
                hits.update(range(right_first, right_last + 1))
    return hits


def _occurrences(tests: list[WordTest], words: list[Word]) -> list[tuple[int, int]]:
    """(first, last) word indexes of each consecutive occurrence of ``tests``: where the
    first test holds, then the others checked there (a phrase's first word is rare
    beside the words of a whole body)."""
    n = len(tests)
    if not n:
        return []
    last_start = len(words) - n
    rest = list(enumerate(tests[1:], start=1))
    return [
        (i, i + n - 1)
        for i in _indexes(tests[0], words)
        if i <= last_start and all(test(words[i + k]) for k, test in rest)
    ]


def _indexes(test: WordTest, words: list[Word]) -> list[int]:
    """The indexes of ``words`` that pass ``test``."""
    if isinstance(test, _FormTest):
        field, form = test.field, test.form
        return [i for i, word in enumerate(words) if word[field] == form]
    return [i for i, word in enumerate(words) if test(word)]
