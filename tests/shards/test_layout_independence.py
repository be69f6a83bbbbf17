"""A ranking never depends on how the articles are laid out: one index written in several
commits (several segments), the same articles written at once (one segment) and a
sharded index of them give the same hits in the same order with the same scores.

Questions and pasted titles (mode "any") are where it could go wrong: proximity and the
lead are added to the `ranking.RESCORED` best documents only, and which documents those
are must be chosen over the whole index, not per segment or per shard."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from pathlib import Path

import pytest

from indexer import Article, Corpus
from indexer.query import ranking
from indexer.sources import read_sources
from tests.query.test_execute import generate
from tests.shards.test_equivalence import write_jsonl

Layouts = dict[str, Corpus]
QUESTIONS = ("وزير الخارجية في القاهرة", "أسعار النفط والغاز في السعودية", "اجتماع وزير الخارجية لافروف بلينكن")
NEWS_QUESTIONS = (
    "ما هي أسعار النفط في السعودية؟",
    "أمير منطقة الرياض يفتتح مشروع النقل العام",
    "وزير الخارجية يلتقي نظيره الأمريكي",
    "الهلال والنصر في الدوري",
)


def segment_count(corpus: Corpus) -> int:
    with corpus.open_index().searcher() as searcher:
        return len(list(searcher.leaf_searchers()))


def laid_out(articles: Sequence[Article], root: Path, commits: int, shards: int) -> Layouts:
    """The articles written at once, in `commits` commits (half of those left each time,
    so that segments of several sizes are not merged), and into `shards` shards."""
    source = write_jsonl(list(articles), root / "articles.jsonl")
    at_once, in_steps, sharded = Corpus(root / "at-once"), Corpus(root / "in-steps"), Corpus(root / "sharded")
    at_once.index([source])
    start = 0
    for step in range(commits):
        end = len(articles) if step == commits - 1 else start + (len(articles) - start) // 2
        in_steps.add(articles[start:end])
        start = end
    sharded.index([source], shards=shards)
    assert segment_count(at_once) == 1
    assert segment_count(in_steps) > 1, "the articles written in steps should lie in several segments"
    return {"at once": at_once, "in steps": in_steps, "sharded": sharded}


@pytest.fixture(scope="module")
def generated_layouts(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Layouts]:
    layouts = laid_out(generate(160, seed=11), tmp_path_factory.mktemp("layouts"), commits=4, shards=3)
    yield layouts
    for corpus in layouts.values():
        corpus.close()


@pytest.fixture(scope="module")
def news_layouts(sample_jsonl: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Layouts]:
    articles = [a for a in read_sources([sample_jsonl]) if isinstance(a, Article)]
    layouts = laid_out(articles, tmp_path_factory.mktemp("news-layouts"), commits=5, shards=4)
    yield layouts
    for corpus in layouts.values():
        corpus.close()


def assert_same_ranking(layouts: Layouts, text: str, **filters: object) -> None:
    answers = {name: corpus.search(text, mode="any", limit=100_000, **filters) for name, corpus in layouts.items()}  # type: ignore[arg-type]
    one = answers.pop("at once")
    assert one.total > ranking.RESCORED, "a question matching fewer articles than are rescored tests little"
    for name, other in answers.items():
        where = (text, name)
        assert other.total == one.total, where
        assert [h.id for h in other] == [h.id for h in one], where
        assert [h.score for h in other] == [h.score for h in one], where  # the same floats, not merely close


@pytest.mark.parametrize("depth", [ranking.RESCORED, 5])
@pytest.mark.parametrize("text", QUESTIONS)
def test_a_question_ranks_alike_in_one_segment_several_and_shards(
    generated_layouts: Layouts, text: str, depth: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(ranking, "RESCORED", depth)
    assert_same_ranking(generated_layouts, text)


@pytest.mark.parametrize("filters", [{"since": "2015-08"}, {"source": ["sabq", "okaz"]}, {"until": "2015-07-20", "source": "alwatan"}])
def test_a_filtered_question_ranks_alike_however_laid_out(generated_layouts: Layouts, filters: dict, monkeypatch: pytest.MonkeyPatch) -> None:
    # the filters run beside the question (an AllOf): its best documents are those the filters admit
    monkeypatch.setattr(ranking, "RESCORED", 5)
    for text in QUESTIONS:
        assert_same_ranking(generated_layouts, text, **filters)


def test_the_rescored_documents_are_the_best_of_the_whole_index(generated_layouts: Layouts, monkeypatch: pytest.MonkeyPatch) -> None:
    # With per-segment choice, each segment's few best would all get the bonus: more
    # documents than `RESCORED` would score above their words' sum.
    monkeypatch.setattr(ranking, "RESCORED", 5)
    text = QUESTIONS[0]
    in_steps = generated_layouts["in steps"]
    with_bonus = {h.id: h.score for h in in_steps.search(text, mode="any", limit=100_000)}
    monkeypatch.setattr(ranking, "PROXIMITY_WEIGHT", 0.0)
    monkeypatch.setattr(ranking, "LEAD_WEIGHT", 0.0)
    words_alone = {h.id: h.score for h in in_steps.search(text, mode="any", limit=100_000)}
    raised = [i for i, score in with_bonus.items() if score > words_alone[i] * (1 + 1e-12)]
    assert 0 < len(raised) <= 5
    best = sorted(words_alone.values(), reverse=True)[4]
    assert all(words_alone[i] >= best for i in raised), "only the five best by their words' scores are rescored"


@pytest.mark.parametrize("text", NEWS_QUESTIONS)
def test_a_question_over_the_news_sample_ranks_alike_however_laid_out(news_layouts: Layouts, text: str) -> None:
    assert_same_ranking(news_layouts, text)
