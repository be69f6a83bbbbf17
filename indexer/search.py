"""Running a query: searcher reuse, filters, ranking, paging, hits with snippets."""

from __future__ import annotations

import calendar
import re
import threading
import time
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import asdict, dataclass, field, replace
from datetime import date, datetime
from datetime import time as dtime
from pathlib import Path

import numpy as np
from whoosh.searching import Searcher

from indexer.analysis.analyzers import words_with_forms
from indexer.errors import Surface, UsageError, given, option, worded
from indexer.facets import Facets, count_facets
from indexer.highlight import highlight_spans, snippet_words
from indexer.query import Highlights, highlight_terms
from indexer.query.execute import Reads, match
from indexer.query.dates import HIJRI_YEARS
from indexer.query.highlight import TermMark
from indexer.query.nodes import And, DateRange, Node, Required
from indexer.query.plan import AllOf, AnyOf, DateSpan, Literal, Plan
from indexer.store.postings import posting_arrays
from indexer.snippets import WINDOW_WORDS, make_snippet
from indexer.store.location import reading
from indexer.store.schema import BODY, BODY_EXACT, DATE, ID, SOURCE, TITLE, URL
from indexer.store.stats import MISSING_DATE, index_dates, index_id_ranks, index_ids

SORTS = ("relevance", "date", "-date")
MODES = ("all", "any")


@dataclass(frozen=True)
class Hit:
    """One matching article, with a snippet of its body and highlight spans into it."""

    id: str
    score: float
    title: str
    date: str | None
    source: str
    url: str
    snippet: str
    highlights: list[tuple[int, int]]
    title_highlights: list[tuple[int, int]] = field(default_factory=list)

    def to_dict(self) -> dict:
        """The hit as JSON-ready data (spans as [start, end] lists), as ``Results.to_dict``
        gives each hit: for a task queue's result or an API's response."""
        data = asdict(self)
        data["highlights"] = [list(span) for span in self.highlights]
        data["title_highlights"] = [list(span) for span in self.title_highlights]
        data["score"] = round(self.score, 4)
        return data


@dataclass
class Results:
    """A page of hits; ``total`` counts every matching document, not just this page, and
    so does ``facets`` (None unless asked for; see ``indexer.facets``).
    ``missing_shards``: when partial results were asked for, the shards left out
    because they could not answer (None when they were not asked for)."""

    query: str
    total: int
    took_ms: float
    hits: list[Hit]
    facets: Facets | None = None
    deduplicated: bool = False  # one article per identical body (`dedupe`)
    #: "Did you mean": the query respelled, when it finds little and that finds more.
    suggestion: str | None = None
    missing_shards: list[str] | None = None
    #: Why the answer may be emptier than meant: a named source no article comes from
    #: (``indexer.source_names``), each a ``Message`` that a surface words its own way.
    notes: list[str] = field(default_factory=list)

    def __iter__(self) -> Iterator[Hit]:
        return iter(self.hits)

    def __len__(self) -> int:
        return len(self.hits)

    def to_dict(self, surface: Surface = Surface.LIBRARY) -> dict:
        """The page as JSON-ready data (``Hit.to_dict`` for each hit), as the CLI's
        ``--json`` and the server's API give it; ``notes`` worded for ``surface``."""
        data = {
            "query": self.query,
            "total": self.total,
            "took_ms": round(self.took_ms, 2),
            "deduplicated": self.deduplicated,
            "suggestion": self.suggestion,
            "hits": [hit.to_dict() for hit in self.hits],
            "notes": [worded(note, surface) for note in self.notes],
        }
        if self.facets is not None:
            data["facets"] = self.facets
        if self.missing_shards is not None:
            data["missing_shards"] = self.missing_shards
        return data


