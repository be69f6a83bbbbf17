"""Syntax tree -> plan (`plan.py`) over the corpus schema.

Fields (see indexer/store/schema.py): a word without a field searches the title OR
the body (stems), or their exact forms for `=word` and in `exact` mode; wildcards and
fuzzy words always search the exact forms. Phrases, `"…"~N` and NEAR are positional.
`source:` is matched lowercased, `url:` and `id:` as typed. Dates become an inclusive
`DateSpan`.

`mode="all"` makes juxtaposed terms required, `mode="any"` makes them optional
(at least one must match; `+x` stays required). Scoring is the engine's (`execute.py`).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Literal

from indexer.query import plan, ranking
from indexer.query.errors import QueryError
from indexer.query.expansion import DEFAULT_EXPANSION_LIMIT, expand_patterns
from indexer.query.forms import (
    Analysis,
    default_analysis,
    fold_pattern,
    fuzzy_form,
    has_letters,
    keeps_stopwords,
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
from indexer.query.questions import is_question
from indexer.store.schema import EXACT_OF, SOURCE, STEM_FIELDS

Mode = Literal["all", "any"]
MODES: tuple[Mode, ...] = ("all", "any")
NO_POSITIVE = "a query needs at least one positive term"


@dataclass(frozen=True)
class Compiled:
    """A plan and the notes on what was left out of it (for `explain`)."""

    plan: plan.Plan
    notes: tuple[str, ...] = ()


def build(
    node: Node,
    mode: Mode = "all",
    exact: bool = False,
    *,
    reader: object | None = None,
    expansion_limit: int = DEFAULT_EXPANSION_LIMIT,
    analysis: Analysis | None = None,
) -> plan.Plan:
    """The plan for `node`; see `compile_query` for the arguments."""
    return compile_query(
        node, mode, exact, reader=reader, expansion_limit=expansion_limit, analysis=analysis
    ).plan


def compile_query(
    node: Node,
    mode: Mode = "all",
    exact: bool = False,
    *,
    reader: object | None = None,
    expansion_limit: int = DEFAULT_EXPANSION_LIMIT,
    analysis: Analysis | None = None,
) -> Compiled:
    """Plan `node` and say what was dropped.

    `mode` is "all" or "any" (what juxtaposed terms mean); `exact` searches exact
    forms for every word. With a `reader`, wildcards and fuzzy words are expanded
    against its lexicon once (`expand_patterns`), and in mode "any" each word's siblings
    are looked up there (`ranking.siblings`). `analysis` defaults to
    `indexer.analysis`. Raises `QueryError` for a query with no positive term,
    nothing left to search, or a pattern matching too many terms.
    """
    if mode not in MODES:
        raise ValueError(f"mode must be one of {MODES}, not {mode!r}")
    analysis = analysis or default_analysis()
    planner = _Planner(mode, exact, analysis, keeps_stopwords(node, exact, analysis), reader)
    planned = planner.visit(node)
    notes = tuple(dict.fromkeys(planner.notes))
    if planned is None:
        raise QueryError("nothing left to search for", node.pos, hint="; ".join(notes) or None)
    if reader is not None:
        planned = expand_patterns(planned, reader, expansion_limit)
    return Compiled(planned, notes)


def text_fields(field: str | None, exact: bool) -> tuple[str, ...]:
    """Index fields searched by a word of `field` (None = title or body)."""
    names = STEM_FIELDS if field is None else (field,)
    return tuple(EXACT_OF[n] for n in names) if exact else names


def _any(plans: Sequence[plan.Plan]) -> plan.Plan:
    return plans[0] if len(plans) == 1 else plan.AnyOf(tuple(plans))


def _all(plans: Sequence[plan.Plan]) -> plan.Plan:
    return plans[0] if len(plans) == 1 else plan.AllOf(tuple(plans))


def _sequence(field: str, forms: Sequence[str]) -> plan.Term | plan.Phrase:
    """One form as a term, several (a word the analysis splits) as a phrase."""
    return plan.Term(field, forms[0]) if len(forms) == 1 else plan.Phrase(field, tuple(forms))


class _Planner(NodeVisitor["plan.Plan | None"]):
    """The plan of a node, or None when nothing of it is searchable (with a note why)."""

    def __init__(self, mode: Mode, exact: bool, analysis: Analysis, keep_stopwords: bool, reader: object | None) -> None:
        self.mode = mode
        self.exact = exact
        self.analysis = analysis
        self.keep_stopwords = keep_stopwords
        self.reader = reader  # where a bag word's siblings are looked up; None: not looked up
        self.notes: list[str] = []

    def visit_and(self, node: And) -> plan.Plan | None:
        optional_by_default = node.implicit and self.mode == "any"
        required: list[plan.Plan] = []
        optional: list[plan.Plan] = []
        negative: list[plan.Plan] = []
        bag: list[ranking.BagWord | plan.Plan] = []
        for child in node.children:
            match child:
                case Not():
                    target, planned = negative, self.visit(child.child)
                case Required():
                    target, planned = required, self.visit(child.child)
                case Word() if optional_by_default:
                    target, planned = bag, self.bag_word(child)
                case _:
                    target, planned = (bag if optional_by_default else required), self.visit(child)
            if planned is not None:
                target.append(planned)
        if bag:
            optional.append(ranking.bag(bag, is_question(node.children)))
        if not required and not optional:
            if negative:
                raise QueryError(NO_POSITIVE, node.pos)
            return None
        if required and optional:
            positive: plan.Plan = plan.WithOptional(_all(required), _any(optional))
        else:
            positive = _all(required) if required else _any(optional)
        return plan.Without(positive, _any(negative)) if negative else positive

    def bag_word(self, node: Word) -> ranking.BagWord | plan.Plan | None:
        """A word of a bag (mode "any"), with its stem when it searches one stemmed
        token, so `ranking` can score proximity and the lead; with a reader, the word
        also searches its siblings (`ranking.siblings`) at `ranking.SIBLING_WEIGHT`."""
        planned = self.visit(node)
        if planned is None or self.exact or node.exact or node.field in ID_FIELDS:
            return planned
        stems = text_forms(node.text, False, self.analysis).forms
        if len(stems) != 1:
            return planned
        fields = text_fields(node.field, False)
        siblings = ranking.siblings(stems[0], self.reader, self.analysis) if self.reader is not None and ranking.SIBLING_WEIGHT > 0 else ()
        if siblings:
            weights = (1.0, *(ranking.SIBLING_WEIGHT for _ in siblings))
            planned = _any([plan.Expanded(f, (stems[0], *siblings), weights) for f in fields])
        return ranking.BagWord(planned, stems[0], fields)

    def visit_or(self, node: Or) -> plan.Plan | None:
        parts = []
        for child in node.children:
            if isinstance(child, Not):
                raise QueryError(NO_POSITIVE, child.pos, hint="NOT cannot stand alone on one side of OR")
            planned = self.visit(child)
            if planned is not None:
                parts.append(planned)
        return _any(parts) if parts else None

    def visit_not(self, node: Not) -> plan.Plan | None:
        raise QueryError(NO_POSITIVE, node.pos)

    def visit_required(self, node: Required) -> plan.Plan | None:
        return self.visit(node.child)

    def visit_date_range(self, node: DateRange) -> plan.Plan | None:
        return plan.DateSpan(node.start, node.end)

    def visit_word(self, node: Word) -> plan.Plan | None:
        if node.field in ID_FIELDS:
            return plan.Literal(node.field, _literal(node.field, node.text))
        exact = self.exact or node.exact
        forms = text_forms(node.text, exact, self.analysis)
        if not forms.forms:
            self.notes.append(f"'{node.text}' has no letters: ignored")
            return None
        if forms.stopword and not self.keep_stopwords:
            self.notes.append(f"'{node.text}' is a stopword: ignored")
            return None
        return _any([_sequence(f, forms.forms) for f in text_fields(node.field, exact)])

    def visit_phrase(self, node: Phrase) -> plan.Plan | None:
        exact = self.exact or node.exact
        forms = text_forms(" ".join(node.words), exact, self.analysis)
        if not forms.forms:
            self.notes.append(f'"{" ".join(node.words)}" has no letters: ignored')
            return None
        fields = text_fields(node.field, exact)
        if node.slop is None or len(forms.forms) == 1:
            return _any([_sequence(f, forms.forms) for f in fields])
        return _any([plan.Window(f, forms.forms, node.slop) for f in fields])

    def visit_prefix(self, node: Prefix) -> plan.Plan | None:
        if node.field in ID_FIELDS:
            return plan.Literal(node.field, _literal(node.field, node.prefix), prefix=True)
        return self.patterns(node, text_fields(node.field, True))

    def visit_wildcard(self, node: Wildcard) -> plan.Plan | None:
        return self.patterns(node, text_fields(node.field, True))

    def visit_fuzzy(self, node: Fuzzy) -> plan.Plan | None:
        return self.patterns(node, text_fields(node.field, True))

    def patterns(self, node: Prefix | Wildcard | Fuzzy, fields: Sequence[str]) -> plan.Plan | None:
        """The node's pattern in each of `fields` (exact fields), folded like the text."""
        kind, folded, typed, maxdist = _PatternForm(self.analysis).visit(node)
        if not folded:
            self.notes.append(f"'{typed}' has no letters: ignored")
            return None
        return _any([plan.Pattern(f, kind, folded, maxdist, typed, node.pos) for f in fields])

    def visit_near(self, node: Near) -> plan.Plan | None:
        parts: list[plan.Plan] = []
        for base in text_fields(node.field, False):
            operand = _NearOperand(self, base)
            left, right = operand.visit(node.left), operand.visit(node.right)
            if left is None or right is None:
                # One side has nothing to search: the other side stands alone.
                kept = left if right is None else right
                if kept is None:
                    return None
                parts.append(kept[0])
                continue
            parts.append(_near(left, right, node.distance, node.ordered))
        return _any(parts) if parts else None


