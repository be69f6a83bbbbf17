"""The concordance tab's order of lines, as ``corpus kwic --sort`` and ``/api/kwic?sort=``
have it (date, the words before the match, the words after it, source): chosen in a form
that works without JavaScript and by keyboard, read out with its label, kept by paging,
and every line the same as ``/api/kwic`` gives for the same parameters."""

from __future__ import annotations

import html
import re

import pytest

from indexer.server.tabs import KWIC_PAGE, KWIC_WIDTH
from tests.server.browser import screenshot
from tests.server.test_browser import by_css, wait_until
from tests.server.test_browser_a11y import accessible
from tests.server.test_browser_views import browser  # noqa: F401  (a fixture: with JavaScript on and off)

TRAIN = "القطار"  # 72 occurrences in 24 articles: two pages of lines
_LINE = re.compile(
    r'<tr class="line" data-id="([^"]*)">\s*<td class="before"><span dir="rtl">(.*?)</span></td>\s*'
    r'<td class="match"><a [^>]*><mark>(.*?)</mark></a></td>\s*<td class="after">(.*?)</td>', re.S,
)


def page_lines(page: str) -> list[tuple[str, str, str, str]]:
    return [tuple(html.unescape(part) for part in found) for found in _LINE.findall(page)]  # type: ignore[misc]


def api_lines(server, sort: str, **params: object) -> list[tuple[str, str, str, str]]:  # type: ignore[no-untyped-def]
    answer = server.client.get("/api/kwic", params={"q": TRAIN, "width": KWIC_WIDTH, "limit": KWIC_PAGE, "sort": sort, **params}).json()
    return [(line["id"], line["left"], line["match"], line["right"]) for line in answer["lines"]]


@pytest.mark.parametrize("sort", ["date", "left", "right", "source"])
@pytest.mark.parametrize("filters", [{}, {"source": ["okaz", "rail"], "since": "2031-03-01"}], ids=["all", "filtered"])
def test_each_order_lists_the_lines_of_api_kwic_page_by_page(server, sort, filters):
    first = server.client.get("/", params={"q": TRAIN, "view": "kwic", "kwic_sort": sort, **filters}).text
    assert page_lines(first) == api_lines(server, sort, **filters) != []
    assert re.search(rf'<option value="{sort}" selected>', first)
    csv_link = html.unescape(re.search(r'<a class="csv" href="([^"]*)"', first).group(1))
    assert f"sort={sort}" in csv_link
    following = re.search(r'<a rel="next" class="next" href="([^"]*)"', first)
    if following:  # the next page keeps the order
        second = server.client.get("/" + html.unescape(following.group(1))).text
        assert page_lines(second) == api_lines(server, sort, offset=KWIC_PAGE, **filters) != []


def test_the_orders_differ(server):
    """Each order puts the lines otherwise (else the tests above could not tell them apart)."""
    orders = [tuple(api_lines(server, sort)) for sort in ("date", "left", "right", "source")]
    assert len(set(orders)) == 4
    following = [after.split()[0] for _, _, _, after in api_lines(server, "right", limit=1000)]
    runs = [word for n, word in enumerate(following) if not n or word != following[n - 1]]
    assert len(runs) == len(set(runs)) > 1  # each word after the match in one run of lines


def test_the_order_is_chosen_by_keyboard_with_or_without_javascript(browser, server):  # noqa: F811
    from selenium.webdriver.common.keys import Keys

    browser.get(f"{server.url}/?q={TRAIN}&view=kwic&source=okaz")
    menu = wait_until(browser, lambda: by_css(browser, "section.concordance select[name=kwic_sort]"))[0]
    heard = accessible(browser, menu)
    assert heard["role"] == "combobox" and heard["name"].startswith("ترتيب الأسطر"), heard
    menu.send_keys(Keys.ARROW_DOWN, Keys.ARROW_DOWN)  # date -> left -> right
    assert menu.get_attribute("value") == "right"
    assert "kwic_sort" not in browser.current_url  # choosing alone does not change the page
    menu.send_keys(Keys.TAB)
    button = browser.switch_to.active_element
    assert button.tag_name == "button" and button.text == "رتّب"
    button.send_keys(Keys.ENTER)
    wait_until(browser, lambda: "kwic_sort=right" in browser.current_url)
    assert "source=okaz" in browser.current_url and "view=kwic" in browser.current_url
    shown = [(row.get_attribute("data-id"), row.find_element("css selector", "td.match").text) for row in by_css(browser, "table.kwic tr.line")]
    assert shown == [(ident, match) for ident, _, match, _ in api_lines(server, "right", source="okaz")]
    assert by_css(browser, "section.concordance select[name=kwic_sort]")[0].get_attribute("value") == "right"
    screenshot(browser, f"kwic-sort-{'js' if browser.javascript else 'no-js'}")
