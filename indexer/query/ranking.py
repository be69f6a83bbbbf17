"""How a bag of words (mode "any": a question, a pasted title) is searched and scored
beyond the sum of its words' BM25F. Each lever was kept because it paid on the tuning
splits (news known-item sets snn-dev and ant-dev, ARCD train, QQA23 train and dev;
docs/benchmarks.md, "Ranking levers", which also lists the levers measured and deleted):

- emphasis: a word counts its BM25F times its idf to the power `IDF_EMPHASIS` (idf
  ** 1.5 in all): in a title or a question the rare words (names, places) say which
  article is meant more than BM25's idf alone lets them;
- coordination: a document's score is multiplied by the share of the bag's words it
  holds, each word weighing by its rarity, so an article holding most of a title, or
  its rare words, beats one repeating two of its common words;
- siblings: a word also finds, at `SIBLING_WEIGHT` of its score, the stems the index
  holds that are its stem with one more clitic or suffix and are rarer than it (the
  forms the stemmer keeps apart on evidence, such as بحكومة beside حكومة, and the
  rarer word beside it, such as فكرة beside كرة): a question's recall is worth more
  than the stemmer's caution, and the word's own stem still scores most;
- proximity: each pair of the bag's words found in the query's order, at most
  `PROXIMITY_BETWEEN` words apart, in one field, adds `PROXIMITY_WEIGHT` times the pair's
  score (the words of a title stand close together in the article it names);
- the lead: a word found among the first `LEAD_WORDS` words of the body adds
  `LEAD_WEIGHT` times its score there (news says what it is about first). In a bag
  that reads as a question (`indexer.query.questions`: an interrogative first, or a
  question mark last) the lead has no cut-off: the word adds `LEAD_WEIGHT` times its
  score times (`LEAD_WORDS` / (`LEAD_WORDS` + its first position)) **
  `QUESTION_LEAD_DECAY` (all of it at the first word, a quarter at the 40th, a
  sixteenth at the 120th). A headline's article says its words first; a question's
  answer is a passage (an ARCD paragraph, a few Qur'anic verses) that holds them
  anywhere, the nearer its start the likelier, with no line at the 40th word;
- telling words: among the best documents, the words found in the opening (the first
  `OPENING_WORDS` words of the body) of few of them tell them apart: each adds
  `TELLING_WEIGHT` times the best score times the share of the telling words in its
  own opening (`plan.Telling`). Reports of the same kind of event, or of one story's
  steps, share the words of their kind; the place, the number, the name in a title are
  in the opening of the one it names.

Proximity, the lead and the telling words are added only to the `RESCORED` best
documents by the words' scores over the whole index (`execute.match`): they read
positions, which for a title of ten common words over the whole index cost several
times the search itself.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from indexer.query import plan
from indexer.query.forms import Analysis
from indexer.store.schema import BODY

IDF_EMPHASIS = 0.5
SIBLING_WEIGHT = 0.3
PROXIMITY_WEIGHT = 0.05
PROXIMITY_BETWEEN = 5
LEAD_WEIGHT = 0.2
LEAD_WORDS = 40
TELLING_WEIGHT = 0.3
OPENING_WORDS = 100
RESCORED = 30
QUESTION_LEAD_DECAY = 2.0


@dataclass(frozen=True)
class BagWord:
    """A word of a bag that searches one stem: its plan as searched, the stem and the
    stemmed fields it searches."""

    planned: plan.Plan
    stem: str
    fields: tuple[str, ...]


def bag(words: Sequence[BagWord | plan.Plan], question: bool = False) -> plan.Plan:
    """The plan of a bag of optional words (at least one must match); an item that is
    not a `BagWord` (a phrase, a pattern, a word analyzed into several tokens) counts
    for coordination and is otherwise scored as it is. A `question`
    (`indexer.query.questions.is_question`) weighs its lead by position."""
    parts = tuple(w.planned if isinstance(w, BagWord) else w for w in words)
    core = plan.Coordinated(parts, IDF_EMPHASIS)
    singles = [w for w in words if isinstance(w, BagWord)]
    extras = _closeness(singles, QUESTION_LEAD_DECAY if question else 0.0)
    telling = _telling(singles)
    if extras is None and telling is None:
        return core
    return plan.Rescored(core, extras, RESCORED, telling)


def _telling(words: Sequence[BagWord]) -> plan.Telling | None:
    """The body's stems of the bag, as the words that may tell its best documents apart."""
    stems = tuple(dict.fromkeys(w.stem for w in words if BODY in w.fields))
    if TELLING_WEIGHT <= 0 or not stems:
        return None
    return plan.Telling(BODY, stems, OPENING_WORDS, TELLING_WEIGHT)


def _closeness(words: Sequence[BagWord], lead_decay: float) -> plan.Plan | None:
    """Proximity of the words' pairs and the lead (cut off, or decaying with
    `lead_decay`), one `Closeness` per field searched."""
    if PROXIMITY_WEIGHT <= 0 and LEAD_WEIGHT <= 0:
        return None
    fields = dict.fromkeys(f for w in words for f in w.fields)
    parts = []
    for field in fields:
        stems = tuple(w.stem for w in words if field in w.fields)
        lead = LEAD_WEIGHT if field == BODY else 0.0
        if len(stems) > 1 or lead:
            parts.append(plan.Closeness(field, stems, PROXIMITY_BETWEEN, PROXIMITY_WEIGHT, LEAD_WORDS, lead, IDF_EMPHASIS, lead_decay))
    if not parts:
        return None
    return parts[0] if len(parts) == 1 else plan.AnyOf(tuple(parts))


def siblings(stem: str, reader, analysis: Analysis) -> tuple[str, ...]:  # type: ignore[no-untyped-def]
    """The stems of the body field that are `stem` with one more prefix or suffix (the
    affixes `analysis.candidate_forms` adds) and are held by no more documents than
    `stem` itself: the forms the stemmer kept apart from it, most of them its own forms
    with a clitic, some another word (فيصل beside يصل is more frequent: left out)."""
    candidates = tuple(
        form for form in dict.fromkeys(analysis.candidate_forms(stem))
        if form != stem and (form.startswith(stem) or form.endswith(stem))
    )
    batched = getattr(reader, "doc_frequencies", None)  # the shards' reader: one fan-out for all
    most, *counts = batched(BODY, (stem, *candidates)) if batched else doc_frequencies(reader, BODY, (stem, *candidates))
    return tuple(form for form, count in zip(candidates, counts) if 0 < count <= most)


def doc_frequencies(reader, field: str, texts: tuple[str, ...]) -> list[int]:  # type: ignore[no-untyped-def]
    """How many documents of `reader` hold each of `texts` in `field` (0 for a text the
    lexicon lacks, found without reading its postings' header)."""
    return [reader.doc_frequency(field, text) if (field, text) in reader else 0 for text in texts]


def searched_siblings(planned: plan.Plan) -> dict[str, tuple[str, ...]]:
    """The siblings `planned` searches (for `--explain`): each bag word's stem -> its
    siblings."""
    found: dict[str, tuple[str, ...]] = {}
    match planned:
        case plan.Expanded(field, terms, weights) if field == BODY and weights and len(terms) > 1 and weights[0] == 1.0:
            found[terms[0]] = terms[1:]
        case plan.AnyOf(parts) | plan.AllOf(parts) | plan.Coordinated(parts):
            for part in parts:
                found.update(searched_siblings(part))
        case plan.WithOptional(required, optional):
            found.update(searched_siblings(required))
            found.update(searched_siblings(optional))
        case plan.Rescored(core) | plan.Without(core):
            found.update(searched_siblings(core))
    return found
