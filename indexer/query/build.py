"""Syntax tree -> Whoosh query objects over the corpus schema.

Fields (see indexer/store/schema.py): a word without a field searches `title`
OR `body` (stems), or `title_exact` OR `body_exact` (exact forms) for `=word`
and in `exact` mode; wildcards and fuzzy words always search the exact forms.
Phrases, `"…"~N` and NEAR are positional (`indexer.query.spans`). `source:` is
matched lowercased, `url:` and `id:` as typed. Dates become an inclusive
`DateRange` on `date`.

`mode="all"` makes juxtaposed terms required, `mode="any"` makes them optional
(at least one must match; `+x` stays required). Scoring is the searcher's.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Literal

from whoosh import query as wq

from indexer.query.errors import QueryError
from indexer.query.exhaustive import ScoreEveryMatch
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
    NearOperand,
    Node,
    Not,
    Or,
    Phrase,
    Prefix,
    Required,
    Wildcard,
    Word,
)
from indexer.query.spans import PhraseQuery, WindowQuery, near_query

Mode = Literal["all", "any"]
MODES: tuple[Mode, ...] = ("all", "any")
FUZZY_PREFIX = 1
"""Leading characters a fuzzy match must share: Whoosh then walks only that slice
of the lexicon (its DFA skips the rest); folding already evened out alef forms."""
NO_POSITIVE = "a query needs at least one positive term"


@dataclass(frozen=True)
class Compiled:
    """A built query and the notes on what was left out of it (for `explain`)."""

    query: wq.Query
    notes: tuple[str, ...] = ()


def build(
    node: Node,
    mode: Mode = "all",
    exact: bool = False,
    *,
    reader: object | None = None,
    expansion_limit: int = DEFAULT_EXPANSION_LIMIT,
    analysis: Analysis | None = None,
) -> wq.Query:
    """The Whoosh query for `node`; see `compile_query` for the arguments."""
    return compile_query(
        node, mode, exact, reader=reader, expansion_limit=expansion_limit, analysis=analysis
    ).query


def compile_query(
    node: Node,
    mode: Mode = "all",
    exact: bool = False,
    *,
    reader: object | None = None,
    expansion_limit: int = DEFAULT_EXPANSION_LIMIT,
    analysis: Analysis | None = None,
) -> Compiled:
    """Build the Whoosh query for `node` and say what was dropped.

    `mode` is "all" or "any" (what juxtaposed terms mean); `exact` searches exact
    forms for every word. With a `reader`, wildcards and fuzzy terms are expanded
    against its lexicon once (`expand_patterns`). `analysis` defaults to
    `indexer.analysis`. Raises `QueryError` for a query with no positive term,
    nothing left to search, or a pattern matching too many terms.
    """
    if mode not in MODES:
        raise ValueError(f"mode must be one of {MODES}, not {mode!r}")
    analysis = analysis or default_analysis()
    builder = _Builder(mode, exact, analysis, keeps_stopwords(node, exact, analysis))
    built = builder.node(node)
    if built is None:
        notes = "; ".join(dict.fromkeys(builder.notes))
        raise QueryError("nothing left to search for", node.pos, hint=notes or None)
    if reader is not None:
        built = expand_patterns(built, reader, expansion_limit)
    return Compiled(ScoreEveryMatch(built), tuple(dict.fromkeys(builder.notes)))


def text_fields(field: str | None, exact: bool) -> tuple[str, ...]:
    """Index fields searched by a word of `field` (None = title or body)."""
    names = ("title", "body") if field is None else (field,)
    return tuple(f"{n}_exact" for n in names) if exact else names


def _any(queries: Sequence[wq.Query]) -> wq.Query:
    return queries[0] if len(queries) == 1 else wq.Or(list(queries))


def _all(queries: Sequence[wq.Query]) -> wq.Query:
    return queries[0] if len(queries) == 1 else wq.And(list(queries))


class _Builder:
    def __init__(self, mode: Mode, exact: bool, analysis: Analysis, keep_stopwords: bool) -> None:
        self.mode = mode
        self.exact = exact
        self.analysis = analysis
        self.keep_stopwords = keep_stopwords
        self.notes: list[str] = []

    def node(self, node: Node) -> wq.Query | None:
        """The query for `node`, or None when nothing of it is searchable."""
        match node:
            case And():
                return self.conjunction(node)
            case Or():
                return self.disjunction(node)
            case Not():
                raise QueryError(NO_POSITIVE, node.pos)
            case Required():
                return self.node(node.child)
            case Word():
                return self.word(node)
            case Phrase():
                return self.phrase(node)
            case Near():
                return self.near(node)
            case Prefix() if node.field in ID_FIELDS:
                return wq.Prefix(node.field, self.literal(node.field, node.prefix).text)
            case Prefix() | Wildcard() | Fuzzy():
                return self.pattern(node, node.field)
            case DateRange():
                # datetimes, never strings: DATETIME would parse a string with whoosh's dateparse.
                return wq.DateRange("date", node.start, node.end)  # inclusive at both ends
        raise TypeError(f"not a query node: {node!r}")

    def conjunction(self, node: And) -> wq.Query | None:
        optional_by_default = node.implicit and self.mode == "any"
        required: list[wq.Query] = []
        optional: list[wq.Query] = []
        negative: list[wq.Query] = []
        for child in node.children:
            if isinstance(child, Not):
                target, q = negative, self.node(child.child)
            elif isinstance(child, Required):
                target, q = required, self.node(child.child)
            else:
                target, q = (optional if optional_by_default else required), self.node(child)
            if q is not None:
                target.append(q)
        if not required and not optional:
            if negative:
                raise QueryError(NO_POSITIVE, node.pos)
            return None
        if required and optional:
            positive: wq.Query = wq.AndMaybe(_all(required), _any(optional))
        else:
            positive = _all(required) if required else _any(optional)
        return wq.AndNot(positive, _any(negative)) if negative else positive

    def disjunction(self, node: Or) -> wq.Query | None:
        parts = []
        for child in node.children:
            if isinstance(child, Not):
                hint = "NOT cannot stand alone on one side of OR"
                raise QueryError(NO_POSITIVE, child.pos, hint=hint)
            q = self.node(child)
            if q is not None:
                parts.append(q)
        return _any(parts) if parts else None

    # Leaves

    def word(self, node: Word) -> wq.Query | None:
        if node.field in ID_FIELDS:
            return self.literal(node.field, node.text)
        exact = self.exact or node.exact
        forms = text_forms(node.text, exact, self.analysis)
        if not forms.forms:
            self.notes.append(f"'{node.text}' has no letters: ignored")
            return None
        if forms.stopword and not self.keep_stopwords:
            self.notes.append(f"'{node.text}' is a stopword: ignored")
            return None
        return _any([self.sequence(f, forms.forms) for f in text_fields(node.field, exact)])

    def literal(self, field: str, value: str) -> wq.Query:
        # Term() bypasses the field's analyzer: lowercase here what IDAnalyzer(lowercase) does.
        return wq.Term(field, value.lower() if field == "source" else value)

    def sequence(self, field: str, forms: Sequence[str]) -> wq.Query:
        """One form as a Term, several as a phrase."""
        if len(forms) == 1:
            return wq.Term(field, forms[0])
        # Not whoosh's Phrase: its internal SpanNear2 would skip blocks without checking spans.
        return PhraseQuery(field, forms)

    def phrase(self, node: Phrase) -> wq.Query | None:
        exact = self.exact or node.exact
        forms = text_forms(" ".join(node.words), exact, self.analysis)
        if not forms.forms:
            self.notes.append(f'"{" ".join(node.words)}" has no letters: ignored')
            return None
        fields = text_fields(node.field, exact)
        if node.slop is None or len(forms.forms) == 1:
            return _any([self.sequence(f, forms.forms) for f in fields])
        return _any([WindowQuery(f, forms.forms, node.slop) for f in fields])

    def pattern(self, node: Prefix | Wildcard | Fuzzy, field: str | None) -> wq.Query | None:
        queries = [self.pattern_in(node, f) for f in text_fields(field, True)]
        if any(q is None for q in queries):
            return None
        return _any(queries)  # type: ignore[arg-type]

    def pattern_in(self, node: Prefix | Wildcard | Fuzzy, field: str) -> wq.Query | None:
        """A wildcard, prefix or fuzzy query on one exact field, folded like the text."""
        if isinstance(node, Fuzzy):
            text, q = node.text, None
            folded = fuzzy_form(node.text, self.analysis)
            if folded:
                q = wq.FuzzyTerm(field, folded, maxdist=node.maxdist, prefixlength=FUZZY_PREFIX)
        elif isinstance(node, Prefix):
            text, q = f"{node.prefix}*", None
            folded = self.analysis.fold(node.prefix)
            if folded:
                # An empty prefix would make Whoosh match every document (Every).
                q = wq.Prefix(field, folded)
        else:
            text, q = node.pattern, None
            folded = fold_pattern(node.pattern, self.analysis)
            if has_letters(folded):
                # Wildcard("*") would become Every: the letters check above avoids it.
                q = wq.Wildcard(field, folded)
        if q is None:
            self.notes.append(f"'{text}' has no letters: ignored")
            return None
        q.query_text, q.query_pos = text, node.pos  # for the expansion cap's message
        return q

    def near(self, node: Near) -> wq.Query | None:
        parts = []
        for base in text_fields(node.field, False):
            left = self.operand(node.left, base)
            right = self.operand(node.right, base)
            if left is None or right is None:
                # One side has nothing to search: the other side stands alone.
                kept = left if right is None else right
                if kept is None:
                    return None
                parts.append(kept[0])
                continue
            single = left[1] and right[1]
            parts.append(near_query(left[0], right[0], node.distance, node.ordered, single))
        return _any(parts) if parts else None

    def operand(self, node: NearOperand, base: str) -> tuple[wq.Query, bool] | None:
        """The span query of a NEAR operand in field `base` and whether it is one position.

        Stemmed and exact fields of the same text share positions (same tokenizer,
        the stem filter drops nothing), so `=a NEAR b` can mix them.
        """
        if isinstance(node, (Prefix, Wildcard, Fuzzy)):
            q = self.pattern_in(node, f"{base}_exact")
            return None if q is None else (q, True)
        exact = self.exact or node.exact
        text = node.text if isinstance(node, Word) else " ".join(node.words)
        forms = text_forms(text, exact, self.analysis)
        if not forms.forms:
            self.notes.append(f"'{text}' has no letters: ignored")
            return None
        field = f"{base}_exact" if exact else base
        return self.sequence(field, forms.forms), len(forms.forms) == 1
