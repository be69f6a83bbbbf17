"""The pages as a screen-reader, keyboard or phone user meets them, in a real headless
Chromium, against WCAG 2.1 AA: axe-core's rules (``vendor/axe-core``), and what axe cannot
judge: the names and descriptions Chromium's accessibility tree gives, where the focus goes
and whether it shows, the contrast of the colours the stylesheet gives, the size of what a
finger must hit, and the language of each part."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.server.browser import screenshot, start_chromium
from tests.server.test_browser import OVERFLOWING, browser_without_js, by_css, phone, search, wait_until  # noqa: F401 - fixtures

pytestmark = pytest.mark.filterwarnings("ignore::DeprecationWarning")

AXE = Path(__file__).with_name("vendor") / "axe-core" / "axe.min.js"
TRAIN = "%D8%A7%D9%84%D9%82%D8%B7%D8%A7%D8%B1"  # القطار
PAGES = {
    "empty search": "/",
    "results": f"/?q={TRAIN}",
    "trend": f"/?q={TRAIN}&view=trend",
    "concordance": f"/?q={TRAIN}&view=kwic",
    "concordance by the words after the match": f"/?q={TRAIN}&view=kwic&kwic_sort=right&source=okaz",
    "collocates": f"/?q={TRAIN}&view=collocates",
    "collocates by MI, stopwords kept": f"/?q={TRAIN}&view=collocates&measure=mi&stopwords=1&source=okaz",
    "no collocates": f"/?q={TRAIN}&view=collocates&min_freq=500",
    "distinctive words": f"/?q={TRAIN}&view=keyness",
    "nothing distinctive": f"/?q={TRAIN}&view=keyness&source=okaz",
    "no results under filters": f"/?q={TRAIN}&source=none",
    "two sources chosen": f"/?q={TRAIN}&source=okaz&source=rail",
    "query error": "/?q=%22%D9%88%D8%B2%D9%8A%D8%B1",
    "article": f"/articles/train-03?q={TRAIN}",
    "missing article": "/articles/none-such",
    "API docs": "/docs",
}


def axe_violations(session) -> list[dict]:  # type: ignore[no-untyped-def]
    session.execute_script(AXE.read_text("utf-8"))
    return session.execute_async_script(
        "const done = arguments[0];"
        "axe.run(document, {runOnly: {type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'best-practice']}})"
        ".then((r) => done(r.violations.map((v) => ({rule: v.id, help: v.help, where: v.nodes.map((n) => n.target.join(' '))}))))"
    )


def accessible(session, element) -> dict[str, str]:  # type: ignore[no-untyped-def]
    """The role, name and description Chromium gives ``element`` (what a screen reader reads)."""
    session.execute_cdp_cmd("DOM.enable", {})
    session.execute_cdp_cmd("Accessibility.enable", {})
    marker = session.execute_script("const m = 'ax-' + Math.random().toString(36).slice(2); arguments[0].setAttribute('data-ax', m); return m", element)
    root = session.execute_cdp_cmd("DOM.getDocument", {"depth": 0})["root"]["nodeId"]
    node = session.execute_cdp_cmd("DOM.querySelector", {"nodeId": root, "selector": f"[data-ax={marker}]"})["nodeId"]
    (ax, *_) = session.execute_cdp_cmd("Accessibility.getPartialAXTree", {"nodeId": node, "fetchRelatives": False})["nodes"]
    value = lambda key: (ax.get(key) or {}).get("value", "")  # noqa: E731
    return {"role": value("role"), "name": value("name"), "description": value("description")}


def tab(session) -> None:  # type: ignore[no-untyped-def]
    from selenium.webdriver.common.action_chains import ActionChains
    from selenium.webdriver.common.keys import Keys

    ActionChains(session).send_keys(Keys.TAB).perform()


def focused(session):  # type: ignore[no-untyped-def]
    return session.execute_script("return document.activeElement")


@pytest.mark.parametrize("page", PAGES)
def test_axe_finds_nothing_to_fix(browser, server, page):
    browser.get(server.url + PAGES[page])
    violations = axe_violations(browser)
    assert violations == [], json.dumps(violations, ensure_ascii=False, indent=1)


@pytest.mark.parametrize("page", ["results", "article", "concordance", "API docs"])
def test_headings_start_at_one_and_never_skip_a_level(browser, server, page):
    browser.get(server.url + PAGES[page])
    levels = browser.execute_script("return [...document.querySelectorAll('h1,h2,h3,h4,h5,h6')].map((h) => +h.tagName[1])")
    assert levels[0] == 1 and levels.count(1) == 1, levels
    assert all(b - a <= 1 for a, b in zip(levels, levels[1:])), levels


def test_a_skip_link_comes_first_shows_when_focused_and_skips_the_header(browser, server):
    browser.get(server.url + PAGES["article"])
    tab(browser)
    skip = focused(browser)
    assert skip.tag_name == "a" and skip.get_attribute("class") == "skip"
    assert accessible(browser, skip)["name"] == "\u062A\u062E\u0637\u064E\u0651 \u0625\u0644\u0649 \u0627\u0644\u0645\u062D\u062A\u0648\u0649"  # skip to the content
    box = skip.rect
    assert box["width"] >= 24 and box["height"] >= 24 and box["y"] >= 0  # on screen while focused
    screenshot(browser, "a11y-skip-link")
    from selenium.webdriver.common.keys import Keys

    skip.send_keys(Keys.ENTER)
    tab(browser)  # the next stop is inside main (the way back to the results), not the header's links
    assert browser.execute_script("return document.querySelector('main').contains(document.activeElement)")
    assert focused(browser).get_attribute("href").split("?")[0] == server.url + "/"
    browser.get(server.url + PAGES["results"])  # unfocused, out of sight
    box = by_css(browser, "a.skip")[0].rect
    assert box["y"] + box["height"] <= 0


def test_after_a_search_the_reader_starts_at_the_top_and_hears_the_count_in_the_title(browser, server):
    browser.get(server.url + "/")
    wait_until(browser, lambda: focused(browser).get_attribute("name") == "q")  # the empty page: ready to type (autofocus runs at the next frame)
    search(browser, server.url, "القطار")
    assert browser.execute_script("return document.activeElement === document.body")
    total = by_css(browser, ".summary .total")[0].text
    assert browser.title.startswith(f"القطار — {total} مقالة مطابقة — "), browser.title


def test_the_chart_is_a_group_of_links_each_named_with_its_period_and_count(browser, server):
    browser.get(server.url + f"/?q={TRAIN}&source=okaz")
    chart = by_css(browser, "aside svg.chart")[0]
    assert accessible(browser, chart)["role"] == "group"
    bars = by_css(browser, "aside svg.chart a.bar")
    names = [accessible(browser, bar)["name"] for bar in bars]
    periods = [bar.get_attribute("data-period") for bar in bars]
    assert len(names) == 4 and all(name.startswith(period + ": ") for name, period in zip(names, periods)), names
    assert all(name.endswith((" مقالة", " مقالتان", " مقالات")) for name in names), names


def test_a_changing_menu_says_beforehand_that_it_searches_again(browser, browser_without_js, server):
    browser.get(server.url + PAGES["results"])
    for name in ("mode", "sort"):
        menu = by_css(browser, f"select[name={name}]")[0]
        assert accessible(browser, menu)["description"] == "تتغير النتائج فور الاختيار", name
    browser_without_js.get(server.url + PAGES["results"])  # without the script nothing changes by itself, nothing to say
    menu = by_css(browser_without_js, "select[name=sort]")[0]
    assert accessible(browser_without_js, menu)["description"] == ""


def test_a_typed_slash_is_not_taken_by_the_page(browser, server):
    """WCAG 2.1.4: a one-character shortcut must not fire where a speech or screen-reader
    user's keystroke lands."""
    browser.get(server.url + PAGES["results"])
    link = by_css(browser, "li.hit h2 a")[0]
    browser.execute_script("arguments[0].focus()", link)
    browser.execute_script(
        "window.slashTaken = null; document.addEventListener('keydown', (e) => { if (e.key === '/') setTimeout(() => window.slashTaken = e.defaultPrevented); });"
    )
    link.send_keys("/")
    wait_until(browser, lambda: browser.execute_script("return window.slashTaken !== null"))
    taken = browser.execute_script("return window.slashTaken")
    assert taken is False and focused(browser) == link


