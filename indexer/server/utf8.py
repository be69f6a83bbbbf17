"""Addresses must be UTF-8: a client that sends Arabic in another encoding (Windows-1256,
say) is told so, instead of having its text silently turned into U+FFFD and searched or
looked up."""

from __future__ import annotations

from urllib.parse import unquote_to_bytes

from fastapi import Request

from indexer.server.errors import ApiError


def require_utf8_query(request: Request) -> None:
    """Pass, or raise 400 naming the path or the first parameter whose value is not UTF-8
    once percent-decoded (uvicorn and Starlette would decode it with ``errors="replace"``)."""
    _check(unquote_to_bytes(request.scope.get("raw_path") or b""), "the path", parameter="path")
    for pair in request.scope.get("query_string", b"").split(b"&"):
        raw_name, _, raw_value = pair.partition(b"=")
        name = unquote_to_bytes(raw_name.replace(b"+", b" ")).decode("utf-8", "replace")
        _check(unquote_to_bytes(raw_value.replace(b"+", b" ")), name, parameter=name)


def _check(raw: bytes, what: str, parameter: str) -> None:
    try:
        raw.decode("utf-8")
    except UnicodeDecodeError as error:
        raise ApiError(
            400, f"{what}: not UTF-8 (byte 0x{raw[error.start]:02X} at byte {error.start}): percent-encode the text as UTF-8",
            parameter=parameter,
        ) from None
