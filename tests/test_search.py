"""Search on real articles: result SETS against an independent brute-force scan."""

from __future__ import annotations

import gc
import json
import os
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

import pytest

from indexer import Corpus
from indexer.query import QueryError
from indexer.analysis import analyze, fold
from indexer.sources import Article, read_sources

ALL = 2000


@dataclass
class Doc:
    id: str
    title: list[str]  # exact forms, in order
    body: list[str]
    date: datetime | None
    source: str


@pytest.fixture(scope="module")
def docs(sample_jsonl: Path) -> list[Doc]:
    return [
        Doc(a.id, [t.exact for t in analyze(a.title)], [t.exact for t in analyze(a.body)], a.date, a.source)
        for a in read_sources([sample_jsonl])
        if isinstance(a, Article)
    ]


def has(field: list[str], word: str) -> bool:
    return fold(word) in field


def phrase_in(field: list[str], words: list[str]) -> bool:
    forms = [fold(w) for w in words]
    n = len(forms)
    return any(field[i : i + n] == forms for i in range(len(field) - n + 1))


def near_in(field: list[str], a: str, b: str, distance: int, ordered: bool) -> bool:
    fa, fb = fold(a), fold(b)
    left = [i for i, f in enumerate(field) if f == fa]
    right = [j for j, f in enumerate(field) if f == fb]
    return any(
        (j > i and j - i - 1 <= distance) or (not ordered and i > j and i - j - 1 <= distance)
        for i in left
        for j in right
    )


def either(predicate: Callable[[list[str]], bool]) -> Callable[[Doc], bool]:
    return lambda d: predicate(d.title) or predicate(d.body)


IN_RANGE = (datetime(2015, 7, 21), datetime(2015, 7, 31, 23, 59, 59, 999999))

CASES: list[tuple[str, str, Callable[[Doc], bool]]] = [
    ("term", "السعودية", either(lambda f: has(f, "السعودية"))),
    ("and", "وزير الخارجية", lambda d: (has(d.title, "وزير") or has(d.body, "وزير")) and (has(d.title, "الخارجية") or has(d.body, "الخارجية"))),
    ("explicit-and", "النفط AND الأسعار", lambda d: either(lambda f: has(f, "النفط"))(d) and either(lambda f: has(f, "الأسعار"))(d)),
    ("or", "الرياض OR جدة", lambda d: either(lambda f: has(f, "الرياض") or has(f, "جدة"))(d)),
    ("arabic-or", "الرياض أو جدة", lambda d: either(lambda f: has(f, "الرياض") or has(f, "جدة"))(d)),
    ("not", "الرياض NOT جدة", lambda d: either(lambda f: has(f, "الرياض"))(d) and not either(lambda f: has(f, "جدة"))(d)),
    ("minus", "الرياض -جدة", lambda d: either(lambda f: has(f, "الرياض"))(d) and not either(lambda f: has(f, "جدة"))(d)),
    ("arabic-not", "الرياض ليس جدة", lambda d: either(lambda f: has(f, "الرياض"))(d) and not either(lambda f: has(f, "جدة"))(d)),
    ("phrase", '"وزير الخارجية"', either(lambda f: phrase_in(f, ["وزير", "الخارجية"]))),
    ("phrase-with-stopword", '"خادم الحرمين الشريفين"', either(lambda f: phrase_in(f, ["خادم", "الحرمين", "الشريفين"]))),
    ("phrase-stopword-inside", '"في المملكة"', either(lambda f: phrase_in(f, ["في", "المملكة"]))),
    ("near", "الملك NEAR/3 سلمان", either(lambda f: near_in(f, "الملك", "سلمان", 3, False))),
    ("near-default", "النفط NEAR أسعار", either(lambda f: near_in(f, "النفط", "أسعار", 10, False))),
    ("onear", "الملك ONEAR/1 سلمان", either(lambda f: near_in(f, "الملك", "سلمان", 1, True))),
    ("onear-other-order", "سلمان ONEAR/5 عبدالعزيز", either(lambda f: near_in(f, "سلمان", "عبدالعزيز", 5, True))),
    ("field", "title:السعودية", lambda d: has(d.title, "السعودية")),
    ("arabic-field", "عنوان:السعودية", lambda d: has(d.title, "السعودية")),
    ("field-group", "title:(الرياض OR جدة)", lambda d: has(d.title, "الرياض") or has(d.title, "جدة")),
    ("field-phrase", 'body:"وزير الخارجية"', lambda d: phrase_in(d.body, ["وزير", "الخارجية"])),
    ("group", "(الرياض OR جدة) أمير", lambda d: either(lambda f: has(f, "الرياض") or has(f, "جدة"))(d) and either(lambda f: has(f, "أمير"))(d)),
    ("date-range", "السعودية date:[2015-07-21 TO 2015-07-31]", lambda d: either(lambda f: has(f, "السعودية"))(d) and d.date is not None and IN_RANGE[0] <= d.date <= IN_RANGE[1]),
    ("date-day", "date:2015-07-25", lambda d: d.date is not None and d.date.date().isoformat() == "2015-07-25"),
    ("date-from", "النفط date:>=2015-08-01", lambda d: either(lambda f: has(f, "النفط"))(d) and d.date is not None and d.date >= datetime(2015, 8, 1)),
]


