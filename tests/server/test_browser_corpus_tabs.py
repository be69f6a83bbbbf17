"""The collocates and distinctive-words tabs of the search page in a real headless Chromium:
open them for a query as a person would (by mouse and by keyboard, with JavaScript on and
off), read the counts shown and check them against what ``/api/collocates`` and
``/api/freq?sort=keyness`` answer for the same query and filters, follow each word's links
to where they say they lead, download the CSV, and meet the messages of a query that
matches nothing or everything."""

from __future__ import annotations

from collections.abc import Iterator

import httpx
import pytest

from tests.server.browser import ARTIFACTS, screenshot, start_chromium
from tests.server.test_browser import by_css, search, wait_until
from tests.server.test_browser_a11y import focused, narrow, tab  # noqa: F401  (narrow: a 320 px screen, a fixture)
from tests.server.test_browser_views import browser  # noqa: F401  (a fixture: with JavaScript on and off)

pytestmark = pytest.mark.filterwarnings("ignore::DeprecationWarning")

TRAIN = "القطار"  # 24 articles, three times in each (title and body): 8 from each of rail, sabq and okaz


def open_tab(session, view: str) -> None:  # type: ignore[no-untyped-def]
    by_css(session, f"nav.tabs a[data-view={view}]")[0].click()
    wait_until(session, lambda: f"view={view}" in session.current_url and by_css(session, f"nav.tabs a[data-view={view}][aria-current]"))


def number(element) -> int:  # type: ignore[no-untyped-def]
    return int(element.text.replace(",", ""))


def collocate_rows(session) -> list[tuple[str, int, int, str]]:  # type: ignore[no-untyped-def]
    """Each listed collocate as the page shows it: word, together, frequency, score."""
    return [
        (row.find_element("css selector", "td.word bdi").text, number(row.find_element("css selector", "td.cooccurrences")),
         number(row.find_element("css selector", "td.frequency")), row.find_element("css selector", "td.score").text)
        for row in by_css(session, "table.collocates-table tbody tr")
    ]


def keyness_rows(session) -> list[tuple[str, int, int, str]]:  # type: ignore[no-untyped-def]
    return [
        (row.find_element("css selector", "td.word bdi").text, number(row.find_element("css selector", "td.frequency")),
         number(row.find_element("css selector", "td.documents")), row.find_element("css selector", "td.score").text)
        for row in by_css(session, "table.keyness-table tbody tr")
    ]


def shown_total(session) -> int:  # type: ignore[no-untyped-def]
    return number(by_css(session, ".summary .total")[0])


