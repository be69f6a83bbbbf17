"""The views against a brute-force scan of the analysed sample articles: every count exact."""

from __future__ import annotations

import csv
import io
import json
import math
from collections import Counter
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

import pytest
from click.testing import CliRunner

from indexer import Corpus
from indexer.analysis import Token, analyze
from indexer.analysis.stopwords import is_stopword
from indexer.cli import main
from indexer.sources import Article, read_sources

FIELDS = ("title", "body")
_FAR = datetime.max  # undated sorts last


@dataclass
class Doc:
    article: Article
    tokens: dict[str, list[Token]]

    @property
    def id(self) -> str:
        return self.article.id

    def text(self, field: str) -> str:
        return getattr(self.article, field)


@pytest.fixture(scope="module")
def docs(sample_jsonl: Path) -> list[Doc]:
    return [
        Doc(a, {f: analyze(getattr(a, f)) for f in FIELDS})
        for a in read_sources([sample_jsonl])
        if isinstance(a, Article)
    ]


def stem(word: str) -> str:
    (token,) = analyze(word)
    return token.stem


def word_spans(doc: Doc, field: str, word: str) -> list[tuple[int, int]]:
    form = stem(word)
    return [(t.position, t.position) for t in doc.tokens[field] if t.stem == form]


def phrase_spans(doc: Doc, field: str, text: str) -> list[tuple[int, int]]:
    forms = [t.stem for t in analyze(text)]
    toks = doc.tokens[field]
    return [
        (toks[i].position, toks[i + len(forms) - 1].position)
        for i in range(len(toks) - len(forms) + 1)
        if [t.stem for t in toks[i:i + len(forms)]] == forms
    ]


def near_spans(doc: Doc, field: str, a: str, b: str, between: int) -> list[tuple[int, int]]:
    found = set()
    for a0, a1 in word_spans(doc, field, a):
        for b0, b1 in word_spans(doc, field, b):
            if 0 <= b0 - a1 - 1 <= between or 0 <= a0 - b1 - 1 <= between:
                found.add((min(a0, b0), max(a1, b1)))
    return sorted(found)


# Each query, and its occurrences in one field of one document (the document matches when
# its occurrences in title and body, per required part, are all present).
ORACLES = {
    "صندوق": lambda d, f: word_spans(d, f, "صندوق"),
    '"وزير الخارجية"': lambda d, f: phrase_spans(d, f, "وزير الخارجية"),
    "الملك NEAR/3 سلمان": lambda d, f: near_spans(d, f, "الملك", "سلمان", 3),
}


def brute_occurrences(docs: list[Doc], query: str) -> set[tuple[str, str, int, int]]:
    """(id, field, start, end) of every occurrence, offsets into the original text."""
    found = set()
    for doc in docs:
        for field in FIELDS:
            for first, last in ORACLES[query](doc, field):
                found.add((doc.id, field, doc.tokens[field][first].start, doc.tokens[field][last].end))
    return found


@pytest.mark.parametrize("query", list(ORACLES))
def test_kwic_lists_every_occurrence_with_its_original_context(sample_corpus: Corpus, docs: list[Doc], query: str) -> None:
    expected = brute_occurrences(docs, query)
    result = sample_corpus.kwic(query, limit=100_000, width=30)
    assert len(expected) > 10
    assert result.total == len(expected) == len(result.lines)
    assert {(ln.id, ln.field, ln.start, ln.end) for ln in result.lines} == expected
    assert result.articles == len({e[0] for e in expected})
    by_id = {d.id: d for d in docs}
    for ln in result.lines:
        text = by_id[ln.id].text(ln.field)
        assert ln.match == text[ln.start:ln.end]
        tokens = by_id[ln.id].tokens[ln.field]
        assert ln.left == text[whole_words_from(tokens, ln.start - 30):ln.start]
        assert ln.right == text[ln.end:whole_words_to(tokens, ln.end + 30, len(text))]


def whole_words_from(tokens: list, cut: int) -> int:
    """Where a left context reaching back to ``cut`` starts: after a word cut there."""
    cut = max(0, cut)
    return next((t.end for t in tokens if t.start < cut < t.end), cut)


def whole_words_to(tokens: list, cut: int, size: int) -> int:
    """Where a right context reaching to ``cut`` ends: before a word cut there."""
    cut = min(size, cut)
    return next((t.start for t in tokens if t.start < cut < t.end), cut)


