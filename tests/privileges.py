"""Running a command as a user who meets the permission bits, though the tests run as root."""

from __future__ import annotations

import os
import shutil

import pytest

#: What root may do that a user may not: read and search any file, write any file, own any file.
READ_ANYTHING = ("dac_override", "dac_read_search")
WRITE_ANYTHING = ("dac_override", "dac_read_search", "fowner")


def without(rights: tuple[str, ...], meeting: str) -> list[str]:
    """A command prefix that runs without root's ``rights`` (capability names), so that
    the command meets ``meeting`` (what the test puts in its way, for the skip reason).
    Empty when the tests do not run as root; skips where root cannot drop them."""
    if os.geteuid() != 0:
        return []
    setpriv = shutil.which("setpriv")
    if setpriv is None:
        pytest.skip(f"root without setpriv cannot be made to meet {meeting}")
    drop = ",".join(f"-{right}" for right in rights)
    return [setpriv, f"--inh-caps={drop}", f"--bounding-set={drop}"]
