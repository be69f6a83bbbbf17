"""One ``Corpus`` searched by many threads while another process updates its index.

Sixteen threads run every kind of query against one shared ``Corpus`` while a separate
process adds, replaces and deletes articles in small commits that make segments merge.
Each commit is atomic, so every total a query returns is its total before the updates or
after them. The updates are planned so that a query's total changes in one commit at
most: the train articles change in one ``add`` (new ones, and replaced ones that lose
the word مسافر), the earthquake articles in one ``delete``; every other commit writes
Latin filler text that no query matches. Every word a query uses stays in some kept
article, so the index never stops knowing it (an unknown word is searched differently).

Threads switch every few bytecodes (``fast_switching``), so races between them show up
within seconds. ``CORPUS_STRESS_SECONDS`` sets how long the updates run: 5 by default, for
CI; longer for a soak.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import threading
import time
from pathlib import Path

from indexer import Corpus

REPO = Path(__file__).resolve().parents[1]
BUNDLED = REPO / "corpus" / "articles.jsonl"
STRESS_SECONDS = float(os.environ.get("CORPUS_STRESS_SECONDS") or 5)
THREADS = 16
FILLERS_PER_COMMIT = 3


def train(article_id: str, date: str, title: str, body: str) -> dict:
    return {"id": article_id, "date": date, "source": "rail", "title": title, "body": body}


def quake(article_id: str, date: str, title: str, body: str) -> dict:
    return {"id": article_id, "date": date, "source": "geo", "title": title, "body": body}


#: In the index from the start and never changed.
KEPT = [
    *(
        train(
            f"t-keep-{n}", f"2030-0{n + 1}-10", "قطار جديد يصل إلى محطة المدينة",
            "وصل القطار إلى محطة القطار المركزية صباح اليوم وسط إقبال المسافرين، وقال مدير المحطة"
            " إن القطار الجديد يختصر زمن الرحلة.",
        )
        for n in range(4)
    ),
    *(
        quake(
            f"q-keep-{n}", f"2032-0{n + 1}-01", "زلزال بقوة خمس درجات",
            "ضرب زلزال قوي قرب بركان خامد في المنطقة الجبلية، ولم ترد أنباء عن إصابات.",
        )
        for n in range(3)
    ),
]
#: In the index from the start; the update replaces them (``REPLACED``).
TO_REPLACE = [
    train(
        f"t-old-{n}", f"2030-06-0{n + 1}", "مسافر ينتظر في المحطة",
        "ينتظر المسافر في المحطة منذ الصباح بسبب تأخر الرحلة.",
    )
    for n in range(3)
]
#: In the index from the start; the update deletes them.
TO_DELETE = [
    quake(
        f"q-del-{n}", f"2033-0{n + 1}-01", "زلزال يضرب الساحل",
        "سجلت المراصد زلزال بعد ثوران بركان في الجزيرة.",
    )
    for n in range(5)
]
#: Written by the update in one commit: new articles, and new versions of ``TO_REPLACE``.
ADDED = [
    train(
        f"t-new-{n}", f"2031-0{n + 1}-15", "افتتاح خط قطار جديد",
        "افتتحت الحكومة خط قطار جديد يربط محطة القطار في العاصمة بالميناء.",
    )
    for n in range(5)
]
REPLACED = [
    train(
        article["id"], article["date"], "قطار سريع بين محطتين",
        "انطلق القطار السريع من المحطة الشمالية إلى المحطة الجنوبية في أول رحلة.",
    )
    for article in TO_REPLACE
]

#: (query, search options, whether the planned updates change its total)
QUERIES: list[tuple[str, dict, bool]] = [
    ("قطار", {}, True),
    ("زلزال", {}, True),
    ("وزير", {}, False),
    ("قطار AND محطة", {}, True),
    ("زلزال OR بركان", {}, True),
    ("محطة NOT مسافر", {}, True),
    ("+قطار -مسافر", {}, True),
    ("مسافر", {}, True),
    ('"محطة القطار"', {}, True),
    ('"وزير الخارجية"', {}, False),
    ('"زلزال بركان"~3', {}, True),
    ("قطار NEAR/3 محطة", {}, True),
    ("زلزال ONEAR/5 بركان", {}, True),
    ("title:زلزال", {}, True),
    ("title:قطار", {}, True),
    ("date:2031", {}, True),
    ("date:[2033-01-01 TO 2033-12-31]", {}, True),
    ("date:<=2024-12-31", {}, False),
    ("قطا*", {}, True),
    ("زلز*", {}, True),
    ("زلزل~", {}, True),
    ("بلينكن~", {}, False),
    ("متى يصل القطار إلى المحطة؟", {"mode": "any"}, True),
    ("هل وقع زلزال قرب البركان؟", {"mode": "any"}, True),
    ("قطار", {"sort": "date"}, True),
    ("زلزال", {"sort": "-date"}, True),
    ("قطار", {"since": "2031-01-01"}, True),
    ("زلزال", {"until": "2032-12-31"}, False),
    ("زلزال", {"since": "2033-01-01", "until": "2033-12-31"}, True),
    ("محطة", {"source": "rail"}, True),
    ("وزير", {"source": "alwatan"}, False),
    ("قطار", {"exact": True}, True),
]

#: Run in another process: filler commits until a third of the time has passed, the train
#: articles' commit, fillers until two thirds, the earthquake deletions, fillers to the end.
#: Prints one JSON line per commit: what it did and how many segments the index has.
UPDATER = r"""
import json, sys, time
from indexer import Corpus

