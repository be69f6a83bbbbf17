"""Load benchmark of ``corpus serve``, run by hand (not by CI): requests/s and latency
percentiles of concurrent clients on loopback, against the library called directly.

    python benchmarks/serve.py --index DIR [--seconds 60] [--workers 1]

``--index DIR`` holds an index of the 41,191 articles of ``../shared/data/news``; it is
built on the first run (``Corpus.index``, a few minutes) and reused after. The benchmark
starts ``corpus serve --index DIR --port 0`` as a user would and runs, each for
``--seconds``:

1. 8 clients, then 32 clients, each on its own keep-alive connection, sending a fixed
   mix of requests in a loop: searches of every kind (words, phrases, OR, NEAR, field,
   wildcard, fuzzy, questions in mode "any", date and source filters, sorting by date,
   the second page, facets) and whole articles with highlights.
2. 8 clients while another process updates the index incrementally: it replaces batches
   of 200 articles (their text changed, so each is deleted and added) and commits after
   each, so segments are written and merged throughout. Zero errors expected, and no
   request slower than 2 s.
0. First, the same requests through ``Corpus`` in this process, with no HTTP: 1 thread,
   then 8.

Every request must answer 200; anything else counts as an error and the first few are
printed. Latency is wall time from send to the last byte read (``time.perf_counter``).
"CPU ms/req" is the CPU time of whoever answers (the server's processes, read from
/proc; or this process for the library) per request: on a shared machine requests/s
follow the share of the cores the scheduler gives, CPU per request does not.
Results are recorded in ``docs/benchmarks.md`` (section "Serving").
"""

from __future__ import annotations

import argparse
import http.client
import multiprocessing
import os
import re
import resource
import subprocess
import sys
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import quote, urlencode

REPO = Path(__file__).resolve().parents[1]
if str(REPO) not in sys.path:
    sys.path.insert(0, str(REPO))

from benchmarks.index import build_ours, load_line, read_records, source_paths, table  # noqa: E402

#: The mix each client cycles through (started at a different point per client).
SEARCHES: list[dict[str, object]] = [
    {"q": "السعودية"},
    {"q": "وزير الخارجية"},
    {"q": '"وزير الخارجية"'},
    {"q": "النفط الأسعار", "facets": "source,month"},
    {"q": "الرياض OR جدة", "sort": "-date"},
    {"q": "الهلال النصر"},
    {"q": '"كرة القدم"', "offset": 10},
    {"q": "تونس الحكومة", "since": "2016-01-01", "until": "2016-12-31"},
    {"q": "الأمطار السيول", "facets": "source,month,year"},
    {"q": "مجلس الشورى", "source": "sabq"},
    {"q": "title:السعودية"},
    {"q": "بلينكن~"},
    {"q": "الاقتصا*"},
    {"q": "التعليم NEAR/5 وزارة"},
    {"q": "ما هي أسباب ارتفاع أسعار النفط؟", "mode": "any"},
    {"q": "الحج الحجاج"},
    {"q": "الانتخابات التونسية", "sort": "date"},
    {"q": "اليمن الحوثيين"},
    {"q": "الصحة NOT كورونا"},
    {"q": "متى يبدأ العام الدراسي الجديد", "mode": "any", "facets": "source"},
]
ARTICLE_QUERIES = ("وزير", "النفط", "تونس")
CLIENTS = (8, 32)
UPDATE_BATCH = 200
SLOW_SECONDS = 2.0


@dataclass
class Tally:
    """What one phase's clients saw."""

    latencies: list[float] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    seconds: float = 0.0
    cpu_seconds: float = 0.0  # of the process(es) answering: the server, or this one

    def row(self, name: str, clients: int | str) -> list[object]:
        done = sorted(self.latencies)
        pick = lambda q: done[min(len(done) - 1, int(q * len(done)))] * 1000 if done else float("nan")  # noqa: E731
        return [
            name, clients, len(done), f"{len(done) / self.seconds:.1f}", f"{pick(0.50):.0f}", f"{pick(0.95):.0f}",
            f"{pick(0.99):.0f}", f"{(done[-1] if done else 0) * 1000:.0f}",
            f"{self.cpu_seconds * 1000 / max(1, len(done)):.1f}", len(self.errors),
        ]


HEADER = ["phase", "clients", "requests", "req/s", "p50 ms", "p95 ms", "p99 ms", "max ms", "CPU ms/req", "errors"]


