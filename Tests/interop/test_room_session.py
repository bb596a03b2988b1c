"""A whole group session end to end through real sockets against a real iopd.

One facilitator and ten participants; the confidentiality canary; bad input,
flooding and refused handshakes. Every wait is bounded (see roomkit.py).
"""

from __future__ import annotations

import asyncio
import base64
import hashlib
import hmac
import json
import os
import time

import pytest
import websockets

from roomkit import AGREEMENT_VERSION, Member, RoomServer, run

ALIASES = ["Ana", "Ben", "Cy", "Dee", "Eli", "Fay", "Gus", "Hal", "Ivy", "Jo"]
PRE_ADMISSION_EVENTS = {"agreement.required", "admission.waiting"}
FACILITATOR_ONLY_EVENTS = {"waiting.room", "checkin.progress", "crisis.raised", "room.lock_changed"}


@pytest.fixture
def start_server(tmp_path):
    """Starts iopd (each with its own data folder); stops every one afterwards, asserting exit 0."""
    servers: list[RoomServer] = []

    def start(*settings: str, name: str = "data") -> RoomServer:
        server = RoomServer(tmp_path / name, "server.shutdownGraceSeconds=2", *settings)
        servers.append(server)
        return server

    yield start
    for server in servers:
        assert server.stop() == 0, server.captured()[-2000:]


def roster_entry(roster: dict, member: Member) -> dict | None:
    return next((e for e in roster["members"] if e["member"] == member.member_id), None)


def ids(members: list[Member]) -> list[str]:
    return [m.member_id for m in members]


async def leave_all(members: list[Member]) -> None:
    await asyncio.gather(*(m.leave() for m in members))


def assert_sequences_increase(member: Member) -> None:
    """Within each connection, event sequence numbers strictly increase."""
    starts = [c["start"] for c in member.connections] + [len(member.messages)]
    for begin, end in zip(starts, starts[1:]):
        seqs = [m["seq"] for m in member.messages[begin:end] if m["type"] == "event"]
        assert seqs == sorted(set(seqs)), f"{member.name}: sequence numbers out of order: {seqs}"


# --- the whole session ------------------------------------------------------------


def test_whole_session_one_facilitator_ten_participants(start_server):
    # The script runs a session in seconds: a facilitator's ~40 commands would pass the
    # default per-member limit (5/s, burst 20), which the flood test covers on its own.
    server = start_server("rooms.messagesPerSecond=50", "rooms.burst=100")
    run(whole_session(server), timeout=50)


async def whole_session(server: RoomServer) -> None:
    fac = Member(server, server.token(role="facilitator", alias="Sam", member="fac-sam"), name="Sam")
    ps = [
        Member(server, server.token(role="participant", alias=alias, member=f"mem-{index:02d}-{alias.lower()}"),
               name=alias)
        for index, alias in enumerate(ALIASES)
    ]
    everyone = [fac, *ps]
    try:
        await session_steps(fac, ps, everyone)
    finally:
        await leave_all(everyone)


