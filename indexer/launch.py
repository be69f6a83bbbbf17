"""The ``corpus`` command's entry point: Ctrl-C while Python is still importing the
command ends with one line and exit code 130, as it does once the
command runs (`indexer.cli.CorpusGroup`), not with a traceback of the import."""

from __future__ import annotations

import sys


def main() -> None:
    """Import the command, then run it."""
    try:
        from indexer.cli import main as command
    except KeyboardInterrupt:
        sys.stderr.write("Interrupted.\n")
        raise SystemExit(130) from None
    command()
