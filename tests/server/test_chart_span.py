"""The results page's chart of articles per month spans the dates the filter names, as a
trend does: from ``since``'s month to ``until``'s, the months between without a match left
empty, each bar where its month is; read from the page of a live server and in Chromium
with JavaScript and without, against what ``/api/trend`` lists for the same dates."""

from __future__ import annotations

import re

import pytest

from indexer.server.render import CHART_WIDTH
from tests.server.browser import screenshot
from tests.server.test_browser import by_css, wait_until
from tests.server.test_browser_views import browser  # noqa: F401  (a fixture: with JavaScript on and off)

TRAIN = "القطار"  # one article a month in each of three sources, all in 2031
SPAN = {"since": "2030-06-01", "until": "2032-03-31"}


def chart(page: str) -> tuple[tuple[str, str], dict[int, tuple[str, int]], int]:
    """The chart's edge labels (right, left), each drawn bar by its place from the right
    (0: the oldest) as (period, count), and how many places there are."""
    svg = re.search(r'<svg class="chart".*?</svg>', page, re.S).group(0)
    edges = tuple(re.findall(r'<text x="[^"]*" y="[^"]*" text-anchor="(?:end|start)" direction="ltr">([^<]*)</text>', svg))
    bars, places = {}, 0
    for period, label, x, width in re.findall(
        r'<a [^>]*data-period="([^"]*)" aria-label="([^"]*)">.*?<rect x="([\d.]+)" y="[\d.]+" width="([\d.]+)"', svg, re.S
    ):
        step = float(width) / 0.8
        places = round(CHART_WIDTH / step)
        bars[round((CHART_WIDTH - float(x)) / step - 0.9)] = (period, int(re.search(r": (\d+)", label).group(1)))
    return edges, bars, places


def test_the_chart_spans_since_to_until_like_the_trend(server):
    edges, bars, places = chart(server.client.get("/", params={"q": TRAIN, **SPAN}).text)
    assert edges == ("2030-06", "2032-03")  # not 2031-01 .. 2031-12, the months with a match
    trend = server.client.get("/api/trend", params={"q": TRAIN, "by": "month", **SPAN}).json()["series"][0]["points"]
    assert places == len(trend) == 22
    assert bars == {i: (p["period"], p["articles"]) for i, p in enumerate(trend) if p["articles"]}
    assert bars[7] == ("2031-01", 2)  # seven empty months at the right, 2030-06 .. 2030-12


def test_an_end_not_given_is_the_last_match(server):
    edges, bars, places = chart(server.client.get("/", params={"q": TRAIN, "since": "2030-11-15"}).text)
    assert edges == ("2030-11", "2031-12") and places == 14 and bars[2] == ("2031-01", 2)


def test_dates_too_far_apart_for_bars_show_the_matching_years(server):
    edges, bars, places = chart(server.client.get("/", params={"q": TRAIN, "since": "1900-01-01"}).text)
    assert edges == ("2031", "2031") and bars == {0: ("2031", 24)}
    edges, bars, places = chart(server.client.get("/", params={"q": TRAIN, "since": "2020-01-01"}).text)
    assert edges == ("2020", "2031") and places == 12 and bars == {11: ("2031", 24)}


@pytest.mark.filterwarnings("ignore::DeprecationWarning")
def test_the_chart_in_chromium_leaves_the_empty_months_empty(browser, server):  # noqa: F811
    browser.get(f"{server.url}/?q={TRAIN}&since={SPAN['since']}&until={SPAN['until']}")
    svg = wait_until(browser, lambda: by_css(browser, "aside svg.chart"))[0]
    assert [t.text for t in svg.find_elements("css selector", "text")] == ["2030-06", "2032-03"]
    drawn = svg.find_elements("css selector", "a.bar rect:not(.target)")
    assert len(drawn) == 12
    chart_box, first_bar, last_bar = (e.rect for e in (svg, drawn[0], drawn[-1]))
    # 2031-01 is the 8th of 22 months from the right, 2031-12 the 19th: three empty months at the left
    scale = chart_box["width"] / CHART_WIDTH
    assert abs(chart_box["x"] + chart_box["width"] - first_bar["x"] - 7.9 * CHART_WIDTH / 22 * scale) < 2
    assert abs(last_bar["x"] - chart_box["x"] - 3.1 * CHART_WIDTH / 22 * scale) < 2
    screenshot(browser, f"chart-span-{'js' if browser.javascript else 'no-js'}")


def test_the_trend_tab_over_dates_centuries_apart_shows_the_matching_years(server):
    """since=0001: two thousand years of bars, once a server error (year 1 written "1",
    not "0001", read back as a month); both charts now show the matching years only."""
    for since in ("0001-01-01", "1900-01-01"):
        page = server.client.get("/", params={"q": TRAIN, "view": "trend", "since": since})
        assert page.status_code == 200, since
        tab, side = re.search(r'<section class="trend".*?</section>', page.text, re.S).group(0), chart(page.text)
        assert re.findall(r'<a [^>]*class="bar" data-period="([^"]*)"', tab) == ["2031"] and side[1] == {0: ("2031", 24)}
    years = server.client.get("/api/trend", params={"q": TRAIN, "by": "year", "since": "0001-01-01"}).json()["series"][0]["points"]
    assert [p["period"] for p in years[:2]] == ["0001", "0002"] and years[-1]["period"] == "2031"