async def session_steps(fac: Member, ps: list[Member], everyone: list[Member]) -> None:
    marker = f"{time.monotonic_ns():x}"
    said: dict[str, set[Member]] = {}  # unique text -> exactly who must see it (filled as we go)

    # -- the facilitator opens the room and says something before anyone is in ----------
    welcome = await fac.connect()
    assert welcome["role"] == "facilitator" and welcome["room"] == "evening-process"
    snapshot = await fac.wait_event("room.snapshot")
    assert [e["member"] for e in snapshot["roster"]["members"]] == ["fac-sam"]
    assert snapshot["waiting"] == [] and snapshot["openAlerts"] == []
    before = f"before-anyone-{marker}"
    await fac.ok("chat.send", text=before)
    said[before] = {fac}

    # -- agreement: participants see nothing of the room before accepting -----------------
    await asyncio.gather(*(p.connect() for p in ps))
    for p in ps:
        agreement = await p.wait_event("agreement.required")
        assert agreement["version"] == AGREEMENT_VERSION and "stays here" in agreement["text"]
    await ps[0].refused("chat.send", "agreement_required", text="hello?")
    await ps[0].refused("hand.raise", "agreement_required")
    await ps[0].refused("checkin.pass", "agreement_required")
    await ps[0].refused("agreement.accept", "agreement_version_mismatch", version="2025-01")
    await ps[0].refused("waiting.admit", "not_permitted", member=ps[1].member_id)

    fac_mark = fac.mark()
    await asyncio.gather(*(p.ok("agreement.accept", version=AGREEMENT_VERSION) for p in ps))
    for p in ps:
        await p.wait_event("admission.waiting")
    waiting = await fac.wait_event("waiting.room", lambda e: len(e["waiting"]) == 10, since=fac_mark)
    assert sorted(w["member"] for w in waiting["waiting"]) == sorted(ids(ps))
    assert {w["alias"] for w in waiting["waiting"]} == set(ALIASES)
    while_waiting = f"while-they-wait-{marker}"
    await fac.ok("chat.send", text=while_waiting)  # the waiting room sees nothing of the room
    said[while_waiting] = {fac}
    await ps[1].refused("chat.send", "not_admitted", text="let me in")
    await ps[1].refused("hand.raise", "not_admitted")

    # -- admission from the waiting room --------------------------------------------------
    fac_mark = fac.mark()
    for p in ps:
        await fac.ok("waiting.admit", member=p.member_id)
    await fac.refused("waiting.admit", "not_waiting", member=ps[0].member_id)
    for p in ps:
        snap = await p.wait_event("room.snapshot")
        assert snap["you"] == p.member_id and snap["role"] == "participant"
        assert snap["waiting"] == [] and snap["openAlerts"] == [] and snap["sideRooms"] == []
        first_in_room = snap["_index"]
        seen_before = set(p.event_types(until=first_in_room))
        assert seen_before <= PRE_ADMISSION_EVENTS, f"{p.name} saw {seen_before} before admission"
    full = await fac.wait_event("room.roster", lambda e: len(e["members"]) == 11, since=fac_mark)
    assert {e["alias"] for e in full["members"]} == {"Sam", *ALIASES}
    assert all(e["presence"] == "here" and not e["muted"] for e in full["members"])
    await fac.wait_event("waiting.room", lambda e: e["waiting"] == [], since=fac_mark)
    for p in ps:
        await p.wait_event("room.roster", lambda e: len(e["members"]) == 11)

    # -- check-in round, mood template (visibility: group) ---------------------------------
    marks = {m: m.mark() for m in everyone}
    await fac.ok("checkin.start", template="mood")
    for m in everyone:
        started = await m.wait_event("checkin.started", since=marks[m])
        assert started["template"]["id"] == "mood" and started["template"]["visibility"] == "group"
        assert [f["id"] for f in started["template"]["fields"]] == ["mood", "word"]
    progress = await fac.wait_event("checkin.progress", since=marks[fac])
    assert sorted(progress["pending"]) == sorted(ids(ps)) and progress["answered"] == [] and progress["passed"] == []

    scores = [3, 5, 5, 7, 8, 2]
    words = [f"w{index}x{marker}" for index in range(6)]
    for p, score, word in zip(ps[:6], scores, words):
        await p.ok("checkin.answer", answers={"mood": score, "word": word})
        said[word] = set(everyone)  # group visibility: everyone in the group sees answers
    await ps[6].ok("checkin.pass")
    await ps[7].refused("checkin.answer", "invalid_answer", answers={"mood": 11, "word": "fine"})
    await ps[7].refused("checkin.answer", "invalid_answer", answers={"mood": 4, "word": "two words"})
    await ps[7].refused("checkin.answer", "invalid_answer", answers={"mood": 4})
    await ps[0].refused("checkin.answer", "already_answered", answers={"mood": 1, "word": "again"})
    await fac.refused("checkin.pass", "not_permitted")

    done = await fac.wait_event(
        "checkin.progress", lambda e: len(e["answered"]) == 6 and len(e["passed"]) == 1, since=marks[fac]
    )
    assert done["answered"] == ids(ps[:6]) and done["passed"] == [ps[6].member_id]
    assert sorted(done["pending"]) == sorted(ids(ps[7:]))
    assert done["distribution"] == [
        {"field": "mood", "counts": [{"score": s, "count": c} for s, c in [(2, 1), (3, 1), (5, 2), (7, 1), (8, 1)]]}
    ]
    for m in everyone:
        # the pass was sent last: once it is in, every earlier response is in (one ordered stream)
        await m.wait_event("checkin.response", lambda e: e["member"] == ps[6].member_id, since=marks[m])
        responses = m.events("checkin.response", since=marks[m])
        assert len(responses) == 7, f"{m.name} saw {len(responses)} check-in responses"
        by_member = {r["member"]: r for r in responses}
        for p, score, word in zip(ps[:6], scores, words):
            assert by_member[p.member_id]["outcome"] == "answered"
            assert by_member[p.member_id]["answers"] == {"mood": score, "word": word}
        assert by_member[ps[6].member_id]["outcome"] == "passed" and "answers" not in by_member[ps[6].member_id]

    marks = {m: m.mark() for m in everyone}
    await fac.ok("checkin.close")
    for m in everyone:
        closed = await m.wait_event("checkin.closed", since=marks[m])
        assert (closed["answeredCount"], closed["passedCount"], closed["noResponseCount"]) == (6, 1, 3)
        assert closed["reason"] == "closed" and closed["distribution"] == done["distribution"]

    # -- check-in round, craving template (visibility: facilitators only) ------------------
    marks = {m: m.mark() for m in everyone}
    await fac.ok("checkin.start", template="craving")
    for m in everyone:
        started = await m.wait_event("checkin.started", since=marks[m])
        assert started["template"]["visibility"] == "facilitators_only"
    await ps[0].ok("checkin.answer", answers={"craving": 4})
    await ps[1].ok("checkin.pass")
    await fac.wait_event("checkin.response", lambda e: e["member"] == ps[1].member_id, since=marks[fac])
    own = await ps[0].wait_event("checkin.response", since=marks[ps[0]])
    assert own["member"] == ps[0].member_id and own["answers"] == {"craving": 4}
    await fac.ok("checkin.close")
    fac_closed = await fac.wait_event("checkin.closed", since=marks[fac])
    assert fac_closed["distribution"] == [{"field": "craving", "counts": [{"score": 4, "count": 1}]}]
    for p in ps:
        closed = await p.wait_event("checkin.closed", since=marks[p])
        assert "distribution" not in closed and closed["answeredCount"] == 1 and closed["passedCount"] == 1
        responses = p.events("checkin.response", since=marks[p])
        expected = [p.member_id] if p in ps[:2] else []
        assert [r["member"] for r in responses] == expected, f"{p.name} saw others' craving answers"
        assert not p.events("checkin.progress"), f"{p.name} got the facilitators' progress"

    # -- chat ---------------------------------------------------------------------------
    hello = f"hello-group-{marker}"
    marks = {m: m.mark() for m in everyone}
    await ps[2].ok("chat.send", text=hello)
    said[hello] = set(everyone)
    frames = set()
    for m in everyone:
        message = await m.wait_event("chat.message", since=marks[m])
        assert message["scope"] == "group" and message["text"] == hello
        assert message["from"] == ps[2].member_id and message["alias"] == "Cy" and message["role"] == "participant"
        frames.add(m.frames[message["_index"]])
    assert len(frames) == 1, "a broadcast must be the same bytes for every recipient"
    await ps[2].refused("chat.send", "empty_message", text="   ")
    await ps[2].refused("chat.send", "message_too_long", text="x" * 2001)

    # -- hands and the floor -------------------------------------------------------------
    marks = {m: m.mark() for m in everyone}
    await ps[3].ok("hand.raise")
    await ps[4].ok("hand.raise")
    for m in everyone:
        await m.wait_event(
            "room.roster",
            lambda e: (roster_entry(e, ps[3]) or {}).get("queuePosition") == 1
            and (roster_entry(e, ps[4]) or {}).get("queuePosition") == 2,
            since=marks[m],
        )
    await ps[3].refused("floor.give", "not_permitted")
    marks = {m: m.mark() for m in everyone}
    await fac.ok("floor.give")  # to the first raised hand
    for m in everyone:
        roster = await m.wait_event("room.roster", lambda e: e.get("floor") == ps[3].member_id, since=marks[m])
        assert "queuePosition" not in roster_entry(roster, ps[3])
        assert roster_entry(roster, ps[4])["queuePosition"] == 1
    give_from = fac.mark()
    await fac.ok("floor.give", member=ps[5].member_id)
    await fac.wait_event("room.roster", lambda e: e.get("floor") == ps[5].member_id, since=give_from)
    await ps[4].ok("hand.lower")
    marks = {m: m.mark() for m in everyone}
    await fac.ok("floor.take")
    for m in everyone:
        roster = await m.wait_event("room.roster", lambda e: "floor" not in e, since=marks[m])
        assert all("queuePosition" not in e for e in roster["members"])

    # -- box breathing: the whole schedule, then a phase change on time --------------------
    marks = {m: m.mark() for m in everyone}
    await fac.ok("exercise.start", exercise="box-breathing")
    schedules = []
    for m in everyone:
        status = await m.wait_event("exercise.status", lambda e: e["change"] == "started", since=marks[m])
        assert status["exercise"] == "box-breathing" and status["currentPhase"] == 0 and not status["paused"]
        phases = status["phases"]
        assert len(phases) == 16 and [p["index"] for p in phases] == list(range(16))
        assert phases[0]["startsAt"] == status["time"], "the schedule starts at the server time of the event"
        for phase in phases:
            assert phase["endsAt"] - phase["startsAt"] == phase["durationMs"] == 4000
        for earlier, later in zip(phases, phases[1:]):
            assert later["startsAt"] == earlier["endsAt"]
        assert abs(status["_received"] - status["time"]) < 1000, "server and local clocks are the same machine's"
        schedules.append(json.dumps(phases))
    assert len(set(schedules)) == 1, "every member gets the same schedule"
    first_phase_end = json.loads(schedules[0])[0]["endsAt"]
    await ps[7].ok("exercise.sit_out")
    await ps[7].refused("exercise.start", "not_permitted", exercise="box-breathing")
    for m in everyone:
        if m is ps[7]:
            continue
        change = await m.wait_event(
            "exercise.status", lambda e: e["change"] == "phase_changed", since=marks[m], timeout=4 + 3
        )
        assert change["currentPhase"] == 1 and change["phases"][0]["index"] == 1
        assert change["phases"][0]["startsAt"] == first_phase_end
        assert 0 <= change["time"] - first_phase_end < 300, "the phase change is stamped on time"
        assert -50 < change["_received"] - first_phase_end < 1000, "the phase change arrives on time"
    marks_after = {m: m.mark() for m in everyone}
    await fac.ok("exercise.stop")
    for m in everyone:
        ended = await m.wait_event("exercise.ended", since=marks_after[m])
        assert ended["reason"] == "stopped" and ended["exercise"] == "box-breathing"
    assert not [
        e for e in ps[7].events("exercise.status", since=marks[ps[7]]) if e["change"] == "phase_changed"
    ], "a participant sitting out gets no phase changes"

    # -- a private message to the facilitators, a whisper, no participant-to-participant ----
    to_facilitators = f"to-facilitators-{marker}"
    await ps[4].ok("chat.to_facilitators", text=to_facilitators)
    said[to_facilitators] = {fac, ps[4]}
    got = await fac.wait_event("chat.message", lambda e: e["text"] == to_facilitators)
    assert got["scope"] == "to_facilitators" and got["from"] == ps[4].member_id
    await ps[4].wait_event("chat.message", lambda e: e["text"] == to_facilitators)

    whisper = f"whisper-{marker}"
    await fac.ok("chat.private", to=ps[5].member_id, text=whisper)
    said[whisper] = {fac, ps[5]}
    got = await ps[5].wait_event("chat.message", lambda e: e["text"] == whisper)
    assert got["scope"] == "direct" and got["to"] == ps[5].member_id and got["role"] == "facilitator"
    await fac.wait_event("chat.message", lambda e: e["text"] == whisper)
    await ps[1].refused("chat.private", "private_messages_disabled", to=ps[2].member_id, text=f"psst-{marker}")

    # -- a crisis alert and its acknowledgement --------------------------------------------
    marks = {m: m.mark() for m in everyone}
    await ps[6].ok("crisis.alert")
    raised = await fac.wait_event("crisis.raised", since=marks[fac])
    assert raised["member"] == ps[6].member_id and raised["alias"] == "Gus"
    received = await ps[6].wait_event("crisis.received", since=marks[ps[6]])
    assert received["alert"] == raised["alert"] and received["facilitatorsNotified"] == 1
    await ps[5].refused("crisis.acknowledge", "not_permitted", alert=raised["alert"])
    await fac.ok("crisis.acknowledge", alert=raised["alert"])
    await fac.refused("crisis.acknowledge", "already_acknowledged", alert=raised["alert"])
    await fac.refused("crisis.acknowledge", "unknown_alert", alert=raised["alert"] + 100)
    for m in (fac, ps[6]):
        acknowledged = await m.wait_event("crisis.acknowledged", since=marks[m])
        assert acknowledged["alert"] == raised["alert"] and acknowledged["member"] == ps[6].member_id
        assert acknowledged["by"] == "fac-sam" and acknowledged["byAlias"] == "Sam"

    # -- a mute --------------------------------------------------------------------------
    marks = {m: m.mark() for m in everyone}
    await fac.ok("member.mute", member=ps[7].member_id)
    for m in everyone:
        await m.wait_event("room.roster", lambda e: roster_entry(e, ps[7])["muted"], since=marks[m])
    await ps[7].refused("chat.send", "muted", text=f"muted-{marker}")
    muted_help = f"muted-but-may-ask-{marker}"
    await ps[7].ok("chat.to_facilitators", text=muted_help)  # muted from the group, never from help
    said[muted_help] = {fac, ps[7]}
    unmute_from = fac.mark()
    await fac.ok("member.unmute", member=ps[7].member_id)
    await fac.wait_event("room.roster", lambda e: roster_entry(e, ps[7])["muted"] is False, since=unmute_from)
    await ps[7].ok("chat.send", text=f"unmuted-{marker}")
    said[f"unmuted-{marker}"] = set(everyone)

    # -- a removal -----------------------------------------------------------------------
    marks = {m: m.mark() for m in everyone}
    await fac.refused("member.remove", "invalid_target", member="fac-sam")
    await fac.ok("member.remove", member=ps[8].member_id)
    closed = await ps[8].wait_closed()
    assert (closed.code, closed.reason) == (4001, "removed")
    present = [m for m in everyone if m is not ps[8]]
    for m in present:
        await m.wait_event("room.roster", lambda e: roster_entry(e, ps[8]) is None, since=marks[m])
    rejoin_from = ps[8].mark()
    await ps[8].connect(expect_welcome=False)
    closed = await ps[8].wait_closed()
    assert (closed.code, closed.reason) == (4000, "removed"), "a removed member cannot rejoin"
    assert ps[8].event_types(since=rejoin_from) == [], "nothing of the room reaches a removed member"

    # -- a reconnect within the window --------------------------------------------------
    jo = ps[9]
    raise_from = fac.mark()
    await jo.ok("hand.raise")
    await fac.wait_event("room.roster", lambda e: (roster_entry(e, jo) or {}).get("queuePosition") == 1, since=raise_from)
    marks = {m: m.mark() for m in present}
    await jo.drop()
    others = [m for m in present if m is not jo]
    for m in others:
        # shown once the loss outlasts the presence grace (10 s; PROTOCOL "Connecting")
        await m.wait_event("room.roster", lambda e: roster_entry(e, jo)["presence"] == "reconnecting",
                           since=marks[m], timeout=15)
    missed = f"said-while-jo-was-away-{marker}"
    await ps[2].ok("chat.send", text=missed)
    said[missed] = set(others)  # Jo gets it only if the server replays missed events (it does: Last-Event-Sequence, see test_reconnect_replays_missed_events)
    await fac.wait_event("chat.message", lambda e: e["text"] == missed)
    back_from = jo.mark()
    welcome = await jo.connect()
    assert welcome["member"] == jo.member_id
    snap = await jo.wait_event("room.snapshot", since=back_from)
    assert set(jo.event_types(since=back_from, until=snap["_index"])) == set(), "no agreement or waiting room again"
    mine = roster_entry(snap["roster"], jo)
    assert mine["presence"] == "here" and mine["queuePosition"] == 1, "the hand keeps its place"
    assert "agreement.required" not in jo.event_types(since=back_from)
    assert "admission.waiting" not in jo.event_types(since=back_from)
    for m in others:
        await m.wait_event("room.roster", lambda e: roster_entry(e, jo)["presence"] == "here", since=marks[m])
    await jo.ok("chat.send", text=f"jo-is-back-{marker}")
    said[f"jo-is-back-{marker}"] = set(present)

    # -- the end -------------------------------------------------------------------------
    marks = {m: m.mark() for m in present}
    await fac.send("session.end")
    for m in present:
        await m.wait_event("session.ended", since=marks[m])
        closed = await m.wait_closed()
        assert (closed.code, closed.reason) == (4003, "session ended"), m.name
    # After the end, an arrival starts the next session (PROTOCOL "Connecting"): a member of
    # the ended session resuming is told once that it ended; joining afresh waits in the next.
    late = ps[0]
    late_from = late.mark()
    await late.connect(expect_welcome=False, last_sequence=1)
    closed = await late.wait_closed()
    assert (closed.code, closed.reason) == (4000, "session_ended")
    assert late.event_types(since=late_from) == []
    afresh = late.mark()
    await late.connect()
    await late.wait_event("agreement.required", since=afresh)
    await late.leave()

    # -- what each member saw, and what they must not have seen -------------------------
    for text, audience in said.items():
        for m in everyone:
            assert m.saw(text) == (m in audience), f"{m.name} {'missed' if m in audience else 'saw'} {text!r}"
    for p in ps:
        types = set(p.event_types())
        assert not types & FACILITATOR_ONLY_EVENTS, f"{p.name} saw facilitator-only events {types & FACILITATOR_ONLY_EVENTS}"
        crisis = {"crisis.received", "crisis.acknowledged"} & types
        assert crisis == ({"crisis.received", "crisis.acknowledged"} if p is ps[6] else set()), p.name
        for roster in p.events("room.roster"):
            assert all(e["presence"] != "in_side_room" for e in roster["members"])
    for m in everyone:
        assert_sequences_increase(m)
        errors = [msg for msg in m.messages if msg["type"] == "error"]
        assert all(e["code"] != "rate_limited" for e in errors), f"{m.name} was rate limited: {errors}"