def test_collocates_tab_shows_the_api_counts_under_the_page_filters_and_the_measure_chosen(browser, server):
    search(browser, server.url, TRAIN)
    by_css(browser, ".sources a[data-source=okaz]")[0].click()
    wait_until(browser, lambda: "source=okaz" in browser.current_url)
    open_tab(browser, "collocates")
    api = server.client.get("/api/collocates", params={"q": TRAIN, "source": "okaz"}).json()
    expected = [(c["word"], c["cooccurrences"], c["frequency"], f"{c['score']:.2f}") for c in api["collocates"]]
    assert collocate_rows(browser) == expected and len(expected) >= 5
    assert number(by_css(browser, ".collocates-summary .node-frequency")[0]) == api["node_frequency"] == 24  # 8 okaz articles, 3 each
    assert ("المحطة", 24, 24) in {row[:3] for row in collocate_rows(browser)}  # shown as written, not as the stem محطه
    assert by_css(browser, "table.collocates-table th.score")[0].text == "logDice"
    assert "أقصاه 14" in by_css(browser, ".measure-meaning")[0].text
    screenshot(browser, f"collocates-tab-{'js' if browser.javascript else 'no-js'}")

    # another measure, window and minimum through the tab's own form: the filters stay
    from selenium.webdriver.support.ui import Select

    Select(by_css(browser, "select[name=measure]")[0]).select_by_value("mi")
    for name, value in (("window", "3"), ("min_freq", "8")):
        field = by_css(browser, f".tab-options input[name={name}]")[0]
        field.clear()
        field.send_keys(value)
    by_css(browser, ".tab-options button")[0].click()
    wait_until(browser, lambda: "measure=mi" in browser.current_url and by_css(browser, "table.collocates-table"))
    assert "source=okaz" in browser.current_url and "view=collocates" in browser.current_url
    chosen = {"q": TRAIN, "source": "okaz", "measure": "mi", "window": 3, "min_freq": 8}
    api = server.client.get("/api/collocates", params=chosen).json()
    assert collocate_rows(browser) == [(c["word"], c["cooccurrences"], c["frequency"], f"{c['score']:.2f}") for c in api["collocates"]]
    assert all(c["cooccurrences"] >= 8 for c in api["collocates"]) and api["window"] == 3
    assert by_css(browser, "table.collocates-table th.score")[0].text == "MI"
    assert "المصادفة" in by_css(browser, ".measure-meaning")[0].text

    # the download is the API's CSV for the same choices and filters
    href = by_css(browser, ".collocates-summary a.csv")[0].get_attribute("href")
    assert href.startswith(server.url + "/api/collocates?") and "format=csv" in href
    assert httpx.get(href).text == server.client.get("/api/collocates", params={**chosen, "top": 1000, "format": "csv"}).text

    # a new query from the search box keeps the tab and its choices
    from selenium.webdriver.common.keys import Keys

    box = by_css(browser, "input[name=q]")[0]
    box.clear()
    box.send_keys("المحطة", Keys.ENTER)
    wait_until(browser, lambda: "%D8%A7%D9%84%D9%85%D8%AD%D8%B7%D8%A9" in browser.current_url and by_css(browser, ".collocates-summary"))
    assert "measure=mi" in browser.current_url and "view=collocates" in browser.current_url
    again = server.client.get("/api/collocates", params={**chosen, "q": "المحطة"}).json()
    assert collocate_rows(browser) == [(c["word"], c["cooccurrences"], c["frequency"], f"{c['score']:.2f}") for c in again["collocates"]]


def test_a_collocate_searches_the_query_near_it_and_opens_the_lines_where_they_meet(browser, server):
    browser.get(f"{server.url}/?q={TRAIN}&view=collocates")
    row = by_css(browser, "table.collocates-table tbody tr")[0]
    word = row.find_element("css selector", "td.word bdi").text
    together = f"{TRAIN} NEAR/4 {word}"  # the window of 5 words: at most 4 between them
    row.find_element("css selector", "a.together").click()
    wait_until(browser, lambda: by_css(browser, ".summary .total") and "view=" not in browser.current_url)
    assert by_css(browser, "input[name=q]")[0].get_attribute("value") == together
    found = server.client.get("/api/search", params={"q": together, "limit": 50}).json()
    assert shown_total(browser) == found["total"] > 0
    assert found["total"] <= server.client.get("/api/search", params={"q": TRAIN, "limit": 0}).json()["total"]
    marks = {m.text for m in by_css(browser, "li.hit mark")}
    assert TRAIN in marks and word in marks, marks

    browser.back()
    wait_until(browser, lambda: by_css(browser, "table.collocates-table"))
    by_css(browser, "table.collocates-table tbody tr a.lines")[0].click()
    wait_until(browser, lambda: "view=kwic" in browser.current_url and by_css(browser, ".kwic-summary"))
    lines = server.client.get("/api/kwic", params={"q": together, "limit": 50}).json()
    assert number(by_css(browser, ".kwic-summary .occurrences")[0]) == lines["total"] > 0
    matches = [m.text for m in by_css(browser, "table.kwic td.match")]
    assert matches == [line["match"] for line in lines["lines"]]
    # each line's match runs from the one to the other (المحطة or محطة: the collocate was counted by stem)
    assert matches and all(TRAIN in m and word.removeprefix("ال") in m and m != TRAIN for m in matches), matches


