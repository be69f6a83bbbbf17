"""The search page says, in Arabic, when the source asked for has no article in the index,
and names the index's source spelt like it (rail, sabq, okaz are served)."""

from __future__ import annotations

import html
import re

import pytest

#: What the page shows for a source spelt like one of the index's, and for one spelt like none
#: (tests/server/test_arabic.py counts these among the wordings some request shows).
SHOWN_NOTES = (
    "لا توجد في الفهرس مقالة من المصدر «Rails»؛ هل تقصد «rail»؟",
    "لا توجد في الفهرس مقالة من المصدر «nowhere»",
)


def filter_notes(page: str) -> list[str]:
    items = re.findall(r'<p class="filter-note">(.*?)</p>', page, re.S)
    return [" ".join(html.unescape(re.sub(r"<[^>]+>", "", item)).split()) for item in items]


@pytest.mark.parametrize("view", ["results", "trend", "kwic"])
def test_the_page_names_the_source_meant_in_arabic_on_every_tab(server, view):
    answer = server.client.get("/", params={"q": "القطار", "source": "Rails", "view": view})
    assert answer.status_code == 200
    assert filter_notes(answer.text) == [SHOWN_NOTES[0]]


def test_browsing_a_source_spelt_like_none_says_the_index_has_no_article_from_it(server):
    answer = server.client.get("/", params={"source": "nowhere"})
    assert filter_notes(answer.text) == [SHOWN_NOTES[1]]


def test_a_source_of_the_index_has_no_note(server):
    assert filter_notes(server.client.get("/", params={"q": "القطار", "source": "RAIL"}).text) == []
