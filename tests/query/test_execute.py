"""The engine (`indexer.query.execute`), checked from the outside: which documents a
query finds, against a scan of the analysed articles (tests/query/brute.py), and the
score of each, against BM25F computed here from term counts and field lengths.

Runs on articles generated here and on the bundled corpus/; the same checks over the
shared news sample are marked slow.
"""

from __future__ import annotations

import random
from collections.abc import Iterator
from datetime import datetime, timedelta
from pathlib import Path

import numpy as np
import pytest

from indexer import Article, Corpus
from indexer.query import build, highlight_terms, parse, ranking
from indexer.query.execute import _union_of_terms, match
from indexer.query.expansion import _starting_with, fuzzy_terms
from indexer.sources import read_sources
from indexer.store.schema import BODY, BODY_EXACT, TITLE, TITLE_EXACT
from tests.query import brute as b
from tests.query.brute import Doc
from tests.query.tables import table

ROOT = Path(__file__).resolve().parents[2]
VOCABULARY = (
    "وزير الوزير والوزير لوزير الخارجية خارجية بلينكن بلينكين بلنكن لافروف القاهرة بالقاهرة "
    "اجتماع الاجتماع اجتماعات النفط أسعار الأسعار الغاز السعودية السعودي الرياض جدة في على من قال"
).split()
SOURCES = ("sabq", "okaz", "alwatan")
Generated = tuple[Corpus, list[Doc]]


def generate(count: int, seed: int) -> list[Article]:
    """Articles of a small vocabulary: phrases, windows and NEAR pairs occur often."""
    rng = random.Random(seed)
    articles = []
    for i in range(count):
        title = " ".join(rng.choices(VOCABULARY, k=rng.randint(1, 6)))
        body = " ".join(rng.choices(VOCABULARY, k=rng.randint(0, 40)))
        date = None if i % 5 == 0 else datetime(2015, 7, 1) + timedelta(seconds=rng.randrange(62 * 86400))
        articles.append(Article(f"g{i:03d}", title, body, date, "", SOURCES[i % 3], f"http://x/{i}", f"generated #{i}"))
    return articles


@pytest.fixture(scope="module")
def generated(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Generated]:
    articles = generate(160, seed=7)
    corpus = Corpus(tmp_path_factory.mktemp("generated") / "index")
    assert corpus.add(articles).added == len(articles)
    yield corpus, [Doc.of(a) for a in articles]
    corpus.close()


@pytest.fixture(scope="module")
def bundled(bundled_corpus: Corpus) -> Generated:
    articles = [a for a in read_sources([ROOT / "corpus"]) if isinstance(a, Article)]
    return bundled_corpus, [Doc.of(a) for a in articles]


def found(corpus: Corpus, text: str, **options: object) -> dict[str, float]:
    """Id -> score of every document `Corpus.search` finds."""
    results = corpus.search(text, limit=100_000, **options)  # type: ignore[arg-type]
    assert results.total == len(results.hits)
    return {hit.id: hit.score for hit in results}


WAZIR, KHARIJ, BLINKEN, LAVROV = "وزير", "الخارجية", "بلينكن", "لافروف"
JULY = (datetime(2015, 7, 1), datetime(2015, 7, 31, 23, 59, 59, 999999))

