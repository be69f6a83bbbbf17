"""The filters over HTTP, on a live ``corpus serve``: ``source`` repeated means any of
them on ``/api/search`` and on every view, as ``--source`` repeated does on the commands
(the same JSON), each filter parameter documented with the help of its CLI option, and
the search page filters by several sources on every tab, keeping them in its links."""

from __future__ import annotations

import html
import json
import re
from urllib.parse import parse_qs, urlsplit

import pytest
from click.testing import CliRunner

from indexer.cli import main

TRAINS = "القطار"
#: Two of the served sources (8 train articles each, none in both) and what they ask for.
TWO = {"q": TRAINS, "source": ["rail", "okaz"]}
VIEWS = ("kwic", "trend", "collocates", "freq")


def cli_json(server_index, *args: str) -> dict:
    result = CliRunner().invoke(main, [*args, "--index", str(server_index), "--json"])
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


def counted(server, endpoint: str, source: str | list[str]) -> dict[str, int]:
    """What ``/api/ENDPOINT`` counts for the trains from ``source``: numbers that add up
    over sources sharing no article."""
    params = {"q": TRAINS, "source": source}
    if endpoint == "search":
        return {"articles": get(server, "search", params)["total"]}
    if endpoint == "kwic":
        data = get(server, "kwic", {**params, "limit": 0})
        return {"occurrences": data["total"], "articles": data["articles"]}
    if endpoint == "trend":
        series = get(server, "trend", {**params, "by": "year"})["series"][0]
        return {"articles": sum(p["articles"] for p in series["points"]) + series["undated"]["articles"]}
    if endpoint == "collocates":
        data = get(server, "collocates", {**params, "min_freq": 1})
        return {"node": data["node_frequency"], "corpus": data["corpus_words"]}
    data = get(server, "freq", {**params, "top": 0})
    return {"articles": data["articles"], "words": data["words"]}


def get(server, endpoint: str, params: dict) -> dict:
    answer = server.client.get(f"/api/{endpoint}", params=params)
    assert answer.status_code == 200, answer.text
    return answer.json()


@pytest.mark.parametrize("endpoint", ["search", *VIEWS])
def test_source_repeated_counts_the_articles_of_every_source_named(server, endpoint):
    rail, okaz = counted(server, endpoint, "rail"), counted(server, endpoint, "okaz")
    both = counted(server, endpoint, ["rail", "okaz"])
    assert all(rail.values()) and all(okaz.values())
    assert both == {name: rail[name] + okaz[name] for name in both}
    if "articles" in both:
        assert both["articles"] == 16 == get(server, "search", {**TWO, "limit": 0})["total"]


@pytest.mark.parametrize(
    ("endpoint", "params", "command"),
    [
        ("kwic", {**TWO, "since": "٢٠٣١-٠٣", "until": "2031-10"}, ["kwic", "--source", "rail", "--source", "okaz", "--since", "٢٠٣١-٠٣", "--until", "2031-10", TRAINS]),
        ("trend", {**TWO, "by": "month"}, ["trend", "--by", "month", "--source", "rail", "--source", "okaz", TRAINS]),
        ("collocates", {**TWO, "min_freq": 2, "dedupe": "true"}, ["collocates", "--min-freq", "2", "--dedupe", "--source", "rail", "--source", "okaz", TRAINS]),
        ("freq", {**TWO, "sort": "keyness", "top": 20}, ["freq", "--sort", "keyness", "--top", "20", "--source", "rail", "--source", "okaz", TRAINS]),
    ],
    ids=VIEWS,
)
def test_a_view_of_two_sources_answers_what_its_command_prints(server, server_index, endpoint, params, command):
    answer = get(server, endpoint, params)
    assert answer == cli_json(server_index, *command)
    # of both sources' trains: 8 articles each, القطار in the title once and in the body twice
    if endpoint == "kwic":
        assert {line["source"] for line in answer["lines"]} == {"rail", "okaz"}
    elif endpoint == "trend":
        assert sum(p["articles"] for p in answer["series"][0]["points"]) == 16
    elif endpoint == "collocates":
        assert answer["node_frequency"] == 16 * 3
    else:
        assert answer["articles"] == 16


def test_a_search_of_two_sources_finds_what_the_command_finds(server, server_index):
    answer = get(server, "search", {**TWO, "limit": 50, "sort": "date"})
    printed = cli_json(server_index, "query", "-n", "50", "--sort", "date", "--source", "rail", "--source", "okaz", TRAINS)
    assert [hit["id"] for hit in answer["hits"]] == [hit["id"] for hit in printed["hits"]]
    assert answer["total"] == printed["total"] == 16 and {hit["source"] for hit in answer["hits"]} == {"rail", "okaz"}


@pytest.mark.parametrize("endpoint", ["search", *VIEWS])
def test_each_source_no_article_comes_from_has_its_note(server, endpoint):
    notes = get(server, endpoint, {"q": TRAINS, "source": ["Rails", "okaz", "nowhere"]})["notes"]
    assert len(notes) == 2 and "'Rails'; did you mean 'rail'?" in notes[0] and "'nowhere'" in notes[1]


def test_every_filter_parameter_says_what_its_command_line_option_says(server):
    paths = server.client.get("/openapi.json").json()["paths"]
    helps = []
    for command in ("query", *VIEWS):
        options = {option.opts[0].lstrip("-"): option.help for option in main.commands[command].params}
        helps.append({name: options[name] for name in ("exact", "since", "until", "source", "dedupe")})
    expected = helps[0]
    assert all(expected.values()) and all(shown == expected for shown in helps)
    for path in ("/api/search", "/api/similar/{article_id}", *(f"/api/{view}" for view in VIEWS)):
        parameters = {p["name"]: p for p in paths[path]["get"]["parameters"]}
        for name, text in expected.items():
            if name == "exact" and path.startswith("/api/similar"):
                continue  # an article's own words, searched as they are indexed
            assert parameters[name]["description"] == text, (path, name)
        assert parameters["source"]["schema"]["anyOf"][0] == {"type": "array", "items": {"type": "string"}}, path


def _fields(page: str, name: str) -> list[str]:
    return [html.unescape(v) for v in re.findall(rf'<input type="text" name="{name}" value="([^"]*)"', page)]


@pytest.mark.parametrize("view", ["results", "trend", "kwic"])
def test_the_page_filters_by_several_sources_on_every_tab(server, view):
    page = server.client.get("/", params={**TWO, "view": view})
    assert page.status_code == 200
    assert _fields(page.text, "source") == ["rail", "okaz", ""]  # and one more to add a source
    assert re.search(r'<span class="total">16</span>', page.text)
    if view == "kwic":
        sources = set(re.findall(r'<bdi class="source">([^<]*)</bdi>', page.text))
        assert sources == {"rail", "okaz"}
    links = [html.unescape(href) for href in re.findall(r'<a class="csv" href="([^"]*)"', page.text)]
    for href in links:  # the tab's download asks the API for the same articles
        assert parse_qs(urlsplit(href).query)["source"] == ["rail", "okaz"]
    assert len(links) == (0 if view == "results" else 1)


def test_an_article_opened_from_two_sources_links_back_to_both(server):
    page = server.client.get("/", params=TWO).text
    opened = html.unescape(re.search(r'<li class="hit"[^>]*>\s*<h2><a href="([^"]*)"', page)[1])
    article = server.client.get(opened).text
    back = html.unescape(re.search(r'<p class="back"><a href="([^"]*)"', article)[1])
    assert parse_qs(urlsplit(back).query)["source"] == ["rail", "okaz"]
