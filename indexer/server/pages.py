"""The search page, the article page and the API docs: server-rendered HTML that works
without JavaScript (forms submit with GET), right to left, every asset served from the
package (no CDN: it works offline). Templates escape everything (Jinja autoescape)."""

from __future__ import annotations

from typing import Annotated, Literal
from urllib.parse import quote

from fastapi import APIRouter, Path, Query, Request
from fastapi.responses import HTMLResponse, Response
from jinja2 import Environment, PackageLoader, select_autoescape
from starlette.concurrency import run_in_threadpool

from indexer.corpus import Corpus
from indexer.errors import CorpusError, Surface, UsageError, worded
from indexer.filters import source_list
from indexer.query import QueryError
from indexer.search import date_bounds
from indexer.server.arabic import KEYNESS_EXPLAINED, MEASURES, in_arabic, notes, step_in_arabic, where
from indexer.server.errors import as_api_error
from indexer.server.render import CHART_HEIGHT, CHART_WIDTH, chart_bars, counted, error_in_query, link, marked
from indexer.server.settings import MAX_OFFSET
from indexer.server.source_facet import source_choices, source_counts
from indexer.server.tabs import CollocateOptions, View, tab_context
from indexer.server.views_api import MAX_WINDOW

router = APIRouter(default_response_class=HTMLResponse, include_in_schema=False)

#: Hits per page.
PAGE_SIZE = 10
PAGE_FACETS = ("source", "month", "year")
#: Articles on the same subject listed under an article.
SIMILAR_SHOWN = 5
#: The search page's parameters: an article opened from it carries them, to link back to the same results.
SEARCH_PARAMETERS = (
    "q", "mode", "sort", "since", "until", "source", "exact", "dedupe", "offset", "view",
    "measure", "window", "min_freq", "by", "stopwords", "kwic_sort",
)

templates = Environment(loader=PackageLoader("indexer.server", "templates"), autoescape=select_autoescape(default=True))
templates.filters["marked"] = marked
templates.filters["counted"] = counted
templates.filters["step_in_arabic"] = step_in_arabic
templates.globals.update(
    link=link, quote=lambda text: quote(text, safe=""), measures=MEASURES, keyness_explained=KEYNESS_EXPLAINED, max_window=MAX_WINDOW,
)


def render(request: Request, name: str, status: int = 200, **context: object) -> HTMLResponse:
    root = request.scope.get("root_path", "").rstrip("/")
    html = templates.get_template(name).render(root=root, **context)
    return HTMLResponse(html, status_code=status)


def html_error(request: Request, status: int, message: str) -> Response:
    """An error as a page (for paths outside ``/api``), its library or validation message in Arabic."""
    return render(request, "error.html", status=status, status_code=status, message=in_arabic(message))


