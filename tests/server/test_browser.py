"""The search page in a real headless Chromium, used as a person would: type a query,
submit, read the results, follow a facet and a bar of the chart, page forward, open an
article and come back, step through the menus with the keyboard; with hostile articles,
with JavaScript turned off, and on a phone-sized screen."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from tests.server.browser import screenshot, start_chromium
from tests.server.live import wait_for

pytestmark = pytest.mark.filterwarnings("ignore::DeprecationWarning")


@pytest.fixture(scope="module")
def phone() -> Iterator:
    """A browser the size of a phone's screen (390 x 844 CSS pixels)."""
    session = start_chromium()
    session.execute_cdp_cmd("Emulation.setDeviceMetricsOverride", {"width": 390, "height": 844, "deviceScaleFactor": 1, "mobile": True})
    yield session
    session.quit()


@pytest.fixture(scope="module")
def browser_without_js() -> Iterator:
    session = start_chromium(javascript=False)
    yield session
    session.quit()


def by_css(session, selector: str):  # type: ignore[no-untyped-def]
    from selenium.webdriver.common.by import By

    return session.find_elements(By.CSS_SELECTOR, selector)


def search(session, base: str, query: str) -> None:  # type: ignore[no-untyped-def]
    from selenium.webdriver.common.keys import Keys

    session.get(base + "/")
    box = by_css(session, "input[name=q]")[0]
    box.clear()
    box.send_keys(query, Keys.ENTER)
    wait_until(session, lambda: by_css(session, ".summary, .query-error, .error"))


def wait_until(session, condition, seconds: float = 10):  # type: ignore[no-untyped-def]
    from selenium.webdriver.support.ui import WebDriverWait

    return WebDriverWait(session, seconds).until(lambda _: condition())


def hits(session) -> list[dict]:  # type: ignore[no-untyped-def]
    return [
        {
            "title": hit.find_element("css selector", "h2").text,
            "source": hit.find_element("css selector", ".source").text,
            "date": (hit.find_elements("css selector", "time") or [None])[0],
            "marks": [m.text for m in hit.find_elements("css selector", "mark")],
        }
        for hit in by_css(session, "li.hit")
    ]


def total(session) -> int:  # type: ignore[no-untyped-def]
    return int(by_css(session, ".summary .total")[0].text.replace(",", ""))


def test_search_follow_facets_page_and_open_an_article(browser, server):
    search(browser, server.url, "القطار")
    html = by_css(browser, "html")[0]
    assert (html.get_attribute("dir"), html.get_attribute("lang")) == ("rtl", "ar")
    assert by_css(browser, "input[name=q]")[0].get_attribute("value") == "القطار"  # the box keeps the query
    found = hits(browser)
    assert total(browser) >= 24 and len(found) == 10
    assert all("القطار" in hit["title"] for hit in found)
    marks = [m for hit in found for m in hit["marks"]]
    assert marks and set(marks) == {"القطار"}  # whole words as written
    assert by_css(browser, "html.js"), "app.js did not run: bundled assets must load"
    screenshot(browser, "search-results")

    # a source facet: every hit from it, as many as the facet said
    link = next(a for a in by_css(browser, ".sources a[data-source]") if a.get_attribute("data-source") == "okaz")
    count = int(link.find_element("xpath", "following-sibling::span").text)
    link.click()
    wait_until(browser, lambda: "source=okaz" in browser.current_url)
    assert total(browser) == count == 8
    assert {hit["source"] for hit in hits(browser)} == {"okaz"}
    assert by_css(browser, "input[name=source]")[0].get_attribute("value") == "okaz"

    # a bar of the chart: that month only
    bar = by_css(browser, ".chart a.bar")[0]
    period = bar.get_attribute("data-period")
    browser.execute_script("arguments[0].dispatchEvent(new MouseEvent('click', {bubbles: true}))", bar)
    wait_until(browser, lambda: "since=" in browser.current_url)
    assert all(h["date"].get_attribute("datetime").startswith(period) for h in hits(browser))
    assert by_css(browser, "input[name=since]")[0].get_attribute("value").startswith(period)

    # paging
    search(browser, server.url, "القطار")
    first_page = [hit["title"] for hit in hits(browser)]
    by_css(browser, "a.next")[0].click()
    wait_until(browser, lambda: "offset=10" in browser.current_url)
    second_page = [hit["title"] for hit in hits(browser)]
    assert second_page and not set(second_page) & set(first_page)
    assert by_css(browser, "ol.hits")[0].get_attribute("start") == "11"

    # the article page, with every highlight
    by_css(browser, "li.hit h2 a")[0].click()
    wait_until(browser, lambda: by_css(browser, "article.article"))
    body = by_css(browser, "article .body")[0]
    body_marks = [m.text for m in body.find_elements("css selector", "mark")]
    assert body_marks and set(body_marks) == {"القطار"} and len(body_marks) == body.text.count("القطار")
    screenshot(browser, "article")


