"""Where the shards of a sharded index live, and which shard holds an article.

    <root>/current -> gen-<n>          as for one index (``store.location``)
    <root>/gen-<n>/manifest.json       how many shards, their names, where they are served
    <root>/gen-<n>/shard-<k>/          one corpus index each (its own current, gen-<m>, LOCK)

A sharded index is one generation of its root: ``--rebuild`` builds every shard of a new
generation and swaps the root's ``current`` once, so a reader sees all the old shards or
all the new ones. An article's shard is a hash of its id, the same on every run.
"""

from __future__ import annotations

import hashlib
import os
from dataclasses import dataclass, field
from pathlib import Path

import orjson

from indexer.errors import CorpusError
from indexer.store.durable import replace

MANIFEST = "manifest.json"
#: The rule every writer and reader of the manifest agrees on; a manifest naming
#: another is refused rather than searched with articles in the wrong shards.
ROUTER = "blake2b-64 of the UTF-8 id, modulo the shard count"


def shard_of(article_id: str, count: int) -> int:
    """The shard (0 .. count-1) holding the article with this id, on every run and machine."""
    digest = hashlib.blake2b(article_id.encode("utf-8", "surrogatepass"), digest_size=8).digest()
    return int.from_bytes(digest, "big") % count


@dataclass(frozen=True)
class Manifest:
    """The shards of one generation: their directory names, in shard order, and for each
    the Dask workers that hold its files (empty: every worker sees them, a shared file
    system)."""

    names: tuple[str, ...]
    workers: dict[str, tuple[str, ...]] = field(default_factory=dict)

    @classmethod
    def of(cls, count: int) -> Manifest:
        return cls(tuple(f"shard-{k:03d}" for k in range(count)))

    @property
    def count(self) -> int:
        return len(self.names)

    def paths(self, generation: Path) -> list[Path]:
        return [generation / name for name in self.names]

    def write(self, generation: Path) -> None:
        """Write the manifest atomically (a crash leaves none or all of it)."""
        data = {"router": ROUTER, "shards": list(self.names), "workers": {k: list(v) for k, v in self.workers.items()}}
        temporary = generation / f".{MANIFEST}.{os.getpid()}"
        temporary.write_bytes(orjson.dumps(data, option=orjson.OPT_INDENT_2))
        replace(temporary, generation / MANIFEST)

    @classmethod
    def read(cls, generation: Path) -> Manifest:
        path = generation / MANIFEST
        try:
            data = orjson.loads(path.read_bytes())
            names = tuple(str(n) for n in data["shards"])
            workers = {str(k): tuple(str(w) for w in v) for k, v in (data.get("workers") or {}).items()}
        except (OSError, orjson.JSONDecodeError, KeyError, TypeError, AttributeError) as error:
            raise CorpusError(f"cannot read the shard manifest {path}: {error}") from error
        if data.get("router") != ROUTER:
            raise CorpusError(f"{path} routes articles by {data.get('router')!r}; this corpus routes by {ROUTER!r}")
        if not names or any(os.sep in n or n in ("", ".", "..") for n in names):
            raise CorpusError(f"{path} names no shards, or a shard outside its directory")
        return cls(names, workers)


def is_sharded(generation: Path | None) -> bool:
    """Whether a live generation is a set of shards rather than one Whoosh index."""
    return generation is not None and (generation / MANIFEST).is_file()