@router.get("/")
async def search_page(
    request: Request,
    q: str = "",
    mode: Literal["all", "any"] = "all",
    sort: Literal["relevance", "date", "-date"] = "relevance",
    since: str = "",
    until: str = "",
    source: Annotated[list[str] | None, Query()] = None,
    exact: bool = False,
    dedupe: bool = False,
    offset: Annotated[int, Query(ge=0, le=MAX_OFFSET)] = 0,
    view: View = "results",
    measure: Literal["logdice", "mi", "t", "llr"] = "logdice",
    window: Annotated[int, Query(ge=1, le=MAX_WINDOW)] = 5,
    min_freq: Annotated[int, Query(ge=1)] = 5,
    by: Literal["stem", "exact"] = "stem",
    stopwords: bool = False,
    kwic_sort: Literal["date", "left", "right", "source"] = "date",
) -> Response:
    """The hits for ``q``, or (``view``) its trend, concordance, collocates (``measure``,
    ``window``, ``min_freq``, ``by``, ``stopwords`` as ``/api/collocates`` takes them; its
    lines in ``kwic_sort`` order, ``/api/kwic``'s ``sort``) or distinctive words; ``offset`` pages the tab shown. With no words but a filter (a
    source, dates), every article the filter admits, newest first. ``source`` repeated:
    any of them, as in the API."""
    since, until = form_day(since, "since"), form_day(until, "until")
    source = source_list(source)
    browsing = not q.strip() and bool(since or until or source)
    if browsing:
        view = "results"  # the other tabs are of a query's words
    options = CollocateOptions(measure, window, min_freq, by, stopwords)
    chosen = {name: "1" if value is True else value for name, value in options.changed().items()}  # kept by every link
    if kwic_sort != "date":
        chosen["kwic_sort"] = kwic_sort
    params = {
        "q": q, "mode": mode, "sort": sort, "since": since, "until": until, "source": source,
        "exact": "1" if exact else "", "dedupe": "1" if dedupe else "", "view": "" if view == "results" else view, **chosen,
    }
    context: dict = {"params": params, "offset": offset, "page_size": PAGE_SIZE, "view": view, "options": options, "chosen": chosen, "kwic_sort": kwic_sort}
    corpus: Corpus = request.app.state.corpus
    status = 200
    if q.strip() or browsing:
        try:
            filters = {"mode": mode, "exact": exact, "since": since or None, "until": until or None, "source": source, "dedupe": dedupe}
            results = await run_in_threadpool(
                corpus.search, q, limit=PAGE_SIZE, offset=offset if view == "results" else 0,
                sort="-date" if browsing and sort == "relevance" else sort, facets=PAGE_FACETS,
                did_you_mean=True, **filters,
            )
            counts = await run_in_threadpool(source_counts, corpus, q, (results.facets or {}).get("source", {}), filters)
            context["source_choices"] = source_choices(counts, source)
            context.update(await run_in_threadpool(tab_context, corpus, view, q, offset, options, results.total, kwic_sort, **filters))
            if q.strip() and view == "results":  # how its words were understood (a listing by filters alone has none)
                context["explanation"] = await run_in_threadpool(corpus.explanation, q, mode, exact)
        except QueryError as error:
            status = 400
            context["query_error"] = {
                "message": in_arabic(error.message), "notes": notes(error.hint),
                "where": where(q, error.position), "query": error_in_query(q, error.position),
            }
        except CorpusError as error:
            api_error = as_api_error(error)
            status = api_error.status
            context["error"] = in_arabic(api_error.message)
        else:
            context.update(results=results, bars=chart_bars(results.facets or {}, since, until), chart=(CHART_WIDTH, CHART_HEIGHT))
            context["filter_notes"] = [in_arabic(worded(note, Surface.SERVER)) for note in results.notes]  # a source spelt wrong
    return render(request, "search.html", status=status, **context)


@router.get("/articles/{article_id:path}")
async def article_page(
    request: Request,
    article_id: Annotated[str, Path()],
    q: str = "",
    mode: Literal["all", "any"] = "all",
    exact: bool = False,
) -> Response:
    corpus: Corpus = request.app.state.corpus
    try:
        found = await run_in_threadpool(corpus.article, article_id, q or None, mode=mode, exact=exact)
    except QueryError:  # the search page shows the query's error; here the article without marks
        found = await run_in_threadpool(corpus.article, article_id)
    if found is None:
        return render(request, "error.html", status=404, status_code=404, message=f"لا توجد مقالة بالمعرّف «{article_id[:200]}»")
    asked = request.query_params
    back = {name: asked.getlist(name) if name == "source" else asked.get(name, "") for name in SEARCH_PARAMETERS}  # the results it was opened from
    like = await run_in_threadpool(corpus.similar, found.id, limit=SIMILAR_SHOWN)
    return render(request, "article.html", article=found, back=back, safe_url=_web_link(found.url), similar=like)


@router.get("/docs")
def api_docs(request: Request) -> Response:
    """The OpenAPI description as a page, rendered here (Swagger UI would load from a CDN)."""
    schema = request.app.openapi()
    return render(request, "docs.html", schema=schema)


def form_day(value: str, name: str) -> str:
    """A ``since``/``until`` from the address as the page's date field can show it: a month
    or a year (which the API takes) as its first or last day, the same filter; a value the
    library refuses is kept as it is, for the page to report."""
    try:
        bound = date_bounds(value, None)[0] if name == "since" else date_bounds(None, value)[1]
    except UsageError:
        return value
    return bound.date().isoformat() if bound else value


def _web_link(url: str) -> str | None:
    """``url`` if it is an http(s) address; anything else (``javascript:``) is shown as text only."""
    return url if url.lower().startswith(("http://", "https://")) else None
