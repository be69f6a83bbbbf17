"""Telling words (`indexer.query.ranking`, `plan.Telling`): a pasted headline finds the
report it names before reports of the same kind of event that name its place in
passing. The exact scores are checked against a model in test_execute.py; this is the
behaviour a user sees."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from indexer import Article, Corpus
from indexer.query import ranking
from indexer.sources import read_sources

ROOT = Path(__file__).resolve().parents[2]
TOWNS = ("عنيزة", "الأحساء", "الخرج", "الرس", "المذنب", "البكيرية")
FILLER = (
    "وتضم ساحات العرض أجنحة للأسر المنتجة ومعارض للحرف اليدوية وركنا للأطفال، وتنظم الجهات المشاركة "
    "ندوات يومية عن التسويق والتصدير وسلامة الغذاء، وتعمل فرق التنظيم على مدار الساعة لاستقبال الزوار "
    "القادمين من داخل المنطقة وخارجها، كما خصصت مواقف إضافية للسيارات وحافلات لنقل الزوار من وسط المدينة. "
)


def report(town: str, closing: str = "") -> str:
    """A dates festival's opening day in `town`: the same kind of report for every town."""
    return f"شهد افتتاح مهرجان التمور في {town} أمس إقبالا كبيرا من الزوار في يومه الأول. " + FILLER + FILLER + closing


@pytest.fixture(scope="module")
def festivals(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Corpus]:
    """The bundled articles, Buraidah's festival report, and six reports from other towns
    that end by recalling Buraidah's festival (so each says "festival" and "dates" once
    more than Buraidah's own report)."""
    articles = [a for a in read_sources([ROOT / "corpus"]) if isinstance(a, Article)]
    articles.append(Article("buraidah", "", report("بريدة"), None, "", "sabq", "", ""))
    for i, town in enumerate(TOWNS):
        closing = "وكان مهرجان التمور في بريدة قد انطلق قبل أسبوع."
        articles.append(Article(f"town-{i}", "", report(town, closing), None, "", "sabq", "", ""))
    corpus = Corpus(tmp_path_factory.mktemp("festivals") / "index")
    assert corpus.add(articles).added == len(articles)
    yield corpus
    corpus.close()


HEADLINE = "افتتاح مهرجان التمور في بريدة"


def test_the_headline_finds_the_report_whose_opening_names_its_place(festivals: Corpus) -> None:
    hits = festivals.search(HEADLINE, mode="any", limit=10).hits
    assert hits[0].id == "buraidah"
    assert {h.id for h in hits[1:7]} == {f"town-{i}" for i in range(len(TOWNS))}


def test_without_telling_words_the_reports_that_say_festival_more_come_first(festivals: Corpus, monkeypatch: pytest.MonkeyPatch) -> None:
    # The premise of the test above: by the words' counts alone, every other town's report wins.
    monkeypatch.setattr(ranking, "TELLING_WEIGHT", 0.0)
    hits = festivals.search(HEADLINE, mode="any", limit=10).hits
    assert [h.id for h in hits].index("buraidah") == len(TOWNS)
