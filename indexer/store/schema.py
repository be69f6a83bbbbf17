"""The index schema: which fields exist, how each is analyzed, what is stored."""

from __future__ import annotations

from whoosh.analysis import IDAnalyzer
from whoosh.fields import DATETIME, ID, STORED, Schema

from indexer.analysis.analyzers import ArabicText

#: Title matches count more than body matches in BM25F ranking.
TITLE_BOOST = 2.0

#: Text fields searched by default (stemmed) and by --exact / wildcards / fuzzy (exact).
STEM_FIELDS = ("title", "body")
EXACT_FIELDS = ("title_exact", "body_exact")


def build_schema() -> Schema:
    """Fields of a corpus index (see docs/architecture.md for why each exists)."""
    return Schema(
        id=ID(stored=True, unique=True, sortable=True),
        title=ArabicText("stem", stored=True, field_boost=TITLE_BOOST),
        body=ArabicText("stem", stored=True),
        title_exact=ArabicText("exact", field_boost=TITLE_BOOST),
        body_exact=ArabicText("exact"),
        date=DATETIME(stored=True, sortable=True),
        date_raw=STORED(),
        source=ID(stored=True, analyzer=IDAnalyzer(lowercase=True)),
        url=ID(stored=True),
        hash=ID(stored=True, sortable=True),
    )
