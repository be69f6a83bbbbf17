"""One article whole, by id, with every word a query matched marked in title and body.

A hit's snippet shows a window of the body; a reader who opens the article wants all of
it, and every place the query matched (``Corpus.article``; the server's article page).
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field

from whoosh.searching import Searcher

from indexer.analysis.analyzers import words_with_forms
from indexer.highlight import Span, highlight_spans
from indexer.query import Highlights
from indexer.store.schema import BODY, DATE, ID, SOURCE, TITLE, URL


@dataclass(frozen=True)
class FullArticle:
    """An article as stored (text exactly as its source wrote it) and highlight spans,
    ``(start, end)`` character offsets into ``title`` and ``body``."""

    id: str
    title: str
    body: str
    date: str | None
    source: str
    url: str
    highlights: list[Span] = field(default_factory=list)
    title_highlights: list[Span] = field(default_factory=list)

    def to_dict(self) -> dict:
        data = asdict(self)
        data["highlights"] = [list(span) for span in self.highlights]
        data["title_highlights"] = [list(span) for span in self.title_highlights]
        return data


def find_article(searcher: Searcher, article_id: str, marks: Highlights | None) -> FullArticle | None:
    """The live article with id ``article_id`` (None if there is none), marked with ``marks``."""
    docnum = searcher.document_number(**{ID: article_id})
    if docnum is None:
        return None
    stored = searcher.stored_fields(docnum)
    title, body = stored.get(TITLE) or "", stored.get(BODY) or ""
    date = stored.get(DATE)
    return FullArticle(
        id=stored.get(ID, article_id),
        title=title,
        body=body,
        date=date.isoformat() if date else None,
        source=stored.get(SOURCE, ""),
        url=stored.get(URL, ""),
        highlights=highlight_spans(marks, words_with_forms(body), BODY) if marks else [],
        title_highlights=highlight_spans(marks, words_with_forms(title), TITLE) if marks else [],
    )
