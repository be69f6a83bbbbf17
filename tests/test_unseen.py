"""Questions as typed: lenient reading in mode "any", unseen words resolved by the index."""

from __future__ import annotations

import pytest

from indexer import Corpus, QueryError
from indexer.analysis import fold


def ids(corpus: Corpus, query: str, **kwargs) -> set[str]:
    return {h.id for h in corpus.search(query, limit=100, **kwargs)}


def test_unseen_clitic_prefix_is_split_off_by_index_evidence(bundled_corpus: Corpus) -> None:
    assert ids(bundled_corpus, "ببلينكن") == ids(bundled_corpus, "بلينكن") != set()
    assert "searched as 'بلينكن'" in bundled_corpus.explain("ببلينكن")


def test_seen_words_are_left_alone(bundled_corpus: Corpus) -> None:
    assert "not in the index" not in bundled_corpus.explain("وزير")
    assert ids(bundled_corpus, "=بلينكن", exact=True) == ids(bundled_corpus, "بلينكن", exact=True)


def test_unseen_long_word_is_fuzzy_in_questions_only(bundled_corpus: Corpus) -> None:
    misspelt = "الاقتصاديةة"
    assert ids(bundled_corpus, misspelt, mode="any")
    assert "~1" in bundled_corpus.explain(misspelt, mode="any")
    assert not ids(bundled_corpus, misspelt)  # mode "all" searches what was typed


def test_punctuation_after_an_unseen_word_is_not_a_letter_to_match(bundled_corpus: Corpus) -> None:
    # A question's last word carries its "؟": the fuzzy fallback must look around the word.
    question = "ما هي الاقتصاديةة؟"
    assert ids(bundled_corpus, question, mode="any") == ids(bundled_corpus, "الاقتصاديةة", mode="any") != set()
    assert "searched as الاقتصاديةة~1" in bundled_corpus.explain(question, mode="any")
    assert ids(bundled_corpus, "بلينكين؟~1") == ids(bundled_corpus, "بلينكين~1") != set()
    hit = bundled_corpus.search(question, mode="any", limit=1).hits[0]
    marked = [hit.snippet[start:end] for start, end in hit.highlights]
    assert marked and all("اقتصادي" in fold(word) for word in marked)


def test_questions_are_read_leniently(bundled_corpus: Corpus) -> None:
    question = ' - من هو "بلينكن'
    assert ids(bundled_corpus, question, mode="any") == ids(bundled_corpus, "بلينكن")
    with pytest.raises(QueryError):
        bundled_corpus.search(question)  # strict in mode "all": the quote is unbalanced


def test_a_space_lost_after_a_non_joining_letter_is_put_back(bundled_corpus: Corpus) -> None:
    # After ر the missing space is invisible: وزيرالخارجية looks like two words.
    phrase = ids(bundled_corpus, '"وزير الخارجية"')
    assert phrase and ids(bundled_corpus, "وزيرالخارجية") == phrase
    assert ids(bundled_corpus, "وزيرُالخارجيةِ") == phrase
    assert 'searched as "وزيرُ الخارجيةِ"' in bundled_corpus.explain("وزيرُالخارجيةِ")
    hit = bundled_corpus.search("وزيرالخارجية", limit=1).hits[0]
    marked = [fold(hit.snippet[start:end]) for start, end in hit.highlights]
    assert marked and set(marked) <= {"وزير", "الخارجيه"}


def test_a_page_of_unseen_words_gets_a_bounded_number_of_fuzzy_rewrites(bundled_corpus: Corpus) -> None:
    from indexer.query.unseen import MAX_FUZZY_REWRITES

    unseen = [f"الاقتصاديةة{'ب' * n}" for n in range(1, MAX_FUZZY_REWRITES + 4)]
    explained = bundled_corpus.explain(" ".join(unseen), mode="any")
    assert [w for w in unseen if f"searched as {w}~1" in explained] == unseen[:MAX_FUZZY_REWRITES]
    assert explained.count("searched as typed") == 3
    assert f"'{unseen[-1]}' is not in the index: searched as typed" in explained
