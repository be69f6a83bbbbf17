"""Bad arguments to the library's public calls, as an app's code would pass them by
mistake (a value from a form, a None, one id where a list goes): a ``UsageError`` in one
line naming the argument, never a TypeError or AttributeError from inside the search,
and never a silent wrong answer."""

from __future__ import annotations

import shutil
from collections.abc import Callable
from pathlib import Path

import pytest

from indexer import Article, Corpus, CorpusError, UsageError

REPO = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> Corpus:
    path = tmp_path_factory.mktemp("arguments") / "index"
    with Corpus(path) as writer:
        writer.index([REPO / "corpus"])
    with Corpus(path) as reader:
        yield reader


BAD_CALLS: list[tuple[str, Callable[[Corpus], object], str]] = [
    ("query None", lambda c: c.search(None), "query must be a str, not NoneType None"),
    ("query int", lambda c: c.search(5), "query must be a str, not int 5"),
    ("query bytes", lambda c: c.search("وزير".encode()), "query must be a str, not bytes"),
    ("limit from a form", lambda c: c.search("وزير", limit="10"), "limit must be a whole number (int), not str '10'"),
    ("limit float", lambda c: c.search("وزير", limit=2.5), "limit must be a whole number (int), not float 2.5"),
    ("limit None", lambda c: c.search("وزير", limit=None), "limit must be a whole number (int), not NoneType None"),
    ("offset bool", lambda c: c.search("وزير", offset=True), "offset must be a whole number (int), not bool True"),
    ("source int", lambda c: c.search("وزير", source=5), "source must be a str or a list of str, not int 5"),
    ("article id None", lambda c: c.article(None), "article_id must be a str, not NoneType None"),
    ("article query int", lambda c: c.article("ar-0001", query=5), "query must be a str, not int 5"),
    ("similar id int", lambda c: c.similar(1), "article_id must be a str, not int 1"),
    ("explain None", lambda c: c.explain(None), "query must be a str, not NoneType None"),
    ("explain mode", lambda c: c.explain("وزير", mode="phrase"), "mode must be one of all, any, not 'phrase'"),
    ("explain_words mode", lambda c: c.explain_words("وزير", mode="x"), "mode must be one of all, any, not 'x'"),
    ("kwic query int", lambda c: c.kwic(5), "query must be a str, not int 5"),
    ("kwic limit str", lambda c: c.kwic("وزير", limit="5"), "limit must be a whole number (int), not str '5'"),
    ("trend list of int", lambda c: c.trend([5]), "queries must be a str or a list of str, not list [5]"),
    ("collocates top str", lambda c: c.collocates("وزير", top="5"), "top must be a whole number (int), not str '5'"),
    ("index sources None", lambda c: c.index(None), "sources must be a path or a list of paths, not NoneType None"),
    ("delete ids int", lambda c: c.delete(5), "ids must be a str or an iterable of str, not int 5"),
    ("add a JSON text", lambda c: c.add('{"id": "x"}'), "articles must be an article (a mapping or an Article) or an iterable of them, not str"),
]


@pytest.mark.parametrize("call,message", [(call, message) for _, call, message in BAD_CALLS], ids=[n for n, _, _ in BAD_CALLS])
def test_a_bad_argument_is_a_usage_error_naming_it(corpus: Corpus, call: Callable[[Corpus], object], message: str) -> None:
    with pytest.raises(UsageError) as raised:
        call(corpus)
    assert str(raised.value).startswith(message)
    assert "\n" not in str(raised.value)


def test_the_index_path_must_be_a_path(tmp_path: Path) -> None:
    with pytest.raises(UsageError, match="^the index path must be a str or a path, not int$"):
        Corpus(5)  # type: ignore[arg-type]


def test_good_arguments_of_every_kind_still_search(corpus: Corpus) -> None:
    assert corpus.search("وزير", facets=(name for name in ["source"])).facets["source"]
    assert corpus.search("وزير", source=["sabq", "alwatan"]).total > 0
    assert corpus.freq().articles > 0  # no query: the whole corpus
    assert corpus.trend(["وزير", "رئيس"]).series


def test_one_id_deletes_that_article_not_its_characters(tmp_path: Path, corpus: Corpus) -> None:
    index = tmp_path / "index"
    shutil.copytree(corpus.path, index, symlinks=True)
    with Corpus(index) as mine:
        assert mine.article("ar-0001") is not None
        assert mine.delete("ar-0001").deleted == 1
        assert mine.article("ar-0001") is None


def test_one_article_given_alone_is_added(tmp_path: Path) -> None:
    with Corpus(tmp_path / "index") as mine:
        assert mine.add({"id": "one", "title": "خبر واحد", "body": "قال وزير الخارجية"}).added == 1
        assert [hit.id for hit in mine.search("وزير")] == ["one"]
        assert mine.add(Article(id="two", title="خبر آخر", body="قال وزير الخارجية أيضا", date=None, date_raw="", source="", url="", origin="test")).added == 1
        assert sorted(hit.id for hit in mine.search("وزير")) == ["one", "two"]


def test_one_source_and_one_facet_are_read_as_one(tmp_path: Path, corpus: Corpus) -> None:
    with Corpus(tmp_path / "index") as mine:
        assert mine.index(str(REPO / "corpus")).added == corpus.stats().documents
        assert mine.search("وزير", facets="source").facets == mine.search("وزير", facets=["source"]).facets


@pytest.mark.parametrize("under", ["", "sub"])
def test_a_file_given_as_the_index_to_write_is_a_usage_error(tmp_path: Path, under: str) -> None:
    a_file = tmp_path / "notes.txt"
    a_file.write_text("not an index", encoding="utf-8")
    index = a_file / under if under else a_file
    for write in (lambda c: c.index([REPO / "corpus"]), lambda c: c.add([{"id": "x", "title": "خبر", "body": "نص"}])):
        with pytest.raises(UsageError, match=f"^cannot make the index at {index}: {a_file} is a file, not a directory; name a directory for the index$"):
            write(Corpus(index))
    with pytest.raises(CorpusError, match="^no index at"):
        Corpus(index).search("وزير")
    assert a_file.read_text(encoding="utf-8") == "not an index"
