"""read_sources: walking, order, hidden files, ids, eager argument errors, forced encoding."""

from __future__ import annotations

import ast
from collections.abc import Callable
from pathlib import Path

import pytest

import indexer.sources
from indexer.sources import SourceError, read_sources
from tests.sources.sources_helpers import articles, read_all

Write = Callable[[str, str | bytes], Path]


def test_directory_walk_is_sorted_and_skips_hidden(write: Write, tmp_path: Path) -> None:
    for name in (
        "corpus/b.txt",
        "corpus/a/z.txt",
        "corpus/a.txt",
        "corpus/.hidden.txt",
        "corpus/.git/x.txt",
        "corpus/a/.cache/y.txt",
    ):
        write(name, f"عنوان {name}\nنص")
    ids = [a.id for a in articles(read_all(tmp_path / "corpus"))]
    assert ids == ["corpus/a/z.txt", "corpus/a.txt", "corpus/b.txt"]


def test_ids_do_not_depend_on_how_the_root_is_spelled(
    write: Write, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    write("corpus/news.jsonl", '{"title": "a"}\n{"title": "b"}\n')
    monkeypatch.chdir(tmp_path)
    spellings = ["corpus", "corpus/", "./corpus", str(tmp_path / "corpus")]
    ids = {tuple(a.id for a in articles(read_all(s))) for s in spellings}
    assert ids == {("corpus/news.jsonl#1", "corpus/news.jsonl#2")}
    monkeypatch.chdir(tmp_path / "corpus")
    assert [a.id for a in articles(read_all("."))] == ["corpus/news.jsonl#1", "corpus/news.jsonl#2"]


def test_a_file_named_directly_uses_its_name(write: Write) -> None:
    path = write("corpus/news.jsonl", '{"title": "a"}\n')
    (article,) = read_all(path)
    assert article.id == "news.jsonl#1" and article.origin == f"{path}:1"


def test_several_sources_in_the_order_given(write: Write, tmp_path: Path) -> None:
    second, first = write("z.txt", "ز"), write("a.txt", "أ")
    assert [a.title for a in read_all(second, first)] == ["ز", "أ"]


def test_missing_path_raises_at_call_time(tmp_path: Path) -> None:
    with pytest.raises(SourceError, match=r"no such file or directory: .*nope"):
        read_sources([tmp_path / "nope"])  # not even iterated


def test_bad_field_mapping_raises_at_call_time(tmp_path: Path) -> None:
    with pytest.raises(SourceError, match="unknown field 'author'"):
        read_sources([tmp_path], fields={"author": "by"})


def test_unknown_encoding_raises_at_call_time(tmp_path: Path) -> None:
    with pytest.raises(SourceError, match="unknown encoding 'klingon'"):
        read_sources([tmp_path], encoding="klingon")


def test_forced_encoding_applies_to_every_format(write: Write, tmp_path: Path) -> None:
    text = "عنوان\nنص"
    write("c/a.txt", text.encode("cp1256"))
    write("c/b.jsonl", '{"title": "عنوان"}\n'.encode("cp1256"))
    write("c/c.csv", "title,body\nعنوان,نص\n".encode("cp1256"))
    found = articles(read_all(tmp_path / "c", encoding="windows-1256"))
    assert [a.title for a in found] == ["عنوان"] * 3


def test_forced_utf16_jsonl(write: Write) -> None:
    path = write("w.jsonl", '{"title": "عنوان"}\n{"title": "آخر"}\n'.encode("utf-16-le"))
    assert [a.title for a in articles(read_all(path, encoding="utf-16-le"))] == ["عنوان", "آخر"]


def test_forced_encoding_that_does_not_fit_is_a_skip(write: Write) -> None:
    (skip,) = read_all(write("a.txt", "عنوان".encode()), encoding="ascii")
    assert skip.reason.startswith("not valid ascii")


def test_unreadable_file_is_a_skip(write: Write) -> None:
    path = write("locked.txt", "x")
    path.chmod(0)
    try:
        if _can_read(path):
            pytest.skip("running as a user who can read anything (root)")
        (skip,) = read_all(path)
        assert skip.reason.startswith("cannot read file")
    finally:
        path.chmod(0o644)


def _can_read(path: Path) -> bool:
    try:
        path.read_bytes()
    except PermissionError:
        return False
    return True


def test_public_api() -> None:
    assert set(indexer.sources.__all__) == {
        "Article",
        "Notice",
        "Skip",
        "SourceError",
        "decode",
        "parse_date",
        "parse_field_overrides",
        "read_sources",
        "source_bytes",
        "FORMATS",
        "within_article_limit",
    }


def test_sources_never_import_whoosh() -> None:
    package = Path(indexer.sources.__file__).parent
    for module in package.rglob("*.py"):
        tree = ast.parse(module.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            names = []
            if isinstance(node, ast.Import):
                names = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom):
                names = [node.module or ""]
            assert not any(name.split(".")[0] == "whoosh" for name in names), module
