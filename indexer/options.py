"""Options shared by the commands of the CLI (``indexer/cli.py``, ``indexer/views/commands.py``),
and the command class that reads their query words alike."""

from __future__ import annotations

import functools
import re

import click

from indexer.filters import ANY_HELP, DEDUPE_HELP, EXACT_HELP, SINCE_HELP, SOURCE_HELP, UNTIL_HELP, source_list


def index_option(command):
    """``--index DIR``, shared by every command that opens an index."""
    return click.option(
        "--index",
        "index_path",
        type=click.Path(file_okay=False),
        envvar="CORPUS_INDEX",
        default="index",
        show_default=True,
        help="Index directory (or set CORPUS_INDEX).",
    )(command)


def filter_options(command):
    """``--any``, ``--exact``, ``--since``, ``--until``, ``--source`` (repeated: any of
    them) and ``--dedupe``: the filters of ``corpus query`` and of every view, defined
    here only so that each means the same on every command (`indexer.filters`). The
    command gets them as one ``filters`` argument: the keyword arguments of
    `Corpus.search` and of the views (``mode``, ``exact``, ``since``, ``until``,
    ``source``, ``dedupe``), an empty value as none."""

    @functools.wraps(command)
    def with_filters(*args, any_mode: bool, exact: bool, since: str | None, until: str | None, sources: tuple[str, ...], dedupe: bool, **kwargs):  # type: ignore[no-untyped-def]
        filters = {
            "mode": "any" if any_mode else "all", "exact": exact,
            "since": since if since and since.strip() else None, "until": until if until and until.strip() else None,
            "source": source_list(sources), "dedupe": dedupe,
        }
        return command(*args, filters=filters, **kwargs)

    for option in reversed(
        [
            click.option("--any", "any_mode", is_flag=True, help=ANY_HELP),
            click.option("--exact", is_flag=True, help=EXACT_HELP),
            click.option("--since", metavar="DATE", help=SINCE_HELP),
            click.option("--until", metavar="DATE", help=UNTIL_HELP),
            click.option("--source", "sources", multiple=True, metavar="NAME", help=SOURCE_HELP),
            click.option("--dedupe", is_flag=True, help=DEDUPE_HELP),
        ]
    ):
        with_filters = option(with_filters)
    return with_filters


class WordsCommand(click.Command):
    """A command whose arguments are words of text: one starting with a dash that no option
    could begin with (``-جدة``, ``-"وزير الخارجية"``: an exclusion) is a word, and so is
    everything after ``--``."""

    #: Marks such a word while click reads the options (a character no text holds).
    _MARK = "\U0010fffe"

    def parse_args(self, ctx: click.Context, args: list[str]) -> list[str]:
        marked = []
        for number, arg in enumerate(args):
            if arg == "--":
                marked += args[number:]
                break
            marked.append(self._MARK + arg if _DASH_WORD.match(arg) else arg)
        rest = super().parse_args(ctx, marked)
        for name, value in ctx.params.items():
            if isinstance(value, str):
                ctx.params[name] = value.replace(self._MARK, "")
            elif isinstance(value, tuple):
                ctx.params[name] = tuple(v.replace(self._MARK, "") if isinstance(v, str) else v for v in value)
        return rest


#: A dash (or two) then a character no option name holds: not ASCII, or a quote or parenthesis.
_DASH_WORD = re.compile(r"-+(?:[^\x00-\x7f]|[\"'(])")