class SearcherPool:
    """One Whoosh searcher per thread, reopened when the index changes or is swapped.

    A searcher keeps its segments' files open until it is closed, so whenever the pool
    opens a searcher it also closes those of threads that have ended (a server that
    starts a thread per request would otherwise keep one open per request). Within
    ``in_use``, a searcher this thread replaces stays open until the outermost
    ``in_use`` ends: a call may still hold it (a view counts with one searcher and plans
    with the next ``get``).
    """

    def __init__(self) -> None:
        self._local = threading.local()
        self._open: dict[threading.Thread, Searcher] = {}
        self._lock = threading.Lock()

    def get(self, generation: Path) -> Searcher:
        """This thread's searcher of ``generation``, up to date with the index."""
        cached = getattr(self._local, "entry", None)
        if cached is not None:
            cached_generation, searcher = cached
            if cached_generation == generation and searcher.up_to_date():
                return searcher
            # Changed or swapped out: a new searcher (``_keep`` closes this one). Whoosh trap:
            # Searcher.refresh() reuses segment readers by segment id, so a segment that has
            # since lost documents keeps its old deletions, and segments merged away come back
            # (deleted articles found, replaced ones found twice).
        searcher = _open(generation)
        self._keep(searcher)
        self._local.entry = (generation, searcher)
        return searcher

    @contextmanager
    def in_use(self) -> Iterator[None]:
        """Mark this thread as using its searchers until the block ends (it may nest)."""
        local = self._local
        local.depth = getattr(local, "depth", 0) + 1
        try:
            yield
        finally:
            local.depth -= 1
            if not local.depth:
                retired, local.retired = getattr(local, "retired", []), []
                for old in retired:
                    old.close()

    def busy(self) -> bool:
        """Whether this thread is within ``in_use``."""
        return getattr(self._local, "depth", 0) > 0

    def _keep(self, searcher: Searcher) -> None:
        """Track ``searcher`` as this thread's; close the one it replaces (once this
        thread's call ends, within ``in_use``) and those of threads that have ended."""
        this = threading.current_thread()
        with self._lock:
            replaced = self._open.pop(this, None)
            ended = [self._open.pop(t) for t in list(self._open) if not t.is_alive()]
            self._open[this] = searcher
        if replaced is not None and self.busy():
            self._local.retired = [*getattr(self._local, "retired", []), replaced]
        elif replaced is not None:
            ended.append(replaced)
        for old in ended:
            old.close()

    def close(self) -> None:
        """Close every thread's searcher; the next ``get`` in each thread opens a new one.
        Only when no thread is using them: a search in flight would fail (``Corpus.close``
        leaves it to the last call to end)."""
        with self._lock:
            searchers = list(self._open.values())
            self._open.clear()
            self._local = threading.local()
        for searcher in searchers:
            searcher.close()


def _open(generation: Path) -> Searcher:
    """A new searcher of ``generation`` (see ``location.reading`` for the retries)."""
    return reading(generation, lambda index: index.searcher())


def date_bounds(
    since: date | datetime | str | None, until: date | datetime | str | None
) -> tuple[datetime | None, datetime | None]:
    """``since`` and ``until`` as inclusive datetimes: a day means the whole day. A
    ``since`` after ``until`` is a ``UsageError`` naming both: the range holds no date, and
    a search that silently finds nothing would look like an archive without the word."""
    start, end = _bound(since, "since", start=True), _bound(until, "until", start=False)
    if start is not None and end is not None and start > end:
        raise UsageError(
            given("since", since), " is after ", given("until", until), ", so no date can match both: did you swap them?"
        )
    return start, end


def check_query_dates(
    node: Node | None, mode: str, since: date | datetime | str | None, until: date | datetime | str | None
) -> None:
    """A ``UsageError`` when a ``date:`` every match of the query tree ``node`` must meet
    lies wholly outside ``since``..``until`` (``date:2014`` with ``since='2015'``): as with
    a ``since`` after ``until``, nothing can match, and the empty answer would look like
    an archive without the word. A ``date:`` that is one choice of several is left alone."""
    start, end = date_bounds(since, until)
    if node is None or (start is None and end is None):
        return
    for span in _required_dates(node, mode):
        if start is not None and span.end is not None and span.end < start:
            raise UsageError(f"the query's date:{span.spec} ends before ", given("since", since), " begins, so no date can match both")
        if end is not None and span.start is not None and span.start > end:
            raise UsageError(f"the query's date:{span.spec} begins after ", given("until", until), " ends, so no date can match both")