@pytest.mark.parametrize(("query", "expected"), [c[1:] for c in CASES], ids=[c[0] for c in CASES])
def test_exact_results_equal_brute_force(sample_corpus: Corpus, docs: list[Doc], query: str, expected) -> None:
    want = {d.id for d in docs if expected(d)}
    assert want, "the brute force must find something, or the case proves nothing"
    results = sample_corpus.search(query, exact=True, limit=ALL)
    assert results.total == len(want)
    assert {h.id for h in results} == want


POSITIVE = [c for c in CASES if not any(op in c[1] for op in ("NOT", " -", "ليس"))]


# A negation excludes more in default mode (its stem matches more), so only positive
# queries promise default >= exact.
@pytest.mark.parametrize("query", [c[1] for c in POSITIVE], ids=[c[0] for c in POSITIVE])
def test_default_mode_finds_at_least_exact_mode(sample_corpus: Corpus, query: str) -> None:
    exact = {h.id for h in sample_corpus.search(query, exact=True, limit=ALL)}
    stemmed = {h.id for h in sample_corpus.search(query, limit=ALL)}
    assert exact <= stemmed


SPELLINGS = [
    ("vocalised", "وزير الخارجية", "وَزِيرُ الخَارِجِيَّةِ"),
    ("tatweel", "الوزير", "الـــوزير"),
    ("hamza-seat", "مسؤول", "مسئول"),
    ("alef-variants", "أمير", "امير"),
    ("teh-marbuta", "المملكة", "المملكه"),
    ("alef-maksura", "مستشفى", "مستشفي"),
    ("farsi-letters", "كبير", "کبیر"),
    ("presentation-forms", "السلام", "\ufe8d\ufedf\ufeb4\ufefc\ufee1"),
    ("indic-digits", "2015", "٢٠١٥"),
]


@pytest.mark.parametrize(("plain", "variant"), [s[1:] for s in SPELLINGS], ids=[s[0] for s in SPELLINGS])
def test_variant_spellings_return_the_same_set(sample_corpus: Corpus, plain: str, variant: str) -> None:
    for exact in (False, True):
        want = {h.id for h in sample_corpus.search(plain, exact=exact, limit=ALL)}
        assert want
        assert {h.id for h in sample_corpus.search(variant, exact=exact, limit=ALL)} == want


@pytest.mark.parametrize("query", ["وزير الخارجية", '"في المملكة"', "الملك NEAR/3 سلمان", "بلينكن~", "الاقتصا*"])
def test_every_highlight_folds_back_to_a_query_word(sample_corpus: Corpus, query: str) -> None:
    results = sample_corpus.search(query, limit=20)
    assert results.hits
    for hit in results:
        for start, end in hit.highlights:
            word = fold(hit.snippet[start:end])
            assert word, hit.snippet
            if "~" in query or "*" in query:
                continue  # a fuzzy or wildcard variant, checked by the marks tests
            query_stems = {t.stem for t in analyze(query)}
            assert analyze(hit.snippet[start:end])[0].stem in query_stems


def test_phrase_default_mode_meets_prefixed_forms(tmp_path: Path) -> None:
    source = tmp_path / "a.jsonl"
    bodies = ["قال وزير الخارجية", "رسالة لوزير الخارجية", "التقى ووزير الخارجية", "وزير الداخلية والخارجية"]
    source.write_text("".join(f'{{"id": "{i}", "body": "{b}"}}\n' for i, b in enumerate(bodies)), encoding="utf-8")
    corpus = Corpus(tmp_path / "index")
    corpus.index([source])
    assert {h.id for h in corpus.search('"وزير الخارجية"')} == {"0", "1", "2"}
    assert {h.id for h in corpus.search('"وزير الخارجية"', exact=True)} == {"0"}


