"""A number finds the articles that write it, whatever Arabic letters are written onto it,
and a decimal or a grouped number is one number.

Arabic writes clitics and the era letters onto numbers: و3, بـ2015, 2015م, 1436هـ. The
expected sets come from a regular expression over the raw text, not from our analyzer.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import pytest

from indexer import Corpus
from indexer.sources import Article, read_sources

ALL = 2000
ARABIC_INDIC = str.maketrans("٠١٢٣٤٥٦٧٨٩", "0123456789")


@pytest.fixture(scope="module")
def articles(sample_jsonl: Path) -> list[Article]:
    return [a for a in read_sources([sample_jsonl]) if isinstance(a, Article)]


def writing(articles: list[Article], number: str, pattern: str) -> set[str]:
    """Ids of the articles whose title or body holds ``number`` where ``pattern`` says."""
    regex = re.compile(pattern.replace("{number}", number))
    return {a.id for a in articles if regex.search(f"{a.title}\n{a.body}".translate(ARABIC_INDIC))}


# The number as a whole run of digits, letters or not around it (not inside 3.1436 or 20151).
ANYWHERE = r"(?<![0-9.,]){number}(?![0-9]|[.,][0-9])"
# The number glued to Arabic letters on one side at least.
GLUED = r"(?:[\u0621-\u064a]{number}(?![0-9]|\.[0-9])|(?<![0-9.]){number}[\u0621-\u064a])"


@pytest.mark.parametrize("number", ["1436", "2015", "1437"])
def test_a_year_finds_it_written_with_its_era_letter(sample_corpus: Corpus, articles: list[Article], number: str) -> None:
    glued = writing(articles, number, r"(?<![0-9]){number}(?:م|هـ|ه)(?![\w])")
    assert glued, f"the sample writes {number} with an era letter"
    found = {h.id for h in sample_corpus.search(number, limit=ALL)}
    assert glued <= found
    assert found == writing(articles, number, ANYWHERE)


def test_a_number_glued_to_a_clitic_is_found(sample_corpus: Corpus, articles: list[Article]) -> None:
    glued = writing(articles, "3", GLUED)
    assert glued
    assert glued <= {h.id for h in sample_corpus.search("3", limit=ALL)}


def test_the_glued_form_typed_finds_it_with_or_without_the_space(sample_corpus: Corpus, articles: list[Article]) -> None:
    """``1436هـ`` typed is 1436 followed by هـ, as the text is read: glued or spaced."""
    expected = writing(articles, "1436", r"(?<![0-9.]){number}\s*(?:هـ|ه)(?![\w])")
    found = {h.id for h in sample_corpus.search("1436هـ", limit=ALL)}
    assert found == expected


def test_the_highlight_lands_on_the_digits(sample_corpus: Corpus) -> None:
    """In 1436هـ the highlight marks 1436, not the era letter glued to it."""
    hits = sample_corpus.search("1436", limit=50).hits
    spans = [(hit.snippet, start, end) for hit in hits for start, end in hit.highlights]
    assert spans and {text[start:end].translate(ARABIC_INDIC) for text, start, end in spans} == {"1436"}
    assert any(text[end : end + 2] == "هـ" for text, start, end in spans)


def test_a_decimal_is_found_whole_and_not_by_its_parts(sample_corpus: Corpus, articles: list[Article]) -> None:
    """1.5, 1,5 (a decimal comma: 1,5 مليون) and ١٫٥ are one number, and 5 is not in it."""
    decimal = r"(?<![0-9.,]){number}(?![0-9]|[.,][0-9])"
    expected = writing(articles, r"1[.,]5", decimal)
    assert len(expected) >= 5
    assert writing(articles, r"1,5", decimal), "the sample writes a decimal comma"
    assert {h.id for h in sample_corpus.search("1.5", limit=ALL)} == expected
    assert {h.id for h in sample_corpus.search("١٫٥", limit=ALL)} == expected
    only_in_a_decimal = expected - writing(articles, "5", ANYWHERE)
    assert only_in_a_decimal, "some articles write 5 only as the decimal 1.5"
    assert not only_in_a_decimal & {h.id for h in sample_corpus.search("5", limit=ALL)}


@pytest.fixture(scope="module")
def chains(shared_data: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Corpus, list[Article]]]:
    """The SaudiNewsNet articles that write a date with dots (8.10.1436), a range with a
    tatweel for a dash (1437ـ1441هـ) or a number with dots for thousands (10.978.106),
    indexed apart."""
    chain = re.compile(r"[0-9]ـ[0-9]|(?<![0-9.,])[0-9]{1,2}\.[0-9]{1,2}\.[0-9]{4}(?![0-9])|[0-9]\.[0-9]{3}\.[0-9]{3}(?![0-9])")
    found = [
        a for a in read_sources([shared_data / "news" / "saudinewsnet.jsonl.gz"])
        if isinstance(a, Article) and chain.search(f"{a.title}\n{a.body}".translate(ARABIC_INDIC))
    ]
    corpus = Corpus(tmp_path_factory.mktemp("chains") / "index")
    corpus.add(found)
    yield corpus, found
    corpus.close()


@pytest.mark.parametrize(
    ("number", "how"),
    [
        ("1436", r"[0-9]{1,2}\.[0-9]{1,2}\.{number}"),
        ("1441", r"[0-9]ـ{number}"),
        ("2025", r"[0-9]ـ{number}"),
    ],
)
def test_a_chain_that_is_no_number_is_its_numbers(chains: tuple[Corpus, list[Article]], number: str, how: str) -> None:
    """The date 8.10.1436 holds 1436; 1437ـ1441هـ (a tatweel for a dash) holds 1441."""
    corpus, found = chains
    written = writing(found, number, how)
    assert written, f"the news writes {number} so"
    assert written <= {h.id for h in corpus.search(number, limit=ALL)}


def test_dots_for_thousands_make_one_number(chains: tuple[Corpus, list[Article]]) -> None:
    corpus, found = chains
    grouped = re.compile(r"(?<![0-9.,])([0-9]{1,3}(?:\.[0-9]{3}){2,})(?![0-9]|[.,][0-9])")
    numbers = [m.group(1) for a in found for m in grouped.finditer(f"{a.title}\n{a.body}".translate(ARABIC_INDIC))]
    assert len(numbers) >= 20
    for number in numbers[:20]:
        plain = number.replace(".", "")
        expected = writing(found, re.escape(number), r"(?<![0-9.,]){number}(?![0-9]|[.,][0-9])")
        assert expected <= {h.id for h in corpus.search(plain, limit=ALL)}, number


def test_a_number_grouped_in_thousands_is_found_without_its_commas(sample_corpus: Corpus, articles: list[Article]) -> None:
    expected = writing(articles, "1,200", r"(?<![0-9.,]){number}(?![0-9]|[.,][0-9])")
    assert expected
    assert {h.id for h in sample_corpus.search("1200", limit=ALL)} >= expected
    assert {h.id for h in sample_corpus.search("1,200", limit=ALL)} >= expected