# --- reconnect: missed events replayed by sequence number ----------------------------


def test_reconnect_replays_missed_events(start_server):
    server = start_server()

    async def scenario():
        fac = Member(server, server.token(role="facilitator", alias="Sam", member="fac-sam"), name="Sam")
        ana = Member(server, server.token(role="participant", alias="Ana", member="mem-ana"), name="Ana")
        ben = Member(server, server.token(role="participant", alias="Ben", member="mem-ben"), name="Ben")
        try:
            await fac.connect()
            for p in (ana, ben):
                await p.connect()
                await p.ok("agreement.accept", version=AGREEMENT_VERSION)
                await fac.wait_event("waiting.room", lambda e: p.member_id in [w["member"] for w in e["waiting"]])
                await fac.ok("waiting.admit", member=p.member_id)
                await p.wait_event("room.snapshot")
            await ben.ok("chat.send", text="before the drop")
            seen = await ana.wait_event("chat.message", lambda e: e["text"] == "before the drop")
            last_seen = seen["seq"]
            drop_from = fac.mark()
            await ana.drop()
            await fac.wait_event("room.roster", lambda e: roster_entry(e, ana)["presence"] == "reconnecting",
                                 since=drop_from, timeout=15)  # after the presence grace (10 s)
            await ben.ok("chat.send", text="while Ana was away")
            back = ana.mark()
            await ana.connect(last_sequence=last_seen)  # same token and member, resuming after last_seen
            replayed = await ana.wait_event("chat.message", lambda e: e["text"] == "while Ana was away",
                                            since=back, timeout=2)
            assert replayed["seq"] > last_seen
        finally:
            await leave_all([fac, ana, ben])

    run(scenario(), timeout=30)


