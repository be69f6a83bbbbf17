"""The JSON API of a live ``corpus serve``, read as a client would, checked against the
CLI's ``--json`` output and against the articles indexed."""

from __future__ import annotations

import json
from collections import Counter

from click.testing import CliRunner

from indexer.cli import main
from tests.server.conftest import train_articles
from tests.server.live import LiveServer, wait_for


def cli_json(*args: str) -> dict:
    result = CliRunner().invoke(main, list(args))
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


def without_time(data: dict) -> dict:
    return {k: v for k, v in data.items() if k != "took_ms"}


def test_search_answers_the_json_of_corpus_query(server, server_index):
    for params in ({"q": "القطار المحطة"}, {"q": '"وزير الخارجية"', "limit": 3}, {"q": "الرياض OR جدة", "mode": "any", "sort": "-date", "offset": 1}, {"q": "الوزارة", "dedupe": "1"}):
        answer = server.client.get("/api/search", params=params)
        assert answer.status_code == 200
        args = ["query", "--index", str(server_index), "--json", "--limit", str(params.get("limit", 10)), "--offset", str(params.get("offset", 0))]
        args += ["--sort", params.get("sort", "relevance")] + (["--any"] if params.get("mode") == "any" else [])
        args += ["--dedupe"] if params.get("dedupe") else []
        assert without_time(answer.json()) == without_time(cli_json(*args, "--", params["q"]))


def test_search_explains_as_corpus_query_json_explain(server, server_index):
    answer = server.client.get("/api/search", params={"q": "القطار محط*", "mode": "any", "limit": 2, "explain": "true"})
    assert answer.status_code == 200
    expected = cli_json("query", "--index", str(server_index), "--json", "--explain", "--any", "-n", "2", "--", "القطار محط*")
    assert without_time(answer.json()) == without_time(expected)
    explained = answer.json()["explain"]
    assert explained["words"][0]["text"] == "القطار" and explained["patterns"][0]["text"] == "محط*"
    assert "explain" not in server.client.get("/api/search", params={"q": "القطار"}).json()


def test_json_is_utf8_with_arabic_not_escaped(server):
    answer = server.client.get("/api/search", params={"q": "القطار", "limit": 1})
    assert answer.headers["content-type"] == "application/json"
    assert "القطار".encode("utf-8") in answer.content and b"\\u" not in answer.content


def test_facets_count_every_match_not_just_the_page(server):
    page = server.client.get("/api/search", params={"q": "القطار", "limit": 2, "facets": "source,month,year"}).json()
    everything = server.client.get("/api/search", params={"q": "القطار", "limit": 100}).json()
    assert page["total"] == everything["total"] >= 24 and len(page["hits"]) == 2
    assert {k.casefold(): n for k, n in page["facets"]["source"].items()} == dict(Counter(h["source"].casefold() for h in everything["hits"]))
    months = Counter(h["date"][:7] for h in everything["hits"] if h["date"])
    assert {m: n for m, n in page["facets"]["month"].items() if n} == dict(months)
    assert sum(page["facets"]["year"].values()) == sum(months.values())
    assert list(page["facets"]["month"]) == sorted(page["facets"]["month"])  # in order, gaps as 0
    assert "facets" not in everything  # only when asked


def test_a_facet_filter_narrows_to_its_count(server):
    facets = server.client.get("/api/search", params={"q": "القطار", "facets": "source,month"}).json()["facets"]
    for name, count in facets["source"].items():
        assert server.client.get("/api/search", params={"q": "القطار", "source": name}).json()["total"] == count
    month, count = next((m, n) for m, n in facets["month"].items() if n)
    narrowed = server.client.get("/api/search", params={"q": "القطار", "since": f"{month}-01", "until": f"{month}-28"}).json()
    assert narrowed["total"] == count


def test_article_whole_with_every_highlight(server):
    article = next(a for a in train_articles() if a["id"] == "train-03")
    answer = server.client.get("/api/articles/train-03", params={"q": "القطار"}).json()
    assert (answer["title"], answer["body"], answer["source"]) == (article["title"], article["body"], article["source"])
    assert answer["date"].startswith(article["date"])
    assert [answer["body"][s:e] for s, e in answer["highlights"]] == ["القطار"] * article["body"].count("القطار")
    assert [answer["title"][s:e] for s, e in answer["title_highlights"]] == ["القطار"]
    plain = server.client.get("/api/articles/train-03").json()
    assert plain["highlights"] == [] and plain["body"] == article["body"]


