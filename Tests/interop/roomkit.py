"""A small client kit for the room endpoint `/v1/rooms/{roomId}` of a real `iopd`.

- `RoomServer` starts iopd on a free loopback port with its own data folder and
  captures stdout and stderr together in one file (for the canary checks).
- `issue_token` runs the real `iopctl token issue` against the same data folder.
- `Member` is one WebSocket client: commands get automatic ids, `command()` awaits
  the ack or error that refers to the id, `wait_event()` waits (bounded) for an
  event, and every frame the member ever received, over all its connections, is
  kept in `frames` (raw text) and `messages` (decoded) for audience assertions.

Every wait here is bounded by `asyncio.wait_for` or a deadline.
"""

from __future__ import annotations

import asyncio
import itertools
import json
import os
import signal
import subprocess
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable

import websockets

ROOT = Path(__file__).resolve().parents[2]
AGREEMENT_VERSION = "2026-11"
WAIT = 5.0  # default bound for one awaited reply or event


def binary(name: str) -> str:
    """iopd / iopctl under test: $IOPD_BIN / $IOPCTL_BIN, else the debug build."""
    override = os.environ.get(f"{name.upper()}_BIN")
    return override or str(ROOT / ".build" / "debug" / name)


def issue_token(
    data_dir: Path, *, room: str, role: str, alias: str, member: str, ttl: str = "2h"
) -> str:
    """A signed token from the real `iopctl token issue`."""
    result = subprocess.run(
        [binary("iopctl"), "token", "issue", "--room", room, "--role", role, "--alias", alias,
         "--member", member, "--ttl", ttl, "--data-dir", str(data_dir)],
        capture_output=True, timeout=30, cwd=ROOT, check=True,
    )
    token = result.stdout.decode().strip()
    assert token.count(".") == 2, f"iopctl printed no token: {result.stdout!r} {result.stderr!r}"
    return token


class RoomServer:
    """A running iopd with its own data folder; stdout and stderr go to one file."""

    def __init__(self, data_dir: Path, *settings: str, output: Path | None = None, port: int = 0):
        self.data_dir = Path(data_dir)
        self.data_dir.mkdir(parents=True, exist_ok=True)
        self.output = output or self.data_dir.parent / f"iopd-output-{time.monotonic_ns()}.log"
        self._log = open(self.output, "wb")
        args = [binary("iopd"), "--port", str(port), "--set", f"server.dataDirectory={self.data_dir}"]
        # SIGTERM stops at once in tests (no time for sessions to finish) unless a test sets a grace.
        args += ["--set", "server.drainGraceSeconds=0"]
        for setting in settings:
            args += ["--set", setting]
        self.process = subprocess.Popen(args, stdout=self._log, stderr=subprocess.STDOUT, cwd=ROOT)
        self.port = self._wait_for_port(deadline=time.monotonic() + 20)
        self.url = f"ws://127.0.0.1:{self.port}"

    def _wait_for_port(self, deadline: float) -> int:
        while time.monotonic() < deadline:
            for line in self.output.read_bytes().decode(errors="replace").splitlines():
                if line.startswith("iopd listening on "):
                    return int(line.rsplit(":", 1)[1].split()[0])  # "PORT" or "PORT (tls)"
            if self.process.poll() is not None:
                break
            time.sleep(0.02)
        self.stop()
        raise AssertionError(f"iopd did not start: {self.output.read_bytes()[-2000:]!r}")

    def room_url(self, room: str) -> str:
        return f"{self.url}/v1/rooms/{room}"

    def token(self, *, room: str = "evening-process", role: str, alias: str, member: str, ttl: str = "2h") -> str:
        return issue_token(self.data_dir, room=room, role=role, alias=alias, member=member, ttl=ttl)

    def stop(self) -> int:
        """SIGTERM, bounded wait; returns the exit status."""
        try:
            if self.process.poll() is None:
                self.process.send_signal(signal.SIGTERM)
            try:
                return self.process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                self.process.kill()
                return self.process.wait(timeout=5)
        finally:
            if not self._log.closed:
                self._log.close()

    def captured(self) -> bytes:
        return self.output.read_bytes()


@dataclass
class Closed:
    code: int | None
    reason: str


