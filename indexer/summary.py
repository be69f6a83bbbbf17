"""The JSON summary of ``corpus index --json``: one object on stdout for every run, done or not.

A cron wrapper parses it, so a run that fails (a busy index, a full disk, a bad option
value, a stop signal) prints one too: what the run committed before it stopped, what the
index holds now, and ``error`` naming what stopped it. A run that is done prints its
``IndexReport``, whose ``"error"`` is null. The exit code stays the README's.
"""

from __future__ import annotations

from typing import Any

import click

from indexer.errors import (
    CorpusError,
    IncompatibleIndexError,
    IndexBusyError,
    IndexWriteError,
    UsageError,
    WriterDiedError,
)
from indexer.progress import ProgressBar
from indexer.shards.tasks import StoppedOnCluster
from indexer.store.stopping import Stopped
from indexer.terminal import print_json

#: The ``kind`` of ``error``, by the exception's class; the first that matches.
ERROR_KINDS: tuple[tuple[type[BaseException], str], ...] = (
    (Stopped, "signal"),
    (KeyboardInterrupt, "signal"),
    (IndexBusyError, "busy"),
    (UsageError, "usage"),
    (click.UsageError, "usage"),
    (IndexWriteError, "unwritable"),
    (WriterDiedError, "writer_died"),
    (IncompatibleIndexError, "incompatible"),
    (CorpusError, "failed"),
    (OSError, "failed"),
)


def failed_summary(
    error: BaseException, progress: ProgressBar | None, rebuild: bool, seconds: float, documents: int | None
) -> dict[str, Any]:
    """The summary of a run that ``error`` stopped: the changes it committed (a rebuild
    that was not swapped in committed none that count), what the index holds now
    (``documents``; None when it cannot be read), and the error. Counts of what was read
    (unchanged, skipped, notices) are null: the run did not finish reading."""
    committed = progress.last_commit if progress is not None and not rebuild else None
    added, updated, deleted = committed[1][1:] if committed is not None else (0, 0, 0)
    return {
        "added": added,
        "updated": updated,
        "unchanged": None,
        "deleted": deleted,
        "skipped": [],
        "skipped_count": None,
        "notices": [],
        "notices_count": None,
        "total_documents": documents,
        "seconds": round(seconds, 3),
        "rebuilt": False,
        "pruned": False,
        "not_found": [],
        "error": error_field(error),
    }


def error_field(error: BaseException) -> dict[str, Any]:
    """``{"kind", "message", "exit_code", "signal"}`` of what stopped a run."""
    kind = next((name for cls, name in ERROR_KINDS if isinstance(error, cls)), "internal")
    if isinstance(error, KeyboardInterrupt):
        stopped = error if isinstance(error, Stopped) else Stopped(2)  # Python's own Ctrl-C
        field = {
            "kind": kind,
            "message": f"interrupted by {stopped.signal_name}",
            "exit_code": stopped.exit_code,
            "signal": stopped.signal_name,
        }
        if isinstance(stopped, StoppedOnCluster):  # each shard's writer: what it committed, whether it stopped
            worded = stopped.worded()
            field["message"] += f"; {worded[0].lower()}{worded[1:]}"
            field["shards"] = [outcome.to_dict() for outcome in stopped.outcomes]
        return field
    if isinstance(error, click.ClickException):
        message, code = error.format_message(), error.exit_code
    elif isinstance(error, CorpusError):
        message, code = str(error), error.exit_code
    elif isinstance(error, OSError):
        message, code = str(error), 1
    else:
        message, code = f"internal error: {type(error).__name__}: {error}", 1
    return {"kind": kind, "message": message, "exit_code": code, "signal": None}


class JsonSummaryCommand(click.Command):
    """A command whose ``--json`` prints a failed run's summary even when click refuses an
    option's value (``--wait -1``), before the command itself runs."""

    def make_context(self, info_name, args, parent=None, **extra):  # type: ignore[no-untyped-def]
        options = args[: args.index("--")] if "--" in args else list(args)  # click consumes ``args``
        try:
            return super().make_context(info_name, args, parent=parent, **extra)
        except click.UsageError as error:
            if "--json" in options:
                print_json(failed_summary(error, None, False, 0.0, None))
            raise
