"""Vocalised and Qur'anic Arabic as a reader sees it in a real headless Chromium on a machine
with no Arabic font of its own (this one has DejaVu only): every letter and mark is drawn by
the font the server bundles, none by a fallback that lacks it (a box). Which font drew a
node's glyphs is Chromium's own answer (DevTools ``CSS.getPlatformFontsForNode``). The
screenshots (``test-artifacts/quran-*.png``) are for a person to look at."""

from __future__ import annotations

import json
import unicodedata
from collections.abc import Iterator
from pathlib import Path

import pytest

from indexer import Corpus
from tests.server.browser import screenshot
from tests.server.live import LiveServer
from tests.server.test_browser import by_css, search, wait_until

pytestmark = pytest.mark.filterwarnings("ignore::DeprecationWarning")

#: The family the stylesheet gives the bundled font.
BUNDLED = "Noto Naskh Arabic"
#: Verses taken from each Qur'an text: Al-Fatiha and the start of Al-Baqara (pause marks ۚ ۖ ۗ).
VERSES = 30


def drawn_by(session, selector: str) -> dict[str, int]:  # type: ignore[no-untyped-def]
    """The fonts that drew the text directly inside the first ``selector``, with their glyph
    counts, as Chromium reports them (a custom font marked ``(bundled)``)."""
    session.execute_cdp_cmd("DOM.enable", {})
    session.execute_cdp_cmd("CSS.enable", {})
    root = session.execute_cdp_cmd("DOM.getDocument", {"depth": 0})["root"]["nodeId"]
    node = session.execute_cdp_cmd("DOM.querySelector", {"nodeId": root, "selector": selector})["nodeId"]
    assert node, f"no {selector} on the page"
    fonts = session.execute_cdp_cmd("CSS.getPlatformFontsForNode", {"nodeId": node})["fonts"]
    return {f["familyName"] + (" (bundled)" if f["isCustomFont"] else ""): int(f["glyphCount"]) for f in fonts}


def is_arabic(char: str) -> bool:
    return 0x0600 <= ord(char) <= 0x08FF or 0xFB50 <= ord(char) <= 0xFEFF


def wait_for_fonts(session) -> None:  # type: ignore[no-untyped-def]
    session.execute_async_script("const done = arguments[0]; document.fonts.ready.then(() => done(true));")


@pytest.fixture(scope="module")
def quran_server(shared_data: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiveServer]:
    """A server over Qur'anic text as published (Uthmani with its marks, the Farsi-yeh variant
    with open tanween) and vocalised news stories."""
    folder = shared_data / "diacritized"
    uthmani = [line.split("|")[2] for line in (folder / "quran_tanzil_uthmani_v1.1_tarteel.txt").read_text("utf-8").splitlines()[:VERSES]]
    variant = (folder / "quran_uthmani_mustafa0x_variant.txt").read_text("utf-8").splitlines()[:VERSES]
    stories = [json.loads(line) for line in (folder / "aljazeera_learning_stories.jsonl").read_text("utf-8").splitlines()[:3]]
    articles = [
        {"id": "quran-uthmani", "title": "\u0671\u0644\u0652\u0641\u064E\u0627\u062A\u0650\u062D\u064E\u0629 \u0648\u0623\u0648\u0644 \u0671\u0644\u0652\u0628\u064E\u0642\u064E\u0631\u064E\u0629", "body": "\n".join(uthmani), "date": "2031-01-01", "source": "tanzil"},
        {"id": "quran-variant", "title": "رواية أخرى للرسم", "body": "\n".join(variant), "date": "2031-01-02", "source": "mustafa0x"},
        *({**story, "date": "2031-01-03", "source": "aljazeera"} for story in stories),
    ]
    path = tmp_path_factory.mktemp("quran") / "index"
    with Corpus(path) as corpus:
        assert corpus.add(articles).added == len(articles)
    live = LiveServer(path)
    yield live
    live.stop()


@pytest.mark.parametrize("article, letter", [
    ("quran-uthmani", "\u0671"),  # ٱ alef wasla, in no font this machine has
    ("quran-variant", "\u08F0"),  # open fathatan
])
def test_every_letter_and_mark_of_the_quran_is_drawn_by_the_bundled_font(browser, quran_server, article, letter):
    browser.get(f"{quran_server.url}/articles/{article}")
    wait_for_fonts(browser)
    body = by_css(browser, "article .body")[0].text
    assert letter in body
    screenshot(browser, f"{article}-article")
    fonts = drawn_by(browser, "article .body")
    assert set(fonts) == {f"{BUNDLED} (bundled)"}, fonts


