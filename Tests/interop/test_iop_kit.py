"""Helpers (no tests here) to drive the real `iop` binary as a subprocess in line mode.

`Iop` starts `iop join URL ROOM --line [--json]` with the token in IOP_TOKEN (never
on the command line), reads stdout on a thread, and offers bounded waits on it.
"""

from __future__ import annotations

import os
import queue
import subprocess
import threading
import time
from pathlib import Path

from roomkit import ROOT

WAIT = 10.0  # bound for one awaited line


def iop_binary() -> str:
    """The iop under test: $IOP_BIN, else the debug build."""
    return os.environ.get("IOP_BIN", str(ROOT / ".build" / "debug" / "iop"))


class Iop:
    """One running `iop` in line mode; every line it printed is kept in `lines`."""

    def __init__(self, url: str, room: str, token: str | None, *args: str, env: dict | None = None):
        environment = {k: v for k, v in os.environ.items() if k != "IOP_TOKEN"}
        if token is not None:
            environment["IOP_TOKEN"] = token
        environment.update(env or {})
        self.process = subprocess.Popen(
            [iop_binary(), "join", url, room, "--line", *args],
            stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=environment, cwd=ROOT,
        )
        self.lines: list[str] = []
        self._queue: queue.Queue[str | None] = queue.Queue()
        self._seen = 0
        threading.Thread(target=self._read, daemon=True).start()

    def _read(self) -> None:
        assert self.process.stdout is not None
        for raw in self.process.stdout:
            self._queue.put(raw.decode(errors="replace").rstrip("\n"))
        self._queue.put(None)

    def send(self, line: str) -> None:
        assert self.process.stdin is not None
        self.process.stdin.write((line + "\n").encode())
        self.process.stdin.flush()

    def expect(self, needle: str, timeout: float = WAIT) -> str:
        """The next unread line containing `needle` (bounded wait); earlier lines are consumed."""
        deadline = time.monotonic() + timeout
        for line in self.lines[self._seen:]:
            self._seen += 1
            if needle in line:
                return line
        while True:
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                raise AssertionError(f"no line with {needle!r}; got:\n" + "\n".join(self.lines[-30:]))
            try:
                line = self._queue.get(timeout=remaining)
            except queue.Empty:
                continue
            if line is None:
                self._queue.put(None)
                raise AssertionError(f"iop exited before {needle!r}; got:\n" + "\n".join(self.lines[-30:]))
            self.lines.append(line)
            self._seen += 1
            if needle in line:
                return line

    def finish(self, timeout: float = WAIT, close_input: bool = True) -> tuple[int, str, str]:
        """Closes stdin (end of input: iop leaves) unless told not to, waits (bounded) for
        the exit; returns status, all stdout, stderr."""
        try:
            if close_input and self.process.stdin and not self.process.stdin.closed:
                self.process.stdin.close()
        except BrokenPipeError:
            pass
        try:
            status = self.process.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait(timeout=5)
            raise AssertionError("iop did not exit:\n" + "\n".join(self.lines[-30:]))
        while True:
            try:
                line = self._queue.get(timeout=2)
            except queue.Empty:
                break
            if line is None:
                break
            self.lines.append(line)
        stderr = self.process.stderr.read().decode(errors="replace") if self.process.stderr else ""
        return status, "\n".join(self.lines), stderr


def run_iop(*args: str, token: str | None = None, stdin: str = "", env: dict | None = None) -> subprocess.CompletedProcess:
    """Runs iop to completion (bounded) with `stdin` as input."""
    environment = {k: v for k, v in os.environ.items() if k != "IOP_TOKEN"}
    if token is not None:
        environment["IOP_TOKEN"] = token
    environment.update(env or {})
    return subprocess.run(
        [iop_binary(), *args], input=stdin.encode(), capture_output=True, timeout=30, env=environment, cwd=ROOT,
    )
