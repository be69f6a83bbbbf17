"""``corpus serve``: run the API and the search page under uvicorn."""

from __future__ import annotations

import errno
import os
import socket
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import click

from indexer.errors import CorpusError, UsageError
from indexer.server.settings import check_origin, read_token


@click.command()
@click.option("--index", "index_path", type=click.Path(file_okay=False), envvar="CORPUS_INDEX", default="index", show_default=True, help="Index directory (or set CORPUS_INDEX).")
@click.option("--host", default="127.0.0.1", show_default=True, help="Address to listen on (loopback unless told otherwise).")
@click.option("--port", type=click.IntRange(0, 65535), default=8000, show_default=True, help="Port to listen on.")
@click.option("--workers", type=click.IntRange(min=1), default=1, show_default=True, help="Worker processes.")
@click.option("--token-file", type=click.Path(dir_okay=False, exists=True), help="File holding the write token (or set CORPUS_TOKEN); without one, writes are off.")
@click.option("--root-path", default="", help="URL prefix when a reverse proxy serves it under a path, e.g. /corpus.")
@click.option("--forwarded-allow-ips", default="127.0.0.1", show_default=True, help="Proxies trusted for X-Forwarded-For/-Proto.")
@click.option("--cluster", metavar="ADDRESS", help="Search the shards through Dask actors of this scheduler (tcp://HOST:8786).")
@click.option("--cors-origin", "cors_origins", multiple=True, metavar="ORIGIN", help="Let pages of this web origin call the API from a browser (repeat; * for any).")
def serve(index_path, host, port, workers, token_file, root_path, forwarded_allow_ips, cluster, cors_origins) -> None:
    """Serve the JSON API and the Arabic search page over HTTP."""
    import uvicorn

    if token_file:
        read_token(Path(token_file))  # fail here, in one line, not in every worker
    if root_path and not root_path.startswith("/"):
        raise UsageError(f"--root-path must start with '/', not {root_path!r}")
    handed = {  # how each worker process learns its settings (Settings.from_environment)
        "CORPUS_INDEX": str(Path(index_path).resolve()),
        "CORPUS_CORS_ORIGINS": " ".join(check_origin(origin) for origin in cors_origins),
        **({"CORPUS_TOKEN_FILE": str(Path(token_file).resolve())} if token_file else {}),
        **({"CORPUS_CLUSTER": cluster} if cluster else {}),  # each worker connects its own client
    }
    writes = "on (bearer token)" if token_file or os.environ.get("CORPUS_TOKEN") else "off (no token)"
    check_listening(host, port)
    click.echo(f"corpus: serving {handed['CORPUS_INDEX']} on http://{host}:{port}{root_path}/ ; writes {writes}", err=True)
    try:
        with environment(handed):
            uvicorn.run(
                "indexer.server.app:app_from_environment",
                factory=True,
                host=host,
                port=port,
                workers=workers,
                root_path=root_path,
                proxy_headers=True,
                forwarded_allow_ips=forwarded_allow_ips,
                log_level="info",
                access_log=True,
            )
    except SystemExit as stop:
        # uvicorn's 3 for a server that did not start would read as the README's "index busy"
        if stop.code == UVICORN_STARTUP_FAILURE:
            raise CorpusError("corpus serve did not start: see uvicorn's ERROR line above") from None
        raise


@contextmanager
def environment(variables: dict[str, str]) -> Iterator[None]:
    """``variables`` set in this process's environment while the block runs, the
    environment as it was afterwards: the command run in-process (by a test, or an app
    that calls it) leaves no CORPUS_INDEX behind for the next command to find."""
    before = {name: os.environ.get(name) for name in variables}
    os.environ.update(variables)
    try:
        yield
    finally:
        for name, value in before.items():
            if value is None:
                os.environ.pop(name, None)
            else:
                os.environ[name] = value


#: uvicorn's exit code when its server did not start (uvicorn.main.STARTUP_FAILURE).
UVICORN_STARTUP_FAILURE = 3
#: What to do about an address the server cannot listen on, by errno.
_LISTEN_HINTS = {
    errno.EADDRINUSE: "another program listens there: stop it, or choose another --port",
    errno.EADDRNOTAVAIL: "this machine has no such address: choose another --host",
    errno.EACCES: "a port under 1024 needs more rights: choose another --port",
}


def check_listening(host: str, port: int) -> None:
    """A ``CorpusError`` (exit 1, one line) when ``host:port`` cannot be listened on, before
    uvicorn starts and fails with a log and its own exit code."""
    try:
        addresses = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM, flags=socket.AI_PASSIVE)
    except socket.gaierror as error:
        raise CorpusError(f"cannot listen on {host}:{port}: {error.strerror}; choose another --host") from None
    family, kind, protocol, _, address = addresses[0]
    with socket.socket(family, kind, protocol) as probe:
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)  # as uvicorn binds
        try:
            probe.bind(address)
        except OSError as error:
            hint = _LISTEN_HINTS.get(error.errno)
            raise CorpusError(f"cannot listen on {host}:{port}: {error.strerror}" + (f"; {hint}" if hint else "")) from None
