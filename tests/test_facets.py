"""``Results.facets`` and ``corpus query --facets``: counts over every matching article,
checked against the hits themselves fetched all at once."""

from __future__ import annotations

import json
from collections import Counter

import pytest
from click.testing import CliRunner

from indexer import UsageError, analyze
from indexer.cli import main

QUERIES = ["وزير", "الرياض OR جدة", '"وزير الخارجية"', "date:>=2020-01-01 الوزارة", "السينما"]


@pytest.mark.parametrize("query", QUERIES)
def test_facets_count_every_match(bundled_corpus, query):
    page = bundled_corpus.search(query, limit=1, facets=["source", "month", "year"])
    everything = bundled_corpus.search(query, limit=1000)
    assert page.total == everything.total == len(everything.hits)
    assert {k.casefold(): n for k, n in page.facets["source"].items()} == dict(Counter(hit.source.casefold() for hit in everything))
    assert set(page.facets["source"]) <= {hit.source for hit in everything}  # as the articles write them
    dated = [hit.date for hit in everything if hit.date]
    assert {m: n for m, n in page.facets["month"].items() if n} == dict(Counter(d[:7] for d in dated))
    assert {y: n for y, n in page.facets["year"].items() if n} == dict(Counter(d[:4] for d in dated))


def test_periods_run_from_the_first_match_to_the_last_without_gaps(bundled_corpus):
    months = bundled_corpus.search("وزير", facets=["month"]).facets["month"]
    labels = list(months)
    assert labels == sorted(labels) and 0 in months.values()
    for earlier, later in zip(labels, labels[1:]):
        year, month = int(earlier[:4]), int(earlier[5:])
        assert later == (f"{year + 1}-01" if month == 12 else f"{year}-{month + 1:02d}")


def test_no_facets_unless_asked_and_none_for_no_match(bundled_corpus):
    assert bundled_corpus.search("وزير").facets is None
    assert "facets" not in bundled_corpus.search("وزير").to_dict()
    empty = bundled_corpus.search("xyzzy", facets=["source", "month"])
    assert empty.total == 0 and empty.facets == {"source": {}, "month": {}}


def test_an_unknown_facet_is_named(bundled_corpus):
    with pytest.raises(UsageError, match="unknown facet 'week'"):
        bundled_corpus.search("وزير", facets=["source", "week"])


def test_cli_prints_facets_in_json_and_for_people(bundled_corpus):
    index = str(bundled_corpus.path)
    result = CliRunner().invoke(main, ["query", "--index", index, "--json", "--facets", "source,year", "وزير"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert set(data["facets"]) == {"source", "year"} and sum(data["facets"]["source"].values()) == data["total"]
    people = CliRunner().invoke(main, ["query", "--index", index, "--facets", "source", "--no-color", "وزير"])
    assert "\nsource:\n" in people.stdout
    name, count = next(iter(data["facets"]["source"].items()))
    assert f"{count:>10}  {name}" in people.stdout
    bad = CliRunner().invoke(main, ["query", "--index", index, "--facets", "weekday", "وزير"])
    assert bad.exit_code == 2 and "unknown facet 'weekday'" in bad.output


def test_article_whole_with_every_highlight(bundled_corpus):
    article = bundled_corpus.article("ar-0001", "بلينكن وزير")
    assert article.title.startswith("وزير الخارجية")
    wanted = {token.stem for token in analyze("بلينكن وزير")}
    assert all([token.stem for token in analyze(article.body[s:e])] in ([stem] for stem in wanted) for s, e in article.highlights)
    assert len(article.highlights) >= article.body.count("وزير") >= 2
    assert article.to_dict()["highlights"] == [list(span) for span in article.highlights]
    assert bundled_corpus.article("ar-0001").highlights == []
    assert bundled_corpus.article("no-such-id") is None