def assert_only_arabic_drawn_by_the_bundled_font(session, selector: str) -> str:  # type: ignore[no-untyped-def]
    """Every Arabic glyph of ``selector``'s own text drawn by the bundled font; another font
    draws at most one glyph per character outside Arabic (digits, ".", "…": the system's
    fonts draw them). Returns those characters."""
    fonts = drawn_by(session, selector)
    own_text = session.execute_script(
        "return [...arguments[0].childNodes].filter((n) => n.nodeType === 3).map((n) => n.data).join('')", by_css(session, selector)[0])
    others = "".join(c for c in own_text if not c.isspace() and not is_arabic(c) and c not in "\u00ab\u00bb")
    assert fonts.pop(f"{BUNDLED} (bundled)", 0) > 100 and sum(fonts.values()) <= len(others), (fonts, others)
    return others


def test_vocalised_news_is_drawn_by_the_bundled_font(browser, quran_server):
    browser.get(f"{quran_server.url}/articles/ajl-5-1")
    wait_for_fonts(browser)
    assert "\u0651" in by_css(browser, "article .body")[0].text  # shadda
    assert_only_arabic_drawn_by_the_bundled_font(browser, "article .body")


def test_vocalised_results_are_drawn_by_the_bundled_font(browser, quran_server):
    search(browser, quran_server.url, "\u0671\u0644\u0631\u064E\u0651\u062D\u0652\u0645\u064E\u0640\u0670\u0646\u0650")  # ar-Rahman as the Uthmani text writes it (alef wasla, dagger alef)
    wait_for_fonts(browser)
    assert by_css(browser, "li.hit")
    screenshot(browser, "quran-results")
    others = assert_only_arabic_drawn_by_the_bundled_font(browser, "li.hit .snippet")
    assert others and set(others) <= {"\u2026"}  # the snippet's ellipses: Noto Naskh has no "…"


def test_the_marks_a_quranic_text_uses_are_drawn_on_any_page(browser, server):
    """Without the shared data: the Qur'anic marks and vocalisation (by their Unicode names,
    U+0610..U+061A, U+064B..U+065F, U+0670, U+06D6..U+06ED, U+08F0..U+08F3) put on the
    search page, each on ٱ, and every glyph drawn by the bundled font."""
    marks = [c for c in map(chr, [*range(0x0610, 0x061B), *range(0x064B, 0x0660), 0x0670, *range(0x06D6, 0x06EE), *range(0x08F0, 0x08F4)])
             if unicodedata.category(c) == "Mn"]
    text = " ".join("\u0671" + mark for mark in marks) + " \u06DE \u06E9"  # ۞ and ۩ stand alone
    browser.get(server.url + "/")
    browser.execute_script("const p = document.createElement('p'); p.id = 'marks'; p.textContent = arguments[0]; document.querySelector('main').append(p);", text)
    wait_for_fonts(browser)
    fonts = drawn_by(browser, "#marks")
    assert set(fonts) == {f"{BUNDLED} (bundled)"}, fonts


@pytest.mark.parametrize("path", ["/", "/articles/train-03", "/docs"])
def test_each_font_file_is_fetched_once_as_the_page_starts(path, server):
    """Preloaded (asked for with the stylesheet, not after the first layout) and used: a
    preload the stylesheet does not match would fetch the file twice."""
    from tests.server.browser import start_chromium

    session = start_chromium()  # a fresh profile: nothing cached
    try:
        session.get(server.url + path)
        wait_for_fonts(session)
        fetched = session.execute_script(
            "return performance.getEntriesByType('resource').filter((e) => e.name.includes('/static/fonts/')).map((e) => [e.name.split('/').pop(), e.initiatorType])")
        assert sorted(fetched) == [["noto-naskh-arabic-2.004-bold.woff2", "link"], ["noto-naskh-arabic-2.004-regular.woff2", "link"]]
        assert session.execute_script("return [...document.fonts].filter((f) => f.status === 'loaded').length") == 2
        assert not [entry for entry in session.get_log("browser") if "preload" in entry["message"]]
    finally:
        session.quit()
