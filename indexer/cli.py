"""The ``corpus`` command: parse options, call the library, render. No behaviour of its own."""

from __future__ import annotations

import copy
import os
import sys
import time
from contextlib import nullcontext

import click

from indexer.analysis import analyze as analyze_text
from indexer.corpus import DEFAULT_SOURCES, Corpus
from indexer.errors import CorpusError, Surface, UsageError, worded
from indexer.limits import LimitError, parse_limits
from indexer.progress import ProgressBar
from indexer.query import QueryError
from indexer.search import SORTS
from indexer.shards.tasks import StoppedOnCluster
from indexer.shards.transport import dask_logs_quiet
from indexer.store.stopping import Stopped, settle, stop_on_signals
from indexer.summary import JsonSummaryCommand, failed_summary
from indexer.sources import FORMATS, SourceError, parse_field_overrides
from indexer.options import WordsCommand, filter_options, index_option
from indexer.terminal import COLOR_CHOICES, collapse_spaces, for_people, is_dumb, not_utf8, plural, print_json, query_error_lines, wants_color, width, wrap_points
from indexer.server.command import serve
from indexer.views.commands import collocates, echo_notes, freq, kwic, trend

#: Exit code of ``corpus index --strict`` when anything was skipped.
EXIT_SKIPPED = 4


def reader_left(ctx: click.Context) -> None:
    """`corpus query ... | head`: the reader left; stop quietly with 0, like other tools."""
    os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
    ctx.exit(0)


class CorpusGroup(click.Group):
    """Turns library errors into one ``Error: ...`` line and the error's exit code."""

    def parse_args(self, ctx: click.Context, args: list[str]) -> list[str]:
        # A word in another encoding would be searched as lone surrogates, found nowhere; a
        # path is bytes, and a file may be named in any encoding.
        problem = next((p for arg in args if (p := not_utf8(arg)) and not os.path.lexists(arg)), None)
        if problem:
            raise click.UsageError(problem, ctx)
        try:
            return super().parse_args(ctx, args)
        except BrokenPipeError:  # `corpus --help | head`: click's own EPIPE handling exits 1
            reader_left(ctx)

    def invoke(self, ctx: click.Context):
        try:
            return super().invoke(ctx)
        except CorpusError as error:
            click.echo(f"Error: {error.worded(Surface.CLI)}", err=True)
            ctx.exit(error.exit_code)
        except BrokenPipeError:
            reader_left(ctx)
        except OSError as error:
            click.echo(f"Error: {error}", err=True)
            ctx.exit(1)
        except (click.exceptions.Exit, click.exceptions.Abort, click.ClickException):
            raise
        except Exception as error:  # a bug: say so in one line unless debugging
            if os.environ.get("CORPUS_DEBUG"):
                raise
            click.echo(f"Error: internal error: {type(error).__name__}: {error} (set CORPUS_DEBUG=1 for details)", err=True)
            ctx.exit(1)
        except KeyboardInterrupt:
            click.echo("Interrupted.", err=True)
            ctx.exit(130)


@click.group(cls=CorpusGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="corpus-indexer")
def main() -> None:
    """Search a full-text corpus of Arabic news articles."""




@main.command(cls=WordsCommand)
@click.argument("words", nargs=-1, metavar="[TEXT]...")
@click.option("--json", "as_json", is_flag=True, help="Print the tokens as one JSON object.")
@click.pass_context
def analyze(ctx: click.Context, words: tuple[str, ...], as_json: bool) -> None:
    """Show how TEXT (or standard input) is tokenized, folded and stemmed."""
    if words:
        text = " ".join(words)  # as echo takes them: `corpus analyze وزير الخارجية` is one text
    elif sys.stdin.isatty():
        click.echo(ctx.get_usage(), err=True)
        click.echo("Give the text as arguments or on standard input (a pipe or a file).", err=True)
        ctx.exit(2)
    else:
        text = sys.stdin.read()
    tokens = analyze_text(text)
    if as_json:
        print_json(
            {
                "tokens": [
                    {
                        "position": t.position,
                        "start": t.start,
                        "end": t.end,
                        "text": t.text,
                        "exact": t.exact,
                        "stem": t.stem,
                        "stopword": t.stopword,
                    }
                    for t in tokens
                ]
            }
        )
        return
    for t in tokens:
        flag = "\tstopword" if t.stopword else ""
        click.echo(f"{t.position}\t{t.start}-{t.end}\t{for_people(t.text)}\t{t.exact}\t{t.stem}{flag}")


