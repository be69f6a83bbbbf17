"""Small helpers shared by the sources tests (a uniquely named module, not conftest)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from indexer.sources import Article, Notice, Skip, read_sources

Items = list[Article | Skip | Notice]


def read_all(*paths: Path | str, **kwargs: Any) -> Items:
    """Everything read_sources yields for `paths`, as a list."""
    return list(read_sources(list(paths), **kwargs))


def articles(items: Items) -> list[Article]:
    return [item for item in items if isinstance(item, Article)]


def skips(items: Items) -> list[Skip]:
    return [item for item in items if isinstance(item, Skip)]


def notices(items: Items) -> list[Notice]:
    return [item for item in items if isinstance(item, Notice)]