def test_arrows_drawn_beside_a_link_are_not_read_out(browser, server):
    browser.get(server.url + f"/?q={TRAIN}&offset=10")
    names = {a.get_attribute("class"): accessible(browser, a)["name"] for a in by_css(browser, "nav.paging a")}
    assert names == {"prev": "السابق", "next": "التالي"}
    browser.get(server.url + PAGES["article"])
    assert accessible(browser, by_css(browser, "p.back a")[0])["name"] == "العودة إلى النتائج"


def test_every_column_of_the_concordance_has_a_header(browser, server):
    browser.get(server.url + PAGES["concordance"])
    headers = [accessible(browser, th) for th in by_css(browser, "table.kwic thead th")]
    assert [h["name"] for h in headers] == ["قبل", "الكلمة", "بعد", "التاريخ والمصدر"]
    assert {h["role"] for h in headers} == {"columnheader"}  # headers of the table's columns, not text beside it
    assert by_css(browser, "table.kwic thead")[0].rect["height"] <= 2  # and out of sight
    cells = by_css(browser, "table.kwic tbody tr.line")[0].find_elements("css selector", "td")
    assert len(cells) == len(headers)


#: Every element whose own text shows, with its colour and the colour behind it (the first
#: ancestor's opaque background), its size and weight.
TEXT_COLOURS = """
const out = [];
const opaque = (el) => { for (; el; el = el.parentElement) { const bg = getComputedStyle(el).backgroundColor;
  if (bg !== 'rgba(0, 0, 0, 0)' && bg !== 'transparent') return bg; } return 'rgb(255, 255, 255)'; };
for (const el of document.querySelectorAll('body *')) {
  const own = [...el.childNodes].some((n) => n.nodeType === 3 && n.data.trim());
  const box = el.getBoundingClientRect(), style = getComputedStyle(el);
  if (!own || !box.width || style.visibility === 'hidden' || el.closest('svg')) continue;
  out.push({what: el.tagName + '.' + el.className, color: style.color, background: opaque(el), size: parseFloat(style.fontSize), bold: +style.fontWeight >= 700});
}
return out;"""


