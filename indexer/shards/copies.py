"""`--dedupe` over shards: one copy of each body kept over every shard, the one one index
of all the articles keeps.

Copies of a body (wire stories several outlets republish) hash to different shards. Each
shard first keeps one copy of each body among its matches and sends those copies'
fingerprints, dates and ids (`selection.copies_kept`); over all of them the coordinator
keeps one of each body (`Copies.kept`: earliest dated, then smallest id), and tells each
shard which of its bodies are kept in another shard, to leave out of its hits, total and
facets."""

from __future__ import annotations

import numpy as np

from indexer.views.selection import Copies


def kept_elsewhere(found: dict[int, Copies]) -> dict[int, np.ndarray]:
    """For each shard, the fingerprints of the bodies it holds whose copy is kept in
    another shard, given each shard's `copies_kept` (one copy of a body per shard)."""
    shards = list(found)
    kept = Copies.joined([found[shard] for shard in shards]).kept()
    ends = np.cumsum([len(found[shard].ids) for shard in shards])
    return {
        shard: found[shard].fingerprints[~kept[end - len(found[shard].ids) : end]]
        for shard, end in zip(shards, ends.tolist())
    }
