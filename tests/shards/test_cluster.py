"""Shards on a real Dask cluster: worker processes on 127.0.0.1 (LocalCluster), one
actor per shard. Answers equal those of one process; a worker killed mid-load costs no
answer its actors were giving (they are recreated on a live worker and the query made
again); a shard that cannot answer is named, or left out when partial results are asked."""

from __future__ import annotations

import os
import shutil
import signal
import threading
import time
from pathlib import Path

import pytest

from indexer import Corpus
from indexer.shards.layout import Manifest
from indexer.shards.transport import ShardUnavailableError
from tests.query.test_execute import generate
from tests.shards.conftest import cluster
from tests.shards.test_equivalence import write_jsonl
from tests.shards.test_writing import run

distributed = pytest.importorskip("distributed")

QUERIES = [
    ("وزير الخارجية", {}),
    ('"وزير الخارجية" OR النفط', {"sort": "-date"}),
    ("بلينكن NEAR/3 لافروف", {"sort": "date"}),
    ("الاجتما*", {"limit": 5, "offset": 2}),
    ("بلنكن~2", {}),
    ("وزير", {"source": "okaz", "since": "2015-07-15"}),
]


def answers(corpus: Corpus) -> list[tuple]:
    out = []
    for text, options in QUERIES:
        results = corpus.search(text, **options)
        out.append((results.total, [(h.id, round(h.score, 9), h.snippet, h.highlights) for h in results]))
    return out


