"""A new user's first hour: every message a library user and a CLI user meet on the way
speaks their language. A Python caller reads the argument (``rebuild=True``, ``since``), a
user of the command its option (``--rebuild``, ``--since``): one error, worded per surface.
Each mistake here is one a user makes (``tests/server/test_date_range.py`` has the server)."""

from __future__ import annotations

import json
import os
import pickle
import re
import socket
from datetime import date
from pathlib import Path

import pytest
from click.testing import CliRunner

from indexer import Corpus, CorpusError, IncompatibleIndexError, IndexBusyError, Limits, QueryError, UsageError
from indexer.cli import main
from indexer.errors import Surface
from indexer.store.lock import WriteLock

CORPUS_DIR = Path(__file__).resolve().parents[1] / "corpus"
#: A command-line option in a message: what a library user must never be told to type.
FLAG = re.compile(r"(?<![\w-])--[a-z]")


@pytest.fixture(scope="module")
def index(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The bundled articles (2015 to 2024), indexed as the README's first line does."""
    path = tmp_path_factory.mktemp("first-hour") / "index"
    with Corpus(path) as corpus:
        corpus.index([CORPUS_DIR])
    return path


def cli(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(main, list(args))
    return result.exit_code, result.stdout, result.stderr


def library_error(call) -> CorpusError:  # type: ignore[no-untyped-def]
    with pytest.raises(CorpusError) as raised:
        call()
    message = str(raised.value)
    assert not FLAG.search(message), f"a library user is told about a command-line option: {message}"
    return raised.value


# --- dates: a since after until finds nothing, so it is refused, naming both ---


def test_a_since_after_until_is_refused_naming_both_in_the_library(index: Path) -> None:
    with Corpus(index) as corpus:
        assert corpus.search("وزير", since="2015", until="2015").total > 0  # one year: a range
        error = library_error(lambda: corpus.search("وزير", since="2024-05-01", until="2024-01-01"))
        assert isinstance(error, UsageError)
        assert str(error).startswith("since='2024-05-01' is after until='2024-01-01'")
        # a month's or a year's bounds are compared: since 2024-05 is after until 2024-04
        assert "since='2024-05' is after until='2024-04'" in str(library_error(lambda: corpus.search("وزير", since="2024-05", until="2024-04")))
        # and a Python date names itself as given
        assert "since=datetime.date(2024, 5, 1)" in str(library_error(lambda: corpus.search("وزير", since=date(2024, 5, 1), until=date(2024, 1, 1))))
        # the views filter the same way
        assert "since='2016' is after until='2015'" in str(library_error(lambda: corpus.kwic("وزير", since="2016", until="2015")))
        assert "since='2016' is after until='2015'" in str(library_error(lambda: corpus.trend(["وزير"], since="2016", until="2015")))
        # filters alone, too (no words: the newest articles the filters admit)
        assert "is after" in str(library_error(lambda: corpus.search("", since="2016", until="2015")))


@pytest.mark.parametrize("command", [["query", "وزير"], ["query"], ["kwic", "وزير"], ["trend", "وزير"], ["collocates", "وزير"], ["freq"]])
def test_a_since_after_until_is_refused_naming_both_options_on_the_command_line(index: Path, command: list[str]) -> None:
    code, out, err = cli(*command, "--since", "2024-05-01", "--until", "2024-01", "--index", str(index))
    assert code == 2 and out == ""
    assert err == "Error: --since 2024-05-01 is after --until 2024-01, so no date can match both: did you swap them?\n"


def test_dates_in_arabic_indic_digits_filter_as_their_western_digits(index: Path) -> None:
    with Corpus(index) as corpus:
        western = [hit.id for hit in corpus.search("وزير", since="2015-07-25", until="2021-12", limit=50)]
        assert western and [hit.id for hit in corpus.search("وزير", since="٢٠١٥-٠٧-٢٥", until="۲۰۲۱-۱۲", limit=50)] == western
    code, out, _ = cli("query", "--json", "--since", "٢٠١٥-٠٧-٢٥", "--until", "٢٠٢١-١٢", "وزير", "-n", "50", "--index", str(index))
    assert code == 0 and re.findall(r'"id":"([^"]+)"', out) == western


def test_a_hijri_looking_date_is_refused_not_read_as_a_gregorian_year(index: Path) -> None:
    with Corpus(index) as corpus:
        error = library_error(lambda: corpus.search("وزير", until="1436-10-09"))
        assert str(error).startswith("until='1436-10-09' reads as the Gregorian year 1436") and "Hijri" in str(error)
    code, _, err = cli("query", "وزير", "--since", "١٤٣٦", "--index", str(index))
    assert code == 2 and err.startswith("Error: --since ١٤٣٦ reads as the Gregorian year 1436") and "Hijri" in err


def test_a_date_that_is_no_date_names_the_argument_or_the_option(index: Path) -> None:
    with Corpus(index) as corpus:
        assert str(library_error(lambda: corpus.search("وزير", since="أمس"))) == "since takes a date as YYYY-MM-DD, YYYY-MM or YYYY, not 'أمس'"
    code, _, err = cli("query", "وزير", "--until", "2015/07/25", "--index", str(index))
    assert code == 2 and err == "Error: --until takes a date as YYYY-MM-DD, YYYY-MM or YYYY, not '2015/07/25'\n"


# --- the library speaks the library's language, the command its own ---


def test_no_index_yet_says_how_to_build_one_in_each_language(tmp_path: Path) -> None:
    missing = tmp_path / "نسخة الفهرس"  # spaces and Arabic letters in the path
    error = library_error(lambda: Corpus(missing).search("وزير"))
    assert str(error) == (
        f"no index at {missing}; build one with Corpus.index(sources) or Corpus.add(articles),"
        " or give Corpus another directory (or set $CORPUS_INDEX)"
    )
    code, _, err = cli("query", "وزير", "--index", str(missing))
    assert code == 1 and err == (
        f"Error: no index at {missing}; build one with `corpus index`, or name another directory with --index DIR or $CORPUS_INDEX\n"
    )


def test_an_index_of_another_analyzer_version_says_how_to_rebuild_in_each_language(tmp_path: Path) -> None:
    path = tmp_path / "index"
    with Corpus(path) as corpus:
        corpus.add({"id": "a1", "title": "وزير الخارجية", "body": "نص عن الوزير"})
    meta = path / "current" / "meta.json"
    meta.write_text(meta.read_text().replace('"analyzer_version":', '"analyzer_version":"0","was":'))
    error = library_error(lambda: Corpus(path).search("وزير"))
    assert isinstance(error, IncompatibleIndexError) and str(error).endswith("; rebuild it: Corpus.index(sources, rebuild=True)")
    code, _, err = cli("query", "وزير", "--index", str(path))
    assert code == 1 and err.endswith("; run `corpus index --rebuild`\n")


def test_a_busy_index_names_wait_in_each_language(tmp_path: Path) -> None:
    path = tmp_path / "index"
    with Corpus(path) as corpus:
        corpus.add({"id": "a1", "title": "وزير الخارجية", "body": "نص"})
        with WriteLock(path):
            error = library_error(lambda: corpus.add({"id": "a2", "title": "وزير", "body": "نص"}))
            assert isinstance(error, IndexBusyError) and "use wait=SECONDS to wait for it" in str(error)
            code, _, err = cli("delete", "a1", "--index", str(path))
            assert code == 3 and "use --wait SECONDS to wait for it" in err


def test_a_generation_given_as_the_index_names_the_index_in_each_language(index: Path) -> None:
    generation = index / "current"
    assert str(library_error(lambda: Corpus(generation).search("وزير"))).endswith(f"open Corpus({str(index)!r}) (or set CORPUS_INDEX to it)")
    code, _, err = cli("stats", "--index", str(generation))
    assert code == 1 and err.endswith(f"give --index {index} (or set CORPUS_INDEX to it)\n")


@pytest.mark.parametrize(
    ("call", "message"),
    [
        (lambda c: c.trend(["وزير"], by="decade"), "by must be one of day, week, month, year, not 'decade'"),
        (lambda c: c.trend(["وزير"], per="words"), "per must be one of articles, million-words, not 'words'"),
        (lambda c: c.collocates("وزير", measure="pmi"), "measure must be one of logdice, mi, t, llr, not 'pmi'"),
        (lambda c: c.collocates("وزير", window=0), "window must be at least 1, not 0"),
        (lambda c: c.collocates("وزير", min_freq=0), "min_freq must be at least 1, not 0"),
        (lambda c: c.freq(sort="keyness"), "sort='keyness' needs a query: keyness compares its articles with the rest"),
        (lambda c: c.freq(top=-1), "top must not be negative, not -1"),
        (lambda c: c.search("وزير", offset=-1), "offset must not be negative, not -1"),
        (lambda c: c.index([CORPUS_DIR], shards=0), "shards must be at least 1, not 0"),
        (lambda c: c.index([CORPUS_DIR], file_format="docx"), "file_format='docx' is not a format: use one of jsonl, json, csv, tsv, text, srt, html, xml"),
        (lambda c: c.index([CORPUS_DIR], shards=2), "is not sharded: add rebuild=True to split it into 2 shards"),
        (lambda c: c.index([CORPUS_DIR], limits={"file": 2**30}), "limits must be an indexer.Limits, e.g. Limits(file=2**30), not dict {'file': 1073741824}"),
        (lambda c: c.index([CORPUS_DIR], wait="5"), "wait must be a number of seconds, 0 or more (int or float), not str '5'"),
        (lambda c: c.index([CORPUS_DIR], fields=["body"]), "fields must map a field to a source key, e.g. {'body': 'text'}, not list ['body']"),
    ],
)
def test_a_bad_argument_is_named_as_the_library_names_it(index: Path, call, message: str) -> None:  # type: ignore[no-untyped-def]
    with Corpus(index) as corpus:
        error = library_error(lambda: call(corpus))
    assert isinstance(error, UsageError) and message in str(error)


def test_the_command_names_the_same_settings_by_its_options(index: Path) -> None:
    assert cli("freq", "--sort", "keyness", "--index", str(index))[2] == (
        "Error: --sort keyness needs a QUERY: keyness compares its articles with the rest\n"
    )
    code, _, err = cli("index", "--shards", "2", "--quiet", "--index", str(index), str(CORPUS_DIR))
    assert code == 2 and "is not sharded: add --rebuild to split it into 2 shards" in err


def test_limits_given_as_limits_still_work(tmp_path: Path) -> None:
    with Corpus(tmp_path / "index") as corpus:
        assert corpus.index([CORPUS_DIR], limits=Limits(article=64), wait=0.5).skipped_count > 0


# --- directories a user mixes up ---


def test_an_index_is_not_written_among_other_files(tmp_path: Path) -> None:
    articles = tmp_path / "أخبار"
    articles.mkdir()
    (articles / "articles.jsonl").write_bytes((CORPUS_DIR / "articles.jsonl").read_bytes())
    error = library_error(lambda: Corpus(articles).index([articles]))
    assert str(error) == (
        f"{articles} holds other files (articles.jsonl) and no corpus index: an index is not written"
        " among them; name a new or empty directory for the index"
    )
    library_error(lambda: Corpus(articles).add({"id": "a1", "title": "وزير", "body": "نص"}))
    code, _, err = cli("index", "--index", str(articles), str(articles))  # `corpus index --index corpus`
    assert code == 2 and "holds other files (articles.jsonl)" in err
    assert sorted(p.name for p in articles.iterdir()) == ["articles.jsonl"]  # nothing was written


def test_an_empty_directory_or_one_holding_hidden_files_takes_an_index(tmp_path: Path) -> None:
    path = tmp_path / "index"
    path.mkdir()
    (path / ".DS_Store").write_bytes(b"\0")
    with Corpus(path) as corpus:
        assert corpus.index([CORPUS_DIR]).added == 39
        assert corpus.index([CORPUS_DIR]).unchanged == 39  # and its own files are no obstacle


def test_an_index_given_as_a_source_is_refused_naming_the_option(index: Path, tmp_path: Path) -> None:
    error = library_error(lambda: Corpus(tmp_path / "other").index([index]))
    assert str(error) == (
        f"{index} is a corpus index, not articles to index: to write to it, open Corpus({str(index)!r})"
        " and name the files or directories of articles as sources"
    )
    code, _, err = cli("index", str(index / "current"), "--index", str(tmp_path / "other"))  # `corpus index idx`
    assert code == 2 and f"is a corpus index, not articles to index: to write to it, give --index {index} and" in err
    assert not (tmp_path / "other").exists()


# --- the command line's own mistakes ---


def test_query_with_no_words_and_no_filter_says_what_to_give(index: Path) -> None:
    for words in ([], ["   "]):
        code, out, err = cli("query", *words, "--index", str(index))
        assert code == 2 and out == ""
        assert err == "Error: nothing to search for: give WORDS, or a filter (--source, --since, --until) to list the newest articles\n"


def test_a_blank_query_of_a_view_gets_no_caret_under_spaces(index: Path) -> None:
    code, _, err = cli("collocates", "  ", "--index", str(index))
    assert code == 2 and err == "Error: empty query at position 0\n"


def test_a_misspelled_command_or_option_gets_click_suggestion(index: Path) -> None:
    code, _, err = cli("qeury", "وزير")
    assert code == 2 and "No such command 'qeury'. Did you mean 'query'?" in err and "Traceback" not in err
    code, _, err = cli("query", "--limt", "3", "وزير", "--index", str(index))
    assert code == 2 and "No such option '--limt'" in err and "'--limit'" in err


def test_limit_zero_counts_and_a_negative_page_is_refused(index: Path) -> None:
    code, out, _ = cli("query", "وزير", "--limit", "0", "--index", str(index))
    assert code == 0 and re.match(r"\d+ matching articles \(0 shown", out)
    for option in ("--limit", "--offset"):
        code, _, err = cli("query", "وزير", option, "-1", "--index", str(index))
        assert code == 2 and "-1 is not in the range x>=0" in err


def test_a_word_typed_in_another_encoding_is_refused_saying_so(index: Path, tmp_path: Path) -> None:
    cp1256 = "وزير".encode("cp1256")  # a terminal set to cp1256: Python keeps the bytes as surrogates
    code, out, err = cli("query", os.fsdecode(cp1256), "--index", str(index))
    assert code == 2 and out == "" and "Traceback" not in err
    assert "Error: the argument '\ufffd\ufffd\ufffd\ufffd' is not UTF-8 text (byte 0xE6 at byte 0): set the terminal to UTF-8" in err
    # a path is bytes: a file named in cp1256 is still read
    named = tmp_path / os.fsdecode("أخبار".encode("cp1256") + b".jsonl")
    named.write_bytes((CORPUS_DIR / "articles.jsonl").read_bytes())
    code, _, err = cli("index", "--quiet", "--index", str(tmp_path / "index"), str(named))
    assert code == 0, err


def test_a_source_no_article_comes_from_is_named_beside_the_empty_answer(index: Path) -> None:
    code, out, err = cli("query", "وزير", "--source", "sabqq", "--index", str(index))
    assert code == 0 and out.startswith("0 matching articles")
    assert err == "note: no article of the index comes from the source 'sabqq'; did you mean 'sabq'? (`corpus stats` lists the sources)\n"
    code, out, err = cli("query", "وزير", "--source", "SABQ", "--since", "2031", "--index", str(index))
    assert code == 0 and out.startswith("0 matching articles") and err == ""  # sabq is a source: the dates found nothing


def test_a_query_of_an_index_without_articles_says_so(tmp_path: Path) -> None:
    path = tmp_path / "index"
    broken = tmp_path / "broken.jsonl"
    broken.write_text('{"id": "a1", "title": "وزير الخارجية"\n', encoding="utf-8")  # every line skipped
    assert cli("index", "--quiet", "--index", str(path), str(broken))[0] == 0
    code, out, err = cli("query", "وزير", "--index", str(path))
    assert code == 0 and out.startswith("0 matching articles")
    assert err == f"note: the index at {path} holds no articles yet: `corpus index SOURCE...` adds them\n"


def test_serve_on_a_port_in_use_is_one_line_and_exit_1_not_the_busy_index_code(index: Path) -> None:
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        code, out, err = cli("serve", "--index", str(index), "--port", str(port))
    assert code == 1 and out == ""  # 3 is the README's "the index is busy"
    assert err == (
        f"Error: cannot listen on 127.0.0.1:{port}: Address already in use;"
        " another program listens there: stop it, or choose another --port\n"
    )
    code, _, err = cli("serve", "--index", str(index), "--host", "no-such-host.invalid", "--port", "0")
    assert code == 1 and err.startswith("Error: cannot listen on no-such-host.invalid:0: ") and "--host" in err


def test_corpus_index_pointing_nowhere_is_named_with_what_to_do(tmp_path: Path) -> None:
    nowhere = tmp_path / "لا شيء هنا"
    result = CliRunner().invoke(main, ["query", "وزير"], env={"CORPUS_INDEX": str(nowhere)})
    assert result.exit_code == 1 and "Traceback" not in result.stderr
    assert result.stderr == f"Error: no index at {nowhere}; build one with `corpus index`, or name another directory with --index DIR or $CORPUS_INDEX\n"
    assert str(library_error(lambda: Corpus(nowhere).stats())).startswith(f"no index at {nowhere}; build one with Corpus.index(sources)")


def test_an_error_keeps_its_wordings_through_pickle(index: Path) -> None:
    """A task queue or a Dask worker sends the error on: each surface still words it its way."""
    with Corpus(index) as corpus:
        error = library_error(lambda: corpus.search("وزير", since="2024-05-01", until="2024-01-01"))
    again = pickle.loads(pickle.dumps(error))
    assert type(again) is UsageError and str(again) == str(error)
    assert again.worded(Surface.CLI).startswith("--since 2024-05-01 is after --until 2024-01-01")
    assert again.worded(Surface.SERVER).startswith("since=2024-05-01 is after until=2024-01-01")


def test_a_skipped_file_says_what_reads_it_in_the_library_words_and_the_command_words(tmp_path: Path) -> None:
    feed = tmp_path / "feed"
    feed.mkdir()
    (feed / "README.md").write_text("# ملاحظات\n", encoding="utf-8")
    (feed / "numbers.csv").write_text("a,b\n1,2\n", encoding="utf-8")
    (tmp_path / "elsewhere.jsonl").write_text('{"id": "x", "title": "وزير"}\n', encoding="utf-8")
    (feed / "link.jsonl").symlink_to(tmp_path / "elsewhere.jsonl")
    with Corpus(tmp_path / "index") as corpus:
        reasons = {Path(p.origin).name: p.reason for p in corpus.index([feed]).skipped}
    assert reasons["README.md"] == ".md files are not read (not a format corpus lists); file_format=NAME reads them as NAME"
    assert reasons["numbers.csv"] == "no title or body column (columns: a, b); map one with fields={'body': 'COLUMN'}"
    assert reasons["link.jsonl"].endswith("outside the SOURCE: not followed (follow_links=True reads it)")
    assert not any(FLAG.search(reason) for reason in reasons.values())
    code, _, err = cli("index", "--index", str(tmp_path / "cli-index"), str(feed))
    assert code == 0
    assert f"{feed / 'README.md'}: .md files are not read (not a format corpus lists); --format NAME reads them as NAME\n" in err
    assert f"{feed / 'numbers.csv'}: no title or body column (columns: a, b); map one with --field body=COLUMN\n" in err
    assert "outside the SOURCE: not followed (--follow-links reads it)\n" in err
    code, out, _ = cli("index", "--json", "--index", str(tmp_path / "cli-index"), str(feed))
    listed = {Path(p["origin"]).name: p["reason"] for p in json.loads(out)["skipped"]}
    assert listed["README.md"].endswith("--format NAME reads them as NAME") and listed["numbers.csv"].endswith("--field body=COLUMN")


def test_a_hijri_looking_date_in_the_query_is_refused_at_its_position(index: Path) -> None:
    with Corpus(index) as corpus:
        with pytest.raises(QueryError) as raised:
            corpus.search("وزير تاريخ:[١٤٣٦ TO 1437-02]")
    error = raised.value
    assert error.query[error.position:].startswith("١٤٣٦") and str(error).startswith("'١٤٣٦' reads as the Gregorian year 1436")
    code, _, err = cli("query", "وزير date:1436-10", "--index", str(index))
    assert code == 2 and "'1436-10' reads as the Gregorian year 1436, before any news" in err
