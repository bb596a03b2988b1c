"""A rolling restart under load (issue 21): three real iopd nodes on one PostgreSQL behind a real
HAProxy running Config/haproxy.cfg, ROOMS rooms of a facilitator and nine participants in session,
every participant chatting. Each node in turn is drained through the admin API with no grace
(`POST /v1/admin/drain?graceSeconds=0`, what `iopctl drain --grace 0` sends), exits 0, is started
again and comes back into HAProxy's ring; then the next node.

What must hold: no session ends (no member ever sees `session.ended`; one open session per room in
PostgreSQL, the drained nodes' stays ending `node_stopped`); every member is back in the room,
admitted, without a waiting room, after every move; and no message the server accepted before the
drain's `going_away` is lost: a `chat.send` acknowledged to its sender ahead of that connection's
`going_away` reached every other member of the room. A participant sends only while its whole room
is assembled (between a move's `going_away` and everyone's return the room is not), so every peer
was present when it was accepted.

Bounded: every wait has a deadline; ROOMS=10 (100 members) takes about 30 s here.
`IOP_ROLLING_ROOMS=100` is the 1,000-member run of docs/BENCHMARKS.md.
"""

from __future__ import annotations

import asyncio
import os
import time
from pathlib import Path

import websockets

from proxykit import Cluster, admin, present, token
from roomkit import AGREEMENT_VERSION, Member, run
from test_failover import admitted_again, back_in_the_ring
from test_records_postgresql import database, psql  # noqa: F401 (database is a fixture)

ROOMS = int(os.environ.get("IOP_ROLLING_ROOMS", "10"))
PARTICIPANTS = 9
PERIOD_S = 1.0
MOVE_BUDGET_S = 30.0


def rooms_file(path: Path) -> Path:
    lines = ['agreement:\n  version: "%s"\n  text: "Be kind."\nrooms:\n' % AGREEMENT_VERSION]
    lines += [f"  - id: group-{n}\n    title: Group {n}\n    kind: process\n    capacity: 15\n" for n in range(ROOMS)]
    path.write_text("".join(lines))
    return path


class Group:
    """One room: its members, and whether all of them are in it now."""

    def __init__(self, cluster: Cluster, n: int):
        self.room = f"group-{n}"
        context = cluster.context()

        # Each room's members from an address of their own, as clinics are: HAProxy's per-client
        # stick table (300 new connections per 10 s) would refuse a thousand from one address.
        source = f"127.0.{10 + n // 250}.{1 + n % 250}"

        def member(role: str, name: str) -> Member:
            credential = token(room=self.room, role=role, alias=f"Alias {name}", member=name)
            return Member(cluster, credential, name=name, room=self.room, ssl=context, source=source)

        self.lead = member("facilitator", f"f{n}")
        self.participants = [member("participant", f"p{n}-{k}") for k in range(PARTICIPANTS)]
        self.everyone = [self.lead, *self.participants]
        self.assembled = asyncio.Event()
        self.sent: dict[str, list[tuple[str, str]]] = {who.name: [] for who in self.participants}  # (id, text)

    async def gather(self) -> None:
        await self.lead.connect()
        for who in self.participants:
            await who.connect()
            mark = self.lead.mark()
            await who.ok("agreement.accept", version=AGREEMENT_VERSION)
            await self.lead.wait_event("waiting.room", lambda e, m=who.name: m in [w["member"] for w in e["waiting"]],
                                       since=mark)
            await self.lead.ok("waiting.admit", member=who.name)
            await who.wait_event("room.snapshot")
        self.assembled.set()

    async def chat(self, who: Member, stop: asyncio.Event) -> None:
        """Sends a message every PERIOD_S while the room is assembled (bounded by `stop`)."""
        for k in range(10_000):
            if stop.is_set():
                return
            if self.assembled.is_set() and who.closed is None:
                text = f"{who.name} message {k}"
                try:
                    self.sent[who.name].append((await who.send("chat.send", text=text), text))
                except (websockets.ConnectionClosed, AssertionError, asyncio.TimeoutError):
                    pass  # the drain closed it meanwhile: not accepted before going_away, nothing to check
            try:
                await asyncio.wait_for(stop.wait(), PERIOD_S)
            except asyncio.TimeoutError:
                pass

    async def move(self, deadline: float) -> None:
        """The room's node drains: everyone gets going_away and 1001, then comes back, admitted."""
        await self.lead.wait_message(lambda m: m["type"] == "going_away",
                                     since=self.lead.connections[-1]["start"], timeout=deadline - time.monotonic())
        self.assembled.clear()
        for who in self.everyone:
            closed = await who.wait_closed(timeout=max(0.1, deadline - time.monotonic()))
            assert closed.code == 1001, f"{who.name}: {closed}"
        await asyncio.gather(*(admitted_again(who, deadline) for who in self.everyone))
        self.assembled.set()

    def check_nothing_lost(self) -> int:
        """Every chat.send acknowledged before its connection's going_away reached every other member."""
        checked = 0
        for who in self.participants:
            for command_id, text in self.sent[who.name]:
                acked = next((i for i, m in enumerate(who.messages) if m["type"] == "ack" and m.get("id") == command_id),
                             None)
                if acked is None or before_going_away(who, acked) is False:
                    continue
                checked += 1
                for peer in self.everyone:
                    if peer is not who:
                        assert any(text in frame for frame in peer.frames), f"{peer.name} never got {text!r}"
        return checked


