"""Exact forms shown as the articles write them (على for علي, رئيس for رءيس).

Every place that shows a user a form from the index (a frequency list, a collocate, the
forms ``--explain`` lists, a "did you mean") passes it through `written_forms`: the
commonest spelling of the form in the bodies, read from the ``written`` field
(``analysis/written.py``). A form the bodies spell only as itself, or an index written
before that field existed, shows the form unchanged. Each spelling folds back to its
form, so a query made of shown forms searches what was shown.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable

from indexer.analysis.stemming import candidate_forms, possible_stems
from indexer.analysis.written import SEPARATOR, spelling_of_term
from indexer.query.ranking import doc_frequencies
from indexer.store.schema import BODY_EXACT, WRITTEN


def spelling_counts(reader, forms: Iterable[str]) -> dict[str, Counter[str]]:  # type: ignore[no-untyped-def]
    """Each form's occurrences in the bodies by spelling, itself included (the rest of its
    occurrences): of one index's ``reader``. Forms the bodies never hold are left out."""
    counts: dict[str, Counter[str]] = {}
    for form in dict.fromkeys(forms):
        if not form or (BODY_EXACT, form) not in reader:
            continue
        spelt = Counter(
            {spelling_of_term(term.decode("utf-8")): int(reader.frequency(WRITTEN, term)) for term in reader.expand_prefix(WRITTEN, form + SEPARATOR)}
        )
        spelt[form] = int(reader.frequency(BODY_EXACT, form)) - sum(spelt.values())
        counts[form] = spelt
    return counts


def written_forms(reader, forms: Iterable[str]) -> dict[str, str]:  # type: ignore[no-untyped-def]
    """Each of ``forms`` -> its commonest spelling in the bodies (a tie keeps the form
    itself); a form the index does not hold maps to itself. ``reader`` is one index's,
    or the shards' (`FederatedReader.spelling_counts` adds theirs up)."""
    forms = list(dict.fromkeys(forms))
    counted = getattr(reader, "spelling_counts", None)  # the shards' reader: one fan-out for all
    counts = counted(tuple(forms)) if counted else spelling_counts(reader, forms)
    shown = {}
    for form in forms:
        spelt = counts.get(form)
        shown[form] = max(spelt, key=lambda s: (spelt[s], s == form)) if spelt else form
    return shown


def index_forms(stem: str, reader) -> list[str]:  # type: ignore[no-untyped-def]
    """The forms of ``stem`` in the index's exact body field that may stem back to it."""
    candidates = tuple(dict.fromkeys(candidate_forms(stem)))
    counts = _doc_frequencies(reader, candidates)
    return [form for form, count in zip(candidates, counts) if count and stem in possible_stems(form)]


def written_stems(reader, stems: Iterable[str]) -> dict[str, str]:  # type: ignore[no-untyped-def]
    """Each of ``stems`` -> a word to show it by: the stem itself as written where the
    bodies hold it as a word (حكومه: حكومة), else the commonest form of it they hold
    (مدينه, never alone in some indexes: المدينة); a stem with no form maps to itself."""
    stems = list(dict.fromkeys(stems))
    held = dict(zip(stems, _doc_frequencies(reader, tuple(stems))))
    shown_by = {stem: stem for stem in stems}
    for stem in (s for s in stems if not held[s]):
        forms = index_forms(stem, reader)
        if forms:
            counts = _doc_frequencies(reader, tuple(forms))
            shown_by[stem] = min(zip(forms, counts), key=lambda pair: (-pair[1], pair[0]))[0]  # the commonest
    spelt = written_forms(reader, shown_by.values())
    return {stem: spelt[form] for stem, form in shown_by.items()}


def _doc_frequencies(reader, forms: tuple[str, ...]) -> list[int]:  # type: ignore[no-untyped-def]
    """Bodies holding each of ``forms`` (the shards' reader: one fan-out for all)."""
    batched = getattr(reader, "doc_frequencies", None)
    return batched(BODY_EXACT, forms) if batched else doc_frequencies(reader, BODY_EXACT, forms)