plan = json.loads(open(sys.argv[1], encoding="utf-8").read())
corpus = Corpus(plan["index"])
started = time.monotonic()
fillers = []  # numbers of the filler articles in the index, oldest first
made = 0

def log(kind, report):
    with corpus.open_index().reader() as reader:
        segments = len(reader.leaf_readers())
    print(json.dumps({"kind": kind, "segments": segments}), flush=True)

def filler(number, version):
    return {"id": f"f-{number}", "title": f"filler {number}", "body": f"lorem ipsum {number} version {version}"}

def fillers_until(moment):
    global made
    step = 0
    while time.monotonic() - started < moment * plan["seconds"]:
        step += 1
        if step % 4 == 0 and len(fillers) >= 2:
            log("replace", corpus.add([filler(n, step) for n in fillers[-2:]], wait=30))
        elif step % 5 == 0 and len(fillers) >= 6:
            log("delete", corpus.delete([f"f-{fillers.pop(0)}"], wait=30))
        else:
            new = list(range(made, made + plan["fillers_per_commit"]))
            made += len(new)
            fillers.extend(new)
            log("add", corpus.add([filler(n, 0) for n in new], wait=30))

fillers_until(1 / 3)
log("trains", corpus.add(plan["trains"], wait=30))
fillers_until(2 / 3)
log("quakes", corpus.delete(plan["quakes"], wait=30))
fillers_until(1)
"""
WRITING = {"add", "replace", "trains"}  # commits that write articles: each adds a segment


def merges(commits: list[dict], segments: int) -> int:
    """How many ``commits`` merged segments, starting from ``segments``: a commit that
    writes articles adds one segment, so any fewer means it merged some."""
    count = 0
    for commit in commits:
        count += commit["segments"] < segments + (commit["kind"] in WRITING)
        segments = commit["segments"]
    return count


def totals(index: Path) -> list[int]:
    """Each query's total, from a fresh ``Corpus`` in this thread alone."""
    with Corpus(index) as corpus:
        return [corpus.search(text, **options).total for text, options, _ in QUERIES]


def test_shared_corpus_under_threads_while_another_process_updates(tmp_path: Path, fast_switching: None) -> None:
    index = tmp_path / "index"
    generated = tmp_path / "generated.jsonl"
    generated.write_text(
        "".join(json.dumps(a, ensure_ascii=False) + "\n" for a in KEPT + TO_REPLACE + TO_DELETE), encoding="utf-8"
    )
    with Corpus(index) as corpus:
        corpus.index([BUNDLED, generated])
        with corpus.open_index().reader() as reader:
            segments = len(reader.leaf_readers())
    before = totals(index)

    plan = tmp_path / "plan.json"
    plan.write_text(
        json.dumps(
            {
                "index": str(index),
                "seconds": STRESS_SECONDS,
                "fillers_per_commit": FILLERS_PER_COMMIT,
                "trains": ADDED + REPLACED,
                "quakes": [a["id"] for a in TO_DELETE],
            },
            ensure_ascii=False,
        ),
        encoding="utf-8",
    )
    shared = Corpus(index)
    stop = threading.Event()
    errors: list[BaseException] = []
    seen: list[set[int]] = [set() for _ in QUERIES]
    counts = [0] * THREADS
    lock = threading.Lock()

    def search(number: int) -> None:
        found: list[set[int]] = [set() for _ in QUERIES]
        i = number
        try:
            while not stop.is_set():
                q = i % len(QUERIES)
                text, options, _ = QUERIES[q]
                results = shared.search(text, **options)
                found[q].add(results.total)
                ids = [hit.id for hit in results]
                assert len(set(ids)) == len(ids), (text, ids)
                counts[number] += 1
                i += 1
        except BaseException as error:  # noqa: BLE001 - every error fails the test
            errors.append(error)
        with lock:
            for q, totals_seen in enumerate(found):
                seen[q] |= totals_seen

    threads = [threading.Thread(target=search, args=(n,)) for n in range(THREADS)]
    started = time.monotonic()
    for thread in threads:
        thread.start()
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(filter(None, [str(REPO), os.environ.get("PYTHONPATH")]))}
    try:
        updater = subprocess.run(
            [sys.executable, "-c", UPDATER, str(plan)],
            capture_output=True, text=True, env=env, timeout=STRESS_SECONDS + 300,
        )
    finally:
        stop.set()
        for thread in threads:
            thread.join()
        shared.close()
    seconds = time.monotonic() - started
    assert updater.returncode == 0, updater.stderr
    after = totals(index)

    commits = [json.loads(line) for line in updater.stdout.splitlines()]
    merged = merges(commits, segments)
    kinds = {kind: sum(c["kind"] == kind for c in commits) for kind in ("add", "replace", "delete")}
    print(
        f"\n{THREADS} threads, {sum(counts):,} queries in {seconds:.1f} s; {len(commits)} commits"
        f" (fillers: {kinds['add']} add, {kinds['replace']} replace, {kinds['delete']} delete),"
        f" {merged} of them merged segments; {min(c['segments'] for c in commits)} to"
        f" {max(c['segments'] for c in commits)} segments"
    )
    assert not errors, errors[:3]
    assert merged > 0, commits
    for (text, options, changes), old, new in zip(QUERIES, before, after):
        assert (old != new) == changes, (text, options, old, new)
    for (text, options, _), old, new, totals_seen in zip(QUERIES, before, after, seen):
        assert totals_seen <= {old, new}, (text, options, old, new, totals_seen)
    # The threads saw the index both before and after the changes, not only one of them.
    changed = [q for q, (_, _, changes) in enumerate(QUERIES) if changes]
    assert any(before[q] in seen[q] for q in changed) and any(after[q] in seen[q] for q in changed)
