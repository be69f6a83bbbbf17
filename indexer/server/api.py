"""The JSON API: each route validates its parameters, calls one library function and
returns what the matching ``corpus ... --json`` command prints."""

from __future__ import annotations

from dataclasses import asdict
from typing import Annotated, Literal

from fastapi import APIRouter, Header, Path, Query, Request
from indexer.server.responses import ArabicJSONResponse
from starlette.concurrency import run_in_threadpool

from indexer.analysis import analyze as analyze_text
from indexer.corpus import Corpus
from indexer.errors import Surface, UsageError
from indexer.facets import check_facets
from indexer.filters import ANY_HELP, DEDUPE_HELP, EXACT_HELP, SINCE_HELP, SOURCE_HELP, UNTIL_HELP, source_list
from indexer.query.bounds import MAX_QUERY_CHARS
from indexer.search import date_bounds
from indexer.server.auth import require_token
from indexer.server.bodies import parse_articles, read_limited
from indexer.server.errors import ApiError
from indexer.server.settings import MAX_LIMIT, MAX_OFFSET, Settings

router = APIRouter(prefix="/api", default_response_class=ArabicJSONResponse)

#: The longest text ``/api/analyze`` takes (it answers word by word).
MAX_ANALYZE_CHARS = 10_000


def corpus_of(request: Request) -> Corpus:
    return request.app.state.corpus


def settings_of(request: Request) -> Settings:
    return request.app.state.settings


def facet_names(facets: str | None) -> tuple[str, ...]:
    """``facets=source,month`` as names, or a 400 naming the parameter."""
    try:
        return check_facets((facets or "").split(","))
    except UsageError as error:
        raise ApiError(400, f"facets: {error}", parameter="facets") from None


def check_paging(limit: int, offset: int) -> None:
    if limit > MAX_LIMIT:
        raise ApiError(400, f"limit is at most {MAX_LIMIT}: page with offset for more", parameter="limit")
    if offset > MAX_OFFSET:
        raise ApiError(400, f"offset is at most {MAX_OFFSET:,}: narrow the query instead", parameter="offset")


def check_day(value: str | None, name: str) -> str | None:
    """A ``since``/``until`` parameter as the library reads it (a day, a month or a year;
    empty means none), or a 400 naming it."""
    if value is None or not value.strip():
        return None
    try:
        date_bounds(value, None) if name == "since" else date_bounds(None, value)
    except UsageError as error:
        raise ApiError(400, error.worded(Surface.SERVER), parameter=name) from None
    return value.strip()


Mode = Literal["all", "any"]
Sort = Literal["relevance", "date", "-date"]

#: The filters of a search and of every view (`indexer.filters`), with the help of the CLI's options.
ModeParam = Annotated[Mode, Query(description=f"all: articles holding every word; any: {ANY_HELP}")]
ExactParam = Annotated[bool, Query(description=EXACT_HELP)]
SinceParam = Annotated[str | None, Query(description=SINCE_HELP)]
UntilParam = Annotated[str | None, Query(description=UNTIL_HELP)]
SourceParam = Annotated[list[str] | None, Query(description=SOURCE_HELP)]
DedupeParam = Annotated[bool, Query(description=DEDUPE_HELP)]


def filters(mode: Mode, exact: bool, since: str | None, until: str | None, source: list[str] | None, dedupe: bool) -> dict:
    """The filter parameters as the keyword arguments of `Corpus.search` and of the views;
    a date the library refuses is a 400 naming its parameter."""
    return {
        "mode": mode, "exact": exact, "since": check_day(since, "since"), "until": check_day(until, "until"),
        "source": source_list(source), "dedupe": dedupe,
    }


@router.get("/search", summary="Search the articles")
def search(
    request: Request,
    q: Annotated[str, Query(description=f"The query (see the syntax help); at most {MAX_QUERY_CHARS:,} characters.")],
    limit: Annotated[int, Query(ge=0, description=f"Hits to return, at most {MAX_LIMIT}.")] = 10,
    offset: Annotated[int, Query(ge=0, description=f"Hits to skip (paging), at most {MAX_OFFSET:,}.")] = 0,
    mode: ModeParam = "all",
    exact: ExactParam = False,
    sort: Annotated[Sort, Query(description="Order of the hits.")] = "relevance",
    since: SinceParam = None,
    until: UntilParam = None,
    source: SourceParam = None,
    facets: Annotated[str | None, Query(description="Count every match per source, month and/or year: e.g. source,month.")] = None,
    dedupe: DedupeParam = False,
    explain: Annotated[bool, Query(description="Also say how the query was understood and what each word searched.")] = False,
) -> dict:
    """The same JSON as `corpus query --json`; with `facets`, also `facets`: counts over
    **all** matching articles (not just this page): `{"source": {name: n}, "month":
    {"YYYY-MM": n}, "year": {"YYYY": n}}`, months and years dense from the first match to
    the last, undated articles left out. With `explain`, also `explain`, as `corpus query
    --json --explain` gives it: `{"understood", "words", "patterns", "siblings",
    "sibling_weight"}`."""
    check_paging(limit, offset)
    corpus = corpus_of(request)
    results = corpus.search(
        q, limit=limit, offset=offset, sort=sort, facets=facet_names(facets), did_you_mean=True,
        **filters(mode, exact, since, until, source, dedupe),
    )
    if explain and results.query.strip():
        return results.to_dict(Surface.SERVER) | {"explain": corpus.explanation(results.query, mode=mode, exact=exact).to_dict()}
    return results.to_dict(Surface.SERVER)


