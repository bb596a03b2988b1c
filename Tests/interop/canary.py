"""The canary: well-behaved members of one room whose chat round trip is measured
throughout an attack on the rest of the server (test_attack.py).

It runs as its own process (`Canary` below starts it), so that the attackers'
Python work never delays its measurements through the interpreter lock: what it
measures is the server. A facilitator and four admitted participants take turns
sending one chat message every `INTERVAL`, 50 ms: each member sends 4 a second,
under the default 5 a second per member, so no sample is rate limited, and a
stall of the server longer than 100 ms always meets a sample in flight. A
sample is the time from handing the command to the socket until the sender's
`ack` and the `chat.message` at every member have all arrived.

Protocol on stdout, one JSON object a line: `{"ready":true}`, then one sample a
line `{"n","t","ms"}` (`t`: CLOCK_MONOTONIC at send, comparable across
processes; `ms` null when the round did not complete within `LATE`), then on
"stop" (stdin) a summary `{"done":true,"sent","received","errors"}` that says
which message numbers each member received, in order.
"""

from __future__ import annotations

import asyncio
import json
import subprocess
import sys
import threading
import time

import websockets

NAMES = ("F", "P1", "P2", "P3", "P4")  # the facilitator first, then the participants it admits
INTERVAL = 0.05  # seconds between sends (rotating over the members)
MOST = 12000  # samples at most (10 minutes): a canary whose test vanished still ends
LATE = 2.0  # a round not complete within this is recorded as lost (ms null)
AGREEMENT = "2026-11"


def emit(obj: dict) -> None:
    sys.stdout.write(json.dumps(obj) + "\n")
    sys.stdout.flush()


class Peer:
    """One canary member: its socket and what it received."""

    def __init__(self, name: str, ws, progress: asyncio.Event):
        self.name = name
        self.ws = ws
        self.progress = progress  # shared by every peer: set on any arrival
        self.messages: list[dict] = []
        self.chats: list[int] = []  # canary numbers of the chat.message events received, in order
        self.changed = asyncio.Event()

    async def read(self, arrivals: dict) -> None:
        async for frame in self.ws:
            now = time.monotonic()
            message = json.loads(frame)
            self.messages.append(message)
            event = message.get("event", {})
            if message["type"] == "event" and event.get("type") == "chat.message":
                text = event.get("text", "")
                if text.startswith("canary "):
                    n = int(text.split()[1])
                    self.chats.append(n)
                    arrivals.setdefault(n, {})[self.name] = now
            elif message["type"] in ("ack", "error") and str(message.get("id", "")).startswith("canary-"):
                n = int(message["id"].split("-")[1])
                arrivals.setdefault(n, {})[f"{self.name}:{message['type']}"] = now
            self.changed.set()
            self.progress.set()

    async def wait(self, predicate, timeout: float = 10) -> dict:
        deadline = time.monotonic() + timeout
        index = 0
        while True:
            while index < len(self.messages):
                index += 1
                if predicate(self.messages[index - 1]):
                    return self.messages[index - 1]
            left = deadline - time.monotonic()
            if left <= 0:
                raise AssertionError(f"canary {self.name}: nothing matching within {timeout}s")
            self.changed.clear()
            try:
                await asyncio.wait_for(self.changed.wait(), left)
            except asyncio.TimeoutError:
                pass


def is_event(kind: str):
    return lambda m: m["type"] == "event" and m["event"]["type"] == kind


async def join(url: str, tokens: dict, arrivals: dict,
               progress: asyncio.Event) -> tuple[list[Peer], list[asyncio.Task]]:
    peers, tasks = [], []
    for name in NAMES:
        ws = await asyncio.wait_for(websockets.connect(
            url, additional_headers={"Authorization": f"Bearer {tokens[name]}"},
            compression=None, ping_interval=None, open_timeout=10, max_size=2**20), 15)
        peer = Peer(name, ws, progress)
        peers.append(peer)
        tasks.append(asyncio.create_task(peer.read(arrivals)))
    facilitator, *participants = peers
    await facilitator.wait(is_event("room.snapshot"))
    for i, p in enumerate(participants):
        await p.wait(is_event("agreement.required"))
        await p.ws.send(json.dumps({"v": 1, "type": "agreement.accept", "id": f"a{i}", "version": AGREEMENT}))
        welcome = await p.wait(lambda m: m["type"] == "welcome")
        await facilitator.wait(lambda m: is_event("waiting.room")(m) and any(
            w["member"] == welcome["member"] for w in m["event"]["waiting"]))
        await facilitator.ws.send(json.dumps(
            {"v": 1, "type": "waiting.admit", "id": f"admit{i}", "member": welcome["member"]}))
        await p.wait(is_event("room.snapshot"))
    return peers, tasks


