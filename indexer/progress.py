"""A progress bar on a terminal, and a silent stand-in everywhere else."""

from __future__ import annotations

import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager

from tqdm import tqdm


@contextmanager
def progress_counter(enabled: bool = True) -> Iterator[Callable[[int], None]]:
    """Yield ``advance(n)``: a tqdm bar on stderr when it is a terminal, else a no-op."""
    if not enabled or not sys.stderr.isatty():
        yield lambda n: None
        return
    with tqdm(unit=" articles", file=sys.stderr, dynamic_ncols=True, smoothing=0.1) as bar:
        yield bar.update
