"""corpus: a searchable full-text corpus of Arabic news articles.

    >>> from indexer import Corpus
    >>> with Corpus("index") as corpus:                       # doctest: +SKIP
    ...     corpus.index(["corpus/"])
    ...     for hit in corpus.search('"وزير الخارجية"'):
    ...         print(hit.title, hit.snippet, hit.highlights)
"""

from indexer.analysis import ANALYZER_VERSION, Token, analyze
from indexer.corpus import Corpus
from indexer.errors import CorpusError, IncompatibleIndexError, IndexBusyError, UsageError, WriterDiedError
from indexer.limits import Limits
from indexer.query import QueryError
from indexer.search import Hit, Results
from indexer.sources import Article
from indexer.store import IndexReport, Stats

__all__ = [
    "ANALYZER_VERSION",
    "Article",
    "Corpus",
    "CorpusError",
    "Hit",
    "IncompatibleIndexError",
    "IndexBusyError",
    "IndexReport",
    "Limits",
    "QueryError",
    "Results",
    "Stats",
    "Token",
    "UsageError",
    "WriterDiedError",
    "analyze",
]
