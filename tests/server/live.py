"""A real ``corpus serve`` process on loopback, as a user starts it, for the server tests."""

from __future__ import annotations

import os
import re
import subprocess
import sys
import threading
import time
from pathlib import Path

import httpx

STARTUP_SECONDS = 30
_LISTENING = re.compile(r"Uvicorn running on http://127\.0\.0\.1:(\d+)")


class LiveServer:
    """``corpus serve --port 0`` in a subprocess; ``url`` once it listens, its log lines
    (stderr, and the access log on stdout) in ``log``, read continuously so the pipe
    never fills."""

    def __init__(self, index: Path, token: str | None = None, extra: tuple[str, ...] = ()) -> None:
        env = {k: v for k, v in os.environ.items() if k not in ("CORPUS_TOKEN", "CORPUS_TOKEN_FILE", "CORPUS_INDEX", "CORPUS_CLUSTER")}
        if token is not None:
            env["CORPUS_TOKEN"] = token
        self.process = subprocess.Popen(
            [sys.executable, "-m", "indexer", "serve", "--index", str(index), "--port", "0", *extra],
            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, env=env, text=True, encoding="utf-8",
        )
        self.log: list[str] = []
        self._port: int | None = None
        self._ready = threading.Event()
        threading.Thread(target=self._read_log, daemon=True).start()
        if not self._ready.wait(STARTUP_SECONDS) or self._port is None:
            self.stop()
            raise RuntimeError("corpus serve did not start:\n" + "".join(self.log))
        self.url = f"http://127.0.0.1:{self._port}"
        self.client = httpx.Client(base_url=self.url, timeout=30)

    def _read_log(self) -> None:
        assert self.process.stdout is not None
        for line in self.process.stdout:
            self.log.append(line)
            found = _LISTENING.search(line)
            if found:
                self._port = int(found.group(1))
                self._ready.set()
        self._ready.set()  # the process ended

    def access_lines(self) -> list[str]:
        return [line for line in self.log if '"' in line and "HTTP/1.1" in line]

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        if hasattr(self, "client"):
            self.client.close()


def wait_for(condition, seconds: float = 10.0) -> bool:  # type: ignore[no-untyped-def]
    """Poll ``condition`` until it holds or ``seconds`` pass."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.1)
    return condition()
