"""corpus: a searchable full-text corpus of Arabic news articles.

    >>> from indexer import Corpus
    >>> with Corpus("index") as corpus:                       # doctest: +SKIP
    ...     corpus.index(["corpus/"])
    ...     for hit in corpus.search('"وزير الخارجية"'):
    ...         print(hit.title, hit.snippet, hit.highlights)

The public names are imported on first use (PEP 562), so that importing the package, or
the ``corpus`` command's entry point inside it (`indexer.launch`), costs nothing before
a name is asked for: Ctrl-C while the command is still loading finds the entry point's
handler in place, not an import half done.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from indexer.analysis import ANALYZER_VERSION, Token, analyze
    from indexer.corpus import Corpus
    from indexer.errors import CorpusError, IncompatibleIndexError, IndexBusyError, UsageError, WriterDiedError
    from indexer.limits import Limits
    from indexer.query import QueryError
    from indexer.search import Hit, Results
    from indexer.sources import Article
    from indexer.store import IndexReport, Stats

#: Each public name and the module it comes from.
_HOMES = {
    "ANALYZER_VERSION": "indexer.analysis",
    "Article": "indexer.sources",
    "Corpus": "indexer.corpus",
    "CorpusError": "indexer.errors",
    "Hit": "indexer.search",
    "IncompatibleIndexError": "indexer.errors",
    "IndexBusyError": "indexer.errors",
    "IndexReport": "indexer.store",
    "Limits": "indexer.limits",
    "QueryError": "indexer.query",
    "Results": "indexer.search",
    "Stats": "indexer.store",
    "Token": "indexer.analysis",
    "UsageError": "indexer.errors",
    "WriterDiedError": "indexer.errors",
    "analyze": "indexer.analysis",
}

__all__ = sorted(_HOMES)


def __getattr__(name: str) -> Any:
    home = _HOMES.get(name)
    if home is None:
        raise AttributeError(f"module 'indexer' has no attribute {name!r}")
    value = getattr(importlib.import_module(home), name)
    globals()[name] = value  # the next lookup is a plain one
    return value


def __dir__() -> list[str]:
    return sorted({*globals(), *__all__})
