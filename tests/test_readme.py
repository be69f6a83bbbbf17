"""The README is a contract: every example it shows works on the bundled articles.

A new user installs corpus, indexes the bundled ``corpus/`` (the quick start) and tries what
the README shows. This test reads README.md itself, so an edited example is tested as
edited:

- every query in the first column of the "Searching" table must find at least one article;
- every ``corpus ...`` command line of a code block that runs against a local index, and
  every such example written inline in the prose, must exit 0 and find something (a query
  at least one article, a view at least one row);
- the transcripts whose output does not depend on the 41,191 news articles (the quick
  start's, on the bundled articles; ``corpus analyze``'s, on its own text) must print what
  they show, time aside;
- the "Python API" code runs as written.

Commands run through click's CliRunner with ``$CORPUS_INDEX`` naming an index of the bundled
articles built once, as a user who exported it would run them.
"""

from __future__ import annotations

import contextlib
import io
import json
import re
import shlex
from dataclasses import dataclass
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from indexer.cli import main

REPO = Path(__file__).resolve().parents[1]
README = (REPO / "README.md").read_text(encoding="utf-8")
BUNDLED = REPO / "corpus"

#: Code block languages that hold no command to run here: crontab and systemd units (they
#: schedule `corpus index` of /srv/feeds on a server) and the nginx proxy configuration.
NOT_COMMANDS = {"cron", "ini", "nginx", "python"}
#: The `corpus` subcommands this test runs, and those it leaves out with the reason.
SKIPPED_SUBCOMMANDS = {
    "serve": "starts a server (tests/server/ runs it on loopback)",
}
#: Options whose command needs more than a local index of the bundled articles.
SKIPPED_OPTIONS = {
    "--cluster": "needs a Dask scheduler and workers (tests/shards/test_cluster.py starts them)",
    "--shards": "builds shards of news/, which is not bundled (tests/shards/ covers shards)",
}
#: The subcommands that only read the index (or nothing): those an inline example may run.
READING_SUBCOMMANDS = {"query", "search", "kwic", "trend", "collocates", "freq", "analyze"}
#: Sections whose transcripts (a `$ corpus ...` line and the lines printed under it) must be
#: printed as shown. The views' transcripts and `--explain`'s are from the 41,191 news articles
#: of ../shared/data, as the README says: their figures cannot be checked on the bundled ones.
VERBATIM_SECTIONS = {"Quick start", "`corpus analyze`"}


@dataclass(frozen=True)
class Block:
    """A fenced code block of the README: its language, its lines and the section it is in."""

    section: str
    language: str
    lines: tuple[str, ...]


def sections(text: str) -> dict[str, str]:
    """The README's ``## `` sections by heading (subsections stay inside their section)."""
    parts = re.split(r"^## (.+)$", text, flags=re.M)
    return {heading.strip(): body for heading, body in zip(parts[1::2], parts[2::2], strict=True)}


def code_blocks(text: str) -> list[Block]:
    """Every fenced code block, with the ``##`` section holding it."""
    found = []
    for heading, body in sections(text).items():
        for language, content in re.findall(r"^```(\w*)\n(.*?)^```", body, flags=re.M | re.S):
            found.append(Block(heading, language, tuple(content.splitlines())))
    return found


# ---------------------------------------------------------------- the "Searching" table


def syntax_table_cells(text: str) -> list[str]:
    """The first column of the table in "Searching": one cell per row, the header left out."""
    searching = next(body for heading, body in sections(text).items() if heading.startswith("Searching"))
    rows = [line for line in searching.splitlines() if line.startswith("|")]
    assert rows[0].startswith("| query |"), "the Searching section's first table is its syntax table"
    # A row's first cell ends at the first " | " (a `\|` inside backticks is not a separator).
    return [row[1:].split(" | ", 1)[0].strip() for row in rows[2:]]


def table_queries(cell: str) -> list[str]:
    """The example queries of one cell: its backticked spans, less those that are not
    queries: an option name (`--exact`), a field name alone (`body:`, `نص:`) and a
    placeholder (`url:…`, `id:…`, whose value the README leaves out)."""
    spans = re.findall(r"`([^`]+)`", cell)
    return [s for s in spans if not s.startswith("--") and not s.endswith(":") and "…" not in s]


SYNTAX_CELLS = syntax_table_cells(README)
TABLE_QUERIES = [query for cell in SYNTAX_CELLS for query in table_queries(cell)]


# ---------------------------------------------------------------- commands of the code blocks


@dataclass(frozen=True)
class Command:
    """One `corpus ...` command of a code block or of the prose, as argv without the program name."""

    section: str
    line: str
    argv: tuple[str, ...]
    skipped: str | None  # why it is not run here, or None


def commands_of(line: str) -> list[list[str]]:
    """The `corpus` commands of one shell line: ``$ `` prompt, ``#`` comments, ``&&`` chains
    and a ``| cat`` (a pipe: what CliRunner gives) are the shell's, not the command's."""
    line = line.removeprefix("$ ")
    words = shlex.split(line, comments=True)
    chained, current = [], []
    for word in words + ["&&"]:
        if word == "&&":
            chained.append(current)
            current = []
        else:
            current.append(word)
    found = []
    for words in chained:
        if "|" in words:
            assert words[words.index("|") + 1 :] == ["cat"], f"a pipe into something else: {line}"
            words = words[: words.index("|")]
        if words and words[0] == "corpus":
            found.append(words[1:])
    return found