def test_distinctive_words_tab_shows_the_api_keyness_and_searches_each_word_within_the_query(browser, server):
    search(browser, server.url, TRAIN)
    open_tab(browser, "keyness")
    api = server.client.get("/api/freq", params={"q": TRAIN, "sort": "keyness", "top": 50}).json()
    expected = [(t["written"], t["frequency"], t["documents"], f"{t['keyness']:.1f}") for t in api["terms"] if t["keyness"] >= 3.84]
    assert keyness_rows(browser) == expected and len(expected) >= 5
    assert number(by_css(browser, ".keyness-summary .articles")[0]) == api["articles"] == 24
    assert "المحطة" not in {row[0] for row in expected} and "محطة" in {row[0] for row in expected}  # the stem's commonest spelling
    screenshot(browser, f"keyness-tab-{'js' if browser.javascript else 'no-js'}")

    href = by_css(browser, ".keyness-summary a.csv")[0].get_attribute("href")
    assert httpx.get(href).text == server.client.get("/api/freq", params={"q": TRAIN, "sort": "keyness", "top": 1000, "format": "csv"}).text

    link = next(a for a in by_css(browser, "table.keyness-table a.within") if a.text == "محطة")
    link.click()
    wait_until(browser, lambda: by_css(browser, ".summary .total") and "view=" not in browser.current_url)
    within = f"({TRAIN}) AND محطة"
    assert by_css(browser, "input[name=q]")[0].get_attribute("value") == within
    assert shown_total(browser) == server.client.get("/api/search", params={"q": within, "limit": 0}).json()["total"] == 24


@pytest.mark.parametrize("view, message", [
    ("collocates", "لم يرد الاستعلام في أي مقالة تحت هذه المرشحات، فلا كلمات تصاحبه."),
    ("keyness", "لا توجد مقالات تطابق الاستعلام تحت هذه المرشحات، فلا شيء يُقارن."),
])
def test_a_query_matching_nothing_says_so_in_arabic(browser, server, view, message):
    browser.get(f"{server.url}/?q={TRAIN}&source=sabq&since=2040-01-01&view={view}")
    assert by_css(browser, f"section.{view} p.none")[0].text == message
    assert not by_css(browser, "table.words")


def test_a_query_matching_most_articles_under_the_filters_is_too_broad_for_distinctive_words(browser, server):
    browser.get(f"{server.url}/?q={TRAIN}&source=okaz&view=keyness")  # most okaz articles are about the train
    matched = server.client.get("/api/search", params={"q": TRAIN, "source": "okaz", "limit": 0}).json()["total"]
    under = server.client.get("/api/search", params={"q": "", "source": "okaz", "limit": 0}).json()["total"]
    assert matched * 2 > under
    (message,) = by_css(browser, "section.keyness p.too-broad")
    assert message.text.startswith(f"الاستعلام واسع: يطابق {matched} من {under} ") and "تحت هذه المرشحات" in message.text
    assert not by_css(browser, "table.words")
    href = message.find_element("css selector", "a.csv").get_attribute("href")  # the list is still there for who wants it
    assert httpx.get(href).text == server.client.get("/api/freq", params={"q": TRAIN, "source": "okaz", "sort": "keyness", "top": 1000, "format": "csv"}).text

    # the collocates are counted all the same, with the same warning
    browser.get(f"{server.url}/?q={TRAIN}&source=okaz&view=collocates")
    assert by_css(browser, "section.collocates p.broad")[0].text.startswith(f"الاستعلام واسع: يطابق {matched} من {under} ")
    assert by_css(browser, "table.collocates-table tbody tr")
    browser.get(f"{server.url}/?q={TRAIN}&view=collocates")  # 24 of the 65 articles: not broad
    assert not by_css(browser, "section.collocates p.broad")


def test_too_few_collocates_offers_a_lower_minimum(browser, server):
    browser.get(f"{server.url}/?q={TRAIN}&view=collocates&min_freq=500")
    (message,) = by_css(browser, "section.collocates p.none")
    assert "500 مرة على الأقل" in message.text
    message.find_element("css selector", "a.fewer").click()
    wait_until(browser, lambda: "min_freq=1" in browser.current_url and by_css(browser, "table.collocates-table"))
    api = server.client.get("/api/collocates", params={"q": TRAIN, "min_freq": 1}).json()["collocates"]
    assert len(by_css(browser, "table.collocates-table tbody tr")) == len(api) > 5