def luminance(rgb: str) -> float:
    channels = [int(part) / 255 for part in rgb[rgb.index("(") + 1 : rgb.index(")")].split(",")[:3]]
    linear = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


def contrast(one: str, other: str) -> float:
    light, dark = sorted((luminance(one), luminance(other)), reverse=True)
    return (light + 0.05) / (dark + 0.05)


@pytest.mark.parametrize("page", ["results", "query error", "article", "concordance", "trend", "collocates by MI, stopwords kept", "distinctive words"])
def test_every_text_colour_stands_out_from_its_background(browser, server, page):
    """WCAG 1.4.3: 4.5:1, or 3:1 for large text (24px, or 18.66px bold)."""
    browser.get(server.url + PAGES[page])
    browser.execute_script("document.querySelector('details.help') && (document.querySelector('details.help').open = true)")
    weak = [(t["what"], round(contrast(t["color"], t["background"]), 2)) for t in browser.execute_script(TEXT_COLOURS)
            if contrast(t["color"], t["background"]) < (3 if t["size"] >= 24 or (t["bold"] and t["size"] >= 18.66) else 4.5)]
    assert weak == []


def test_the_edges_of_the_search_box_and_the_chart_bars_stand_out(browser, server):
    """WCAG 1.4.11: 3:1 for what shows where a control is, against what is beside it."""
    browser.get(server.url + PAGES["results"])
    page_background = browser.execute_script("return getComputedStyle(document.body).backgroundColor")
    box = by_css(browser, "input[name=q]")[0]
    edge, inside = (browser.execute_script(f"return getComputedStyle(arguments[0]).{p}", box) for p in ("borderTopColor", "backgroundColor"))
    assert contrast(edge, inside) >= 3 and contrast(edge, page_background) >= 3, edge
    bar = by_css(browser, "aside svg.chart a.bar rect:not(.target)")[0]
    browser.execute_script("arguments[0].closest('a').focus()", bar)
    fill = browser.execute_script("return getComputedStyle(arguments[0]).fill", bar)
    assert contrast(fill, "rgb(255, 255, 255)") >= 3, fill


