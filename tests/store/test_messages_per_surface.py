"""Messages of a write that a library caller meets name the call, not the command: a notice
of ``prune`` says ``prune=True`` (the CLI: ``--prune``), and a refused write says to make
the same call again (the CLI: run the same command again; the server: send the request again)."""

from __future__ import annotations

import errno
import json
from pathlib import Path

from click.testing import CliRunner

from indexer import Corpus
from indexer.cli import main
from indexer.errors import Surface
from indexer.store.refusals import refused_write

ARTICLE = {"id": "okaz-1", "title": "وزير الخارجية يزور الرياض", "body": "وصل وزير الخارجية إلى الرياض اليوم."}
NOT_PRUNED = "not pruned: a source file could not be read, so its articles would be lost"


def feeds_with_a_link_outside(tmp_path: Path) -> Path:
    """A SOURCE directory with one feed and a link to a feed outside it (a whole file skipped)."""
    source, outside = tmp_path / "feeds", tmp_path / "elsewhere"
    source.mkdir()
    outside.mkdir()
    (source / "okaz.jsonl").write_text(json.dumps(ARTICLE, ensure_ascii=False) + "\n", encoding="utf-8")
    (outside / "sabq.jsonl").write_text(json.dumps({**ARTICLE, "id": "sabq-1"}, ensure_ascii=False) + "\n", encoding="utf-8")
    (source / "sabq.jsonl").symlink_to(outside / "sabq.jsonl")
    return source


def test_a_prune_held_back_is_a_notice_of_prune_true_in_the_library(tmp_path: Path) -> None:
    source = feeds_with_a_link_outside(tmp_path)
    with Corpus(tmp_path / "index") as corpus:
        corpus.add([{**ARTICLE, "id": "old-1"}])
        report = corpus.index([source], prune=True)
        assert [(p.origin, p.reason) for p in report.notices] == [("prune=True", NOT_PRUNED)]
        assert report.deleted == 0 and corpus.article("old-1") is not None


def test_a_prune_held_back_is_a_notice_of_the_option_on_the_command_line(tmp_path: Path) -> None:
    source = feeds_with_a_link_outside(tmp_path)
    result = CliRunner().invoke(main, ["index", "--index", str(tmp_path / "index"), "--prune", str(source)])
    assert result.exit_code == 0, result.output
    assert f"  --prune: {NOT_PRUNED}" in result.stderr.splitlines()


def test_a_refused_write_says_what_to_call_again_on_each_surface(tmp_path: Path) -> None:
    root = tmp_path / "index"
    full = OSError(errno.ENOSPC, "No space left on device", str(root / "gen-2" / "_MAIN_1.seg"))
    error = refused_write(root, full, 997)
    assert error is not None
    assert str(error).endswith(
        "it keeps its last commit (997 documents): free some space there and make the same Corpus call again"
        " (what is indexed already is skipped)"
    )
    assert error.worded(Surface.CLI).endswith("free some space there and run the same command again (what is indexed already is skipped)")
    assert error.worded(Surface.SERVER).endswith("free some space there and send the same request again (what is indexed already is skipped)")
