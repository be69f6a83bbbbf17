"""The index schema: which fields exist, how each is analyzed, what is stored."""

from __future__ import annotations

from whoosh.analysis import IDAnalyzer
from whoosh.fields import DATETIME, STORED, Schema
from whoosh.fields import ID as ID_FIELD

from indexer.analysis.analyzers import ArabicText
from indexer.analysis.written import WrittenForms
from indexer.sources.article import Article

#: Title matches count more than body matches in BM25F ranking.
TITLE_BOOST = 2.0

# Field names: every module (and test) names fields through these.
ID, TITLE, BODY, TITLE_EXACT, BODY_EXACT = "id", "title", "body", "title_exact", "body_exact"
DATE, DATE_RAW, SOURCE, URL, HASH = "date", "date_raw", "source", "url", "hash"
#: How the bodies write each exact form they spell otherwise (``analysis/written.py``).
WRITTEN = "written"

#: Text fields searched by default (stemmed) and by --exact / wildcards / fuzzy (exact).
STEM_FIELDS = (TITLE, BODY)
EXACT_FIELDS = (TITLE_EXACT, BODY_EXACT)
#: The exact field holding the same text as each stemmed field (same tokens, same positions).
EXACT_OF = {TITLE: TITLE_EXACT, BODY: BODY_EXACT}


def build_schema() -> Schema:
    """Fields of a corpus index (see docs/architecture.md for why each exists)."""
    return Schema(
        **{
            ID: ID_FIELD(stored=True, unique=True, sortable=True),
            TITLE: ArabicText("stem", stored=True, field_boost=TITLE_BOOST),
            BODY: ArabicText("stem", stored=True),
            TITLE_EXACT: ArabicText("exact", field_boost=TITLE_BOOST),
            BODY_EXACT: ArabicText("exact"),
            DATE: DATETIME(stored=True, sortable=True),
            DATE_RAW: STORED(),
            SOURCE: ID_FIELD(stored=True, analyzer=IDAnalyzer(lowercase=True)),
            URL: ID_FIELD(stored=True),
            HASH: ID_FIELD(stored=True, sortable=True),
            WRITTEN: WrittenForms(),
        }
    )


def document(article: Article, digest: str) -> dict:
    """The index document of an article: stemmed and exact forms of the same title and
    body, how the body spells its exact forms, and ``digest`` (its content hash, see ``sync.content_hash``)."""
    doc = {
        ID: article.id,
        TITLE: article.title,
        BODY: article.body,
        TITLE_EXACT: article.title,
        BODY_EXACT: article.body,
        WRITTEN: article.body,
        DATE_RAW: article.date_raw,
        SOURCE: article.source,
        URL: article.url,
        HASH: digest,
    }
    if article.date is not None:
        doc[DATE] = article.date
    return doc
