"""``Corpus``: the one object an application (or the CLI) talks to.

It owns nothing global: every method opens what it needs and closes it, except the
searcher used by ``search``, which is reused until the index changes and closed by
``close()`` (or leaving a ``with`` block).
"""

from __future__ import annotations

import functools
import os
import threading
import time
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from pathlib import Path

from datetime import date, datetime

from whoosh.index import FileIndex

from indexer import analysis
from indexer.arguments import checker, one_or_many
from indexer.directories import refuse_foreign_files, refuse_index_as_source
from indexer.errors import Message, UsageError, given, option
from indexer.facets import check_facets
from indexer.fulltext import FullArticle, find_article
from indexer.limits import DEFAULT_LIMITS, Limits
from indexer.query import build as build_query
from indexer.query import highlight_terms
from indexer.query import QueryError, compile_query
from indexer.query import parse_lenient as parse_query_leniently
from indexer.query import suggest
from indexer.query import ranking
from indexer.query.understand import understand
from indexer.query import explain as explain_query
from indexer.wordinfo import Explanation, WordInfo, explain_patterns, explain_words
from indexer.written import written_forms
from indexer.query import parse as parse_query
from indexer.search import MODES, SORTS, Results, SearcherPool, check_query_dates, date_bounds
from indexer.similar import like_query, subject_words
from indexer.search import run as run_search
from indexer.filters import source_list
from indexer.source_names import unknown_source_notes
from indexer.progress import Progress
from indexer.sources import FORMATS, Article, Notice, Skip, SourceError, read_sources, source_bytes, within_article_limit
from indexer.sources.fields import FieldMap, record_to_article
from indexer.store import IndexReport, Location, Stats, Synchronizer, read_meta
from indexer.store.location import open_generation, reading
from indexer.store.schema import BODY_EXACT
from indexer.store.stats import collect
from indexer.shards.layout import Manifest, is_sharded, shard_of
from indexer.shards.searching import ShardedSearch
from indexer.shards.transport import connect
from indexer.shards.writing import index_sharded, routed, write_each
from indexer.views.api import ViewsMixin
from indexer.views.selection import one_copy_each
from indexer.store.writing import write_index

DEFAULT_INDEX = "index"
DEFAULT_SOURCES = ("corpus",)


def default_index_path() -> Path:
    """``$CORPUS_INDEX`` when set, else ``index/`` in the working directory."""
    return Path(os.environ.get("CORPUS_INDEX") or DEFAULT_INDEX)


def _call(method: Callable) -> Callable:
    """A public method: its arguments checked (``indexer.arguments``), refused once the
    Corpus is closed, and counted while it runs so that ``close`` leaves the searchers it
    uses open until it ends."""
    check = checker(method)

    @functools.wraps(method)
    def counted(self: Corpus, *args, **kwargs):  # type: ignore[no-untyped-def]
        check((self, *args), kwargs)
        with self._in_call():
            return method(self, *args, **kwargs)

    return counted