def test_transliterations_meet_through_fuzzy(bundled_corpus: Corpus) -> None:
    plain = {h.id for h in bundled_corpus.search("بلينكن", limit=ALL)}
    fuzzy = {h.id for h in bundled_corpus.search("بلينكن~", limit=ALL)}
    other = {h.id for h in bundled_corpus.search("بلينكين", limit=ALL)}
    assert plain and other and fuzzy == plain | other


def test_total_counts_all_matches_and_paging_is_stable(sample_corpus: Corpus) -> None:
    everything = sample_corpus.search("السعودية", limit=ALL)
    page = sample_corpus.search("السعودية", limit=5, offset=5)
    assert page.total == everything.total > 10
    assert [h.id for h in page] == [h.id for h in everything.hits[5:10]]


def test_sort_by_date(sample_corpus: Corpus) -> None:
    newest = [h.date for h in sample_corpus.search("السعودية", sort="-date", limit=50)]
    oldest = [h.date for h in sample_corpus.search("السعودية", sort="date", limit=50)]
    assert newest == sorted(newest, reverse=True) and oldest == sorted(oldest)


def test_since_until_and_source_filters(sample_corpus: Corpus, docs: list[Doc]) -> None:
    hits = sample_corpus.search("السعودية", since="2015-08-01", until="2015-08-05", limit=ALL)
    assert hits.total and all("2015-08-01" <= h.date[:10] <= "2015-08-05" for h in hits)
    source = docs[0].source
    assert all(h.source == source for h in sample_corpus.search("السعودية", source=source, limit=ALL))


def test_any_mode_ranks_partial_matches(sample_corpus: Corpus) -> None:
    question = "ما هي أسعار النفط في السعودية"
    any_hits = sample_corpus.search(question, mode="any", limit=ALL)
    all_hits = sample_corpus.search(question, limit=ALL)
    assert any_hits.total > all_hits.total > 0


def test_too_broad_wildcard_is_a_clear_error_not_a_hang(sample_corpus: Corpus) -> None:
    from indexer import QueryError

    with pytest.raises(QueryError, match="make it longer"):
        sample_corpus.search("ال*")
    assert sample_corpus.search("الاقتصا*").total > 0


def open_files() -> int:
    gc.collect()  # count what is really held, not what is waiting for the collector
    return len(os.listdir("/proc/self/fd")) if os.path.isdir("/proc/self/fd") else 0


