"""The corpus views over HTTP: ``/api/kwic``, ``/api/trend``, ``/api/collocates``,
``/api/freq``. Each takes the options of its command, answers the same JSON as its
``--json`` (or with ``format=csv`` the same CSV as its ``--csv``), and caps every size a
client chooses so that no request is unbounded."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Literal

from fastapi import APIRouter, Query, Request
from fastapi.responses import Response

from indexer.errors import Surface
from indexer.query.bounds import MAX_QUERY_CHARS
from indexer.server.api import DedupeParam, ExactParam, ModeParam, SinceParam, SourceParam, UntilParam, corpus_of, filters
from indexer.server.errors import ApiError
from indexer.server.responses import ArabicJSONResponse
from indexer.search import date_bounds
from indexer.server.settings import MAX_OFFSET
from indexer.views.tables import View, csv_text
from indexer.views.trend import periods_between

router = APIRouter(prefix="/api", default_response_class=ArabicJSONResponse, tags=["views"])

#: The most concordance lines one request returns (more means paging with ``offset``).
MAX_KWIC_LINES = 1_000
#: The widest context each side of a concordance line, in characters.
MAX_WIDTH = 500
#: The most collocates or frequency-list terms one request returns.
MAX_TOP = 1_000
#: The widest collocation window, in words each side.
MAX_WINDOW = 20
#: The most series one trend compares.
MAX_SERIES = 10
#: The most points (series x periods) one trend answers: periods run over since..until or
#: the whole corpus's dates, so ``by=day`` with ``split=source`` could otherwise be any size.
MAX_TREND_POINTS = 10_000

Format = Literal["json", "csv"]
QueryText = Annotated[str, Query(description=f"The query (see the syntax help); at most {MAX_QUERY_CHARS:,} characters.")]
FormatParam = Annotated[Format, Query(description="json (as the command's --json) or csv (as its --csv).")]


#: The byte order mark that makes Excel read a CSV file as UTF-8. Without it Excel reads
#: the system's ANSI code page (cp1252, cp1256) and the Arabic turns into Latin letters;
#: LibreOffice, pandas and Python's "utf-8-sig" read it either way. A download is a file
#: opened in a spreadsheet; ``corpus ... --csv`` writes to other programs, without one.
EXCEL_UTF8_MARK = "\ufeff"


def answer(result: View, format: Format, name: str) -> Response | dict:
    """``result`` as JSON, or as a CSV download named ``name.csv`` (with `EXCEL_UTF8_MARK`)."""
    if format == "csv":
        return Response(
            EXCEL_UTF8_MARK + csv_text(result), media_type="text/csv; charset=utf-8",
            headers={"Content-Disposition": f'attachment; filename="{name}.csv"'},
        )
    return result.to_dict(Surface.SERVER)


def at_most(value: int, cap: int, name: str, hint: str) -> int:
    if value > cap:
        raise ApiError(400, f"{name} is at most {cap:,}: {hint}", parameter=name)
    return value


@router.get("/kwic", response_model=None, summary="A concordance: every occurrence of what the query matched, in context")
def kwic(
    request: Request,
    q: QueryText,
    width: Annotated[int, Query(ge=0, description=f"Characters of context each side, at most {MAX_WIDTH}.")] = 50,
    sort: Annotated[Literal["date", "left", "right", "source"], Query(description="Order of the lines.")] = "date",
    limit: Annotated[int, Query(ge=0, description=f"Lines to return, at most {MAX_KWIC_LINES:,}.")] = 100,
    offset: Annotated[int, Query(ge=0, description=f"Lines to skip (paging), at most {MAX_OFFSET:,}.")] = 0,
    mode: ModeParam = "all",
    exact: ExactParam = False,
    since: SinceParam = None,
    until: UntilParam = None,
    source: SourceParam = None,
    dedupe: DedupeParam = False,
    format: FormatParam = "json",
) -> Response | dict:
    """The same JSON as `corpus kwic --json`: `{"query", "total", "articles", "deduplicated",
    "lines": [{"id", "field", "date", "source", "left", "match", "right", ...}]}`; `total`
    counts every occurrence, not just this page."""
    result = corpus_of(request).kwic(
        q,
        width=at_most(width, MAX_WIDTH, "width", "the context is a line, not the article"),
        sort=sort,
        limit=at_most(limit, MAX_KWIC_LINES, "limit", "page with offset for more"),
        offset=at_most(offset, MAX_OFFSET, "offset", "narrow the query instead"),
        **filters(mode, exact, since, until, source, dedupe),
    )
    return answer(result, format, "kwic")


@router.get("/trend", response_model=None, summary="Matching articles and occurrences per period")
def trend(
    request: Request,
    q: Annotated[list[str], Query(description=f"The query; repeat q to compare up to {MAX_SERIES} queries (one series each).")],
    by: Annotated[Literal["day", "week", "month", "year"], Query(description="Period.")] = "month",
    per: Annotated[Literal["articles", "million-words"], Query(description="What each period is normalised by.")] = "million-words",
    split: Annotated[Literal["source"] | None, Query(description="source: one series per source.")] = None,
    mode: ModeParam = "all",
    exact: ExactParam = False,
    since: SinceParam = None,
    until: UntilParam = None,
    source: SourceParam = None,
    dedupe: DedupeParam = False,
    format: FormatParam = "json",
) -> Response | dict:
    """The same JSON as `corpus trend --json`. Periods run from since's to until's, zeros
    included (an end not given: the corpus's first or last dated article under the
    filters); a trend over 10,000 points in all is refused (400), before counting when
    since..until alone holds too many (an end not given: the index's first or last date)."""
    at_most(len(q), MAX_SERIES, "q", "compare fewer queries at once")
    chosen = filters(mode, exact, since, until, source, dedupe)
    corpus = corpus_of(request)
    first, last = date_bounds(chosen["since"], chosen["until"])
    if first is not None or last is not None:  # the bounds set the periods: count them first, the index's dates for an end not given
        dates = corpus.stats()
        first = first or (datetime.fromisoformat(dates.date_min) if dates.date_min else None)
        last = last or (datetime.fromisoformat(dates.date_max) if dates.date_max else None)
        if first is not None and last is not None:
            too_many(periods_between(first.date(), last.date(), by) * len(q))
    result = corpus.trend(q, by=by, per=per, split_source=split == "source", **chosen)
    too_many(sum(len(series.points) for series in result.series))
    return answer(result, format, "trend")


def too_many(points: int) -> None:
    """A 400 for a trend of more than `MAX_TREND_POINTS` points."""
    if points > MAX_TREND_POINTS:
        raise ApiError(
            400, f"this trend has {points:,} points, at most {MAX_TREND_POINTS:,} are answered: use a longer period (by), "
            "a shorter since..until, or fewer series", parameter="by", points=points,
        )


@router.get("/collocates", response_model=None, summary="The words found near what the query matched, scored")
def collocates(
    request: Request,
    q: QueryText,
    window: Annotated[int, Query(ge=1, description=f"Words each side of the node, at most {MAX_WINDOW}.")] = 5,
    by: Annotated[Literal["stem", "exact"], Query(description="Count stems or exact forms.")] = "stem",
    measure: Annotated[Literal["logdice", "mi", "t", "llr"], Query(description="Association score.")] = "logdice",
    min_freq: Annotated[int, Query(ge=1, description="Fewest co-occurrences listed.")] = 5,
    top: Annotated[int, Query(ge=0, description=f"Collocates to list, at most {MAX_TOP:,}.")] = 50,
    stopwords: Annotated[bool, Query(description="Keep stopwords among the collocates.")] = False,
    mode: ModeParam = "all",
    exact: ExactParam = False,
    since: SinceParam = None,
    until: UntilParam = None,
    source: SourceParam = None,
    dedupe: DedupeParam = False,
    format: FormatParam = "json",
) -> Response | dict:
    """The same JSON as `corpus collocates --json`."""
    result = corpus_of(request).collocates(
        q,
        window=at_most(window, MAX_WINDOW, "window", "collocates are near words"),
        by=by, measure=measure, min_freq=min_freq,
        top=at_most(top, MAX_TOP, "top", "the list is ranked; the rest score lower"),
        stopwords=stopwords,
        **filters(mode, exact, since, until, source, dedupe),
    )
    return answer(result, format, "collocates")


@router.get("/freq", response_model=None, summary="Term and document frequencies, over the corpus or a query's articles")
def freq(
    request: Request,
    q: Annotated[str | None, Query(description="Count over the articles this query matches (with keyness); none: the whole corpus.")] = None,
    by: Annotated[Literal["stem", "exact"], Query(description="Count stems or exact forms.")] = "stem",
    top: Annotated[int, Query(ge=0, description=f"Terms to list, at most {MAX_TOP:,}.")] = 100,
    sort: Annotated[Literal["frequency", "keyness"], Query(description="Order (keyness needs q).")] = "frequency",
    mode: ModeParam = "all",
    exact: ExactParam = False,
    since: SinceParam = None,
    until: UntilParam = None,
    source: SourceParam = None,
    dedupe: DedupeParam = False,
    format: FormatParam = "json",
) -> Response | dict:
    """The same JSON as `corpus freq --json`."""
    text = q if q is not None and q.strip() else None
    if sort == "keyness" and text is None:
        raise ApiError(400, "sort=keyness needs q: keyness compares the query's articles with the rest", parameter="sort")
    result = corpus_of(request).freq(
        text,
        by=by, top=at_most(top, MAX_TOP, "top", "the list is ranked; the rest are rarer"), sort=sort,
        **filters(mode, exact, since, until, source, dedupe),
    )
    return answer(result, format, "freq")
