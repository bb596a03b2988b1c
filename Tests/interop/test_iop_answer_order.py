"""The real `iop` in piped line mode against a scripted room whose events leave in
the worst order the real server allows: the `ack` of `/accept` at once, the events
it caused only after the client's next frame has arrived. A client that closes as
soon as its commands are acknowledged (the old end of input) never gets them; one
that ends with a `ping` and leaves on its answer always does. Deterministic: no
timing, only the order of frames. Binary: $IOP_BIN, else .build/debug/iop."""

from __future__ import annotations

import asyncio
import json
import threading

from websockets.asyncio.server import ServerConnection, serve
from websockets.exceptions import ConnectionClosed

from test_iop_kit import run_iop

ROOM = "evening-process"
WAIT = 10.0


def envelope(kind: str, **fields) -> str:
    return json.dumps({"v": 1, "type": kind, **fields}, separators=(",", ":"))


def event(seq: int, body: dict) -> str:
    return envelope("event", seq=seq, time=1764000030000 + seq, event=body)


class LateEventsRoom:
    """A room on a thread: welcome, agreement; each command gets its `ack` at once
    and its events only after the next frame from the client. Records what the
    client sent and whether the events of `/accept` went out."""

    def __init__(self) -> None:
        self.received: list[dict] = []
        self.events_sent = False
        self.port = 0
        self._ready = threading.Event()
        self._loop = asyncio.new_event_loop()
        self._stop: asyncio.Future | None = None
        self._thread = threading.Thread(target=self._run, daemon=True)
        self._thread.start()
        assert self._ready.wait(WAIT), "scripted room did not start"

    def _run(self) -> None:
        asyncio.set_event_loop(self._loop)
        self._loop.run_until_complete(self._serve())

    async def _serve(self) -> None:
        self._stop = self._loop.create_future()
        async with serve(self._session, "127.0.0.1", 0, compression=None) as server:
            self.port = server.sockets[0].getsockname()[1]
            self._ready.set()
            await self._stop

    async def _session(self, ws: ServerConnection) -> None:
        await ws.send(envelope("welcome", member="sky", alias="Sky", role="participant", room=ROOM,
                               roomTitle="Evening process group"))
        await ws.send(event(1, {"type": "agreement.required", "text": "What is said here stays here.",
                                "version": "2026-11"}))
        late: list[str] = []  # events of the previous command, sent after the next frame
        seq = 1
        try:
            while True:
                command = json.loads(await asyncio.wait_for(ws.recv(), WAIT))
                self.received.append(command)
                for text in late:
                    await ws.send(text)
                    self.events_sent = True
                late = []
                await ws.send(envelope("ack", id=command["id"]))
                if command["type"] == "agreement.accept":
                    seq += 1
                    late.append(event(seq, {"type": "admission.waiting"}))
        except (ConnectionClosed, asyncio.TimeoutError):
            return

    def stop(self) -> None:
        if self._stop is not None:
            self._loop.call_soon_threadsafe(self._stop.set_result, None)
        self._thread.join(WAIT)


def test_end_of_input_waits_for_the_events_that_follow_the_ack():
    room = LateEventsRoom()
    try:
        result = run_iop("join", f"ws://127.0.0.1:{room.port}", ROOM, "--line", "--json",
                         token="t.t.t", stdin="/accept\n")
    finally:
        room.stop()
    output = result.stdout.decode()
    assert result.returncode == 0, result.stderr
    assert [c["type"] for c in room.received] == ["agreement.accept", "ping"], "one last ping after the commands"
    assert room.events_sent, "iop closed before the events of /accept could follow their ack"
    assert '"admission.waiting"' in output
    assert f'"id":"{room.received[-1]["id"]}"' not in output, "the last ping's ack is iop's own, not printed"
