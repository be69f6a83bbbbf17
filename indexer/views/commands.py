"""The ``corpus kwic``, ``trend``, ``collocates`` and ``freq`` commands: options, a call to
the library, rendering. Registered in `indexer.cli` one line each."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from indexer.corpus import Corpus
from indexer.errors import Surface, UsageError, worded
from indexer.query import QueryError
from indexer.options import WordsCommand, filter_options, index_option
from indexer.terminal import cells, for_people, plural, print_json, query_error_lines, wants_color
from indexer.terminal import width as terminal_width
from indexer.views.collocates import Collocates
from indexer.views.frequency import FREQ_SORTS, FrequencyList
from indexer.views.kwic import KWIC_SORTS, KWIC_WIDTH, Concordance
from indexer.views.measures import MEASURES
from indexer.views.plot import grouped, plot, sparkline
from indexer.views.selection import BY
from indexer.views.tables import table, write_csv
from indexer.views.trend import PER, PERIODS, Trend

BOLD, RESET = "\x1b[1;33m", "\x1b[0m"


def query_options(command):  # type: ignore[no-untyped-def]
    """The options every view takes: the filters of `corpus query` (`filter_options`)
    and ``--index``."""
    return index_option(filter_options(command))


def _run(call):  # type: ignore[no-untyped-def]
    """Run a library call; a bad query becomes a usage error showing where it went wrong."""
    try:
        return call()
    except QueryError as error:
        raise UsageError(query_error_lines(error)) from error


def _one_format(**flags: bool) -> str | None:
    chosen = [name for name, on in flags.items() if on]
    if len(chosen) > 1:
        raise UsageError(f"use just one of {', '.join('--' + n for n in flags)}")
    return chosen[0] if chosen else None


def echo_notes(notes: list[str]) -> None:
    """Each note of a result (why it may be emptier than meant: ``Results.notes``) on
    stderr, in the command line's words, so a pipe's data stays clean."""
    for note in notes:
        click.echo(f"note: {for_people(worded(note, Surface.CLI))}", err=True)


def _dedupe_note(applied: bool) -> str:
    return "identical bodies counted once" if applied else "copies counted (--dedupe counts an identical body once)"


# --- kwic ---------------------------------------------------------------------------------


@click.command(cls=WordsCommand)
@click.argument("words", nargs=-1, required=True)
@click.option(
    "--width", type=click.IntRange(min=0), default=None,
    help=f"Characters of context each side [default: {KWIC_WIDTH}; on a terminal, what fits its width].",
)
@click.option("--sort", type=click.Choice(KWIC_SORTS), default="date", show_default=True, help="Order of the lines.")
@click.option("--limit", "-n", type=click.IntRange(min=0), default=100, show_default=True, help="Lines to show.")
@click.option("--offset", type=click.IntRange(min=0), default=0, show_default=True, help="Lines to skip (paging).")
@click.option("--csv", "as_csv", is_flag=True, help="Print the lines as CSV.")
@click.option("--json", "as_json", is_flag=True, help="Print one JSON object.")
@click.option("--jsonl", "as_jsonl", is_flag=True, help="Print one JSON object per line.")
@query_options
def kwic(words, width, sort, limit, offset, as_csv, as_json, as_jsonl, index_path, filters) -> None:
    """A concordance: every occurrence of what the query WORDS matched, in context."""
    output = _one_format(csv=as_csv, json=as_json, jsonl=as_jsonl)
    text = " ".join(words)
    with Corpus(index_path) as corpus:
        result: Concordance = _run(
            lambda: corpus.kwic(text, width=KWIC_WIDTH if width is None else width, sort=sort, limit=limit, offset=offset, **filters)
        )
    echo_notes(result.notes)
    if output == "json":
        print_json(result.to_dict(Surface.CLI))
    elif output == "jsonl":
        for line in result.to_dict()["lines"]:
            print_json(line)
    elif output == "csv":
        write_csv(result, sys.stdout)
    elif sys.stdout.isatty():
        shown = f"{offset + 1}-{offset + len(result.lines)}" if result.lines else "none"
        click.echo(f"{plural(result.total, 'occurrence')} in {plural(result.articles, 'article')} ({shown} shown; {_dedupe_note(result.deduplicated)})")
        colour = wants_color("auto", sys.stdout)
        fitted = terminal_width(sys.stdout) if width is None else None  # a width asked for is kept
        for before, match, after in _aligned(result.lines, KWIC_WIDTH if width is None else width, fitted):
            if colour:  # NO_COLOR and TERM=dumb are honoured here as in `corpus query`
                match = f"{BOLD}{match}{RESET}"
            click.echo(f"{before}{match}{after}", color=colour)
    else:
        for ln in result.lines:
            click.echo("\t".join(for_people(x) for x in (ln.id, ln.field, ln.date or "", ln.source, ln.left, ln.match, ln.right)))
        click.echo(f"{plural(result.total, 'occurrence')} in {plural(result.articles, 'article')}; {_dedupe_note(result.deduplicated)}", err=True)


#: Around each of a terminal line's three parts (what follows the match, the match,
#: what precedes it): a right-to-left isolate (RLI .. PDI), so a Latin word or a number
#: inside a part keeps its place in the part's reading order, then a left-to-right mark,
#: so a terminal that ignores isolates still keeps the three parts apart and in place.
_RLI, _PDI, _LRM = "\u2067", "\u2069", "\u200e"


def _aligned(lines: list, width: int, columns: int | None = None) -> list[tuple[str, str, str]]:
    """The page's lines for a terminal as (what stands left of the match, the match, what
    stands right of it), each match in one column. Arabic reads right to left, so, as on
    the page, the words that precede the match stand on its right and those that follow on
    its left: the line holds them in that order, each part isolated (`_RLI`), and a
    terminal that orders text by the Unicode bidi algorithm draws each part right to left
    in its place. Columns are measured in cells, as a terminal draws them: an Arabic
    diacritic takes none, so counting characters would push each line holding one out of
    line. Ids and sources are never cut: an id is what a reader copies to open the article.
    Given the terminal's ``columns``, each context is cut at its far end, in whole words,
    so that a line fits in one row: a line folded onto the next loses the column."""
    shown = [tuple(for_people(x) for x in (ln.source, ln.id, ln.left.strip(), ln.match, ln.right.strip())) for ln in lines]
    source_cells = max((cells(s[0]) for s in shown), default=0)
    id_cells = max((cells(s[1]) for s in shown), default=0)
    if columns is not None:
        # date, source, id, field and their gaps; the match; a space each side of it
        side = max((columns - 1 - (10 + 2 + source_cells + 2 + id_cells + 1 + 1 + 2) - max((cells(s[3]) for s in shown), default=0) - 2) // 2, 0)
        shown = [(source, article_id, _last_cells(preceding, side), match, _first_cells(following, side))
                 for source, article_id, preceding, match, following in shown]
        width = min(width, side)
    following_cells = max([width, *(cells(s[4]) for s in shown)])
    return [
        (
            f"{(ln.date or '')[:10]:10}  {_pad(source, source_cells)}  {_pad(article_id, id_cells)} {ln.field[:1]}"
            f"  {' ' * (following_cells - cells(following))}{_RLI}{following}{_PDI}{_LRM} ",
            f"{_RLI}{match}{_PDI}",
            f"{_LRM} {_RLI}{preceding}{_PDI}",
        )
        for ln, (source, article_id, preceding, match, following) in zip(lines, shown)
    ]


def _first_cells(text: str, most: int) -> str:
    """The words ``text`` starts with that fit in ``most`` cells."""
    used = 0
    for end, char in enumerate(text):
        used += cells(char)
        if used > most:
            if char == " ":
                return text[:end].rstrip()
            space = text.rfind(" ", 0, end)
            return text[:space].rstrip() if space > 0 else ""
    return text


def _last_cells(text: str, most: int) -> str:
    """The words ``text`` ends with that fit in ``most`` cells."""
    reversed_words = " ".join(reversed(text.split(" ")))
    return " ".join(reversed(_first_cells(reversed_words, most).split(" "))) if cells(text) > most else text


def _pad(text: str, columns: int) -> str:
    """``text`` and spaces after it up to ``columns`` cells."""
    return text + " " * (columns - cells(text))


# --- trend --------------------------------------------------------------------------------


@click.command(cls=WordsCommand)
@click.argument("queries", nargs=-1, required=True)
@click.option("--by", type=click.Choice(PERIODS), default="month", show_default=True, help="Period.")
@click.option("--per", type=click.Choice(PER), default="million-words", show_default=True, help="What each period is normalised by.")
@click.option("--split", type=click.Choice(["source"]), help="One series per source.")
@click.option("--csv", "as_csv", is_flag=True, help="Print one CSV row per series and period.")
@click.option("--json", "as_json", is_flag=True, help="Print one JSON object.")
@click.option("--plot", "plot_path", type=click.Path(dir_okay=False), help="Also draw the chart into FILE.png or FILE.svg.")
@query_options
def trend(queries, by, per, split, as_csv, as_json, plot_path, index_path, filters) -> None:
    """Matching articles and occurrences per period; each QUERY is one series (quote a query of several words)."""
    output = _one_format(csv=as_csv, json=as_json)
    with Corpus(index_path) as corpus:
        result: Trend = _run(
            lambda: corpus.trend(list(queries), by=by, per=per, split_source=split == "source", **filters)
        )
    echo_notes(result.notes)
    if plot_path:
        plot(result, Path(plot_path), " / ".join(queries))
    if output == "json":
        print_json(result.to_dict(Surface.CLI))
    elif output == "csv":
        write_csv(result, sys.stdout)
        click.echo(_dedupe_note(result.deduplicated), err=True)
    elif plot_path:
        click.echo(f"wrote {plot_path}", err=True)
    elif sys.stdout.isatty():
        unit = "% of articles" if per == "articles" else "per million words"
        first = result.series[0].points[0].period if result.series and result.series[0].points else "-"
        last = result.series[0].points[-1].period if result.series and result.series[0].points else "-"
        click.echo(f"{first} .. {last} by {by}, {unit}; {_dedupe_note(result.deduplicated)}")
        for s in result.series:
            values = [p.normalized for p in s.points]
            articles = sum(p.articles for p in s.points) + s.undated_articles
            occurrences = sum(p.occurrences for p in s.points) + s.undated_occurrences
            highest = max(s.points, key=lambda p: p.normalized, default=None)
            peak = highest.period if highest is not None and highest.normalized > 0 else "-"  # no peak without a find
            click.echo(f"{sparkline(grouped(values))}  {for_people(s.label)}: {plural(articles, 'article')}, {plural(occurrences, 'occurrence')}, peak {peak}")
    else:
        for s in result.series:
            for p in s.points:
                click.echo(f"{for_people(s.label)}\t{p.period}\t{p.articles}\t{p.occurrences}\t{p.normalized:.6g}")
            click.echo(f"{for_people(s.label)}\tundated\t{s.undated_articles}\t{s.undated_occurrences}\t")
        click.echo(_dedupe_note(result.deduplicated), err=True)


# --- collocates ---------------------------------------------------------------------------


@click.command(cls=WordsCommand)
@click.argument("words", nargs=-1, required=True)
@click.option("--window", type=click.IntRange(min=1), default=5, show_default=True, help="Words each side of the node.")
@click.option("--by", type=click.Choice(BY), default="stem", show_default=True, help="Count stems or exact forms.")
@click.option("--measure", type=click.Choice(MEASURES), default="logdice", show_default=True, help="Association score.")
@click.option(
    "--min-freq", type=click.IntRange(min=1), default=5, show_default=True,
    help="Fewest co-occurrences listed, for every measure (MI ranks rare words highest: raise it for mi).",
)
@click.option("--top", type=click.IntRange(min=0), default=50, show_default=True, help="Collocates to list.")
@click.option("--stopwords", is_flag=True, help="Keep stopwords among the collocates.")
@click.option("--csv", "as_csv", is_flag=True, help="Print the collocates as CSV.")
@click.option("--json", "as_json", is_flag=True, help="Print one JSON object.")
@query_options
def collocates(words, window, by, measure, min_freq, top, stopwords, as_csv, as_json, index_path, filters) -> None:
    """The words found near what the query WORDS matched, with an association score."""
    output = _one_format(csv=as_csv, json=as_json)
    text = " ".join(words)
    with Corpus(index_path) as corpus:
        result: Collocates = _run(
            lambda: corpus.collocates(
                text, window=window, by=by, measure=measure, min_freq=min_freq, top=top, stopwords=stopwords,
                **filters,
            )
        )
    echo_notes(result.notes)
    if output == "json":
        print_json(result.to_dict(Surface.CLI))
        return
    rows = table(result)[1]
    if output == "csv":
        write_csv(result, sys.stdout)
        click.echo(_dedupe_note(result.deduplicated), err=True)
        return
    if sys.stdout.isatty():
        click.echo(f"{plural(result.node_frequency, 'occurrence')} of the node; ±{window} words; {measure}; {_dedupe_note(result.deduplicated)}")
        if result.node_frequency and not result.collocates:  # say why the list is empty
            click.echo(f"no word stands within {window} words of it {min_freq} times or more (--min-freq {min_freq})")
            return
        click.echo(f"{'score':>8}  {'together':>8}  {'frequency':>9}  word")
        for c in result.collocates:
            click.echo(f"{c.score:8.2f}  {c.cooccurrences:8}  {c.frequency:9}  {for_people(c.word)}")
    else:
        for row in rows:
            click.echo("\t".join(for_people(str(x)) for x in row))
        click.echo(_dedupe_note(result.deduplicated), err=True)


# --- freq ---------------------------------------------------------------------------------


@click.command(cls=WordsCommand)
@click.argument("words", nargs=-1)
@click.option("--by", type=click.Choice(BY), default="stem", show_default=True, help="Count stems or exact forms.")
@click.option("--top", type=click.IntRange(min=0), default=100, show_default=True, help="Terms to list.")
@click.option("--sort", type=click.Choice(FREQ_SORTS), default="frequency", show_default=True, help="Order (keyness needs a QUERY).")
@click.option("--csv", "as_csv", is_flag=True, help="Print the terms as CSV.")
@click.option("--json", "as_json", is_flag=True, help="Print one JSON object.")
@query_options
def freq(words, by, top, sort, as_csv, as_json, index_path, filters) -> None:
    """Term and document frequencies over the corpus, or over the articles the query WORDS match."""
    output = _one_format(csv=as_csv, json=as_json)
    text = " ".join(words) if words else None
    with Corpus(index_path) as corpus:
        result: FrequencyList = _run(lambda: corpus.freq(text, by=by, top=top, sort=sort, **filters))
    echo_notes(result.notes)
    if output == "json":
        print_json(result.to_dict(Surface.CLI))
        return
    rows = list(table(result)[1])
    if output == "csv":
        write_csv(result, sys.stdout)
        click.echo(_dedupe_note(result.deduplicated), err=True)
        return
    if sys.stdout.isatty():
        click.echo(f"{plural(result.words, 'word')} in {plural(result.articles, 'article')}; by {by}; {_dedupe_note(result.deduplicated)}")
        keyed = text is not None
        against_rest = f"{'keyness':>9}  {'log ratio':>9}  " if keyed else ""
        click.echo(f"{'frequency':>10}  {'documents':>9}  {against_rest}term")
        for _, frequency, documents, stop, key, written, ratio in rows:
            against_rest = f"{key:>9}  {f'{float(ratio):.2f}' if ratio else '':>9}  " if keyed else ""
            click.echo(f"{frequency:10}  {documents:9}  {against_rest}{for_people(written)}{'  (stopword)' if stop else ''}")
    else:
        for row in rows:
            click.echo("\t".join(for_people(str(x)) for x in row))
        click.echo(_dedupe_note(result.deduplicated), err=True)

