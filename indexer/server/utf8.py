"""Query strings must be UTF-8: a client that sends Arabic in another encoding (Windows-1256,
say) is told so, instead of having its text silently turned into U+FFFD and searched."""

from __future__ import annotations

from urllib.parse import unquote_to_bytes

from fastapi import Request

from indexer.server.errors import ApiError


def require_utf8_query(request: Request) -> None:
    """Pass, or raise 400 naming the first parameter whose value is not UTF-8 once
    percent-decoded (Starlette would decode it with ``errors="replace"``)."""
    for pair in request.scope.get("query_string", b"").split(b"&"):
        raw_name, _, raw_value = pair.partition(b"=")
        name = unquote_to_bytes(raw_name.replace(b"+", b" ")).decode("utf-8", "replace")
        value = unquote_to_bytes(raw_value.replace(b"+", b" "))
        try:
            value.decode("utf-8")
        except UnicodeDecodeError as error:
            raise ApiError(
                400, f"{name}: not UTF-8 (byte 0x{value[error.start]:02X} at byte {error.start} of the value): "
                "percent-encode the text as UTF-8", parameter=name,
            ) from None
