"""A tiny in-memory index over the real schema, and a helper returning matched ids."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import datetime

import pytest
from whoosh.filedb.filestore import RamStorage
from whoosh.index import FileIndex
from whoosh.searching import Searcher

from indexer.query import build, parse
from indexer.store.schema import build_schema
from indexer.store.writer import CorpusWriter

# id: (title, body, date, source, url)
ARTICLES: dict[str, tuple[str, str, datetime | None, str, str]] = {
    # NEAR distances: words between بلينكن and لافروف
    "near0": ("", "بلينكن لافروف", None, "", ""),
    "near2": ("", "بلينكن اجتماع اجتماع لافروف", None, "", ""),
    "near3": ("", "بلينكن اجتماع اجتماع اجتماع لافروف", None, "", ""),
    "rev2": ("", "لافروف اجتماع اجتماع بلينكن", None, "", ""),
    # phrases and stopwords
    "phr_stop": ("", "وصل الوزير في القاهرة صباحا", None, "", ""),
    "phr_nostop": ("", "وصل الوزير القاهرة صباحا في", None, "", ""),
    "pairs_only": ("", "الوزير في البيت وهو في القاهرة", None, "", ""),
    "win": ("", "القاهرة تستضيف اجتماع وزير الخارجية", None, "", ""),
    "nearphr": ("", "وزير الخارجية قال بلينكن", None, "", ""),
    "t_phrase": ("وزير الخارجية يزور القاهرة", "زيارة", None, "", ""),
    # fields
    "title_oil": ("أسعار النفط", "تقرير اقتصادي", None, "", ""),
    "body_oil": ("تقرير", "ارتفاع أسعار النفط والغاز", None, "", ""),
    "body_gas": ("تقرير", "الغاز الطبيعي", None, "", ""),
    # dates (boundaries of July 21-31, 2015)
    "d20": ("", "خبر", datetime(2015, 7, 20, 23, 59, 59), "", ""),
    "d21": ("", "خبر", datetime(2015, 7, 21, 0, 0), "", ""),
    "d31": ("", "خبر", datetime(2015, 7, 31, 23, 59, 59, 999999), "", ""),
    "d0801": ("", "خبر", datetime(2015, 8, 1, 0, 0), "", ""),
    # fuzzy, literals, multi-token words
    "fz": ("", "التقى بلينكين نظيره", None, "", ""),
    "src": ("", "نشرة", None, "BBC", "http://x.com/a?b=1"),
    "cnn": ("", "قالت الـCNN إن", None, "", ""),
    "cnn_alone": ("", "قالت CNN إن", None, "", ""),
}


Ids = Callable[..., set[str]]


@pytest.fixture(scope="session")
def index() -> FileIndex:
    ix = RamStorage().create_index(build_schema())
    with CorpusWriter(ix) as writer:
        for doc_id, (title, body, date, source, url) in ARTICLES.items():
            doc = {
                "id": doc_id,
                "title": title,
                "body": body,
                "title_exact": title,
                "body_exact": body,
                "source": source,
                "url": url,
            }
            if date is not None:
                doc["date"] = date
            writer.add_document(**doc)
    return ix


@pytest.fixture(scope="session")
def searcher(index: FileIndex) -> Iterator[Searcher]:
    with index.searcher() as s:
        yield s


@pytest.fixture(scope="session")
def ids(searcher: Searcher) -> Ids:
    """`ids(query_text, mode=..., exact=..., limit=...)`: the set of matching article ids."""

    def run(text: str, limit: int | None = None, **kwargs: object) -> set[str]:
        q = build(parse(text), reader=searcher.reader(), **kwargs)  # type: ignore[arg-type]
        return {hit["id"] for hit in searcher.search(q, limit=limit)}

    return run