@router.get("/articles/{article_id:path}", summary="One article whole, with highlights")
def article(
    request: Request,
    article_id: Annotated[str, Path(description="The article's id.")],
    q: Annotated[str | None, Query(description="Mark every word this query matches in title and body.")] = None,
    mode: Annotated[Mode, Query()] = "all",
    exact: Annotated[bool, Query()] = False,
) -> dict:
    """`{"id", "title", "body", "date", "source", "url", "highlights", "title_highlights"}`;
    highlights are `[start, end]` character offsets into `body` (`title_highlights` into
    `title`). 404 when no article has this id."""
    found = corpus_of(request).article(article_id, q or None, mode=mode, exact=exact)
    if found is None:
        raise ApiError(404, f"no article with id {article_id[:200]!r}", id=article_id[:200])
    return found.to_dict()


@router.get("/similar/{article_id:path}", summary="Articles on the subject of one article")
def similar(
    request: Request,
    article_id: Annotated[str, Path(description="The article's id.")],
    limit: Annotated[int, Query(ge=0, description=f"Hits to return, at most {MAX_LIMIT}.")] = 10,
    offset: Annotated[int, Query(ge=0, description=f"Hits to skip (paging), at most {MAX_OFFSET:,}.")] = 0,
    sort: Annotated[Sort, Query(description="Order of the hits.")] = "relevance",
    since: SinceParam = None,
    until: UntilParam = None,
    source: SourceParam = None,
    facets: Annotated[str | None, Query(description="Count every match per source, month and/or year: e.g. source,month.")] = None,
    dedupe: DedupeParam = False,
) -> dict:
    """The same JSON as `corpus query --like ID --json`: the article's most telling words
    searched as a bag (mode any), the article itself left out; `query` holds the words.
    404 when no article has this id."""
    check_paging(limit, offset)
    corpus = corpus_of(request)
    if corpus.article(article_id) is None:
        raise ApiError(404, f"no article with id {article_id[:200]!r}", id=article_id[:200])
    chosen = filters("any", False, since, until, source, dedupe)
    results = corpus.similar(
        article_id, limit=limit, offset=offset, sort=sort, facets=facet_names(facets),
        **{name: chosen[name] for name in ("since", "until", "source", "dedupe")},
    )
    return results.to_dict(Surface.SERVER)


@router.get("/analyze", summary="How a text is tokenized, folded and stemmed")
def analyze(text: Annotated[str, Query(description=f"The text, at most {MAX_ANALYZE_CHARS:,} characters.")]) -> dict:
    """The same JSON as `corpus analyze --json`."""
    if len(text) > MAX_ANALYZE_CHARS:
        raise ApiError(413, f"text is {len(text):,} characters long; at most {MAX_ANALYZE_CHARS:,} are analyzed", parameter="text")
    return {"tokens": [asdict(token) for token in analyze_text(text)]}


@router.get("/stats", summary="Document count, sources, date range, size, last update")
def stats(request: Request) -> dict:
    """The same JSON as `corpus stats --json`."""
    return corpus_of(request).stats().to_dict()


@router.post("/articles", summary="Add or replace articles (needs the token)")
async def add_articles(request: Request, authorization: Annotated[str | None, Header()] = None) -> dict:
    """Body: one article object (`id`, `title`, `body`, `date`, `source`, `url`), a JSON
    array of them, or JSON Lines. Articles are matched by id: new ones are added, changed
    ones replaced, unchanged ones skipped. Answers the same summary as `corpus index
    --json`; 503 with `Retry-After` while another writer holds the index."""
    settings = settings_of(request)
    require_token(settings.token, authorization)
    body = await read_limited(request.stream(), request.headers.get("content-length"), settings.max_body_bytes)
    items = parse_articles(body)
    return (await run_in_threadpool(corpus_of(request).add, items)).to_dict()


@router.delete("/articles/{article_id:path}", summary="Delete an article (needs the token)")
async def delete_article(
    request: Request,
    article_id: Annotated[str, Path(description="The article's id.")],
    authorization: Annotated[str | None, Header()] = None,
) -> dict:
    """The same summary as `corpus delete --json`; 404 when no article has this id."""
    require_token(settings_of(request).token, authorization)
    report = await run_in_threadpool(corpus_of(request).delete, [article_id])
    if not report.deleted:
        raise ApiError(404, f"no article with id {article_id[:200]!r}", id=article_id[:200])
    return report.to_dict()

