"""What a query runs as: small frozen operators, planned from the syntax tree by
`build.py` and run by `execute.py`.

Text in a plan is already in index form (stems, exact forms, folded patterns, literal
values) and every operator names its index field. A `Pattern` is a wildcard, prefix or
fuzzy word not yet looked up: `expansion.expand_patterns` replaces it with the terms it
stands for (`Expanded`), once per query against the whole index.

Scores are BM25F (Whoosh's formula and statistics) per term, summed by the operators
as each docstring says.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

PREFIX, WILDCARD, FUZZY = "prefix", "wildcard", "fuzzy"


@dataclass(frozen=True)
class Term:
    """Documents holding `text` in the text field `field`; each scores the term's BM25F."""

    field: str
    text: str


@dataclass(frozen=True)
class Literal:
    """Documents whose ID field `field` (id, url, source) holds `value`, or with `prefix`
    a value starting with it; each scores the weight of the value it holds (1.0)."""

    field: str
    value: str
    prefix: bool = False


@dataclass(frozen=True)
class Phrase:
    """`words` one after another in `field`; scores the sum of the words' BM25F
    (a repeated word counts each time)."""

    field: str
    words: tuple[str, ...]


@dataclass(frozen=True)
class Window:
    """All `words`, in any order, in a window of `field` holding at most `extra` other
    words (a repeated word as often as it is repeated); scores the sum of the BM25F of
    each distinct word."""

    field: str
    words: tuple[str, ...]
    extra: int


@dataclass(frozen=True)
class Pattern:
    """A prefix, wildcard or fuzzy word on an exact field, not yet expanded.

    `text` is the folded prefix, glob (`*`, `?`) or word; `maxdist` the edits a fuzzy
    word allows. `typed` and `pos` (the word as typed and where) are for the message
    when it matches too many terms."""

    field: str
    kind: str  # PREFIX, WILDCARD or FUZZY
    text: str
    maxdist: int = 0
    typed: str = ""
    pos: int | None = None


@dataclass(frozen=True)
class Expanded:
    """Documents holding any of `terms` in `field`. With `weights` (a fuzzy word's, one
    per term), each scores its best term there: the term's BM25F times its weight.
    Without, each scores the field's boost, flat (a wildcard or prefix)."""

    field: str
    terms: tuple[str, ...]
    weights: tuple[float, ...] | None = None


NearOperand = Term | Phrase | Pattern | Expanded


@dataclass(frozen=True)
class Near:
    """`left` and `right` in one field, not overlapping, with at most `between` words
    between them; `ordered`: `left` first. Scores the sum of the BM25F of the operands'
    words (for an `Expanded` operand, of every one of its terms the document holds).

    The operands' fields may differ (a stemmed field and its exact twin): they hold the
    same text, so their positions line up."""

    left: NearOperand
    right: NearOperand
    between: int
    ordered: bool


@dataclass(frozen=True)
class DateSpan:
    """Documents dated from `start` to `end`, both inclusive (None: open); each scores
    1.0. Undated documents never match."""

    start: datetime | None
    end: datetime | None


@dataclass(frozen=True)
class AnyOf:
    """Documents matching any part; each scores the sum of the parts it matches."""

    parts: tuple[Plan, ...]


@dataclass(frozen=True)
class AllOf:
    """Documents matching every part; each scores the sum of the parts' scores."""

    parts: tuple[Plan, ...]


@dataclass(frozen=True)
class Without:
    """Documents matching `kept` and not `excluded`; each scores what `kept` scores."""

    kept: Plan
    excluded: Plan


@dataclass(frozen=True)
class WithOptional:
    """Documents matching `required`; each scores that plus what `optional` scores there."""

    required: Plan
    optional: Plan


@dataclass(frozen=True)
class Closeness:
    """Documents holding two or more of `words` in `field` (the stems of a bag, in query
    order) with a pair of them in that order at most `between` words apart, or one of
    them among the field's first `lead` words. A word counts its BM25F times its idf to
    the power `emphasis` (as the bag's `Coordinated` does). Each document scores
    `pair_weight` times the two words' count for every such pair, plus `lead_weight`
    times the count of every word found that early; with a `lead_decay` p, every word
    found adds `lead_weight` times its count times (lead / (lead + its first position))
    ** p instead (a question's lead, `ranking.QUESTION_LEAD_DECAY`). Each word's
    positions are read once for all pairs."""

    field: str
    words: tuple[str, ...]
    between: int
    pair_weight: float
    lead: int
    lead_weight: float
    emphasis: float = 0.0
    lead_decay: float = 0.0


@dataclass(frozen=True)
class Coordinated:
    """Documents matching any part; each part's score is multiplied by its idf (BM25F's,
    over the documents the part may match) to the power `emphasis`, and their sum by the
    share of the parts matched, each part weighing log((N + 1) / (n + 0.5)) (N
    documents; n those the part may match, as `execute.QueryRun.size` estimates them, a
    word's title and body matches added up): a coordination factor in which a rare word
    missing costs more than a common one."""

    parts: tuple[Plan, ...]
    emphasis: float = 0.0


@dataclass(frozen=True)
class Telling:
    """The words of a bag (stems in `field`, in query order) that tell its best
    documents apart, for `Rescored`: among the documents rescored, a word found in the
    opening (the first `opening` words of `field`) of few of them says which one is
    meant, and one found in every opening says nothing. Each rescored document adds
    `weight` times the best core score among them times the weighted share of the
    words in its own opening, a word weighing its rarity in the index,
    log((N + 1) / (n + 0.5)), times its rarity among the openings of the documents
    rescored, log((K + 1) / (k + 0.5)) (K documents rescored, k of them with the word
    in their opening; a word in none weighs nothing)."""

    field: str
    words: tuple[str, ...]
    opening: int
    weight: float


@dataclass(frozen=True)
class Rescored:
    """Documents matching `core`; each scores what `core` scores, and those among its
    best `depth` over the whole index (ties at the last place all kept) add what
    `extra` scores there, and what `telling` adds. Proximity, the lead and the telling
    words read positions: only for the documents that can still reach the first page."""

    core: Plan
    extra: Plan | None
    depth: int
    telling: Telling | None = None


Plan = Term | Literal | Phrase | Window | Pattern | Expanded | Near | DateSpan | AnyOf | AllOf | Without | WithOptional | Coordinated | Rescored | Closeness