def test_unknown_article_is_404(server):
    answer = server.client.get("/api/articles/no-such-article")
    assert answer.status_code == 404 and "no-such-article" in answer.json()["error"]


def test_similar_answers_the_json_of_corpus_query_like(server, server_index):
    answer = server.client.get("/api/similar/ar-0001", params={"limit": 3})
    assert answer.status_code == 200
    data = answer.json()
    assert without_time(data) == without_time(cli_json("query", "--index", str(server_index), "--json", "--limit", "3", "--like", "ar-0001"))
    assert data["hits"] and "ar-0001" not in [hit["id"] for hit in data["hits"]]
    missing = server.client.get("/api/similar/no-such-article")
    assert missing.status_code == 404 and "no-such-article" in missing.json()["error"]


def test_analyze_and_stats_answer_the_json_of_the_cli(server, server_index):
    text = "وَالوزيرُ يلتقي نظيره في الرياض"
    assert server.client.get("/api/analyze", params={"text": text}).json() == cli_json("analyze", "--json", text)
    assert server.client.get("/api/stats").json() == cli_json("stats", "--json", "--index", str(server_index))


def test_bad_query_is_400_with_its_position(server):
    answer = server.client.get("/api/search", params={"q": 'وزير "الخارجية'})
    assert answer.status_code == 400
    assert answer.json()["position"] == 5 and "quote" in answer.json()["error"]


def test_bad_parameters_are_named(server):
    cases = {
        ("limit", "101"): 400, ("offset", "10001"): 400, ("since", "2015-13-01"): 400, ("until", "yesterday"): 400,
        ("facets", "source,week"): 400, ("mode", "some"): 422, ("sort", "random"): 422, ("limit", "ten"): 422,
        ("limit", "-1"): 422, ("limit", "99999999999999999999999999"): 400,
    }
    for (name, value), status in cases.items():
        answer = server.client.get("/api/search", params={"q": "القطار", name: value})
        assert answer.status_code == status, (name, value, answer.text)
        assert answer.json()["parameter"] == name and name in answer.json()["error"], answer.text
    missing = server.client.get("/api/search")
    assert missing.status_code == 422 and missing.json()["parameter"] == "q"


def test_a_query_string_not_in_utf8_is_refused_not_guessed(server):
    # وزير as Windows-1256 bytes, and القطار in UTF-8 with one stray byte after it
    for raw in ("q=%E6%D2%ED%D1", "q=%D8%A7%D9%84%D9%82%D8%B7%D8%A7%D8%B1%FF", "q=%D9%88&source=%C7%E1%D1%ED%C7%D6"):
        answer = server.client.get(f"/api/search?{raw}")
        name = "source" if "source" in raw else "q"
        assert answer.status_code == 400, (raw, answer.text)
        assert answer.json()["parameter"] == name and "UTF-8" in answer.json()["error"], answer.text
    page = server.client.get("/?q=%E6%D2%ED%D1")
    assert page.status_code == 400 and "UTF-8" in page.text and "Traceback" not in page.text
    for path in ("/api/articles/%E6%D2%ED%D1", "/articles/%E6%D2%ED%D1"):  # an id in Windows-1256
        answer = server.client.get(path)
        assert answer.status_code == 400 and "UTF-8" in answer.text, (path, answer.text)
    spaced = server.client.get("/api/search?q=%D8%A7%D9%84%D9%82%D8%B7%D8%A7%D8%B1+%D8%A7%D9%84%D8%B3%D8%B1%D9%8A%D8%B9")
    assert spaced.status_code == 200 and spaced.json()["query"] == "القطار السريع"


def test_oversized_input_is_refused_with_a_clear_message(server):
    long_query = server.client.get("/api/search", params={"q": "قطار " * 201})
    assert long_query.status_code == 400 and "at most 1,000" in long_query.json()["error"]
    long_text = server.client.get("/api/analyze", params={"text": "ق" * 10_001})
    assert long_text.status_code == 413 and "10,000" in long_text.json()["error"]


