"""A corpus split into shards: each a corpus index of its own, searched together with the
answers of one index (see docs/architecture.md, "Shards")."""