# --- helpers for the smaller scenarios ---------------------------------------------


async def open_room(server: RoomServer, aliases: list[str], facilitators: list[str] = ["Sam"]):
    """Facilitators and admitted participants of evening-process."""
    facs = [
        Member(server, server.token(role="facilitator", alias=a, member=f"fac-{a.lower()}"), name=a)
        for a in facilitators
    ]
    ps = [Member(server, server.token(role="participant", alias=a, member=f"mem-{a.lower()}"), name=a) for a in aliases]
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


# --- confidentiality: canaries and tokens never leave memory --------------------------


def test_canaries_and_tokens_appear_in_no_file_and_no_output(start_server, tmp_path):
    server = start_server("log.level=trace", name="canary-data")
    canaries: dict[str, str] = {}

    def canary(kind: str) -> str:
        import secrets

        canaries[kind] = f"zq{kind.replace('-', '')}{secrets.token_hex(6)}"
        return canaries[kind]

    async def scenario():
        (sam, lee), (ana, ben) = await open_room(server, ["Ana", "Ben"], facilitators=["Sam", "Lee"])
        everyone = [sam, lee, ana, ben]
        try:
            await ana.ok("chat.send", text=f"group {canary('chat')} message")
            await ana.ok("chat.to_facilitators", text=f"please {canary('to-fac')} help")
            await sam.ok("chat.private", to=ben.member_id, text=f"whisper {canary('whisper')}")
            await sam.ok("chat.back_channel", text=f"between us {canary('back')}")
            await sam.ok("checkin.start", template="mood")
            await ana.ok("checkin.answer", answers={"mood": 6, "word": canary("word")})
            await sam.ok("checkin.close")
            await sam.ok("checkin.start", template="rose-thorn")
            await ben.ok("checkin.answer", answers={"rose": f"r {canary('rose')}", "thorn": f"t {canary('thorn')}"})
            await sam.ok("checkin.close")
            await lee.ok("side_room.open", member=ben.member_id)
            await ben.ok("chat.side_room", text=f"aside {canary('side')}")
            await lee.ok("side_room.close", member=ben.member_id)
            # refused and undecodable messages that carry content must not leak it either
            await ana.refused("chat.send", "message_too_long", text=canary("long") + "x" * 2100)
            await ana.refused("chat.private", "private_messages_disabled", to=ben.member_id, text=canary("p2p"))
            await ana.refused("chat.send", "invalid_field", text=[canary("badfield")])
            mark = ana.mark()
            await ana.send_raw('{"v":1,"id":"c-1","type":"chat.send","text":"' + canary("malformed") + '"')
            await ana.wait_message(lambda m: m["type"] == "error", since=mark)
            message = await ana.command(canary("type"), text="x")
            assert message["code"] == "unknown_type"
            message = await ana.send("chat.send", id=canary("cmdid"), text="id as a canary")
            await ana.reply(message)
            # the audience of each, over the wire
            assert [m.saw(canaries["chat"]) for m in everyone] == [True] * 4
            assert [m.saw(canaries["to-fac"]) for m in everyone] == [True, True, True, False]
            assert [m.saw(canaries["whisper"]) for m in everyone] == [True, False, False, True]
            assert [m.saw(canaries["back"]) for m in everyone] == [True, True, False, False]
            assert [m.saw(canaries["word"]) for m in everyone] == [True] * 4
            assert [m.saw(canaries["side"]) for m in everyone] == [False, True, False, True]
            assert not any(m.saw(canaries[k]) for m in everyone for k in ("long", "p2p", "badfield", "malformed"))
            marks = {m: m.mark() for m in everyone}
            await sam.send("session.end")
            for m in everyone:
                await m.wait_event("session.ended", since=marks[m])
                assert (await m.wait_closed()).code == 4003
        finally:
            await leave_all(everyone)
        return [m.token for m in everyone]

    tokens = run(scenario(), timeout=30)
    assert server.stop() == 0
    output = server.captured()
    assert b"listening on" in output and (b" trace " in output or b" debug " in output), "trace logging was on"
    secrets_ = {**canaries, **{f"token{i}": t for i, t in enumerate(tokens)}}
    # the JWT signature alone identifies a token; its payload part is also personal (member, alias)
    for i, token in enumerate(tokens):
        header, payload, signature = token.split(".")
        secrets_[f"token{i}-payload"] = payload
        secrets_[f"token{i}-signature"] = signature
    files = [path for path in server.data_dir.rglob("*") if path.is_file()]
    secret_file = server.data_dir / "signing-secret"
    if secret_file.exists():
        assert secret_file.stat().st_mode & 0o777 == 0o600, "the generated signing secret is private"
    for name, secret in secrets_.items():
        needle = secret.encode()
        assert needle not in output, f"{name} appears in the server's output"
        for path in files:
            assert needle not in path.read_bytes(), f"{name} appears in {path}"


