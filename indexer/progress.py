"""What a long indexing run reports as it goes, and the bar that shows it on a terminal.

``Progress`` is what the library calls (every method a no-op: an application subclasses
what it wants to show); ``ProgressBar`` draws it on stderr for the CLI: bytes of the
source files read against their total, with a rate and an ETA as ``pv`` shows them, the
articles read, and a named phase with its elapsed time while the index is written or
merged and nothing is read.
"""

from __future__ import annotations

import threading
import time
from typing import TextIO

from tqdm import tqdm


class Progress:
    """Receives the events of one ``Corpus.index`` run; ignores them all."""

    def start(self, total_bytes: int) -> None:
        """Reading begins; ``total_bytes`` is the size of every source file together."""

    def read(self, articles: int = 0, nbytes: int = 0) -> None:
        """``articles`` more articles and ``nbytes`` more bytes of source files were read."""

    def phase(self, what: str | None) -> None:
        """A step that reads nothing began (``"writing 12,000 articles"``), or ended (None)."""

    def committed(self, documents: int, added: int, updated: int, deleted: int) -> None:
        """A commit made it to disk: the index now holds ``documents``; the run's counts so far."""


#: Seconds between redraws of a phase's elapsed time.
TICK_SECONDS = 0.5


class ProgressBar(Progress):
    """A tqdm bar on ``stream``: bytes with total, rate and ETA; articles; the phase.

    With ``stream`` None nothing is drawn, but the last commit is still kept
    (``last_commit``: the articles read by then, and ``committed``'s arguments) and the
    phase under way (``current_phase``), for the message of an interrupted run. ``ascii`` draws the bar with ``#`` for terminals without block
    characters."""

    def __init__(self, stream: TextIO | None, ascii: bool = False) -> None:
        self.stream = stream
        self.ascii = ascii
        self.last_commit: tuple[int, tuple[int, int, int, int]] | None = None
        self.bar: tqdm | None = None
        self.articles = 0
        self._phase: tuple[str, float] | None = None
        self._stop = threading.Event()
        self._ticker: threading.Thread | None = None

    def start(self, total_bytes: int) -> None:
        if self.stream is None:
            return
        # smoothing=0: the rate is the run's average, which already counts the pauses of
        # earlier commits; the ETA of a bar smoothed over the last seconds swings at each one.
        self.bar = tqdm(
            total=total_bytes or None,
            unit="B",
            unit_scale=True,
            unit_divisor=1024,
            file=self.stream,
            ascii=self.ascii,
            dynamic_ncols=True,
            smoothing=0,
            bar_format="{percentage:3.0f}%|{bar}| {n_fmt}/{total_fmt} [{elapsed}<{remaining}, {rate_fmt}{postfix}]"
            if total_bytes
            else "{n_fmt} [{elapsed}, {rate_fmt}{postfix}]",
        )
        self._show()
        self._ticker = threading.Thread(target=self._tick, name="progress-ticker", daemon=True)
        self._ticker.start()

    def read(self, articles: int = 0, nbytes: int = 0) -> None:
        self.articles += articles
        if self.bar is None:
            return
        if nbytes:
            self.bar.update(nbytes)
        if articles and self._phase is None and self.articles % 100 == 0:
            self._show()

    def phase(self, what: str | None) -> None:
        self._phase = (what, time.monotonic()) if what else None
        self._show()

    def committed(self, documents: int, added: int, updated: int, deleted: int) -> None:
        self.last_commit = (self.articles, (documents, added, updated, deleted))

    @property
    def current_phase(self) -> str | None:
        """The step under way (``phase``'s text), None while reading."""
        return self._phase[0] if self._phase else None

    def close(self) -> None:
        """Stop the ticker and leave the bar's last state on screen (again: nothing)."""
        self._stop.set()
        if self._ticker is not None:
            self._ticker.join()
        if self.bar is not None:
            self._show()
            self.bar.close()
            self.bar = None

    def _show(self) -> None:
        if self.bar is None:
            return
        text = f"{self.articles:,} article{'' if self.articles == 1 else 's'}"
        phase = self._phase
        if phase is not None:
            what, since = phase
            text += f" · {what}: {_clock(time.monotonic() - since)}"
        self.bar.set_postfix_str(text, refresh=True)

    def _tick(self) -> None:
        while not self._stop.wait(TICK_SECONDS):
            self._show()


def _clock(seconds: float) -> str:
    """``1:05`` for 65 seconds (``1:02:05`` past an hour)."""
    minutes, secs = divmod(int(seconds), 60)
    hours, minutes = divmod(minutes, 60)
    return f"{hours}:{minutes:02d}:{secs:02d}" if hours else f"{minutes}:{secs:02d}"