# query, mode, what it must find, id
RESULT_CASES = [
    (WAZIR, "all", b.word(WAZIR), "word"),
    ("=الوزير", "all", b.word("الوزير", is_exact=True), "exact-word"),
    ("وزير الخارجية", "all", b.all_of(b.word(WAZIR), b.word(KHARIJ)), "and-implicit"),
    ("وزير الخارجية", "any", b.any_of(b.word(WAZIR), b.word(KHARIJ)), "or-implicit-any"),
    ("النفط AND الغاز AND الأسعار", "all", b.all_of(b.word("النفط"), b.word("الغاز"), b.word("الأسعار")), "and-three"),
    ("الرياض OR جدة", "all", b.any_of(b.word("الرياض"), b.word("جدة")), "or"),
    ("وزير -النفط", "all", b.but_not(b.word(WAZIR), b.word("النفط")), "not"),
    ("الرياض ليس جدة", "all", b.but_not(b.word("الرياض"), b.word("جدة")), "not-arabic"),
    (
        "(الرياض OR جدة) النفط -الغاز",
        "all",
        b.but_not(b.all_of(b.any_of(b.word("الرياض"), b.word("جدة")), b.word("النفط")), b.word("الغاز")),
        "group-and-not",
    ),
    ("+وزير النفط", "any", b.word(WAZIR), "required-in-any"),
    ("+وزير النفط -الغاز", "any", b.but_not(b.word(WAZIR), b.word("الغاز")), "required-optional-not"),
    ("title:وزير", "all", b.word(WAZIR, (TITLE,)), "title"),
    (
        "body:(الرياض OR جدة) -title:النفط",
        "all",
        b.but_not(b.any_of(b.word("الرياض", (BODY,)), b.word("جدة", (BODY,))), b.word("النفط", (TITLE,))),
        "fields",
    ),
    ('"وزير الخارجية"', "all", b.phrase("وزير الخارجية"), "phrase"),
    ('"الاجتماع في القاهرة"', "all", b.phrase("الاجتماع في القاهرة"), "phrase-stopword"),
    ('"وزير وزير"', "all", b.phrase("وزير وزير"), "phrase-repeated-word"),
    ('="الوزير الخارجية"', "all", b.phrase("الوزير الخارجية", is_exact=True), "phrase-exact"),
    ('body:"وزير الخارجية"', "all", b.phrase("وزير الخارجية", (BODY,)), "phrase-body"),
    ('"وزير الخارجية" النفط', "all", b.all_of(b.phrase("وزير الخارجية"), b.word("النفط")), "phrase-and-word"),
    ('"وزير القاهرة"~2', "all", b.window([WAZIR, "القاهرة"], 2), "window"),
    ('"النفط الغاز"~0', "all", b.window(["النفط", "الغاز"], 0), "window-0"),
    ('"وزير وزير"~3', "all", b.window([WAZIR, WAZIR], 3), "window-repeated-word"),
    ('"النفط الغاز الأسعار"~4', "all", b.window(["النفط", "الغاز", "الأسعار"], 4), "window-three"),
    *[
        (f"{BLINKEN} NEAR/{n} {LAVROV}", "all", b.near(b.term(BLINKEN), b.term(LAVROV), n, False), f"near-{n}")
        for n in range(5)
    ],
    *[
        (f"{BLINKEN} ONEAR/{n} {LAVROV}", "all", b.near(b.term(BLINKEN), b.term(LAVROV), n, True), f"onear-{n}")
        for n in range(4)
    ],
    (f"{BLINKEN} NEAR {LAVROV}", "all", b.near(b.term(BLINKEN), b.term(LAVROV), 10, False), "near-default"),
    (f"{BLINKEN} NEAR/2 {BLINKEN}", "all", b.near(b.term(BLINKEN), b.term(BLINKEN), 2, False), "near-itself"),
    (f'{BLINKEN} NEAR/2 "وزير الخارجية"', "all", b.near(b.term(BLINKEN), b.seq("وزير الخارجية"), 2, False), "near-phrase"),
    (f'"وزير الخارجية" ONEAR/3 {LAVROV}', "all", b.near(b.seq("وزير الخارجية"), b.term(LAVROV), 3, True), "onear-phrase"),
    (
        '"وزير الخارجية" NEAR/4 "أسعار النفط"',
        "all",
        b.near(b.seq("وزير الخارجية"), b.seq("أسعار النفط"), 4, False),
        "near-two-phrases",
    ),
    ("=الوزير NEAR/2 الخارجية", "all", b.near(b.term("الوزير", True), b.term(KHARIJ), 2, False), "near-exact-operand"),
    (f"title:{BLINKEN} NEAR/3 {LAVROV}", "all", b.near(b.term(BLINKEN), b.term(LAVROV), 3, False, (TITLE,)), "near-title"),
    (f"{BLINKEN} NEAR/1 {LAVROV} النفط", "all", b.all_of(b.near(b.term(BLINKEN), b.term(LAVROV), 1, False), b.word("النفط")), "near-and-word"),
    ("الاجتما*", "all", b.found(b.glob("الاجتما*")), "prefix"),
    ("و?ير", "all", b.found(b.glob("و?ير")), "wildcard"),
    ("*غاز", "all", b.found(b.glob("*غاز")), "leading-wildcard"),
    ("أسعا?", "all", b.found(b.glob("أسعا?")), "wildcard-folded"),
    ("بلينكن~1", "all", b.found(b.fuzzy(BLINKEN, 1)), "fuzzy"),
    ("بلنكن~2", "all", b.found(b.fuzzy("بلنكن", 2)), "fuzzy-2"),
    ("بلي* NEAR/2 لافروف", "all", b.near(b.glob("بلي*"), b.term(LAVROV), 2, False), "near-prefix-operand"),
    ("لافروف ONEAR/1 *جتماع", "all", b.near(b.term(LAVROV), b.glob("*جتماع"), 1, True), "onear-wildcard-operand"),
    ("بلينكن~1 ONEAR/3 لافروف", "all", b.near(b.fuzzy(BLINKEN, 1), b.term(LAVROV), 3, True), "onear-fuzzy-operand"),
    ('بلي* NEAR/3 "وزير الخارجية"', "all", b.near(b.glob("بلي*"), b.seq("وزير الخارجية"), 3, False), "near-prefix-phrase"),
    ("date:2015-07", "all", b.dated(*JULY), "date-month"),
    ("date:>=2015-08-01", "all", b.dated(datetime(2015, 8, 1), None), "date-from"),
    (
        "وزير date:[2015-07-10 TO 2015-07-20]",
        "all",
        b.all_of(b.word(WAZIR), b.dated(datetime(2015, 7, 10), datetime(2015, 7, 20, 23, 59, 59, 999999))),
        "date-and-word",
    ),
    ("source:sabq", "all", b.source("sabq"), "source"),
    ("وزير source:SABQ", "all", b.all_of(b.word(WAZIR), b.source("sabq")), "source-and-word"),
]