# --- bad input -------------------------------------------------------------------------


async def error_after(member: Member, raw: str | bytes) -> dict:
    mark = member.mark()
    await member.send_raw(raw)
    return await member.wait_message(lambda m: m["type"] == "error", since=mark)


def test_bad_input_gets_precise_error_codes(start_server):
    server = start_server()

    async def scenario():
        (sam,), (ana,) = await open_room(server, ["Ana"])
        try:
            cases = [
                ('{"v":1,"id":"b-1","type":"chat.shout","text":"x"}', "unknown_type", "b-1"),
                ('{"v":1,"id":"b-2","type":"chat.send","text":', "malformed_json", None),
                ('{"v":1,"id":"b-3","type":"chat.send"}', "missing_field", "b-3"),
                ('{"v":1,"type":"chat.send","text":"x"}', "missing_id", None),
                ('{"id":"b-5","type":"chat.send","text":"x"}', "missing_field", "b-5"),
                ('{"v":2,"id":"b-6","type":"chat.send","text":"x"}', "unsupported_version", "b-6"),
                ("[1,2,3]", "not_an_object", None),
                ('{"v":1,"id":"b-8","type":"chat.send","text":5}', "invalid_field", "b-8"),
                ('{"v":1,"id":"b-9","type":"waiting.admit"}', "missing_field", "b-9"),
                ('{"v":1,"id":"b-10","text":"x"}', "missing_field", "b-10"),
                ('{"v":1,"id":"b 11","type":"chat.send","text":"x"}', "invalid_field", None),
                ('{"v":1,"id":"b-12","type":"chat.send","text":"' + "x" * 70_000 + '"}', "message_too_large", None),
            ]
            for number, (raw, code, command_id) in enumerate(cases):
                error = await error_after(ana, raw)
                assert error["code"] == code, (raw[:80], error)
                assert error.get("id") == command_id, (raw[:80], error)
                assert error["message"] and "x" * 10 not in error["message"]
                if number % 2 == 1:  # a valid command between, so the garbage strikes never add up
                    await ana.ok("hand.lower")
            assert "chat.shout" in (await error_after(ana, '{"v":1,"id":"b-13","type":"chat.shout"}'))["message"]
            assert '"text"' in (await error_after(ana, '{"v":1,"id":"b-14","type":"chat.send"}'))["message"]
            await ana.ok("chat.send", text="still here")  # and the member is still served
            assert ana.closed is None
        finally:
            await leave_all([sam, ana])

    run(scenario(), timeout=30)