def test_concurrent_searches_from_threads_agree_and_close_their_files(sample_jsonl: Path, tmp_path: Path) -> None:
    corpus = Corpus(tmp_path / "index")
    corpus.index([sample_jsonl])
    before = open_files()
    queries = ["السعودية", '"وزير الخارجية"', "الملك NEAR/3 سلمان", "النفط OR الغاز", "بلينكن~"]
    expected = {q: [h.id for h in corpus.search(q, limit=20)] for q in queries}
    errors: list[BaseException] = []

    def worker(seed: int) -> None:
        try:
            for i in range(20):
                q = queries[(seed + i) % len(queries)]
                assert [h.id for h in corpus.search(q, limit=20)] == expected[q]
        except BaseException as error:  # noqa: BLE001 - reported below
            errors.append(error)

    threads = [threading.Thread(target=worker, args=(n,)) for n in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not errors, errors[:3]
    corpus.close()
    assert open_files() <= before


def test_searchers_of_ended_threads_are_closed(tmp_path: Path) -> None:
    # A server that starts a thread per request: each thread's searcher is closed once
    # the thread has ended and another one opens a searcher.
    with Corpus(tmp_path / "index") as corpus:
        for n in range(3):  # three segments, each a few open files
            corpus.add([{"id": str(n), "title": "وزير الخارجية"}])

        def one_request() -> None:
            thread = threading.Thread(target=lambda: corpus.search("وزير"))
            thread.start()
            thread.join()

        corpus.search("وزير")
        one_request()
        with_one_ended = open_files()
        for _ in range(30):
            one_request()
        assert open_files() == with_one_ended


def test_searcher_is_refreshed_when_the_index_changes(tmp_path: Path) -> None:
    reader, writer = Corpus(tmp_path / "index"), Corpus(tmp_path / "index")
    writer.add([{"id": "1", "title": "وزير الخارجية"}])
    assert reader.search("وزير").total == 1
    writer.add([{"id": "2", "title": "وزير المالية"}])
    assert reader.search("وزير").total == 2  # same Corpus, same thread: refreshed searcher
    writer.delete(["1"])
    assert [h.id for h in reader.search("وزير")] == ["2"]  # a deletion in a segment it had open
    writer.add([{"id": "2", "title": "وزير المالية الجديد"}])
    assert [h.title for h in reader.search("وزير")] == ["وزير المالية الجديد"]  # replaced, not doubled
    for n in range(3, 12):  # small commits merge segments (store/merging.py)
        writer.add([{"id": str(n), "title": "وزير النفط"}])
    assert sorted(int(h.id) for h in reader.search("وزير", limit=50)) == list(range(2, 12))
    writer.index([], rebuild=True)
    assert reader.search("وزير").total == 0  # a rebuild swapped in a new generation
    reader.close()


def test_snippet_of_a_long_body_shows_the_match_and_says_more_follows(tmp_path: Path) -> None:
    # Snippets stop reading a body a window after every word of the query has matched.
    filler = " ".join(["كلام"] * 2000)
    body = f"{filler} قال وَزِيرُ النفط اليوم {filler} وزير آخر"
    source = tmp_path / "a.jsonl"
    source.write_text(json.dumps({"id": "long", "body": body}, ensure_ascii=False) + "\n", encoding="utf-8")
    with Corpus(tmp_path / "index") as corpus:
        corpus.index([source])
        hit = corpus.search("وزير").hits[0]
        assert hit.snippet.startswith("… ") and hit.snippet.endswith(" …")
        assert [hit.snippet[s:e] for s, e in hit.highlights] == ["وَزِيرُ"]
        # A phrase is checked on the whole body: the only occurrence is near the end.
        hit = corpus.search('"وزير آخر"').hits[0]
        assert [hit.snippet[s:e] for s, e in hit.highlights] == ["وزير", "آخر"]
        assert not hit.snippet.endswith("…")


def test_snippet_shows_line_breaks_and_tabs_as_spaces_with_highlights_in_place(tmp_path: Path) -> None:
    source = tmp_path / "a.jsonl"
    body = "أعلنت الوزارة\r\nأن أسعار\tالنفط\nارتفعت\fاليوم\vكثيرا"
    source.write_text(json.dumps({"id": "a", "body": body}, ensure_ascii=False) + "\n", encoding="utf-8")
    with Corpus(tmp_path / "index") as corpus:
        corpus.index([source])
        [hit] = corpus.search("النفط")
        assert hit.snippet == "أعلنت الوزارة  أن أسعار النفط ارتفعت اليوم كثيرا"
        assert [hit.snippet[s:e] for s, e in hit.highlights] == ["النفط"]


def test_snippet_skips_query_words_the_body_lacks(tmp_path: Path) -> None:
    # The index tells which query words a body holds: a word found only in the title (or
    # an OR's other branch) must not keep the snippet from settling on the words it has.
    filler = " ".join(["كلام"] * 300)
    rows = [
        {"id": "both", "title": "أسعار النفط", "body": f"{filler} قال وَزِيرُ المالية {filler}"},
        {"id": "title-only", "title": "أسعار النفط", "body": f"بداية النص {filler}"},
    ]
    source = tmp_path / "a.jsonl"
    source.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows), encoding="utf-8")
    with Corpus(tmp_path / "index") as corpus:
        corpus.index([source])
        hits = {h.id: h for h in corpus.search("النفط OR وزير", limit=5)}
        both = hits["both"]
        assert [both.snippet[s:e] for s, e in both.highlights] == ["وَزِيرُ"]
        assert both.snippet.startswith("… ") and both.snippet.endswith(" …")
        assert [both.title[s:e] for s, e in both.title_highlights] == ["النفط"]
        title_only = hits["title-only"]
        assert title_only.snippet.startswith("بداية النص") and title_only.highlights == []


def test_equal_scores_rank_by_id_whatever_the_index_order(tmp_path: Path) -> None:
    # Written in reverse: ties follow the ids, so a sharded index ranks them the same.
    source = tmp_path / "a.jsonl"
    ids = [f"a{i:02d}" for i in range(30)]
    source.write_text("".join(f'{{"id": "{i}", "body": "نفط خام"}}\n' for i in reversed(ids)), encoding="utf-8")
    with Corpus(tmp_path / "index") as corpus:
        corpus.index([source])
        assert [h.id for h in corpus.search("نفط", limit=30)] == ids
        assert [h.id for h in corpus.search("نفط", limit=5, offset=10)] == ids[10:15]
        assert [h.id for h in corpus.search("نفط", limit=5, sort="date")] == ids[:5]  # all undated