@pytest.mark.parametrize(("text", "mode", "expected"), **table(RESULT_CASES))
def test_results_are_what_a_scan_finds(generated: Generated, text: str, mode: str, expected: b.Pred) -> None:
    corpus, docs = generated
    want = b.matching(docs, expected)
    assert set(found(corpus, text, mode=mode)) == want
    assert want, "a case that finds nothing tests little"


# search options, what they must find, id
FILTER_CASES = [
    ({"since": "2015-08-01"}, b.dated(datetime(2015, 8, 1), None), "since"),
    ({"until": "2015-07-31"}, b.dated(None, JULY[1]), "until"),
    ({"since": "2015-07-10", "until": "2015-07-20"}, b.dated(datetime(2015, 7, 10), datetime(2015, 7, 20, 23, 59, 59, 999999)), "since-until"),
    ({"source": "OKAZ"}, b.source("okaz"), "source"),
    ({"source": "okaz", "since": "2015-08-01"}, b.all_of(b.source("okaz"), b.dated(datetime(2015, 8, 1), None)), "source-since"),
]


@pytest.mark.parametrize(("options", "expected"), **table(FILTER_CASES))
@pytest.mark.parametrize("text", [WAZIR, '"وزير الخارجية"', f"{BLINKEN} NEAR/3 {LAVROV}", "الاجتما*"])
def test_filters_narrow_to_what_a_scan_finds(generated: Generated, text: str, options: dict, expected: b.Pred) -> None:
    corpus, docs = generated
    unfiltered = found(corpus, text)
    filtered = found(corpus, text, **options)
    assert set(filtered) == b.matching([d for d in docs if d.article.id in unfiltered], expected)
    # A filter is a flat match ANDed with the query: 1.0 more for every hit, ranks unchanged.
    flat = ("since" in options or "until" in options) + ("source" in options)
    assert filtered == pytest.approx({i: unfiltered[i] + flat for i in filtered}, rel=1e-12, abs=0)


