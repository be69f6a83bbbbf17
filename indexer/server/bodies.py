"""Reading the articles a client posts: one JSON object, a JSON array, or JSON Lines."""

from __future__ import annotations

from collections.abc import AsyncIterator

import orjson

from indexer.server.errors import ApiError


async def read_limited(chunks: AsyncIterator[bytes], declared: str | None, limit: int) -> bytes:
    """The request body, refused with 413 as soon as it (or its Content-Length) passes ``limit``."""
    too_big = ApiError(413, f"the request body is over {limit:,} bytes: send the articles in smaller batches", limit=limit)
    if declared is not None and declared.strip().isdigit() and int(declared) > limit:
        raise too_big
    body = bytearray()
    async for chunk in chunks:
        body += chunk
        if len(body) > limit:
            raise too_big
    return bytes(body)


def parse_articles(body: bytes) -> list:
    """The posted items, in order: a JSON document (an object is one article, an array is
    many) or JSON Lines (one per non-blank line). A line that is not JSON is a 400 naming
    it; items that are not articles go on to ``Corpus.add``, which reports them skipped."""
    if not body.strip():
        raise ApiError(400, "the request body is empty: send an article object, an array of them, or JSON Lines")
    try:
        whole = orjson.loads(body)
    except orjson.JSONDecodeError as error:
        return _json_lines(body, error)
    return whole if isinstance(whole, list) else [whole]


def _json_lines(body: bytes, whole_error: orjson.JSONDecodeError) -> list:
    lines = body.split(b"\n")
    if sum(1 for line in lines if line.strip()) < 2:
        raise ApiError(400, f"the body is not JSON: {whole_error}", line=1)
    items = []
    for number, line in enumerate(lines, start=1):
        if not line.strip():
            continue
        try:
            items.append(orjson.loads(line))
        except orjson.JSONDecodeError as error:
            raise ApiError(400, f"line {number} is not JSON: {error}", line=number) from None
    return items
