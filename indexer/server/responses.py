"""JSON answers as the CLI prints them: orjson, UTF-8, Arabic not escaped."""

from __future__ import annotations

from typing import Any

import orjson
from starlette.responses import JSONResponse


class ArabicJSONResponse(JSONResponse):
    """``application/json`` encoded by orjson, as ``corpus ... --json`` prints it."""

    def render(self, content: Any) -> bytes:
        return orjson.dumps(content)