def test_date_order_and_paging(generated: Generated) -> None:
    corpus, docs = generated
    by_id = {d.article.id: d.article for d in docs}
    hits = corpus.search(WAZIR, sort="-date", limit=1000).hits
    dates = [by_id[h.id].date for h in hits]
    dated = [d for d in dates if d is not None]
    assert dated == sorted(dated, reverse=True) and dates[len(dated):] == [None] * (len(dates) - len(dated))
    page = corpus.search(WAZIR, sort="-date", offset=5, limit=5).hits
    assert [h.id for h in page] == [h.id for h in hits[5:10]]


@pytest.mark.parametrize("text", [WAZIR, KHARIJ, LAVROV, "القاهرة", "في", "=الوزير", "=بلينكين"])
def test_word_scores_are_bm25f(generated: Generated, text: str) -> None:
    corpus, docs = generated
    bm25f = b.Bm25f(docs)
    is_exact = text.startswith("=")
    expected = {d.article.id: bm25f.word(d, text.lstrip("="), is_exact) for d in docs}
    assert found(corpus, text) == pytest.approx({i: s for i, s in expected.items() if s}, rel=1e-12, abs=0)


@pytest.mark.parametrize("text", ["وزير", "الخارجية", "بلينكن", "النفط", "الأمريكي"])
def test_word_scores_are_bm25f_on_the_bundled_articles(bundled: Generated, text: str) -> None:
    corpus, docs = bundled
    bm25f = b.Bm25f(docs)
    expected = {d.article.id: bm25f.word(d, text) for d in docs}
    assert found(corpus, text) == pytest.approx({i: s for i, s in expected.items() if s}, rel=1e-12, abs=0)


@pytest.mark.parametrize("parts", [1, 2, 3, 4])
def test_a_union_of_terms_adds_the_same_floats_as_one_term_after_another(parts: int) -> None:
    # Ties are broken by article id, so a score one ulp off can reorder hits: the union of
    # a word's terms (title, body) must add exactly as one term after another does, the
    # term with most documents in the whole index first, not merely within a tolerance.
    rng = np.random.default_rng(parts)
    size = 300
    for _ in range(50):
        matches, sizes = [], []
        for _ in range(parts):
            ids = np.sort(rng.choice(size, int(rng.integers(0, 80)), replace=False))
            matches.append((ids, rng.random(len(ids)) * 10))
            sizes.append(int(rng.integers(0, 5)))  # the index's counts, ties included, not this segment's
        docnums, scores = _union_of_terms(matches, sizes)
        hit, expected = np.zeros(size, dtype=bool), np.zeros(size)
        for _, (ids, term_scores) in sorted(zip(sizes, matches), key=lambda sm: -sm[0]):
            hit[ids] = True
            expected[ids] += term_scores
        assert docnums.tolist() == np.flatnonzero(hit).tolist()
        assert scores.tobytes() == expected[hit].tobytes()


def test_and_sums_the_words_scores(generated: Generated) -> None:
    corpus, docs = generated
    bm25f = b.Bm25f(docs)
    expected = {
        d.article.id: bm25f.word(d, WAZIR) + bm25f.word(d, KHARIJ)
        for d in docs
        if bm25f.word(d, WAZIR) and bm25f.word(d, KHARIJ)
    }
    assert found(corpus, "وزير الخارجية") == pytest.approx(expected, rel=1e-12, abs=0)


