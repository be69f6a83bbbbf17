"""One change to the search page timed against the code before it, run by hand (not by CI):
a ``corpus serve`` of each checkout over the same index, the same pages asked of the two in
turn, so that a busy machine slows both alike and the ratio holds where the times do not.

    python benchmarks/page_ab.py --index DIR --before CHECKOUT [--after CHECKOUT] [--repeat 15]

``DIR`` as for ``benchmarks/views.py`` (the news, built when missing); ``CHECKOUT`` a
directory holding the ``indexer`` package of the code to compare (``git archive REV | tar
-x -C DIR``); ``--after`` defaults to this checkout. Each page is asked once of each server
to warm it, then ``--repeat`` times of each, alternating; the table gives each side's
median in ms and the ratio after / before.
"""

from __future__ import annotations

import argparse
import http.client
import os
import re
import statistics
import subprocess
import sys
import threading
import time
from pathlib import Path
from urllib.parse import urlencode

REPO = Path(__file__).resolve().parents[1]
if str(REPO) not in sys.path:
    sys.path.insert(0, str(REPO))

from benchmarks.index import load_line, table  # noqa: E402
from benchmarks.views import ensure_index  # noqa: E402

#: (label, page parameters): the results tab and a view, each with no source, one and two; dates; copies removed.
PAGES = [
    ("النفط", {"q": "النفط"}),
    ("النفط, source=alriyadh", {"q": "النفط", "source": ["alriyadh"]}),
    ("النفط, source=alriyadh+okaz", {"q": "النفط", "source": ["alriyadh", "okaz"]}),
    ("السعودية, source=sabq", {"q": "السعودية", "source": ["sabq"]}),
    ("السعودية, source=sabq, trend", {"q": "السعودية", "source": ["sabq"], "view": "trend"}),
    ("(no words) source=sabq", {"source": ["sabq"]}),
    ("النفط, since..until", {"q": "النفط", "since": "2012-01-01", "until": "2017-12-31"}),
    ("النفط, dedupe", {"q": "النفط", "dedupe": "1"}),
    ("(no words) source=sabq, dedupe", {"source": ["sabq"], "dedupe": "1"}),
]
_LISTENING = re.compile(r"Uvicorn running on http://127\.0\.0\.1:(\d+)")


class Served:
    """``corpus serve`` of the code in ``checkout`` (one worker), on a free port."""

    def __init__(self, checkout: Path, index: Path) -> None:
        env = {**os.environ, "PYTHONPATH": str(checkout)}
        env.pop("CORPUS_TOKEN", None)
        self.process = subprocess.Popen(
            [sys.executable, "-m", "indexer", "serve", "--index", str(index), "--port", "0"],
            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, encoding="utf-8", cwd=checkout, env=env,
        )
        self.port = 0
        ready = threading.Event()

        def read() -> None:
            assert self.process.stdout is not None
            for line in self.process.stdout:
                found = _LISTENING.search(line)
                if found:
                    self.port = int(found.group(1))
                    ready.set()
            ready.set()

        threading.Thread(target=read, daemon=True).start()
        if not ready.wait(120) or not self.port:
            self.stop()
            sys.exit(f"error: corpus serve of {checkout} did not start")
        self.connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=300)

    def fetch(self, path: str) -> float:
        started = time.perf_counter()
        self.connection.request("GET", path)
        answer = self.connection.getresponse()
        answer.read()
        if answer.status != 200:
            sys.exit(f"error: {path} answered {answer.status}")
        return time.perf_counter() - started

    def stop(self) -> None:
        self.process.terminate()
        self.process.wait(10)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--index", type=Path, required=True, help="index of the news (built when missing)")
    parser.add_argument("--before", type=Path, required=True, help="checkout of the code before the change")
    parser.add_argument("--after", type=Path, default=REPO, help="checkout of the code after it (default: this one)")
    parser.add_argument("--repeat", type=int, default=15)
    args = parser.parse_args()
    ensure_index(args.index)
    print(load_line())
    servers = [Served(args.before.resolve(), args.index), Served(args.after.resolve(), args.index)]
    rows = []
    try:
        for label, params in PAGES:
            path = "/?" + urlencode(params, doseq=True)
            times: list[list[float]] = [[], []]
            for server in servers:
                server.fetch(path)
            for _ in range(args.repeat):
                for side, server in enumerate(servers):
                    times[side].append(server.fetch(path))
            before, after = (statistics.median(t) * 1000 for t in times)
            rows.append([label, f"{before:.1f}", f"{after:.1f}", f"{after / before:.2f}"])
    finally:
        for server in servers:
            server.stop()
    print(table(["page", "before ms", "after ms", "after / before"], rows))


if __name__ == "__main__":
    main()
