"""The library's error types. The CLI turns each into one line and its exit code."""

from __future__ import annotations


class CorpusError(Exception):
    """Something the user can fix went wrong; the message says what and how."""

    exit_code = 1


class UsageError(CorpusError):
    """Bad arguments, a bad query, a missing source path."""

    exit_code = 2


class IndexBusyError(CorpusError):
    """Another writer holds the index lock."""

    exit_code = 3


class IncompatibleIndexError(CorpusError):
    """The index was built by another analyzer version or is not a corpus index."""

    exit_code = 1


class WriterDiedError(CorpusError):
    """A writer process died before its batch was committed (killed, out of memory)."""

    exit_code = 1


class IndexWriteError(CorpusError):
    """The index's file system refused a write: full, read-only, or not ours to write."""

    exit_code = 1