def test_kwic_of_an_and_query_lists_both_words_in_the_articles_holding_both(sample_corpus: Corpus, docs: list[Doc]) -> None:
    expected = set()
    for doc in docs:
        spans = {w: [(f, s) for f in FIELDS for s in word_spans(doc, f, w)] for w in ("النفط", "أسعار")}
        if all(spans.values()):
            for f, (first, last) in spans["النفط"] + spans["أسعار"]:
                expected.add((doc.id, f, doc.tokens[f][first].start))
    result = sample_corpus.kwic("النفط أسعار", limit=100_000)
    assert result.total == len(expected) > 0
    assert {(ln.id, ln.field, ln.start) for ln in result.lines} == expected


def test_kwic_pages_and_sorts(sample_corpus: Corpus) -> None:
    everything = sample_corpus.kwic("صندوق", limit=100_000, sort="right")
    page = sample_corpus.kwic("صندوق", limit=5, offset=5, sort="right")
    assert page.total == everything.total
    assert page.lines == everything.lines[5:10]
    rights = [_context_order(t.exact for t in analyze(ln.right)) for ln in everything.lines]
    assert rights == sorted(rights)
    dates = [ln.date for ln in sample_corpus.kwic("صندوق", limit=100_000).lines if ln.date]
    assert dates == sorted(dates)


def _context_order(words) -> tuple:  # type: ignore[no-untyped-def]
    """How a concordancer orders contexts by their first three words: word by word, a
    missing word (the text ended) after every word."""
    found = list(words)[:3]
    return tuple((False, w) for w in found) + ((True, ""),) * (3 - len(found))


@pytest.mark.parametrize("side", ["left", "right"])
def test_kwic_sorted_by_context_puts_an_empty_context_last(sample_corpus: Corpus, side: str) -> None:
    # السعودية opens or closes many titles ("السعودية تتجه ..."): those lines have no word on one side
    lines = sample_corpus.kwic("السعودية", sort=side, width=1_000_000, limit=100_000).lines
    words = [[t.exact for t in analyze(ln.left if side == "left" else ln.right)] for ln in lines]
    nearest_first = [list(reversed(w)) if side == "left" else w for w in words]
    empty = [not w for w in words]
    assert 0 < sum(empty) < len(lines)
    assert empty == sorted(empty), "a line with no word on the sorted side comes before one with a word"
    keys = [_context_order(w) for w in nearest_first]
    assert keys == sorted(keys)


def test_trend_counts_per_month_and_source(sample_corpus: Corpus, docs: list[Doc]) -> None:
    articles: Counter = Counter()
    found: Counter = Counter()
    words: Counter = Counter()
    for doc in docs:
        month = doc.article.date.strftime("%Y-%m") if doc.article.date else None
        source = doc.article.source  # a series is named as the articles write their source
        words[source, month] += sum(len(doc.tokens[f]) for f in FIELDS)
        n = sum(len(word_spans(doc, f, "السعودية")) for f in FIELDS)
        if n:
            articles[source, month] += 1
            found[source, month] += n
    result = sample_corpus.trend("السعودية", by="month", split_source=True)
    seen: Counter = Counter()
    for series in result.series:
        for point in series.points:
            if point.articles:
                assert (point.articles, point.occurrences) == (articles[series.label, point.period], found[series.label, point.period])
                assert point.normalized == pytest.approx(point.occurrences * 1e6 / words[series.label, point.period])
                seen[series.label, point.period] += 1
        assert series.undated_articles == articles[series.label, None]
    assert set(seen) == {k for k in articles if k[1] is not None}


