"""The library as a guest in a long-running app: import cost, and memory, open files and
threads over many searches. Run by hand (not by CI):

    python benchmarks/guest.py --index /tmp/corpus-latency/ours --searches 20000
    python benchmarks/guest.py --index /tmp/corpus-latency/ours --searches 20000 --updated

``--index`` is only read. Queries are drawn with a fixed seed from the titles of
``../shared/data/news/sample_1000.jsonl``: single words, two-word AND, phrases, OR,
prefixes, fuzzy words, date ranges, a source filter, facets, page 2, and every tenth
search also reads a whole article. Three runs in this process, one ``Corpus`` each:

- ``loop``: every search from the main thread;
- ``thread per request``: each search in a new thread that then ends (as a threaded
  server does), so each opens a searcher that the pool must close after it;
- ``8 threads``: eight threads sharing one ``Corpus``.

With ``--updated``, a second process meanwhile runs ``corpus index`` over and over on a
copy of the bundled ``corpus/`` in a temporary directory, and a fourth run searches that
index (every search then opens a new searcher after each commit). The table shows the
process's resident memory (VmRSS, split into its own and mapped files' pages), open file
descriptors (``/proc/self/fd``) and live threads at each tenth of the run: they must
level off, not climb, and fall back when the ``Corpus`` is closed.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import re
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
SAMPLE = REPO.parent / "shared" / "data" / "news" / "sample_1000.jsonl"
HEAVY = ("indexer.server", "indexer.cli", "dask", "distributed", "matplotlib", "pandas", "starlette", "uvicorn", "click")


def import_cost() -> list[tuple[str, str]]:
    """``import indexer`` in a fresh interpreter: time, modules, heavy ones loaded."""
    code = (
        "import sys, time; t = time.perf_counter(); import indexer; took = time.perf_counter() - t;"
        f"print(took, len(sys.modules), [m for m in {HEAVY!r} if m in sys.modules])"
    )
    env = dict(os.environ, PYTHONPATH=str(REPO))
    runs = []
    for _ in range(5):
        out = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True, check=True)
        took, modules, heavy = out.stdout.split(" ", 2)
        runs.append((float(took), int(modules), heavy.strip(), out.stderr))
    took = sorted(r[0] for r in runs)[len(runs) // 2]
    bare = subprocess.run([sys.executable, "-c", "import sys; print(len(sys.modules))"], capture_output=True, text=True, check=True)
    return [
        ("import indexer (median of 5, s)", f"{took:.3f}"),
        ("modules loaded by it", str(runs[0][1] - int(bare.stdout))),
        ("heavy modules loaded", runs[0][2]),
        ("output on stdout/stderr", repr(runs[0][3])),
    ]


def queries(count: int, seed: int = 7) -> list[tuple[str, dict]]:
    """``count`` varied (query, options) pairs from the sample's titles."""
    words = []
    for line in SAMPLE.read_text(encoding="utf-8").splitlines():
        words += [w for w in re.findall(r"[\u0621-\u064a]+", json.loads(line)["title"]) if len(w) > 3]
    rng = random.Random(seed)
    shapes: list[Callable[[], tuple[str, dict]]] = [
        lambda: (rng.choice(words), {}),
        lambda: (f"{rng.choice(words)} {rng.choice(words)}", {"mode": "any"}),
        lambda: (f"{rng.choice(words)} {rng.choice(words)}", {}),
        lambda: (f'"{rng.choice(words)} {rng.choice(words)}"', {}),
        lambda: (f"{rng.choice(words)} OR {rng.choice(words)}", {"sort": "-date"}),
        lambda: (rng.choice(words)[:3] + "*", {}),
        lambda: (rng.choice(words) + "~", {}),
        lambda: (rng.choice(words), {"since": "2015", "until": "2016-06"}),
        lambda: (rng.choice(words), {"facets": ["source", "year"]}),
        lambda: (rng.choice(words), {"offset": 10}),
    ]
    return [rng.choice(shapes)() for _ in range(count)]


def usage() -> tuple[float, float, float, int, int]:
    """Resident memory (MB): all of it, the process's own (anonymous), and pages of
    mapped files; open file descriptors; live threads. Each thread's searcher maps the
    index's segments anew, and RSS counts a page once per mapping: the file column grows
    with threads while the page cache holds each page once."""
    status = Path("/proc/self/status").read_text()
    kb = {name: int(re.search(name + r":\s+(\d+)", status)[1]) for name in ("VmRSS", "RssAnon", "RssFile")}  # type: ignore[index]
    return kb["VmRSS"] / 1024, kb["RssAnon"] / 1024, kb["RssFile"] / 1024, len(os.listdir("/proc/self/fd")), threading.active_count()


