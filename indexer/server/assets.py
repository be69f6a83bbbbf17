"""The page's static files, with how long a browser may keep each: a font's name carries its
version (a new font is a new name), so it is kept for a year without asking again; the
stylesheet and the script keep their names across releases, so a browser asks each time
(an unchanged file costs a 304) and sees an upgrade at once."""

from __future__ import annotations

from fastapi.staticfiles import StaticFiles
from starlette.responses import Response
from starlette.types import Scope

#: For files whose name changes when their content does.
FOREVER = "public, max-age=31536000, immutable"
#: For files whose name stays: kept, but checked (ETag) before each use.
REVALIDATE = "no-cache"


class Assets(StaticFiles):
    """``StaticFiles`` of ``indexer/server/static`` with a ``Cache-Control`` on each answer."""

    def __init__(self) -> None:
        super().__init__(packages=[("indexer.server", "static")])

    async def get_response(self, path: str, scope: Scope) -> Response:
        response = await super().get_response(path, scope)
        if response.status_code in (200, 304):
            response.headers["Cache-Control"] = FOREVER if path.startswith("fonts/") else REVALIDATE
        return response
