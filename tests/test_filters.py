"""One vocabulary of filters (`indexer.filters`): ``--any``, ``--exact``, ``--since``,
``--until``, ``--source`` (repeated: any of them) and ``--dedupe`` mean the same on
``corpus query`` and on every view (``kwic``, ``trend``, ``collocates``, ``freq``), with
one help text each, and the library's views take what ``Corpus.search`` takes. Run as a
user runs them: click's CliRunner on an index of Arabic articles made here, one index
and one sharded."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from datetime import datetime

import orjson
import pytest
from click.testing import CliRunner

from indexer import Article, Corpus
from indexer.cli import main

VIEWS = ("kwic", "trend", "collocates", "freq")
FILTER_OPTIONS = ("--any", "--exact", "--since", "--until", "--source", "--dedupe")

OIL = "ارتفعت أسعار النفط في الأسواق اليوم، وقال وزير الطاقة إن النفط سيبقى مصدر الدخل الأول للبلاد."
GOLD = "تراجع سعر الذهب وارتفعت أسعار النفط قليلًا بعد قرار خفض الإنتاج في اجتماع أوبك."
WIRE = "قالت الوكالة إن أسعار النفط الخام ارتفعت مع تراجع المخزونات الأمريكية للأسبوع الثالث."


def _article(n: int, source: str, body: str, day: datetime | None) -> Article:
    return Article(f"{source}-{n}", f"النفط والأسواق {n}", body, day, day.date().isoformat() if day else "", source, "", f"{source}-{n}")


#: Articles from three sources (an article has one source: the sources never overlap),
#: over four months and one undated; WIRE is one body under two sources (for --dedupe).
ARTICLES = [
    _article(1, "sabq", OIL, datetime(2015, 6, 3)),
    _article(2, "sabq", GOLD, datetime(2015, 7, 14)),
    _article(3, "sabq", WIRE, datetime(2015, 8, 1)),
    _article(4, "sabq", OIL + " " + GOLD, None),
    _article(1, "okaz", GOLD, datetime(2015, 7, 2)),
    _article(2, "okaz", WIRE, datetime(2015, 8, 2)),
    _article(3, "okaz", OIL, datetime(2015, 9, 20)),
    _article(1, "alriyadh", OIL, datetime(2015, 7, 30)),
    _article(2, "alriyadh", GOLD + " " + WIRE, datetime(2015, 8, 15)),
    _article(3, "alriyadh", "وزير الطاقة يزور الرياض في زيارة رسمية.", datetime(2015, 8, 16)),
]


@pytest.fixture(scope="module")
def index(tmp_path_factory: pytest.TempPathFactory) -> str:
    path = tmp_path_factory.mktemp("filters") / "index"
    with Corpus(path) as corpus:
        assert corpus.add(ARTICLES).added == len(ARTICLES)
    return str(path)


def run(index: str, *args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(main, [*args, "--index", index])
    return result.exit_code, result.stdout, result.stderr


def json_of(index: str, *args: str) -> dict:
    code, out, err = run(index, *args, "--json")
    assert code == 0, err
    return json.loads(out)


def counts(index: str, view: str, *filters: str) -> dict[str, int]:
    """What a view counts under ``filters``: numbers that add up over sources that share no
    article (occurrences, articles, words), from its ``--json``."""
    if view == "kwic":
        data = json_of(index, "kwic", "النفط", "-n", "0", *filters)
        return {"occurrences": data["total"], "articles": data["articles"]}
    if view == "trend":
        series = json_of(index, "trend", "النفط", "--by", "month", *filters)["series"][0]
        return {
            "articles": sum(p["articles"] for p in series["points"]) + series["undated"]["articles"],
            "occurrences": sum(p["occurrences"] for p in series["points"]) + series["undated"]["occurrences"],
        }
    if view == "collocates":
        data = json_of(index, "collocates", "النفط", "--min-freq", "1", "--top", "1000", *filters)
        return {"node": data["node_frequency"], "window": data["window_words"], "corpus": data["corpus_words"], "with أسعار": sum(c["cooccurrences"] for c in data["collocates"] if c["stem"] == "اسعار")}
    data = json_of(index, "freq", "--top", "1000", *filters)
    return {"articles": data["articles"], "words": data["words"], "النفط": sum(t["frequency"] for t in data["terms"] if t["term"] == "نفط")}


def query_total(index: str, *filters: str) -> int:
    return json_of(index, "query", "النفط", "-n", "0", *filters)["total"]


@pytest.mark.parametrize("view", VIEWS)
def test_two_sources_on_a_view_count_the_articles_of_both(index: str, view: str) -> None:
    sabq, okaz = counts(index, view, "--source", "sabq"), counts(index, view, "--source", "okaz")
    both = counts(index, view, "--source", "sabq", "--source", "okaz")
    assert all(sabq.values()) and all(okaz.values())  # each source alone finds something
    assert both == {name: sabq[name] + okaz[name] for name in both}
    if "articles" in both:  # and as many articles as the search under the same filters
        assert both["articles"] == query_total(index, "--source", "sabq", "--source", "okaz") == 7


@pytest.mark.parametrize(
    "filters",
    [
        ("--source", "sabq", "--source", "OKAZ ", "--since", "٢٠١٥-٠٧", "--until", "2015-08"),
        ("--source", "alriyadh", "--source", "okaz", "--since", "2015", "--dedupe"),
        ("--source", "sabq", "--source", "alriyadh", "--until", "2015-08-01", "--any", "--exact"),
    ],
    ids=["arabic-indic-month", "year-dedupe", "day-any-exact"],
)
def test_every_view_counts_the_articles_the_search_finds_under_the_same_filters(index: str, filters: tuple[str, ...]) -> None:
    found = query_total(index, *filters)
    assert found > 0
    assert counts(index, "kwic", *filters)["articles"] == counts(index, "trend", *filters)["articles"] == found
    query_words = json_of(index, "freq", "النفط", "--top", "0", *filters)["articles"]
    assert query_words == found


def test_the_filters_have_one_help_text_on_every_command(index: str) -> None:
    helps = {command: option_help(wide_help(command)) for command in ("query", "search", *VIEWS)}
    assert all(set(shown) == set(FILTER_OPTIONS) for shown in helps.values()), helps
    assert all(shown == helps["query"] for shown in helps.values()), helps
    assert "repeat: any of them" in helps["kwic"]["--source"] and "YYYY-MM" in helps["trend"]["--since"]


def wide_help(command: str) -> str:
    """``corpus COMMAND --help`` on a terminal wide enough that no help line wraps."""
    result = CliRunner().invoke(main, [command, "--help"], terminal_width=400, max_content_width=400)
    assert result.exit_code == 0, result.output
    return result.stdout


def option_help(text: str) -> dict[str, str]:
    """Each filter option's line of ``--help``: its metavar and help, spaces collapsed."""
    blocks = re.split(r"\n  (?=-)", text.split("Options:", 1)[1])
    found = {}
    for block in blocks:
        words = block.split()
        name = words[0].rstrip(",") if words else ""
        if name in FILTER_OPTIONS:
            found[name] = " ".join(block.split())
    return found


