"""The corpus views over HTTP on a live ``corpus serve``: the same JSON as the commands'
``--json`` and the same CSV as their ``--csv`` (run through click's CliRunner), errors
that name the query position or the parameter, and caps on every size."""

from __future__ import annotations

import csv
import io
import json
import re
from collections import Counter
from datetime import date

import pytest
from click.testing import CliRunner

from indexer.cli import main
from indexer.server.render import CHART_WIDTH
from tests.server.conftest import TRAIN_SOURCES, train_articles


def cli_output(*args: str) -> str:
    result = CliRunner().invoke(main, list(args))
    assert result.exit_code == 0, result.output
    return result.stdout


# (endpoint, API parameters, the same request as a command line)
SAME_REQUESTS = [
    ("kwic", {"q": "القطار"}, ["kwic", "القطار"]),
    ("kwic", {"q": "القطار المحطة", "width": 20, "sort": "right", "limit": 7, "offset": 3}, ["kwic", "--width", "20", "--sort", "right", "-n", "7", "--offset", "3", "القطار", "المحطة"]),
    ("kwic", {"q": '"وزير الخارجية"', "mode": "any", "exact": "true"}, ["kwic", "--any", "--exact", '"وزير الخارجية"']),
    ("kwic", {"q": "القطار", "source": "okaz", "since": "2031-03", "until": "2031-10-31", "dedupe": "1"}, ["kwic", "--source", "okaz", "--since", "2031-03", "--until", "2031-10-31", "--dedupe", "القطار"]),
    ("trend", {"q": "القطار"}, ["trend", "القطار"]),
    ("trend", {"q": ["القطار", "المحطة OR الركاب"], "by": "year", "per": "articles", "split": "source"}, ["trend", "--by", "year", "--per", "articles", "--split", "source", "القطار", "المحطة OR الركاب"]),
    ("collocates", {"q": "القطار"}, ["collocates", "القطار"]),
    ("collocates", {"q": "المحطة", "window": 3, "by": "exact", "measure": "llr", "min_freq": 2, "top": 5, "stopwords": "true"}, ["collocates", "--window", "3", "--by", "exact", "--measure", "llr", "--min-freq", "2", "--top", "5", "--stopwords", "المحطة"]),
    ("freq", {}, ["freq"]),
    ("freq", {"q": "القطار", "by": "exact", "top": 12, "sort": "keyness", "source": "rail"}, ["freq", "--by", "exact", "--top", "12", "--sort", "keyness", "--source", "rail", "القطار"]),
]


@pytest.mark.parametrize(("endpoint", "params", "command"), SAME_REQUESTS, ids=lambda v: v if isinstance(v, str) else None)
def test_views_answer_the_json_and_csv_of_their_commands(server, server_index, endpoint, params, command):
    index = ["--index", str(server_index)]
    answer = server.client.get(f"/api/{endpoint}", params=params)
    assert answer.status_code == 200, answer.text
    assert answer.headers["content-type"] == "application/json"
    assert answer.json() == json.loads(cli_output(*command[:1], *index, "--json", *command[1:]))

    download = server.client.get(f"/api/{endpoint}", params={**params, "format": "csv"})
    assert download.status_code == 200
    assert download.headers["content-type"] == "text/csv; charset=utf-8"
    assert download.headers["content-disposition"] == f'attachment; filename="{endpoint}.csv"'
    # the download opens in a spreadsheet (a BOM); the command's CSV feeds other programs (none)
    assert download.content.decode("utf-8-sig") == cli_output(*command[:1], *index, "--csv", *command[1:])


def test_kwic_lines_hold_the_match_in_its_article(server):
    answer = server.client.get("/api/kwic", params={"q": "القطار", "limit": 1000}).json()
    # the 24 train articles: twice in the body and once in the title each
    trains = [line for line in answer["lines"] if line["id"].startswith("train-")]
    assert len(trains) == 24 * 3 and answer["total"] == len(answer["lines"])
    assert {line["match"] for line in trains} == {"القطار"}
    article = server.client.get("/api/articles/train-05").json()
    for line in (ln for ln in trains if ln["id"] == "train-05" and ln["field"] == "body"):
        assert article["body"][line["start"]:line["end"]] == "القطار"
        assert article["body"][: line["start"]].endswith(line["left"]) and article["body"][line["end"]:].startswith(line["right"])


