"""A query error as an Arabic reader sees it in a real headless Chromium: the problem, where
it is and the notes in Arabic, right to left, the quoted part as typed, the query marked.
The screenshots of the error box (``test-artifacts/``) are for a person to look at."""

from __future__ import annotations

import pytest

from tests.server.browser import ARTIFACTS
from tests.server.test_browser import by_css, search

pytestmark = pytest.mark.filterwarnings("ignore::DeprecationWarning")


def error_box_screenshot(session, name: str):  # type: ignore[no-untyped-def]
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    path = ARTIFACTS / f"{name}.png"
    by_css(session, ".query-error")[0].screenshot(str(path))
    return path


def test_an_unclosed_quote_reads_in_arabic_right_to_left(browser, server):
    search(browser, server.url, 'وزير "الخارجية')
    box = by_css(browser, ".query-error")[0]
    assert browser.execute_script("return getComputedStyle(arguments[0]).direction", box) == "rtl"
    assert by_css(browser, ".query-error .message")[0].text == "علامة التنصيص لم تُغلق"
    assert by_css(browser, ".query-error .where")[0].text == 'عند الحرف 6: «"الخارجية»'
    assert by_css(browser, ".query-error mark.error-at")[0].text == '"'
    # Read right to left: the problem first (at the right), where it is after it (to its left).
    message, where = by_css(browser, ".query-error .message")[0].rect, by_css(browser, ".query-error .where")[0].rect
    assert message["x"] + message["width"] > where["x"] + where["width"]
    assert error_box_screenshot(browser, "arabic-error-unclosed-quote").stat().st_size > 0


def test_the_notes_of_an_empty_query_read_in_arabic(browser, server):
    search(browser, server.url, "من ؟ ـ*")
    assert by_css(browser, ".query-error .message")[0].text == "لم يبقَ في الاستعلام ما يُبحث عنه"
    assert [li.text for li in by_css(browser, ".query-error .notes li")] == [
        "أُهملت «من» لأنها من الكلمات الشائعة التي لا يُبحث عنها", "أُهمل «؟» لخلوّه من الحروف", "أُهمل «ـ*» لخلوّه من الحروف",
    ]
    assert error_box_screenshot(browser, "arabic-error-notes").stat().st_size > 0


def test_a_latin_operator_stays_whole_inside_the_arabic_sentence(browser, server):
    search(browser, server.url, "عنوان:القطار NEAR/3 نص:المحطة")
    assert by_css(browser, ".query-error .message")[0].text == "يحتاج «NEAR/3» إلى جانبين في حقل واحد، وهما هنا في «title» و«body»"
    assert error_box_screenshot(browser, "arabic-error-latin-parts").stat().st_size > 0
