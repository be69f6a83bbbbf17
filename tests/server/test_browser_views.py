"""The trend and concordance tabs of the search page in a real headless Chromium: open
them for a query as a person would, read the counts shown, and check them against what
``/api/trend`` and ``/api/kwic`` answer for the same query; with JavaScript on and off."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator

import httpx
import pytest

from tests.server.browser import screenshot, start_chromium
from tests.server.test_browser import by_css, search, wait_until

pytestmark = pytest.mark.filterwarnings("ignore::DeprecationWarning")


@pytest.fixture(scope="module", params=[True, False], ids=["javascript", "no-javascript"])
def browser(request) -> Iterator:  # type: ignore[no-untyped-def]
    session = start_chromium(javascript=request.param)
    session.javascript = request.param
    yield session
    session.quit()


def number(session, selector: str) -> int:  # type: ignore[no-untyped-def]
    return int(by_css(session, selector)[0].text.replace(",", ""))


def open_tab(session, view: str) -> None:  # type: ignore[no-untyped-def]
    by_css(session, f"nav.tabs a[data-view={view}]")[0].click()
    wait_until(session, lambda: f"view={view}" in session.current_url and by_css(session, f"nav.tabs a[data-view={view}][aria-current]"))


def test_concordance_tab_shows_every_occurrence_aligned(browser, server):
    search(browser, server.url, "القطار")
    open_tab(browser, "kwic")
    api = server.client.get("/api/kwic", params={"q": "القطار", "mode": "all", "limit": 50}).json()
    assert (number(browser, ".kwic-summary .occurrences"), number(browser, ".kwic-summary .articles")) == (api["total"], api["articles"])
    lines = by_css(browser, "table.kwic tr.line")
    assert len(lines) == len(api["lines"]) == min(api["total"], 50)
    assert [line.get_attribute("data-id") for line in lines] == [line["id"] for line in api["lines"]]
    matches = by_css(browser, "table.kwic td.match")
    assert {m.text for m in matches} == {"القطار"}
    # one match column: every match centred on the same x, its preceding context to its right (RTL)
    centres = {round(m.location["x"] + m.size["width"] / 2) for m in matches}
    assert max(centres) - min(centres) <= 1, centres
    before, match, after = (lines[0].find_element("css selector", f"td.{c}") for c in ("before", "match", "after"))
    assert before.location["x"] > match.location["x"] > after.location["x"]
    for line in lines:  # the preceding words end at the match, however short or long they are
        cell = line.find_element("css selector", "td.before")
        words = cell.find_element("css selector", "span")
        if words.text:
            assert abs(words.location["x"] - cell.location["x"]) <= 6, (words.text, words.location, cell.location)
    assert api["lines"][0]["right"].strip().startswith(after.text.strip()[:10])
    screenshot(browser, f"kwic-tab-{'js' if browser.javascript else 'no-js'}")

    # the download is the API's CSV for the same query, all lines (up to the cap)
    href = by_css(browser, ".kwic-summary a.csv")[0].get_attribute("href")
    assert href.startswith(server.url + "/api/kwic?")
    rows = list(csv.DictReader(io.StringIO(httpx.get(href).content.decode("utf-8-sig"))))
    assert len(rows) == api["total"] and {row["match"] for row in rows} == {"القطار"}

    # the search box keeps the tab: a new query opens on the concordance
    search_again = by_css(browser, "input[name=q]")[0]
    search_again.clear()
    from selenium.webdriver.common.keys import Keys

    search_again.send_keys("المحطة", Keys.ENTER)
    wait_until(browser, lambda: "%D8%A7%D9%84%D9%85%D8%AD%D8%B7%D8%A9" in browser.current_url and by_css(browser, ".kwic-summary"))
    again = server.client.get("/api/kwic", params={"q": "المحطة", "limit": 50}).json()
    assert [m.text for m in by_css(browser, "table.kwic td.match")] == [line["match"] for line in again["lines"]]
    assert {"المحطة", "محطة"} <= {line["match"] for line in again["lines"]}  # stemmed: both forms


def test_trend_tab_draws_the_counts_of_the_api(browser, server):
    search(browser, server.url, "القطار")
    by_css(browser, ".sources a[data-source=okaz]")[0].click()
    wait_until(browser, lambda: "source=okaz" in browser.current_url)
    open_tab(browser, "trend")
    api = server.client.get("/api/trend", params={"q": "القطار", "source": "okaz"}).json()
    (series,) = api["series"]
    shown = (number(browser, ".trend-summary .articles"), number(browser, ".trend-summary .occurrences"))
    assert shown == (sum(p["articles"] for p in series["points"]) + series["undated"]["articles"], sum(p["occurrences"] for p in series["points"]) + series["undated"]["occurrences"])
    assert shown == (8, 24)  # okaz has 8 train articles, القطار three times in each
    nonzero = {p["period"]: (p["articles"], p["occurrences"]) for p in series["points"] if p["articles"]}
    bars = by_css(browser, "svg.trend-chart a.bar")
    assert sorted(bar.get_attribute("data-period") for bar in bars) == sorted(nonzero)
    rows = {
        row.get_attribute("data-period"): (int(row.find_element("css selector", ".n-articles").text), int(row.find_element("css selector", ".n-occurrences").text))
        for row in by_css(browser, "table.periods tbody tr")
    }
    assert rows == nonzero
    # the oldest period at the right, as an Arabic reader starts
    xs = [float(by_css(browser, f"svg.trend-chart a.bar[data-period='{period}'] rect")[0].get_attribute("x")) for period in sorted(nonzero)]
    assert xs == sorted(xs, reverse=True)
    screenshot(browser, f"trend-tab-{'js' if browser.javascript else 'no-js'}")

    href = by_css(browser, ".trend-summary a.csv")[0].get_attribute("href")
    assert "source=okaz" in href and "format=csv" in href
    assert httpx.get(href).text == server.client.get("/api/trend", params={"q": "القطار", "source": "okaz", "by": "month", "format": "csv"}).text

    # a bar narrows the results to its month
    period = bars[0].get_attribute("data-period")
    by_css(browser, f"svg.trend-chart a.bar[data-period='{period}'] rect")[0].click()
    wait_until(browser, lambda: "since=" in browser.current_url and by_css(browser, "li.hit"))
    assert all(t.get_attribute("datetime").startswith(period) for t in by_css(browser, "li.hit time"))
    assert number(browser, ".summary .total") == nonzero[period][0]