class Corpus(ViewsMixin):
    """A searchable corpus stored in one index directory.

    >>> corpus = Corpus("index")                       # doctest: +SKIP
    >>> report = corpus.index(["corpus/"])            # doctest: +SKIP
    >>> corpus.search("وزير الخارجية").total          # doctest: +SKIP
    """

    def __init__(self, path: str | os.PathLike | None = None, cluster: str | object | None = None) -> None:
        """The index at ``path`` (default: ``default_index_path()``); nothing is opened
        until a call needs it, so the directory need not exist yet (``index`` or ``add``
        makes it; a search before then raises ``CorpusError``: no index there).

        ``cluster``: a Dask scheduler address (``tcp://host:8786``), a Dask cluster or
        client. With it, each shard is searched by a Dask actor on a worker, and
        ``index`` builds the shards as Dask tasks; without it, all in this process."""
        if path is not None and not isinstance(path, (str, os.PathLike)):
            raise UsageError(f"the index path must be a str or a path, not {type(path).__name__}")
        self.location = Location(Path(path) if path is not None else default_index_path())
        self._searchers = SearcherPool()
        self._cluster = cluster
        self._client = None
        self._owns_client = False
        self._sharded: ShardedSearch | None = None
        self._sharded_lock = threading.Lock()
        self._calls = 0  # public calls running, in every thread
        self._closed = False
        self._calls_lock = threading.Lock()

    @property
    def path(self) -> Path:
        """The index directory, as given."""
        return self.location.root

    # --- writing --------------------------------------------------------------------------

    @_call
    def index(
        self,
        sources: str | os.PathLike | Sequence[str | os.PathLike] = DEFAULT_SOURCES,
        prune: bool = False,
        rebuild: bool = False,
        fields: Mapping[str, str] | None = None,
        encoding: str | None = None,
        file_format: str | None = None,
        wait: float = 0.0,
        progress: Progress | None = None,
        follow_links: bool = False,
        limits: Limits = DEFAULT_LIMITS,
        shards: int | None = None,
    ) -> IndexReport:
        """Bring the index in line with ``sources``: add new, replace changed, skip unchanged.

        ``prune`` also deletes articles whose ids no source mentions; ``rebuild`` builds a
        fresh index and swaps it in atomically. Bad records are reported, never fatal. A file
        in a directory whose extension is not a format's is skipped and reported unless
        ``file_format`` names the format to read it as. A link to a file outside its SOURCE
        is skipped and reported unless ``follow_links``. Files, lines and articles over
        ``limits`` are skipped and reported (`indexer.limits`). ``progress`` hears of the
        bytes and articles read, each step that writes, and each commit (see
        ``indexer.progress``).

        ``shards``: split the index into this many shards, written in parallel (an
        existing index keeps its count unless ``rebuild``; 1 is one index, unsharded).
        """
        sources = one_or_many(sources)
        self.location.refuse_file()
        self.location.refuse_generation()
        refuse_foreign_files(self.path)
        missing = [Path(s) for s in sources if not Path(s).exists()]
        if missing:
            named = ", ".join(f"{s} ({s.absolute()})" if not s.is_absolute() else str(s) for s in missing)
            default = " (with none named, corpus/ in the working directory is read)" if list(sources) == list(DEFAULT_SOURCES) else ""
            raise UsageError(f"no such source: {named}; name the files or directories to index{default}")
        progress = progress or Progress()
        paths = [Path(s) for s in sources]
        refuse_index_as_source(paths)
        if shards is not None and shards < 1:
            raise UsageError(option("shards"), f" must be at least 1, not {shards}")
        if file_format is not None and file_format not in FORMATS:
            raise UsageError(given("file_format", file_format, flag="--format"), f" is not a format: use one of {', '.join(FORMATS)}")
        if (shards or 1) > 1 or (shards is None and is_sharded(self.location.live_generation())) or self._cluster is not None:
            return index_sharded(
                self.location, paths, shards=shards, prune=prune, rebuild=rebuild, fields=fields,
                encoding=encoding, file_format=file_format, follow_links=follow_links, limits=limits, wait=wait,
                client=self._dask(), progress=progress,
            )
        try:
            items = read_sources(
                paths, fields=fields, encoding=encoding, follow_links=follow_links, limits=limits,
                on_bytes=lambda n: progress.read(nbytes=n), file_format=file_format,
            )
        except SourceError as error:
            raise UsageError(str(error)) from error

        def work(sync: Synchronizer) -> None:
            progress.start(source_bytes(paths, follow_links))
            _sync_sources(sync, items, prune)

        return write_index(self.location, work, rebuild, wait, progress, limits)

    @_call
    def add(
        self, articles: Article | Mapping | Iterable[Article | Mapping], wait: float = 0.0, limits: Limits = DEFAULT_LIMITS
    ) -> IndexReport:
        """Add or replace articles (matched by id); unchanged ones are skipped. One
        article may be given alone, not in a list.

        Each item is an ``Article`` or a mapping with the usual field names (``id``,
        ``title``, ``body``, ``date``, ``source``, ``url``); a mapping without an id or
        without text, or an article over ``limits.article`` bytes, is skipped and reported.
        """
        self.location.refuse_file()
        self.location.refuse_generation()
        refuse_foreign_files(self.path)
        if isinstance(articles, (Article, Mapping)):
            articles = [articles]
        items = _as_articles(articles, limits.article)
        live = self.location.live_generation()
        if is_sharded(live):
            manifest = Manifest.read(live)
            shares = routed(items, manifest.count)
            return write_each(self.location, manifest, live, {k: _consumer(v) for k, v in shares.items()}, wait)
        return write_index(self.location, lambda sync: sync.consume(items), False, wait, None, limits)

    @_call
    def delete(self, ids: str | Iterable[str], wait: float = 0.0) -> IndexReport:
        """Delete articles by id (one id, or any iterable of them); ids not in the index are
        ignored (the report counts deletions)."""
        ids = one_or_many(ids)
        live = self.location.require_live_generation()
        if is_sharded(live):
            manifest = Manifest.read(live)
            by_shard: dict[int, list[str]] = {}
            for doc_id in ids:
                by_shard.setdefault(shard_of(doc_id, manifest.count), []).append(doc_id)
            return write_each(self.location, manifest, live, {k: _deleter(v) for k, v in by_shard.items()}, wait)
        return write_index(self.location, lambda sync: sync.delete(ids), False, wait, None)

    # --- reading --------------------------------------------------------------------------

    @_call
    def open_index(self) -> FileIndex:
        """The live Whoosh index (checked for a compatible analyzer); not of a sharded one."""
        generation = self.location.require_live_generation()
        if is_sharded(generation):
            raise UsageError(f"the index at {self.path} is sharded: it is no one Whoosh index to open")
        return open_generation(generation)

    @_call
    def stats(self) -> Stats:
        """Document count, per-source counts, date range, size, last update, analyzer version."""
        sharded = self._shards()
        if sharded is not None:
            return sharded.stats()
        generation = self.location.require_live_generation()
        meta = read_meta(generation)
        return reading(generation, lambda index: collect(index, generation, meta, self.location.root))

    @_call
    def search(
        self,
        query: str,
        limit: int = 10,
        offset: int = 0,
        mode: str = "all",
        exact: bool = False,
        sort: str | None = None,
        since: date | datetime | str | None = None,
        until: date | datetime | str | None = None,
        source: str | Sequence[str] | None = None,
        facets: str | Iterable[str] = (),
        dedupe: bool = False,
        partial: bool = False,
        did_you_mean: bool = False,
    ) -> Results:
        """Ranked hits for ``query`` (see the README for the query language); ``dedupe``
        keeps one article per identical body (the earliest dated, then the smallest id).

        ``since`` and ``until`` take a day, a month (``2015-08``) or a year, inclusive;
        ``source`` one source name or several (any of them); an empty value is no filter
        (`indexer.filters`, as for the views). An empty ``query`` with a
        filter finds every article the filters admit. ``sort`` is ``relevance`` by
        default, and ``-date`` (newest first) for filters alone.

        ``facets`` (any of ``indexer.facets.FACETS``: "source", "month", "year") are
        counted over every matching article into ``Results.facets``.

        With ``did_you_mean``, when the query finds fewer than ``suggest.FEW_HITS`` articles
        and a close spelling of its words finds more, ``Results.suggestion`` holds that query.
        Asked for, not automatic: looking for it scans lexicon slices and runs the respelled
        query, several times the cost of a rare word's search (the CLI and the server ask).

        Raises ``QueryError`` (a ``UsageError``) for a query that cannot be read, naming
        the position of the problem. Safe to call from several threads at once.

        A sharded index answers as one index of the same articles would. A shard that
        cannot answer fails the search with an error naming it, unless ``partial``: then
        the other shards answer and ``Results.missing_shards`` names those left out.
        """
        facets = one_or_many(facets)
        results = self._search(query, limit, offset, mode, exact, sort, since, until, source, dedupe, facets, partial)
        if did_you_mean and results.total < suggest.FEW_HITS and not exact and query.strip():
            results.suggestion = self._suggestion(query, results.total, mode, since, until, source, dedupe, partial)
        results.notes = self._source_notes(source, partial)
        return results

    @staticmethod
    def _check_query_dates(query: str, mode: str, since, until) -> None:  # type: ignore[no-untyped-def]
        """A ``UsageError`` when the query's own ``date:`` cannot meet ``since``/``until``
        (``search.check_query_dates``). A query that cannot be read is left to the search,
        which says where."""
        try:
            node = parse_query_leniently(query)[0] if mode == "any" else parse_query(query)
        except QueryError:
            return
        check_query_dates(node, mode, since, until)

    def _source_notes(self, source: str | Sequence[str] | None, partial: bool = False) -> list[Message]:
        """A note for each named source no article of the index comes from, with the
        index's source spelt like it (``indexer.source_names``): the filter alone finds nothing."""
        return unknown_source_notes(
            source_list(source),
            lambda name: self._search("", 0, 0, "all", False, None, None, None, name, False, partial=partial).total,
            lambda: self.stats().sources,
        )

    def _suggestion(self, query: str, total: int, mode: str, since, until, source, dedupe: bool, partial: bool) -> str | None:  # type: ignore[no-untyped-def]
        """The query with its rare words respelled, when that finds more than ``total``."""
        reader = self._reader(partial)
        node = parse_query_leniently(query)[0] if mode == "any" else parse_query(query)
        fixes = suggest.corrections(node, query, reader, BODY_EXACT, analysis) if node is not None else []
        if not fixes:
            return None
        respelled = suggest.corrected(query, fixes, written_forms(reader, (fix.form for fix in fixes)))
        try:
            found = self._search(respelled, 0, 0, mode, False, "relevance", since, until, source, dedupe, (), partial).total
        except UsageError:
            return None
        return respelled if found > total else None

    def _search(self, query, limit, offset, mode, exact, sort, since, until, source, dedupe, facets=(), partial=False) -> Results:  # type: ignore[no-untyped-def]
        started = time.perf_counter()
        sources = source_list(source)
        since_bound, until_bound = date_bounds(since, until)
        filters_only = not query.strip() and bool(since_bound or until_bound or sources)
        if sort is None:
            sort = "-date" if filters_only else "relevance"
        if mode not in MODES:
            raise UsageError(f"mode must be one of {', '.join(MODES)}, not {mode!r}")
        if sort not in SORTS:
            raise UsageError(f"sort must be one of {', '.join(SORTS)}, not {sort!r}")
        for name, value in (("limit", limit), ("offset", offset)):
            if value < 0:
                raise UsageError(option(name), f" must not be negative, not {value}")
        if not filters_only:
            self._check_query_dates(query, mode, since, until)
        facet_names = check_facets(facets)
        sharded = self._shards()
        if sharded is not None:
            return sharded.search(
                None if filters_only else query, text=query, limit=limit, offset=offset, mode=mode, exact=exact,
                sort=sort, since=since_bound, until=until_bound, sources=sources, facets=facet_names,
                dedupe=dedupe, partial=partial, started=started,
            )
        generation = self.location.require_live_generation()
        searcher = self._searchers.get(generation)
        node = plan = None
        if not filters_only:
            try:
                node, _ = understand(query, mode, exact, searcher.reader())
                plan = build_query(node, mode=mode, exact=exact, reader=searcher.reader())
            except QueryError as error:
                raise error if error.query is not None else error.with_query(query) from None
        results = run_search(
            searcher, query, plan, node,
            limit=limit, offset=offset, sort=sort, since=since_bound, until=until_bound,
            sources=sources, exact=exact, started=started, facets=facet_names,
            one_copy_each=(lambda docnums: one_copy_each(searcher, generation, docnums)) if dedupe else None,
        )
        if partial:
            results.missing_shards = []
        return results

    @_call
    def article(self, article_id: str, query: str | None = None, mode: str = "all", exact: bool = False) -> FullArticle | None:
        """The article with id ``article_id``, whole, or None if the index has none.

        With ``query``, every word it matches in title and body is marked
        (``FullArticle.highlights``), as in a hit's snippet; a query that cannot be read
        raises ``QueryError``. Safe to call from several threads at once.
        """
        if mode not in MODES:
            raise UsageError(f"mode must be one of {', '.join(MODES)}, not {mode!r}")
        sharded = self._shards()
        if sharded is not None:
            return sharded.article(article_id, query, mode, exact)
        searcher = self._searchers.get(self.location.require_live_generation())
        marks = None
        if query:
            try:
                node, _ = understand(query, mode, exact, searcher.reader())
            except QueryError as error:
                raise error if error.query is not None else error.with_query(query) from None
            marks = highlight_terms(node, exact=exact)
        return find_article(searcher, article_id, marks)

    @_call
    def similar(
        self,
        article_id: str,
        limit: int = 10,
        offset: int = 0,
        sort: str | None = None,
        since: date | datetime | str | None = None,
        until: date | datetime | str | None = None,
        source: str | Sequence[str] | None = None,
        facets: str | Iterable[str] = (),
        dedupe: bool = False,
        partial: bool = False,
    ) -> Results:
        """Articles on the subject of the article ``article_id``, itself left out: its
        subject words searched as a bag (mode "any"; ``indexer.similar``), ranked and
        filtered as ``search`` does. ``Results.query`` holds the query searched; it is
        empty, and so are the results, when no other article holds a word of this one.
        Raises ``UsageError`` when the index has no such article."""
        article = self.article(article_id)
        if article is None:
            raise UsageError(f"no article with id {article_id!r} in the index")
        words = subject_words(article, self._reader(partial))
        if not words:  # nothing it says is said elsewhere: no article is like it
            names = check_facets(one_or_many(facets))
            nothing = Results("", 0, 0.0, [], facets={name: {} for name in names} if names else None)
            nothing.notes = self._source_notes(source, partial)
            return nothing
        query = like_query(words, article_id)
        return self.search(
            query, limit, offset, mode="any", sort=sort, since=since, until=until, source=source,
            facets=facets, dedupe=dedupe, partial=partial,
        )

    @_call
    def explain(self, query: str, mode: str = "all", exact: bool = False) -> str:
        """How ``query`` was understood: one readable line with what was left out, then a
        line per word with the stem searched, the forms of it the index holds (with their
        article counts) and the stemmer's rule (``explain_words``), a line per wildcard or
        fuzzy word with the forms it stands for, and in mode "any" the stems each word
        also searches at a lower weight (the text of `explanation`)."""
        return str(self.explanation(query, mode, exact))

    @_call
    def explanation(self, query: str, mode: str = "all", exact: bool = False) -> Explanation:
        """What `explain` says, as a record (``Explanation.to_dict()`` is the ``explain`` of
        ``/api/search?explain=true`` and of ``corpus query --json --explain``)."""
        reader = self._reader()
        node, notes = understand(query, mode, exact, reader)
        notes += compile_query(node, mode=mode, exact=exact).notes
        siblings = (
            ranking.searched_siblings(compile_query(node, mode=mode, exact=exact, reader=reader).plan)
            if mode == "any" else {}
        )
        return Explanation(
            explain_query(node, mode=mode, notes=notes),
            tuple(explain_words(node, reader, exact)),
            tuple(explain_patterns(node, reader)),
            siblings,
            ranking.SIBLING_WEIGHT,
        )

    @_call
    def explain_words(self, query: str, mode: str = "all", exact: bool = False) -> list[WordInfo]:
        """Each word of ``query`` as searched: its stem, the rule that made it, and the
        forms of it the index holds with the number of article bodies holding each."""
        reader = self._reader()
        node, _ = understand(query, mode, exact, reader)
        return explain_words(node, reader, exact)

    def _reader(self, partial: bool = False):  # type: ignore[no-untyped-def]
        """What planning a query reads of the index: the live searcher's reader, or the
        lexicon of every shard (`FederatedReader`)."""
        sharded = self._shards()
        if sharded is not None:
            return sharded.reader(partial)
        return self._searchers.get(self.location.require_live_generation()).reader()

    def _shards(self) -> ShardedSearch | None:
        """The shards to search, when the index is sharded or served by a cluster; kept
        until a rebuild swaps in another generation."""
        live = self.location.live_generation()
        if not is_sharded(live) and self._cluster is None:
            return None
        generation = self.location.require_live_generation()
        with self._sharded_lock:
            if self._sharded is None or self._sharded.generation != generation:
                if self._sharded is not None:
                    self._sharded.close()
                self._sharded = ShardedSearch(self.location.root, generation, self._dask())
            return self._sharded

    def _dask(self):  # type: ignore[no-untyped-def]
        """The Dask client of ``cluster`` (connected on first use), or None."""
        if self._cluster is not None and self._client is None:
            self._client, self._owns_client = connect(self._cluster)
        return self._client

    def close(self) -> None:
        """Close the searchers this object opened (and its Dask client, if it made one).

        Calls already running in other threads finish first, with what they opened (the
        last of them to end closes it); any call made after ``close`` raises
        ``UsageError``. Closing twice does nothing more."""
        with self._calls_lock:
            self._closed = True
            idle = self._calls == 0
        if idle:
            self._release()

    @contextmanager
    def _in_call(self) -> Iterator[None]:
        """Run one public call (see ``_call``); one nested in another (``similar`` runs
        ``search``) is part of it, and finishes even if ``close`` came in between."""
        with self._calls_lock:
            if self._closed and not self._searchers.busy():
                raise UsageError(f"this Corpus of {self.path} is closed: make a new Corpus to use the index again")
            self._calls += 1
        try:
            with self._searchers.in_use():
                yield
        finally:
            with self._calls_lock:
                self._calls -= 1
                last = self._closed and self._calls == 0
            if last:
                self._release()

    def _release(self) -> None:
        """Close what the calls opened, once none is running."""
        self._searchers.close()
        with self._sharded_lock:
            if self._sharded is not None:
                self._sharded.close()
                self._sharded = None
        if self._owns_client and self._client is not None:
            self._client.close()
            self._client = None

    def __enter__(self) -> Corpus:
        """``with Corpus(path) as corpus:`` closes it at the end of the block."""
        return self

    def __exit__(self, *exc_info: object) -> None:
        """Close it (see ``close``); an exception from the block goes on."""
        self.close()


for _view in ("kwic", "trend", "collocates", "freq"):  # the views (indexer.views.api) are public calls too
    setattr(Corpus, _view, _call(getattr(ViewsMixin, _view)))


def _as_articles(items: Iterable[Article | Mapping], article_limit: int) -> Iterator[Article | Skip | Notice]:
    fields = FieldMap()
    for number, item in enumerate(items, start=1):
        if isinstance(item, Article):
            yield within_article_limit(item, article_limit)
            continue
        origin = f"article #{number}"
        for record in record_to_article(item, fields, origin, fallback_id=""):
            if isinstance(record, Article) and not record.id:
                yield Skip(origin, "no id: an added article needs one to be updated later")
            elif isinstance(record, Article):
                yield within_article_limit(record, article_limit)
            else:
                yield record


def _consumer(items: list) -> Callable[[Synchronizer], None]:
    return lambda sync: sync.consume(items)


def _deleter(ids: list[str]) -> Callable[[Synchronizer], None]:
    return lambda sync: sync.delete(ids)


def _sync_sources(sync: Synchronizer, items, prune: bool) -> None:
    sync.consume(items)
    if prune:
        sync.prune()
