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
    Fuzzy,
    Near,
    NearOperand,
    Node,
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


class _Walker:
    def __init__(self, exact: bool, analysis: Analysis, keep_stopwords: bool) -> None:
        self.exact = exact
        self.analysis = analysis
        self.keep_stopwords = keep_stopwords
        self.terms: list[TermMark] = []
        self.patterns: list[PatternMark] = []
        self.fuzzy: list[FuzzyMark] = []
        self.phrases: list[PhraseMark] = []
        self.nears: list[NearMark] = []

    def visit(self, node: Node) -> None:
        if isinstance(node, (And, Or)):
            for child in node.children:
                self.visit(child)
        elif isinstance(node, Required):
            self.visit(node.child)
        elif isinstance(node, Near):
            left, right = self.operand(node.left), self.operand(node.right)
            if left is not None and right is not None:
                self.nears.append(NearMark(left, right, node.distance, node.ordered, node.field))
            else:
                self.add(left or right)
        elif isinstance(node, Word) and node.field not in ID_FIELDS:
            forms = text_forms(node.text, self.exact or node.exact, self.analysis)
            if not forms.stopword or self.keep_stopwords:
                self.add(self.operand(node))
        elif isinstance(node, (Phrase, Prefix, Wildcard, Fuzzy)):
            self.add(self.operand(node))
        # Not, DateRange and ID-field words mark nothing in the text.

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

    def operand(self, node: NearOperand) -> OperandMark | None:
        if isinstance(node, Fuzzy):
            form = fuzzy_form(node.text, self.analysis)
            return FuzzyMark(form, node.maxdist, node.field) if form else None
        if isinstance(node, (Prefix, Wildcard)):
            glob = f"{node.prefix}*" if isinstance(node, Prefix) else node.pattern
            folded = fold_pattern(glob, self.analysis)
            return PatternMark(pattern_regex(folded), node.field) if has_letters(folded) else None
        exact = self.exact or node.exact
        text = node.text if isinstance(node, Word) else " ".join(node.words)
        forms = text_forms(text, exact, self.analysis)
        if not forms.forms:
            return None
        if len(forms.forms) == 1:
            return TermMark(forms.kind, forms.forms[0], node.field)
        window = node.slop if isinstance(node, Phrase) else None
        return PhraseMark(forms.kind, forms.forms, window, node.field)
