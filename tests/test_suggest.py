"""'Did you mean': a query that finds little is offered a close spelling that finds more."""

from __future__ import annotations

import json
from collections.abc import Iterator

import pytest
from click.testing import CliRunner

from indexer import Article, Corpus
from indexer.cli import main
from indexer.query.suggest import arabic_distance

SENTENCES = [
    "وصل وزير الخارجية الأمريكي أنتوني بلينكن إلى الرياض مساء الأحد",
    "استقبل ولي العهد في الرياض وفدا من رجال الأعمال",
    "تستضيف الرياض معرض الكتاب الدولي في شهر مارس",
    "أعلنت هيئة الأرصاد عن أمطار على الرياض والمنطقة الشرقية",
    "افتتح أمير منطقة الرياض مشروع النقل العام",
    "شارك مسؤولون من الرياض والقاهرة في مؤتمر الطاقة",
]


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Corpus]:
    """Twelve short news items saying الرياض, two saying بلينكين, two saying مسؤولون and ten
    saying الإمارات (one of them without its hamza)."""
    articles = [
        Article(f"a{i}", "", SENTENCES[i % len(SENTENCES)], None, "", "test", "", f"a{i}") for i in range(12)
    ]
    articles += [
        Article("b1", "", "قال وزير الخارجية بلينكين إن المحادثات كانت مثمرة", None, "", "test", "", "b1"),
        Article("b2", "", "التقى بلينكين نظيره الفرنسي في باريس", None, "", "test", "", "b2"),
    ]
    articles += [
        Article(f"e{i}", "", f"أعلنت {'الامارات' if i == 0 else 'الإمارات'} عن مشروع جديد رقم {i}", None, "", "test", "", f"e{i}")
        for i in range(10)
    ]
    corpus = Corpus(tmp_path_factory.mktemp("suggest") / "index")
    corpus.add(articles)
    yield corpus
    corpus.close()


@pytest.mark.parametrize(
    ("typed", "meant", "cost"),
    [
        ("بلينكن", "بلينكين", 0.5),  # a long vowel in a transliterated name
        ("ترامبب", "ترامب", 0.5),  # a letter doubled
        ("مساول", "مسءول", 0.5),  # a hamza's seat for the hamza (folded form)
        ("الرياص", "الرياض", 1.0),  # a neighbouring key
        ("الرايض", "الرياض", 0.5),  # two letters swapped
        ("الرياض", "الرياض", 0.0),
    ],
)
def test_typical_arabic_slips_cost_less_than_other_edits(typed: str, meant: str, cost: float) -> None:
    assert arabic_distance(typed, meant) == cost
    assert arabic_distance(meant, typed) == cost


def test_a_suggestion_is_spelt_as_the_articles_spell_it(corpus: Corpus) -> None:
    # The index holds الإمارات folded (الامارات); nine of its ten articles write the hamza.
    results = corpus.search("الامارت", did_you_mean=True)
    assert results.total == 0
    assert results.suggestion == "الإمارات"
    assert corpus.search(results.suggestion).total == 10


def test_a_misspelt_word_that_finds_nothing_is_offered_the_word_the_index_holds(corpus: Corpus) -> None:
    results = corpus.search("الرياص", did_you_mean=True)
    assert results.total == 0
    assert results.suggestion == "الرياض"
    assert corpus.search(results.suggestion, did_you_mean=True).total == 12


def test_only_the_misspelt_word_of_a_query_is_replaced(corpus: Corpus) -> None:
    results = corpus.search("معرض الرياص", did_you_mean=True)
    assert results.total == 0
    assert results.suggestion == "معرض الرياض"


def test_a_query_that_finds_enough_gets_no_suggestion(corpus: Corpus) -> None:
    assert corpus.search("الرياض", did_you_mean=True).suggestion is None
    assert corpus.search("الرياض", exact=True, did_you_mean=True).suggestion is None


def test_no_suggestion_when_nothing_close_is_more_frequent(corpus: Corpus) -> None:
    # بلينكن is within one cheap edit of بلينكين, but that is in 2 articles, not ten times more.
    assert corpus.search("بلينكنن", did_you_mean=True).suggestion is None
    assert corpus.search("كمبيوتر", did_you_mean=True).suggestion is None


def test_the_cli_shows_the_suggestion_and_json_carries_it(corpus: Corpus) -> None:
    runner = CliRunner()
    shown = runner.invoke(main, ["query", "--index", str(corpus.path), "الرياص"])
    assert shown.exit_code == 0, shown.output
    assert "هل تقصد: الرياض" in shown.output
    as_json = runner.invoke(main, ["query", "--index", str(corpus.path), "--json", "الرياص"])
    assert json.loads(as_json.output)["suggestion"] == "الرياض"
    found = runner.invoke(main, ["query", "--index", str(corpus.path), "--json", "الرياض"])
    assert json.loads(found.output)["suggestion"] is None


def test_the_library_looks_for_a_suggestion_only_when_asked(corpus: Corpus) -> None:
    assert corpus.search("الرياص").suggestion is None
    assert corpus.search("الرياص", did_you_mean=True).suggestion == "الرياض"