def _near(left: tuple[plan.NearOperand, bool], right: tuple[plan.NearOperand, bool], between: int, ordered: bool) -> plan.Plan:
    """`left` and `right` with at most `between` words between them. Unordered with a
    phrase on either side, it is each order scored on its own and summed: a document
    holding the pair both ways scores both."""
    (a, a_single), (b, b_single) = left, right
    if ordered or (a_single and b_single):
        return plan.Near(a, b, between, ordered)
    return plan.AnyOf((plan.Near(a, b, between, True), plan.Near(b, a, between, True)))


def _literal(field: str, value: str) -> str:
    """A value of an ID field as the index holds it: `source` is lowercased
    (its analyzer's `IDAnalyzer(lowercase=True)`), the others as typed."""
    return value.lower() if field == SOURCE else value


class _PatternForm(NodeVisitor[tuple[str, str, str, int]]):
    """A pattern node's kind, folded text ("" when no letter is left), text as typed and
    edit distance."""

    def __init__(self, analysis: Analysis) -> None:
        self.analysis = analysis

    def visit_prefix(self, node: Prefix) -> tuple[str, str, str, int]:
        # An empty prefix would stand for every term: no letters, nothing searched.
        return plan.PREFIX, self.analysis.fold(node.prefix), f"{node.prefix}*", 0

    def visit_wildcard(self, node: Wildcard) -> tuple[str, str, str, int]:
        folded = fold_pattern(node.pattern, self.analysis)
        return plan.WILDCARD, folded if has_letters(folded) else "", node.pattern, 0

    def visit_fuzzy(self, node: Fuzzy) -> tuple[str, str, str, int]:
        return plan.FUZZY, fuzzy_form(node.text, self.analysis), node.text, node.maxdist


