"""Stopping a run on a signal: SIGTERM (cron at shutdown, systemd, ``timeout``), SIGHUP (a
closed terminal) and SIGINT (Ctrl-C) all end ``corpus index`` the way Ctrl-C does.

The command line asks for it (``stop_on_signals``): each of these signals then raises
``Stopped`` in the main thread, a ``KeyboardInterrupt``, so every cleanup path that Ctrl-C
takes (the batch cancelled, its files removed, the lock released, helper processes ended)
is taken for all three. A signal ignored when the run began (``nohup`` ignores SIGHUP) stays
ignored. The library alone changes no signal's handling (tests/store/test_guest.py).

A commit is named by renaming its TOC into place, and then counted. A stop signal that
arrives in between is acted on once the commit is counted (``hold`` ... ``release``), so what
a stopped run says it kept is what the index holds. A second signal while the first one's
cleanup runs is ignored: it would abort the cleanup it waits for.
"""

from __future__ import annotations

import signal
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from types import FrameType

#: The signals that stop a run cleanly.
STOP_SIGNALS = (signal.SIGINT, signal.SIGTERM, signal.SIGHUP)


class Stopped(KeyboardInterrupt):
    """A run stopped by ``signum``; its exit code is the shell's, 128 + the signal number."""

    def __init__(self, signum: int) -> None:
        super().__init__(signum)
        self.signum = signum

    @property
    def signal_name(self) -> str:
        return signal.Signals(self.signum).name

    @property
    def exit_code(self) -> int:
        return 128 + self.signum


class _State:
    held = False  # a commit is being named: a signal waits for ``release``
    pending: int | None = None  # the signal that waits
    stopping = False  # Stopped was raised (the run is cleaning up), or the run is over


_state = _State()


def _on_signal(signum: int, frame: FrameType | None) -> None:
    if _state.stopping:
        return
    if _state.held:
        _state.pending = _state.pending or signum
        return
    _state.stopping = True
    raise Stopped(signum)


@contextmanager
def stop_on_signals() -> Iterator[None]:
    """For the duration, SIGTERM, SIGHUP and SIGINT raise ``Stopped`` in the main thread
    (those not ignored when it began); the previous handlers come back afterwards."""
    if threading.current_thread() is not threading.main_thread():
        yield  # only the main thread may set handlers, and only it receives signals
        return
    previous = {}
    for signum in STOP_SIGNALS:
        if signal.getsignal(signum) is not signal.SIG_IGN:
            previous[signum] = signal.signal(signum, _on_signal)
    _state.held, _state.pending, _state.stopping = False, None, False
    try:
        yield
    finally:
        for signum, handler in previous.items():
            signal.signal(signum, handler)
        _state.held, _state.pending, _state.stopping = False, None, False


def settle() -> None:
    """The run is over (done, or failed and saying so): a stop signal from now on is
    ignored, so it cannot cut the summary short."""
    _state.stopping = True


def hold() -> None:
    """A commit is being named: a stop signal from now on waits for ``release``."""
    _state.held = True


def release(act: bool = True) -> None:
    """The commit named since ``hold`` is counted (or failed): raise ``Stopped`` for a
    signal that waited, unless ``act`` is False (another error is on its way out)."""
    pending, _state.held, _state.pending = _state.pending, False, None
    if pending is not None and act and not _state.stopping:
        _state.stopping = True
        raise Stopped(pending)


@contextmanager
def counting() -> Iterator[None]:
    """Wraps a commit and its counting: a stop signal that came after the commit was named
    (``hold``) is acted on at the end, once the commit is counted."""
    try:
        yield
    except BaseException:
        release(act=False)
        raise
    release()


@contextmanager
def deferred_over_fork() -> Iterator[None]:
    """A stop signal that arrives while a helper process is forked is acted on right after.

    Trap: Python runs a signal's handler at its next check, wherever that is; inside
    fork() it is logging's at-fork handler, where Python prints "Exception ignored ...
    KeyboardInterrupt" and drops it, and the run goes on. Blocking the signal around
    fork() is not enough: one that arrived just before is already pending. So each
    handler that Python runs (Ctrl-C's default one, or ``stop_on_signals``'s) only takes
    note for the duration. The forked process inherits the noting handlers and sets its
    own.
    """
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    noted: list[int] = []
    previous = {}
    for signum in STOP_SIGNALS:
        handler = signal.getsignal(signum)
        if callable(handler):
            previous[signum] = signal.signal(signum, lambda number, frame: noted.append(number))
    try:
        yield
    finally:
        for signum, handler in previous.items():
            signal.signal(signum, handler)
        if noted:
            previous[noted[0]](noted[0], None)  # raises: KeyboardInterrupt, or Stopped


def stop_on_sigterm_only() -> None:
    """In a process that writes a shard: SIGTERM stops it as Ctrl-C stops a run (its
    batch cancelled, its files removed, its lock released); SIGINT and SIGHUP, which a
    terminal sends to the whole process group, are the parent's to act on (it then sends
    SIGTERM to each writer)."""
    ignore_in_helper()
    _state.held, _state.pending, _state.stopping = False, None, False
    signal.signal(signal.SIGTERM, _on_signal)


def ignore_in_helper() -> None:
    """In a helper process: stop signals are the parent's to act on (a signal sent to the
    whole process group reaches the helpers too); the parent ends its helpers itself."""
    for signum in STOP_SIGNALS:
        signal.signal(signum, signal.SIG_IGN)
