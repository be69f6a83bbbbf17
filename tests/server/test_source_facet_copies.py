"""The source facet with ``dedupe`` on (one copy per identical body), on a live server over
articles a wire story was copied into: every count is the total the page shows after its
link is clicked, whether the page lists a query's articles or browses by source or by dates
alone; clicked in Chromium with JavaScript and without."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from indexer import Corpus
from tests.server.browser import screenshot
from tests.server.live import LiveServer
from tests.server.test_browser import by_css, wait_until
from tests.server.test_browser_views import browser  # noqa: F401  (a fixture: with JavaScript on and off)
from tests.server.test_source_facet import facet

WIRE = "أعلنت وزارة الطاقة اليوم ارتفاع إنتاج النفط في الربع الأول، وقالت إن الصادرات بلغت مستوى قياسيًا."


def copied_articles() -> list[dict]:
    """A wire story about oil printed by three papers (wire first, then each a day later,
    one twice), and each paper's own articles about oil."""
    story = [("wire", "2032-02-01", "wire-1"), ("daily", "2032-02-02", "daily-1"), ("daily", "2032-02-05", "daily-2"),
             ("weekly", "2032-02-03", "weekly-1")]
    articles = [
        {"id": ident, "title": "ارتفاع إنتاج النفط", "body": WIRE, "date": day, "source": source, "url": f"https://example.com/{ident}"}
        for source, day, ident in story
    ]
    for n, source in enumerate(("daily", "daily", "weekly", "wire")):
        articles.append({
            "id": f"own-{n}", "title": f"تقرير خاص عن النفط رقم {n}",
            "body": f"كتب مراسلنا تقريرًا عن أسعار النفط في السوق المحلية، وذكر أن الطلب ارتفع بنسبة {n + 3} في المئة.",
            "date": f"2032-03-{n + 1:02d}", "source": source, "url": f"https://example.com/own-{n}",
        })
    return articles


@pytest.fixture(scope="module")
def copies_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiveServer]:
    path: Path = tmp_path_factory.mktemp("copies") / "index"
    with Corpus(path) as corpus:
        assert corpus.add(copied_articles()).added == 8
    live = LiveServer(path)
    yield live
    live.stop()


PAGES = [
    pytest.param({"q": "النفط", "dedupe": "1"}, id="query"),
    pytest.param({"since": "2032-01-01", "until": "2032-12-31", "dedupe": "1"}, id="dates-alone"),
    pytest.param({"q": "النفط", "since": "2032-01-01", "dedupe": "1"}, id="query-and-dates"),
]


@pytest.mark.parametrize("params", PAGES)
def test_each_source_count_is_the_total_its_link_shows(copies_server, params):
    listed = facet(copies_server.client.get("/", params=params).text)
    # each paper alone: wire 2 (story, own), daily 3 (one copy of the story, two own), weekly 2
    assert {name: count for name, (count, _, _) in listed.items()} == {"daily": 3, "weekly": 2, "wire": 2}
    for name, (count, chosen, sources) in listed.items():
        assert not chosen and sources == [name]
        clicked = copies_server.client.get("/", params={**params, "source": sources}).text
        assert f'<span class="total">{count}</span>' in clicked, name


def test_browsing_by_a_source_alone_counts_what_the_page_lists(copies_server):
    """No words, no dates: a source alone; its count was the whole index's (copies kept)."""
    page = copies_server.client.get("/", params={"source": "daily", "dedupe": "1"}).text
    assert '<span class="total">3</span>' in page
    listed = facet(page)
    assert listed["daily"] == (3, True, []) and listed["weekly"][0] == 2 and listed["wire"][0] == 2
    both = copies_server.client.get("/", params={"source": ["daily", "weekly"], "dedupe": "1"}).text
    assert '<span class="total">4</span>' in both  # the story once over the two: 3 + 2 - 1
    kept = copies_server.client.get("/", params={"source": "daily"}).text  # copies kept: every article
    assert facet(kept)["daily"][0] == 4 and '<span class="total">4</span>' in kept


def test_clicking_a_source_in_chromium_shows_its_count(browser, copies_server):  # noqa: F811
    browser.get(f"{copies_server.url}/?q=النفط&dedupe=1")
    wait_until(browser, lambda: by_css(browser, ".sources a[data-source]"))
    shown = {a.get_attribute("data-source"): int(a.find_element("xpath", "..").find_element("css selector", ".count").text)
             for a in by_css(browser, ".sources a[data-source]")}
    assert shown == {"daily": 3, "weekly": 2, "wire": 2}
    for name, count in shown.items():
        browser.get(f"{copies_server.url}/?q=النفط&dedupe=1")
        wait_until(browser, lambda: by_css(browser, ".sources a[data-source]"))
        next(a for a in by_css(browser, ".sources a[data-source]") if a.get_attribute("data-source") == name).click()
        wait_until(browser, lambda: f"source={name}" in browser.current_url and by_css(browser, ".summary .total"))
        assert by_css(browser, ".summary .total")[0].text == str(count), name
    screenshot(browser, f"source-facet-dedupe-{'js' if browser.javascript else 'no-js'}")