def test_every_stop_of_the_keyboard_shows_where_the_focus_is(browser, server):
    """WCAG 2.4.7: each element Tab reaches, in order, has an outline (or a shadow) once focused."""
    browser.get(server.url + PAGES["results"])
    seen, missing = [], []
    for _ in range(120):
        tab(browser)
        element = focused(browser)
        key = browser.execute_script(
            "const e = arguments[0]; return [e.tagName, e.getAttribute('class'), e.getAttribute('name'), e.getAttribute('href')].join(' ')", element)
        if element.tag_name == "body" or (seen and key == seen[0]):  # out of the page, or round again
            break
        if seen and key == seen[-1]:  # the day, month and year of a date field
            continue
        seen.append(key)
        style = browser.execute_script(
            "const s = getComputedStyle(arguments[0]); return [s.outlineStyle, parseFloat(s.outlineWidth), s.boxShadow]", element)
        if (style[0] == "none" or style[1] == 0) and style[2] == "none":
            missing.append(key)
    assert len(seen) > 20 and missing == [], seen
    assert any(" bar " in key for key in seen) and any("source=" in key for key in seen), seen


def test_what_a_finger_must_hit_on_a_phone_is_24_pixels_at_least(phone, server):
    """WCAG 2.5.8 (2.2 AA; 2.1's 2.5.5 asks 44 at AAA): links standing alone, buttons, fields
    and the chart's bars; a link inside a sentence is exempt, a checkbox counts with its label."""
    phone.get(server.url + "/?q=%D8%A7%D9%84%D9%85%D8%AF%D9%8A%D9%86%D8%A9")  # المدينة: 24 articles in 2031, 1 in 2018 (a 3-pixel bar)
    assert len(by_css(phone, "svg.chart a.bar")) >= 6
    small = phone.execute_script("""
      const out = [];
      for (const el of document.querySelectorAll('a[href], button, input:not([type=hidden]), select, summary')) {
        if (el.closest('p, td, li.hit .meta') && !el.closest('nav, .paging')) continue;  // inside a sentence or a table cell
        const target = el.closest('label') || el, box = target.getBoundingClientRect();
        if (box.width < 24 || box.height < 24) out.push(el.outerHTML.slice(0, 60) + ' ' + Math.round(box.width) + 'x' + Math.round(box.height));
      }
      return out;""")
    assert small == []


@pytest.mark.parametrize("page, language", [
    ("empty search", "ar"), ("results", "ar"), ("collocates", "ar"), ("distinctive words", "ar"), ("article", "ar"), ("API docs", "en"),
])
def test_the_page_and_each_part_say_their_language(browser, server, page, language):
    """WCAG 3.1.1 and 3.1.2: a screen reader picks its voice from ``lang``: the page's own
    language on <html>, and each Arabic or English part inside an element that names its
    language (query examples in <code> excepted: they are typed, not read)."""
    browser.get(server.url + PAGES[page])
    assert browser.execute_script("return document.documentElement.lang") == language
    wrong = browser.execute_script("""
      const out = [], walker = document.createTreeWalker(document.documentElement, NodeFilter.SHOW_TEXT);
      while (walker.nextNode()) { const text = walker.currentNode, parent = text.parentElement;
        if (parent.closest('code, script, style')) continue;
        const lang = parent.closest('[lang]').lang;
        if (/[\u0600-\u06FF]/.test(text.data) && lang !== 'ar') out.push(['ar', lang, text.data.trim()]);
        if (/[A-Za-z]{2,} [A-Za-z]{2,}/.test(text.data) && !/[\u0600-\u06FF]/.test(text.data) && lang !== 'en') out.push(['en', lang, text.data.trim()]); }
      return out;""")
    assert wrong == []


