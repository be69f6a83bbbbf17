"""The ASGI application: one ``Corpus`` shared by every request, the API and the pages."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from importlib.metadata import PackageNotFoundError, version

from fastapi import Depends, FastAPI, Request, Response
from fastapi.middleware.cors import CORSMiddleware

from indexer.corpus import Corpus
from indexer.server import api, errors, pages, views_api
from indexer.server.assets import Assets
from indexer.server.head import HeadAsGet
from indexer.server.settings import Settings
from indexer.server.utf8 import require_utf8_query

#: Sent with every answer: the page runs only its own script and style (an article's text
#: cannot add any), and is never framed by another site.
SECURITY_HEADERS = {
    "Content-Security-Policy": "default-src 'self'; img-src 'self' data:; object-src 'none'; base-uri 'none'; frame-ancestors 'none'",
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "same-origin",
}

DESCRIPTION = (
    "Full-text search over a corpus of Arabic news articles. JSON is UTF-8 with Arabic not escaped; "
    "errors are `{\"error\": ...}` with the query `position` or the `parameter` at fault. "
    "Writes need `Authorization: Bearer <token>` and are off when the server has no token."
)


def create_app(settings: Settings) -> FastAPI:
    """The server for ``settings.index``. Index changes (the nightly job, another
    process) are seen by the next request: ``Corpus`` reopens its searchers when the
    index changes."""

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        app.state.corpus = Corpus(settings.index, cluster=settings.cluster)
        app.state.settings = settings
        yield
        app.state.corpus.close()

    app = FastAPI(
        title="corpus",
        version=_version(),
        description=DESCRIPTION,
        docs_url=None,  # /docs is pages.api_docs: Swagger UI would load its assets from a CDN
        redoc_url=None,
        openapi_url="/openapi.json",
        lifespan=lifespan,
        dependencies=[Depends(require_utf8_query)],
    )
    errors.install(app, pages.html_error)
    app.include_router(api.router)
    app.include_router(views_api.router)
    app.include_router(pages.router)
    app.mount("/static", Assets(), name="static")

    @app.middleware("http")
    async def security_headers(request: Request, call_next) -> Response:  # type: ignore[no-untyped-def]
        response = await call_next(request)
        for name, value in SECURITY_HEADERS.items():
            response.headers.setdefault(name, value)
        return response

    app.add_middleware(HeadAsGet)
    if settings.cors_origins:
        # A token is sent as a header, never a cookie: no credentials to allow.
        app.add_middleware(
            CORSMiddleware, allow_origins=list(settings.cors_origins),
            allow_methods=["GET", "HEAD", "POST", "DELETE"], allow_headers=["Authorization", "Content-Type"], max_age=600,
        )
    return app


def app_from_environment() -> FastAPI:
    """The app as ``corpus serve`` starts it in each worker (settings from the environment)."""
    return create_app(Settings.from_environment())


def _version() -> str:
    try:
        return version("corpus-indexer")
    except PackageNotFoundError:
        return "0"
