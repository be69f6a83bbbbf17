"""A tiny corpus over the real schema, and a helper returning the ids a query finds."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import datetime

import pytest

from indexer import Article, Corpus

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
def corpus(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Corpus]:
    """`ARTICLES` in a corpus of their own (written as any article is: `schema.document`)."""
    corpus = Corpus(tmp_path_factory.mktemp("semantics") / "index")
    articles = [
        Article(doc_id, title, body, date, "", source, url, f"ARTICLES[{doc_id!r}]")
        for doc_id, (title, body, date, source, url) in ARTICLES.items()
    ]
    report = corpus.add(articles)
    assert report.added == len(ARTICLES), report
    yield corpus
    corpus.close()


@pytest.fixture(scope="session")
def reader(corpus: Corpus) -> Iterator[object]:
    """The index reader of `corpus` (its lexicon expands patterns)."""
    with corpus.open_index().searcher() as searcher:
        yield searcher.reader()


@pytest.fixture(scope="session")
def ids(corpus: Corpus) -> Ids:
    """`ids(query_text, mode=..., exact=..., limit=...)`: the ids `Corpus.search` finds."""

    def run(text: str, limit: int | None = None, **kwargs: object) -> set[str]:
        results = corpus.search(text, limit=len(ARTICLES) if limit is None else limit, **kwargs)  # type: ignore[arg-type]
        return {hit.id for hit in results}

    return run