@main.command(cls=JsonSummaryCommand)
@click.argument("sources", nargs=-1, type=click.Path(readable=False))
@index_option
@click.option("--prune", is_flag=True, help="Also delete articles whose ids no SOURCE mentions (mirror mode).")
@click.option("--rebuild", is_flag=True, help="Build a fresh index and swap it in atomically.")
@click.option("--field", "field_specs", multiple=True, metavar="OURS=THEIRS", help="Map a source key to a field, e.g. --field body=text.")
@click.option("--encoding", help="Decode every file with this encoding instead of detecting it.")
@click.option("--format", "file_format", type=click.Choice(FORMATS), help="Read files of other extensions (README.md, .dat) as this format.")
@click.option("--follow-links", is_flag=True, help="Read links to files outside their SOURCE (skipped by default).")
@click.option("--limit", "limit_specs", multiple=True, metavar="NAME=SIZE", help="Raise or lower a size limit: file=256M, line=64M, article=8M, listed=1000 (the defaults).")
@click.option("--wait", type=click.FloatRange(min=0), default=0, show_default=True, help="Seconds to wait for a busy index.")
@click.option("--strict", is_flag=True, help=f"Exit with code {EXIT_SKIPPED} when anything was skipped.")
@click.option("--json", "as_json", is_flag=True, help="Print the summary as one JSON object on stdout.")
@click.option("--quiet", "-q", is_flag=True, help="No progress bar and no text summary.")
@click.option("--shards", type=click.IntRange(min=1), help="Split the index into N shards built in parallel (a new count needs --rebuild).")
@click.option("--cluster", metavar="ADDRESS", help="Build the shards as tasks of this Dask scheduler (tcp://HOST:8786).")
def index(sources, index_path, prune, rebuild, field_specs, encoding, file_format, follow_links, limit_specs, wait, strict, as_json, quiet, shards, cluster) -> None:
    """Index SOURCE files or directories (default: corpus/), incrementally."""
    started = time.monotonic()
    progress = ProgressBar(sys.stderr if not quiet and not as_json and sys.stderr.isatty() else None, ascii=is_dumb())
    corpus = Corpus(index_path, cluster=cluster)
    with stop_on_signals(), dask_logs_quiet() if cluster else nullcontext():  # SIGTERM and SIGHUP end the run as Ctrl-C does
        try:
            try:
                fields = parse_field_overrides(field_specs)
                limits = parse_limits(limit_specs)
            except (SourceError, LimitError) as error:
                raise UsageError(str(error)) from error
            report = corpus.index(
                list(sources) or list(DEFAULT_SOURCES),
                prune=prune,
                rebuild=rebuild,
                fields=fields,
                encoding=encoding,
                file_format=file_format,
                wait=wait,
                progress=progress,
                follow_links=follow_links,
                limits=limits,
                shards=shards,
            )
            settle()
        except BaseException as error:
            settle()  # a second signal must not cut the summary short
            progress.close()
            documents = documents_of(corpus)
            if as_json:
                print_json(failed_summary(error, progress, rebuild, time.monotonic() - started, documents))
            if isinstance(error, KeyboardInterrupt):
                click.echo(what_was_kept(documents, progress, rebuild, error), err=True)
                sys.exit(error.exit_code if isinstance(error, Stopped) else 130)
            raise
        finally:
            progress.close()
            corpus.close()  # and the Dask client, with --cluster
        if as_json:
            print_json(report.to_dict())
        elif not quiet:
            echo_report(report)
    if strict and report.skipped_count:
        sys.exit(EXIT_SKIPPED)


SHOWN_PROBLEMS = 20