def test_kwic_sorted_by_left_context_lists_a_match_opening_its_text_last(server):
    # each train title opens with القطار: nothing stands before it, so its line sorts after every line with a word there
    lines = server.client.get("/api/kwic", params={"q": "القطار", "sort": "left", "limit": 1000}).json()["lines"]
    opening = [not line["left"].strip() for line in lines]
    assert sum(opening) == 24 and opening == sorted(opening)


def test_trend_counts_the_train_articles_per_month_and_source(server):
    answer = server.client.get("/api/trend", params={"q": "القطار", "split": "source", "since": "2031", "until": "2031", "per": "articles"}).json()
    counted = {(s["label"], p["period"]): (p["articles"], p["occurrences"]) for s in answer["series"] for p in s["points"] if p["articles"]}
    expected = Counter((a["source"], a["date"][:7]) for a in train_articles())
    assert len(answer["series"]) == len(TRAIN_SOURCES)
    for (source, month), articles in expected.items():
        label = next(label for label, period in counted if period == month and source in label)
        assert counted[(label, month)] == (articles, 3 * articles)  # twice in the body, once in the title


def test_csv_is_a_table_a_spreadsheet_reads(server):
    text = server.client.get("/api/kwic", params={"q": "القطار", "limit": 5, "format": "csv"}).content.decode("utf-8-sig")
    rows = list(csv.DictReader(io.StringIO(text)))
    assert len(rows) == 5 and {row["match"] for row in rows} == {"القطار"}


@pytest.mark.parametrize("endpoint", ["kwic", "trend", "collocates", "freq"])
def test_csv_download_starts_with_a_bom_so_excel_reads_it_as_utf8(server, endpoint):
    """Excel opens a CSV without a BOM in the system's ANSI code page (cp1252, cp1256):
    every Arabic letter turns into two or three Latin ones. With the UTF-8 BOM it reads
    UTF-8, and so do LibreOffice, pandas and Python's ``utf-8-sig``."""
    download = server.client.get(f"/api/{endpoint}", params={"q": "القطار", "format": "csv"}).content
    assert download.startswith(b"\xef\xbb\xbf") and not download.startswith(b"\xef\xbb\xbf" * 2)
    header = next(csv.reader(io.StringIO(download.decode("utf-8-sig"))))
    assert header[0] == {"kwic": "id", "trend": "series", "collocates": "word", "freq": "term"}[endpoint]


def test_a_bad_query_is_400_with_its_position(server):
    for endpoint in ("kwic", "trend", "collocates", "freq"):
        answer = server.client.get(f"/api/{endpoint}", params={"q": 'وزير "الخارجية'})
        assert answer.status_code == 400, endpoint
        assert answer.json()["position"] == 5 and "quote" in answer.json()["error"]


@pytest.mark.parametrize(
    ("endpoint", "params", "status", "parameter"),
    [
        ("kwic", {"q": "القطار", "limit": 1001}, 400, "limit"),
        ("kwic", {"q": "القطار", "width": 501}, 400, "width"),
        ("kwic", {"q": "القطار", "offset": 10_001}, 400, "offset"),
        ("kwic", {"q": "القطار", "limit": -1}, 422, "limit"),
        ("kwic", {"q": "القطار", "sort": "length"}, 422, "sort"),
        ("kwic", {}, 422, "q"),
        ("trend", {"q": ["القطار"] * 11}, 400, "q"),
        ("trend", {"q": "القطار", "by": "decade"}, 422, "by"),
        ("trend", {"q": "القطار", "per": "words"}, 422, "per"),
        ("trend", {"q": "القطار", "since": "2031-02-30"}, 400, "since"),
        ("collocates", {"q": "القطار", "window": 21}, 400, "window"),
        ("collocates", {"q": "القطار", "window": 0}, 422, "window"),
        ("collocates", {"q": "القطار", "top": 1001}, 400, "top"),
        ("collocates", {"q": "القطار", "measure": "dice"}, 422, "measure"),
        ("freq", {"top": 5000}, 400, "top"),
        ("freq", {"sort": "keyness"}, 400, "sort"),
        ("freq", {"format": "xml"}, 422, "format"),
    ],
)
def test_bad_parameters_are_named_and_sizes_capped(server, endpoint, params, status, parameter):
    answer = server.client.get(f"/api/{endpoint}", params=params)
    assert answer.status_code == status, answer.text
    assert answer.json()["parameter"] == parameter and parameter in answer.json()["error"]


