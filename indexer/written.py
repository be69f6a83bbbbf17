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

from indexer.analysis.written import SEPARATOR, spelling_of_term
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
