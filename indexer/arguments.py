"""The arguments of a public ``Corpus`` call, checked by name before it runs: a value of
the wrong type is a ``UsageError`` naming the argument, not a TypeError or an
AttributeError from deep inside the search."""

from __future__ import annotations

import inspect
import os
from collections.abc import Callable, Iterable, Mapping
from typing import Any

from indexer.errors import UsageError
from indexer.limits import Limits
from indexer.search import MODES
from indexer.sources import Article

#: Arguments that are text: a query, an article id.
TEXT = ("query", "article_id")
#: Arguments that are whole numbers: how many, from where, how wide.
COUNTS = ("limit", "offset", "width", "window", "min_freq", "top", "shards")
#: Arguments that are one text or a list of them: source names, queries to compare.
TEXTS = ("source", "queries")
#: Arguments that are one text or any iterable of them (a generator too): ids, facets.
ITERABLES = ("ids", "facets")
#: Arguments that are a name given as text: a codec, a format.
NAMES = ("encoding", "file_format")


def checker(method: Callable) -> Callable[[tuple, Mapping], None]:
    """What checks the arguments of a call of ``method`` (``self`` included in ``args``);
    a call that Python itself refuses (an unknown keyword, one too many) raises its usual
    TypeError when the method is called. Runs on every search: arguments are matched to
    names by position and keyword, which costs far less than ``Signature.bind``."""
    parameters = inspect.signature(method).parameters
    names = tuple(parameters)
    optional = {name for name, p in parameters.items() if p.default is None}
    checked = _CHECKED.intersection(names)

    def check(args: tuple, kwargs: Mapping) -> None:
        for name, value in (*zip(names, args), *kwargs.items()):
            if name in checked and not (value is None and name in optional):
                _check(name, value)

    return check


def _check(name: str, value: object) -> None:
    """A ``UsageError`` naming ``name`` when ``value`` is not what it takes."""
    if name in TEXT and not isinstance(value, str):
        raise UsageError(f"{name} must be a str, not {_shown(value)}")
    if name in COUNTS and (not isinstance(value, int) or isinstance(value, bool)):
        raise UsageError(f"{name} must be a whole number (int), not {_shown(value)}")
    if name in TEXTS and not isinstance(value, str) and not _all_text(value):
        raise UsageError(f"{name} must be a str or a list of str, not {_shown(value)}")
    if name in ITERABLES and (isinstance(value, (bytes, Mapping)) or not isinstance(value, Iterable)):
        raise UsageError(f"{name} must be a str or an iterable of str, not {_shown(value)}")
    if name == "articles" and (isinstance(value, (str, bytes)) or not isinstance(value, (Article, Iterable))):
        raise UsageError(f"articles must be an article (a mapping or an Article) or an iterable of them, not {_shown(value)}")
    if name == "mode" and value not in MODES:
        raise UsageError(f"mode must be one of {', '.join(MODES)}, not {value!r}")
    if name == "sources" and not isinstance(value, (str, os.PathLike)) and not _all_paths(value):
        raise UsageError(f"sources must be a path or a list of paths, not {_shown(value)}")
    if name == "wait" and (not isinstance(value, (int, float)) or isinstance(value, bool) or value < 0):
        raise UsageError(f"wait must be a number of seconds, 0 or more (int or float), not {_shown(value)}")
    if name == "limits" and not isinstance(value, Limits):
        raise UsageError(f"limits must be an indexer.Limits, e.g. Limits(file=2**30), not {_shown(value)}")
    if name == "fields" and not (isinstance(value, Mapping) and all(isinstance(k, str) and isinstance(v, str) for k, v in value.items())):
        raise UsageError(f"fields must map a field to a source key, e.g. {{'body': 'text'}}, not {_shown(value)}")
    if name in NAMES and not isinstance(value, str):
        raise UsageError(f"{name} must be a str, not {_shown(value)}")


#: Every argument name `_check` knows.
_CHECKED = frozenset((*TEXT, *COUNTS, *TEXTS, *ITERABLES, *NAMES, "articles", "mode", "sources", "wait", "limits", "fields"))


def _all_text(value: object) -> bool:
    return isinstance(value, (list, tuple, set, frozenset)) and all(isinstance(v, str) for v in value)


def _all_paths(value: object) -> bool:
    return isinstance(value, (list, tuple)) and all(isinstance(v, (str, os.PathLike)) for v in value)


def _shown(value: object) -> str:
    """``value`` in a message: its type, and itself when short."""
    text = repr(value)
    return f"{type(value).__name__} {text}" if len(text) <= 40 else type(value).__name__


def one_or_many(value: Any) -> Any:
    """One text or path as a list of it: ``delete("ar-0001")`` deletes that article, not
    the articles "a", "r", ... (a str is iterable, one character at a time)."""
    return [value] if isinstance(value, (str, os.PathLike)) else value