def test_hostile_articles_render_as_text_and_run_nothing(browser, server):
    search(browser, server.url, "الوزارة")
    titles = [hit["title"] for hit in hits(browser)]
    assert any("<script>alert(1)</script>" in t for t in titles)
    assert any("<img src=x" in t for t in titles)
    assert browser.title != "pwned" and not by_css(browser, ".hits img, .hits script")
    from selenium.common.exceptions import NoAlertPresentException

    with pytest.raises(NoAlertPresentException):
        browser.switch_to.alert.text  # noqa: B018
    screenshot(browser, "hostile-results")
    browser.get(server.url + "/articles/evil-script")
    assert "<script>document.title='pwned'</script>" in by_css(browser, "article .body")[0].text
    assert browser.title != "pwned" and not by_css(browser, "a.original")  # javascript: is not a link
    assert by_css(browser, ".source")[0].text == "<b>evil</b>"


def test_a_query_error_is_shown_in_place_with_its_position(browser, server):
    search(browser, server.url, 'وزير "الخارجية')
    error = by_css(browser, ".query-error")[0]
    assert "علامة التنصيص لم تُغلق" in error.text and "عند الحرف 6" in error.text
    assert by_css(browser, ".query-error mark.error-at")[0].text == '"'
    assert by_css(browser, "input[name=q]")[0].get_attribute("value") == 'وزير "الخارجية'


def test_the_page_loads_nothing_from_elsewhere(browser, server):
    search(browser, server.url, "القطار")
    resources = browser.execute_script("return performance.getEntriesByType('resource').map(e => e.name)")
    assert resources and all(url.startswith(server.url) for url in resources)


def test_the_page_works_without_javascript(browser_without_js, server):
    browser = browser_without_js
    search(browser, server.url, "القطار")
    assert not by_css(browser, "html.js")
    assert total(browser) >= 24 and len(hits(browser)) == 10
    by_css(browser, "a.next")[0].click()
    wait_until(browser, lambda: "offset=10" in browser.current_url)
    assert by_css(browser, "ol.hits")[0].get_attribute("start") == "11"
    by_css(browser, "li.hit h2 a")[0].click()
    wait_until(browser, lambda: by_css(browser, "article .body mark"))
    screenshot(browser, "article-no-javascript")


def test_a_search_with_no_results_says_so(browser, server):
    search(browser, server.url, "زمردة")  # in no article
    assert total(browser) == 0 and not hits(browser)
    assert "لا توجد نتائج" in by_css(browser, ".none")[0].text
    # paged past the last hit: the page says where it is and links back
    browser.get(server.url + "/?q=%D8%A7%D9%84%D9%82%D8%B7%D8%A7%D8%B1&offset=9990")
    assert total(browser) >= 24 and not hits(browser)
    assert by_css(browser, "a.prev")


def test_a_misspelled_search_offers_the_close_spelling(browser, server):
    search(browser, server.url, "القطاز")  # a typo: ز for ر
    suggestion = by_css(browser, ".suggestion a")[0]
    assert suggestion.text == "القطار"
    suggestion.click()
    wait_until(browser, lambda: by_css(browser, "input[name=q]")[0].get_attribute("value") == "القطار")
    assert total(browser) >= 24 and not by_css(browser, ".suggestion")


def test_the_console_stays_clean_the_icon_included(server):
    session = start_chromium()  # a fresh profile: nothing cached, the icon asked for
    try:
        seen = len(server.log)
        session.get(server.url + "/?q=%D8%A7%D9%84%D9%82%D8%B7%D8%A7%D8%B1")
        assert wait_for(lambda: any("favicon" in line for line in server.log[seen:]))
        icon = [line for line in server.log[seen:] if "favicon" in line]
        assert all(" 200" in line for line in icon), icon
        assert [entry for entry in session.get_log("browser") if entry["level"] == "SEVERE"] == []
    finally:
        session.quit()


#: Elements whose box crosses the viewport's sides, outside any box that clips or scrolls
#: them: on a right-to-left page, what sticks out at the right cannot even be scrolled to.
OVERFLOWING = """
const width = document.documentElement.clientWidth, out = [];
const contained = (el) => { for (let p = el.parentElement; p && p !== document.body; p = p.parentElement)
  if (getComputedStyle(p).overflowX !== 'visible') return true; return false; };
for (const el of document.querySelectorAll('body *')) {
  const box = el.getBoundingClientRect();
  if (box.width && (box.right > width + 1 || box.left < -1) && !contained(el)) out.push(el.tagName + ' ' + el.className);
}
return out;"""


