"""The corpus command: exit codes, JSON shapes, text output, no tracebacks."""

from __future__ import annotations

import json
from pathlib import Path

import orjson
import pytest
from click.testing import CliRunner

from indexer.cli import EXIT_SKIPPED, main

CORPUS_DIR = Path(__file__).resolve().parents[1] / "corpus"


@pytest.fixture()
def runner() -> CliRunner:
    return CliRunner()


@pytest.fixture(scope="module")
def bundled_index(tmp_path_factory: pytest.TempPathFactory) -> Path:
    index = tmp_path_factory.mktemp("cli") / "index"
    result = CliRunner().invoke(main, ["index", "--quiet", "--index", str(index), str(CORPUS_DIR)])
    assert result.exit_code == 0, result.output
    return index


def test_analyze_json_shape_and_original_slices(runner: CliRunner) -> None:
    text = "وَقالَ الـCNN إنَّ ٢٠١٥"
    result = runner.invoke(main, ["analyze", "--json", text])
    assert result.exit_code == 0
    tokens = json.loads(result.output)["tokens"]
    assert [t["exact"] for t in tokens] == ["وقال", "ال", "cnn", "ان", "2015"]
    assert all(text[t["start"] : t["end"]] == t["text"] for t in tokens)
    assert set(tokens[0]) == {"position", "start", "end", "text", "exact", "stem", "stopword"}
    assert tokens[0]["stem"] == "قال" and tokens[3]["stopword"] is True


def test_analyze_reads_stdin(runner: CliRunner) -> None:
    result = runner.invoke(main, ["analyze"], input="والوزير\n")
    assert result.exit_code == 0 and "وزير" in result.output


def test_index_json_summary_and_default_source(runner: CliRunner, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    (tmp_path / "corpus").symlink_to(CORPUS_DIR)
    result = runner.invoke(main, ["index", "--json"])  # no SOURCE: corpus/, into ./index
    assert result.exit_code == 0, result.output
    summary = json.loads(result.stdout)
    assert {"added", "updated", "unchanged", "deleted", "skipped", "total_documents", "seconds"} <= set(summary)
    assert summary["added"] == summary["total_documents"] == 39
    assert (tmp_path / "index" / "current").exists()


def test_index_env_var_chooses_the_directory(runner: CliRunner, tmp_path: Path) -> None:
    result = runner.invoke(main, ["index", "--quiet", str(CORPUS_DIR)], env={"CORPUS_INDEX": str(tmp_path / "env-index")})
    assert result.exit_code == 0
    assert (tmp_path / "env-index" / "current").exists()


def test_strict_exit_code_when_something_was_skipped(runner: CliRunner, tmp_path: Path) -> None:
    source = tmp_path / "a.jsonl"
    source.write_text('{"id": "1", "title": "وزير"}\n{not json\n', encoding="utf-8")
    index = str(tmp_path / "index")
    lenient = runner.invoke(main, ["index", "--index", index, str(source)])
    assert lenient.exit_code == 0
    assert f"{source}:2" in lenient.stderr
    strict = runner.invoke(main, ["index", "--strict", "--json", "--index", index, str(source)])
    assert strict.exit_code == EXIT_SKIPPED
    assert json.loads(strict.stdout)["skipped"][0]["origin"] == f"{source}:2"


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["index", "/no/such/path"], "no such source"),
        (["index", "--field", "nonsense", str(CORPUS_DIR)], "field"),
        (["index", "--encoding", "no-such-codec", str(CORPUS_DIR)], "encoding"),
        (["query", '"وزير الخارجية'], "position"),
        (["query", "(وزير"], "position"),
        (["query", "NOT وزير"], "positive"),
        (["query", "nosuchfield:وزير"], "nosuchfield"),
        (["query", "--json", "--jsonl", "وزير"], "just one"),
    ],
    ids=["missing-source", "bad-field", "bad-encoding", "unbalanced-quote", "unbalanced-paren", "only-negative", "unknown-field", "json-and-jsonl"],
)
def test_usage_errors_exit_2_with_a_message(runner: CliRunner, bundled_index: Path, args: list[str], message: str) -> None:
    result = runner.invoke(main, [*args[:1], "--index", str(bundled_index), *args[1:]])
    assert result.exit_code == 2, result.output
    assert message in result.stderr and "Traceback" not in result.output


