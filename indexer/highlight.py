"""Which words of a text a query matched, as ``(start, end)`` spans into the original text.

Highlights mark what made the document match: the words a term matched, the phrase
occurrence (not every stray occurrence of its words), the proximity pair, the fuzzy or
wildcard variant. It re-applies the query tree to the analyzed text, with the same forms
the index used (stems by default, exact forms for ``--exact``, ``=word``, wildcards, fuzzy).
"""

from __future__ import annotations

import fnmatch
import re
from collections.abc import Callable
from functools import lru_cache

from whoosh.support.levenshtein import damerau_levenshtein

from indexer.analysis import Token, analyze
from indexer.query import nodes

Span = tuple[int, int]
TokenTest = Callable[[Token], bool]


def highlight_spans(node, tokens: list[Token], exact: bool, field: str = "body") -> list[Span]:
    """Sorted, merged spans of ``tokens`` that ``node`` matched, in text field ``field``."""
    found: set[int] = set()
    _collect(node, tokens, exact, field, found)
    return [(tokens[i].start, tokens[i].end) for i in sorted(found)]


def _collect(node, tokens: list[Token], exact: bool, field: str, found: set[int]) -> None:
    if isinstance(node, (nodes.And, nodes.Or)):
        for child in node.children:
            _collect(child, tokens, exact, field, found)
    elif isinstance(node, nodes.Required):
        _collect(node.child, tokens, exact, field, found)
    elif isinstance(node, (nodes.Not, nodes.DateRange)) or node is None:
        return
    elif getattr(node, "field", None) not in (None, field):
        return
    elif isinstance(node, nodes.Near):
        found.update(_near(node, tokens, exact))
    elif isinstance(node, nodes.Phrase):
        tests = [t for word in node.words for t in _word_tests(word, exact or node.exact)]
        found.update(_phrase(tests, tokens, node.slop))
    else:
        tests = _operand_tests(node, exact)
        found.update(_phrase(tests, tokens, None))


def _operand_tests(node, exact: bool) -> list[TokenTest]:
    """Token tests for a word-like node (a word may analyze into several tokens)."""
    if isinstance(node, nodes.Word):
        return _word_tests(node.text, exact or node.exact)
    if isinstance(node, nodes.Phrase):
        return [t for word in node.words for t in _word_tests(word, exact or node.exact)]
    if isinstance(node, nodes.Prefix):
        pattern = _glob(_fold_pattern(node.prefix) + "*")
        return [lambda t: bool(pattern.fullmatch(t.exact))]
    if isinstance(node, nodes.Wildcard):
        pattern = _glob(_fold_pattern(node.pattern))
        return [lambda t: bool(pattern.fullmatch(t.exact))]
    if isinstance(node, nodes.Fuzzy):
        forms = [t.exact for t in analyze(node.text)]
        if len(forms) != 1:
            return [lambda t, f=f: t.exact == f for f in forms]
        target, limit = forms[0], node.maxdist
        return [lambda t: abs(len(t.exact) - len(target)) <= limit and damerau_levenshtein(t.exact, target) <= limit]
    return []


@lru_cache(maxsize=1024)
def _word_tests(text: str, exact: bool) -> tuple[TokenTest, ...]:
    if exact:
        return tuple((lambda t, f=q.exact: t.exact == f) for q in analyze(text))
    return tuple((lambda t, f=q.stem: t.stem == f) for q in analyze(text))


def _fold_pattern(pattern: str) -> str:
    """Fold a glob like text, keeping ``*`` and ``?``."""
    parts = re.split(r"([*?])", pattern)
    return "".join(p if p in ("*", "?") else "".join(t.exact for t in analyze(p)) for p in parts)


def _glob(pattern: str) -> re.Pattern:
    return re.compile(fnmatch.translate(pattern))


def _phrase(tests: list[TokenTest], tokens: list[Token], slop: int | None) -> set[int]:
    """Indexes of tokens forming an occurrence: consecutive, or within a window (slop)."""
    if not tests:
        return set()
    hits: set[int] = set()
    n = len(tests)
    if slop is None:
        for i in range(len(tokens) - n + 1):
            if all(test(tokens[i + k]) for k, test in enumerate(tests)):
                hits.update(range(i, i + n))
        return hits
    width = n + slop
    for i in range(len(tokens)):
        window = range(i, min(i + width, len(tokens)))
        chosen = _assign(tests, tokens, window)
        if chosen:
            hits.update(chosen)
    return hits


def _assign(tests: list[TokenTest], tokens: list[Token], window: range) -> list[int] | None:
    """One distinct token in ``window`` for each test (greedy), or None."""
    used: list[int] = []
    for test in tests:
        pick = next((j for j in window if j not in used and test(tokens[j])), None)
        if pick is None:
            return None
        used.append(pick)
    return used


def _near(node: nodes.Near, tokens: list[Token], exact: bool) -> set[int]:
    left = _occurrences(_operand_tests(node.left, exact), tokens)
    right = _occurrences(_operand_tests(node.right, exact), tokens)
    hits: set[int] = set()
    for ls, le in left:
        for rs, re_ in right:
            if rs > le:
                gap = rs - le - 1
            elif ls > re_ and not node.ordered:
                gap = ls - re_ - 1
            else:
                continue
            if gap <= node.distance:
                hits.update(range(ls, le + 1))
                hits.update(range(rs, re_ + 1))
    return hits


def _occurrences(tests: list[TokenTest], tokens: list[Token]) -> list[tuple[int, int]]:
    """(first, last) token indexes of each consecutive occurrence of ``tests``."""
    n = len(tests)
    if not n:
        return []
    return [
        (i, i + n - 1)
        for i in range(len(tokens) - n + 1)
        if all(test(tokens[i + k]) for k, test in enumerate(tests))
    ]
