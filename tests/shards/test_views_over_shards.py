"""The corpus views over a sharded index answer as one index of the same articles: kwic
(total, articles, the same lines in the same order, paged), trend, collocates and freq
(counts added up over the shards, scores computed from the sums), with filters and with
`--dedupe` (copies of a body lie in different shards). As a library, as commands, and
(slow) on the real news sample."""

from __future__ import annotations

import json
from collections.abc import Iterator

import pytest
from click.testing import CliRunner

from indexer.analysis import analyze
from indexer.cli import main
from indexer.views.kwic import KWIC_SORTS
from indexer.views.measures import MEASURES
from tests.query.test_execute import generate
from tests.shards.test_copies import with_copies
from tests.shards.test_equivalence import Pair, both_ways, sample_pair, write_jsonl  # noqa: F401  (a fixture)

FILTERS = [{}, {"dedupe": True}, {"source": "okaz", "since": "2015-07-15"}, {"until": "2015-08", "dedupe": True, "mode": "any"}]


@pytest.fixture(scope="module")
def pair(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Pair]:
    root = tmp_path_factory.mktemp("views-over-shards")
    one, sharded = both_ways(write_jsonl(with_copies(generate(200, seed=3)), root / "articles.jsonl"), root, shards=3)
    yield one, sharded
    one.close()
    sharded.close()


def same(pair: Pair, view: str, *args: object, **options: object) -> dict:
    one, sharded = pair
    a = getattr(one, view)(*args, **options).to_dict()
    b = getattr(sharded, view)(*args, **options).to_dict()
    assert b == a, (view, args, options)
    return a


@pytest.mark.parametrize("options", FILTERS, ids=["all", "dedupe", "source+since", "any+until+dedupe"])
@pytest.mark.parametrize("sort", KWIC_SORTS)
def test_kwic_gives_one_index_s_lines_in_its_order(pair: Pair, sort: str, options: dict) -> None:
    for text in ("وزير", '"وزير الخارجية" OR النفط', "بلينكن NEAR/3 لافروف", "الاجتما*"):
        whole = same(pair, "kwic", text, sort=sort, limit=100_000, **options)
        assert whole["total"] == len(whole["lines"]) > 0 or text == "بلينكن NEAR/3 لافروف"
        page = same(pair, "kwic", text, sort=sort, limit=7, offset=5, width=20, **options)
        assert page["lines"] == [{**line, "left": narrower(line["left"], 20, left=True), "right": narrower(line["right"], 20, left=False)} for line in whole["lines"][5:12]]


def narrower(context: str, width: int, left: bool) -> str:
    """A context of whole words (as kwic cuts it) cut again to ``width`` characters, in whole words."""
    cut = max(0, len(context) - width) if left else min(len(context), width)
    inside = next((t for t in analyze(context) if t.start < cut < t.end), None)
    if inside is not None:
        cut = inside.end if left else inside.start
    return context[cut:] if left else context[:cut]


def test_kwic_breaks_ties_by_article_id(pair: Pair) -> None:
    lines = same(pair, "kwic", "النفط", sort="source", limit=100_000)["lines"]
    keys = [(line["source"].casefold(), line["id"]) for line in lines]
    assert keys == sorted(keys)


@pytest.mark.parametrize("options", FILTERS, ids=["all", "dedupe", "source+since", "any+until+dedupe"])
def test_trend_adds_up_the_shards(pair: Pair, options: dict) -> None:
    for by, per, split in (("month", "million-words", False), ("day", "articles", True), ("week", "million-words", True)):
        result = same(pair, "trend", ["وزير", "النفط OR الغاز"], by=by, per=per, split_source=split, **options)
        assert sum(p["articles"] for s in result["series"] for p in s["points"]) > 0


@pytest.mark.parametrize("measure", MEASURES)
def test_collocates_score_the_summed_counts(pair: Pair, measure: str) -> None:
    for options in ({}, {"by": "exact", "min_freq": 2, "stopwords": True}, {"dedupe": True, "window": 2}, {"source": "sabq"}):
        result = same(pair, "collocates", "وزير", measure=measure, top=1000, **options)
        assert result["collocates"], options


def test_a_collocate_frequent_only_over_all_shards_is_kept(pair: Pair) -> None:
    # each shard sees a collocate fewer than min_freq times; summed they reach it
    one, sharded = pair
    counts = one.collocates("لافروف", min_freq=1, top=1000).collocates
    threshold = max(c.cooccurrences for c in counts)
    result = same(pair, "collocates", "لافروف", min_freq=threshold, top=1000)
    assert [c["cooccurrences"] for c in result["collocates"]] and all(c["cooccurrences"] >= threshold for c in result["collocates"])


@pytest.mark.parametrize("options", FILTERS, ids=["all", "dedupe", "source+since", "any+until+dedupe"])
def test_freq_adds_up_the_shards(pair: Pair, options: dict) -> None:
    same(pair, "freq", top=1000, **options)
    same(pair, "freq", by="exact", top=50, **options)
    keyed = same(pair, "freq", "النفط", sort="keyness", top=1000, **options)
    assert keyed["terms"] and keyed["terms"][0]["keyness"] is not None


def test_the_view_commands_print_one_index_s_answer(pair: Pair) -> None:
    one, sharded = pair
    for args in (["kwic", "وزير", "--json", "-n", "5", "--sort", "right"], ["trend", "النفط", "الغاز", "--csv"],
                 ["collocates", "وزير", "--json", "--dedupe"], ["freq", "النفط", "--sort", "keyness", "--csv"], ["kwic", "النفط", "--dedupe"]):
        a = CliRunner().invoke(main, [*args, "--index", str(one.path)])
        b = CliRunner().invoke(main, [*args, "--index", str(sharded.path)])
        assert a.exit_code == b.exit_code == 0, (args, b.output)
        assert b.stdout == a.stdout and b.stderr == a.stderr, args
    answer = json.loads(CliRunner().invoke(main, ["kwic", "وزير", "--json", "--index", str(sharded.path)]).stdout)
    assert answer["total"] > 0


def test_a_bad_query_is_named_as_for_one_index(pair: Pair) -> None:
    one, sharded = pair
    a = CliRunner().invoke(main, ["kwic", '"وزير', "--index", str(one.path)])
    b = CliRunner().invoke(main, ["kwic", '"وزير', "--index", str(sharded.path)])
    assert a.exit_code == b.exit_code == 2 and b.stderr == a.stderr


def test_the_news_sample_s_views_answer_as_one_index(sample_pair: Pair) -> None:
    same(sample_pair, "kwic", "السعودية", sort="left", limit=30, offset=40, dedupe=True)
    same(sample_pair, "trend", ["النفط", "الرياض"], by="week", split_source=True)
    same(sample_pair, "collocates", "خادم", measure="llr")
    same(sample_pair, "freq", "النفط", sort="keyness", top=200, since="2015-08")
