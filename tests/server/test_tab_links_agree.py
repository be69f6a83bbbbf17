"""The collocates and distinctive-words tabs link each word to a search: on a live server
over the sample news, what a link finds holds (at least) the articles its number was
counted in, whichever way the page reads the query (exact or not) and the view counts
(stems or exact forms)."""

from __future__ import annotations

import html
import re
from collections.abc import Iterator
from urllib.parse import parse_qs, urlsplit

import pytest

from indexer import Corpus
from indexer.analysis import analyze
from tests.server.live import LiveServer
from tests.views.test_views_oracle import FIELDS, Doc, docs  # noqa: F401  (docs: the analysed sample, a fixture)

NODE = "السعودية"
WINDOW = 5  # the tab's default


@pytest.fixture(scope="module")
def sample_server(sample_corpus: Corpus) -> Iterator[LiveServer]:
    live = LiveServer(sample_corpus.path)
    yield live
    live.stop()


def linked_rows(page: str, key: str, link_class: str) -> list[tuple[str, int, dict]]:
    """Each row's key (``data-stem``/``data-term``), its first number and its link's parameters."""
    rows = []
    for row in re.findall(rf'<tr data-{key}="([^"]*)">(.*?)</tr>', page, re.S):
        found = re.search(rf'<a class="{link_class}" href="([^"]+)"', row[1])
        number = re.search(r'<td class="(?:cooccurrences|documents)">([\d,]+)</td>', row[1])
        if found and number:
            params = {k: v[-1] for k, v in parse_qs(urlsplit(html.unescape(found.group(1))).query).items()}
            rows.append((html.unescape(row[0]), int(number.group(1).replace(",", "")), params))
    return rows


def found_by(corpus: Corpus, params: dict) -> set[str]:
    """The articles the linked search finds, as the page would run it."""
    return {
        hit.id for hit in corpus.search(
            params["q"], limit=100_000, exact=bool(params.get("exact")), mode=params.get("mode", "all"),
        ).hits
    }


def near_node(docs: list[Doc], key: str, by: str, exact: bool) -> set[str]:  # noqa: F811
    """The articles in which a word keyed ``key`` (stem or exact form) stands within
    `WINDOW` words of the node (read exactly or by stem), in one field."""
    (node,) = analyze(NODE)
    same_node = (lambda t: t.exact == node.exact) if exact else (lambda t: t.stem == node.stem)
    keyed = (lambda t: t.stem) if by == "stem" else (lambda t: t.exact)
    found = set()
    for doc in docs:
        for field in FIELDS:
            tokens = doc.tokens[field]
            at = [t.position for t in tokens if same_node(t)]
            if at and any(keyed(t) == key and any(0 < abs(t.position - p) <= WINDOW for p in at) for t in tokens):
                found.add(doc.id)
    return found


@pytest.mark.parametrize("by", ["stem", "exact"])
@pytest.mark.parametrize("exact", [False, True])
def test_a_collocate_s_link_finds_every_article_it_was_counted_in(
    sample_server: LiveServer, sample_corpus: Corpus, docs: list[Doc], by: str, exact: bool  # noqa: F811
) -> None:
    params = {"q": NODE, "view": "collocates", "by": by, **({"exact": "1"} if exact else {})}
    page = sample_server.client.get("/", params=params).text
    rows = linked_rows(page, "stem", "together")
    assert len(rows) >= 20, "the sample has many collocates of السعودية"
    for key, cooccurrences, link in rows:
        counted_in = near_node(docs, key, by, exact)
        assert counted_in and len(counted_in) <= cooccurrences
        missed = counted_in - found_by(sample_corpus, link)
        assert not missed, f"{link['q']} (exact={link.get('exact')}) misses {len(missed)} of the {len(counted_in)} articles {key} was counted in"


@pytest.mark.parametrize("exact", [False, True])
def test_a_distinctive_word_s_link_finds_the_articles_it_is_counted_in(
    sample_server: LiveServer, sample_corpus: Corpus, exact: bool
) -> None:
    page = sample_server.client.get("/", params={"q": "النفط", "view": "keyness", **({"exact": "1"} if exact else {})}).text
    rows = linked_rows(page, "term", "within")
    assert len(rows) >= 10
    for term, documents, link in rows:  # "in articles": the query's articles holding the word, as the link searches it
        assert len(found_by(sample_corpus, link)) == documents, (term, link)
