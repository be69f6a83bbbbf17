"""How a bag of words (mode "any": a question, a pasted title) is scored beyond the sum
of its words' BM25F. Each lever was kept because it paid on the tuning splits (news
known-item sets snn-dev and ant-dev, ARCD train, QQA23 train and dev; docs/benchmarks.md,
"Ranking levers", which also lists the levers measured and deleted):

- coordination: in a bag of `COORDINATION_FROM` words or more (a title, a long
  question), a document's score is multiplied by the share of the bag's words it holds,
  so an article holding most of a title beats one repeating two of its words;
- proximity: each pair of the bag's words found in the query's order, at most
  `PROXIMITY_BETWEEN` words apart, in one field, adds `PROXIMITY_WEIGHT` times the pair's
  BM25F (the words of a title stand close together in the article it names);
- the lead: a word found among the first `LEAD_WORDS` words of the body adds
  `LEAD_WEIGHT` times its BM25F there (news says what it is about first).

Proximity and the lead are added only to the `RESCORED` best documents by the words'
scores (per segment): they read positions, which for a title of ten common words over
the whole index cost several times the search itself.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from indexer.query import plan
from indexer.store.schema import BODY

PROXIMITY_WEIGHT = 0.05
PROXIMITY_BETWEEN = 5
LEAD_WEIGHT = 0.2
LEAD_WORDS = 40
COORDINATION_FROM = 5
RESCORED = 30


@dataclass(frozen=True)
class BagWord:
    """A word of a bag that searches one stem: its plan as searched, the stem and the
    stemmed fields it searches."""

    planned: plan.Plan
    stem: str
    fields: tuple[str, ...]
    exact: str | None = None


def bag(words: Sequence[BagWord | plan.Plan]) -> plan.Plan:
    """The plan of a bag of optional words (at least one must match); an item that is
    not a `BagWord` (a phrase, a pattern, a word analyzed into several tokens) counts
    for coordination and is otherwise scored as it is."""
    parts = tuple(_with_exact(w) if isinstance(w, BagWord) else w for w in words)
    if len(parts) == 1:
        core = parts[0]
    else:
        core = plan.Coordinated(parts) if len(parts) >= COORDINATION_FROM else plan.AnyOf(parts)
    singles = [w for w in words if isinstance(w, BagWord)]
    extras = _closeness(singles)
    return plan.Rescored(core, extras, RESCORED) if extras is not None else core


EXACT_WEIGHT = 0.0
SIBLING_WEIGHT = 0.0
SIBLING_SCORE_ONLY = False
SIBLING_KIND = "all"


SIBLING_LOOKUP = "exact"
SIBLING_RARER = False
SIBLING_ONE_AFFIX = False


def siblings(stem: str, reader) -> tuple[str, ...]:
    if SIBLING_LOOKUP == "stem":
        from indexer.wordinfo import candidate_forms
        from indexer.store.schema import BODY
        cands = dict.fromkeys(candidate_forms(stem))
        if SIBLING_ONE_AFFIX:
            cands = [f for f in cands if f.startswith(stem) or f.endswith(stem)]
        found = tuple(f for f in cands if f != stem and (BODY, f) in reader)
        if SIBLING_RARER:
            n = reader.doc_frequency(BODY, stem)
            found = tuple(f for f in found if reader.doc_frequency(BODY, f) <= n)
        return found
    return _siblings(stem, reader)


def _siblings(stem: str, reader) -> tuple[str, ...]:
    from indexer.wordinfo import candidate_forms
    from indexer.analysis.stemming import derive
    from indexer.store.schema import BODY_EXACT
    found = []
    for form in dict.fromkeys(candidate_forms(stem)):
        if SIBLING_KIND == "suffix" and not form.startswith(stem):
            continue
        if SIBLING_KIND == "prefix" and not form.endswith(stem):
            continue
        if form != stem and (BODY_EXACT, form) in reader:
            other = derive(form).stem
            if other != stem and other not in found:
                found.append(other)
    return tuple(found)


def _with_exact(word: BagWord) -> plan.Plan:
    if EXACT_WEIGHT <= 0 or word.exact is None:
        return word.planned
    from indexer.store.schema import EXACT_OF
    extra = tuple(plan.Expanded(EXACT_OF[f], (word.exact,), (EXACT_WEIGHT,)) for f in word.fields)
    return plan.AnyOf((word.planned, *extra))


def _closeness(words: Sequence[BagWord]) -> plan.Plan | None:
    """Proximity of the words' pairs and the lead, one `Closeness` per field searched."""
    if PROXIMITY_WEIGHT <= 0 and LEAD_WEIGHT <= 0:
        return None
    fields = dict.fromkeys(f for w in words for f in w.fields)
    parts = []
    for field in fields:
        stems = tuple(w.stem for w in words if field in w.fields)
        lead = LEAD_WEIGHT if field == BODY else 0.0
        if len(stems) > 1 or lead:
            parts.append(plan.Closeness(field, stems, PROXIMITY_BETWEEN, PROXIMITY_WEIGHT, LEAD_WORDS, lead))
    if not parts:
        return None
    return parts[0] if len(parts) == 1 else plan.AnyOf(tuple(parts))
