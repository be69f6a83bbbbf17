"""Options shared by the commands of the CLI (``indexer/cli.py``, ``indexer/views/commands.py``)."""

from __future__ import annotations

import click


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
