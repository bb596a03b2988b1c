"""The facilitation toolkit and confidentiality, against a real iopd through real
sockets: a poll's question and options, reactions and cues reach their audience
over the wire and are found in no file under the data folder and in no line the
server writes, at trace level; no member id ever stands beside a poll choice in
anything a member receives. Every wait is bounded (see roomkit.py).
"""

from __future__ import annotations

import secrets

import pytest
import websockets

from roomkit import AGREEMENT_VERSION, Member, RoomServer, run


@pytest.fixture
def start_server(tmp_path):
    servers: list[RoomServer] = []

    def start(*settings: str, name: str = "data") -> RoomServer:
        server = RoomServer(tmp_path / name, "server.shutdownGraceSeconds=2", *settings)
        servers.append(server)
        return server

    yield start
    for server in servers:
        assert server.stop() == 0, server.captured()[-2000:]


async def open_room(server: RoomServer, participants: list[str], facilitators: list[str]):
    facs = [Member(server, server.token(role="facilitator", alias=a, member=f"fac-{a.lower()}"), name=a)
            for a in facilitators]
    ps = [Member(server, server.token(role="participant", alias=a, member=f"mem-{a.lower()}"), name=a)
          for a in participants]
    for f in facs:
        await f.connect()
    lead = facs[0]
    for p in ps:
        await p.connect()
        mark = lead.mark()
        await p.ok("agreement.accept", version=AGREEMENT_VERSION)
        await lead.wait_event("waiting.room", lambda e: p.member_id in [w["member"] for w in e["waiting"]], since=mark)
        await lead.ok("waiting.admit", member=p.member_id)
        await p.wait_event("room.snapshot")
    return facs, ps


def test_poll_words_reactions_and_cues_appear_in_no_file_and_no_output(start_server):
    server = start_server("log.level=trace", name="toolkit-canary")
    canaries = {kind: f"zq{kind}{secrets.token_hex(6)}" for kind in ("question", "optiona", "optionb", "optionc")}

    async def scenario():
        (sam, lee), (ana, ben, cy) = await open_room(server, ["Ana", "Ben", "Cy"], ["Sam", "Lee"])
        everyone = [sam, lee, ana, ben, cy]
        try:
            await sam.ok("poll.ask", question=canaries["question"],
                         options=[canaries["optiona"], canaries["optionb"], canaries["optionc"]], audience="group")
            for p in (ana, ben, cy):
                await p.wait_event("poll.opened")
            choices = {ana: 2, ben: 0, cy: 2}
            for p, choice in choices.items():
                await p.ok("poll.vote", poll=1, choice=choice)
            await ana.refused("poll.vote", "already_voted", poll=1, choice=1)
            marks = {m: m.mark() for m in everyone}
            await lee.ok("poll.close")
            for m in everyone:
                closed = await m.wait_event("poll.closed", since=marks[m])
                assert closed["counts"] == [1, 0, 2] and closed["answered"] == 3
            # no member id ever stands in a poll event, to anyone
            for m in everyone:
                for event in m.events():
                    if event["type"].startswith("poll."):
                        text = str(event)
                        assert not any(x.member_id in text for x in everyone), f"{m.name}: {event}"
            await ana.ok("chat.send", text="a share")
            shared = await ben.wait_event("chat.message", lambda e: e["text"] == "a share")
            await ben.ok("reaction.add", message=shared["id"], reaction="me_too")
            await cy.ok("reaction.add", message=shared["id"], reaction="thank_you")
            tally = await ana.wait_event("reaction.changed", lambda e: len(e["counts"]) == 2)
            assert [c["count"] for c in tally["counts"]] == [1, 1] and all("aliases" not in c for c in tally["counts"])
            await cy.ok("cue.set", cue="want_to_speak")
            cue = await sam.wait_event("cue.changed")
            assert cue["alias"] == "Cy" and cue["cue"] == "want_to_speak"
            await lee.wait_event("cue.changed")
            await sam.ok("balance.get")
            report = await sam.wait_event("balance.report")
            assert {row["alias"]: row["messages"] for row in report["members"]} == {"Ana": 1, "Ben": 0, "Cy": 0}
            marks = {m: m.mark() for m in everyone}
            await sam.send("session.end")
            for m in everyone:
                await m.wait_event("session.ended", since=marks[m])
                assert (await m.wait_closed()).code == 4003
            assert [m.saw(canaries["question"]) for m in everyone] == [True] * 5
            assert not any(m.saw("want_to_speak") for m in (ana, ben)), "cues are for facilitators by default"
        finally:
            for m in everyone:
                await m.leave()

    run(scenario(), timeout=30)
    assert server.stop() == 0
    output = server.captured()
    assert b" trace " in output or b" debug " in output, "trace logging was on"
    needles = {**canaries, "reaction": "me_too", "reaction2": "thank_you", "cue": "want_to_speak"}
    assert b"choice" not in output and b"poll.vote" not in output, "no vote reaches the log, not even its type"
    files = [path for path in server.data_dir.rglob("*") if path.is_file()]
    for name, needle in needles.items():
        assert needle.encode() not in output, f"{name} appears in the server's output"
        for path in files:
            assert needle.encode() not in path.read_bytes(), f"{name} appears in {path}"


def test_reactions_and_cues_are_rate_limited_like_every_command(start_server):
    server = start_server("rooms.burst=5", "rooms.strikesBeforeClose=3")

    async def scenario():
        (sam,), (ana, ben) = await open_room(server, ["Ana", "Ben"], ["Sam"])
        try:
            await sam.ok("chat.send", text="welcome")
            message = await ben.wait_event("chat.message")
            mark = ben.mark()
            for index in range(20):  # bounded, well past the burst of 5
                try:
                    if index % 2:
                        await ben.send("cue.set", cue=("pause", "ok")[index % 4 // 2])
                    else:
                        await ben.send("reaction.add", message=message["id"], reaction=("me_too", "support")[index % 4 // 2])
                except websockets.ConnectionClosed:
                    break
            closed = await ben.wait_closed()
            assert (closed.code, closed.reason) == (1008, "rate limit exceeded")
            replies = [m for m in ben.messages[mark:] if m["type"] in ("ack", "error")]
            assert [m["code"] for m in replies if m["type"] == "error"] == ["rate_limited"] * 3, replies
            assert any(m["type"] == "ack" for m in replies), "the first ones were accepted"
            assert ben.events("reaction.changed", since=mark) and ben.events("cue.changed", since=mark)
        finally:
            for m in (sam, ana, ben):
                await m.leave()

    run(scenario(), timeout=30)
