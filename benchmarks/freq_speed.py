"""Frequency lists before and after a change, timed in one run, run by hand (not by CI).

    python benchmarks/freq_speed.py --index DIR [--before REV]

``DIR`` holds an index of the news (``corpus index`` of ../shared/data/news); it is only
read. ``REV`` (default ``main``) is exported with ``git archive`` to a temporary folder
and run beside this worktree's code, turn about, so both meet the same machine load:
each command as typed (a fresh process, median of three) and each request to a warm
``corpus serve`` on loopback (the median of five after a first one), for the whole
corpus and for a query's distinctive words (keyness), the page's keyness tab included.
"""

from __future__ import annotations

import argparse
import os
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.parse
import urllib.request
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
if str(REPO) not in sys.path:
    sys.path.insert(0, str(REPO))

from benchmarks.index import load_line, table  # noqa: E402

COMMANDS: list[list[str]] = [
    ["freq"],
    ["freq", "--by", "exact", "--top", "1000"],
    ["freq", "الحكومة", "--sort", "keyness"],
    ["freq", "قال", "--sort", "keyness", "--since", "2016-01-01"],
]

REQUESTS: list[tuple[str, dict]] = [
    ("/api/freq", {}),
    ("/api/freq", {"by": "exact", "top": 1000}),
    ("/api/freq", {"q": "الحكومة", "sort": "keyness"}),
    ("/api/freq", {"q": "قال", "sort": "keyness", "since": "2016-01-01"}),
    ("/", {"q": "الحكومة", "view": "keyness"}),
]


def environment(code: Path) -> dict[str, str]:
    return {**os.environ, "PYTHONPATH": str(code)}


def run_command(code: Path, index: Path, args: list[str]) -> float:
    """Seconds of one command in a fresh process, running ``code``."""
    started = time.perf_counter()
    done = subprocess.run([sys.executable, "-m", "indexer", *args, "--index", str(index)],
                          stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=environment(code), cwd=code)
    if done.returncode != 0:
        raise SystemExit(f"corpus {' '.join(args)} failed with {code}")
    return time.perf_counter() - started


def fetch(url: str) -> float:
    started = time.perf_counter()
    with urllib.request.urlopen(url, timeout=300) as answer:
        answer.read()
    return time.perf_counter() - started


class Server:
    """``corpus serve`` of ``code`` on a free loopback port."""

    def __init__(self, code: Path, index: Path) -> None:
        with socket.socket() as probe:
            probe.bind(("127.0.0.1", 0))
            port = probe.getsockname()[1]
        self.base = f"http://127.0.0.1:{port}"
        self.process = subprocess.Popen(
            [sys.executable, "-m", "indexer", "serve", "--index", str(index), "--host", "127.0.0.1", "--port", str(port)],
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=environment(code), cwd=code,
        )
        for _ in range(300):
            try:
                fetch(self.base + "/api/stats")
                return
            except OSError:
                time.sleep(0.2)
        raise SystemExit(f"corpus serve of {code} did not answer")

    def url(self, path: str, params: dict) -> str:
        return self.base + path + "?" + urllib.parse.urlencode(params, doseq=True)

    def close(self) -> None:
        self.process.terminate()
        self.process.wait(30)


def exported(rev: str, into: Path) -> Path:
    """The tree of ``rev`` of this repository, written under ``into``."""
    archive = subprocess.run(["git", "-C", str(REPO), "archive", rev], check=True, capture_output=True).stdout
    subprocess.run(["tar", "-x", "-C", str(into)], input=archive, check=True)
    return into


def ratio(before: float, after: float) -> str:
    return f"{before / after:.1f}x"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--index", type=Path, required=True, help="an index of the news (only read)")
    parser.add_argument("--before", default="main", help="the revision to compare with (default: main)")
    args = parser.parse_args()
    print(load_line())
    with tempfile.TemporaryDirectory() as folder:
        codes = {"before": exported(args.before, Path(folder)), "after": REPO}
        rows = []
        for command in COMMANDS:
            times: dict[str, list[float]] = {"before": [], "after": []}
            for _ in range(3):
                for name, code in codes.items():
                    times[name].append(run_command(code, args.index, command))
            before, after = statistics.median(times["before"]), statistics.median(times["after"])
            rows.append(["corpus " + " ".join(command), f"{before:.2f}", f"{after:.2f}", ratio(before, after)])
        print(table(["command (fresh process, median of 3)", "before s", "after s", "ratio"], rows))
        print()
        servers = {name: Server(code, args.index) for name, code in codes.items()}
        try:
            rows = []
            for path, params in REQUESTS:
                first, warm = {}, {}
                for name, server in servers.items():
                    url = server.url(path, params)
                    first[name] = fetch(url)
                    warm[name] = statistics.median(fetch(url) for _ in range(5))
                shown = path + "?" + "&".join(f"{k}={v}" for k, v in params.items())
                rows.append([shown, f"{first['before'] * 1000:.0f}", f"{first['after'] * 1000:.0f}",
                             f"{warm['before'] * 1000:.0f}", f"{warm['after'] * 1000:.0f}", ratio(warm["before"], warm["after"])])
            print(table(["request (corpus serve on loopback)", "first ms before", "after", "warm ms before", "after", "warm ratio"], rows))
        finally:
            for server in servers.values():
                server.close()
    print()
    print(load_line())


if __name__ == "__main__":
    main()
