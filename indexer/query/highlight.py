"""What each part of a query matches, in index forms, so snippets can mark it.

`highlight_terms` follows the builder's rules (same analysis, same dropped
stopwords, negated parts left out) and describes matches over the tokens of a
text (`indexer.analysis.analyze`): compare a token's `.stem` with stem forms and
its `.exact` with exact forms. A phrase is an ordered list of forms so the
phrase occurrence is marked, not stray words; `"…"~N` gives a window; NEAR
gives both operands with the distance and order. `field` None means title or
body.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from indexer.query.forms import (
    Analysis,
    default_analysis,
    fold_pattern,
    fuzzy_form,
    has_letters,
    keeps_stopwords,
    pattern_regex,
    text_forms,
)
from indexer.query.nodes import (
    ID_FIELDS,
    And,
    DateRange,
    Fuzzy,
    Near,
    Node,
    NodeVisitor,
    Not,
    Or,
    Phrase,
    Prefix,
    Required,
    Wildcard,
    Word,
)


@dataclass(frozen=True)
class TermMark:
    """A token whose stem (kind "stem") or exact form (kind "exact") equals `form`."""

    kind: str
    form: str
    field: str | None = None


@dataclass(frozen=True)
class PatternMark:
    """Tokens whose exact form matches `regex` (fullmatch) — wildcards and prefixes."""

    regex: re.Pattern[str]
    field: str | None = None


@dataclass(frozen=True)
class FuzzyMark:
    """Tokens whose exact form is within `maxdist` edits of `form`."""

    form: str
    maxdist: int
    field: str | None = None


@dataclass(frozen=True)
class PhraseMark:
    """Consecutive tokens with these forms in order (`window` None), or all of them
    in any order within a window holding at most `window` other words."""

    kind: str
    forms: tuple[str, ...]
    window: int | None = None
    field: str | None = None


OperandMark = TermMark | PhraseMark | PatternMark | FuzzyMark


@dataclass(frozen=True)
class NearMark:
    """`left` and `right` with at most `distance` words between (left first if `ordered`)."""

    left: OperandMark
    right: OperandMark
    distance: int
    ordered: bool
    field: str | None = None


@dataclass(frozen=True)
class Highlights:
    """Everything a query can match, grouped by how to find it in a text."""

    terms: frozenset[TermMark] = frozenset()
    patterns: tuple[PatternMark, ...] = ()
    fuzzy: tuple[FuzzyMark, ...] = ()
    phrases: tuple[PhraseMark, ...] = ()
    nears: tuple[NearMark, ...] = ()

    def pairs(self) -> set[tuple[str, str]]:
        """The (kind, form) pairs of single terms, kind "stem" or "exact"."""
        return {(t.kind, t.form) for t in self.terms}


def highlight_terms(
    node: Node, exact: bool = False, analysis: Analysis | None = None
) -> Highlights:
    """Describe what the positive parts of `node` match (see the module docstring)."""
    analysis = analysis or default_analysis()
    walker = _Walker(exact, analysis, keeps_stopwords(node, exact, analysis))
    walker.visit(node)
    return Highlights(
        frozenset(walker.terms),
        tuple(dict.fromkeys(walker.patterns)),
        tuple(dict.fromkeys(walker.fuzzy)),
        tuple(dict.fromkeys(walker.phrases)),
        tuple(dict.fromkeys(walker.nears)),
    )


class _Walker(NodeVisitor[None]):
    """Collects the marks of the positive parts of a tree."""

    def __init__(self, exact: bool, analysis: Analysis, keep_stopwords: bool) -> None:
        self.exact = exact
        self.analysis = analysis
        self.keep_stopwords = keep_stopwords
        self.operand = _OperandMark(exact, analysis)
        self.terms: list[TermMark] = []
        self.patterns: list[PatternMark] = []
        self.fuzzy: list[FuzzyMark] = []
        self.phrases: list[PhraseMark] = []
        self.nears: list[NearMark] = []

    def visit_and(self, node: And | Or) -> None:
        for child in node.children:
            self.visit(child)

    visit_or = visit_and

    def visit_required(self, node: Required) -> None:
        self.visit(node.child)

    def _nothing(self, node: Not | DateRange) -> None:
        pass  # excluded parts and date filters mark nothing in the text

    visit_not = visit_date_range = _nothing

    def visit_near(self, node: Near) -> None:
        left, right = self.operand.visit(node.left), self.operand.visit(node.right)
        if left is not None and right is not None:
            self.nears.append(NearMark(left, right, node.distance, node.ordered, node.field))
        else:
            self.add(left or right)

    def visit_word(self, node: Word) -> None:
        if node.field in ID_FIELDS:
            return  # a literal value, not a word of the text
        forms = text_forms(node.text, self.exact or node.exact, self.analysis)
        if not forms.stopword or self.keep_stopwords:
            self.add(self.operand.visit(node))

    def _operand(self, node: Phrase | Prefix | Wildcard | Fuzzy) -> None:
        self.add(self.operand.visit(node))

    visit_phrase = visit_prefix = visit_wildcard = visit_fuzzy = _operand

    def add(self, mark: OperandMark | None) -> None:
        match mark:
            case TermMark():
                self.terms.append(mark)
            case PhraseMark():
                self.phrases.append(mark)
            case PatternMark():
                self.patterns.append(mark)
            case FuzzyMark():
                self.fuzzy.append(mark)


class _OperandMark(NodeVisitor["OperandMark | None"]):
    """The mark of a word, phrase or pattern (also as a NEAR operand), or None when it
    searches nothing."""

    def __init__(self, exact: bool, analysis: Analysis) -> None:
        self.exact = exact
        self.analysis = analysis

    def visit_fuzzy(self, node: Fuzzy) -> OperandMark | None:
        form = fuzzy_form(node.text, self.analysis)
        return FuzzyMark(form, node.maxdist, node.field) if form else None

    def visit_prefix(self, node: Prefix) -> OperandMark | None:
        return self._pattern(f"{node.prefix}*", node.field)

    def visit_wildcard(self, node: Wildcard) -> OperandMark | None:
        return self._pattern(node.pattern, node.field)

    def _pattern(self, glob: str, field: str | None) -> OperandMark | None:
        folded = fold_pattern(glob, self.analysis)
        return PatternMark(pattern_regex(folded), field) if has_letters(folded) else None

    def visit_word(self, node: Word) -> OperandMark | None:
        return self._text(node.text, node.exact, None, node.field)

    def visit_phrase(self, node: Phrase) -> OperandMark | None:
        return self._text(" ".join(node.words), node.exact, node.slop, node.field)

    def _text(self, text: str, exact: bool, window: int | None, field: str | None) -> OperandMark | None:
        forms = text_forms(text, self.exact or exact, self.analysis)
        if not forms.forms:
            return None
        if len(forms.forms) == 1:
            return TermMark(forms.kind, forms.forms[0], field)
        return PhraseMark(forms.kind, forms.forms, window, field)