@pytest.mark.parametrize(
    ("since", "until", "months"),
    [
        ("2014-05", "2014-11", ["2014-05", "2014-06", "2014-07", "2014-08", "2014-09", "2014-10", "2014-11"]),  # the sample starts in 2014-08
        ("2017-04", "2017-09", ["2017-04", "2017-05", "2017-06", "2017-07", "2017-08", "2017-09"]),  # and ends in 2017-06
    ],
)
@pytest.mark.parametrize("per", ["articles", "million-words"])
def test_trend_with_bounds_lists_every_period_between_them(
    sample_corpus: Corpus, docs: list[Doc], since: str, until: str, months: list[str], per: str
) -> None:
    dated = Counter(d.article.date.strftime("%Y-%m") for d in docs if d.article.date)
    matching = Counter(
        d.article.date.strftime("%Y-%m") for d in docs if d.article.date and any(word_spans(d, f, "داعش") for f in FIELDS)
    )
    assert any(not dated[m] for m in months) and any(matching[m] for m in months)  # months without articles, and a match
    (series,) = sample_corpus.trend("داعش", by="month", per=per, since=since, until=until).series
    assert [p.period for p in series.points] == months
    assert [p.articles for p in series.points] == [matching[m] for m in months]
    for point in series.points:  # a month without any article: nothing to divide by, so 0
        assert math.isfinite(point.normalized) and (point.normalized > 0) == (matching[point.period] > 0)
    code_json = CliRunner().invoke(main, ["trend", "داعش", "--since", since, "--until", until, "--per", per, "--json", "--index", str(sample_corpus.path)])
    code_csv = CliRunner().invoke(main, ["trend", "داعش", "--since", since, "--until", until, "--per", per, "--csv", "--index", str(sample_corpus.path)])
    assert code_json.exit_code == code_csv.exit_code == 0
    points = json.loads(code_json.stdout, parse_constant=lambda name: pytest.fail(f"{name} in the JSON"))["series"][0]["points"]
    assert [p["period"] for p in points] == months
    rows = list(csv.DictReader(io.StringIO(code_csv.stdout)))
    assert [r["period"] for r in rows if r["period"] != "undated"] == months
    assert not any(value.lower() in ("nan", "inf") for row in rows for value in row.values())


def test_trend_per_articles_is_the_share_of_the_period(sample_corpus: Corpus, docs: list[Doc]) -> None:
    per_month: Counter = Counter()
    matching: Counter = Counter()
    for doc in docs:
        if doc.article.date:
            month = doc.article.date.strftime("%Y-%m")
            per_month[month] += 1
            matching[month] += any(word_spans(doc, f, "النفط") for f in FIELDS)
    (series,) = sample_corpus.trend(["النفط"], by="month", per="articles").series
    assert {p.period for p in series.points} >= set(per_month)
    for point in series.points:
        assert point.articles == matching[point.period]
        assert point.normalized == pytest.approx(matching[point.period] / per_month[point.period] if per_month[point.period] else 0.0)


def test_collocate_counts_equal_a_scan(sample_corpus: Corpus, docs: list[Doc]) -> None:
    node = stem("خادم")
    together: Counter = Counter()
    totals: Counter = Counter()
    for doc in docs:
        for field in FIELDS:
            toks = doc.tokens[field]
            totals.update(t.stem for t in toks)
            near = set()  # a word near two occurrences of the node counts once
            for i, t in enumerate(toks):
                if t.stem == node:
                    near.update(j for j in [*range(i - 5, i), *range(i + 1, i + 6)] if 0 <= j < len(toks))
            together.update(toks[j].stem for j in near if not is_stopword(toks[j].exact))
    result = sample_corpus.collocates("خادم", window=5, min_freq=1, top=100_000)
    assert {c.stem: c.cooccurrences for c in result.collocates} == dict(together)
    assert all(c.frequency == totals[c.stem] for c in result.collocates)
    assert "الحرمين" in [c.word for c in result.collocates[:5]]
    assert result.corpus_words == sum(totals.values())


