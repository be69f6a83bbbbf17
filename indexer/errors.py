"""The library's error types, and how a message names a setting on each surface.

One error reaches three kinds of reader: a Python caller (``str(error)``), a user of the
``corpus`` command and a client of the server. Each calls a setting by its own name: the
argument ``rebuild=True``, the option ``--rebuild``, the request parameter ``since``. So a
message names a setting with a ``Spelled`` part, written once where the error is raised,
and each surface words the whole message in its own terms (``error.worded(Surface.CLI)``).
The CLI turns each error into one line and its exit code.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import Enum


class Surface(Enum):
    """Who reads a message."""

    #: A Python caller of ``Corpus``: arguments by name (``rebuild=True``); ``str(error)``.
    LIBRARY = "library"
    #: A user of the ``corpus`` command: its options (``--rebuild``).
    CLI = "cli"
    #: A client of ``corpus serve``: request parameters by name (``since``); what only the
    #: server's operator can do (rebuild the index) as the command the operator runs.
    SERVER = "server"


@dataclass(frozen=True)
class Spelled:
    """A setting as each surface names it; ``server`` None: as the command line does (the
    server's operator fixes such a thing with the command)."""

    library: str
    cli: str
    server: str | None = None

    def worded(self, surface: Surface) -> str:
        """The spelling for ``surface``."""
        if surface is Surface.LIBRARY:
            return self.library
        if surface is Surface.SERVER and self.server is not None:
            return self.server
        return self.cli


def option(argument: str, flag: str | None = None) -> Spelled:
    """An argument of a call that the command line spells as an option and the server as a
    parameter of the same name: ``min_freq``, ``--min-freq``, ``min_freq``."""
    return Spelled(argument, flag or _flag(argument), argument)


def given(argument: str, value: object, flag: str | None = None) -> Spelled:
    """An argument with the value given, as it was written: ``since='2024-05-01'``,
    ``--since 2024-05-01``, ``since=2024-05-01``; a flag given True is the flag alone."""
    cli = flag or _flag(argument)
    return Spelled(f"{argument}={value!r}", cli if value is True else f"{cli} {value}", f"{argument}={value}")


def _flag(argument: str) -> str:
    return "--" + argument.replace("_", "-")


def example(argument: str, value: str, flag: str | None = None) -> Spelled:
    """A setting to give, a placeholder for its value: ``encoding=NAME``, ``--encoding NAME``."""
    return Spelled(f"{argument}={value}", f"{flag or _flag(argument)} {value}", f"{argument}={value}")


def limit_setting(name: str) -> Spelled:
    """What raises one size limit (``indexer.limits``): ``limits=Limits(file=SIZE)``, ``--limit file=SIZE``."""
    return Spelled(f"limits=Limits({name}=SIZE)", f"--limit {name}=SIZE")


def field_setting(field: str, key: str) -> Spelled:
    """What maps a source's key to a field: ``fields={'body': 'KEY'}``, ``--field body=KEY``."""
    return Spelled(f"fields={{{field!r}: {key!r}}}", f"--field {field}={key}")


def _joined(parts: tuple, surface: Surface) -> str:
    """A message's ``parts`` as ``surface`` words them."""
    return "".join(part.worded(surface) if isinstance(part, (Spelled, CorpusError, Message)) else str(part) for part in parts)


class Message(str):
    """A message that is reported, not raised (a skipped file's reason in an ``IndexReport``):
    a str in the library's wording, which keeps its parts so that each surface can word it
    its own way (``worded``). JSON, comparisons and pickles take it as the str it is."""

    parts: tuple

    def __new__(cls, *parts: str | Spelled) -> Message:
        message = super().__new__(cls, _joined(parts, Surface.LIBRARY))
        message.parts = parts
        return message

    def worded(self, surface: Surface) -> str:
        """The message as ``surface`` names settings."""
        return _joined(self.parts, surface)

    def __reduce__(self) -> tuple:
        return (Message, self.parts)


def worded(text: str, surface: Surface) -> str:
    """``text`` as ``surface`` words it: a ``Message``'s own wording, other text as it is."""
    return text.worded(surface) if isinstance(text, Message) else text


#: What fixes an index written by another version of corpus.
REBUILD = Spelled(
    library="rebuild it: Corpus.index(sources, rebuild=True)",
    cli="run `corpus index --rebuild`",
)

#: What finishes a write that stopped part way: the same write again (what is indexed
#: already is skipped). A library caller makes the call again, not a command.
AGAIN = Spelled(
    library="make the same Corpus call again",
    cli="run the same command again",
    server="send the same request again",
)
#: Where a notice of ``prune`` comes from: the argument, or the option.
PRUNE = Spelled(library="prune=True", cli="--prune", server="prune=True")

class CorpusError(Exception):
    """Something the user can fix went wrong; the message says what and how.

    Raised with the message's parts: text, and ``Spelled`` settings or other errors that
    each surface words its own way (``worded``); ``str()`` is the library's wording."""

    exit_code = 1

    def __init__(self, *parts: str | Spelled | CorpusError) -> None:
        super().__init__(*parts)

    def worded(self, surface: Surface) -> str:
        """The message as ``surface`` names settings."""
        return _joined(self.args, surface)

    def __str__(self) -> str:
        return self.worded(Surface.LIBRARY)


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
