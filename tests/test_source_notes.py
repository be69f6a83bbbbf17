"""A source filter that names no source of the index says so on every surface, and names
the index's source spelt like it: an empty answer must not read as "nothing on this"."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from indexer import Corpus
from indexer.cli import main

WORD = "السعودية"


def close_note(asked: str, meant: str) -> str:
    return f"no article of the index comes from the source {asked!r}; did you mean {meant!r}?"


@pytest.mark.parametrize(("asked", "meant"), [("sabk", "sabq"), ("al madina", "almadina"), ("Al-Watan", "alwatan")])
def test_a_search_from_a_misspelt_source_says_which_source_was_meant(bundled_corpus, asked, meant):
    results = bundled_corpus.search(WORD, source=asked)
    assert results.total == 0
    assert [str(note) for note in results.notes] == [close_note(asked, meant) + " (Corpus.stats() lists the sources)"]
    assert results.to_dict()["notes"] == [str(results.notes[0])]


def test_a_source_spelt_like_none_is_named_without_a_guess(bundled_corpus):
    notes = bundled_corpus.search("", source="nowhere-news").notes
    assert [str(note) for note in notes] == ["no article of the index comes from the source 'nowhere-news' (Corpus.stats() lists the sources)"]


def test_a_known_source_in_any_case_has_no_note(bundled_corpus):
    for asked in ("sabq", "SABQ"):
        results = bundled_corpus.search(WORD, source=asked)
        assert results.total and results.notes == []


def test_the_misspelt_one_of_several_sources_is_named_though_the_others_find_articles(bundled_corpus):
    results = bundled_corpus.search(WORD, source=["sabq", "alriyad"])
    assert results.total == bundled_corpus.search(WORD, source="sabq").total > 0
    assert [str(n).split(" (")[0] for n in results.notes] == [close_note("alriyad", "alriyadh")]


@pytest.mark.parametrize("view", ["kwic", "trend", "collocates", "freq"])
def test_every_view_of_a_misspelt_source_says_which_source_was_meant(bundled_corpus, view):
    result = getattr(bundled_corpus, view)(WORD, source="sabk")
    assert [str(note).split(" (")[0] for note in result.notes] == [close_note("sabk", "sabq")]
    assert result.to_dict()["notes"] == [str(result.notes[0])]
    assert getattr(bundled_corpus, view)(WORD, source="sabq").notes == []


@pytest.mark.parametrize(
    "command",
    [["query", WORD], ["query", "--json", WORD], ["kwic", WORD], ["trend", WORD], ["collocates", WORD], ["freq", WORD], ["freq", "--json", WORD]],
)
def test_each_command_prints_the_note_on_stderr_in_its_own_words(bundled_corpus, command):
    result = CliRunner().invoke(main, [command[0], "--index", str(bundled_corpus.path), "--source", "sabk", *command[1:]])
    assert result.exit_code == 0, result.output
    assert f"note: {close_note('sabk', 'sabq')} (`corpus stats` lists the sources)" in result.stderr.splitlines()
    if "--json" in command:
        assert json.loads(result.stdout)["notes"] == [f"{close_note('sabk', 'sabq')} (`corpus stats` lists the sources)"]


def test_a_sharded_index_names_the_source_meant_as_one_index_does(tmp_path):
    with Corpus(tmp_path / "index") as corpus:
        corpus.index([Path(__file__).resolve().parents[1] / "corpus"], shards=2)
        assert [str(n).split(" (")[0] for n in corpus.search(WORD, source="Sab q").notes] == [close_note("Sab q", "sabq")]
        assert [str(n).split(" (")[0] for n in corpus.kwic(WORD, source="Sab q").notes] == [close_note("Sab q", "sabq")]
