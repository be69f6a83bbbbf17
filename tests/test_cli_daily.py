"""The command line as people use it (issue 13): long runs that say what they do and what an
interrupt kept, colour conventions, words that start with a dash, options that behave as
people expect, messages that point the right way, output for people, ``analyze``, and
which files are read. Everything through click's runner, on Arabic text."""

from __future__ import annotations

import gzip
import io
import json
import os
import pty
import subprocess
import sys
from pathlib import Path

import orjson
import pytest
from click.testing import CliRunner

from indexer import Corpus
from indexer.cli import main, wrapped
from indexer.progress import Progress, ProgressBar
from indexer.sources import Article
from indexer.store import sync
from indexer.store.schema import document
from indexer.store.sync import content_hash
from indexer.store.writer import CorpusWriter
from indexer.terminal import cells, wants_color

REPO = Path(__file__).resolve().parents[1]
CORPUS_DIR = REPO / "corpus"
ARTICLES = [json.loads(line) for line in (CORPUS_DIR / "articles.jsonl").read_text(encoding="utf-8").splitlines()]


@pytest.fixture()
def runner() -> CliRunner:
    return CliRunner()


@pytest.fixture(scope="module")
def bundled_index(tmp_path_factory: pytest.TempPathFactory) -> str:
    index = tmp_path_factory.mktemp("daily") / "index"
    result = CliRunner().invoke(main, ["index", "--quiet", "--index", str(index), str(CORPUS_DIR)])
    assert result.exit_code == 0, result.output
    return str(index)


def query_json(runner: CliRunner, index: str, *args: str) -> dict:
    result = runner.invoke(main, ["query", "--index", index, "--json", *args])
    assert result.exit_code == 0, result.output
    return orjson.loads(result.stdout_bytes)


def write_feed(path: Path, rows: list[dict]) -> Path:
    path.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows), encoding="utf-8")
    return path


# --- 1. long runs: bytes with a total, phases, commits, what an interrupt kept -------------


class Recorder(Progress):
    def __init__(self) -> None:
        self.total = None
        self.bytes = 0
        self.articles = 0
        self.phases: list[str | None] = []
        self.commits: list[tuple[int, int, int, int]] = []

    def start(self, total_bytes: int) -> None:
        self.total = total_bytes

    def read(self, articles: int = 0, nbytes: int = 0) -> None:
        self.articles += articles
        self.bytes += nbytes

    def phase(self, what: str | None) -> None:
        self.phases.append(what)

    def committed(self, documents: int, added: int, updated: int, deleted: int) -> None:
        self.commits.append((documents, added, updated, deleted))


def test_progress_counts_the_bytes_of_every_file_against_their_total(tmp_path: Path) -> None:
    feeds = tmp_path / "feeds"
    feeds.mkdir()
    lines = (CORPUS_DIR / "articles.jsonl").read_bytes().splitlines(keepends=True)
    (feeds / "a.jsonl").write_bytes(b"".join(lines[:10]))
    (feeds / "b.jsonl.gz").write_bytes(gzip.compress(b"".join(lines[10:20])))
    (feeds / "c.json").write_bytes(orjson.dumps([json.loads(line) for line in lines[20:]]))
    (feeds / "notes.md").write_text("# ملاحظات\n", encoding="utf-8")  # skipped, still read past
    sizes = sum(p.stat().st_size for p in feeds.iterdir())
    recorder = Recorder()
    report = Corpus(tmp_path / "index").index([feeds], progress=recorder)
    assert report.added == 39
    assert recorder.total == sizes and recorder.bytes == sizes  # gzip: its compressed bytes
    assert recorder.articles == 39
    assert recorder.phases[0] == "writing 39 articles to the index" and recorder.phases[-1] is None
    assert recorder.commits == [(39, 39, 0, 0)]


