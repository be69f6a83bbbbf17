"""Forms from the index are shown as the articles write them: على, not the folded علي (a
name); رئيس, not رءيس; أن and إلى, not ان and الي. Checked against a scan of the real news
sample with the analyzer, on every surface that lists forms, and over shards."""

from __future__ import annotations

import json
from collections import Counter, defaultdict
from collections.abc import Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner

from indexer import Corpus
from indexer.analysis.analyzers import words_with_forms
from indexer.analysis.folding import fold, spelling
from indexer.cli import main
from indexer.written import index_forms, spelling_counts, written_forms


@pytest.fixture(scope="module")
def scanned(sample_jsonl: Path) -> dict[str, Counter[str]]:
    """Each exact form of the sample's bodies -> its spellings, counted by a scan of the text."""
    spellings: dict[str, Counter[str]] = defaultdict(Counter)
    for line in sample_jsonl.read_text(encoding="utf-8").splitlines():
        for _, _, original, exact, _ in words_with_forms(json.loads(line)["body"]):
            spellings[exact][spelling(original)] += 1
    return spellings


def test_the_counts_of_each_spelling_are_those_of_a_scan_of_the_bodies(sample_corpus, scanned) -> None:  # type: ignore[no-untyped-def]
    frequent = [form for form, _ in Counter({f: sum(s.values()) for f, s in scanned.items()}).most_common(300)]
    counted = spelling_counts(sample_corpus._reader(), frequent)
    assert {form: +counted[form] for form in frequent} == {form: +scanned[form] for form in frequent}
    shown = written_forms(sample_corpus._reader(), frequent)
    for form in frequent:
        best = max(scanned[form].values())
        assert scanned[form][shown[form]] == best and fold(shown[form]) == form
    # 106 of the 300 commonest forms are mostly written otherwise than folded; a few of them:
    assert [shown[f] for f in ("علي", "ان", "الي", "رءيس", "الماءه", "المملكه")] == ["على", "أن", "إلى", "رئيس", "المائة", "المملكة"]


def test_a_form_the_index_does_not_hold_is_shown_as_it_is(sample_corpus) -> None:  # type: ignore[no-untyped-def]
    assert written_forms(sample_corpus._reader(), ["كلمةلاتوجد", ""]) == {"كلمةلاتوجد": "كلمةلاتوجد", "": ""}


def test_frequency_lists_and_collocates_show_written_forms(sample_corpus) -> None:  # type: ignore[no-untyped-def]
    runner = CliRunner()
    index = ["--index", str(sample_corpus.path)]
    listed = runner.invoke(main, ["freq", "--by", "exact", "--top", "5", "--json", *index])
    terms = {t["term"]: t["written"] for t in json.loads(listed.stdout)["terms"]}
    assert terms["علي"] == "على" and terms["ان"] == "أن" and terms["الي"] == "إلى"
    table = runner.invoke(main, ["freq", "--by", "exact", "--top", "5", "--csv", *index]).stdout.splitlines()
    assert table[0] == "term,frequency,documents,stopword,keyness,written,log_ratio"  # log_ratio: with a query
    assert any(row.startswith("علي,") and row.endswith(",على,") for row in table)
    words = [c.word for c in sample_corpus.collocates("الملك", min_freq=2, top=100).collocates]
    assert "الحرمين" in words and "خادم" in words
    assert not any(fold(w) != w and fold(w) in words for w in words)  # one spelling per form
    near_president = [c.word for c in sample_corpus.collocates("رئيس", min_freq=2, top=100).collocates]
    assert {"نائب", "لجنة"} <= set(near_president) and not {"ناءب", "لجنه"} & set(near_president)


def test_explain_lists_the_forms_as_written(sample_corpus) -> None:  # type: ignore[no-untyped-def]
    (word,) = sample_corpus.explain_words("رئيس")
    assert word.stem == "رءيس"  # the stem stays as the index holds it
    assert dict(word.forms).keys() >= {"رئيس", "الرئيس"}
    (exact,) = sample_corpus.explain_words("=رءيس")
    assert exact.exact == "رءيس" and exact.written == "رئيس"
    assert "exact form رئيس" in str(exact)


@pytest.fixture(scope="module")
def sharded(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Corpus, Corpus]]:
    root = tmp_path_factory.mktemp("written")
    bodies = ["قال الرئيس إن الاتفاق على الطاولة", "أكد الرئيس أن الحل على الأبواب", "قال علي إن الرءيس وصل"] * 4
    source = root / "articles.jsonl"
    source.write_text("".join(json.dumps({"id": f"w{i}", "body": body}, ensure_ascii=False) + "\n" for i, body in enumerate(bodies)), encoding="utf-8")
    one, three = Corpus(root / "one"), Corpus(root / "three")
    one.index([source])
    three.index([source], shards=3)
    yield one, three
    one.close()
    three.close()


def test_shards_add_up_their_spellings_as_one_index(sharded: tuple[Corpus, Corpus]) -> None:
    one, three = sharded
    forms = ["علي", "ان", "الرءيس"]
    assert spelling_counts(one._reader(), forms) == three._reader().spelling_counts(tuple(forms))
    assert written_forms(three._reader(), forms) == written_forms(one._reader(), forms) == {"علي": "على", "ان": "إن", "الرءيس": "الرئيس"}
    assert three.freq(by="exact").to_dict() == one.freq(by="exact").to_dict()
    assert three.freq().to_dict() == one.freq().to_dict()  # stems shown by a form: the same over shards


def test_a_stem_the_bodies_never_hold_alone_is_shown_by_its_commonest_form(bundled_corpus) -> None:  # type: ignore[no-untyped-def]
    # The bundled articles write حكومة only with the article or a clitic, never bare.
    shown = {t.term: t.written for t in bundled_corpus.freq(top=200).terms}
    assert shown["حكومه"] == "الحكومة" and shown["خارجي"] == "الخارجية"
    assert shown["وزير"] == "وزير"  # a stem held as a word stays itself
    reader = bundled_corpus._reader()
    for stem, form in shown.items():
        if form != stem and fold(form) != stem:  # shown by another form: one of its own, the commonest
            assert fold(form) in index_forms(stem, reader)
            assert reader.doc_frequency("body_exact", fold(form)) == max(reader.doc_frequency("body_exact", f) for f in index_forms(stem, reader))
