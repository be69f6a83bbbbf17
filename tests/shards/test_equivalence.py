"""A sharded index answers exactly as one index of the same articles: the same hits in
the same order, the same scores (1e-9 relative), totals, snippets and highlights, for
every case of the query-semantics tables (tests/query/test_execute.py), sorted every
way and paged. On generated articles, and (slow) on the real news sample."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import orjson
import pytest

from indexer import Article, Corpus
from indexer.facets import FACETS
from indexer.sources import read_sources
from tests.query.test_execute import FILTER_CASES, RESULT_CASES, SAMPLE_CASES, generate

SORTS = ("relevance", "date", "-date")
Pair = tuple[Corpus, Corpus]


def write_jsonl(articles: list[Article], path: Path) -> Path:
    rows = [
        {"id": a.id, "title": a.title, "body": a.body, "date": a.date.isoformat() if a.date else None, "source": a.source, "url": a.url}
        for a in articles
    ]
    path.write_bytes(b"".join(orjson.dumps(r) + b"\n" for r in rows))
    return path


def both_ways(source: Path, root: Path, shards: int) -> Pair:
    one, sharded = Corpus(root / "one"), Corpus(root / "sharded")
    assert one.index([source]).added == sharded.index([source], shards=shards).added
    assert sum(1 for p in (root / "sharded" / "current").iterdir() if p.name.startswith("shard-")) == shards
    return one, sharded


@pytest.fixture(scope="module")
def generated_pair(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Pair]:
    root = tmp_path_factory.mktemp("equivalence")
    one, sharded = both_ways(write_jsonl(generate(160, seed=7), root / "generated.jsonl"), root, shards=3)
    yield one, sharded
    one.close()
    sharded.close()


@pytest.fixture(scope="module")
def sample_pair(sample_jsonl: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Pair]:
    one, sharded = both_ways(sample_jsonl, tmp_path_factory.mktemp("sample-equivalence"), shards=4)
    yield one, sharded
    one.close()
    sharded.close()


def assert_same(pair: Pair, text: str, **options: object) -> None:
    one, sharded = pair
    for sort in SORTS:
        for offset, limit in ((0, 100_000), (3, 5)):
            a = one.search(text, offset=offset, limit=limit, sort=sort, **options)  # type: ignore[arg-type]
            b = sharded.search(text, offset=offset, limit=limit, sort=sort, **options)  # type: ignore[arg-type]
            where = (text, options, sort, offset)
            assert b.total == a.total, where
            assert [h.id for h in b] == [h.id for h in a], where
            assert [h.score for h in b] == pytest.approx([h.score for h in a], rel=1e-9, abs=0), where
            assert [(h.snippet, h.highlights, h.title_highlights, h.date, h.source) for h in b] == [
                (h.snippet, h.highlights, h.title_highlights, h.date, h.source) for h in a
            ], where
    a = one.search(text, facets=FACETS, did_you_mean=True, **options)  # type: ignore[arg-type]
    b = sharded.search(text, facets=FACETS, did_you_mean=True, **options)  # type: ignore[arg-type]
    assert b.facets == a.facets, (text, options)
    assert b.suggestion == a.suggestion, (text, options)
    assert list(b.facets["source"]) == list(a.facets["source"]), "sources ordered as one index orders them"


@pytest.mark.parametrize(("text", "mode"), [case[:2] for case in RESULT_CASES], ids=[case[-1] for case in RESULT_CASES])
def test_every_query_of_the_semantics_table_answers_as_one_index(generated_pair: Pair, text: str, mode: str) -> None:
    one, _ = generated_pair
    assert one.search(text, mode=mode).total, "a case that finds nothing tests little"
    assert_same(generated_pair, text, mode=mode)


@pytest.mark.parametrize("options", [case[0] for case in FILTER_CASES], ids=[case[-1] for case in FILTER_CASES])
def test_filters_answer_as_one_index(generated_pair: Pair, options: dict) -> None:
    assert_same(generated_pair, "وزير OR الخارجية", **options)


@pytest.mark.parametrize(("text", "mode"), [case[:2] for case in SAMPLE_CASES], ids=[case[-1] for case in SAMPLE_CASES])
def test_news_sample_answers_as_one_index(sample_pair: Pair, text: str, mode: str) -> None:
    assert_same(sample_pair, text, mode=mode)


def test_questions_and_unseen_words_answer_as_one_index(sample_pair: Pair) -> None:
    # mode "any" reads a question leniently; a misspelt word is resolved over every shard
    for text in ("ما هي أسعار النفط في السعودية؟", "السعوديةة", "الملكسلمان"):
        assert_same(sample_pair, text, mode="any")
    one, sharded = sample_pair
    assert sharded.explain("السعوديةة") == one.explain("السعوديةة")


def test_filters_alone_answer_as_one_index(generated_pair: Pair, sample_pair: Pair) -> None:
    # no words: every article the filters admit, newest first by default
    cases = [(generated_pair, {"since": "2015-08"}), (sample_pair, {"source": ["okaz", "Jawhara FM"]}),
             (sample_pair, {"since": "2015-08", "until": "2015-08"}), (sample_pair, {"source": "alriyadh"})]
    for pair, options in cases:
        assert pair[0].search("", **options).total > 0, options
        assert_same(pair, "", **options)


def test_month_facets_fill_the_months_no_shard_found_with_zero(sample_pair: Pair) -> None:
    one, sharded = sample_pair
    months = sharded.search("السعودية", facets=["month"]).facets["month"]
    assert months == one.search("السعودية", facets=["month"]).facets["month"]
    labels = list(months)
    assert labels == sorted(labels) and len(labels) >= 2
    assert sum(months.values()) == sum(1 for h in one.search("السعودية", limit=100_000) if h.date)


def test_an_article_is_fetched_from_its_shard_with_the_query_marked(sample_pair: Pair) -> None:
    one, sharded = sample_pair
    ids = [h.id for h in one.search("النفط", limit=12)]
    assert len(ids) == 12
    for article_id in ids:
        assert sharded.article(article_id, "النفط") == one.article(article_id, "النفط")
        assert sharded.article(article_id).highlights == []
    assert sharded.article(ids[0], "النفط").highlights, "the query's words are marked in the body"
    assert sharded.article("no-such-article") is None


def test_articles_like_one_are_found_as_over_one_index(sample_pair: Pair) -> None:
    one, sharded = sample_pair
    for article_id in [h.id for h in one.search("النفط", limit=5)]:
        a, b = one.similar(article_id), sharded.similar(article_id)
        assert b.query == a.query, "the same telling words, from the counts of every shard"
        assert [h.id for h in b] == [h.id for h in a] and b.total == a.total
        assert [h.score for h in b] == pytest.approx([h.score for h in a], rel=1e-9, abs=0)


def test_explanations_are_one_index_s(sample_pair: Pair) -> None:
    one, sharded = sample_pair
    for text, mode in (("فكرة الحكومة", "any"), ("و?ير كيري~1", "all"), ("title:الهلا* وزير", "all")):
        assert sharded.explanation(text, mode).to_dict() == one.explanation(text, mode).to_dict()


def test_did_you_mean_over_shards_is_one_index_s(tmp_path: Path) -> None:
    sentences = ["تستضيف الرياض معرض الكتاب الدولي", "أعلنت هيئة الأرصاد عن أمطار على الرياض", "افتتح أمير منطقة الرياض مشروع النقل"]
    articles = [Article(f"a{i}", "", sentences[i % 3], None, "", "test", "", f"a{i}") for i in range(12)]
    one, sharded = both_ways(write_jsonl(articles, tmp_path / "few.jsonl"), tmp_path, shards=3)
    with one, sharded:
        for typed, meant in (("الرياص", "الرياض"), ("معرض الرياص", "معرض الرياض")):
            found = sharded.search(typed, did_you_mean=True)
            assert (found.total, found.suggestion) == (0, meant)
            assert one.search(typed, did_you_mean=True).suggestion == meant
            assert sharded.search(meant).total == one.search(meant).total > 0
        assert sharded.search("الرياض", did_you_mean=True).suggestion is None


def test_stats_add_up_to_one_index(sample_pair: Pair, sample_jsonl: Path) -> None:
    one, sharded = sample_pair
    a, b = one.stats().to_dict(), sharded.stats().to_dict()
    for key in ("documents", "sources", "date_min", "date_max", "undated", "analyzer_version"):
        assert b[key] == a[key], key
    assert a["documents"] == len({x.id for x in read_sources([sample_jsonl]) if isinstance(x, Article)})