def own_cpu_seconds() -> float:
    """CPU time (user + system) of this process so far."""
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def tree_cpu_seconds(pid: int) -> float:
    """CPU time of process ``pid`` and its descendants (uvicorn's workers), from /proc."""
    total, pending = 0.0, [pid]
    while pending:
        current = pending.pop()
        try:
            fields = Path(f"/proc/{current}/stat").read_text().rsplit(")", 1)[1].split()
            total += (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
            for task in Path(f"/proc/{current}/task").iterdir():
                pending += [int(child) for child in (task / "children").read_text().split()]
        except (OSError, IndexError, ValueError):
            continue
    return total


# --- the server ---------------------------------------------------------------------------


class Server:
    """``corpus serve --port 0`` in a subprocess, its log drained to a file."""

    def __init__(self, index: Path, workers: int, log: Path) -> None:
        self._log = log.open("w", encoding="utf-8")
        self.process = subprocess.Popen(
            [sys.executable, "-m", "indexer", "serve", "--index", str(index), "--port", "0", "--workers", str(workers)],
            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, encoding="utf-8", cwd=REPO,
        )
        self.port = self._wait_for_port()
        threading.Thread(target=self._drain, daemon=True).start()
        self._wait_until_answering()

    def _wait_for_port(self) -> int:
        assert self.process.stdout is not None
        for line in self.process.stdout:
            self._log.write(line)
            found = re.search(r"Uvicorn running on http://127\.0\.0\.1:(\d+)", line)
            if found:
                return int(found.group(1))
        sys.exit("error: corpus serve did not start; see the log")

    def _wait_until_answering(self, seconds: float = 120) -> None:
        """With --workers, uvicorn logs its port before the workers listen on it."""
        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline:
            try:
                connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=10)
                connection.request("GET", "/api/stats")
                if connection.getresponse().status == 200:
                    connection.close()
                    return
            except OSError:
                time.sleep(0.2)
        sys.exit("error: corpus serve did not answer; see the log")

    def _drain(self) -> None:
        assert self.process.stdout is not None
        for line in self.process.stdout:
            self._log.write(line)

    def stop(self) -> None:
        self.process.terminate()
        self.process.wait(30)
        self._log.close()


Request = tuple[str, dict[str, object]]  # ("search", parameters) or ("article", {"id", "q"})


