"""The search page's source facet on a live server: a source link adds its source to the
filter (any of them), a chosen source shows as chosen and its link removes it, with
JavaScript and without (links only), and a screen reader hears which are chosen."""

from __future__ import annotations

import html
import re
from urllib.parse import parse_qs, urlsplit

from tests.server.browser import screenshot
from tests.server.test_browser import by_css, wait_until
from tests.server.test_browser_a11y import accessible
from tests.server.test_browser_views import browser  # noqa: F401  (a fixture: with JavaScript on and off)

TRAIN = "القطار"


def facet(page: str) -> dict[str, tuple[int, bool, list[str]]]:
    """Each listed source: its count, whether it is marked chosen, the sources its link filters by."""
    listed = {}
    for attributes, count in re.findall(r'<li[^>]*><a ([^>]*data-source="[^"]*"[^>]*)>.*?</a> <span class="count">(\d+)</span>', page):
        href = html.unescape(re.search(r'href="([^"]*)"', attributes).group(1))
        name = html.unescape(re.search(r'data-source="([^"]*)"', attributes).group(1))
        listed[name] = (int(count), "aria-current" in attributes, parse_qs(urlsplit(href).query).get("source", []))
    return listed


def test_a_source_link_adds_its_source_and_a_chosen_one_removes_itself(server):
    everything = facet(server.client.get("/", params={"q": TRAIN}).text)
    assert {name: everything[name][0] for name in ("rail", "sabq", "okaz")} == {"rail": 8, "sabq": 8, "okaz": 8}

    one = facet(server.client.get("/", params={"q": TRAIN, "source": "okaz"}).text)
    # every source stays listed with the count it would add, and okaz is marked
    assert {name: count for name, (count, _, _) in one.items()} == {name: count for name, (count, _, _) in everything.items()}
    assert one["okaz"] == (8, True, [])  # chosen: its link drops it
    assert one["rail"] == (8, False, ["okaz", "rail"])  # not chosen: its link adds it
    assert [name for name, (_, chosen, _) in one.items() if chosen] == ["okaz"]

    two = server.client.get("/api/search", params={"q": TRAIN, "source": ["okaz", "rail"], "limit": 50}).json()
    assert two["total"] == 16 and {hit["source"] for hit in two["hits"]} == {"okaz", "rail"}
    both = facet(server.client.get("/", params={"q": TRAIN, "source": ["okaz", "rail"]}).text)
    assert both["okaz"] == (8, True, ["rail"]) and both["rail"] == (8, True, ["okaz"]) and both["sabq"] == (8, False, ["okaz", "rail", "sabq"])


def test_a_chosen_source_no_article_matches_is_still_shown_to_remove(server):
    page = server.client.get("/", params={"q": TRAIN, "source": ["okaz", "nowhere"]}).text
    listed = facet(page)
    assert listed["nowhere"] == (0, True, ["okaz"]) and listed["okaz"] == (8, True, ["nowhere"])
    alone = facet(server.client.get("/", params={"q": TRAIN, "source": "nowhere"}).text)  # no results, yet the way back is there
    assert alone["nowhere"] == (0, True, []) and alone["rail"] == (8, False, ["nowhere", "rail"])


def test_sources_are_added_and_removed_by_clicking_with_or_without_javascript(browser, server):  # noqa: F811
    browser.get(f"{server.url}/?q={TRAIN}&source=okaz")
    source_link = lambda name: next(a for a in by_css(browser, ".sources a[data-source]") if a.get_attribute("data-source") == name)  # noqa: E731
    chosen = accessible(browser, source_link("okaz"))["name"]
    assert chosen.startswith("okaz") and chosen.endswith("، مختار: اضغط لإزالته"), chosen  # ✓ and × are not read out
    assert accessible(browser, source_link("rail"))["name"] == "rail"
    source_link("rail").click()
    wait_until(browser, lambda: "source=rail" in browser.current_url)
    assert by_css(browser, ".summary .total")[0].text == "16"
    assert {a.get_attribute("data-source") for a in by_css(browser, ".sources a[aria-current]")} == {"okaz", "rail"}
    assert {i.get_attribute("value") for i in by_css(browser, "input[name=source]")} >= {"okaz", "rail"}  # the form keeps both
    screenshot(browser, f"source-facet-{'js' if browser.javascript else 'no-js'}")
    source_link("okaz").click()
    wait_until(browser, lambda: "source=okaz" not in browser.current_url)
    assert by_css(browser, ".summary .total")[0].text == "8"
    assert [a.get_attribute("data-source") for a in by_css(browser, ".sources a[aria-current]")] == ["rail"]