def test_ties_across_segments_follow_the_ids_in_every_sort(tmp_path: Path) -> None:
    # Three commits (three segments), ids whose string order is not their number's, and
    # many equal scores and equal dates: every page is the brute-force order.
    rows = [
        {"id": f"n{i}", "body": "نفط خام", **({"date": f"2015-0{1 + i % 3}-01"} if i % 4 else {})}
        for i in range(45)
    ]
    with Corpus(tmp_path / "index") as corpus:
        for start in (0, 15, 30):
            corpus.add(rows[start : start + 15])
        by_id = sorted(r["id"] for r in rows)
        dated = {r["id"]: r.get("date") for r in rows}
        oldest = sorted(by_id, key=lambda i: (dated[i] is None, dated[i] or "", i))
        newest = sorted(by_id, key=lambda i: (dated[i] is None, "".join(chr(0x10FFFF - ord(c)) for c in dated[i] or ""), i))
        for sort, expected in (("relevance", by_id), ("date", oldest), ("-date", newest)):
            for offset in (0, 7, 40):
                found = [h.id for h in corpus.search("نفط", limit=7, offset=offset, sort=sort)]
                assert found == expected[offset : offset + 7], (sort, offset)


def test_sort_by_date_puts_undated_articles_last(tmp_path: Path) -> None:
    source = tmp_path / "a.jsonl"
    rows = [
        {"id": "undated", "body": "نفط"},
        {"id": "old", "body": "نفط", "date": "2015-07-01"},
        {"id": "new", "body": "نفط", "date": "2015-08-01"},
    ]
    source.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows), encoding="utf-8")
    with Corpus(tmp_path / "index") as corpus:
        corpus.index([source])
        assert [h.id for h in corpus.search("نفط", sort="date")] == ["old", "new", "undated"]
        assert [h.id for h in corpus.search("نفط", sort="-date")] == ["new", "old", "undated"]
        assert [h.id for h in corpus.search("نفط", sort="-date", limit=1, offset=2)] == ["undated"]


def test_a_query_past_the_length_limit_is_refused_at_once(bundled_corpus: Corpus) -> None:
    from indexer.query.bounds import MAX_QUERY_CHARS

    text = " ".join(f"كلمةغريبة{n}" for n in range(10_000))  # unseen words: each a fuzzy rewrite in "any"
    for mode in ("all", "any"):
        started = time.perf_counter()
        with pytest.raises(QueryError, match=f"at most {MAX_QUERY_CHARS:,}") as caught:
            bundled_corpus.search(text, mode=mode)
        assert caught.value.position == MAX_QUERY_CHARS
        assert time.perf_counter() - started < 1
    assert bundled_corpus.search(("وزير " * 200)[:MAX_QUERY_CHARS]).total > 0  # at the limit: searched


def test_a_query_past_the_word_limit_is_refused_at_the_first_word_too_many(bundled_corpus: Corpus) -> None:
    from indexer.query.bounds import MAX_QUERY_TERMS

    words = ["نفط", "غاز", "سعر"] * 70
    query = " ".join(words[: MAX_QUERY_TERMS + 1])
    with pytest.raises(QueryError, match=f"has {MAX_QUERY_TERMS + 1} words; at most {MAX_QUERY_TERMS}") as caught:
        bundled_corpus.search(query, mode="any")
    assert caught.value.position == query.rindex(" ") + 1  # the 201st word
    assert bundled_corpus.search(" ".join(words[:MAX_QUERY_TERMS]), mode="any").total > 0


def test_patterns_standing_for_too_many_terms_together_are_refused(sample_corpus: Corpus) -> None:
    """Each prefix is under its own limit; together they pass the query's."""
    from indexer.query.expansion import DEFAULT_EXPANSION_LIMIT, MAX_EXPANDED_TERMS

    from indexer.store.schema import BODY_EXACT

    reader = sample_corpus.open_index().reader()
    counts: dict[str, int] = {}
    for term in reader.field_terms(BODY_EXACT):  # patterns match exact forms
        counts[term[:2]] = counts.get(term[:2], 0) + 1
    prefixes = [p for p, n in sorted(counts.items(), key=lambda item: -item[1]) if len(p) == 2 and n < DEFAULT_EXPANSION_LIMIT]
    patterns, total = [], 0
    for prefix in prefixes:
        patterns.append(f"{prefix}*")
        total += counts[prefix]
        if total > MAX_EXPANDED_TERMS * 1.2:
            break
    assert total > MAX_EXPANDED_TERMS * 1.2, "the sample lexicon is too small for this test"
    with pytest.raises(QueryError, match=f"stand for more than {MAX_EXPANDED_TERMS:,} terms together") as caught:
        sample_corpus.search(" ".join(patterns), mode="any")
    assert 0 < caught.value.position < len(" ".join(patterns))
    assert sample_corpus.search(" ".join(patterns[:3]), mode="any").total > 0
