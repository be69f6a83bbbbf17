"""The "كيف فُهم البحث" panel in a real headless Chromium: closed at first, opened with the
keyboard, its words and counts those of ``Corpus.explanation``, its forms exact searches a
click away; axe-core finds nothing in it open, and it fits a phone. Screenshots of the open
panel (``test-artifacts/explain-*.png``) are for a person to look at."""

from __future__ import annotations

import json

import pytest

from indexer import Corpus
from tests.server.browser import ARTIFACTS, screenshot
from tests.server.test_browser import OVERFLOWING, by_css, phone, search, total, wait_until  # noqa: F401 - fixtures
from tests.server.test_browser_a11y import accessible, axe_violations, focused, tab

pytestmark = pytest.mark.filterwarnings("ignore::DeprecationWarning")

QUERY = "والمحطة الركاب قط*"


def open_with_keyboard(session) -> None:  # type: ignore[no-untyped-def]
    """Tab to the panel's summary, as a keyboard user does, and press Enter."""
    from selenium.webdriver.common.keys import Keys

    for _ in range(40):
        tab(session)
        if session.execute_script("return document.activeElement.matches('details.explain > summary')"):
            break
    else:
        pytest.fail("Tab never reaches the panel")
    focused(session).send_keys(Keys.ENTER)
    wait_until(session, lambda: session.execute_script("return document.querySelector('details.explain').open"))


def shown_words(session) -> list[dict]:  # type: ignore[no-untyped-def]
    return session.execute_script("""
      return [...document.querySelectorAll('details.explain li.word')].map((li) => ({
        text: li.dataset.word, stem: li.querySelector('.stem').textContent,
        articles: +li.querySelector('.articles').textContent.replace(/,/g, ''),
        forms: [...li.querySelectorAll('.forms li')].map((f) => [f.querySelector('a').dataset.form, +f.querySelector('.count').textContent.replace(/,/g, '')]),
        visible: li.getBoundingClientRect().height > 0}))""")


def test_the_panel_opens_with_the_keyboard_and_lists_each_word_as_the_library_does(browser, server, server_index):
    search(browser, server.url, QUERY)
    summary = by_css(browser, "details.explain > summary")[0]
    assert not browser.execute_script("return document.querySelector('details.explain').open")
    assert not by_css(browser, "details.explain li.word")[0].is_displayed()  # closed: nothing of it shows
    name = accessible(browser, summary)
    assert name["name"] == "كيف فُهم البحث" and name["role"] == "DisclosureTriangle", name
    browser.execute_script("document.activeElement.blur(); window.scrollTo(0, 0)")
    open_with_keyboard(browser)
    with Corpus(server_index) as corpus:
        explained = corpus.explanation(QUERY)
    words = shown_words(browser)
    assert [{k: w[k] for k in ("text", "stem", "articles", "forms")} for w in words] == [
        {"text": w.text, "stem": w.stem, "articles": w.articles, "forms": [list(f) for f in w.forms]} for w in explained.words
    ]
    assert all(w["visible"] for w in words) and words[0]["articles"] == 26  # والمحطة: محطه, 24 trains and 2 bundled articles
    steps = [li.text for li in by_css(browser, "details.explain li.word[data-word='والمحطة'] .steps li")]
    assert [s.split("«")[0] for s in steps] == ["حُذف حرف العطف ", "حُذفت "], steps
    pattern = by_css(browser, "details.explain li.pattern")[0]
    forms = [a.get_attribute("data-form") for a in pattern.find_elements("css selector", ".forms a")]
    assert forms == [form for form, _ in explained.patterns[0].forms] and forms
    from selenium.webdriver.common.keys import Keys

    focused(browser).send_keys(Keys.ENTER)  # and closes again
    wait_until(browser, lambda: not browser.execute_script("return document.querySelector('details.explain').open"))


def test_a_form_is_one_click_from_an_exact_search_for_it(browser, server, server_index):
    search(browser, server.url, "والمحطة")
    by_css(browser, "details.explain > summary")[0].click()
    link = by_css(browser, "details.explain .forms a[data-form='المحطة']")[0]  # as the articles write it
    count = int(link.find_element("xpath", "..").find_element("css selector", ".count").text)
    link.click()
    wait_until(browser, lambda: by_css(browser, "input[name=q]") and by_css(browser, "input[name=q]")[0].get_attribute("value") == "=المحطة")
    with Corpus(server_index) as corpus:
        exact = corpus.search("=المحطة", limit=0)
    assert total(browser) == exact.total and exact.total >= count == 24
    assert total(browser) < 26  # narrower than the stem's 26
    by_css(browser, "details.explain > summary")[0].click()
    assert by_css(browser, "details.explain li.word .searched")[0].text.startswith("المحطة: يُبحث عن الصيغة كما هي «المحطة» دون تجذيع، في 24 مقالة")


def test_axe_finds_nothing_in_the_open_panel(browser, server):
    browser.get(server.url + "/?q=" + QUERY.replace(" ", "+") + "&mode=any")
    browser.execute_script("document.querySelector('details.explain').open = true")
    violations = axe_violations(browser)
    assert violations == [], json.dumps(violations, ensure_ascii=False, indent=1)
    screenshot(browser, "explain-desktop")


def test_on_a_phone_the_open_panel_fits_and_its_forms_are_big_enough_to_tap(phone, server):
    phone.get(server.url + "/?q=" + QUERY.replace(" ", "+"))
    phone.execute_script("document.querySelector('details.explain').open = true")
    assert phone.execute_script(OVERFLOWING) == []
    small = phone.execute_script("""
      return [...document.querySelectorAll('details.explain summary, details.explain .forms a')].map((el) => el.getBoundingClientRect())
        .filter((box) => box.width < 24 || box.height < 24).length""")
    assert small == 0
    phone.execute_script("document.querySelector('details.explain').scrollIntoView()")
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    phone.save_screenshot(str(ARTIFACTS / "explain-phone.png"))
