"""The date filters of the JSON API and the page: a ``since`` after ``until`` is a 400 naming
both (not an empty page that looks like an archive without the word), a Hijri-looking year
is refused, and Arabic-Indic digits filter as their Western digits. The server's trains
are dated 2031 (``conftest.train_articles``); the page's Arabic wording is in
``test_arabic.py``."""

from __future__ import annotations

import pytest

from tests.server.test_arabic import shown


@pytest.mark.parametrize("endpoint", ["/api/search", "/api/kwic", "/api/trend", "/api/collocates", "/api/freq"])
def test_the_api_refuses_a_since_after_until_naming_both_parameters(server, endpoint: str) -> None:
    answer = server.client.get(endpoint, params={"q": "القطار", "since": "2031-06-01", "until": "2031-03"})
    assert answer.status_code == 400
    assert answer.json()["error"] == "since=2031-06-01 is after until=2031-03, so no date can match both: did you swap them?"


def test_the_api_names_a_bad_date_by_its_parameter_only(server) -> None:
    answer = server.client.get("/api/search", params={"q": "القطار", "until": "أمس"})
    assert answer.status_code == 400
    assert answer.json() == {"error": "until takes a date as YYYY-MM-DD, YYYY-MM or YYYY, not 'أمس'", "parameter": "until"}
    hijri = server.client.get("/api/search", params={"q": "القطار", "since": "1452"}).json()
    assert hijri["parameter"] == "since" and hijri["error"].startswith("since=1452 reads as the Gregorian year 1452")


def test_arabic_indic_digits_filter_as_western_ones_in_the_api_and_on_the_page(server) -> None:
    def ids(since: str, until: str) -> list[str]:
        answer = server.client.get("/api/search", params={"q": "القطار", "since": since, "until": until, "limit": 50})
        assert answer.status_code == 200, answer.text
        return [hit["id"] for hit in answer.json()["hits"]]

    western = ids("2031-03", "2031-06-15")
    assert western and ids("٢٠٣١-٠٣", "٢٠٣١-٠٦-١٥") == western
    page = server.client.get("/", params={"q": "القطار", "since": "٢٠٣١-٠٣", "until": "٢٠٣١-٠٦-١٥"})
    assert page.status_code == 200 and all(f"/articles/{i}" in page.text for i in western)


def test_the_page_refuses_a_since_after_until_in_arabic(server) -> None:
    status, message, _, _ = shown(server, "/?q=القطار&since=2031-06-01&until=2031-03-01")
    assert status == 400
    assert message == "تاريخ «من» «2031-06-01» يأتي بعد تاريخ «إلى» «2031-03-01»، فلا يقع بينهما أي تاريخ؛ لعلّك عكست الترتيب؟"


@pytest.mark.parametrize("endpoint", ["/api/search", "/api/kwic", "/api/trend", "/api/collocates", "/api/freq"])
def test_the_api_refuses_a_query_date_outside_the_filters(server, endpoint: str) -> None:
    answer = server.client.get(endpoint, params={"q": "القطار date:2031-02", "since": "2031-06-01"})
    assert answer.status_code == 400
    assert answer.json()["error"] == "the query's date:2031-02 ends before since=2031-06-01 begins, so no date can match both"