def test_flood_is_refused_then_closed_while_others_are_unaffected(start_server):
    server = start_server("rooms.burst=5", "rooms.strikesBeforeClose=3")

    async def scenario():
        (sam,), (ana, ben, cy) = await open_room(server, ["Ana", "Ben", "Cy"])
        try:
            mark = ana.mark()
            sent = []
            for _ in range(20):  # bounded tight loop, well past the burst of 5
                try:
                    sent.append(await ana.send("hand.lower"))
                except websockets.ConnectionClosed:
                    break
            closed = await ana.wait_closed()
            assert (closed.code, closed.reason) == (1008, "rate limit exceeded")
            replies = [m for m in ana.messages[mark:] if m["type"] in ("ack", "error")]
            acks = [m["id"] for m in replies if m["type"] == "ack"]
            limited = [m for m in replies if m["type"] == "error"]
            assert [m["code"] for m in limited] == ["rate_limited"] * 3, limited
            accepted = sent.index(limited[0]["id"])
            # burst 5, one token already spent on agreement.accept, a little refill at 5/s
            assert 4 <= accepted <= 6, (accepted, replies)
            assert [m["id"] for m in limited] == sent[accepted: accepted + 3], "errors refer to the refused ids"
            assert acks == [i for i in sent[:accepted] if i in acks], "acks only for accepted commands, in order"

            # garbage that persists is told, then closed the same way
            for number in range(3):
                await error_after(cy, "not json at all") if number < 2 else await cy.send_raw("{")
            closed = await cy.wait_closed()
            assert (closed.code, closed.reason) == (1008, "too many invalid messages")
            assert [m["code"] for m in cy.messages if m["type"] == "error"] == ["malformed_json"] * 3

            # Ben, in the same room, is unaffected
            mark = ben.mark()
            await ben.ok("chat.send", text="I am fine")
            await sam.wait_event("chat.message", lambda e: e["text"] == "I am fine")
            assert ben.closed is None
            assert not [m for m in ben.messages if m["type"] == "error"]
        finally:
            await leave_all([sam, ana, ben, cy])

    run(scenario(), timeout=30)