def why_skipped(argv: list[str]) -> str | None:
    """Why a command is not run against the bundled index, or None to run it."""
    if argv[0] in SKIPPED_SUBCOMMANDS:
        return SKIPPED_SUBCOMMANDS[argv[0]]
    for option, reason in SKIPPED_OPTIONS.items():
        if option in argv:
            return reason
    if argv[0] == "index" and any(not a.startswith("-") for a in argv[1:]):
        return "indexes a SOURCE other than the bundled corpus/ (its files are not here)"
    return None


def block_commands(text: str) -> list[Command]:
    """Every `corpus ...` command line of the README's code blocks, with its section."""
    found = []
    for block in code_blocks(text):
        if block.language in NOT_COMMANDS:
            continue
        for line in block.lines:
            if not line.removeprefix("$ ").startswith(("corpus ", "pip ")):
                continue  # output, curl, dask ...
            for argv in commands_of(line):
                found.append(Command(block.section, line, tuple(argv), why_skipped(argv)))
    return found


def inline_commands(text: str) -> list[Command]:
    """The `corpus ...` examples written inline in the prose (`corpus query الرياض -جدة`),
    less the synopses (`corpus query QUERY`, `corpus stats [--json]`) and the mentions of an
    option alone (`corpus query --json`, a name for its output format, not an example)."""
    found = []
    for heading, body in sections(text).items():
        prose = re.sub(r"^```.*?^```", "", body, flags=re.M | re.S)
        for span in re.findall(r"`(corpus [^`]+)`", prose):
            argv = shlex.split(span)[1:]
            if argv[0] not in READING_SUBCOMMANDS or re.search(r"[A-Z]{2}|\[", span):
                continue
            if all(word.startswith("-") for word in argv[1:]) and "--" not in argv:
                continue
            found.append(Command(heading, span, tuple(argv), None))
    return found


BLOCK_COMMANDS = block_commands(README)
INLINE_COMMANDS = inline_commands(README)
RUN_COMMANDS = [c for c in BLOCK_COMMANDS if c.skipped is None and c.argv[0] != "index"] + INLINE_COMMANDS
INDEX_COMMANDS = [c for c in BLOCK_COMMANDS if c.skipped is None and c.argv[0] == "index"]


@dataclass(frozen=True)
class Transcript:
    """A `$ corpus ...` line of a code block and the output shown under it."""

    section: str
    line: str
    argv: tuple[str, ...]
    output: tuple[str, ...]


def transcripts(text: str) -> list[Transcript]:
    """The transcripts of the sections in VERBATIM_SECTIONS."""
    found = []
    for block in code_blocks(text):
        if block.section not in VERBATIM_SECTIONS:
            continue
        starts = [n for n, line in enumerate(block.lines) if line.startswith("$ corpus ")]
        for start, end in zip(starts, starts[1:] + [len(block.lines)]):
            (argv,) = commands_of(block.lines[start])
            found.append(Transcript(block.section, block.lines[start], tuple(argv), block.lines[start + 1 : end]))
    return found


TRANSCRIPTS = transcripts(README)


# ---------------------------------------------------------------- running them


@pytest.fixture(scope="module")
def readme_index(bundled_corpus) -> Path:
    """The session's index of the bundled corpus/ (tests/conftest.py), by its path."""
    return Path(bundled_corpus.path)


def run(argv: list[str] | tuple[str, ...], index: Path) -> Result:
    """One command as a user who exported CORPUS_INDEX runs it, from a pipe."""
    return CliRunner().invoke(main, list(argv), env={"CORPUS_INDEX": str(index), "NO_COLOR": "1"})


#: Options that choose an output format or an extra print-out: replaced by --json to read
#: what the command found (the value after --plot is its file).
FORMAT_OPTIONS = {"--csv": 0, "--jsonl": 0, "--json": 0, "--explain": 0, "--plot": 1}


def as_json(argv: tuple[str, ...]) -> list[str]:
    """The same command asking for --json instead of the output format it chose."""
    plain, words = [], iter(argv)
    for word in words:
        if word in FORMAT_OPTIONS:
            for _ in range(FORMAT_OPTIONS[word]):
                next(words)
        else:
            plain.append(word)
    return plain[:1] + ["--json"] + plain[1:]  # before a `--`, after which all are words


def found_something(subcommand: str, answer: dict) -> str | None:
    """What is missing from a command's --json answer for a user to call it a finding, or None."""
    if subcommand in ("query", "search"):
        return None if answer["total"] >= 1 and answer["hits"] else "no matching article"
    if subcommand == "kwic":
        return None if answer["lines"] else "no concordance line"
    if subcommand == "trend":
        empty = [s["label"] for s in answer["series"] if not sum(p["articles"] for p in s["points"])]
        return f"series without an article: {empty}" if empty else None
    if subcommand == "collocates":
        return None if answer["collocates"] else "no collocate"
    if subcommand == "freq":
        if answer["query"] is not None and not answer["articles"]:
            return "no matching article"
        return None if answer["terms"] else "no term"
    if subcommand == "analyze":
        return None if answer["tokens"] else "no token"
    raise AssertionError(f"no way known to tell whether `corpus {subcommand}` found something")


