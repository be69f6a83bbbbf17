"""The corpus views over HTTP, run by hand (not by CI): each ``/api/kwic``, ``/api/trend``,
``/api/collocates``, ``/api/freq`` request and each tab of the search page, timed through a
live ``corpus serve`` against the same call to the library in this process.

    python benchmarks/views_http.py --index DIR [--repeat 5]

``DIR`` holds an index of the 41,191 articles of ``../shared/data/news``, built on the first
run and reused after (as ``benchmarks/views.py`` does). Each request is sent once to warm the
server (searcher opened, streams mapped), then ``--repeat`` times on one keep-alive
connection; the table gives the median and the slowest, wall time from send to the last
byte, and the answer's size. "library ms" is the median of the same call to ``Corpus`` (no
HTTP, no JSON), so the difference is what serving adds.
"""

from __future__ import annotations

import argparse
import http.client
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
from indexer import Corpus  # noqa: E402

#: (label, path, parameters, the same call to the library or None for a page)
CASES = [
    ("kwic السعودية, 100 lines", "/api/kwic", {"q": "السعودية"}, lambda c: c.kwic("السعودية")),
    ('kwic "ولي العهد", 1,000 lines as CSV', "/api/kwic", {"q": '"ولي العهد"', "limit": 1000, "format": "csv"}, lambda c: c.kwic('"ولي العهد"', limit=1000)),
    ("trend السعودية by month", "/api/trend", {"q": "السعودية"}, lambda c: c.trend("السعودية")),
    ("trend النفط, الذهب by week split by source", "/api/trend", {"q": ["النفط", "الذهب"], "by": "week", "split": "source"}, lambda c: c.trend(["النفط", "الذهب"], by="week", split_source=True)),
    ("collocates السعودية", "/api/collocates", {"q": "السعودية"}, lambda c: c.collocates("السعودية")),
    ("freq النفط --sort keyness", "/api/freq", {"q": "النفط", "sort": "keyness"}, lambda c: c.freq("النفط", sort="keyness")),
    ("freq (whole corpus), top 1,000", "/api/freq", {"top": 1000}, lambda c: c.freq(top=1000)),
    ("page: trend tab of السعودية", "/", {"q": "السعودية", "view": "trend"}, None),
    ("page: concordance tab of السعودية", "/", {"q": "السعودية", "view": "kwic"}, None),
]


def fetch(connection: http.client.HTTPConnection, path: str) -> tuple[float, int]:
    start = time.perf_counter()
    connection.request("GET", path)
    answer = connection.getresponse()
    body = answer.read()
    took = time.perf_counter() - start
    if answer.status != 200:
        sys.exit(f"error: {path} answered {answer.status}: {body[:300]!r}")
    return took, len(body)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--index", type=Path, required=True, help="index of the news (built when missing)")
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    ensure_index(args.index)
    print(load_line())
    server = Server(args.index, workers=1, log=Path("/tmp") / "views_http.log")
    rows = []
    try:
        connection = http.client.HTTPConnection("127.0.0.1", server.port, timeout=120)
        with Corpus(args.index) as corpus:
            for label, path, params, call in CASES:
                url = f"{path}?{urlencode(params, doseq=True)}"
                fetch(connection, url)
                times, size = zip(*(fetch(connection, url) for _ in range(args.repeat)))
                library = "-"
                if call is not None:
                    call(corpus)
                    runs = []
                    for _ in range(args.repeat):
                        start = time.perf_counter()
                        call(corpus)
                        runs.append(time.perf_counter() - start)
                    library = f"{statistics.median(runs) * 1000:.0f}"
                rows.append([label, f"{size[0] / 1024:.0f} KB", f"{statistics.median(times) * 1000:.0f}", f"{max(times) * 1000:.0f}", library])
    finally:
        server.stop()
    print(table(["request", "answer", "HTTP median ms", "HTTP max ms", "library ms"], rows))


if __name__ == "__main__":
    main()