def test_query_without_an_index_says_how_to_build_one(runner: CliRunner, tmp_path: Path) -> None:
    result = runner.invoke(main, ["query", "--index", str(tmp_path / "none"), "وزير"])
    assert result.exit_code == 1 and "corpus index" in result.stderr


def test_query_json_shape_and_highlights_into_snippet(runner: CliRunner, bundled_index: Path) -> None:
    result = runner.invoke(main, ["query", "--index", str(bundled_index), "--json", '"وزير الخارجية"'])
    assert result.exit_code == 0
    assert "وزير".encode() in result.stdout_bytes  # UTF-8, not \u escapes
    data = orjson.loads(result.stdout_bytes)
    assert set(data) == {"query", "total", "took_ms", "deduplicated", "suggestion", "hits", "notes"}
    assert data["total"] >= len(data["hits"]) > 0
    hit = data["hits"][0]
    assert {"id", "score", "title", "date", "source", "url", "snippet", "highlights"} <= set(hit)
    words = [hit["snippet"][s:e] for s, e in hit["highlights"]]
    assert words and all(w.endswith(("وزير", "الخارجية")) for w in words)


def test_query_jsonl_one_hit_per_line(runner: CliRunner, bundled_index: Path) -> None:
    result = runner.invoke(main, ["query", "--index", str(bundled_index), "--jsonl", "-n", "3", "وزير"])
    lines = result.stdout.strip().splitlines()
    assert len(lines) == 3 and all("snippet" in json.loads(line) for line in lines)


def test_query_text_marks_highlights_when_piped(runner: CliRunner, bundled_index: Path) -> None:
    result = runner.invoke(main, ["query", "--index", str(bundled_index), "-n", "1", "بلينكن"])
    assert result.exit_code == 0
    assert "[بلينكن]" in result.stdout and "matching articles" in result.stdout
    colored = runner.invoke(main, ["query", "--index", str(bundled_index), "-n", "1", "--color", "always", "بلينكن"])
    assert "\x1b[" in colored.stdout


def test_explain_prints_the_understood_query(runner: CliRunner, bundled_index: Path) -> None:
    result = runner.invoke(main, ["query", "--index", str(bundled_index), "--explain", "عنوان:وزير أو بلينكن"])
    assert result.exit_code == 0 and "title:" in result.stderr and "OR" in result.stderr


def test_stats_json(runner: CliRunner, bundled_index: Path) -> None:
    result = runner.invoke(main, ["stats", "--index", str(bundled_index), "--json"])
    stats = json.loads(result.stdout)
    assert stats["documents"] == 39 and sum(stats["sources"].values()) == 39
    assert stats["analyzer_version"] and stats["size_bytes"] > 0 and stats["last_update"]


def test_delete_by_id(runner: CliRunner, tmp_path: Path) -> None:
    index = str(tmp_path / "index")
    runner.invoke(main, ["index", "--quiet", "--index", index, str(CORPUS_DIR)])
    result = runner.invoke(main, ["delete", "--index", index, "--json", "ar-0001", "nope"])
    assert result.exit_code == 0
    assert json.loads(result.stdout)["deleted"] == 1
    assert json.loads(runner.invoke(main, ["stats", "--index", index, "--json"]).stdout)["documents"] == 38


def test_article_text_cannot_drive_the_terminal(runner: CliRunner, tmp_path: Path) -> None:
    feed = tmp_path / "feed.jsonl"
    rows = [{
        "id": "evil\x1b[2J",
        "title": "خبر عاجل\x1b]0;pwned\x07 من الوزارة",
        "body": "قال الوزير\x1b[2J إن\x1b]52;c;cHduZWQ=\x07 الوزارة\x9b31m تعمل",
        "source": "src\x1b[31m",
    }]
    feed.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows), encoding="utf-8")
    index = str(tmp_path / "index")
    assert runner.invoke(main, ["index", "--quiet", "--index", index, str(feed)]).exit_code == 0
    for color in ("never", "always"):
        result = runner.invoke(main, ["query", "--index", index, "--color", color, "الوزارة"])
        assert result.exit_code == 0, result.output
        text = result.output.replace("\x1b[1;33m", "").replace("\x1b[0m", "")  # our own highlight only
        assert "\x1b" not in text and "\x07" not in text and "\x9b" not in text
        assert "خبر عاجل\ufffd]0;pwned\ufffd من" in text
    data = orjson.loads(runner.invoke(main, ["query", "--index", index, "--json", "الوزارة"]).output)
    assert data["hits"][0]["title"] == rows[0]["title"]  # JSON keeps the text, escaped