def bag_scores(docs: list[b.Doc], words: list[str], question: bool = False) -> tuple[dict[str, float], dict[str, float]]:
    """Per document, what a bag of `words` (mode "any", no siblings) scores: `core`, each
    word's BM25F times its idf ** `IDF_EMPHASIS` (the idf of its title and body matches
    together), times the share of the words held, each weighing log((N + 1) / (n +
    0.5)); and `close`, what proximity and the lead add (each word's BM25F in a field
    times its idf there ** `IDF_EMPHASIS`; a `question`'s lead decays with the word's
    first position in the body instead of stopping at `LEAD_WORDS`)."""
    bm25f = b.Bm25f(docs)
    n = len(docs)
    held_by = {w: min(bm25f.df(TITLE, 2, b.stem(w)) + bm25f.df(BODY, 2, b.stem(w)), n) for w in words}
    emphasis = {w: b.idf(n, held_by[w]) ** ranking.IDF_EMPHASIS for w in words}
    weight = {w: np.log((n + 1) / (held_by[w] + 0.5)) for w in words}

    def counted(d: b.Doc, field: str, w: str) -> float:
        return bm25f.score(d, field, 2, b.stem(w)) * bm25f.idf(field, 2, b.stem(w)) ** ranking.IDF_EMPHASIS

    core, close = {}, {}
    for d in docs:
        scores = {w: bm25f.word(d, w) for w in words}
        held = [w for w in words if scores[w]]
        if not held:
            continue
        share = sum(weight[w] for w in held) / sum(weight.values())
        core[d.article.id] = sum(scores[w] * emphasis[w] for w in held) * share
        bonus = 0.0
        for f in (TITLE, BODY):
            for i, left in enumerate(words):
                for right in words[i + 1:]:
                    if b.near(b.term(left), b.term(right), ranking.PROXIMITY_BETWEEN, True, (f,))(d):
                        bonus += ranking.PROXIMITY_WEIGHT * (counted(d, f, left) + counted(d, f, right))
        for w in words:
            firsts = [first for first, _ in b.term(w)(d, BODY)]
            if question and firsts:
                decay = (ranking.LEAD_WORDS / (ranking.LEAD_WORDS + min(firsts))) ** ranking.QUESTION_LEAD_DECAY
                bonus += ranking.LEAD_WEIGHT * counted(d, BODY, w) * decay
            elif any(first < ranking.LEAD_WORDS for first in firsts):
                bonus += ranking.LEAD_WEIGHT * counted(d, BODY, w)
        close[d.article.id] = bonus
    return core, close


def telling_bonus(docs: list[b.Doc], words: list[str], core: dict[str, float]) -> dict[str, float]:
    """What the telling words add to each of the `RESCORED` best documents by `core`
    (ties at the last place kept): `TELLING_WEIGHT` x the best core score x the weighted
    share of the words in the document's opening (its body's first `OPENING_WORDS`
    words), a word weighing log((N + 1) / (n + 0.5)) (n: bodies holding it) x
    log((K + 1) / (k + 0.5)) (K documents rescored, k of them with the word in their
    opening; 0 when k is 0)."""
    bm25f = b.Bm25f(docs)
    ranked = sorted(core.values(), reverse=True)
    floor = ranked[min(ranking.RESCORED, len(ranked)) - 1]
    pool = [d for d in docs if core.get(d.article.id, -1.0) >= floor]
    stems = list(dict.fromkeys(b.stem(w) for w in words))
    opening = {
        (d.article.id, s): any(first < ranking.OPENING_WORDS for first, _ in b.term(w)(d, BODY))
        for d in pool for w, s in zip(words, [b.stem(w) for w in words])
    }
    weight = {}
    for s in stems:
        k = sum(opening[(d.article.id, s)] for d in pool)
        rarity = np.log((len(docs) + 1) / (bm25f.df(BODY, 2, s) + 0.5))
        weight[s] = rarity * np.log((len(pool) + 1) / (k + 0.5)) if k else 0.0
    total = sum(weight.values())
    return {
        d.article.id: ranking.TELLING_WEIGHT * ranked[0] * sum(weight[s] for s in stems if opening[(d.article.id, s)]) / total
        for d in pool
    } if total else {}