def documents_of(corpus: Corpus) -> int | None:
    """The documents the index holds now, or None when it cannot be read. Read here, not
    through ``--cluster``'s workers: their scheduler may be what failed."""
    try:
        with Corpus(corpus.path) as files:
            return files.stats().documents
    except (CorpusError, OSError):
        return None


def what_was_kept(documents: int | None, progress: ProgressBar, rebuild: bool, stop: KeyboardInterrupt) -> str:
    """The one line of an interrupted ``corpus index``: the signal, what is in the index
    now (``documents``: None when it cannot be read), what was lost."""
    name = stop.signal_name if isinstance(stop, Stopped) else "SIGINT"
    by = f"Interrupted by {name}{' (Ctrl-C)' if name == 'SIGINT' else ''}"
    holds = "" if documents is None else f" The index holds {plural(documents, 'document')}."
    on_cluster = f" {stop.worded()}" if isinstance(stop, StoppedOnCluster) else ""
    if rebuild:
        return (
            f"{by}: the rebuild was not finished, so nothing of it is live: queries see"
            f" the index as it was.{holds} The half-built copy was removed.{on_cluster}"
        )
    if progress.last_commit is None:
        return f"{by} before this run committed anything: nothing of it was kept.{on_cluster}{holds}"
    read_by_then, (_, added, updated, deleted) = progress.last_commit
    kept = ", ".join(
        f"{count:,} {what}" for count, what in ((added, "added"), (updated, "updated"), (deleted, "deleted")) if count
    )
    since = progress.articles - read_by_then
    if since:
        lost = (
            f"Not kept: what changed among the {plural(since, 'article')} read after its last commit."
        )
    elif (progress.current_phase or "").startswith("merging"):
        lost = "Not kept: the merge of segments under way (a later run that writes merges them; no article is lost)."
    else:
        lost = "Nothing read was lost."
    if isinstance(stop, StoppedOnCluster) and stop.still_running:  # they may commit more
        settled = f"{by}. Committed as far as this command heard: {kept or 'no changes'}."
    else:
        settled = f"{by}; the index is at this run's last commit. Kept what this run committed: {kept or 'no changes'}."
    return (
        f"{settled}{on_cluster} {lost}{holds} Run the same command again to finish (what is indexed already is skipped)."
    )


def echo_report(report) -> None:
    """The end-of-run summary for people, on stderr; lists what was skipped and why."""
    click.echo(
        f"added {report.added:,}, updated {report.updated:,}, unchanged {report.unchanged:,},"
        f" deleted {report.deleted:,}, skipped {report.skipped_count:,};"
        f" {plural(report.total_documents, 'document')} in the index; {report.seconds:.1f}s",
        err=True,
    )
    kinds = (("skipped", report.skipped, report.skipped_count), ("notices", report.notices, report.notices_count))
    for title, problems, count in kinds:
        if problems:
            click.echo(f"{title}:", err=True)
            for problem in problems[:SHOWN_PROBLEMS]:
                click.echo(f"  {for_people(worded(problem.origin, Surface.CLI))}: {for_people(worded(problem.reason, Surface.CLI))}", err=True)
            if count > SHOWN_PROBLEMS:
                listed = f"--json lists {len(problems)}" if len(problems) < count else "--json lists all"
                click.echo(f"  ... and {count - SHOWN_PROBLEMS} more ({listed})", err=True)


@main.command()
@click.argument("ids", nargs=-1, required=True)
@index_option
@click.option("--wait", type=click.FloatRange(min=0), default=0, show_default=True, help="Seconds to wait for a busy index.")
@click.option("--json", "as_json", is_flag=True, help="Print the summary as one JSON object.")
def delete(ids, index_path, wait, as_json) -> None:
    """Delete articles by ID."""
    report = Corpus(index_path).delete(ids, wait=wait)
    if as_json:
        print_json(report.to_dict())
    else:
        asked = len(set(ids))
        click.echo(f"deleted {report.deleted:,} of {asked:,}; {plural(report.total_documents, 'document')} in the index", err=True)
        if report.not_found:
            shown = ", ".join(for_people(i) for i in report.not_found[:SHOWN_PROBLEMS])
            more = f" and {len(report.not_found) - SHOWN_PROBLEMS:,} more" if len(report.not_found) > SHOWN_PROBLEMS else ""
            click.echo(f"not in the index: {shown}{more}", err=True)


