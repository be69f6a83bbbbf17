"""Tables of test cases: rows whose last item is the case's id."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any


def table(rows: Sequence[tuple[Any, ...]]) -> dict[str, list[Any]]:
    """`pytest.mark.parametrize` keyword arguments: the rows without their id, and the ids."""
    return {"argvalues": [row[:-1] for row in rows], "ids": [row[-1] for row in rows]}