def test_unknown_path_is_a_json_404_under_api(server):
    answer = server.client.get("/api/nothing")
    assert answer.status_code == 404 and answer.json() == {"error": "Not Found"}


def test_head_answers_as_get_without_the_body(server):
    for path, params in (("/api/stats", {}), ("/api/search", {"q": "القطار"}), ("/", {"q": "القطار"}), ("/api/search", {})):
        get, head = server.client.get(path, params=params), server.client.head(path, params=params)
        assert (head.status_code, head.headers["content-type"]) == (get.status_code, get.headers["content-type"]), path
        assert head.content == b"" and get.content


def test_writes_are_off_without_a_token(server):
    posted = server.client.post("/api/articles", json={"id": "x", "title": "عنوان"})
    assert posted.status_code == 403 and "CORPUS_TOKEN" in posted.json()["error"]
    assert server.client.delete("/api/articles/train-01").status_code == 403
    assert server.client.get("/api/articles/train-01").status_code == 200


def test_openapi_describes_every_endpoint(server):
    schema = server.client.get("/openapi.json").json()
    assert {"/api/search", "/api/articles/{article_id}", "/api/analyze", "/api/stats", "/api/articles"} <= set(schema["paths"])
    names = {p["name"] for p in schema["paths"]["/api/search"]["get"]["parameters"]}
    assert {"q", "limit", "offset", "mode", "exact", "sort", "since", "until", "source", "facets", "dedupe", "explain"} == names
    docs = server.client.get("/docs")
    assert docs.status_code == 200 and "/api/search" in docs.text and "cdn" not in docs.text.lower()


def test_one_log_line_per_request(server):
    for n in range(3):
        server.client.get("/api/search", params={"q": "القطار", "offset": 7000 + n})
    mine = lambda: [line for line in server.access_lines() if "offset=700" in line]  # noqa: E731
    assert wait_for(lambda: len(mine()) >= 3)
    assert len(mine()) == 3 and all('"GET /api/search?' in line and " 200" in line for line in mine())


def test_security_headers_on_every_answer(server):
    for path in ("/", "/api/stats", "/api/nothing"):
        headers = server.client.get(path).headers
        assert headers["content-security-policy"].startswith("default-src 'self'")
        assert headers["x-content-type-options"] == "nosniff"


def test_behind_a_proxy_links_carry_the_root_path(server_index):
    from tests.server.live import LiveServer

    live = LiveServer(server_index, extra=("--root-path", "/corpus"))
    try:
        page = live.client.get("/", params={"q": "القطار"})  # the proxy strips /corpus
        assert page.status_code == 200
        assert 'href="/corpus/static/style.css"' in page.text and 'href="/corpus/articles/train-' in page.text
        assert live.client.get("/static/style.css").status_code == 200
    finally:
        live.stop()


def test_no_index_yet_is_503_saying_how_to_build_one(tmp_path):
    from tests.server.live import LiveServer

    live = LiveServer(tmp_path / "nothing-here")
    try:
        answer = live.client.get("/api/search", params={"q": "القطار"})
        assert answer.status_code == 503 and "corpus index" in answer.json()["error"]
        assert live.client.get("/").status_code == 200  # the empty search page
        page = live.client.get("/", params={"q": "القطار"})
        assert page.status_code == 503 and "corpus index" in page.text
    finally:
        live.stop()


def test_no_other_site_may_call_the_api_from_a_browser_unless_allowed(server, server_index):
    asked = {"Origin": "https://app.example.com"}
    assert "access-control-allow-origin" not in server.client.get("/api/stats", headers=asked).headers
    allowed = LiveServer(server_index, extra=("--cors-origin", "https://app.example.com"))
    try:
        preflight = allowed.client.options("/api/search", headers={**asked, "Access-Control-Request-Method": "GET"})
        assert preflight.status_code == 200
        assert preflight.headers["access-control-allow-origin"] == "https://app.example.com"
        answer = allowed.client.get("/api/search", params={"q": "القطار"}, headers=asked)
        assert answer.status_code == 200 and answer.headers["access-control-allow-origin"] == "https://app.example.com"
        other = allowed.client.get("/api/search", params={"q": "القطار"}, headers={"Origin": "https://elsewhere.example"})
        assert "access-control-allow-origin" not in other.headers
    finally:
        allowed.stop()