def test_each_source_no_article_comes_from_has_its_note_on_every_command(index: str) -> None:
    for command in ("query", *VIEWS):
        code, _, err = run(index, command, *(["النفط"] if command != "freq" else []), "--source", "okazz", "--source", "sabq", "--source", "nowhere")
        assert code == 0, err
        notes = [line for line in err.splitlines() if line.startswith("note:")]
        assert len(notes) == 2 and "'okazz'; did you mean 'okaz'?" in notes[0] and "'nowhere'" in notes[1], (command, err)


def test_empty_filters_are_none_on_every_command_and_in_the_library(index: str) -> None:
    whole = query_total(index)
    assert query_total(index, "--source", "", "--since", " ", "--until", "") == whole
    for view in VIEWS:
        assert counts(index, view, "--source", " ", "--since", "", "--until", " ") == counts(index, view), view
    with Corpus(index) as corpus:
        assert corpus.search("النفط", source="", since=" ").total == whole
        assert corpus.kwic("النفط", source="", until=" ").articles == whole


def test_the_library_views_take_several_sources_as_search_does(index: str) -> None:
    with Corpus(index) as corpus:
        found = corpus.search("النفط", source=["sabq", "okaz"]).total
        for sources in (["sabq", "okaz"], ("okaz", "sabq"), {"sabq", "okaz"}):
            assert corpus.kwic("النفط", source=sources).articles == found
            assert corpus.freq("النفط", source=sources, top=0).articles == found
            series = corpus.trend("النفط", source=sources).series[0]
            assert sum(p.articles for p in series.points) + series.undated_articles == found
            assert corpus.collocates("النفط", source=sources, min_freq=1).node_frequency == (
                corpus.collocates("النفط", source="sabq", min_freq=1).node_frequency
                + corpus.collocates("النفط", source="okaz", min_freq=1).node_frequency
            )


def test_a_word_excluded_with_a_dash_is_read_by_every_view_as_by_the_search(index: str) -> None:
    words = ("النفط", "-الذهب", '-"وزير الطاقة"')  # as typed: corpus kwic النفط -الذهب ...
    found = json_of(index, "query", "-n", "0", *words)["total"]
    assert 0 < found < query_total(index)
    concordance = json_of(index, "kwic", "-n", "0", *words)
    assert concordance["articles"] == found
    series = json_of(index, "trend", " ".join(words))["series"][0]
    assert sum(p["articles"] for p in series["points"]) + series["undated"]["articles"] == found
    assert json_of(index, "freq", "--top", "0", *words)["articles"] == found
    assert json_of(index, "collocates", "--min-freq", "1", *words)["node_frequency"] == concordance["total"]


@pytest.fixture(scope="module")
def sharded(index: str, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Corpus]:
    root = tmp_path_factory.mktemp("filters-sharded")
    source = root / "articles.jsonl"
    source.write_bytes(b"".join(
        orjson.dumps({"id": a.id, "title": a.title, "body": a.body, "date": a.date.isoformat() if a.date else None, "source": a.source})
        + b"\n" for a in ARTICLES
    ))
    corpus = Corpus(root / "index")
    assert corpus.index([source], shards=3).added == len(ARTICLES)
    yield corpus
    corpus.close()


def test_a_sharded_index_filters_by_several_sources_as_one_index_does(index: str, sharded: Corpus) -> None:
    asked = dict(source=["sabq", "okazz", "alriyadh"], since="2015-07", dedupe=True)
    with Corpus(index) as one:
        for view, args, options in (
            ("kwic", ("النفط",), {"limit": 1000}), ("trend", ("النفط",), {}), ("collocates", ("النفط",), {"min_freq": 1}), ("freq", ("النفط",), {}),
        ):
            a, b = getattr(one, view)(*args, **options, **asked).to_dict(), getattr(sharded, view)(*args, **options, **asked).to_dict()
            assert a == b, view
            assert len(a["notes"]) == 1 and "'okazz'" in a["notes"][0]
        assert one.kwic("النفط", **asked).articles == sharded.search("النفط", **asked).total == one.search("النفط", **asked).total