class Member:
    """One member's client: a token, a WebSocket, and everything it received."""

    _ids = itertools.count(1)

    def __init__(self, server: RoomServer, token: str, *, name: str, room: str = "evening-process",
                 source: str | None = None, ssl=None, subprotocols: list[str] | None = None):
        self.server = server
        self.subprotocols = subprotocols  # offered in the upgrade (e.g. ["iop.v2"]); None: none
        self.ssl = ssl  # an ssl.SSLContext for a wss:// server (the room URL's scheme decides)
        self.source = source  # local address to connect from (127.0.0.N), None: the system's choice
        self.token = token
        self.name = name
        self.room = room
        self.member_id: str | None = None
        self.frames: list[str] = []  # every text frame ever received, in order, all connections
        self.messages: list[dict[str, Any]] = []  # the same, decoded
        self.received_ms: list[float] = []  # local wall-clock arrival time of each, ms since the epoch
        self.connections: list[dict[str, Any]] = []  # per connection: first frame index, close
        self.ws: websockets.ClientConnection | None = None
        self._reader: asyncio.Task | None = None
        self._changed = asyncio.Event()
        self._closed: asyncio.Event | None = None
        self.closed: Closed | None = None

    # -- connection -------------------------------------------------------

    async def connect(self, *, expect_welcome: bool = True, last_sequence: int | None = None) -> dict[str, Any] | None:
        headers = {"Authorization": f"Bearer {self.token}"}
        if last_sequence is not None:
            headers["Last-Event-Sequence"] = str(last_sequence)  # resume: replay what was missed
        self.ws = await asyncio.wait_for(
            websockets.connect(
                self.server.room_url(self.room),
                additional_headers=headers,
                open_timeout=10, close_timeout=5, max_size=2**22, compression=None,
                ping_interval=None, local_addr=(self.source, 0) if self.source else None,
                **({"ssl": self.ssl} if self.ssl is not None else {}),
                **({"subprotocols": self.subprotocols} if self.subprotocols else {}),
            ),
            15,
        )
        self.closed = None
        self._closed = asyncio.Event()
        self.connections.append({"start": len(self.messages)})
        self._reader = asyncio.create_task(self._read(self.ws))
        if not expect_welcome:
            return None
        welcome = await self.wait_message(lambda m: m["type"] == "welcome", since=self.connections[-1]["start"])
        self.member_id = welcome["member"]
        return welcome

    async def _read(self, ws: websockets.ClientConnection) -> None:
        try:
            async for frame in ws:
                assert isinstance(frame, str), f"{self.name}: server sent a binary frame"
                self.received_ms.append(time.time() * 1000)
                self.frames.append(frame)
                self.messages.append(json.loads(frame))
                self._changed.set()
        except websockets.ConnectionClosed:
            pass
        finally:
            self.closed = Closed(ws.close_code, ws.close_reason or "")
            self.connections[-1]["closed"] = self.closed
            assert self._closed is not None
            self._closed.set()
            self._changed.set()

    async def wait_closed(self, timeout: float = WAIT) -> Closed:
        assert self._closed is not None
        await asyncio.wait_for(self._closed.wait(), timeout)
        assert self.closed is not None
        return self.closed

    async def drop(self) -> None:
        """Abruptly drops the TCP connection: no close frame."""
        assert self.ws is not None
        self.ws.transport.abort()
        await self.wait_closed()

    async def leave(self) -> None:
        if self.ws is not None and self.closed is None:
            try:
                await asyncio.wait_for(self.ws.close(), 6)
            except (asyncio.TimeoutError, websockets.WebSocketException, OSError):
                pass
        if self._reader is not None:
            self._reader.cancel()
            try:
                await asyncio.wait_for(self._reader, 2)
            except (asyncio.CancelledError, asyncio.TimeoutError, Exception):
                pass

    # -- sending -------------------------------------------------------------

    def next_id(self) -> str:
        return f"{self.name}-{next(self._ids)}"

    async def send_raw(self, text: str | bytes) -> None:
        assert self.ws is not None
        await asyncio.wait_for(self.ws.send(text), WAIT)

    async def send(self, type_: str, **fields: Any) -> str:
        """Sends a command with a fresh id; returns the id."""
        command_id = fields.pop("id", None) or self.next_id()
        await self.send_raw(json.dumps({"v": 1, "type": type_, "id": command_id, **fields}))
        return command_id

    async def reply(self, command_id: str, timeout: float = WAIT) -> dict[str, Any]:
        """The ack or error that refers to `command_id`."""
        return await self.wait_message(
            lambda m: m["type"] in ("ack", "error") and m.get("id") == command_id, timeout=timeout
        )

    async def command(self, type_: str, **fields: Any) -> dict[str, Any]:
        return await self.reply(await self.send(type_, **fields))

    async def ok(self, type_: str, **fields: Any) -> None:
        answer = await self.command(type_, **fields)
        assert answer["type"] == "ack", f"{self.name}: {type_} {fields} refused: {answer}"

    async def refused(self, type_: str, code: str, **fields: Any) -> dict[str, Any]:
        command_id = await self.send(type_, **fields)
        answer = await self.reply(command_id)
        assert answer["type"] == "error", f"{self.name}: {type_} was accepted, expected {code}"
        assert answer["code"] == code, f"{self.name}: {type_}: expected {code}, got {answer}"
        assert answer["id"] == command_id and answer["message"]
        return answer

    # -- receiving -----------------------------------------------------------

    async def wait_message(
        self, predicate: Callable[[dict[str, Any]], bool], *, since: int = 0, timeout: float = WAIT
    ) -> dict[str, Any]:
        """The first message at index >= `since` that matches, waiting (bounded) for it."""
        return self.messages[await self.wait_index(predicate, since=since, timeout=timeout)]

    async def wait_index(
        self, predicate: Callable[[dict[str, Any]], bool], *, since: int = 0, timeout: float = WAIT
    ) -> int:
        """The index of the first message at index >= `since` that matches (bounded wait)."""
        loop = asyncio.get_running_loop()
        deadline = loop.time() + timeout
        index = since
        while True:
            while index < len(self.messages):
                index += 1
                if predicate(self.messages[index - 1]):
                    return index - 1
            remaining = deadline - loop.time()
            if remaining <= 0 or (self.closed is not None and index >= len(self.messages)):
                raise AssertionError(
                    f"{self.name}: no matching message within {timeout}s "
                    f"(closed={self.closed}); last: {self.frames[-5:]}"
                )
            self._changed.clear()
            try:
                await asyncio.wait_for(self._changed.wait(), remaining)
            except asyncio.TimeoutError:
                pass

    async def wait_event(
        self, type_: str, where: Callable[[dict[str, Any]], bool] = lambda e: True, *,
        since: int = 0, timeout: float = WAIT,
    ) -> dict[str, Any]:
        """The first event of `type_` at index >= `since`: the inner event object, with the
        envelope's `seq` and `time`, and `_index` / `_received` (local arrival, ms) added."""
        index = await self.wait_index(
            lambda m: m["type"] == "event" and m["event"]["type"] == type_ and where(m["event"]),
            since=since, timeout=timeout,
        )
        message = self.messages[index]
        return {**message["event"], "seq": message["seq"], "time": message["time"],
                "_index": index, "_received": self.received_ms[index]}

    def mark(self) -> int:
        """An index into `messages`: wait or look only at what arrives after now."""
        return len(self.messages)

    def events(self, type_: str | None = None, since: int = 0) -> list[dict[str, Any]]:
        return [
            {**m["event"], "seq": m["seq"], "time": m["time"]}
            for m in self.messages[since:]
            if m["type"] == "event" and (type_ is None or m["event"]["type"] == type_)
        ]

    def event_types(self, since: int = 0, until: int | None = None) -> list[str]:
        return [m["event"]["type"] for m in self.messages[since:until] if m["type"] == "event"]

    def saw(self, text: str) -> bool:
        return any(text in frame for frame in self.frames)

    async def settle(self, seconds: float = 0.3) -> None:
        """A short bounded pause so that anything wrongly sent would have arrived."""
        await asyncio.sleep(seconds)


def run(coroutine, timeout: float = 60):
    return asyncio.run(asyncio.wait_for(coroutine, timeout))


def start(servers: list, data_dir: Path, *settings: str) -> RoomServer:
    """A RoomServer (2 s shutdown grace) kept in `servers`, the fixture that stops them."""
    server = RoomServer(data_dir, "server.shutdownGraceSeconds=2", *settings)
    servers.append(server)
    return server