def test_a_long_run_commits_before_a_kill_could_lose_more_than_loss_seconds_then_merges(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(sync, "LOSS_SECONDS", 0.0)  # every batch is due at its first article
    feed = write_feed(tmp_path / "feed.jsonl", ARTICLES[:3])
    recorder = Recorder()
    corpus = Corpus(tmp_path / "index")
    corpus.index([feed], progress=recorder)
    assert recorder.commits == [(1, 1, 0, 0), (2, 2, 0, 0), (3, 3, 0, 0)]
    # then the three one-article segments are merged, in a commit of its own
    assert recorder.phases[-2:] == ["merging 3 segments (3 documents)", None]
    with corpus.open_index().reader() as reader:
        assert len(list(reader.leaf_readers())) == 1 and reader.doc_count() == 3
    assert corpus.search("بلينكن").total == 1


def test_a_rebuild_commits_once_its_index_is_not_live_until_the_end(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(sync, "LOSS_SECONDS", 0.0)
    feed = write_feed(tmp_path / "feed.jsonl", ARTICLES[:4])
    recorder = Recorder()
    Corpus(tmp_path / "index").index([feed], rebuild=True, progress=recorder)
    assert recorder.commits == [(4, 4, 0, 0)]


def test_the_bar_shows_bytes_total_articles_and_a_phase_with_its_elapsed_time() -> None:
    screen = io.StringIO()
    bar = ProgressBar(screen)
    bar.start(2048)
    bar.read(articles=1, nbytes=1024)
    bar.phase("writing 1 article to the index")
    bar.close()
    shown = screen.getvalue()
    assert "1.00k/2.00k" in shown and "50%" in shown
    assert "1 article · writing 1 article to the index: 0:00" in shown


def test_an_interrupt_says_what_was_kept_and_a_rerun_finishes(
    runner: CliRunner, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(sync, "BATCH_SIZE", 10)
    read = ProgressBar.read

    def ctrl_c_at_article_25(self: ProgressBar, articles: int = 0, nbytes: int = 0) -> None:
        read(self, articles, nbytes)
        if articles and self.articles == 25:
            raise KeyboardInterrupt

    monkeypatch.setattr(ProgressBar, "read", ctrl_c_at_article_25)
    index = str(tmp_path / "index")
    result = runner.invoke(main, ["index", "--index", index, str(CORPUS_DIR)])
    assert result.exit_code == 130
    assert "Kept what this run committed: 20 added." in result.stderr
    assert "Not kept: what changed among the 5 articles read after its last commit." in result.stderr
    assert "The index holds 20 documents." in result.stderr and "Run the same command again" in result.stderr
    monkeypatch.setattr(ProgressBar, "read", read)
    again = runner.invoke(main, ["index", "--index", index, "--json", str(CORPUS_DIR)])
    summary = json.loads(again.stdout)
    assert (summary["added"], summary["unchanged"], summary["total_documents"]) == (19, 20, 39)


def test_an_interrupt_before_any_commit_says_nothing_was_kept(
    runner: CliRunner, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def ctrl_c(self: ProgressBar, articles: int = 0, nbytes: int = 0) -> None:
        raise KeyboardInterrupt

    monkeypatch.setattr(ProgressBar, "read", ctrl_c)
    result = runner.invoke(main, ["index", "--index", str(tmp_path / "index"), str(CORPUS_DIR)])
    assert result.exit_code == 130
    assert "Interrupted by SIGINT (Ctrl-C) before this run committed anything: nothing of it was kept." in result.stderr


def test_an_interrupted_rebuild_says_the_old_index_is_live(
    runner: CliRunner, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    index = str(tmp_path / "index")
    runner.invoke(main, ["index", "--quiet", "--index", index, str(CORPUS_DIR)])
    monkeypatch.setattr(sync, "BATCH_SIZE", 10)
    read = ProgressBar.read

    def ctrl_c_at_article_25(self: ProgressBar, articles: int = 0, nbytes: int = 0) -> None:
        read(self, articles, nbytes)
        if articles and self.articles == 25:
            raise KeyboardInterrupt

    monkeypatch.setattr(ProgressBar, "read", ctrl_c_at_article_25)
    result = runner.invoke(main, ["index", "--rebuild", "--index", index, str(CORPUS_DIR)])
    assert result.exit_code == 130
    assert "the rebuild was not finished" in result.stderr and "The index holds 39 documents." in result.stderr
    assert "The half-built copy was removed." in result.stderr  # its space is free at once
    assert sorted(p.name for p in Path(index).glob("gen-*")) == ["gen-000001"]


# --- 2. colour ------------------------------------------------------------------------------


class Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


@pytest.mark.parametrize(
    ("env", "choice", "expected"),
    [
        ({}, "auto", True),
        ({"NO_COLOR": "1"}, "auto", False),
        ({"TERM": "dumb"}, "auto", False),
        ({"NO_COLOR": "1"}, "always", True),
        ({}, "never", False),
    ],
)
def test_colour_follows_no_color_and_term_dumb(
    monkeypatch: pytest.MonkeyPatch, env: dict, choice: str, expected: bool
) -> None:
    monkeypatch.delenv("NO_COLOR", raising=False)
    monkeypatch.setenv("TERM", "xterm-256color")
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    assert wants_color(choice, Terminal()) is expected


def test_color_option(runner: CliRunner, bundled_index: str) -> None:
    def shown(*args: str, env: dict | None = None) -> str:
        result = runner.invoke(main, ["query", "--index", bundled_index, "-n", "1", *args, "بلينكن"], env=env)
        assert result.exit_code == 0, result.output
        return result.stdout

    assert "\x1b[" not in shown() and "[بلينكن]" in shown()  # auto in a pipe
    assert "\x1b[1;33mبلينكن\x1b[0m" in shown("--color", "always", env={"NO_COLOR": "1"})
    assert "\x1b[" not in shown("--color", "never") and "\x1b[" not in shown("--no-color")
    bad = runner.invoke(main, ["query", "--index", bundled_index, "--color", "sometimes", "وزير"])
    assert bad.exit_code == 2 and "auto" in bad.stderr


# --- 3. words that start with a dash --------------------------------------------------------


def test_a_dash_before_an_arabic_letter_is_an_exclusion_not_an_option(runner: CliRunner, bundled_index: str) -> None:
    quoted = query_json(runner, bundled_index, "وزير -الخارجية")
    unquoted = query_json(runner, bundled_index, "وزير", "-الخارجية")
    assert unquoted["query"] == "وزير -الخارجية" and unquoted["hits"] == quoted["hits"]
    assert 0 < quoted["total"] < query_json(runner, bundled_index, "وزير")["total"]
    phrase = query_json(runner, bundled_index, "وزير", '-"وزير الخارجية"')
    assert phrase["query"] == 'وزير -"وزير الخارجية"'
    typo = runner.invoke(main, ["query", "--index", bundled_index, "--limt", "3", "وزير"])
    assert typo.exit_code == 2 and "No such option" in typo.stderr  # options are still options


def test_after_a_double_dash_nothing_is_an_option(runner: CliRunner, bundled_index: str) -> None:
    data = query_json(runner, bundled_index, "--", "وزير", "-n", "1")
    assert data["query"] == "وزير -n 1"  # -n 1 are words of the query, not the limit
    assert query_json(runner, bundled_index, "--", "-الخارجية", "وزير")["total"] == query_json(
        runner, bundled_index, "وزير -الخارجية"
    )["total"]


# --- 4. options that behave as expected -----------------------------------------------------


def test_repeated_source_means_either(runner: CliRunner, bundled_index: str) -> None:
    sabq = query_json(runner, bundled_index, "--source", "sabq", "-n", "50")
    alwatan = query_json(runner, bundled_index, "--source", "alwatan", "-n", "50")
    both = query_json(runner, bundled_index, "--source", "sabq", "--source", "alwatan", "-n", "50")
    assert (sabq["total"], alwatan["total"]) == (9, 6)
    assert both["total"] == 15 and {h["source"] for h in both["hits"]} == {"sabq", "alwatan"}


def test_since_and_until_take_a_month_or_a_year(runner: CliRunner, bundled_index: str) -> None:
    day = query_json(runner, bundled_index, "--since", "2022-05-01", "--until", "2022-12-31", "-n", "50")
    month = query_json(runner, bundled_index, "--since", "2022-05", "--until", "2022-12", "-n", "50")
    year = query_json(runner, bundled_index, "--since", "2022", "--until", "2022", "-n", "50")
    whole_year = query_json(runner, bundled_index, "--since", "2022-01-01", "--until", "2022-12-31", "-n", "50")
    assert day["hits"] == month["hits"] and len(month["hits"]) >= 3
    assert year["hits"] == whole_year["hits"] and len(year["hits"]) > len(month["hits"])
    assert all(h["date"].startswith("2022") for h in year["hits"])
    assert all(h["date"] >= "2022-05" for h in month["hits"])
    bad = runner.invoke(main, ["query", "--index", bundled_index, "--since", "2022-13", "وزير"])
    assert bad.exit_code == 2 and "YYYY-MM-DD, YYYY-MM or YYYY" in bad.stderr


def test_filters_without_words_list_the_newest_matching(runner: CliRunner, bundled_index: str) -> None:
    data = query_json(runner, bundled_index, "--source", "sabq", "--since", "2019")
    dates = [h["date"] for h in data["hits"]]
    assert data["total"] == len(dates) > 1 and dates == sorted(dates, reverse=True)
    assert all(h["source"] == "sabq" and h["date"] >= "2019" for h in data["hits"])
    text = runner.invoke(main, ["query", "--index", bundled_index, "--source", "sabq", "-n", "1"])
    assert text.exit_code == 0 and "score" not in text.stdout
    empty = runner.invoke(main, ["query", "--index", bundled_index])
    assert empty.exit_code == 2 and "nothing to search for: give WORDS, or a filter" in empty.stderr


def test_search_is_query(runner: CliRunner, bundled_index: str) -> None:
    searched = runner.invoke(main, ["search", "--index", bundled_index, "--json", "بلينكن"])
    assert orjson.loads(searched.stdout_bytes)["hits"] == query_json(runner, bundled_index, "بلينكن")["hits"]
    assert "search" in runner.invoke(main, ["--help"]).output


# --- 5. messages that point the right way ---------------------------------------------------


def test_a_generation_given_as_the_index_points_at_its_parent(runner: CliRunner, bundled_index: str) -> None:
    for command in (["query", "وزير"], ["stats"], ["index", str(CORPUS_DIR)]):
        result = runner.invoke(main, [command[0], "--index", f"{bundled_index}/current", *command[1:]])
        assert result.exit_code == 1
        assert f"give --index {bundled_index} " in result.stderr, result.stderr


def test_outside_the_project_messages_name_the_absolute_path_and_the_option(
    runner: CliRunner, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("CORPUS_INDEX", raising=False)
    no_source = runner.invoke(main, ["index"])
    assert no_source.exit_code == 2
    assert f"no such source: corpus ({tmp_path}/corpus)" in no_source.stderr and "none named" in no_source.stderr
    no_index = runner.invoke(main, ["query", "وزير"])
    assert no_index.exit_code == 1
    assert f"no index at {tmp_path}/index" in no_index.stderr
    assert "--index DIR or $CORPUS_INDEX" in no_index.stderr


def test_delete_names_the_ids_it_did_not_find(runner: CliRunner, tmp_path: Path) -> None:
    index = str(tmp_path / "index")
    runner.invoke(main, ["index", "--quiet", "--index", index, str(CORPUS_DIR)])
    result = runner.invoke(main, ["delete", "--index", index, "ar-0001", "no-such-id"])
    assert result.exit_code == 0
    assert "deleted 1 of 2; 38 documents in the index" in result.stderr
    assert "not in the index: no-such-id" in result.stderr
    data = json.loads(runner.invoke(main, ["delete", "--index", index, "--json", "ar-0001"]).stdout)
    assert data["deleted"] == 0 and data["not_found"] == ["ar-0001"]


def test_counts_of_one_are_singular(runner: CliRunner, tmp_path: Path) -> None:
    feed = write_feed(tmp_path / "one.jsonl", ARTICLES[:1])
    index = str(tmp_path / "index")
    indexed = runner.invoke(main, ["index", "--index", index, str(feed)])
    assert "; 1 document in the index;" in indexed.stderr
    found = runner.invoke(main, ["query", "--index", index, "بلينكن"])
    assert found.stdout.startswith("1 matching article (1-1 shown")


# --- 6. output for people -------------------------------------------------------------------


def test_hits_show_the_url_and_the_source_as_written(runner: CliRunner, tmp_path: Path) -> None:
    rows = [
        {"id": "a1", "title": "الرياض &quot;تستضيف&quot; القمة", "body": "قالت   الوزارة\n\nإن &quot;القمة&quot; تعقد غدا",
         "source": "SaudiNews", "url": "https://example.com/ar/1"},
        {"id": "a2", "title": "جدة", "body": "خبر", "source": "SaudiNews"},
    ]
    index = str(tmp_path / "index")
    runner.invoke(main, ["index", "--quiet", "--index", index, str(write_feed(tmp_path / "feed.jsonl", rows))])
    shown = runner.invoke(main, ["query", "--index", index, "القمة"]).stdout
    assert "   https://example.com/ar/1\n" in shown and "   SaudiNews · a1 · score" in shown
    assert 'الرياض "تستضيف" [القمة]' in shown  # entities decoded at ingest
    assert 'قالت الوزارة إن "[القمة]" تعقد غدا' in shown  # spaces and line breaks collapsed
    assert query_json(runner, index, "quot")["total"] == 0  # no longer a word
    stats = json.loads(runner.invoke(main, ["stats", "--index", index, "--json"]).stdout)
    assert stats["sources"] == {"SaudiNews": 2}


def test_snippets_wrap_at_word_boundaries_to_the_width() -> None:
    text = "بحث وزير الخارجية في اتصال هاتفي مع وزير الخارجية الأمريكي أنتوني بلينكن مساء أمس سبل تعزيز التعاون"
    start = text.index("بلينكن")
    lines = wrapped(text, [(start, start + len("بلينكن"))], False, 30)
    assert len(lines) > 2 and all(cells(line) <= 30 + 2 for line in lines)  # + the brackets
    assert " ".join(lines).replace("[", "").replace("]", "") == text
    assert any("[بلينكن]" in line for line in lines)
    assert wrapped(text, [], False, None) == [text]  # a pipe: one line


def test_a_rerun_refreshes_articles_whose_entities_are_now_decoded(tmp_path: Path) -> None:
    """An index written before entities were decoded holds the raw text and its hash; the
    content hash of the decoded text differs, so the next run replaces the article."""
    feed = write_feed(tmp_path / "feed.jsonl", [{"id": "q", "title": "&quot;الرياض&quot;", "body": "نص"}])
    corpus = Corpus(tmp_path / "index")
    corpus.index([feed])
    raw = Article("q", "&quot;الرياض&quot;", "نص", None, "", "", "", f"{feed}:1")
    writer = CorpusWriter(corpus.open_index())
    writer.update_document(**document(raw, content_hash(raw)))  # what the index held before
    writer.commit()
    assert corpus.search("quot").total == 1
    report = corpus.index([feed])
    assert report.updated == 1 and corpus.search("quot").total == 0
    corpus.close()


# --- 7. analyze -----------------------------------------------------------------------------


def test_analyze_takes_unquoted_words_as_one_text(runner: CliRunner) -> None:
    result = runner.invoke(main, ["analyze", "وزير", "الخارجية"])
    rows = [line.split("\t") for line in result.stdout.splitlines()]
    assert [row[:3] for row in rows] == [["0", "0-4", "وزير"], ["1", "5-13", "الخارجية"]]
    dashed = runner.invoke(main, ["analyze", "وزير", "-الخارجية"])
    assert dashed.exit_code == 0 and dashed.stdout.splitlines()[1].split("\t")[2] == "الخارجية"


def test_analyze_stopword_column_is_tab_separated(runner: CliRunner) -> None:
    rows = [line.split("\t") for line in runner.invoke(main, ["analyze", "في", "الرياض"]).stdout.splitlines()]
    assert rows[0][-1] == "stopword" and len(rows[0]) == 6 and len(rows[1]) == 5


def test_analyze_on_a_terminal_without_text_prints_usage() -> None:
    controller, terminal = pty.openpty()
    try:
        done = subprocess.run(
            [sys.executable, "-m", "indexer", "analyze"], stdin=terminal, capture_output=True, text=True,
            timeout=60, cwd=REPO, env={**os.environ, "PYTHONPATH": str(REPO)},
        )
    finally:
        os.close(controller)
        os.close(terminal)
    assert done.returncode == 2 and "Usage:" in done.stderr and "standard input" in done.stderr


# --- 8. only the formats the README lists ---------------------------------------------------


def test_unlisted_extensions_in_a_source_are_skipped_unless_format_says(runner: CliRunner, tmp_path: Path) -> None:
    feeds = tmp_path / "feeds"
    feeds.mkdir()
    write_feed(feeds / "news.jsonl", ARTICLES[:2])
    (feeds / "README.md").write_text("# عن هذه الأخبار\nمصدرها وكالة الأنباء\n", encoding="utf-8")
    (feeds / "LICENSE").write_text("رخصة الاستخدام\n", encoding="utf-8")
    index = str(tmp_path / "index")
    result = runner.invoke(main, ["index", "--index", index, "--json", str(feeds)])
    summary = json.loads(result.stdout)
    assert summary["added"] == 2
    reasons = {Path(s["origin"]).name: s["reason"] for s in summary["skipped"]}
    assert reasons["README.md"].startswith(".md files are not read") and "--format" in reasons["README.md"]
    assert reasons["LICENSE"].startswith("files without an extension are not read")
    forced = runner.invoke(main, ["index", "--index", index, "--json", "--format", "text", str(feeds)])
    assert json.loads(forced.stdout)["added"] == 2  # README.md and LICENSE, as text
    assert query_json(runner, index, "وكالة")["hits"][0]["title"] == "# عن هذه الأخبار"


def test_a_file_named_on_its_own_is_read_whatever_its_extension(runner: CliRunner, tmp_path: Path) -> None:
    notes = tmp_path / "notes.md"
    notes.write_text("عنوان الملاحظة\nنص الملاحظة\n", encoding="utf-8")
    result = runner.invoke(main, ["index", "--index", str(tmp_path / "index"), "--json", str(notes)])
    assert json.loads(result.stdout)["added"] == 1


def on_a_terminal(args: list[str], env: dict[str, str]) -> str:
    """What ``corpus ARGS`` prints with a terminal (a pty) as its standard output."""
    controller, terminal = pty.openpty()
    try:
        subprocess.run(
            [sys.executable, "-m", "indexer", *args], stdout=terminal, stderr=subprocess.DEVNULL,
            stdin=subprocess.DEVNULL, timeout=60, cwd=REPO, env={**os.environ, "PYTHONPATH": str(REPO), **env},
        )
        os.set_blocking(controller, False)
        chunks = []
        while True:
            try:
                chunk = os.read(controller, 65536)
            except (BlockingIOError, OSError):
                break
            if not chunk:
                break
            chunks.append(chunk)
        return b"".join(chunks).decode("utf-8", "replace")
    finally:
        os.close(controller)
        os.close(terminal)


def test_query_and_kwic_on_a_terminal_honour_no_color_and_term_dumb(bundled_index: str) -> None:
    for command in (["query", "-n", "1"], ["kwic", "-n", "1"]):
        args = [*command, "--index", bundled_index, "بلينكن"]
        assert "\x1b[1;33m" in on_a_terminal(args, {"TERM": "xterm", "NO_COLOR": ""}), command
        assert "\x1b[" not in on_a_terminal(args, {"TERM": "xterm", "NO_COLOR": "1"}), command
        assert "\x1b[" not in on_a_terminal(args, {"TERM": "dumb", "NO_COLOR": ""}), command
