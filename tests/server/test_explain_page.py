"""The search page's "كيف فُهم البحث" panel (``templates/explain.html``) as HTML: what it
lists matches ``Corpus.explanation``, every decision of the stemmer is worded in Arabic
(``arabic.py``'s ``STEP_WORDINGS`` and ``REASON_WORDINGS``), and every reason the stemmer's
source can give has a wording. The panel in a real browser: ``test_browser_explain.py``."""

from __future__ import annotations

import ast
import html
import json
import re
from pathlib import Path
from urllib.parse import parse_qs

import pytest

from indexer import Corpus
from indexer.analysis import analyze
from indexer.analysis.folding import spelling
from indexer.analysis.stemming import derive
from indexer.server.arabic import REASON_WORDINGS, STEP_WORDINGS, step_in_arabic
from tests.server.test_arabic import _templates, english_outside_quotes

REPO = Path(__file__).resolve().parents[2]
STEMMING = REPO / "indexer" / "analysis" / "stemming.py"


def panel(page: str) -> str | None:
    found = re.search(r'<details class="explain">(.*?)</details>', page, re.S)
    return found.group(1) if found else None


def text_of(fragment: str) -> str:
    return " ".join(html.unescape(re.sub(r"<[^>]+>", "", fragment)).split())


def test_each_decision_the_stemmer_takes_on_real_words_reads_in_arabic():
    """Every step of every word of the bundled articles (prefixes and suffixes removed and
    kept, each kind of evidence): a wording, no English left outside « »."""
    words = {
        (token.exact, spelling(token.text))
        for line in (REPO / "corpus" / "articles.jsonl").read_text("utf-8").splitlines()
        for token in analyze(json.loads(line)["body"])
    }
    steps = {step for exact, spelled in words for step in derive(exact, spelled).steps}
    assert {(s.kind, s.removed) for s in steps} >= {
        ("conjunction", True), ("conjunction", False), ("preposition", True), ("preposition", False),
        ("article", True), ("suffix", True), ("suffix", False),
    }
    for step in steps:
        sentence = step_in_arabic(step)
        assert 'lang="en"' not in sentence, str(step)
        assert not english_outside_quotes(text_of(sentence)), (str(step), text_of(sentence))


def _reason_templates() -> set[str]:
    """Each reason the stemmer's source can give an affix, as a template ({} for a part)."""
    tree = ast.parse(STEMMING.read_text("utf-8"))
    judges = ("_judge_prefix", "_weigh_prefix", "_judge_suffix", "_agree")
    found: set[str] = set()
    for function in (n for n in tree.body if isinstance(n, ast.FunctionDef) and n.name in judges):
        for node in ast.walk(function):
            if isinstance(node, ast.Return) and isinstance(node.value, ast.Tuple) and len(node.value.elts) == 2:
                found.update(_templates(node.value.elts[1], {}, {}))
            elif isinstance(node, ast.Assign) and any(isinstance(t, ast.Name) and t.id in ("reason", "counts") for t in node.targets):
                found.update(_templates(node.value, {}, {}))
    return found - {""}  # _agree's "" with None: contexts unknown, no reason shown


def test_every_reason_the_stemmer_can_give_has_an_arabic_wording():
    reasons = _reason_templates()
    assert {"{} is not attested", "{} seen {}×, {} + {} explains {}", "{}; but {} seen {}×: a clitic comes before the article, so {} is the word's"} <= reasons
    worded = {re.sub(r"\{\w+\}", "{}", w.english) for w in REASON_WORDINGS}
    missing = [
        reason for reason in sorted(reasons)
        if reason not in worded and not all(piece in worded or piece == "{}" for piece in reason.split("; "))
    ]
    assert not missing, f"add these to indexer/server/arabic.py REASON_WORDINGS: {missing}"
    kinds = {re.search(r"\((\w+):", w.english).group(1) for w in STEP_WORDINGS}
    assert kinds == set(re.findall(r'Step\([^,]+, "(\w+)"', STEMMING.read_text("utf-8")))


def test_the_panel_lists_each_word_as_the_library_explains_it(server, server_index):
    page = server.client.get("/", params={"q": "والمحطة الركاب قط*"}).text
    shown = panel(page)
    assert shown is not None and "<details class=\"explain\" open" not in page  # collapsed until asked for
    with Corpus(server_index) as corpus:
        explained = corpus.explanation("والمحطة الركاب قط*")
    words = re.findall(r'<li class="word" data-word="([^"]+)">(.*?)</li>\s*(?=<li class="(?:word|pattern)"|</ul>\s*$)', shown, re.S)
    assert [w for w, _ in words] == [w.text for w in explained.words] == ["والمحطة", "الركاب"]
    for (_, body), word in zip(words, explained.words):
        assert re.search(r'class="stem">([^<]+)<', body).group(1) == word.stem
        assert int(re.search(r'class="articles">([\d,]+)<', body).group(1).replace(",", "")) == word.articles
        forms = [(f, int(n.replace(",", ""))) for f, n in re.findall(r'data-form="([^"]+)">.*?class="count">([\d,]+)<', body)]
        assert forms == list(word.forms)
    assert text_of(words[0][1]).count("حُذف") == 2  # و then ال, each said
    pattern = explained.patterns[0]
    shown_pattern = re.search(r'<li class="pattern" data-pattern="قط\*">(.*?)</li>\s*</ul>', shown, re.S).group(1)
    assert [(f, int(n)) for f, n in re.findall(r'data-form="([^"]+)">.*?class="count">(\d+)<', shown_pattern)] == list(pattern.forms)
    assert not english_outside_quotes(text_of(shown))


def test_each_form_links_to_an_exact_search_for_it_keeping_the_filters(server):
    page = server.client.get("/", params={"q": "القطار", "source": "rail", "mode": "any"}).text
    links = [html.unescape(h) for h in re.findall(r'<a href="([^"]+)" data-form="القطار">', panel(page))]
    assert len(links) == 1
    assert parse_qs(links[0][1:]) == {"q": ["=القطار"], "mode": ["any"], "sort": ["relevance"], "source": ["rail"]}


@pytest.mark.parametrize("request_", ["/?source=rail", "/?since=2031-01-01", "/", '/?q="وزير', "/?q=source:rail", "/?q=date:2031"])
def test_no_panel_without_words_to_explain(server, request_):
    """A listing by filters, the empty page, a failed query, a query of fields and dates alone."""
    assert panel(server.client.get(request_).text) is None


@pytest.mark.parametrize("view", ["trend", "kwic"])
def test_the_trend_and_concordance_tabs_leave_the_panel_to_the_results_tab(server, view):
    """The panel costs about as much as the page's search: only the results tab computes it."""
    assert panel(server.client.get("/", params={"q": "القطار", "view": view}).text) is None
    assert panel(server.client.get("/", params={"q": "القطار"}).text) is not None