def _required_dates(node: Node, mode: str) -> Iterator[DateRange]:
    """The ``date:`` terms of ``node`` that every match meets: the query itself, a ``+date:``,
    or one of the terms joined by AND (juxtaposed terms are a choice in mode "any")."""
    if isinstance(node, DateRange):
        yield node
    elif isinstance(node, Required):
        yield from _required_dates(node.child, mode)
    elif isinstance(node, And):
        optional = node.implicit and mode == "any"
        for child in node.children:
            if isinstance(child, Required) or not optional:
                yield from _required_dates(child, mode)


_YEAR_MONTH = re.compile(r"([0-9]{4})(?:-([0-9]{1,2}))?")
#: Arabic-Indic and Eastern Arabic-Indic digits as ASCII, as a query's ``date:`` reads them.
_DIGITS = str.maketrans("٠١٢٣٤٥٦٧٨٩۰۱۲۳۴۵۶۷۸۹", "0123456789" * 2)


def _bound(value: date | datetime | str | None, name: str, start: bool) -> datetime | None:
    """A day as itself; a month (``2015-08``) or a year (``2015``) as its first day for
    ``since`` and its last for ``until``, as ``date:2015-08`` reads in a query."""
    if value is None or (isinstance(value, str) and not value.strip()):
        return None  # an empty filter is none, as an empty form field or API parameter is
    if isinstance(value, datetime):
        return value
    if isinstance(value, date):
        day = value
    else:
        text = str(value).strip().translate(_DIGITS)
        try:
            partial = _YEAR_MONTH.fullmatch(text)
            if partial:
                year, month = int(partial[1]), int(partial[2]) if partial[2] else None
                if start:
                    day = date(year, month or 1, 1)
                else:
                    month = month or 12
                    day = date(year, month, calendar.monthrange(year, month)[1])
            else:
                day = date.fromisoformat(text)
        except ValueError:
            raise UsageError(option(name), f" takes a date as YYYY-MM-DD, YYYY-MM or YYYY, not {value!r}") from None
        if day.year in HIJRI_YEARS:
            raise UsageError(
                given(name, value), f" reads as the Gregorian year {day.year}, before any news:"
                " dates are Gregorian (a Hijri date must be converted first)"
            )
    return datetime.combine(day, dtime.min if start else dtime.max)


def run(
    searcher: Searcher,
    text: str,
    plan: Plan | None,
    node,
    *,
    limit: int,
    offset: int,
    sort: str,
    since: datetime | None,
    until: datetime | None,
    sources: list[str],
    exact: bool,
    started: float,
    one_copy_each: Callable[[np.ndarray], np.ndarray] | None = None,
    facets: tuple[str, ...] = (),
) -> Results:
    """Search, page and build hits with snippets, and count ``facets`` over every match;
    ``started`` is a perf_counter() stamp. Without ``plan`` (and ``node``), the filters
    alone choose the hits. ``one_copy_each``: a mask of the matches to keep
    (``--dedupe``), given their docnums."""
    reads: Reads = {}
    ranking = rank(
        searcher, plan, limit=limit, offset=offset, sort=sort, since=since, until=until,
        sources=sources, one_copy_each=one_copy_each, reads=reads,
    )
    docnums, scores = ranking.docnums, ranking.scores
    hits = page_hits(searcher, node, exact, [int(docnums[i]) for i in ranking.page], [float(scores[i]) for i in ranking.page], reads)
    counted = count_facets(searcher, docnums, facets) if facets else None
    took_ms = (time.perf_counter() - started) * 1000
    return Results(
        query=text, total=len(docnums), took_ms=took_ms, hits=hits, facets=counted, deduplicated=one_copy_each is not None
    )


