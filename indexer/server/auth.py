"""Who may write: a client showing the configured bearer token; nobody when there is none."""

from __future__ import annotations

import hmac

from indexer.server.errors import ApiError


def require_token(configured: str | None, authorization: str | None) -> None:
    """Pass, or raise 403 (writes are off) or 401 (no or wrong token). The token is
    compared in constant time, so response times do not reveal how much of a guess was right."""
    if configured is None:
        raise ApiError(403, "writes are off: start the server with CORPUS_TOKEN set or --token-file to allow them")
    scheme, _, given = (authorization or "").partition(" ")
    # Header values arrive decoded as Latin-1: back to the bytes sent, a UTF-8 token's included.
    if scheme.lower() != "bearer" or not hmac.compare_digest(given.strip().encode("latin-1"), configured.encode("utf-8")):
        raise ApiError(
            401,
            "writes need the header 'Authorization: Bearer <token>' with the server's token",
            headers={"WWW-Authenticate": 'Bearer realm="corpus"'},
        )