@main.command()
@index_option
@click.option("--json", "as_json", is_flag=True, help="Print the stats as one JSON object.")
def stats(index_path, as_json) -> None:
    """Document count, sources, date range, size, last update, analyzer version."""
    info = Corpus(index_path).stats()
    if as_json:
        print_json(info.to_dict())
        return
    click.echo(f"index:            {info.path}")
    click.echo(f"documents:        {info.documents}")
    click.echo(f"dates:            {info.date_min or '-'} .. {info.date_max or '-'} ({info.undated} undated)")
    click.echo(f"size on disk:     {info.size_bytes / 1e6:.1f} MB")
    click.echo(f"last update:      {info.last_update or '-'}")
    click.echo(f"analyzer version: {info.analyzer_version}")
    click.echo("sources:")
    for name, count in info.sources.items():
        click.echo(f"  {count:>8}  {for_people(name)}")


@main.command(cls=WordsCommand)
@click.argument("words", nargs=-1)
@index_option
@click.option("--limit", "-n", type=click.IntRange(min=0), default=10, show_default=True, help="Hits to show.")
@click.option("--offset", type=click.IntRange(min=0), default=0, show_default=True, help="Hits to skip (paging).")
@click.option("--sort", type=click.Choice(SORTS), default=None, help="Order of the hits  [default: relevance; newest first without words]")
@click.option("--facets", metavar="source,month,year", default="", help="Also count every match per source, month and/or year.")
@click.option("--json", "as_json", is_flag=True, help="Print the results as one JSON object.")
@click.option("--jsonl", "as_jsonl", is_flag=True, help="Print one JSON object per hit.")
@click.option("--explain", is_flag=True, help="Print how the query was understood, then the results.")
@click.option("--like", metavar="ID", help="Articles like the article ID: its telling words searched with --any.")
@click.option("--color", type=click.Choice(COLOR_CHOICES), default="auto", show_default=True,
              help="Highlight with colour: auto = on a terminal, unless NO_COLOR is set or TERM=dumb.")
@click.option("--no-color", "no_color", is_flag=True, hidden=True, help="The same as --color never.")
@filter_options
def query(words, index_path, limit, offset, sort, facets, as_json, as_jsonl, explain, like, color, no_color, filters) -> None:
    """Search the index. WORDS form one query; see the README for the syntax.

    With filters (--source, --since, --until) and no WORDS, the newest matching articles.
    With --like ID, the articles on the subject of that one."""
    if as_json and as_jsonl:
        raise UsageError("use just one of --json and --jsonl")
    text = " ".join(words)
    if not text.strip() and like is None and not (filters["since"] or filters["until"] or filters["source"]):
        raise UsageError("nothing to search for: give WORDS, or a filter (--source, --since, --until) to list the newest articles")
    if like is not None and (text.strip() or filters["exact"]):
        raise UsageError("--like searches the article's own words: give it no WORDS and no --exact")
    if like is not None:
        filters["mode"] = "any"  # its words searched as a bag
    mode, exact = filters["mode"], filters["exact"]
    page = dict(limit=limit, offset=offset, sort=sort, facets=facets.split(","))
    with Corpus(index_path) as corpus:
        try:
            if like is not None:
                results = corpus.similar(like, **page, **{k: filters[k] for k in ("since", "until", "source", "dedupe")})
            else:
                results = corpus.search(text, did_you_mean=True, **page, **filters)
            explanation = corpus.explanation(results.query, mode=mode, exact=exact) if explain and results.query.strip() else None
        except QueryError as error:
            raise UsageError(query_error_lines(error)) from error
        if explanation is not None and not as_json:
            click.echo(f"query: {explanation}", err=True)
        echo_notes(why_nothing(corpus, results))
    if as_json:
        print_json(results.to_dict(Surface.CLI) | ({"explain": explanation.to_dict()} if explanation else {}))
    elif as_jsonl:
        for hit in results.to_dict()["hits"]:
            print_json(hit)
    else:
        echo_results(results, wants_color("never" if no_color else color, sys.stdout), offset, width(sys.stdout))
        echo_facets(results.facets or {})


