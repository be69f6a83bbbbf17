"""A word of a question (mode "any") also finds its siblings: the rarer stems that are it
with one more clitic or suffix, which the stemmer keeps apart (indexer/query/ranking.py).

فيصل (a name) is kept apart from يصل (he arrives) by the stemmer (issue 12): a question
about يصل finds an article saying only فيصل, below every article saying يصل, and only
while فيصل is the rarer of the two; mode "all" never finds it.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from indexer import Article, Corpus
from indexer.analysis import analyze
from indexer.query import ranking

ARRIVES = [f"يصل الوفد الرسمي إلى الرياض مساء اليوم في زيارة رقم {n}" for n in range(4)]
NAME = "استقبل الأمير فيصل الوفد الرسمي في جدة"
OTHER = "ارتفعت أسعار النفط في الأسواق العالمية"


def corpus_of(path: Path, bodies: list[str]) -> Corpus:
    corpus = Corpus(path)
    articles = [Article(f"a{i}", "", body, None, "", "", "", "") for i, body in enumerate(bodies)]
    assert corpus.add(articles).added == len(articles)
    return corpus


def stem(word: str) -> str:
    (token,) = analyze(word)
    return token.stem


def test_the_stemmer_keeps_the_pair_apart() -> None:
    assert stem("فيصل") != stem("يصل")


def test_a_question_word_finds_its_rarer_sibling_below_its_own_matches(tmp_path: Path) -> None:
    with corpus_of(tmp_path / "index", [*ARRIVES, NAME, OTHER]) as corpus:
        ranked = [hit.id for hit in corpus.search("متى يصل", mode="any", limit=10).hits]
        assert set(ranked[:4]) == {"a0", "a1", "a2", "a3"} and ranked[4:] == ["a4"]
        assert {hit.id for hit in corpus.search("متى يصل", limit=10).hits} == {"a0", "a1", "a2", "a3"}


def test_a_sibling_more_frequent_than_the_word_is_not_searched(tmp_path: Path) -> None:
    bodies = [ARRIVES[0], *(f"{NAME} رقم {n}" for n in range(3)), OTHER]
    with corpus_of(tmp_path / "index", bodies) as corpus:
        assert [hit.id for hit in corpus.search("متى يصل", mode="any", limit=10).hits] == ["a0"]


def test_without_siblings_the_word_finds_only_itself(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(ranking, "SIBLING_WEIGHT", 0.0)
    with corpus_of(tmp_path / "index", [*ARRIVES, NAME, OTHER]) as corpus:
        assert {hit.id for hit in corpus.search("متى يصل", mode="any", limit=10).hits} == {"a0", "a1", "a2", "a3"}


def test_explain_names_the_siblings_a_question_searches(tmp_path: Path) -> None:
    with corpus_of(tmp_path / "index", [*ARRIVES, NAME, OTHER]) as corpus:
        lines = corpus.explain("متى يصل", mode="any").splitlines()
        assert f"  يصل: also searched at {ranking.SIBLING_WEIGHT} of its score: فيصل (stems the stemmer keeps apart)" in lines
        assert not any("also searched" in line for line in corpus.explain("متى يصل").splitlines())


def test_explain_names_the_siblings_beside_a_required_word(tmp_path: Path) -> None:
    with corpus_of(tmp_path / "index", [*ARRIVES, NAME, OTHER]) as corpus:
        lines = corpus.explain("+الرياض متى يصل", mode="any").splitlines()
        assert any(line.startswith("  يصل: also searched at") for line in lines)


def test_a_sharded_index_finds_the_same_siblings(tmp_path: Path) -> None:
    """Over shards the candidates are counted by every shard at once
    (`FederatedReader.doc_frequencies`); the answer is one index's."""
    source = tmp_path / "articles.jsonl"
    others = [f"{OTHER} في اليوم {n}" for n in range(12)]  # so that every shard holds articles
    rows = [{"id": f"a{i}", "title": "", "body": body} for i, body in enumerate([*ARRIVES, NAME, *others])]
    source.write_text("".join(json.dumps(row, ensure_ascii=False) + "\n" for row in rows), encoding="utf-8")
    with Corpus(tmp_path / "one") as one, Corpus(tmp_path / "sharded") as sharded:
        one.index([source])
        sharded.index([source], shards=3)
        found = [(hit.id, round(hit.score, 9)) for hit in sharded.search("متى يصل", mode="any", limit=10).hits]
        assert found == [(hit.id, round(hit.score, 9)) for hit in one.search("متى يصل", mode="any", limit=10).hits]
        assert found[-1][0] == "a4"