@pytest.fixture(scope="module")
def sharded(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("cluster")
    index = root / "index"
    Corpus(index).index([write_jsonl(generate(160, seed=7), root / "generated.jsonl")], shards=3)
    return index


@pytest.fixture(scope="module")
def expected(sharded: Path) -> list[tuple]:
    with Corpus(sharded) as corpus:
        return answers(corpus)


def test_a_cluster_answers_as_one_process(sharded: Path, expected: list[tuple], shared_cluster) -> None:  # type: ignore[no-untyped-def]
    with Corpus(sharded) as local, Corpus(sharded, cluster=shared_cluster.scheduler_address) as remote:
        assert answers(remote) == expected
        assert remote.stats().to_dict() | {"last_update": None} == local.stats().to_dict() | {"last_update": None}
        assert remote.explain("بلنكن~2 OR السعوديةة") == local.explain("بلنكن~2 OR السعوديةة")
        first = local.search("وزير", limit=1).hits[0].id
        like, remote_like = local.similar(first), remote.similar(first)
        assert (remote_like.query, [h.id for h in remote_like]) == (like.query, [h.id for h in like])
        workers = {actor._address for actor in remote._sharded.transport._actors}
        assert workers <= set(shared_cluster.scheduler_info["workers"])


def test_corpus_index_on_a_cluster_builds_the_shards_as_tasks(tmp_path: Path, expected: list[tuple], shared_cluster) -> None:  # type: ignore[no-untyped-def]
    source = write_jsonl(generate(160, seed=7), tmp_path / "generated.jsonl")
    index = tmp_path / "index"
    with distributed.Client(shared_cluster) as client, distributed.get_task_stream(client) as stream:
        code, summary, _ = run("index", "--index", str(index), "--shards", "3", "--cluster", shared_cluster.scheduler_address, "--json", str(source))
    assert code == 0 and (summary["added"], summary["total_documents"]) == (160, 160)
    assert sum(1 for task in stream.data if task["key"].startswith("corpus-write-")) == 3
    with Corpus(index) as corpus:
        assert answers(corpus) == expected
    code, summary, _ = run("index", "--index", str(index), "--cluster", shared_cluster.scheduler_address, "--json", str(source))
    assert (code, summary["unchanged"]) == (0, 160)


def test_an_unreachable_scheduler_is_a_usage_error(sharded: Path) -> None:
    articles = Path(__file__).resolve().parents[2] / "corpus"
    code, _, error = run("index", "--index", str(sharded), "--cluster", "tcp://127.0.0.1:9", "--json", str(articles))
    assert code == 2 and "cannot reach the Dask scheduler at tcp://127.0.0.1:9" in error


def test_a_worker_killed_mid_load_costs_no_answer(sharded: Path, expected: list[tuple]) -> None:
    with cluster(3) as running, distributed.Client(running) as client, Corpus(sharded, cluster=client) as corpus:
        assert answers(corpus) == expected  # actors placed
        holders = {actor._address for actor in corpus._sharded.transport._actors}
        pids = client.run(os.getpid)
        outcomes: list[object] = []
        stop = threading.Event()

        def load() -> None:
            while not stop.is_set():
                try:
                    outcomes.append(answers(corpus) == expected)
                except ShardUnavailableError as error:
                    outcomes.append(error)

        thread = threading.Thread(target=load)
        thread.start()
        time.sleep(1.0)
        os.kill(pids[sorted(holders)[0]], signal.SIGKILL)
        time.sleep(4.0)
        stop.set()
        thread.join(timeout=300)
        assert not thread.is_alive()
        wrong = [o for o in outcomes if o is False]
        errors = [o for o in outcomes if isinstance(o, Exception)]
        assert not wrong, "every answer complete and correct, or an error"
        assert all("shard-" in str(e) for e in errors)
        assert outcomes.count(True) >= 2 and answers(corpus) == expected  # and answering again after
        assert sorted(holders)[0] not in {actor._address for actor in corpus._sharded.transport._actors}


@pytest.mark.parametrize("on_cluster", [False, True], ids=["in-process", "on-cluster"])
def test_a_shard_that_cannot_answer_is_named_or_left_out_when_partial(tmp_path: Path, sharded: Path, shared_cluster, on_cluster: bool) -> None:  # type: ignore[no-untyped-def]
    index = tmp_path / "index"
    shutil.copytree(sharded, index, symlinks=True)
    whole = Corpus(index).search("وزير", limit=200)
    shard = (index / "current" / "shard-001")
    lost = {h.id for h in whole} & _ids(shard)
    shutil.rmtree((shard / "current").resolve())  # the shard's files are gone
    (shard / "current").unlink()
    with Corpus(index, cluster=shared_cluster.scheduler_address if on_cluster else None) as corpus:
        with pytest.raises(ShardUnavailableError, match=r"shard shard-001 \(.*shard-001\) cannot answer: no index at"):
            corpus.search("وزير")
        partial = corpus.search("وزير", limit=200, partial=True)
    assert partial.missing_shards == ["shard-001"] and partial.to_dict()["missing_shards"] == ["shard-001"]
    assert lost and {h.id for h in partial} == {h.id for h in whole} - lost
    assert partial.total == whole.total - len(lost)


def _ids(shard: Path) -> set[str]:
    with Corpus(shard).open_index().searcher() as searcher:
        return {fields["id"] for fields in searcher.all_stored_fields()}


@pytest.mark.parametrize("on_cluster", [False, True], ids=["in-process", "on-cluster"])
def test_threads_searching_one_corpus_at_once_get_every_answer_right(sharded: Path, expected: list[tuple], shared_cluster, on_cluster: bool) -> None:  # type: ignore[no-untyped-def]
    # as a threaded server does: one Corpus, a request per thread
    with Corpus(sharded, cluster=shared_cluster.scheduler_address if on_cluster else None) as corpus:
        outcomes: list[bool] = []
        threads = [threading.Thread(target=lambda: outcomes.extend(answers(corpus) == expected for _ in range(3))) for _ in range(4)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        assert outcomes == [True] * 12


def test_one_unsharded_index_is_served_by_one_actor(tmp_path: Path, expected: list[tuple], shared_cluster) -> None:  # type: ignore[no-untyped-def]
    index = tmp_path / "index"
    Corpus(index).index([write_jsonl(generate(160, seed=7), tmp_path / "generated.jsonl")])
    with Corpus(index, cluster=shared_cluster.scheduler_address) as corpus:
        assert answers(corpus) == expected
        assert len(corpus._sharded.transport._actors) == 1


def test_the_manifest_places_a_shard_on_the_workers_holding_it(tmp_path: Path, sharded: Path, expected: list[tuple], shared_cluster) -> None:  # type: ignore[no-untyped-def]
    index = tmp_path / "index"
    shutil.copytree(sharded, index, symlinks=True)
    generation = (index / "current").resolve()
    manifest = Manifest.read(generation)
    chosen = sorted(shared_cluster.scheduler_info["workers"])[-1]
    Manifest(manifest.names, {name: (chosen,) for name in manifest.names}).write(generation)
    with Corpus(index, cluster=shared_cluster.scheduler_address) as corpus:
        assert answers(corpus) == expected
        assert {actor._address for actor in corpus._sharded.transport._actors} == {chosen}


def test_corpus_serve_on_a_cluster_answers_as_one_process(sharded: Path, shared_cluster) -> None:  # type: ignore[no-untyped-def]
    from tests.server.live import LiveServer

    live = LiveServer(sharded, extra=("--cluster", shared_cluster.scheduler_address))
    try:
        with Corpus(sharded) as local:
            for text, options in QUERIES:
                served = live.client.get("/api/search", params={"q": text, "facets": "source,month", **options})
                assert served.status_code == 200, served.text
                expected = local.search(text, facets=["source", "month"], **options).to_dict()  # type: ignore[arg-type]
                assert served.json() | {"took_ms": 0} == expected | {"took_ms": 0}, text
            article_id = local.search("وزير").hits[0].id
            assert live.client.get(f"/api/articles/{article_id}", params={"q": "وزير"}).json() == local.article(article_id, "وزير").to_dict()
        with distributed.Client(shared_cluster.scheduler_address) as client:
            assert any(str(key).startswith("corpus-shard-") for keys in client.has_what().values() for key in keys), "the server's actors live on the cluster"
    finally:
        live.stop()


def test_the_views_and_dedupe_on_a_cluster_answer_as_one_index(tmp_path: Path, shared_cluster) -> None:  # type: ignore[no-untyped-def]
    # Each shard counts in an actor, on worker processes whose Python string hashes
    # differ: copies of a body in different shards must still be found alike.
    from tests.shards.test_copies import with_copies

    source = write_jsonl(with_copies(generate(120, seed=9)), tmp_path / "copies.jsonl")
    one, index = Corpus(tmp_path / "one"), tmp_path / "sharded"
    one.index([source])
    Corpus(index).index([source], shards=3)
    calls = [
        ("search", ("وزير OR النفط",), {"dedupe": True, "limit": 100}),
        ("kwic", ("وزير",), {"sort": "left", "limit": 20, "dedupe": True}),
        ("trend", (["وزير", "النفط"],), {"by": "week", "split_source": True, "dedupe": True}),
        ("collocates", ("وزير",), {"min_freq": 2, "measure": "t"}),
        ("freq", ("النفط",), {"sort": "keyness", "dedupe": True}),
    ]
    with one, Corpus(index, cluster=shared_cluster.scheduler_address) as remote:
        for method, args, options in calls:
            expected_answer = getattr(one, method)(*args, **options).to_dict()
            got = getattr(remote, method)(*args, **options).to_dict()
            expected_answer.pop("took_ms", None)
            got.pop("took_ms", None)
            assert got == expected_answer, method
        assert remote.search("وزير OR النفط", dedupe=True).total < remote.search("وزير OR النفط").total


def test_a_build_on_a_cluster_reports_its_progress_as_one_run(tmp_path: Path, shared_cluster) -> None:  # type: ignore[no-untyped-def]
    from tests.test_cli_daily import Recorder

    source = write_jsonl(generate(90, seed=4), tmp_path / "articles.jsonl")
    recorder = Recorder()
    with Corpus(tmp_path / "index", cluster=shared_cluster.scheduler_address) as corpus:
        report = corpus.index([source], shards=3, progress=recorder)
    assert report.added == 90
    assert recorder.total == recorder.bytes == source.stat().st_size
    assert recorder.articles == 90
    assert recorder.commits[-1] == (90, 90, 0, 0)
    assert recorder.phases[-1] is None and any(p and p.startswith("shard ") for p in recorder.phases)
