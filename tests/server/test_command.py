"""``corpus serve`` refuses bad settings in one line before it starts anything."""

from __future__ import annotations

import pytest

from click.testing import CliRunner

from indexer.cli import main


def test_an_empty_token_file_is_refused(tmp_path):
    token_file = tmp_path / "token"
    token_file.write_text("\n", encoding="utf-8")
    result = CliRunner().invoke(main, ["serve", "--index", str(tmp_path / "index"), "--token-file", str(token_file)])
    assert result.exit_code == 2
    assert result.output.strip() == f"Error: the token file {token_file} is empty: write the token on its first line"


def test_a_missing_token_file_is_refused(tmp_path):
    result = CliRunner().invoke(main, ["serve", "--token-file", str(tmp_path / "nope")])
    assert result.exit_code == 2 and "does not exist" in result.output


def test_a_root_path_must_start_with_a_slash(tmp_path):
    result = CliRunner().invoke(main, ["serve", "--index", str(tmp_path / "index"), "--root-path", "corpus"])
    assert result.exit_code == 2 and "--root-path must start with '/'" in result.output


def test_help_names_every_option():
    result = CliRunner().invoke(main, ["serve", "--help"])
    assert result.exit_code == 0
    for option in ("--index", "--host", "--port", "--workers", "--token-file", "--root-path", "--forwarded-allow-ips", "--cors-origin"):
        assert option in result.output


def test_a_cors_origin_must_be_an_origin(tmp_path):
    result = CliRunner().invoke(main, ["serve", "--index", str(tmp_path / "index"), "--cors-origin", "https://app.example.com/search"])
    assert result.exit_code == 2 and "--cors-origin takes an origin such as https://app.example.com" in result.output


def test_an_origin_from_the_environment_is_named_as_its_variable(monkeypatch, tmp_path):
    from indexer.errors import UsageError
    from indexer.server.settings import Settings

    monkeypatch.setenv("CORPUS_INDEX", str(tmp_path / "index"))
    monkeypatch.setenv("CORPUS_CORS_ORIGINS", "https://app.example.com app.example.com")
    with pytest.raises(UsageError, match="^CORPUS_CORS_ORIGINS takes an origin such as .* not 'app.example.com'$"):
        Settings.from_environment()


def test_serve_run_in_process_leaves_the_environment_as_it_found_it(monkeypatch, tmp_path):
    # corpus serve hands its settings to the worker processes through the environment;
    # run in-process (a test, an app calling the command), it must not leave CORPUS_INDEX
    # behind, where the next command would take it for the user's choice of index.
    import os
    import socket

    for name in ("CORPUS_INDEX", "CORPUS_CORS_ORIGINS", "CORPUS_TOKEN_FILE", "CORPUS_CLUSTER"):
        monkeypatch.delenv(name, raising=False)
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        result = CliRunner().invoke(main, ["serve", "--index", str(tmp_path / "index"), "--port", str(port)])
    assert result.exit_code == 1
    assert "CORPUS_INDEX" not in os.environ and "CORPUS_CORS_ORIGINS" not in os.environ


def test_the_environment_is_handed_for_the_run_only(monkeypatch):
    import os

    from indexer.server.command import environment

    monkeypatch.setenv("CORPUS_INDEX", "/the/user/s")
    monkeypatch.delenv("CORPUS_CLUSTER", raising=False)
    with environment({"CORPUS_INDEX": "/served", "CORPUS_CLUSTER": "tcp://x:8786"}):
        assert (os.environ["CORPUS_INDEX"], os.environ["CORPUS_CLUSTER"]) == ("/served", "tcp://x:8786")
    assert os.environ["CORPUS_INDEX"] == "/the/user/s" and "CORPUS_CLUSTER" not in os.environ