async def measure(url: str, tokens: dict, stop: threading.Event) -> None:
    arrivals: dict[int, dict[str, float]] = {}
    progress = asyncio.Event()
    peers, tasks = await join(url, tokens, arrivals, progress)
    names = [p.name for p in peers]
    emit({"ready": True})
    sent: list[int] = []
    errors: list[str] = []
    n = 0
    next_tick = time.monotonic()
    while n < MOST and not stop.is_set() and not any(t.done() for t in tasks):
        sender = peers[n % len(peers)]
        t0 = time.monotonic()
        try:
            await sender.ws.send(json.dumps({"v": 1, "type": "chat.send", "id": f"canary-{n}", "text": f"canary {n}"}))
        except websockets.ConnectionClosed as error:
            errors.append(f"{sender.name} could not send: {error!r}")
            break
        sent.append(n)
        wanted = {*names, f"{sender.name}:ack"}
        deadline = t0 + LATE
        while True:
            progress.clear()  # no await between this and the check: nothing can slip past
            got = arrivals.get(n, {})
            if wanted <= got.keys() or time.monotonic() >= deadline:
                break
            if f"{sender.name}:error" in got:
                errors.append(f"chat {n} refused: {sender.messages[-1]}")
                break
            try:
                await asyncio.wait_for(progress.wait(), deadline - time.monotonic())
            except asyncio.TimeoutError:
                pass
        got = arrivals.get(n, {})
        done = wanted <= got.keys()
        emit({"n": n, "t": t0, "ms": (max(got[k] for k in wanted) - t0) * 1000 if done else None})
        n += 1
        # Pacing, not waiting for an event: the canary is a steady, polite sender.
        next_tick = max(next_tick + INTERVAL, time.monotonic())
        await asyncio.sleep(next_tick - time.monotonic())
    for t in tasks:
        if t.done():
            errors.append(f"a canary connection ended: {t.exception()!r}")
    for p in peers:
        try:
            await asyncio.wait_for(p.ws.close(), 5)
        except (asyncio.TimeoutError, websockets.WebSocketException, OSError):
            pass
    emit({"done": True, "sent": sent, "received": {p.name: p.chats for p in peers}, "errors": errors})


def main() -> None:
    url, tokens = sys.argv[1], json.loads(sys.argv[2])
    stop = threading.Event()
    threading.Thread(target=lambda: (sys.stdin.readline(), stop.set()), daemon=True).start()
    asyncio.run(measure(url, tokens, stop))


class Canary:
    """The canary process, seen from the test: its samples as they come."""

    def __init__(self, url: str, tokens: dict, env: dict | None = None):
        # `env`: the process's environment (default: this one's), e.g. SSL_CERT_FILE for a wss:// URL.
        self.process = subprocess.Popen([sys.executable, __file__, url, json.dumps(tokens)],
                                        stdin=subprocess.PIPE, stdout=subprocess.PIPE, env=env)
        self.samples: list[dict] = []
        self.summary: dict | None = None
        self.ready = threading.Event()
        self.updated = threading.Condition()
        self._reader = threading.Thread(target=self._read, name="canary", daemon=True)
        self._reader.start()

    def _read(self) -> None:
        for line in self.process.stdout:
            message = json.loads(line)
            with self.updated:
                if message.get("ready"):
                    self.ready.set()
                elif message.get("done"):
                    self.summary = message
                else:
                    self.samples.append(message)
                self.updated.notify_all()
        with self.updated:
            self.updated.notify_all()

    def wait_past(self, moment: float, timeout: float = LATE + 2) -> bool:
        """Waits (bounded) until a sample sent after `moment` has been reported."""
        with self.updated:
            return self.updated.wait_for(
                lambda: any(s["t"] > moment for s in self.samples[-3:]) or self.process.poll() is not None,
                timeout)

    def stop(self) -> dict | None:
        """Asks the canary to stop; its summary (None if it did not give one in time)."""
        try:
            self.process.stdin.write(b"stop\n")
            self.process.stdin.flush()
        except OSError:
            pass
        with self.updated:
            self.updated.wait_for(lambda: self.summary is not None or self.process.poll() is not None, 10)
        try:
            self.process.wait(timeout=5)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait(timeout=5)
        self._reader.join(timeout=2)
        return self.summary


if __name__ == "__main__":
    main()