def search_once(corpus, query: str, options: dict, n: int) -> None:  # type: ignore[no-untyped-def]
    from indexer import UsageError

    try:
        results = corpus.search(query, **options)
    except UsageError:
        return  # a drawn prefix too short, say: still a search the app makes
    if n % 10 == 0 and results.hits:
        corpus.article(results.hits[0].id, query=query)


def run(label: str, index: Path, work: list[tuple[str, dict]], style: str) -> list[tuple]:
    """Search ``work`` in ``style``; ``usage()`` at each tenth of it."""
    from indexer import Corpus

    rows = []
    tenth = max(1, len(work) // 10)
    started = time.perf_counter()
    with Corpus(index) as corpus:
        if style == "shared":
            chunks = [work[i::8] for i in range(8)]
            marks: list[int] = [0]
            lock = threading.Lock()

            def worker(chunk: list[tuple[str, dict]]) -> None:
                for n, (query, options) in enumerate(chunk):
                    search_once(corpus, query, options, n)
                    with lock:
                        marks[0] += 1
                        if marks[0] % tenth == 0:
                            rows.append((label, marks[0], *usage(), time.perf_counter() - started))

            threads = [threading.Thread(target=worker, args=(c,)) for c in chunks]
            for t in threads:
                t.start()
            for t in threads:
                t.join()
        else:
            for n, (query, options) in enumerate(work, start=1):
                if style == "thread":
                    t = threading.Thread(target=search_once, args=(corpus, query, options, n))
                    t.start()
                    t.join()
                else:
                    search_once(corpus, query, options, n)
                if n % tenth == 0:
                    rows.append((label, n, *usage(), time.perf_counter() - started))
    rows.append((label, "closed", *usage(), time.perf_counter() - started))
    return rows


def updating(index: Path) -> subprocess.Popen:
    """Another process running ``corpus index`` on ``index`` over and over, each run
    rewriting the bundled articles with new dates (so every run commits)."""
    script = f"""
import json, pathlib, sys, itertools
from indexer import Corpus
src = pathlib.Path({str(REPO / 'corpus' / 'articles.jsonl')!r})
articles = [json.loads(line) for line in src.read_text(encoding="utf-8").splitlines() if line.strip()]
out = pathlib.Path({str(index.parent / 'feed')!r}); out.mkdir(exist_ok=True)
corpus = Corpus({str(index)!r})
for n in itertools.count():
    for a in articles[: 20]:
        a["body"] = a["body"] + " " + str(n)
    (out / "articles.jsonl").write_text("\\n".join(json.dumps(a, ensure_ascii=False) for a in articles), encoding="utf-8")
    corpus.index([out], wait=30)
"""
    return subprocess.Popen([sys.executable, "-c", script], env=dict(os.environ, PYTHONPATH=str(REPO)))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--index", type=Path, required=True, help="an index to search (only read)")
    parser.add_argument("--searches", type=int, default=20000)
    parser.add_argument("--updated", action="store_true", help="also search an index another process updates")
    args = parser.parse_args()

    print("| import | |\n|---|---|")
    for name, value in import_cost():
        print(f"| {name} | {value} |")

    work = queries(args.searches)
    rows = run("loop", args.index, work, "loop")
    rows += run("thread per request", args.index, work[: args.searches // 4], "thread")
    rows += run("8 threads", args.index, work, "shared")
    if args.updated:
        scratch = Path(tempfile.mkdtemp(prefix="corpus-guest-"))
        try:
            from indexer import Corpus

            Corpus(scratch / "index").index([REPO / "corpus"])
            writer = updating(scratch / "index")
            try:
                rows += run("loop, index updated", scratch / "index", work[: args.searches // 4], "loop")
                rows += run("8 threads, index updated", scratch / "index", work[: args.searches // 4], "shared")
            finally:
                writer.terminate()
                writer.wait()
        finally:
            shutil.rmtree(scratch)

    print(
        "\n| run | searches | RSS (MB) | own (anon, MB) | mapped files (MB) | open fds | threads | elapsed (s) |"
        "\n|---|---:|---:|---:|---:|---:|---:|---:|"
    )
    for label, n, rss, anon, mapped, fds, threads, elapsed in rows:
        print(f"| {label} | {n} | {rss:.0f} | {anon:.0f} | {mapped:.0f} | {fds} | {threads} | {elapsed:.0f} |")


if __name__ == "__main__":
    main()
