"""Each tab of the search page timed through a live ``corpus serve``, run by hand (not by CI):
results, trend, concordance, collocates and distinctive words, for a narrow, a middling and
a broad query, each with and without a source filter.

    python benchmarks/page_tabs.py --index DIR [--repeat 3]

``DIR`` holds an index of the 41,191 articles of ``../shared/data/news``, built on the first
run and reused after (as ``benchmarks/views.py`` does; ``corpus index`` of the two news files
builds the same). Each page is asked once to warm the server (searcher opened, streams
mapped), then ``--repeat`` times on one keep-alive connection; the table gives the matching
articles, the median and the slowest wall time from send to the last byte, in ms, per tab.
Every tab's page runs the results' search too (the count above the tabs), so a tab's time
less the results tab's is what the tab itself costs. The last two columns time the API's
answer for the same query and filters (``/api/collocates``, ``/api/freq?sort=keyness``,
top 50 as the page lists): what the library costs, without the page.
"""

from __future__ import annotations

import argparse
import http.client
import json
import statistics
import sys
import time
from pathlib import Path
from urllib.parse import urlencode

REPO = Path(__file__).resolve().parents[1]
if str(REPO) not in sys.path:
    sys.path.insert(0, str(REPO))

from benchmarks.index import load_line, table  # noqa: E402
from benchmarks.serve import Server  # noqa: E402
from benchmarks.views import ensure_index  # noqa: E402

TABS = ("results", "trend", "kwic", "collocates", "keyness")
#: The API requests behind the two corpus-linguistics tabs, as the page asks them.
APIS = (("/api/collocates", {}), ("/api/freq", {"sort": "keyness", "top": 50}))
#: (label, query, filters): narrow to broad, by the articles they match.
QUERIES = [
    ('"ولي العهد"', '"ولي العهد"', {}),
    ("النفط", "النفط", {}),
    ("النفط, source=alriyadh", "النفط", {"source": "alriyadh"}),
    ("السعودية", "السعودية", {}),
    ("السعودية, dedupe", "السعودية", {"dedupe": "1"}),
    ("اليوم (45% of the articles)", "اليوم", {}),
    ("في (94%: too broad for keyness)", "في", {}),
]


def fetch(connection: http.client.HTTPConnection, path: str) -> tuple[float, bytes]:
    start = time.perf_counter()
    connection.request("GET", path)
    answer = connection.getresponse()
    body = answer.read()
    took = time.perf_counter() - start
    if answer.status != 200:
        sys.exit(f"error: {path} answered {answer.status}: {body[:300]!r}")
    return took, body


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--index", type=Path, required=True, help="index of the news (built when missing)")
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    ensure_index(args.index)
    print(load_line())
    server = Server(args.index, workers=1, log=Path("/tmp") / "page_tabs.log")
    rows = []
    try:
        connection = http.client.HTTPConnection("127.0.0.1", server.port, timeout=300)
        for label, query, filters in QUERIES:
            _, body = fetch(connection, "/api/search?" + urlencode({"q": query, "limit": 0, **filters}))
            row: list[object] = [label, f"{json.loads(body)['total']:,}"]
            paths = ["/?" + urlencode({"q": query, **({} if tab == "results" else {"view": tab}), **filters}) for tab in TABS]
            paths += [f"{api}?" + urlencode({"q": query, **extra, **filters}) for api, extra in APIS]
            for path in paths:
                fetch(connection, path)
                times = [fetch(connection, path)[0] for _ in range(args.repeat)]
                row.append(f"{statistics.median(times) * 1000:.0f} / {max(times) * 1000:.0f}")
            rows.append(row)
    finally:
        server.stop()
    columns = [*(f"{tab} ms" for tab in TABS), *(f"{api} ms" for api, _ in APIS)]
    print("each cell: median / slowest of --repeat requests")
    print(table(["query", "articles", *columns], rows))


if __name__ == "__main__":
    main()