def test_the_readme_examples_are_found() -> None:
    """The extraction itself: a README reshuffle that hid the examples would pass vacuously."""
    assert len(SYNTAX_CELLS) >= 10 and all(table_queries(cell) for cell in SYNTAX_CELLS), SYNTAX_CELLS
    assert not [q for q in TABLE_QUERIES if q.startswith("-") or q.endswith(":")], TABLE_QUERIES
    assert {c.argv[0] for c in RUN_COMMANDS} >= {"query", "kwic", "trend", "collocates", "freq", "analyze"}
    assert [c.argv for c in INDEX_COMMANDS] == [("index",)]  # the quick start's
    assert INLINE_COMMANDS and {t.argv[0] for t in TRANSCRIPTS} == {"query", "analyze"}


@pytest.mark.parametrize("query", TABLE_QUERIES)
def test_syntax_table_query_finds_an_article(query: str, readme_index: Path) -> None:
    result = run(["query", "--json", query], readme_index)
    assert result.exit_code == 0, result.output
    answer = json.loads(result.stdout)
    assert answer["total"] >= 1 and answer["hits"], f"`corpus query '{query}'` finds nothing on the bundled articles"


@pytest.mark.parametrize("command", RUN_COMMANDS, ids=lambda c: c.line)
def test_code_block_command_runs_and_finds(
    command: Command, readme_index: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)  # where `--plot trend.png` writes
    result = run(command.argv, readme_index)
    assert result.exit_code == 0, f"{command.line}\n{result.output}"
    assert result.output.strip(), f"{command.line} printed nothing"  # `--plot`: "wrote FILE" on stderr
    if "--plot" in command.argv:
        assert (tmp_path / command.argv[command.argv.index("--plot") + 1]).stat().st_size > 0
    answer = run(as_json(command.argv), readme_index)
    assert answer.exit_code == 0, answer.output
    missing = found_something(command.argv[0], json.loads(answer.stdout))
    assert missing is None, f"`{command.line}` on the bundled articles: {missing}"


def test_skipped_commands_are_the_ones_that_need_more_than_a_local_index() -> None:
    skipped = {c.line: c.skipped for c in BLOCK_COMMANDS if c.skipped}
    assert skipped and all(("serve" in line) or ("--shards" in line) or ("news/" in line) for line in skipped), skipped


@pytest.mark.parametrize("command", INDEX_COMMANDS, ids=lambda c: c.line)
def test_quick_start_indexes_the_bundled_articles(
    command: Command, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """`corpus index` with no SOURCE, from a checkout: corpus/ into ./index."""
    monkeypatch.chdir(tmp_path)
    (tmp_path / "corpus").symlink_to(BUNDLED)
    result = CliRunner().invoke(main, list(command.argv), env={"CORPUS_INDEX": None})
    assert result.exit_code == 0, result.output
    lines = (BUNDLED / "articles.jsonl").read_text(encoding="utf-8").splitlines()
    assert f"added {len(lines)}," in result.output, result.output
    assert (tmp_path / "index" / "current").exists()


def unclocked(lines: str | tuple[str, ...]) -> list[str]:
    """Lines with the time a search took (which varies from run to run) left out."""
    if isinstance(lines, str):
        lines = tuple(lines.splitlines())
    return [re.sub(r"\b\d+ ms\b", "… ms", line.rstrip()) for line in lines]


@pytest.mark.parametrize("transcript", TRANSCRIPTS, ids=lambda t: t.line)
def test_transcript_prints_what_the_readme_shows(transcript: Transcript, readme_index: Path) -> None:
    result = run(transcript.argv, readme_index)
    assert result.exit_code == 0, result.output
    assert unclocked(result.stdout) == unclocked(transcript.output)


def test_python_api_runs_as_written(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The "Python API" code, verbatim, from a checkout's directory (its paths, "index" and
    "corpus/", are relative to it): here a fresh directory holding a link to corpus/, so
    its writes (an added and a deleted article) touch no other test's index."""
    (code,) = [b for b in code_blocks(README) if b.section == "Python API" and b.language == "python"]
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("CORPUS_INDEX", raising=False)
    (tmp_path / "corpus").symlink_to(BUNDLED)
    printed, names = io.StringIO(), {"__name__": "readme"}
    with contextlib.redirect_stdout(printed):
        exec(compile("\n".join(code.lines), "README.md (Python API)", "exec"), names)
    lines = (BUNDLED / "articles.jsonl").read_text(encoding="utf-8").splitlines()
    assert names["report"].added == len(lines)
    assert names["results"].total >= 1 and list(names["results"]), "the snippet's search finds nothing"
    assert names["results"].hits[0].id in printed.getvalue()