@pytest.fixture
def no_siblings(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(ranking, "SIBLING_WEIGHT", 0.0)


def test_only_the_best_documents_get_the_closeness_bonus(generated: Generated, monkeypatch: pytest.MonkeyPatch, no_siblings: None) -> None:
    """Proximity, the lead and the telling words are added to the `RESCORED` best
    documents by the words' scores only (one segment here: the best of the whole index)."""
    monkeypatch.setattr(ranking, "RESCORED", 3)
    corpus, docs = generated
    core, close = bag_scores(docs, [WAZIR, KHARIJ])
    telling = telling_bonus(docs, [WAZIR, KHARIJ], core)
    best = sorted(core.values(), reverse=True)[2]
    want = {i: (s + close[i] + telling.get(i, 0.0) if s >= best else s) for i, s in core.items()}
    assert any(close[i] for i, s in core.items() if s < best)  # the bonus would have counted there
    assert found(corpus, f"{WAZIR} {KHARIJ}", mode="any") == pytest.approx(want, rel=1e-9, abs=0)


def test_any_adds_proximity_and_the_lead_to_the_words_scores(generated: Generated, monkeypatch: pytest.MonkeyPatch, no_siblings: None) -> None:
    """Mode "any": each word's BM25F weighted by its idf and coordinated, plus a share of
    both words' BM25F in each field where they stand in order close together, plus a
    share of a word's BM25F in the body where it is among the first words
    (indexer/query/ranking.py; every document rescored here), plus what the telling
    words add."""
    monkeypatch.setattr(ranking, "RESCORED", 10**6)
    corpus, docs = generated
    core, close = bag_scores(docs, [WAZIR, KHARIJ])
    telling = telling_bonus(docs, [WAZIR, KHARIJ], core)
    assert len({round(v, 6) for v in telling.values()}) == 4  # neither word in the opening, each alone, both
    expected = {i: s + close[i] + telling[i] for i, s in core.items()}
    assert len(expected) > 3 and len({round(v, 6) for v in close.values()}) > 3
    assert found(corpus, f"{WAZIR} {KHARIJ}", mode="any") == pytest.approx(expected, rel=1e-9, abs=0)


def test_a_question_weighs_its_lead_by_position(generated: Generated, monkeypatch: pytest.MonkeyPatch, no_siblings: None) -> None:
    """A bag ending with a question mark reads as a question: each word found in the
    body adds `LEAD_WEIGHT` of its count times (40 / (40 + its first position)) **
    `QUESTION_LEAD_DECAY`, wherever it stands, instead of all of it in the first 40
    words and nothing beyond."""
    monkeypatch.setattr(ranking, "RESCORED", 10**6)
    corpus, docs = generated
    core, close = bag_scores(docs, [WAZIR, KHARIJ], question=True)
    telling = telling_bonus(docs, [WAZIR, KHARIJ], core)
    _, headline_close = bag_scores(docs, [WAZIR, KHARIJ])
    assert sum(a != pytest.approx(b_, rel=1e-9) for a, b_ in zip(close.values(), headline_close.values())) > 3
    expected = {i: s + close[i] + telling[i] for i, s in core.items()}
    assert found(corpus, f"{WAZIR} {KHARIJ}؟", mode="any") == pytest.approx(expected, rel=1e-9, abs=0)


def test_a_bag_of_words_scores_the_share_of_its_words_held(generated: Generated, monkeypatch: pytest.MonkeyPatch, no_siblings: None) -> None:
    """Coordination: a document holding some of a bag's words scores their emphasised
    BM25F times the share of the words it holds, a rare word weighing more than a common
    one (proximity, lead and telling words switched off here)."""
    monkeypatch.setattr(ranking, "PROXIMITY_WEIGHT", 0.0)
    monkeypatch.setattr(ranking, "LEAD_WEIGHT", 0.0)
    monkeypatch.setattr(ranking, "TELLING_WEIGHT", 0.0)
    corpus, docs = generated
    words = [WAZIR, KHARIJ, LAVROV, BLINKEN, "القاهرة"]
    core, _ = bag_scores(docs, words)
    assert len({round(v, 6) for v in core.values()}) > 3
    assert found(corpus, " ".join(words), mode="any") == pytest.approx(core, rel=1e-9, abs=0)


def test_phrase_scores_sum_its_words_where_it_stands(generated: Generated) -> None:
    corpus, docs = generated
    bm25f = b.Bm25f(docs)
    words = [b.stem(w) for w in ("وزير", "الخارجية")]
    expected = {}
    for d in docs:
        fields = [f for f in (TITLE, BODY) if b.seq("وزير الخارجية")(d, f)]
        if fields:
            expected[d.article.id] = sum(sum(bm25f.score(d, f, 2, w) for w in words) for f in fields)
    assert expected and found(corpus, '"وزير الخارجية"') == pytest.approx(expected, rel=1e-12, abs=0)


def test_near_scores_sum_both_words_where_they_are_near(generated: Generated) -> None:
    corpus, docs = generated
    bm25f = b.Bm25f(docs)
    words = [b.stem(BLINKEN), b.stem(LAVROV)]
    expected = {}
    for d in docs:
        fields = [f for f in (TITLE, BODY) if b.near(b.term(BLINKEN), b.term(LAVROV), 3, False, (f,))(d)]
        if fields:
            expected[d.article.id] = sum(sum(bm25f.score(d, f, 2, w) for w in words) for f in fields)
    assert expected and found(corpus, f"{BLINKEN} NEAR/3 {LAVROV}") == pytest.approx(expected, rel=1e-12, abs=0)


def test_fuzzy_scores_the_best_variant_halved_per_edit(generated: Generated) -> None:
    corpus, docs = generated
    bm25f = b.Bm25f(docs)
    form = b.exact(BLINKEN)
    expected = {}
    for d in docs:
        total = 0.0
        for f in (TITLE, BODY):
            variants = {t[1] for t in d.tokens[f] if t[1][:1] == form[:1] and b.osa(t[1], form) <= 1}
            total += max((bm25f.score(d, f, 1, v) * 0.5 ** b.osa(v, form) for v in variants), default=0.0)
        if total:
            expected[d.article.id] = total
    assert expected and found(corpus, "بلينكن~1") == pytest.approx(expected, rel=1e-12, abs=0)


def test_wildcards_and_dates_score_flat(generated: Generated) -> None:
    corpus, docs = generated
    pattern = b.glob("الاجتما*")
    expected = {}
    for d in docs:
        score = (2.0 if pattern(d, TITLE) else 0.0) + (1.0 if pattern(d, BODY) else 0.0)  # the fields' boosts
        if score:
            expected[d.article.id] = score
    assert expected and found(corpus, "الاجتما*") == expected
    assert set(found(corpus, "date:2015-07").values()) == {1.0}


def test_not_excludes_a_segments_first_document(tmp_path: Path) -> None:
    # Whoosh trap: its AndNotMatcher tests its first document against the excluded side
    # only when both sides start on the same document; here "نفط" starts on the second
    # document, "غاز" on the first, and the second holds both.
    corpus = Corpus(tmp_path / "index")
    bodies = {"a0": "غاز", "a1": "نفط غاز", "a2": "نفط"}
    corpus.add([Article(i, "", body, None, "", "", "", i) for i, body in bodies.items()])
    assert set(found(corpus, "نفط -غاز")) == {"a2"}
    corpus.close()


@pytest.mark.parametrize("text", [WAZIR, "وزير الخارجية", '"وزير الخارجية" النفط', "الرياض OR جدة -النفط", "=الوزير"])
def test_reads_name_every_matching_document_holding_a_word(generated: Generated, text: str) -> None:
    # Snippets trust `reads` to know which of the query's words a hit's body holds.
    corpus, docs = generated
    by_id = {d.article.id: d for d in docs}
    with corpus.open_index().searcher() as searcher:
        reads: dict = {}
        docnums, _ = match(searcher, build(parse(text), reader=searcher.reader()), reads)
        ids = {d: searcher.stored_fields(d)["id"] for d in docnums.tolist()}
    words = highlight_terms(parse(text)).terms
    assert words
    for mark in words:
        slot, field = (2, BODY) if mark.kind == "stem" else (1, BODY_EXACT)
        holding = {d for d, i in ids.items() if any(t[slot] == mark.form for t in by_id[i].tokens[BODY])}
        read = reads.get((field, mark.form.encode()), [])
        assert holding <= set(np.concatenate(read).tolist() if read else []), (text, mark.form)


@pytest.mark.parametrize("prefix", ["و", "وز", "ي", "\U0010ffff", "و\U0010ffff", "ا"])
def test_a_lexicon_slice_gives_every_term_with_the_prefix(prefix: str) -> None:
    # Fuzzy words take their candidates from a sorted slice by bisection: the run must be
    # exactly the terms starting with the prefix, even next to the last code point.
    rng = random.Random(len(prefix))
    letters = "اوزيرت\U0010ffff"
    terms = sorted({"".join(rng.choices(letters, k=rng.randint(1, 4))) for _ in range(300)})
    assert list(_starting_with(terms, prefix)) == [t for t in terms if t.startswith(prefix)]


def test_fuzzy_terms_are_every_lexicon_word_within_the_distance(generated: Generated) -> None:
    corpus, docs = generated
    lexicon = {t[1] for d in docs for f in (TITLE, BODY) for t in d.tokens[f]}
    with corpus.open_index().searcher() as searcher:
        for word, maxdist in (("الاجتماع", 1), (BLINKEN, 1), ("بلنكن", 2), ("السعوديه", 1)):
            expected = {t for t in lexicon if t[0] == word[0] and b.osa(t, word) <= maxdist}
            terms = fuzzy_terms(searcher.reader(), TITLE_EXACT, word, maxdist, 1, 10_000)
            terms += fuzzy_terms(searcher.reader(), BODY_EXACT, word, maxdist, 1, 10_000)
            assert {t for t, _ in terms} == expected, word
            assert all(d == b.osa(t, word) for t, d in terms)


# The same checks over 997 real articles (../shared/data).

SAMPLE_CASES = [
    ("السعودية", "all", b.word("السعودية"), "word"),
    ("الملك سلمان", "all", b.all_of(b.word("الملك"), b.word("سلمان")), "and"),
    ("النفط OR الغاز -الأسعار", "all", b.any_of(b.word("النفط"), b.but_not(b.word("الغاز"), b.word("الأسعار"))), "or-not"),
    ('"خادم الحرمين الشريفين"', "all", b.phrase("خادم الحرمين الشريفين"), "phrase"),
    ('"على أن"', "all", b.phrase("على أن"), "phrase-of-stopwords"),
    ('"الملك سلمان"~3', "all", b.window(["الملك", "سلمان"], 3), "window"),
    ("الملك NEAR/5 سلمان", "all", b.near(b.term("الملك"), b.term("سلمان"), 5, False), "near"),
    ("الملك ONEAR/3 سلمان", "all", b.near(b.term("الملك"), b.term("سلمان"), 3, True), "onear"),
    (
        '"وزير الخارجية" NEAR/8 "الأمم المتحدة"',
        "all",
        b.near(b.seq("وزير الخارجية"), b.seq("الأمم المتحدة"), 8, False),
        "near-phrases",
    ),
    ("السعودي* NEAR/2 وزير", "all", b.near(b.glob("السعودي*"), b.term("وزير"), 2, False), "near-prefix"),
    ("المملكة~1 NEAR/5 العربية", "all", b.near(b.fuzzy("المملكة", 1), b.term("العربية"), 5, False), "near-fuzzy"),
    ("الاقتصا*", "all", b.found(b.glob("الاقتصا*")), "prefix"),
    ("السعوديه~1", "all", b.found(b.fuzzy("السعوديه", 1)), "fuzzy"),
]


@pytest.fixture(scope="module")
def sample(sample_corpus: Corpus, sample_jsonl: Path) -> Generated:
    with sample_corpus.open_index().searcher() as searcher:
        indexed = {fields["id"] for fields in searcher.all_stored_fields()}
    articles = [a for a in read_sources([sample_jsonl]) if isinstance(a, Article) and a.id in indexed]
    assert len(articles) == len(indexed)
    return sample_corpus, [Doc.of(a) for a in articles]


@pytest.mark.parametrize(("text", "mode", "expected"), **table(SAMPLE_CASES))
def test_results_on_the_news_sample_are_what_a_scan_finds(sample: Generated, text: str, mode: str, expected: b.Pred) -> None:
    corpus, docs = sample
    want = b.matching(docs, expected)
    assert want and set(found(corpus, text, mode=mode)) == want


@pytest.mark.parametrize("text", ["السعودية", "الملك", "=وزير", "في"])
def test_word_scores_on_the_news_sample_are_bm25f(sample: Generated, text: str) -> None:
    corpus, docs = sample
    bm25f = b.Bm25f(docs)
    is_exact = text.startswith("=")
    expected = {d.article.id: bm25f.word(d, text.lstrip("="), is_exact) for d in docs}
    assert found(corpus, text) == pytest.approx({i: s for i, s in expected.items() if s}, rel=1e-12, abs=0)
