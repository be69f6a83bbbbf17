"""Counting the bytes of source files as they are read, for a progress bar with a total.

A reader may open a file more than once (JSON Lines looks at its head, then streams it);
``FileMeter`` reports how far into the file reading has got, never the same bytes twice,
and ``finish`` reports the rest of the file once it is done, so the bytes reported add up
to the files' sizes exactly, whatever a reader did. A gzip file counts its compressed
bytes, as ``pv`` does.
"""

from __future__ import annotations

import io
from collections.abc import Callable

OnBytes = Callable[[int], None]


class FileMeter:
    """The bytes read of one file, reported to ``on_bytes`` as a high-water mark."""

    def __init__(self, size: int, on_bytes: OnBytes) -> None:
        self.size = size
        self.on_bytes = on_bytes
        self.reported = 0

    def reached(self, position: int) -> None:
        """Reading got to byte ``position`` of the file."""
        position = min(position, self.size)
        if position > self.reported:
            self.on_bytes(position - self.reported)
            self.reported = position

    def finish(self) -> None:
        """The file is done with (read whole, skipped or failed): the rest counts as read."""
        self.reached(self.size)

    def open(self, path) -> io.BufferedReader:  # type: ignore[no-untyped-def]
        """``open(path, "rb")`` whose reads move this meter."""
        return io.BufferedReader(_Counting(open(path, "rb"), self))  # noqa: SIM115


class _Counting(io.RawIOBase):
    """A raw binary file that tells its meter how far it has been read."""

    def __init__(self, raw: io.BufferedReader, meter: FileMeter) -> None:
        self.raw = raw
        self.meter = meter
        self.position = 0

    def readable(self) -> bool:
        return True

    def readinto(self, buffer) -> int:  # type: ignore[no-untyped-def]
        count = self.raw.readinto(buffer)
        if count:
            self.position += count
            self.meter.reached(self.position)
        return count

    def close(self) -> None:
        self.raw.close()
        super().close()
