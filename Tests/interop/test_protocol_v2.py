"""iop.v2 with an independent client (Python `websockets`) against a real iopd.

A client offering the subprotocol `iop.v2` gets it back; its own copy of a chat
message carries the command's id as "ack" and no separate ack comes; everyone
else gets the same bytes as a v1 member; a v1 client in the same room is
unchanged (docs/PROTOCOL.md, "Versions"). Every wait is bounded (roomkit.py).
"""

from __future__ import annotations

import asyncio
import json

import pytest

from roomkit import AGREEMENT_VERSION, Member, RoomServer, run


@pytest.fixture
def server(tmp_path):
    running = RoomServer(tmp_path / "data", "server.shutdownGraceSeconds=2")
    yield running
    assert running.stop() == 0, running.captured()[-2000:]


async def answered_frames(member: Member, ping_id: str) -> list[str]:
    """Sends a ping and returns the frames from now up to its ack: once it is in, whatever
    the member's earlier commands caused is in too (the room answers them in order)."""
    start = member.mark()
    await member.send("ping", id=ping_id)
    end = await member.wait_index(lambda m: m["type"] == "ack" and m.get("id") == ping_id, since=start)
    return member.frames[start:end + 1]


async def session(server: RoomServer) -> None:
    fac = Member(server, server.token(role="facilitator", alias="Dana", member="f-1"), name="fac")
    v2 = Member(server, server.token(role="participant", alias="River", member="p-2"), name="v2",
                subprotocols=["iop.v2"])
    v1 = Member(server, server.token(role="participant", alias="Sky", member="p-1"), name="v1")
    other = Member(server, server.token(role="participant", alias="Jo", member="p-3"), name="other",
                   subprotocols=["foo"])
    members = [fac, v2, v1, other]
    try:
        for member in members:
            await member.connect()
        assert v2.ws.subprotocol == "iop.v2"
        assert v1.ws.subprotocol is None
        assert other.ws.subprotocol is None, "an unknown subprotocol alone: none chosen, v1"
        for participant in (v2, v1, other):
            await participant.wait_event("agreement.required")
            await participant.ok("agreement.accept", version=AGREEMENT_VERSION)
            await fac.ok("waiting.admit", member=participant.member_id)
            await participant.wait_event("room.snapshot")
        for member in members:
            await answered_frames(member, f"sync-{member.name}")

        # v2: one frame for the message (its own copy, with the id), then the ping's ack.
        v2_start = v2.mark()
        await v2.send("chat.send", id="c7", text="Glad to be here")
        await answered_frames(v2, "p-after")
        own = next(f for f in v2.frames[v2_start:] if "Glad to be here" in f)
        assert [json.loads(f)["type"] for f in v2.frames[v2_start:]] == ["event", "ack"], v2.frames[v2_start:]
        assert json.loads(own)["ack"] == "c7"
        assert not any(m.get("type") == "ack" and m.get("id") == "c7" for m in v2.messages)
        said = lambda m: m["type"] == "event" and m["event"].get("text") == "Glad to be here"  # noqa: E731
        shared = {m.frames[await m.wait_index(said)] for m in (fac, v1, other)}
        assert len(shared) == 1, "byte-identical for every other member"
        (copy,) = shared
        assert own == copy[:-1] + ',"ack":"c7"}'
        assert json.loads(copy)["event"] == json.loads(own)["event"]

        # v1 unchanged: ack, then its own copy without "ack".
        v1_start = v1.mark()
        await v1.send("chat.send", id="k1", text="Me too")
        await answered_frames(v1, "k-after")
        types = [(m["type"], m.get("id")) for m in v1.messages[v1_start:]]
        assert types[:2] == [("ack", "k1"), ("event", None)], types
        assert "ack" not in v1.messages[v1_start + 1]

        # An error for v2 is still an error; a command that posts nothing keeps its ack.
        await v2.refused("chat.send", "empty_message", text="   ")
        await v2.ok("hand.raise")
    finally:
        await asyncio.gather(*(m.leave() for m in members))


def test_a_v2_client_gets_its_own_copy_as_the_ack(server):
    run(session(server), timeout=60)


def test_over_http2_the_offer_is_answered_in_the_200_and_the_own_copy_acks(server):
    """The same over an HTTP/2 stream (RFC 8441), with the independent `h2` library."""
    from wsproto.frame_protocol import Opcode

    from h2client import H2Client

    token = server.token(role="facilitator", alias="Dana", member="f-h2")
    plain = server.token(role="facilitator", alias="Eve", member="f-h2-v1")
    client = H2Client(server.port)
    try:
        v2 = client.connect_websocket("/v1/rooms/evening-process",
                                      [("authorization", f"Bearer {token}"),
                                       ("sec-websocket-protocol", "foo, iop.v2")])
        v1 = client.connect_websocket("/v1/rooms/evening-process",
                                      [("authorization", f"Bearer {plain}"), ("sec-websocket-protocol", "foo")])
        opened = client.opened(v2)
        assert opened.status == 200 and opened.headers.get("sec-websocket-protocol") == "iop.v2"
        assert client.opened(v1).status == 200 and "sec-websocket-protocol" not in client.streams[v1].headers

        def texts_until(sid: int, needle: str) -> list[str]:
            seen = []
            while True:
                frame = client.next_frame(sid, Opcode.TEXT)
                assert frame is not None, f"no {needle} after {seen[-3:]}"
                seen.append(frame[1])
                if needle in frame[1]:
                    return seen

        texts_until(v2, '"type":"room.snapshot"')
        texts_until(v1, '"type":"room.snapshot"')
        client.send_text(v2, '{"v":1,"type":"chat.back_channel","id":"b1","text":"over h2"}')
        client.send_text(v2, '{"v":1,"type":"ping","id":"b2"}')
        frames = texts_until(v2, '{"v":1,"type":"ack","id":"b2"}')
        own = next(f for f in frames if "over h2" in f)
        assert json.loads(own)["ack"] == "b1"
        assert '{"v":1,"type":"ack","id":"b1"}' not in frames
        shared = next(f for f in texts_until(v1, "over h2") if "over h2" in f)
        assert own == shared[:-1] + ',"ack":"b1"}'
    finally:
        client.close()