def before_going_away(who: Member, index: int) -> bool:
    """Whether the message at `index` came before the going_away of the connection it arrived on."""
    connection = max((c for c in who.connections if c["start"] <= index), key=lambda c: c["start"])
    end = next((c["start"] for c in who.connections if c["start"] > connection["start"]), len(who.messages))
    going = next((i for i in range(connection["start"], end) if who.messages[i]["type"] == "going_away"), None)
    return going is None or index < going


def test_a_rolling_restart_of_every_node_ends_no_session_and_loses_no_message(tmp_path, database, monkeypatch):
    monkeypatch.setenv("IOPD_RECORDS_BACKEND", "postgresql")
    monkeypatch.setenv("IOPD_RECORDS_POSTGRESQL_URL", database)
    cluster = Cluster(tmp_path, f"rooms.file={rooms_file(tmp_path / 'rooms.yaml')}", count=3)
    groups: list[Group] = []
    try:
        async def scenario():
            groups.extend(Group(cluster, n) for n in range(ROOMS))
            for start in range(0, ROOMS, 10):  # ten rooms gather at a time
                await asyncio.gather(*(group.gather() for group in groups[start:start + 10]))
            stop = asyncio.Event()
            senders = [asyncio.create_task(group.chat(who, stop)) for group in groups for who in group.participants]
            await asyncio.sleep(2 * PERIOD_S)  # load before the first drain
            for index in range(len(cluster.nodes)):
                node = cluster.nodes[index]
                moving = [group for group in groups if present(node.port, group.room)]
                started = time.monotonic()
                outcome = await asyncio.to_thread(admin, node.port, "/v1/admin/drain?graceSeconds=0", "POST")
                assert outcome["grace_seconds"] == 0, outcome
                await asyncio.gather(*(group.move(started + MOVE_BUDGET_S) for group in moving))
                print(f"node{index + 1} drained: {len(moving)} rooms, "
                      f"{sum(len(g.everyone) for g in moving)} members back in {time.monotonic() - started:.1f} s")
                assert await asyncio.to_thread(node.process.wait, 30) == 0
                await asyncio.to_thread(cluster.restart, index)
                await back_in_the_ring(cluster, index)
                await asyncio.sleep(2 * PERIOD_S)  # load between the drains
            stop.set()
            await asyncio.gather(*senders)
            # The last messages reach everyone (bounded): then nothing may be missing.
            for group in groups:
                for who in group.participants:
                    for command_id, text in group.sent[who.name][-1:]:
                        answer = await who.reply(command_id)
                        assert answer["type"] == "ack", answer
                        for peer in group.everyone:
                            await peer.wait_message(lambda m, t=text: m.get("event", {}).get("text") == t)
            checked = sum(group.check_nothing_lost() for group in groups)
            print(f"{checked} accepted messages, every one delivered to every other member of its room")
            assert checked > ROOMS * PARTICIPANTS * 3
            for group in groups:
                for who in group.everyone:
                    assert "session.ended" not in who.event_types(), f"{who.name} saw its session end"
                    assert who.closed is None, f"{who.name} is not connected at the end"
                    await who.leave()

        run(scenario(), timeout=180 + ROOMS * 3)
    finally:
        cluster.stop()
    assert psql(database, "SELECT count(*) FROM sessions") == str(ROOMS), "one session per room throughout"
    # The cluster's own stop at the end hands the rooms over too: no session ever ended.
    assert psql(database, "SELECT count(*) FROM sessions WHERE ended_at IS NOT NULL") == "0"
    reasons = psql(database, "SELECT string_agg(DISTINCT end_reason, ',' ORDER BY end_reason) FROM attendance")
    assert "node_stopped" in reasons and "session_ended" not in reasons, reasons

