"""A corpus linguist's session on the news, timed as it is lived, run by hand (not by CI).

    python benchmarks/views_session.py --index DIR

``DIR`` holds an index of the 41,191 articles of ``../shared/data/news`` (``corpus index``
of the two gzip files). Where `benchmarks/views.py` times the library inside one process,
this times what a researcher waits for: each command as typed (``python -m indexer kwic
...``, a fresh process each time, the import, opening the index and the output included),
with its peak memory (the child's maximum resident set), then the same views over HTTP
from a ``corpus serve`` on loopback (the first request of each and the median of three
more). Frequent nodes (الملك, الحكومة, قال, في) and a rare one (الزلزال).
"""

from __future__ import annotations

import argparse
import os
import socket
import statistics
import subprocess
import sys
import time
import urllib.parse
import urllib.request
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
if str(REPO) not in sys.path:
    sys.path.insert(0, str(REPO))

from benchmarks.index import load_line, table  # noqa: E402

COMMANDS: list[list[str]] = [
    ["kwic", "الملك", "-n", "100"],
    ["kwic", "قال", "-n", "100", "--sort", "left"],
    ["kwic", "في", "-n", "100", "--sort", "right"],
    ["kwic", "قال", "-n", "100", "--offset", "10000", "--sort", "right"],
    ["kwic", "الزلزال", "-n", "1000", "--csv"],
    ["collocates", "الملك"],
    ["collocates", "الحكومة", "--measure", "mi"],
    ["collocates", "الحكومة", "--measure", "t"],
    ["collocates", "قال", "--measure", "llr", "--by", "exact"],
    ["collocates", "الملك", "--top", "1000", "--min-freq", "1", "--csv"],
    ["freq"],
    ["freq", "--by", "exact", "--top", "1000", "--csv"],
    ["freq", "الحكومة", "--sort", "keyness"],
    ["trend", "الملك", "الحكومة", "قال", "--by", "month"],
    ["trend", "قال", "--by", "day", "--split", "source", "--csv"],
]

REQUESTS: list[tuple[str, dict]] = [
    ("/api/kwic", {"q": "الملك", "limit": 100}),
    ("/api/kwic", {"q": "قال", "limit": 100, "sort": "left"}),
    ("/api/kwic", {"q": "قال", "limit": 1000, "format": "csv"}),
    ("/api/collocates", {"q": "الحكومة"}),
    ("/api/collocates", {"q": "قال", "measure": "llr"}),
    ("/api/freq", {"q": "الحكومة", "sort": "keyness"}),
    ("/api/freq", {"top": 1000, "format": "csv"}),
    ("/api/trend", {"q": ["الملك", "الحكومة", "قال"], "by": "month"}),
    ("/", {"q": "الملك", "view": "kwic"}),
    ("/", {"q": "الملك", "view": "trend"}),
]


def run_command(index: Path, args: list[str]) -> tuple[float, int, int]:
    """Seconds, peak resident MB and output bytes of one command in a fresh process."""
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    started = time.perf_counter()
    process = subprocess.Popen([sys.executable, "-m", "indexer", *args, "--index", str(index)], stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, env=env)
    out = process.stdout.read()  # type: ignore[union-attr]
    _, status, usage = os.wait4(process.pid, 0)
    elapsed = time.perf_counter() - started
    if os.waitstatus_to_exitcode(status) != 0:
        raise SystemExit(f"corpus {' '.join(args)} failed")
    return elapsed, usage.ru_maxrss // 1024, len(out)


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def fetch(url: str) -> tuple[float, int]:
    started = time.perf_counter()
    with urllib.request.urlopen(url, timeout=300) as answer:
        body = answer.read()
    return time.perf_counter() - started, len(body)


def time_server(index: Path) -> list[list[object]]:
    port = free_port()
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    server = subprocess.Popen(
        [sys.executable, "-m", "indexer", "serve", "--index", str(index), "--host", "127.0.0.1", "--port", str(port)],
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=env,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        for _ in range(300):
            try:
                fetch(base + "/api/stats")
                break
            except OSError:
                time.sleep(0.2)
        rows = []
        for path, params in REQUESTS:
            url = base + path + "?" + urllib.parse.urlencode(params, doseq=True)
            first, size = fetch(url)
            warm = statistics.median(fetch(url)[0] for _ in range(3))
            shown = path + "?" + "&".join(f"{k}={v}" for k, v in params.items())
            rows.append([shown, f"{size:,}", f"{first * 1000:.0f}", f"{warm * 1000:.0f}"])
        return rows
    finally:
        server.terminate()
        server.wait(30)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--index", type=Path, required=True, help="an index of the two news files")
    args = parser.parse_args()
    print(load_line())
    print()
    rows = []
    for command in COMMANDS:
        seconds, peak, size = run_command(args.index, command)
        rows.append(["corpus " + " ".join(command), f"{seconds:.2f}", peak, f"{size:,}"])
    print(table(["command (fresh process)", "seconds", "peak MB", "output bytes"], rows))
    print()
    print(table(["request (corpus serve on loopback)", "bytes", "first ms", "warm ms"], time_server(args.index)))
    print()
    print(load_line())


if __name__ == "__main__":
    main()
