"""A nightly run meeting one source file it may not read, of several named on the command
line (`corpus index /srv/feeds/*.jsonl`): the file is a reported skip, the others are
indexed, `--strict` exits 4 and `--prune` deletes nothing."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from indexer import Corpus
from tests.privileges import READ_ANYTHING, without

REPO = Path(__file__).resolve().parents[2]
EXIT_SKIPPED = 4


def test_one_unreadable_source_file_of_several_is_skipped_and_counted(tmp_path: Path) -> None:
    feeds = {
        "okaz": '{"id": "okaz-1", "title": "وزير الخارجية يزور الرياض"}\n',
        "sabq": '{"id": "sabq-1", "title": "أمطار غزيرة في جدة"}\n',
        "alwatan": '{"id": "alwatan-1", "title": "وزير المالية يعلن الميزانية"}\n',
    }
    paths = []
    for name, line in feeds.items():
        (tmp_path / f"{name}.jsonl").write_text(line, encoding="utf-8")
        paths.append(str(tmp_path / f"{name}.jsonl"))
    index = tmp_path / "index"
    assert Corpus(index).index(paths).total_documents == 3
    locked = tmp_path / "sabq.jsonl"
    command = [*without(READ_ANYTHING, "an unreadable file"), sys.executable, "-c", "from indexer.cli import main; main()",
               "index", "--index", str(index), "--json", "--prune", *paths]
    env = dict(os.environ, PYTHONPATH=str(REPO))
    (tmp_path / "okaz.jsonl").write_text(feeds["okaz"] + '{"id": "okaz-2", "title": "وزير الداخلية"}\n', encoding="utf-8")
    locked.chmod(0)
    try:
        run = subprocess.run(command, capture_output=True, text=True, env=env, timeout=120)
        strict = subprocess.run([*command, "--strict"], capture_output=True, text=True, env=env, timeout=120)
    finally:
        locked.chmod(0o644)
    assert run.returncode == 0, run.stderr
    summary = json.loads(run.stdout)
    assert (summary["added"], summary["unchanged"], summary["skipped_count"]) == (1, 2, 1)
    assert summary["skipped"] == [{"origin": str(locked), "reason": "cannot read file: Permission denied"}]
    assert summary["deleted"] == 0 and not summary["pruned"]  # its article is kept, not pruned
    assert strict.returncode == EXIT_SKIPPED, strict.stderr
    assert sorted(hit.id for hit in Corpus(index).search("وزير")) == ["alwatan-1", "okaz-1", "okaz-2"]
    assert Corpus(index).stats().documents == 4
