"""A Dask cluster of worker processes on 127.0.0.1, shared by the tests of a module that
need one (starting one takes seconds). Not kept for the whole session: its scheduler lives
in this process, and tests of open files (tests/test_search.py) count its sockets."""

from __future__ import annotations

from collections.abc import Iterator

import pytest


def cluster(workers: int):  # type: ignore[no-untyped-def]
    """A `distributed.LocalCluster` of ``workers`` processes of one thread each."""
    import distributed

    return distributed.LocalCluster(
        n_workers=workers, threads_per_worker=1, processes=True, host="127.0.0.1", dashboard_address=None
    )


@pytest.fixture(scope="module")
def shared_cluster() -> Iterator[object]:
    pytest.importorskip("distributed")
    with cluster(2) as running:
        yield running