def test_a_trend_is_bounded_in_points_not_just_in_series(server):
    daily = server.client.get("/api/trend", params={"q": "القطار", "by": "day"})
    assert daily.status_code == 200
    days = len(daily.json()["series"][0]["points"])  # the corpus runs from 2015 to 2031
    assert 5_000 < days <= 10_000
    split = server.client.get("/api/trend", params={"q": "القطار", "by": "day", "split": "source"})
    assert split.status_code == 400 and split.json()["parameter"] == "by"
    assert split.json()["points"] == days * len(TRAIN_SOURCES)


def test_a_trend_with_bounds_runs_from_since_to_until_with_zeros_and_the_page_draws_it_so(server):
    # the trains run 2031-01..2031-12: the months around them hold no article at all
    params = {"q": "القطار", "since": "2030-11", "until": "2032-02"}
    answer = server.client.get("/api/trend", params=params).json()
    points = answer["series"][0]["points"]
    assert [p["period"] for p in points] == ["2030-11", "2030-12", *(f"2031-{m:02d}" for m in range(1, 13)), "2032-01", "2032-02"]
    assert [p["normalized"] for p in points[:2] + points[-2:]] == [0.0] * 4 and all(p["articles"] for p in points[2:-2])
    page = server.client.get("/", params={**params, "view": "trend"}).text
    page = page[page.index('<section class="trend"'):page.index("</section>", page.index('<section class="trend"'))]
    assert page.count('class="bar" data-period') == 12  # a bar for each month with a match, on an axis of the 16 months
    step = CHART_WIDTH / 16  # right to left: 2031-01 is the third month from the right
    january = re.search(r'data-period="2031-01".*?<rect class="target"[^>]*></rect>\s*<rect x="([\d.]+)"', page, re.S)
    assert january and january.group(1) == "%.1f" % (CHART_WIDTH - 3 * step + step * 0.1)


def test_a_trend_whose_bounds_hold_too_many_points_is_refused_before_counting(server):
    answer = server.client.get("/api/trend", params={"q": "القطار", "by": "day", "since": "1000", "until": "9000"})
    assert answer.status_code == 400 and answer.json()["parameter"] == "by"
    assert answer.json()["points"] == (date(9000, 12, 31) - date(1000, 1, 1)).days + 1
    since_only = server.client.get("/api/trend", params={"q": "القطار", "by": "day", "since": "1000"})  # to the index's last date
    assert since_only.status_code == 400 and since_only.json()["points"] > (date(2031, 1, 1) - date(1000, 1, 1)).days


def test_openapi_describes_the_views(server):
    paths = server.client.get("/openapi.json").json()["paths"]
    for endpoint in ("kwic", "trend", "collocates", "freq"):
        operation = paths[f"/api/{endpoint}"]["get"]
        names = {p["name"] for p in operation["parameters"]}
        assert {"mode", "exact", "since", "until", "source", "dedupe", "format"} <= names, endpoint
        assert f"corpus {endpoint} --json" in operation["description"]


@pytest.mark.parametrize("view", ["trend", "kwic"])
def test_a_tab_shows_a_query_error_in_place(server, view):
    page = server.client.get("/", params={"q": 'وزير "الخارجية', "view": view})
    assert page.status_code == 400 and page.headers["content-type"].startswith("text/html")
    assert 'class="query-error"' in page.text and 'mark class="error-at"' in page.text and "Traceback" not in page.text