@dataclass(frozen=True)
class Ranking:
    """Every match of a search (``docnums`` and their ``scores``) and, in order, where
    the hits of the page asked for are among them (``page``)."""

    docnums: np.ndarray
    scores: np.ndarray
    page: list[int]


def rank(
    searcher: Searcher,
    plan: Plan | None,
    *,
    limit: int,
    offset: int,
    sort: str,
    since: datetime | None = None,
    until: datetime | None = None,
    sources: Sequence[str] = (),
    one_copy_each: Callable[[np.ndarray], np.ndarray] | None = None,
    reads: Reads | None = None,
) -> Ranking:
    """The search itself, before anything is read for display: every match of ``plan``
    under the filters, and the page's hits in order (see ``run`` for the arguments;
    ``reads`` collects what scoring read, for the page's snippets)."""
    docnums, scores = match(searcher, with_filters(plan, since, until, sources), {} if reads is None else reads)
    if one_copy_each is not None:
        kept = one_copy_each(docnums)
        docnums, scores = docnums[kept], scores[kept]
    page = [i for _, i in top(searcher, docnums, scores, sort, offset + limit)][offset:]
    return Ranking(docnums, scores, page)


def with_filters(plan: Plan | None, since: datetime | None, until: datetime | None, sources: Sequence[str]) -> Plan:
    """``plan`` restricted to a date range and to any of ``sources``, when given; the
    filters alone without ``plan``."""
    parts: list[Plan] = [] if plan is None else [plan]
    if since is not None or until is not None:
        parts.append(DateSpan(since, until))
    if sources:
        literals = tuple(dict.fromkeys(Literal(SOURCE, s.casefold()) for s in sources))
        parts.append(literals[0] if len(literals) == 1 else AnyOf(literals))
    if not parts:
        raise UsageError("nothing to search for: give words or a filter")
    return parts[0] if len(parts) == 1 else AllOf(tuple(parts))


#: What orders hits: compared as tuples, smallest first (see ``top``).
RankKey = tuple


def top(searcher: Searcher, docnums: np.ndarray, scores: np.ndarray, sort: str, wanted: int) -> list[tuple[RankKey, int]]:
    """The first ``wanted`` hits as (rank key, where in ``docnums``), in order: best score
    first, or by date (undated articles last either way); ties go to the smaller article
    id. Keys compare across indexes, so the hits of several shards merge by them into
    the order one index of all their articles gives."""
    if wanted <= 0 or not len(docnums):
        return []
    reader = searcher.reader()
    ids = index_ids(reader)
    ranks = index_id_ranks(reader)

    def id_ranks(where: np.ndarray) -> np.ndarray:
        return ranks[docnums[where]]

    if sort == "relevance":
        chosen = _smallest(-scores.astype(np.float64, copy=False), id_ranks, wanted)
        return [((-float(scores[i]), ids[docnums[i]]), i) for i in chosen.tolist()]
    values = index_dates(reader)[docnums]
    undated = values >= MISSING_DATE
    dates = np.where(undated, 0, values.astype(np.int64))  # dated values are below 2**63
    if sort == "-date":
        dates = -dates
    # One key: undated last, since no dated value reaches the largest int64.
    chosen = _smallest(np.where(undated, np.iinfo(np.int64).max, dates), id_ranks, wanted)
    return [((int(undated[i]), int(dates[i]), ids[docnums[i]]), i) for i in chosen.tolist()]


#: Pools this small are sorted whole: one sort costs less than choosing the candidates.
_SORTED_WHOLE = 256


