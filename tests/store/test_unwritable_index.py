"""An index directory the writing user may not write: one line naming the index and the
path refused, searches unaffected, and the run after the permission is given finishes."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from indexer import Corpus
from tests.privileges import WRITE_ANYTHING, without

REPO = Path(__file__).resolve().parents[2]


def test_a_read_only_generation_is_named_in_one_line_and_searches_go_on(tmp_path: Path) -> None:
    feed = tmp_path / "feed.jsonl"
    feed.write_text('{"id": "1", "title": "وزير الخارجية يزور الرياض"}\n', encoding="utf-8")
    index = tmp_path / "index"
    Corpus(index).index([feed])
    with feed.open("a", encoding="utf-8") as more:
        more.write('{"id": "2", "title": "وزير المالية في جدة"}\n')
    generation = (index / "current").resolve()
    command = [*without(WRITE_ANYTHING, "a read-only directory"), sys.executable, "-c", "from indexer.cli import main; main()",
               "index", "--index", str(index), "--json", str(feed)]
    env = dict(os.environ, PYTHONPATH=str(REPO))
    generation.chmod(0o555)
    try:
        run = subprocess.run(command, capture_output=True, text=True, env=env, timeout=120)
    finally:
        generation.chmod(0o755)
    assert run.returncode == 1 and "Traceback" not in run.stderr, run.stderr
    (line,) = run.stderr.strip().splitlines()
    assert line.startswith(f"Error: cannot write the index at {index}: permission denied ({generation}/"), line
    assert "it keeps its last commit (1 document): give this user write access" in line
    assert [hit.id for hit in Corpus(index).search("وزير")] == ["1"]
    rerun = subprocess.run(command, capture_output=True, text=True, env=env, timeout=120)
    assert rerun.returncode == 0, rerun.stderr
    assert (json.loads(rerun.stdout)["added"], json.loads(rerun.stdout)["unchanged"]) == (1, 1)