@pytest.fixture(scope="module")
def narrow() -> Iterator:
    """A screen 320 CSS pixels wide: what WCAG 1.4.10 asks a page to fit without sideways scrolling."""
    session = start_chromium()
    session.execute_cdp_cmd("Emulation.setDeviceMetricsOverride", {"width": 320, "height": 640, "deviceScaleFactor": 1, "mobile": True})
    yield session
    session.quit()


@pytest.mark.parametrize("page", [
    "empty search", "results", "concordance", "trend", "collocates", "collocates by MI, stopwords kept", "distinctive words",
    "query error", "article", "API docs",
])
def test_every_page_fits_320_pixels_with_the_help_open(narrow, server, page):
    narrow.get(server.url + PAGES[page])
    narrow.execute_script("document.querySelector('details.help') && (document.querySelector('details.help').open = true)")
    assert narrow.execute_script(OVERFLOWING) == []


def test_a_marked_word_shows_by_more_than_a_pale_colour(browser, server):
    """WCAG 1.4.1 and 1.4.11: the words a search matched show by a line at 3:1 against the
    page, not by a yellow at 1.2:1 alone."""
    browser.get(server.url + PAGES["results"])
    mark = by_css(browser, "li.hit .snippet mark")[0]
    shadow, background = browser.execute_script(
        "return [getComputedStyle(arguments[0]).boxShadow, getComputedStyle(document.body).backgroundColor]", mark)
    assert shadow.startswith("rgb(") and "inset" in shadow, shadow
    assert contrast(shadow[: shadow.index(")") + 1], background) >= 3


def test_nothing_moves_for_a_reader_who_asked_for_less_motion(browser, server):
    """WCAG 2.3.3 (and comfort): with ``prefers-reduced-motion: reduce`` no element animates
    or transitions, the chart's bars and the help opening included."""
    browser.execute_cdp_cmd("Emulation.setEmulatedMedia", {"features": [{"name": "prefers-reduced-motion", "value": "reduce"}]})
    try:
        browser.get(server.url + PAGES["results"])
        browser.execute_script("document.querySelector('details.help').open = true; document.querySelector('aside a.bar').focus()")
        moving = browser.execute_script("""
          const out = document.getAnimations().map((a) => 'animation ' + a.animationName);
          for (const el of document.querySelectorAll('*')) { const s = getComputedStyle(el);
            if (s.transitionDuration.split(',').some((d) => parseFloat(d) > 0) || s.animationName !== 'none' || s.scrollBehavior === 'smooth')
              out.push(el.tagName + '.' + el.getAttribute('class')); }
          return out;""")
        assert moving == []
    finally:
        browser.execute_cdp_cmd("Emulation.setEmulatedMedia", {"features": []})


@pytest.mark.parametrize("page", ["results", "article"])
def test_a_list_drawn_without_bullets_still_says_it_is_a_list(browser, server, page):
    """Safari's VoiceOver stops announcing a list styled ``list-style: none``; ``role="list"`` keeps it."""
    browser.get(server.url + PAGES[page])
    browser.execute_script("for (const d of document.querySelectorAll('details')) d.open = true")
    unnamed = browser.execute_script("""
      return [...document.querySelectorAll('ul, ol')].filter((l) => getComputedStyle(l).listStyleType === 'none' && l.getAttribute('role') !== 'list')
        .map((l) => l.tagName + '.' + l.className)""")
    assert browser.execute_script("return document.querySelectorAll('ul[role=list], ol[role=list]').length") >= 1  # not vacuous
    assert unnamed == []