def test_flooder_still_gets_an_answer_for_every_accepted_command(start_server):
    server = start_server("rooms.burst=5", "rooms.strikesBeforeClose=3")

    async def scenario():
        (sam,), (ana,) = await open_room(server, ["Ana"])
        try:
            lost = {}
            for attempt in range(10):  # ten floods: the race loses at least one ack almost every time
                if attempt:
                    await ana.connect()  # a new connection has a full bucket again
                    await ana.wait_event("room.snapshot", since=ana.connections[-1]["start"])
                mark = ana.mark()
                sent = []
                for _ in range(12):
                    try:
                        sent.append(await ana.send("hand.lower"))
                    except websockets.ConnectionClosed:
                        break
                assert (await ana.wait_closed()).code == 1008
                replies = {m["id"]: m for m in ana.messages[mark:] if m["type"] in ("ack", "error")}
                first_limited = min(sent.index(i) for i, m in replies.items() if m["type"] == "error")
                missing = [i for i in sent[:first_limited] if i not in replies]
                if missing:
                    lost[attempt] = missing
            assert lost == {}, f"accepted commands never answered: {lost}"
        finally:
            await leave_all([sam, ana])

    run(scenario(), timeout=30)


def test_binary_frame_is_closed_with_1003(start_server):
    server = start_server()

    async def scenario():
        (sam,), (ana,) = await open_room(server, ["Ana"])
        try:
            await ana.send_raw(b'{"v":1,"id":"x","type":"hand.raise"}')
            closed = await ana.wait_closed()
            assert closed.code == 1003
            await sam.ok("floor.take")  # the room goes on
        finally:
            await leave_all([sam, ana])

    run(scenario(), timeout=30)


# --- refused handshakes ------------------------------------------------------------------


async def handshake(url: str, headers: dict[str, str]) -> tuple[int, str]:
    try:
        ws = await asyncio.wait_for(websockets.connect(url, additional_headers=headers, open_timeout=5), 10)
    except websockets.InvalidStatus as refused:
        return refused.response.status_code, refused.response.body.decode()
    await ws.close()
    return 101, ""


def _signed_with(secret_file, claims: dict) -> str:
    """An HS256 JWT over `claims` signed with the server's secret file."""
    def b64(data: bytes) -> str:
        return base64.urlsafe_b64encode(data).rstrip(b"=").decode()
    header = json.dumps({"alg": "HS256", "typ": "JWT"}).encode()
    signing_input = f"{b64(header)}.{b64(json.dumps(claims).encode())}"
    signature = hmac.new(secret_file.read_bytes(), signing_input.encode(), hashlib.sha256).digest()
    return f"{signing_input}.{b64(signature)}"