@pytest.mark.parametrize("path", [
    "/?q=%D8%A7%D9%84%D9%82%D8%B7%D8%A7%D8%B1", "/?q=%D8%A7%D9%84%D9%82%D8%B7%D8%A7%D8%B1&view=kwic",
    "/?q=%D8%A7%D9%84%D9%82%D8%B7%D8%A7%D8%B1&view=trend", "/?q=%D8%A7%D9%84%D9%82%D8%B7%D8%A7%D8%B1&view=collocates",
    "/?q=%D8%A7%D9%84%D9%82%D8%B7%D8%A7%D8%B1&view=keyness", "/articles/train-03?q=%D8%A7%D9%84%D9%82%D8%B7%D8%A7%D8%B1", "/docs",
])
def test_nothing_overflows_a_phone_screen(phone, server, path):
    phone.get(server.url + path)
    assert phone.execute_script(OVERFLOWING) == []


def test_a_source_alone_lists_its_articles_newest_first(browser, server):
    from selenium.webdriver.common.keys import Keys

    browser.get(server.url + "/")
    by_css(browser, "input[name=source]")[0].send_keys("okaz", Keys.ENTER)  # no words in the box
    wait_until(browser, lambda: "source=okaz" in browser.current_url and by_css(browser, ".summary"))
    expected = server.client.get("/api/search", params={"q": "", "source": "okaz", "limit": 10}).json()
    assert total(browser) == expected["total"] >= 8
    assert {hit["source"] for hit in hits(browser)} == {"okaz"}
    dates = [hit["date"].get_attribute("datetime") for hit in hits(browser)]
    assert dates == sorted(dates, reverse=True)
    assert not by_css(browser, "nav.tabs")  # the trend and the concordance need words


def test_back_to_the_results_from_an_article_keeps_the_page_and_filters(browser, server):
    browser.get(server.url + "/?q=%D8%A7%D9%84%D9%82%D8%B7%D8%A7%D8%B1&sort=-date&since=2031-01-01")
    by_css(browser, "a.next")[0].click()
    wait_until(browser, lambda: "offset=10" in browser.current_url)
    results_url, second_page = browser.current_url, [hit["title"] for hit in hits(browser)]
    by_css(browser, "li.hit h2 a")[0].click()
    wait_until(browser, lambda: by_css(browser, "article .body mark"))
    by_css(browser, "p.back a")[0].click()
    wait_until(browser, lambda: by_css(browser, ".summary"))
    assert [hit["title"] for hit in hits(browser)] == second_page
    assert sorted(browser.current_url.split("?")[1].split("&")) == sorted(results_url.split("?")[1].split("&"))


def test_order_can_be_stepped_through_with_the_keyboard(browser, server):
    from selenium.webdriver.common.action_chains import ActionChains
    from selenium.webdriver.common.keys import Keys

    search(browser, server.url, "القطار")
    browser.execute_script("document.querySelector('select[name=sort]').focus()")
    ActionChains(browser).send_keys(Keys.ARROW_DOWN).perform()  # الأحدث: the page searches again at once
    wait_until(browser, lambda: "sort=-date" in browser.current_url and by_css(browser, ".summary"))
    ActionChains(browser).send_keys(Keys.ARROW_DOWN).perform()  # the focus is still on the order: الأقدم
    wait_until(browser, lambda: "sort=date" in browser.current_url and by_css(browser, ".summary"))
    dates = [hit["date"].get_attribute("datetime") for hit in hits(browser)]
    assert dates == sorted(dates)


def test_no_results_under_filters_offers_to_drop_them(browser, server):
    browser.get(server.url + "/?q=%D8%A7%D9%84%D9%82%D8%B7%D8%A7%D8%B1&source=okaz&since=1999-01-01&until=1999-12-31")
    assert total(browser) == 0
    by_css(browser, ".none a.all-filters")[0].click()
    wait_until(browser, lambda: "source=" not in browser.current_url and "since=" not in browser.current_url)
    assert total(browser) >= 24 and by_css(browser, "input[name=q]")[0].get_attribute("value") == "القطار"


def test_counts_read_as_arabic_counts_them(browser, server):
    browser.get(server.url + "/?q=%D8%A7%D9%84%D9%82%D8%B7%D8%A7%D8%B1&source=okaz")  # 8 articles
    assert by_css(browser, ".summary")[0].text.startswith("8 مقالات مطابقة")
    browser.get(server.url + "/articles/train-03?q=%D8%A7%D9%84%D9%82%D8%B7%D8%A7%D8%B1")  # twice in the body
    assert by_css(browser, ".match-count")[0].text == "2 موضعان مطابقان في النص"
    browser.get(server.url + "/?q=%D8%A7%D9%84%D9%82%D8%B7%D8%A7%D8%B1&source=okaz&view=kwic")  # 24 times in 8
    assert by_css(browser, ".kwic-summary")[0].text.startswith("ورد 24 مرة في 8 مقالات")


