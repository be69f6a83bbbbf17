"""The library inside someone else's app: a plain threaded web app (the standard
library's ``ThreadingHTTPServer``, a thread per request) that shares one ``Corpus``,
searched by many clients at once while another process keeps committing to the index,
then shut down with requests still coming in."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import threading
import urllib.error
import urllib.parse
import urllib.request
from collections import Counter
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

from indexer import Corpus, CorpusError

REPO = Path(__file__).resolve().parents[1]
QUERIES = ["وزير", '"وزير الخارجية"', "النفط OR الغاز", "وزي*", "بلينكن~", "قال", "بيان"]

WRITER = r"""
import sys, time
from indexer import Corpus
corpus = Corpus(sys.argv[1])
for n in range(int(sys.argv[2])):
    corpus.add([{"id": f"w-{n}", "title": "بيان", "body": f"قال وزير الخارجية في بيان رقم {n}"}], wait=30)
    time.sleep(0.1)
"""


def make_app(corpus: Corpus) -> ThreadingHTTPServer:
    """What an app developer writes: one Corpus, a handler that searches it and answers
    JSON, a CorpusError as a 4xx with its message."""

    class Search(BaseHTTPRequestHandler):
        def do_GET(self) -> None:  # noqa: N802 - the http.server name
            query = urllib.parse.parse_qs(urllib.parse.urlsplit(self.path).query).get("q", [""])[0]
            try:
                status, body = 200, corpus.search(query, limit=5, facets=["source"]).to_dict()
            except CorpusError as error:
                status, body = 400, {"error": str(error)}
            except Exception as error:  # noqa: BLE001 - what the test looks for
                status, body = 500, {"error": f"{type(error).__name__}: {error}"}
            data = json.dumps(body, ensure_ascii=False).encode("utf-8")
            self.send_response(status)
            self.send_header("Content-Type", "application/json; charset=utf-8")
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

        def log_message(self, *args: object) -> None:
            pass

    return ThreadingHTTPServer(("127.0.0.1", 0), Search)


def test_a_threaded_app_serves_searches_while_the_index_changes_and_shuts_down_cleanly(tmp_path: Path) -> None:
    index = tmp_path / "index"
    with Corpus(index) as writer:
        writer.index([REPO / "corpus"])
    corpus = Corpus(index)
    app = make_app(corpus)
    serving = threading.Thread(target=app.serve_forever, daemon=True)
    serving.start()
    url = f"http://127.0.0.1:{app.server_address[1]}/search?q="
    answers: Counter[str] = Counter()
    totals: dict[str, set[int]] = {}
    closed = threading.Event()
    lock = threading.Lock()

    def client(number: int) -> None:
        n, after_close = number, 0
        while after_close < 2:  # two requests after the close too
            after_close += closed.is_set()
            query = QUERIES[n % len(QUERIES)]
            try:
                with urllib.request.urlopen(url + urllib.parse.quote(query), timeout=60) as response:
                    body = json.loads(response.read())
                    with lock:
                        answers["200"] += 1
                        totals.setdefault(query, set()).add(body["total"])
            except urllib.error.HTTPError as error:
                body = json.loads(error.read())
                with lock:
                    answers[f"{error.code} {body['error']}"] += 1
            n += 1

    clients = [threading.Thread(target=client, args=(n,)) for n in range(8)]
    for thread in clients:
        thread.start()
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    writer_run = subprocess.run([sys.executable, "-c", WRITER, str(index), "10"], capture_output=True, text=True, env=env, timeout=300)
    corpus.close()  # the app shuts down: requests in flight finish, later ones are refused
    closed.set()
    for thread in clients:
        thread.join(60)
    app.shutdown()
    app.server_close()
    assert writer_run.returncode == 0, writer_run.stderr
    assert not any(thread.is_alive() for thread in clients)
    assert answers["200"] > 50, answers
    assert [a for a in answers if a.startswith("500")] == [], answers
    refused = [a for a in answers if a != "200"]
    assert refused and all(a.startswith("400 this Corpus of ") and a.endswith(" is closed: make a new Corpus to use the index again") for a in refused), answers
    assert len(totals["بيان"]) > 1  # the searches saw the index change under them