def test_refused_handshakes_name_the_reason(start_server, tmp_path):
    server = start_server()
    other = tmp_path / "another-server"
    other.mkdir()

    async def scenario():
        room = server.room_url("evening-process")
        # iopctl issues no token already past its exp and its 60 s of clock-skew leeway: sign one.
        expired = _signed_with(server.data_dir / "signing-secret", {
            "sub": "mem-ana", "alias": "Ana", "role": "participant", "room": "evening-process",
            "jti": "t-expired", "exp": int(time.time()) - 120})
        good = server.token(role="participant", alias="Ben", member="mem-ben")
        bearer = lambda token: {"Authorization": f"Bearer {token}"}  # noqa: E731
        assert (await handshake(room, bearer(good)))[0] == 101
        wrong_room = server.token(room="dbt-skills", role="participant", alias="Cy", member="mem-cy")
        status, body = await handshake(room, bearer(wrong_room))
        assert status == 403 and body.startswith("wrong_room"), (status, body)
        status, body = await handshake(room, bearer("garbage.not-a.jwt"))
        assert status == 401 and body.startswith("invalid_token"), (status, body)
        foreign = RoomServer.__new__(RoomServer)
        foreign.data_dir = other
        (other / "signing-secret").write_bytes(os.urandom(32))  # iopctl never makes one
        (other / "signing-secret").chmod(0o600)
        status, body = await handshake(room, bearer(RoomServer.token(foreign, role="participant", alias="Dee",
                                                                      member="mem-dee")))
        assert status == 401 and body.startswith("invalid_token"), (status, body)
        status, body = await handshake(server.room_url("no-such-room"), bearer(good))
        assert status == 404 and body.startswith("unknown_room"), (status, body)
        status, body = await handshake(room, {})
        assert status == 401 and body.startswith("missing_token"), (status, body)
        status, body = await handshake(room, {"Authorization": f"Basic {good}"})
        assert status == 401 and body.startswith("missing_token"), (status, body)
        status, body = await handshake(room, bearer(expired))
        assert status == 401 and body.startswith("expired_token"), (status, body)

    run(scenario(), timeout=30)


# --- one connection per member; a late joiner lands in the current phase ------------------


def test_newer_connection_replaces_older_and_late_joiner_lands_in_current_phase(start_server):
    server = start_server()

    async def scenario():
        (sam,), (ana,) = await open_room(server, ["Ana"])
        again = Member(server, ana.token, name="Ana-again")
        cy = Member(server, server.token(role="participant", alias="Cy", member="mem-cy"), name="Cy")
        try:
            await again.connect()
            closed = await ana.wait_closed()
            assert (closed.code, closed.reason) == (4004, "replaced by a newer connection")
            snap = await again.wait_event("room.snapshot")
            assert roster_entry(snap["roster"], again)["presence"] == "here"

            await sam.ok("exercise.start", exercise="box-breathing")
            started = await again.wait_event("exercise.status", lambda e: e["change"] == "started")
            await cy.connect()
            mark = sam.mark()
            await cy.ok("agreement.accept", version=AGREEMENT_VERSION)
            await sam.wait_event("waiting.room", lambda e: len(e["waiting"]) == 1, since=mark)
            await sam.ok("waiting.admit", member=cy.member_id)
            late = await cy.wait_event("room.snapshot")
            assert late["exercise"]["run"] == started["run"] and late["exercise"]["change"] == "current"
            assert late["exercise"]["phases"][0]["endsAt"] == started["phases"][late["exercise"]["currentPhase"]]["endsAt"]
            assert 0 < late["exercise"]["remainingInPhaseMs"] <= 4000
            assert "chat.backlog" not in cy.event_types(), "late joiners get no backlog by default"
        finally:
            await leave_all([sam, ana, again, cy])

    run(scenario(), timeout=30)


def test_byte_flood_is_refused_then_closed_while_others_are_unaffected(start_server):
    """Few commands but big ones: the byte limit (not the command count) refuses them."""
    server = start_server("rooms.bytesPerSecond=1000", "rooms.burstBytes=70000", "rooms.burst=100",
                          "rooms.strikesBeforeClose=3")

    async def scenario():
        (sam,), (ana, ben) = await open_room(server, ["Ana", "Ben"])
        try:
            mark = ana.mark()
            sent = []
            for _ in range(60):  # bounded: 60 messages of ~2 KB, far past a 70,000-byte burst
                try:
                    sent.append(await ana.send("chat.send", text="long story " * 177))
                except websockets.ConnectionClosed:
                    break
            closed = await ana.wait_closed()
            assert (closed.code, closed.reason) == (1008, "rate limit exceeded")
            replies = [m for m in ana.messages[mark:] if m["type"] in ("ack", "error")]
            limited = [m for m in replies if m["type"] == "error"]
            assert [m["code"] for m in limited] == ["rate_limited"] * 3, limited
            accepted = sent.index(limited[0]["id"])
            assert 32 <= accepted <= 36, (accepted, replies)  # ~2,000 bytes each against 70,000
            mark = ben.mark()
            await ben.ok("chat.send", text="I am fine")
            await sam.wait_event("chat.message", lambda e: e["text"] == "I am fine")
            assert ben.closed is None
        finally:
            await leave_all([sam, ana, ben])

    run(scenario(), timeout=30)