def why_nothing(corpus: Corpus, results) -> list[str]:  # type: ignore[no-untyped-def]
    """What makes an empty answer no answer: an index without articles; a named source no
    article comes from (``Results.notes``, said even when another source finds some)."""
    if not results.total and not corpus.stats().documents:
        return [f"the index at {corpus.path} holds no articles yet: `corpus index SOURCE...` adds them"]
    return list(results.notes)


def echo_facets(facets: dict[str, dict[str, int]]) -> None:
    """Each facet's counts after the hits, one value a line (``--jsonl`` leaves them out)."""
    for name, counts in facets.items():
        click.echo(f"\n{name}:")
        for value, count in counts.items():
            click.echo(f"  {count:>8}  {for_people(value)}")


search = copy.copy(query)
search.short_help = "The same as query."
main.add_command(search, name="search")


BOLD, RESET = "\x1b[1;33m", "\x1b[0m"
MARK_OPEN, MARK_CLOSE = "[", "]"
def mark(text: str, spans, color: bool) -> str:
    """Wrap each highlighted span: bold colour on a terminal, visible brackets otherwise."""
    opening, closing = (BOLD, RESET) if color else (MARK_OPEN, MARK_CLOSE)
    out, last = [], 0
    for start, end in spans:
        out += [text[last:start], opening, text[start:end], closing]
        last = end
    out.append(text[last:])
    return "".join(out)


def echo_results(results, color: bool, offset: int, columns: int | None) -> None:
    """Hits for people: rank, title, date, source, id, score, URL, the snippet wrapped to
    ``columns`` (None: a pipe, one line). Arabic in logical order."""
    shown = f"{offset + 1}-{offset + len(results)}" if len(results) else "0"
    copies = "; identical bodies counted once" if results.deduplicated else ""
    click.echo(f"{plural(results.total, 'matching article')} ({shown} shown, {results.took_ms:.0f} ms{copies})")
    if results.suggestion:
        click.echo(f"هل تقصد: {for_people(results.suggestion)}")
    for rank, hit in enumerate(results, start=offset + 1):
        click.echo()
        title, spans = collapse_spaces(for_people(hit.title), hit.title_highlights)
        # color= keeps click from stripping the escapes when --color is asked for in a pipe
        click.echo(f"{rank}. {mark(title, spans, color)}", color=color)
        score = f"score {hit.score:.2f}" if results.query.strip() else ""  # filters alone rank by date
        meta = " · ".join(x for x in ((hit.date or "")[:10], hit.source, hit.id, score) if x)
        click.echo(f"   {for_people(meta)}")
        if hit.url:
            click.echo(f"   {for_people(hit.url)}")
        if hit.snippet:
            snippet, spans = collapse_spaces(for_people(hit.snippet), hit.highlights)
            lead = len(snippet) - len(snippet.lstrip(" "))
            snippet = snippet.strip(" ")
            spans = [(max(s - lead, 0), min(e - lead, len(snippet))) for s, e in spans]
            if snippet:
                for line in wrapped(snippet, spans, color, columns - 3 if columns else None):
                    click.echo(f"   {line}", color=color)


def wrapped(text: str, spans, color: bool, columns: int | None) -> list[str]:
    """``text`` with ``spans`` marked, in lines of ``columns`` cells broken between words."""
    if columns is None:
        return [mark(text, spans, color)]
    lines = []
    for start, end in wrap_points(text, columns):
        inside = [(max(s, start) - start, min(e, end) - start) for s, e in spans if s < end and e > start]
        lines.append(mark(text[start:end], inside, color))
    return lines


main.add_command(kwic)
main.add_command(trend)
main.add_command(collocates)
main.add_command(freq)
main.add_command(serve)