def test_the_range_shown_stays_on_one_line_on_a_phone(phone, server):
    phone.get(server.url + "/?q=%D8%A7%D9%84%D9%82%D8%B7%D8%A7%D8%B1")
    (shown,) = by_css(phone, ".summary .range")
    lines = "return new Set([...arguments[0].getClientRects()].map((box) => Math.round(box.top))).size"  # one box per bidi run
    assert shown.text == "1–10" and phone.execute_script(lines, shown) == 1


def test_changing_the_order_of_a_source_alone_lists_again(browser, server):
    from selenium.webdriver.support.ui import Select

    browser.get(server.url + "/?source=okaz")
    Select(by_css(browser, "select[name=sort]")[0]).select_by_value("date")  # الأقدم
    wait_until(browser, lambda: "sort=date" in browser.current_url and by_css(browser, ".summary"))
    dates = [hit["date"].get_attribute("datetime") for hit in hits(browser)]
    assert len(dates) >= 8 and dates == sorted(dates)


def test_a_month_or_year_in_the_address_is_kept_by_the_form(browser, server):
    from selenium.webdriver.common.keys import Keys

    browser.get(server.url + "/?q=%D8%A7%D9%84%D9%82%D8%B7%D8%A7%D8%B1&since=2031-03&until=2031")  # as the API reads them
    fields = {name: by_css(browser, f"input[name={name}]")[0].get_attribute("value") for name in ("since", "until")}
    assert fields == {"since": "2031-03-01", "until": "2031-12-31"}  # shown, not blank
    box = by_css(browser, "input[name=q]")[0]
    box.clear()
    box.send_keys("المحطة", Keys.ENTER)  # a new search keeps the dates
    wait_until(browser, lambda: "since=2031-03-01" in browser.current_url and by_css(browser, ".summary"))
    assert hits(browser) and all(hit["date"].get_attribute("datetime") >= "2031-03" for hit in hits(browser))


def test_the_help_shows_a_month_as_it_is_typed(browser, server):
    browser.get(server.url + "/")
    browser.execute_script("document.querySelector('details.help').open = true")
    left = browser.execute_script("""
      const code = [...document.querySelectorAll('.help code')].find((c) => c.textContent === 'تاريخ:2015-07');
      const walker = document.createTreeWalker(code, NodeFilter.SHOW_TEXT), texts = [];
      while (walker.nextNode()) texts.push(walker.currentNode);
      return ['2015', '07'].map((part) => { for (const text of texts) { const at = text.data.indexOf(part); if (at >= 0) {
        const range = document.createRange(); range.setStart(text, at); range.setEnd(text, at + part.length);
        return range.getBoundingClientRect().left; } } });""")
    # after Arabic letters, the bidi algorithm lays '2015-07' out as '07-2015': the month must read left to right
    assert left[0] < left[1], left


def test_the_concordance_leaves_room_for_context_on_a_phone(phone, server):
    phone.get(server.url + "/?q=%D8%A7%D9%84%D9%82%D8%B7%D8%A7%D8%B1&view=kwic")
    width = phone.execute_script("return document.documentElement.clientWidth")
    line = by_css(phone, "table.kwic tr.line")[0]
    for side in ("before", "after"):  # each context a quarter of the screen at least, not squeezed by the date and source
        assert line.find_element("css selector", f"td.{side}").size["width"] >= width / 4, side


def test_an_article_lists_others_on_its_subject_and_they_keep_the_way_back(browser, server):
    # ar-0001: the foreign minister's call with Blinken, opened from a search for بلينكن.
    search(browser, server.url, "بلينكن")
    results_url = browser.current_url
    browser.get(server.url + "/articles/ar-0001" + "?" + results_url.split("?")[1])
    wait_until(browser, lambda: by_css(browser, "article.article"))
    listed = by_css(browser, "section.similar li.hit a")
    assert 1 <= len(listed) <= 5
    ids = [link.get_attribute("href").split("/articles/")[1].split("?")[0] for link in listed]
    assert "ar-0001" not in ids
    assert "بلينكن" in listed[0].text  # the prime minister receives Blinken
    screenshot(browser, "article-similar")
    listed[0].click()
    wait_until(browser, lambda: ids[0] in browser.current_url and by_css(browser, "article.article"))
    by_css(browser, "p.back a")[0].click()
    wait_until(browser, lambda: by_css(browser, ".summary"))
    filled = lambda url: sorted(p for p in url.split("?")[1].split("&") if not p.endswith("="))  # noqa: E731
    assert filled(browser.current_url) == filled(results_url)
