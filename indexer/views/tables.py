"""Each view as a table (a header and rows): what ``corpus kwic ... --csv`` prints and what
``/api/kwic?format=csv`` answers, built in one place so the two stay the same."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable

from indexer.views.collocates import Collocates
from indexer.views.frequency import FrequencyList
from indexer.views.kwic import Concordance
from indexer.views.trend import Trend

View = Concordance | Trend | Collocates | FrequencyList


def table(result: View) -> tuple[list[str], Iterable[list]]:
    """The header and rows of ``result``'s CSV."""
    if isinstance(result, Concordance):
        return ["id", "field", "date", "source", "left", "match", "right"], (
            [ln.id, ln.field, ln.date or "", ln.source, ln.left, ln.match, ln.right] for ln in result.lines
        )
    if isinstance(result, Trend):  # each series's undated articles in a last row, as in a pipe
        return ["series", "period", "articles", "occurrences", "normalized"], (
            row
            for s in result.series
            for row in (
                *([s.label, p.period, p.articles, p.occurrences, f"{p.normalized:.6g}"] for p in s.points),
                [s.label, "undated", s.undated_articles, s.undated_occurrences, ""],
            )
        )
    if isinstance(result, Collocates):
        return ["word", "stem", "cooccurrences", "frequency", "score"], (
            [c.word, c.stem, c.cooccurrences, c.frequency, f"{c.score:.4g}"] for c in result.collocates
        )
    return ["term", "frequency", "documents", "stopword", "keyness", "written"], (
        [t.term, t.frequency, t.documents, "stopword" if t.stopword else "", "" if t.keyness is None else f"{t.keyness:.1f}", t.written or t.term]
        for t in result.terms
    )


def write_csv(result: View, out) -> None:  # type: ignore[no-untyped-def]
    """``result``'s CSV into the text stream ``out``, one ``\\n`` per row."""
    header, rows = table(result)
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(header)
    writer.writerows(rows)


def csv_text(result: View) -> str:
    out = io.StringIO()
    write_csv(result, out)
    return out.getvalue()
