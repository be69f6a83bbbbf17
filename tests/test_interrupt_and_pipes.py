"""Ctrl-C during a long ``corpus query``/``kwic``, and output piped into ``head``, as a user
meets them: a real process, a real SIGINT, a real pipe whose reader has left. One line
(``Interrupted.``, exit 130 as the README's exit codes say), and nothing at all for a
reader that left (a broken pipe is the reader's choice, not an error)."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
from pathlib import Path

import pytest

from indexer import Corpus

REPO = Path(__file__).resolve().parents[1]
COPIES = 30


@pytest.fixture(scope="module")
def big_index(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The bundled articles 30 times over (1,170 articles): a concordance of في runs to
    megabytes, far more than a pipe holds."""
    articles = [json.loads(line) for line in (REPO / "corpus" / "articles.jsonl").read_text(encoding="utf-8").splitlines() if line.strip()]
    path = tmp_path_factory.mktemp("big") / "index"
    with Corpus(path) as corpus:
        corpus.add([{**article, "id": f"{article['id']}-{copy}"} for copy in range(COPIES) for article in articles])
    return path


def corpus_process(*args: str, **popen) -> subprocess.Popen:  # type: ignore[no-untyped-def]
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    env.pop("CORPUS_DEBUG", None)
    return subprocess.Popen([sys.executable, "-m", "indexer", *args], cwd=REPO, env=env, stderr=subprocess.PIPE, **popen)


@pytest.mark.parametrize("command", [["kwic", "في", "--limit", "100000"], ["query", "في", "--limit", "100000"]])
def test_ctrl_c_during_a_long_command_is_one_line_and_exit_130(big_index: Path, command: list[str]) -> None:
    # Its output fills the pipe, which is read only once the interrupt is sent: the command
    # is certainly still running (computing or blocked writing) when Ctrl-C comes.
    process = corpus_process(*command, "--index", str(big_index), stdout=subprocess.PIPE)
    assert process.stdout is not None and process.stdout.readline()  # it has started to answer
    process.send_signal(signal.SIGINT)
    process.stdout.read()
    error = process.stderr.read().decode()
    assert process.wait(timeout=60) == 130
    assert error == "Interrupted.\n"


def test_ctrl_c_while_the_command_is_still_importing_is_one_line_and_exit_130(tmp_path: Path) -> None:
    # Python names each module it has imported on stderr (PYTHONPROFILEIMPORTTIME): Ctrl-C
    # comes right after the analyzer's tables, long before the command itself is imported.
    env = {**os.environ, "PYTHONPATH": str(REPO), "PYTHONPROFILEIMPORTTIME": "1"}
    env.pop("CORPUS_DEBUG", None)
    process = subprocess.Popen(
        [sys.executable, "-m", "indexer", "query", "--index", str(tmp_path / "index"), "وزير"],
        cwd=REPO, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
    )
    assert process.stderr is not None
    lines = iter(process.stderr.readline, b"")
    for line in lines:
        if line.rstrip().endswith(b"indexer.analysis.tables"):
            process.send_signal(signal.SIGINT)
            break
    rest = b"".join(lines).decode()
    assert process.wait(timeout=60) == 130
    assert "Traceback" not in rest and "KeyboardInterrupt" not in rest
    assert [line for line in rest.splitlines() if not line.startswith("import time:")] == ["Interrupted."]


@pytest.mark.parametrize(
    "command",
    [
        ["query", "في"], ["query", "في", "--jsonl"], ["kwic", "في"], ["kwic", "في", "--csv"],
        ["trend", "في", "--by", "day"], ["freq"], ["analyze", "وزير الخارجية في الرياض"],
        ["--help"], ["--version"],
    ],
)
def test_output_into_a_pipe_whose_reader_left_stops_silently(big_index: Path, command: list[str]) -> None:
    reading, writing = os.pipe()
    os.close(reading)  # `| head` that has already read its lines and gone
    index = [] if command[0] == "analyze" or command[0].startswith("-") else ["--index", str(big_index)]
    process = corpus_process(*command, *index, stdout=writing)
    os.close(writing)
    error = process.stderr.read().decode()
    assert process.wait(timeout=60) == 0
    assert error == ""


def test_piped_into_head_prints_the_first_lines_and_no_error(big_index: Path) -> None:
    command = f"{sys.executable} -m indexer kwic في --limit 100000 --index '{big_index}' | head -n 2"
    result = subprocess.run(["sh", "-c", command], cwd=REPO, env={**os.environ, "PYTHONPATH": str(REPO)}, capture_output=True, text=True, timeout=120)
    assert len(result.stdout.splitlines()) == 2
    assert "Error" not in result.stderr and "Traceback" not in result.stderr and "Broken" not in result.stderr, result.stderr