def test_association_scores_read_the_table_of_the_windows(sample_corpus: Corpus, docs: list[Doc]) -> None:
    """MI, t and LLR expect a collocate in the node's windows as often as its share of the
    corpus times the words those windows hold, not times the node's frequency."""
    node = stem("خادم")
    window_words = 0
    for doc in docs:
        for field in FIELDS:
            toks = doc.tokens[field]
            near = set()
            for i, t in enumerate(toks):
                if t.stem == node:
                    near.update(j for j in [*range(i - 5, i), *range(i + 1, i + 6)] if 0 <= j < len(toks))
            window_words += len(near)
    scores = {}
    for measure in ("mi", "t", "llr"):
        result = sample_corpus.collocates("خادم", window=5, min_freq=1, top=100_000, measure=measure, stopwords=True)
        assert result.window_words == window_words
        scores[measure] = {c.stem: c for c in result.collocates}
    size = result.corpus_words
    for word in ("الحرمين", "في"):
        c = scores["mi"][stem(word)]
        expected = window_words * c.frequency / size
        assert scores["mi"][c.stem].score == pytest.approx(math.log2(c.cooccurrences / expected))
        assert scores["t"][c.stem].score == pytest.approx((c.cooccurrences - expected) / math.sqrt(c.cooccurrences))
        table = (c.cooccurrences, window_words - c.cooccurrences, c.frequency - c.cooccurrences,
                 size - window_words - c.frequency + c.cooccurrences)
        rows, cols = (table[0] + table[1], table[2] + table[3]), (table[0] + table[2], table[1] + table[3])
        g2 = 2 * sum(o * math.log(o * size / (rows[i // 2] * cols[i % 2])) for i, o in enumerate(table) if o)
        assert scores["llr"][c.stem].score == pytest.approx(g2 if c.cooccurrences >= expected else -g2)
    # في stands near خادم (the fixed phrase خادم الحرمين الشريفين) less often than its share
    # of the corpus: every measure says so; a table on the node's frequency called it attracted
    for measure in ("mi", "t", "llr"):
        assert scores[measure][stem("في")].score < 0 < scores[measure][stem("الحرمين")].score


def test_collocates_of_known_pairs_on_the_news(sample_corpus: Corpus) -> None:
    assert "العهد" in [c.word for c in sample_corpus.collocates("ولي", top=5).collocates]
    assert "الحرمين" in [c.word for c in sample_corpus.collocates("خادم", top=5, measure="llr").collocates]


def test_frequency_list_equals_a_scan(sample_corpus: Corpus, docs: list[Doc]) -> None:
    frequency: Counter = Counter()
    documents: Counter = Counter()
    for doc in docs:
        forms = [t.exact for f in FIELDS for t in doc.tokens[f]]
        frequency.update(forms)
        documents.update(set(forms))
    result = sample_corpus.freq(by="exact", top=200)
    expected = sorted(frequency, key=lambda w: (-frequency[w], w))[:200]
    assert [t.term for t in result.terms] == expected
    assert all((t.frequency, t.documents, t.stopword) == (frequency[t.term], documents[t.term], is_stopword(t.term)) for t in result.terms)
    assert result.words == sum(frequency.values())


def test_frequency_list_of_a_query_has_keyness_against_the_rest(sample_corpus: Corpus, docs: list[Doc]) -> None:
    inside: Counter = Counter()
    for doc in docs:
        if any(word_spans(doc, f, "النفط") for f in FIELDS):
            inside.update(t.stem for f in FIELDS for t in doc.tokens[f])
    result = sample_corpus.freq("النفط", top=100_000, sort="keyness")
    assert {t.term: t.frequency for t in result.terms} == dict(inside)
    assert result.terms[0].keyness > 0
    assert stem("النفط") in [t.term for t in result.terms[:5]]


def test_dedupe_counts_an_identical_body_once(sample_corpus: Corpus, docs: list[Doc]) -> None:
    earliest: dict[tuple[str, ...], Doc] = {}
    for doc in docs:
        body = tuple(t.exact for t in doc.tokens["body"])
        if any(word_spans(doc, f, "السعودية") for f in FIELDS):
            key = body if body else ("", doc.id)
            held = earliest.get(key)
            if held is None or (doc.article.date or _FAR, doc.id) < (held.article.date or _FAR, held.id):
                earliest[key] = doc
    copies = sample_corpus.kwic("السعودية", limit=0)
    once = sample_corpus.kwic("السعودية", limit=0, dedupe=True)
    assert once.deduplicated and not copies.deduplicated
    assert once.articles == len(earliest)
    assert once.total == sum(len(word_spans(d, f, "السعودية")) for d in earliest.values() for f in FIELDS)



def test_frequency_list_of_a_query_gives_the_log_ratio_beside_keyness(sample_corpus: Corpus, docs: list[Doc]) -> None:
    """Hardie's Log Ratio: log2 of the relative frequencies in the query's articles and in
    the rest, a word absent from one side counted 0.5 there (as CQPweb does)."""
    inside: Counter = Counter()
    everywhere: Counter = Counter()
    for doc in docs:
        words = [t.stem for f in FIELDS for t in doc.tokens[f]]
        everywhere.update(words)
        if any(word_spans(doc, f, "النفط") for f in FIELDS):
            inside.update(words)
    part, whole = sum(inside.values()), sum(everywhere.values())
    result = sample_corpus.freq("النفط", top=100_000, sort="keyness")
    assert result.words == part
    for term in result.terms:
        rest = everywhere[term.term] - inside[term.term]
        expected = math.log2((inside[term.term] / part) / ((rest or 0.5) / (whole - part)))
        assert term.log_ratio == pytest.approx(expected), term
    ratios = {t.term: t.log_ratio for t in result.terms}
    assert ratios[stem("النفط")] > ratios[stem("أسعار")] > 1 > abs(ratios[stem("في")])  # في is about as common everywhere
    assert all(t.log_ratio is None for t in sample_corpus.freq(top=10).terms)