def _smallest(primary: np.ndarray, secondary: Callable[[np.ndarray], np.ndarray], wanted: int) -> np.ndarray:
    """Where the ``wanted`` smallest (primary, secondary) pairs are, in order;
    ``secondary`` gives the (distinct) secondary values at some positions, asked only
    for the candidates. Linear in the pool: a date range ties thousands."""
    if wanted < len(primary) and len(primary) > _SORTED_WHOLE:
        bound = np.partition(primary, wanted - 1)[wanted - 1]
        below = np.flatnonzero(primary < bound)
        tied = np.flatnonzero(primary == bound)
        need = wanted - len(below)
        if need < len(tied):
            tied = tied[np.argpartition(secondary(tied), need - 1)[:need]]
        candidates = np.concatenate([below, tied])
    else:
        candidates = np.arange(len(primary))
    return candidates[np.lexsort((secondary(candidates), primary[candidates]))][:wanted]


def page_hits(searcher: Searcher, node, exact: bool, docnums: list[int], scores: list[float], reads: Reads | None = None) -> list[Hit]:
    """The hits of ``docnums`` (with their ``scores``), snippets marked with the words of
    the query tree ``node`` (none without one); ``reads``: what the search found while
    scoring, if kept."""
    marks = Highlights() if node is None else highlight_terms(node, exact=exact)
    body_words = _BodyWords(searcher, marks, docnums, reads or {})
    return [
        _hit(score, searcher.stored_fields(docnum), marks, body_words.marks_for(docnum))
        for score, docnum in zip(scores, docnums)
    ]


class _BodyWords:
    """Which of the query's words the bodies of some documents hold, asked of the index.

    A snippet is read word by word until every marked word has shown up; a word found
    only in the title (or an OR's other branch) would otherwise have the whole body
    analyzed in vain, most of the time of a page of hits."""

    _FIELD = {"stem": BODY, "exact": BODY_EXACT}

    def __init__(self, searcher: Searcher, marks: Highlights, docnums: list[int], reads: Reads) -> None:
        """``reads``: what the search found while scoring (``execute.match``), asked first."""
        self._marks = marks
        # Phrases and NEAR have the whole body read anyway (highlight.snippet_words).
        terms = [] if marks.phrases or marks.nears else [m for m in marks.terms if m.field in (None, BODY)]
        self._holding: dict[TermMark, set[int]] = {}
        if not docnums:
            return
        wanted = np.array(sorted(docnums), dtype=np.intp)
        unread = []
        for mark in terms:
            key = (self._FIELD[mark.kind], mark.form.encode("utf-8"))
            if key in reads:
                found = np.concatenate(reads[key])
                self._holding[mark] = set(found[np.isin(found, wanted)].tolist())
            else:
                unread.append((mark, key))
                self._holding[mark] = set()
        if not unread:
            return
        for leaf, offset in searcher.leaf_searchers():
            reader = leaf.reader()
            local = wanted[(wanted >= offset) & (wanted < offset + reader.doc_count_all())] - offset
            if not len(local):
                continue
            for mark, (field_name, btext) in unread:
                if (field_name, btext) in reader:
                    # Not Whoosh's skip_to(): it steps through a block one posting at a time.
                    found = posting_arrays(reader, field_name, btext, local)[0]
                    self._holding[mark].update((found[np.isin(found, local)] + offset).tolist())

    def marks_for(self, docnum: int) -> Highlights:
        """The marks to look for in the body of ``docnum``: without the words it lacks."""
        absent = {mark for mark, holding in self._holding.items() if docnum not in holding}
        return replace(self._marks, terms=self._marks.terms - absent) if absent else self._marks


def _hit(score: float, stored: dict, marks: Highlights, body_marks: Highlights) -> Hit:
    body = stored.get(BODY) or ""
    title = stored.get(TITLE) or ""
    words, more = snippet_words(body_marks, body, BODY, WINDOW_WORDS)
    snippet, highlights = make_snippet(body, words, highlight_spans(marks, words, BODY), more=more)
    date = stored.get(DATE)
    return Hit(
        id=stored.get(ID, ""),
        score=float(score),
        title=title,
        date=date.isoformat() if date else None,
        source=stored.get(SOURCE, ""),
        url=stored.get(URL, ""),
        snippet=snippet,
        highlights=highlights,
        title_highlights=highlight_spans(marks, words_with_forms(title), TITLE),
    )