def test_a_window_past_the_limit_is_an_arabic_error_page(browser, server):
    browser.get(f"{server.url}/?q={TRAIN}&view=collocates&window=50")
    assert "يجب ألا تزيد قيمة «window» في عنوان الصفحة على 20" in by_css(browser, "main")[0].text


@pytest.fixture(scope="module")
def keyboard() -> Iterator:
    session = start_chromium()
    yield session
    session.quit()


def press(session, key) -> None:  # type: ignore[no-untyped-def]
    from selenium.webdriver.common.action_chains import ActionChains

    ActionChains(session).send_keys(key).perform()


def tab_to(session, matches, most: int = 80):  # type: ignore[no-untyped-def]
    """Press Tab until ``matches(focused element)``; the element, or fail after ``most`` presses."""
    for _ in range(most):
        tab(session)
        element = focused(session)
        if matches(element):
            return element
    raise AssertionError("never reached by Tab")


@pytest.mark.parametrize("view", ["collocates", "keyness"])
def test_each_tab_is_reached_and_opened_by_keyboard(keyboard, server, view):
    from selenium.webdriver.common.keys import Keys

    keyboard.get(f"{server.url}/?q={TRAIN}")
    tab_to(keyboard, lambda e: e.get_attribute("data-view") == view)
    press(keyboard, Keys.ENTER)
    wait_until(keyboard, lambda: by_css(keyboard, f"nav.tabs a[data-view={view}][aria-current]") and by_css(keyboard, "table.words"))
    # and from there, the first word's link
    first = tab_to(keyboard, lambda e: e.tag_name == "a" and e.get_attribute("class") in ("together", "within"))
    assert first.text == by_css(keyboard, "table.words tbody tr td.word bdi")[0].text


def test_the_collocates_choices_are_made_by_keyboard(keyboard, server):
    from selenium.webdriver.common.keys import Keys

    keyboard.get(f"{server.url}/?q={TRAIN}&view=collocates")
    tab_to(keyboard, lambda e: e.get_attribute("name") == "measure")
    press(keyboard, Keys.ARROW_DOWN)  # logDice -> MI
    tab_to(keyboard, lambda e: e.tag_name == "button" and e.text == "اعرض")
    press(keyboard, Keys.ENTER)
    wait_until(keyboard, lambda: "measure=mi" in keyboard.current_url and by_css(keyboard, "table.collocates-table"))
    assert by_css(keyboard, "table.collocates-table th.score")[0].text == "MI"


@pytest.mark.parametrize("view", ["collocates", "keyness"])
def test_a_phone_shows_each_word_with_its_counts_and_links_at_320_pixels(narrow, server, view):
    narrow.get(f"{server.url}/?q={TRAIN}&view={view}&measure=llr")
    rows = by_css(narrow, "table.words tbody tr")
    assert rows
    width = narrow.execute_script("return document.documentElement.clientWidth")
    for row in rows[:10]:  # the word and its score both on screen, not pushed out sideways
        for cell in row.find_elements("css selector", "td"):
            assert 0 <= cell.rect["x"] and cell.rect["x"] + cell.rect["width"] <= width + 1, (cell.text, cell.rect)
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    narrow.save_screenshot(str(ARTIFACTS / f"{view}-tab-320px.png"))


@pytest.mark.parametrize("view", ["collocates", "keyness"])
def test_what_a_finger_must_hit_is_24_pixels_at_least(narrow, server, view):
    """WCAG 2.5.8, as test_browser_a11y checks the results: the tabs, the choices and their
    button; a link inside a table cell or a sentence is exempt."""
    narrow.get(f"{server.url}/?q={TRAIN}&view={view}")
    small = narrow.execute_script("""
      const out = [];
      for (const el of document.querySelectorAll('section a[href], section button, section input:not([type=hidden]), section select, nav.tabs a')) {
        if (el.closest('p, td')) continue;
        const target = el.closest('label') || el, box = target.getBoundingClientRect();
        if (box.width < 24 || box.height < 24) out.push(el.outerHTML.slice(0, 60) + ' ' + Math.round(box.width) + 'x' + Math.round(box.height));
      }
      return out;""")
    assert small == []
