"""`corpus index --json` prints one JSON object on stdout whatever ends the run, so that a
cron wrapper that parses the summary always has one: what the run committed, what the
index holds, and ``error`` naming what stopped it (null when it was done). The exit codes
stay the README's. On the bundled Arabic corpus, through click's runner."""

from __future__ import annotations

import errno
from pathlib import Path

import orjson
import pytest
from click.testing import CliRunner

from indexer import Corpus
from indexer.cli import main
from indexer.progress import ProgressBar
from indexer.store import WriteLock, sync

REPO = Path(__file__).resolve().parents[1]
CORPUS_DIR = REPO / "corpus"
#: The keys of every summary, done or not (README, "The JSON summary").
KEYS = {
    "added", "updated", "unchanged", "deleted", "skipped", "skipped_count", "notices", "notices_count",
    "total_documents", "seconds", "rebuilt", "pruned", "not_found", "error",
}


def run_index(*args: str) -> tuple[int, dict | None, str]:
    result = CliRunner().invoke(main, ["index", *args])
    summary = orjson.loads(result.stdout_bytes) if result.stdout_bytes.strip() else None
    if summary is not None:
        assert len(result.stdout_bytes.strip().splitlines()) == 1, result.stdout  # one object
    return result.exit_code, summary, result.stderr


@pytest.fixture()
def index(tmp_path: Path) -> str:
    """The bundled corpus indexed: 39 documents."""
    path = str(tmp_path / "index")
    code, summary, _ = run_index("--json", "--index", path, str(CORPUS_DIR))
    assert code == 0 and summary is not None and summary["total_documents"] == 39
    return path


def test_a_finished_run_has_every_key_and_a_null_error(index: str) -> None:
    code, summary, _ = run_index("--json", "--index", index, str(CORPUS_DIR))
    assert code == 0 and summary is not None
    assert set(summary) == KEYS and summary["error"] is None
    assert (summary["unchanged"], summary["total_documents"]) == (39, 39)


def test_a_busy_index_still_prints_a_summary_naming_it(index: str) -> None:
    with WriteLock(Path(index)):
        code, summary, stderr = run_index("--json", "--index", index, str(CORPUS_DIR))
    assert code == 3 and summary is not None, stderr
    assert set(summary) == KEYS
    assert summary["error"]["kind"] == "busy" and summary["error"]["exit_code"] == 3
    assert "is busy" in summary["error"]["message"] and summary["error"]["signal"] is None
    assert (summary["added"], summary["total_documents"]) == (0, 39)
    assert stderr.startswith("Error: the index at") and "busy" in stderr  # the line people read stays


@pytest.mark.parametrize(
    "args",
    [("--wait", "-1"), ("--shards", "0"), ("--limit", "file=lots"), ("--field", "body"), ("--no-such-option",)],
    ids=["click's range", "click's range (shards)", "a limit", "a field mapping", "an unknown option"],
)
def test_a_bad_option_value_still_prints_a_summary(tmp_path: Path, args: tuple[str, ...]) -> None:
    code, summary, stderr = run_index("--json", "--index", str(tmp_path / "index"), *args, str(CORPUS_DIR))
    assert code == 2, stderr
    assert summary is not None and set(summary) == KEYS
    assert summary["error"]["kind"] == "usage" and summary["error"]["exit_code"] == 2
    assert summary["added"] == 0
    assert "Traceback" not in stderr and stderr.strip()


def test_a_missing_source_still_prints_a_summary(tmp_path: Path) -> None:
    code, summary, _ = run_index("--json", "--index", str(tmp_path / "index"), str(tmp_path / "غائب.jsonl"))
    assert code == 2 and summary is not None
    assert summary["error"]["kind"] == "usage" and "غائب.jsonl" in summary["error"]["message"]
    assert summary["total_documents"] is None  # no index there to count


def test_without_json_a_failed_run_prints_nothing_on_stdout(index: str) -> None:
    with WriteLock(Path(index)):
        code, summary, _ = run_index("--index", index, str(CORPUS_DIR))
    assert code == 3 and summary is None


def stop_at_article_25(monkeypatch: pytest.MonkeyPatch, error: BaseException) -> None:
    monkeypatch.setattr(sync, "BATCH_SIZE", 10)
    read = ProgressBar.read

    def failing(self: ProgressBar, articles: int = 0, nbytes: int = 0) -> None:
        read(self, articles, nbytes)
        if articles and self.articles == 25:
            raise error

    monkeypatch.setattr(ProgressBar, "read", failing)


def test_an_interrupted_run_says_what_it_committed(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    stop_at_article_25(monkeypatch, KeyboardInterrupt())
    code, summary, stderr = run_index("--json", "--index", str(tmp_path / "index"), str(CORPUS_DIR))
    assert code == 130 and summary is not None, stderr
    assert summary["error"] == {"kind": "signal", "message": "interrupted by SIGINT", "exit_code": 130, "signal": "SIGINT"}
    assert (summary["added"], summary["total_documents"]) == (20, 20) == (20, Corpus(tmp_path / "index").stats().documents)
    assert summary["unchanged"] is None and summary["skipped_count"] is None  # not known: reading did not finish


def test_a_run_failing_after_commits_says_what_they_kept(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    stop_at_article_25(monkeypatch, OSError(errno.EIO, "Input/output error"))
    code, summary, stderr = run_index("--json", "--index", str(tmp_path / "index"), str(CORPUS_DIR))
    assert code == 1 and summary is not None, stderr
    assert summary["error"]["kind"] == "failed" and "Input/output error" in summary["error"]["message"]
    assert (summary["added"], summary["total_documents"]) == (20, 20)
    assert stderr.strip().splitlines() == ["Error: [Errno 5] Input/output error"]
