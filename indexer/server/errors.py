"""Every failure as a clear answer: the status a client can act on and one JSON object
``{"error": ...}`` naming what was wrong (the query position, the parameter, the line).

No input may produce a 500: a 500 here is a bug, logged with its traceback and answered
without one.
"""

from __future__ import annotations

import logging

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import Response
from starlette.exceptions import HTTPException

from indexer.errors import CorpusError, IndexBusyError, Surface, UsageError
from indexer.query import QueryError
from indexer.server.responses import ArabicJSONResponse
from indexer.server.settings import RETRY_AFTER_SECONDS

log = logging.getLogger("corpus.server")


class ApiError(Exception):
    """An answer other than 200: ``status``, a message, and fields that locate the problem."""

    def __init__(self, status: int, message: str, headers: dict[str, str] | None = None, **where: object) -> None:
        super().__init__(message)
        self.status, self.message, self.headers, self.where = status, message, headers, where


def error_json(status: int, message: str, headers: dict[str, str] | None = None, **where: object) -> Response:
    return ArabicJSONResponse({"error": message, **where}, status_code=status, headers=headers)


def as_api_error(error: Exception) -> ApiError:
    """The answer for a library error: a bad query or parameter is the client's (400), a
    busy index is temporary (503, retry later), a missing or damaged index is the server's
    to fix (503)."""
    if isinstance(error, ApiError):
        return error
    if isinstance(error, QueryError):
        return ApiError(400, str(error), position=error.position, hint=error.hint)
    if isinstance(error, IndexBusyError):
        return ApiError(503, error.worded(Surface.SERVER), headers={"Retry-After": str(RETRY_AFTER_SECONDS)})
    if isinstance(error, UsageError):
        return ApiError(400, error.worded(Surface.SERVER))
    if isinstance(error, CorpusError):
        return ApiError(503, error.worded(Surface.SERVER))
    raise TypeError(f"not a library error: {error!r}")


def install(app: FastAPI, html_error) -> None:  # type: ignore[no-untyped-def]
    """Answer every error as JSON under ``/api`` and through ``html_error(request,
    status, message)`` elsewhere."""

    def answer(request: Request, error: ApiError) -> Response:
        if request.url.path.startswith("/api"):
            return error_json(error.status, error.message, error.headers, **error.where)
        return html_error(request, error.status, error.message)

    @app.exception_handler(ApiError)
    @app.exception_handler(CorpusError)
    async def library_error(request: Request, error: Exception) -> Response:
        return answer(request, as_api_error(error))

    @app.exception_handler(RequestValidationError)
    async def bad_parameter(request: Request, error: RequestValidationError) -> Response:
        first = error.errors()[0]
        location = [str(part) for part in first.get("loc", ()) if part not in ("query", "path", "body")]
        name = ".".join(location) or "request"
        return answer(request, ApiError(422, f"{name}: {first.get('msg', 'invalid value')}", parameter=name))

    @app.exception_handler(HTTPException)
    async def http_error(request: Request, error: HTTPException) -> Response:
        return answer(request, ApiError(error.status_code, str(error.detail), headers=error.headers))

    @app.exception_handler(Exception)
    async def bug(request: Request, error: Exception) -> Response:
        log.exception("internal error answering %s %s", request.method, request.url.path)
        return answer(request, ApiError(500, f"internal error: {type(error).__name__}"))