class _NearOperand(NodeVisitor["tuple[plan.NearOperand, bool] | None"]):
    """A NEAR operand in text field `base` (stemmed; its exact twin for exact forms and
    patterns), and whether it stands at one position. Stemmed and exact fields of the
    same text share positions (same tokenizer, the stem filter drops nothing), so
    `=a NEAR b` can mix them."""

    def __init__(self, planner: _Planner, base: str) -> None:
        self.planner = planner
        self.base = base

    def visit_word(self, node: Word) -> tuple[plan.NearOperand, bool] | None:
        return self.text(node.text, node.exact)

    def visit_phrase(self, node: Phrase) -> tuple[plan.NearOperand, bool] | None:
        return self.text(" ".join(node.words), node.exact)

    def text(self, text: str, exact: bool) -> tuple[plan.NearOperand, bool] | None:
        exact = self.planner.exact or exact
        forms = text_forms(text, exact, self.planner.analysis)
        if not forms.forms:
            self.planner.notes.append(f"'{text}' has no letters: ignored")
            return None
        field = EXACT_OF[self.base] if exact else self.base
        return _sequence(field, forms.forms), len(forms.forms) == 1

    def pattern(self, node: Prefix | Wildcard | Fuzzy) -> tuple[plan.NearOperand, bool] | None:
        planned = self.planner.patterns(node, (EXACT_OF[self.base],))
        return None if planned is None else (planned, True)  # type: ignore[return-value]

    visit_prefix = visit_wildcard = visit_fuzzy = pattern
