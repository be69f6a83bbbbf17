"""Each view as a table (a header and rows): what ``corpus kwic ... --csv`` prints and what
``/api/kwic?format=csv`` answers, built in one place so the two stay the same.

A CSV file is read in spreadsheets as much as by programs, so its cells are written for
both: numbers as a spreadsheet sorts them (scores with four decimals, never a power of
ten); each run of whitespace in a text (a line break before a quotation, a no-break
space) as one space, so a concordance line stays one row high; and a text a spreadsheet
would run as a formula (starting ``=``, ``+``, ``-``, ``@``: an article's text is written
by others) behind an apostrophe, as OWASP advises for CSV injection. ``--json`` keeps the
text exactly as stored.
"""

from __future__ import annotations

import csv
import io
import re
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
            [c.word, c.stem, c.cooccurrences, c.frequency, f"{c.score:.4f}"] for c in result.collocates
        )
    return ["term", "frequency", "documents", "stopword", "keyness", "written", "log_ratio"], (
        [
            t.term, t.frequency, t.documents, "stopword" if t.stopword else "", "" if t.keyness is None else f"{t.keyness:.1f}", t.written or t.term,
            "" if t.log_ratio is None else f"{t.log_ratio:.4f}",
        ]
        for t in result.terms
    )


_WHITESPACE = re.compile(r"\s+")
#: What a spreadsheet reads as the start of a formula, and a number that only looks so.
_FORMULA_STARTS = ("=", "+", "-", "@")
_NUMBER = re.compile(r"[-+]?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?")


def spreadsheet_cell(value: object) -> object:
    """A cell as written to CSV: a text's whitespace runs as one space, and an apostrophe
    before a text a spreadsheet would run as a formula (a number, -3.5, stays a number)."""
    if not isinstance(value, str):
        return value
    text = _WHITESPACE.sub(" ", value)
    if text.startswith(_FORMULA_STARTS) and not _NUMBER.fullmatch(text):
        return "'" + text
    return text


def write_csv(result: View, out) -> None:  # type: ignore[no-untyped-def]
    """``result``'s CSV into the text stream ``out``, one ``\\n`` per row."""
    header, rows = table(result)
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(header)
    writer.writerows([spreadsheet_cell(value) for value in row] for row in rows)


def csv_text(result: View) -> str:
    out = io.StringIO()
    write_csv(result, out)
    return out.getvalue()
