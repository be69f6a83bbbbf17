"""--explain: each word's stem, the forms of it the index holds with article counts, and the
stemmer's rule, on 1,000 real news articles and through the CLI."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

from click.testing import CliRunner

from indexer.cli import main
from indexer.analysis import fold
from indexer.analysis.stemming import candidate_forms


def test_each_word_shows_stem_rule_and_forms(sample_corpus) -> None:  # type: ignore[no-untyped-def]
    idea, government = sample_corpus.explain_words("فكرة الحكومة")
    assert (idea.stem, government.stem) == ("فكره", "حكومه")
    # فكرة keeps its ف, and says why: more frequent than ف + كرة explains, other neighbours.
    assert [(s.affix, s.removed) for s in idea.steps] == [("ف", False)]
    assert "neighbours" in idea.steps[0].reason
    assert all(form.endswith(("فكرة", "فكرتها", "فكرته")) for form, _ in idea.forms)  # as written: ة
    assert "كره" not in dict(idea.forms)
    # الحكومة gathers its forms, the plural among them, each with the bodies holding it.
    forms = dict(government.forms)
    assert {"الحكومة", "حكومة"} <= forms.keys()  # as the articles write them, not folded (الحكومه)
    hits = sample_corpus.search("=الحكومة", limit=0).total
    assert forms["الحكومة"] >= 1 and hits >= forms["الحكومة"]
    assert government.articles >= max(forms.values())


def test_counts_are_the_index_s_own(sample_corpus) -> None:  # type: ignore[no-untyped-def]
    (info,) = sample_corpus.explain_words("السعودية")
    for form, bodies in info.forms:
        # a form's body count never exceeds the articles an exact search for it finds
        assert bodies <= sample_corpus.search(f"={form}", limit=0).total


def test_a_form_spelled_two_ways_is_listed_under_each_stem(sample_corpus) -> None:  # type: ignore[no-untyped-def]
    # بعده (after him) keeps its ب; بعدة (with several) is ب + عدة. Both fold to بعده, so
    # the form is listed under both stems, and the rule shows why each went as it did.
    (after_him,) = sample_corpus.explain_words("بعده")
    (with_several,) = sample_corpus.explain_words("بعدة")
    assert (after_him.stem, with_several.stem) == ("بعده", "عده")
    assert "بعده" in dict(after_him.forms) and "بعده" in dict(with_several.forms)
    assert not after_him.steps[0].removed and "البعد" in after_him.steps[0].reason
    assert with_several.steps[0].removed


def test_exact_words_say_no_stemming(sample_corpus) -> None:  # type: ignore[no-untyped-def]
    (info,) = sample_corpus.explain_words("=الرياض")
    assert info.exact_only and info.stem == "الرياض" and "no stemming" in str(info)


def test_explain_text_has_a_line_per_word(sample_corpus) -> None:  # type: ignore[no-untyped-def]
    lines = sample_corpus.explain("فيصل OR كيري").splitlines()
    assert lines[0] == "OR(فيصل, كيري)"
    assert lines[1].startswith("  فيصل: stem فيصل") and "ف- kept" in lines[1]
    assert lines[2].startswith("  كيري: stem كيري") and "ك- kept" in lines[2]


def test_cli_explain_prints_the_words(sample_jsonl: Path, tmp_path: Path) -> None:
    runner = CliRunner()
    index = str(tmp_path / "index")
    assert runner.invoke(main, ["index", "--index", index, str(sample_jsonl), "--quiet"]).exit_code == 0
    result = runner.invoke(main, ["query", "--index", index, "--explain", "-n", "1", "الحكومات"])
    assert result.exit_code == 0
    assert "الحكومات: stem حكومه" in result.stderr and "forms in the index: " in result.stderr
    assert "-ات removed" in result.stderr


def test_candidate_forms_cover_the_affixes() -> None:
    forms = set(candidate_forms("حكومه"))
    assert {"والحكومه", "بالحكومه", "للحكومه", "الحكومات", "حكومتها", "وحكومتهم"} <= forms
    assert {"السعوديه", "سعوديين"} <= set(candidate_forms("سعودي"))


def test_query_words_walk_the_tree_in_order() -> None:
    from indexer.query import parse
    from indexer.wordinfo import query_words

    node = parse('وزير -الخارجية "بلينكن لافروف" OR (=نفط +غاز) id:x أسع*')
    assert list(query_words(node)) == [
        ("وزير", False), ("الخارجية", False), ("بلينكن", False), ("لافروف", False), ("نفط", True), ("غاز", False),
    ]


def test_a_wildcard_lists_the_written_forms_it_stands_for(sample_corpus, sample_jsonl: Path) -> None:  # type: ignore[no-untyped-def]
    import re

    from indexer.analysis import analyze
    from indexer.sources import Article, read_sources

    # a scan of the bodies: the folded forms matching و?ير, and the bodies holding each
    bodies: Counter = Counter()
    for article in read_sources([sample_jsonl]):
        if isinstance(article, Article):
            bodies.update({t.exact for t in analyze(article.body) if re.fullmatch("و.ير", t.exact)})
    (pattern,) = sample_corpus.explanation("و?ير").patterns
    assert pattern.terms == len(bodies) > 2  # وزير، وغير، وخير ...
    expected = sorted(bodies.items(), key=lambda item: (-item[1], item[0]))[:5]
    assert list(pattern.forms) == expected
    assert str(pattern).startswith(f"و?ير: stands for {len(bodies)} written forms in the bodies: وزير ")


def test_a_fuzzy_word_lists_its_variants_and_a_title_pattern_counts_titles(sample_corpus) -> None:  # type: ignore[no-untyped-def]
    from rapidfuzz.distance import OSA

    (fuzzy,) = sample_corpus.explanation("كيري~1").patterns
    assert fuzzy.terms >= 3 and "كيري" in dict(fuzzy.forms)
    assert all(form.startswith("ك") and OSA.distance(fold(form), "كيري") <= 1 for form, _ in fuzzy.forms)
    (title,) = sample_corpus.explanation("title:الهلا*").patterns
    assert title.field == "title_exact" and "الهلال" in dict(title.forms)
    assert "in the titles" in str(title)
    (nothing,) = sample_corpus.explanation("زززز*").patterns
    assert nothing.terms == 0 and "no written form" in str(nothing)


def test_json_explain_holds_the_words_the_patterns_and_the_siblings(sample_jsonl: Path, tmp_path: Path) -> None:
    import json

    runner = CliRunner()
    index = str(tmp_path / "index")
    assert runner.invoke(main, ["index", "--index", index, str(sample_jsonl), "--quiet"]).exit_code == 0
    result = runner.invoke(main, ["query", "--index", index, "--json", "--explain", "--any", "-n", "1", "فكرة", "وزا*"])
    assert result.exit_code == 0, result.output
    explained = json.loads(result.stdout)["explain"]
    assert explained["understood"] == "OR(فكرة, وزا*)"
    assert [w["stem"] for w in explained["words"]] == ["فكره"]
    assert explained["patterns"][0]["text"] == "وزا*" and explained["patterns"][0]["terms"] > 1
    assert explained["siblings"]["فكره"] == ["وبفكره"] and explained["sibling_weight"] > 0
    assert "query:" not in result.stderr  # the text goes to the JSON, not beside it