def request_mix(article_ids: list[str]) -> list[Request]:
    """Every search, and after every fourth a whole article with highlights."""
    articles = [("article", {"id": i, "q": ARTICLE_QUERIES[n % len(ARTICLE_QUERIES)]}) for n, i in enumerate(article_ids)]
    mixed: list[Request] = []
    for n, params in enumerate(SEARCHES):
        mixed.append(("search", params))
        if n % 4 == 3 and articles:
            mixed.append(articles[(n // 4) % len(articles)])
    return mixed


def as_path(request: Request) -> str:
    kind, params = request
    if kind == "search":
        return f"/api/search?{urlencode(params)}"
    return f"/api/articles/{quote(str(params['id']), safe='')}?{urlencode({'q': params['q']})}"


def as_call(corpus, request: Request):  # type: ignore[no-untyped-def]
    """The library call the server makes for ``request``, ready to run."""
    kind, params = request
    if kind == "article":
        return lambda: corpus.article(str(params["id"]), str(params["q"]))
    options = {k: v for k, v in params.items() if k != "q"}
    if "facets" in options:
        options["facets"] = str(options["facets"]).split(",")
    return lambda: corpus.search(str(params["q"]), **options)


def article_ids(index: Path) -> list[str]:
    """A few ids to fetch whole: the top hits of ``ARTICLE_QUERIES``."""
    from indexer import Corpus

    with Corpus(index) as corpus:
        return [hit.id for word in ARTICLE_QUERIES for hit in corpus.search(word, limit=3)]


def run_clients(server: Server, paths: list[str], clients: int, seconds: float) -> Tally:
    """``clients`` threads, each on one keep-alive connection, cycling through ``paths``."""
    port = server.port
    tally = Tally()
    lock = threading.Lock()
    deadline = time.monotonic() + seconds

    def client(start: int) -> None:
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
        mine: list[float] = []
        n = start
        while time.monotonic() < deadline:
            path = paths[n % len(paths)]
            n += 1
            began = time.perf_counter()
            try:
                connection.request("GET", path)
                answer = connection.getresponse()
                body = answer.read()
                status = answer.status
            except (OSError, http.client.HTTPException) as error:
                connection.close()
                connection = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
                status, body = 0, repr(error).encode()
            mine.append(time.perf_counter() - began)
            if status != 200:
                with lock:
                    tally.errors.append(f"{status} {path}: {body[:200]!r}")
        connection.close()
        with lock:
            tally.latencies += mine

    started, cpu = time.monotonic(), tree_cpu_seconds(server.process.pid)
    threads = [threading.Thread(target=client, args=(i * 3,)) for i in range(clients)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    tally.seconds = time.monotonic() - started
    tally.cpu_seconds = tree_cpu_seconds(server.process.pid) - cpu
    return tally


# --- the update running beside the clients ------------------------------------------------


def update_loop(index: str, stop, commits) -> None:  # type: ignore[no-untyped-def]
    """Replace batches of real articles (text changed) until ``stop`` is set; each batch
    one commit. Runs in its own process, as the nightly job would."""
    from indexer import Corpus

    records = []
    for record in read_records(source_paths()):
        if record.get("id") and (record.get("body") or "").strip():
            records.append(record)
        if len(records) >= 20 * UPDATE_BATCH:
            break
    corpus = Corpus(index)
    round_number = 0
    while not stop.is_set():
        for start in range(0, len(records), UPDATE_BATCH):
            if stop.is_set():
                break
            batch = [dict(r, body=f"{r['body']} (تحديث {round_number})") for r in records[start : start + UPDATE_BATCH]]
            corpus.add(batch, wait=30)
            commits.value += 1
        round_number += 1


# --- the library directly -----------------------------------------------------------------


def run_library(index: Path, mix: list[Request], threads: int, seconds: float) -> Tally:
    """The same requests through one ``Corpus`` in this process, ``threads`` at a time."""
    from indexer import Corpus

    corpus = Corpus(index)
    calls = [as_call(corpus, request) for request in mix]
    for call in calls:  # warm, as the server is warm after its first requests
        call()
    tally = Tally()
    lock = threading.Lock()
    deadline = time.monotonic() + seconds

    def worker(start: int) -> None:
        mine, n = [], start
        while time.monotonic() < deadline:
            call = calls[n % len(calls)]
            n += 1
            began = time.perf_counter()
            call()
            mine.append(time.perf_counter() - began)
        with lock:
            tally.latencies += mine

    started, cpu = time.monotonic(), own_cpu_seconds()
    workers = [threading.Thread(target=worker, args=(i * 3,)) for i in range(threads)]
    for thread in workers:
        thread.start()
    for thread in workers:
        thread.join()
    tally.seconds = time.monotonic() - started
    tally.cpu_seconds = own_cpu_seconds() - cpu
    corpus.close()
    return tally


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--index", type=Path, required=True, help="index of the 41,191 articles (built if absent)")
    parser.add_argument("--seconds", type=float, default=60.0, help="length of each phase")
    parser.add_argument("--workers", type=int, default=1, help="corpus serve --workers")
    args = parser.parse_args()

    if not (args.index / "current").exists():
        print(f"building {args.index} from ../shared/data/news ...", flush=True)
        build_ours(args.index, source_paths())
    print(load_line(), flush=True)
    rows: list[list[object]] = []
    mix = request_mix(article_ids(args.index))
    for threads in (1, CLIENTS[0]):  # first: the update below changes the index
        rows.append(run_library(args.index, mix, threads, args.seconds).row("library", threads))
        print(table(HEADER, [rows[-1]]), flush=True)
    server = Server(args.index, args.workers, args.index.parent / "serve-benchmark.log")
    slow_during_update = []
    try:
        paths = [as_path(request) for request in mix]
        run_clients(server, paths, 4, min(5.0, args.seconds))  # warm every worker's searchers
        for clients in CLIENTS:
            tally = run_clients(server, paths, clients, args.seconds)
            rows.append(tally.row("HTTP", clients))
            print(table(HEADER, [rows[-1]]), "\n" + "\n".join(tally.errors[:5]), flush=True)

        stop, commits = multiprocessing.Event(), multiprocessing.Value("i", 0)
        updater = multiprocessing.Process(target=update_loop, args=(str(args.index), stop, commits))
        updater.start()
        time.sleep(2)
        tally = run_clients(server, paths, CLIENTS[0], args.seconds)
        stop.set()
        updater.join()
        rows.append(tally.row(f"HTTP + update ({commits.value} commits)", CLIENTS[0]))
        slow_during_update = [t for t in tally.latencies if t > SLOW_SECONDS]
        print(table(HEADER, [rows[-1]]), "\n" + "\n".join(tally.errors[:5]), flush=True)
    finally:
        server.stop()
    print()
    print(f"corpus serve --workers {args.workers}; {args.seconds:g} s per phase; {load_line()}")
    print(table(HEADER, rows))
    print(f"requests over {SLOW_SECONDS:g} s while updating: {len(slow_during_update)}")


if __name__ == "__main__":
    main()
