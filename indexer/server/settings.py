"""What a server is started with: the index, the write token, the limits."""

from __future__ import annotations

import os
import re
from dataclasses import dataclass
from pathlib import Path

from indexer.corpus import default_index_path
from indexer.errors import UsageError

#: The most hits one request returns (a page of results; more means paging).
MAX_LIMIT = 100
#: The deepest hit a request may page to (``offset``), as search engines cap deep paging.
MAX_OFFSET = 10_000
#: The largest request body a write accepts, in bytes.
MAX_BODY_BYTES = 16 * 1024 * 1024
#: Seconds a client is told to wait (``Retry-After``) when another writer holds the index.
RETRY_AFTER_SECONDS = 5


@dataclass(frozen=True)
class Settings:
    """``token``: writes are allowed only with this bearer token; None turns them off.
    ``cluster``: a Dask scheduler address whose actors search the shards (`Corpus`).
    ``cors_origins``: the web origins whose pages may call the API from a browser
    (``https://app.example.com``, or ``*`` for any); none by default."""

    index: Path
    token: str | None = None
    max_body_bytes: int = MAX_BODY_BYTES
    cluster: str | None = None
    cors_origins: tuple[str, ...] = ()

    @classmethod
    def from_environment(cls) -> Settings:
        """``CORPUS_INDEX``, ``CORPUS_CLUSTER``, ``CORPUS_CORS_ORIGINS`` (separated by
        spaces), and the token from ``CORPUS_TOKEN_FILE`` or ``CORPUS_TOKEN`` (how ``corpus
        serve`` hands them to each worker process)."""
        token_file = os.environ.get("CORPUS_TOKEN_FILE")
        token = read_token(Path(token_file)) if token_file else os.environ.get("CORPUS_TOKEN") or None
        origins = tuple(check_origin(o, "CORPUS_CORS_ORIGINS") for o in os.environ.get("CORPUS_CORS_ORIGINS", "").split())
        return cls(index=default_index_path(), token=token, cluster=os.environ.get("CORPUS_CLUSTER") or None, cors_origins=origins)


#: A web origin as browsers send it: scheme, host and an optional port, nothing after.
_ORIGIN = re.compile(r"https?://[^\s/?#]+")


def check_origin(origin: str, given_as: str = "--cors-origin") -> str:
    """``origin`` if it is ``*`` or a web origin (``https://app.example.com:8443``), else
    a usage error saying what an origin looks like, naming where it was ``given_as`` (the
    option, or the environment variable an app served by another server reads)."""
    if origin == "*" or _ORIGIN.fullmatch(origin):
        return origin
    raise UsageError(f"{given_as} takes an origin such as https://app.example.com (scheme, host, port; no path) or *, not {origin!r}")


def read_token(path: Path) -> str:
    """The token in ``path`` (its first line, stripped); a missing or empty file is an error."""
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except (OSError, UnicodeDecodeError) as error:
        raise UsageError(f"cannot read the token file {path}: {error}") from error
    token = lines[0].strip() if lines else ""
    if not token:
        raise UsageError(f"the token file {path} is empty: write the token on its first line")
    return token
