"""Starts a real `iopd` for the interop tests and stops it afterwards."""

import os
import signal
import subprocess
import time
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]

# /echo is off by default; the interop tests turn it on, with the large limits
# the RFC 6455 suites exercise (16 MiB messages). A test's own --set comes later and wins.
ECHO_SETTINGS = (
    "--set", "server.echo=true",
    "--set", "limits.maxFrameBytes=16777216",
    "--set", "limits.maxMessageBytes=16777216",
    "--set", "limits.maxQueuedBytes=67108864",
)


def iopd_binary() -> str:
    """The iopd under test: $IOPD_BIN, else the debug build."""
    return os.environ.get("IOPD_BIN", str(ROOT / ".build" / "debug" / "iopd"))


class Server:
    """A running iopd process on 127.0.0.1 with the port it bound."""

    def __init__(self, *args: str):
        self.output = ROOT / ".build" / f"iopd-interop-{os.getpid()}-{time.monotonic_ns()}.log"
        self.log = open(self.output, "wb")
        self.process = subprocess.Popen(
            [iopd_binary(), "--port", "0", "--set", "server.drainGraceSeconds=0", *ECHO_SETTINGS, *args],
            stdout=subprocess.PIPE,
            stderr=self.log,
            cwd=ROOT,
        )
        line = self.process.stdout.readline().decode()  # "iopd listening on 127.0.0.1:PORT"
        assert "listening on" in line, f"iopd did not start: {line!r}"
        self.port = int(line.rsplit(":", 1)[1])
        self.url = f"ws://127.0.0.1:{self.port}"

    def stop(self) -> int:
        """SIGTERM, then wait (bounded); returns the exit status."""
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
        try:
            return self.process.wait(timeout=15)
        finally:
            self.log.close()


@pytest.fixture
def server():
    running = Server()
    yield running
    assert running.stop() == 0


@pytest.fixture
def servers():
    """Every iopd a test starts (roomkit.start) is stopped afterwards (SIGTERM, bounded)."""
    started: list = []
    yield started
    for server in started:
        server.stop()
