"""Articles like this one (`Corpus.similar`, `corpus query --like ID`): the same story
told by another paper comes first, the article itself never, and the words searched
are shown."""

from __future__ import annotations

import itertools
import json
import re
from pathlib import Path

import pytest
from click.testing import CliRunner

from indexer import Corpus
from indexer.cli import main
from indexer.errors import UsageError
from indexer.similar import like_query

_MARKS = re.compile("[\u064b-\u0652\u0670\u0640]")
_FOLD = str.maketrans({"أ": "ا", "إ": "ا", "آ": "ا", "ة": "ه", "ى": "ي"})


def shingles(text: str, n: int = 4) -> set[tuple[str, ...]]:
    words = re.findall(r"\w+", _MARKS.sub("", text).translate(_FOLD))
    return {tuple(words[i:i + n]) for i in range(len(words) - n + 1)}


def rewritten_pairs(jsonl: Path) -> list[tuple[str, str]]:
    """Pairs of articles telling one story in part in the same words (Jaccard of word
    4-shingles from 0.1 to 0.8: one press release edited by two papers), found from the
    text: above 0.8 the two are one text, which `--dedupe` is for."""
    records = [json.loads(line) for line in jsonl.read_text(encoding="utf-8").splitlines()]
    held = {r["id"]: shingles(r.get("body") or "") for r in records if (r.get("body") or "").strip()}
    pairs = []
    for (a, sa), (b, sb) in itertools.combinations(held.items(), 2):
        if sa and sb and len(sa & sb) >= 5 and 0.1 <= len(sa & sb) / len(sa | sb) < 0.8:
            pairs.append((a, b))
    return pairs


@pytest.mark.slow
def test_the_same_story_from_another_paper_comes_first(sample_corpus: Corpus, sample_jsonl: Path) -> None:
    partners: dict[str, set[str]] = {}
    for a, b in rewritten_pairs(sample_jsonl):
        partners.setdefault(a, set()).add(b)
        partners.setdefault(b, set()).add(a)
    assert len(partners) >= 20  # sample_1000 holds a few dozen
    first = 0
    for article, theirs in partners.items():
        ranked = [hit.id for hit in sample_corpus.similar(article, limit=10).hits]
        assert article not in ranked
        assert theirs <= set(ranked), (article, theirs, ranked)
        first += ranked[0] in theirs
    assert first >= 0.9 * len(partners), (first, len(partners))


def test_the_words_searched_are_the_articles_subject_words(bundled_corpus: Corpus) -> None:
    # ar-0001: the foreign minister's call with Blinken.
    results = bundled_corpus.similar("ar-0001", limit=3)
    words = results.query.split()
    assert words[-1] == '-id:"ar-0001"'
    assert {"بلينكن", "الخارجية"} <= set(words[:5])
    assert "ar-0001" not in [hit.id for hit in results.hits]
    assert "بلينكن" in results.hits[0].title  # the prime minister receives Blinken


def test_filters_apply(bundled_corpus: Corpus) -> None:
    for hit in bundled_corpus.similar("ar-0001", source="alqalam").hits:
        assert hit.source == "alqalam"


def test_an_unknown_article_is_a_clear_error(bundled_corpus: Corpus) -> None:
    with pytest.raises(UsageError, match="no article with id 'no-such-id'"):
        bundled_corpus.similar("no-such-id")


def test_an_id_is_left_out_whatever_quote_marks_it_holds() -> None:
    assert like_query(["بلينكن"], 'a"b') == "بلينكن -id:«a\"b»"
    with pytest.raises(UsageError, match="quote mark"):
        like_query(["بلينكن"], '"«»“”')


def test_the_command_line(bundled_corpus: Corpus) -> None:
    runner = CliRunner()
    index = str(bundled_corpus.path)
    result = runner.invoke(main, ["query", "--index", index, "--like", "ar-0001", "--json"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    assert data["query"].endswith('-id:"ar-0001"') and data["hits"]
    assert "ar-0001" not in [hit["id"] for hit in data["hits"]]
    refused = runner.invoke(main, ["query", "--index", index, "--like", "ar-0001", "بلينكن"])
    assert refused.exit_code == 2 and "--like" in refused.output
    unknown = runner.invoke(main, ["query", "--index", index, "--like", "no-such-id"])
    assert unknown.exit_code == 2 and "no article with id 'no-such-id'" in unknown.output
    assert "Traceback" not in unknown.output


def test_an_article_sharing_no_word_with_another_has_none_like_it(tmp_path: Path) -> None:
    with Corpus(tmp_path / "index") as corpus:
        corpus.add([
            {"id": "giraffe", "title": "زرافة بنفسجية", "body": "زرافة بنفسجية"},
            {"id": "train", "title": "قطار سريع", "body": "قطار سريع"},
        ])
        results = corpus.similar("giraffe", facets=["source"])
        assert (results.query, results.total, results.hits, results.facets) == ("", 0, [], {"source": {}})
        mistyped = corpus.similar("giraffe", source="zoo-news")  # a filter that finds nothing says so, words or not
        assert [str(note).split(" (")[0] for note in mistyped.notes] == ["no article of the index comes from the source 'zoo-news'"]
        result = CliRunner().invoke(main, ["query", "--index", str(tmp_path / "index"), "--like", "giraffe"])
        assert result.exit_code == 0 and result.output.startswith("0 matching articles")


def test_words_the_query_language_reads_as_operators_are_not_searched(tmp_path: Path) -> None:
    # "NOT" four times in an English quote: searched, it would exclude the word after it.
    quote = "قال المتحدث باللغة الإنجليزية: WE WILL NOT NOT NOT NOT ACCEPT THIS، في مؤتمر عن الطاقة الشمسية."
    with Corpus(tmp_path / "index") as corpus:
        corpus.add([
            {"id": "quote", "title": "الطاقة الشمسية", "body": quote},
            {"id": "other", "title": "مؤتمر الطاقة الشمسية", "body": "NOT ACCEPT THIS مؤتمر عن الطاقة الشمسية."},
        ])
        results = corpus.similar("quote")
        assert "NOT" not in results.query.split() and [hit.id for hit in results.hits] == ["other"]
