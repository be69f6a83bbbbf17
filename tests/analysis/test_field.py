"""``ArabicText`` indexes exactly what Whoosh's ``TEXT`` with our analyzers and our
positions format indexes through Whoosh's own token stream."""

from __future__ import annotations

import json
import pickle
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st
from whoosh.fields import TEXT

from indexer.analysis.analyzers import ArabicText, PackedPositions, exact_analyzer, stem_analyzer, word_forms, words_with_forms
from indexer.store.schema import TITLE_BOOST

ANALYZERS = {"stem": stem_analyzer, "exact": exact_analyzer}


def whoosh_postings(form: str, text: str, boost: float) -> str:
    field = TEXT(analyzer=ANALYZERS[form](), field_boost=boost)
    field.format = PackedPositions(field_boost=boost)  # Whoosh's word_values calls its encode
    # repr: 2 and 2.0 differ, as they would in the posting files
    return repr(sorted(field.index(text)))


def our_postings(form: str, text: str, boost: float) -> str:
    return repr(sorted(ArabicText(form, field_boost=boost).index(text)))


EDGES = [
    pytest.param("", id="empty"),
    pytest.param("... ، ؟ !", id="punctuation-only"),
    pytest.param("والوزيرُ قالَ الوزير والوزير للوزير", id="repeated-forms"),
    pytest.param("في من إلى في على في", id="stopwords-kept"),
    pytest.param("الـCNN و BBC ٣٫٢٪ 2024", id="scripts-and-digits"),
    pytest.param("كـــبيراً  كبيرا", id="tatweel"),
    pytest.param("كلمة " * 300 + "أخرى", id="positions-past-255"),
    pytest.param("كلمة أخرى " * 33_000, id="positions-past-65535"),
]


@pytest.mark.parametrize("form", ["stem", "exact"])
@pytest.mark.parametrize("text", EDGES)
def test_edge_texts_give_whoosh_postings(form: str, text: str) -> None:
    assert our_postings(form, text, TITLE_BOOST) == whoosh_postings(form, text, TITLE_BOOST)


def test_real_articles_give_whoosh_postings(sample_jsonl: Path) -> None:
    texts = []
    for line in sample_jsonl.open(encoding="utf-8"):
        row = json.loads(line)
        texts += [row["title"] or "", row["body"] or ""]
    assert len(texts) == 2000
    for text in texts:
        for form in ("stem", "exact"):
            for boost in (1.0, TITLE_BOOST):
                assert our_postings(form, text, boost) == whoosh_postings(form, text, boost), (form, text[:80])


@given(st.text(st.sampled_from("اأإآبتةيىوؤئءلمنكـ\u064e\u064b\u0651 .،0١CNa"), max_size=80))
def test_word_forms_are_the_forms_of_words_with_forms(text: str) -> None:
    assert word_forms(text) == [(exact, stem) for _, _, _, exact, stem in words_with_forms(text)]


def test_lists_fall_back_to_whoosh() -> None:
    words = ["وزير", "الخارجية", "وزير"]
    whoosh_field = TEXT(analyzer=exact_analyzer())
    whoosh_field.format = PackedPositions()
    assert sorted(ArabicText("exact").index(words)) == sorted(whoosh_field.index(words))


def test_unknown_form_is_refused() -> None:
    with pytest.raises(ValueError, match="'stem' or 'exact'"):
        ArabicText("stemmed")


@pytest.mark.parametrize("form", ["stem", "exact"])
def test_pickles_and_analyzes_queries(form: str) -> None:
    field = pickle.loads(pickle.dumps(ArabicText(form, stored=True, field_boost=TITLE_BOOST)))
    assert type(field) is ArabicText and field.form == form and field.stored
    assert field.format.field_boost == TITLE_BOOST
    expected = ["وزير", "قال"] if form == "stem" else ["والوزير", "قال"]
    assert [t.text for t in field.analyzer("والوزيرُ قالَ")] == expected
    assert our_postings(form, "والوزيرُ قالَ", TITLE_BOOST) == repr(sorted(field.index("والوزيرُ قالَ")))
