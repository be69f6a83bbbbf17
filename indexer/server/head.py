"""HEAD on every page and API route: HTTP requires a server to answer HEAD wherever it
answers GET (RFC 9110, 9.1), and monitors and link checkers send it, but FastAPI routes
only the methods they declare."""

from __future__ import annotations

from starlette.types import ASGIApp, Message, Receive, Scope, Send


class HeadAsGet:
    """Answer a HEAD request as the GET it names, with the same status and headers
    (``Content-Length`` included) and no body."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["method"] != "HEAD":
            await self.app(scope, receive, send)
            return

        async def without_body(message: Message) -> None:
            if message["type"] == "http.response.body":
                message = {**message, "body": b""}
            await send(message)

        await self.app({**scope, "method": "GET"}, receive, without_body)
