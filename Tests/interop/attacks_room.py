"""The attack suite's room phases (test_attack.py): JSON, commands and reconnects.

Hostile members of room A, each noting with `phase.expect` every documented
refusal that did not come (docs/PROTOCOL.md: "Error codes", "Close codes of a
room connection") and every effect on other members that should not be.
"""

from __future__ import annotations

import asyncio
import json
import time
from collections import Counter

import websockets

from arena import ROOM_OPEN, Arena, Phase
from attackkit import fresh_source
from roomkit import AGREEMENT_VERSION, Member


async def answers(member: Member, texts: list[str], count: int, timeout: float = 5) -> list[dict]:
    """Sends raw texts; the first `count` errors the member then receives (bounded)."""
    mark = member.mark()
    for text in texts:
        try:
            await member.send_raw(text)
        except (websockets.ConnectionClosed, OSError):
            break
    found: list[dict] = []
    since = mark
    for _ in range(count):
        try:
            index = await member.wait_index(lambda m: m["type"] == "error", since=since, timeout=timeout)
        except AssertionError:
            break
        found.append(member.messages[index])
        since = index + 1
    return found


MALFORMED = ["{", '{"v":1,', "\u0000", "[1,2", '{"v":1,"type":"chat.send","id":"a","text":"\\ud800"}',
             '{"v":1 "type":"ping"}', "nul", '{"v":1,"type":"ping","id":"x"}}']
NESTED = ["[" * 33 + "]" * 33, "[" * 60_000, '{"a":' * 10_000 + "1" + "}" * 10_000,
          '{"v":1,"type":"chat.send","id":"n","text":"t","x":' + "[" * 40 + "]" * 40 + "}"]
ODD = ['{"v":1,"type":"hand.wave","id":"u1"}', '{"v":1,"type":"' + "z" * 10_000 + '","id":"u2"}',
       '{"v":2,"type":"ping","id":"u3"}', '{"v":1,"type":"ping"}', "[]", '{"type":"ping","id":"u4"}',
       '{"v":1,"type":"ping","id":"' + "i" * 65 + '"}']
TOO_LARGE = ['{"v":1,"type":"chat.send","id":"b","text":"' + "a" * 70_000 + '"}',
             '{"v":1,"type":"chat.send","id":"c","text":"' + "\\u00e9" * 16_000 + '"}']
JSON_KINDS = {  # kind: (messages, the protocol codes they must get, closed with 1008 after 10 strikes)
    "malformed": (MALFORMED + MALFORMED[:4], {"malformed_json"}, True),
    "deeply nested": (NESTED, {"malformed_json"}, False),
    "unknown and invalid": (ODD, {"unknown_type", "unsupported_version", "missing_id", "not_an_object",
                                  "missing_field", "invalid_field"}, False),
    "too large": (TOO_LARGE, {"message_too_large"}, False),
}


async def json_attacks(arena: Arena, phase: Phase) -> None:
    source = fresh_source()
    for i, (kind, (texts, codes, closes)) in enumerate(JSON_KINDS.items()):
        with phase.step(f"{kind} JSON"):
            member = arena.member("participant", "Jay", f"json-{i}-r{arena.round}", source=source)
            await member.connect()
            errors = await answers(member, texts, min(len(texts), 10))
            got = [e["code"] for e in errors]
            phase.expect(len(errors) == min(len(texts), 10) and set(got) <= codes,
                         f"{kind} JSON: expected {min(len(texts), 10)} errors in {sorted(codes)}, got {got}")
            phase.expect(not any("zzzzzzzzzz" in e["message"] for e in errors), f"{kind}: an error repeats the input")
            if closes:
                closed = await member.wait_closed(5)
                phase.expect(closed.code == 1008, f"{kind}: expected close 1008 after 10 strikes, got {closed}")
            await member.leave()
    with phase.step("65,000-character text"):  # within the message limit: the room refuses its length
        fac, p = await admitted_pair(arena, source, f"json-r{arena.round}")
        answer = await p.command("chat.send", text="a" * 65_000)
        phase.expect(answer.get("code") == "message_too_long", f"65,000-character text: {answer}")
        await asyncio.gather(fac.leave(), p.leave())


async def admitted_pair(arena: Arena, source: str, tag: str) -> tuple[Member, Member]:
    """A facilitator and a participant it admitted, in room A."""
    fac = arena.member("facilitator", "Lee", f"{tag}-fac", source=source)
    await fac.connect()
    p = await admit(arena, fac, f"{tag}-p", source)
    return fac, p


async def admit(arena: Arena, fac: Member, member_id: str, source: str) -> Member:
    p = arena.member("participant", "Kim", member_id, source=source)
    await p.connect()
    mark = fac.mark()
    await p.ok("agreement.accept", version=AGREEMENT_VERSION)
    await fac.wait_event("waiting.room", lambda e: any(w["member"] == member_id for w in e["waiting"]), since=mark)
    await fac.ok("waiting.admit", member=member_id)
    await p.wait_event("room.snapshot")
    return p


# -- commands -------------------------------------------------------------------------------


async def raw_command(member: Member, type_: str, **fields) -> dict:
    """A command written as UTF-8 (not \\u escapes: 2 bytes per combining mark, not 6)."""
    command_id = member.next_id()
    await member.send_raw(json.dumps({"v": 1, "type": type_, "id": command_id, **fields}, ensure_ascii=False))
    return await member.reply(command_id)


async def barrier(fac: Member) -> None:
    """A facilitator's ping: the room has emitted everything earlier commands caused."""
    await fac.ok("ping")


async def command_attacks(arena: Arena, phase: Phase) -> None:
    source = fresh_source()
    fac = arena.member("facilitator", "Lee", f"cmd-fac-r{arena.round}", source=source)
    await fac.connect()
    with phase.step("chat flood"):
        await chat_flood(arena, phase, fac, source)
    with phase.step("text limits"):
        await text_limits(arena, phase, fac, source)
    with phase.step("crisis flood before the agreement"):
        early = arena.member("participant", "Quinn", f"cmd-crisis-early-r{arena.round}", source=source)
        await early.connect()
        await crisis_flood(phase, fac, early, "before the agreement")
        declined = await fac.command("waiting.decline", member=early.member_id)
        phase.expect(declined["type"] == "ack", f"waiting.decline before the agreement: {declined}")
        if declined["type"] == "ack":
            closed = await early.wait_closed(5)
            phase.expect(closed.code == 4002, f"waiting.decline: expected close 4002, got {closed}")
    with phase.step("crisis flood while waiting"):
        waiting = arena.member("participant", "Wren", f"cmd-crisis-waiting-r{arena.round}", source=source)
        await waiting.connect()
        await waiting.ok("agreement.accept", version=AGREEMENT_VERSION)
        await crisis_flood(phase, fac, waiting, "in the waiting room")
        declined = await fac.command("waiting.decline", member=waiting.member_id)
        phase.expect(declined["type"] == "ack", f"waiting.decline of the alert flooder: {declined}")
        if declined["type"] == "ack":
            closed = await waiting.wait_closed(5)
            phase.expect(closed.code == 4002, f"waiting.decline: expected close 4002, got {closed}")
    with phase.step("crisis flood after admission"):
        late = await admit(arena, fac, f"cmd-crisis-late-r{arena.round}", source)
        await crisis_flood(phase, fac, late, "after admission")
        muted = await fac.command("member.mute", member=late.member_id)
        phase.expect(muted["type"] == "ack", f"member.mute of the alert flooder: {muted}")
    with phase.step("another participant's alert"):
        real = await admit(arena, fac, f"cmd-real-r{arena.round}", source)
        mark = fac.mark()
        await real.ok("crisis.alert")
        await fac.wait_event("crisis.raised", lambda e: e["member"] == real.member_id, since=mark, timeout=2)
    await fac.leave()


async def coordinated_flood(arena: Arena, phase: Phase) -> None:
    """40 members of one room each send 18 chat messages at once (within the per-member
    burst): 720 messages fanned out to 40 members. Nothing refused, nothing lost."""
    source = fresh_source()
    members = [Member(arena.server, arena.token(room=ROOM_OPEN, role="participant", alias=f"Pat{i}",
                                                member=f"open-{i}"), name=f"open-{i}", room=ROOM_OPEN, source=source)
               for i in range(40)]
    await asyncio.gather(*(m.connect() for m in members))
    await asyncio.gather(*(m.ok("agreement.accept", version=AGREEMENT_VERSION) for m in members))
    await asyncio.gather(*(m.wait_event("room.snapshot") for m in members))
    marks = [m.mark() for m in members]
    for k in range(18):
        for m in members:
            await m.send("chat.send", text=f"together {k}")
    last = members[-1].member_id
    await asyncio.gather(*(m.wait_event("chat.message", lambda e: e["from"] == last and e["text"] == "together 17",
                                        since=mark, timeout=15) for m, mark in zip(members, marks)))
    counts = {len(m.events("chat.message", since=mark)) for m, mark in zip(members, marks)}
    refused = {e["code"] for m in members for e in m.messages if e["type"] == "error"}
    phase.notes["coordinated flood"]["messages_per_member"] = sorted(counts)
    phase.expect(counts == {720} and not refused,
                 f"coordinated flood within the limits: each member got {sorted(counts)} of 720, refusals {refused}")
    await asyncio.gather(*(m.leave() for m in members))


async def chat_flood(arena: Arena, phase: Phase, fac: Member, source: str) -> None:
    """200 chat messages at once: rate_limited, then 1008; at most a burst reaches the room."""
    flooder = await admit(arena, fac, f"cmd-flood-r{arena.round}", source)
    mark, began = fac.mark(), time.monotonic()
    for i in range(200):
        try:
            await flooder.send("chat.send", text=f"flood {i}")
        except (websockets.ConnectionClosed, OSError):
            break
    closed = await flooder.wait_closed(5)
    await barrier(fac)
    codes = {m.get("code") for m in flooder.messages if m["type"] == "error"}
    phase.expect("rate_limited" in codes and closed.code == 1008,
                 f"chat flood: expected rate_limited then close 1008, got {sorted(map(str, codes))}, {closed}")
    delivered = [e for e in fac.events("chat.message", since=mark) if e["from"] == flooder.member_id]
    allowed = 20 + 5 * (time.monotonic() - began) + 1
    phase.notes["chat flood"]["delivered"] = len(delivered)
    phase.expect(len(delivered) <= allowed, f"chat flood: {len(delivered)} messages reached the room (> {allowed:.0f})")


async def text_limits(arena: Arena, phase: Phase, fac: Member, source: str) -> None:
    """Length limits count bytes as well as characters; invisible text is empty."""
    texter = await admit(arena, fac, f"cmd-text-r{arena.round}", source)
    combining = await raw_command(texter, "chat.send", text="a" + "\u0301" * 20_000)
    phase.expect(combining.get("code") == "message_too_long", f"'a' + 20,000 combining marks: {combining}")
    invisible = await raw_command(texter, "chat.send", text="\u200b\u200c\u200d\u2060\ufeff" * 4)
    phase.expect(invisible.get("code") == "empty_message", f"zero-width text: {invisible}")
    await fac.ok("checkin.start", template="mood")
    word = await raw_command(texter, "checkin.answer", answers={"mood": 5, "word": "w" * 10_000})
    phase.expect(word.get("code") == "invalid_answer", f"10,000-byte check-in word (maxLength 30): {word}")
    await fac.ok("checkin.close")
    await texter.leave()


async def crisis_flood(phase: Phase, fac: Member, sender: Member, when: str) -> None:
    """15 alerts in a burst: one open alert, so the facilitator gets exactly one crisis.raised
    (refreshes come at most once every 10 s); the sender gets a crisis.received for each."""
    mark, own = fac.mark(), sender.mark()
    answers = [await sender.command("crisis.alert") for _ in range(15)]
    await barrier(fac)
    phase.expect(all(a["type"] == "ack" for a in answers), f"crisis alert {when}: {answers[0]}")
    raised = [e for e in fac.events("crisis.raised", since=mark) if e["member"] == sender.member_id]
    phase.expect(len(raised) == 1, f"15 crisis alerts {when}: the facilitator got {len(raised)} crisis.raised "
                                   f"({len({e['alert'] for e in raised})} alerts), expected exactly one")
    try:
        await sender.wait_index(lambda _: len(sender.events("crisis.received", since=own)) >= 15, since=own, timeout=2)
    except AssertionError:
        count = len(sender.events("crisis.received", since=own))
        phase.expect(False, f"15 crisis alerts {when}: the sender got {count} crisis.received")


# -- reconnects -----------------------------------------------------------------------------


async def reconnect_attacks(arena: Arena, phase: Phase) -> None:
    source = fresh_source()
    fac = arena.member("facilitator", "Lee", f"staff-7-r{arena.round}", source=source)
    await fac.connect()
    with phase.step("reconnect churn"):
        await reconnect_churn(arena, phase, fac, source)
    with phase.step("hostile resume headers"):
        await hostile_resumes(arena, phase, fac, fresh_source())
    with phase.step("refused arrivals"):
        await refused_arrivals(arena, phase, fac, fresh_source())
    await fac.leave()


async def reconnect_churn(arena: Arena, phase: Phase, fac: Member, source: str) -> None:
    """One participant drops TCP and resumes, up to 300 times in 3 s: the facilitator gets
    few roster events (coalesced); a refused resume is fine (a per-member allowance)."""
    churner = await admit(arena, fac, f"churn-p-r{arena.round}", source)
    mark = fac.mark()
    flaps = resumed = 0
    refusals: Counter = Counter()
    connected = True
    deadline = time.monotonic() + 3
    for _ in range(1000):  # flaps and refused attempts together (within one address's burst of 1024)
        if flaps >= 300 or time.monotonic() > deadline:
            break
        last = max((m["seq"] for m in churner.messages if m["type"] == "event"), default=0)
        if connected:
            await churner.drop()
            flaps += 1
        outcome = await arrival(churner, last_sequence=last)
        connected = outcome == "welcome"
        if connected:
            resumed += 1
        else:
            refusals[outcome] += 1
    elapsed = time.monotonic() - (deadline - 3)
    await barrier(fac)
    rosters = len(fac.events("room.roster", since=mark))
    # The allowance: 10 connections at once (the first, the admission's, among them), then one every 6 s.
    allowed = 10 + int(elapsed / 6) + 1
    phase.expect(resumed + 1 <= allowed and set(refusals) <= {"4007 too_many_reconnects"},
                 f"reconnect allowance: {resumed} resumes in {elapsed:.1f} s (at most {allowed - 1}), "
                 f"refusals {dict(refusals)} (expected 4007 too_many_reconnects)")
    churn = dict(member=churner.member_id, flaps=flaps, resumed=resumed, refusals=dict(refusals), roster_events=rosters)
    phase.notes["reconnect churn"].update(churn)
    arena.report["churn"] = churn
    phase.expect(rosters <= max(10, flaps // 10),
                 f"reconnect churn: {flaps} flaps ({resumed} resumed, refused: {dict(refusals)}) sent the facilitator "
                 f"{rosters} room.roster events")
    if connected:
        await churner.leave()


async def hostile_resumes(arena: Arena, phase: Phase, fac: Member, source: str) -> None:
    """Resumes naming absurd sequence numbers (the header is sent as given): each resumes
    (a malformed number means "none"), and the member goes on being served."""
    member = await admit(arena, fac, f"resume-p-r{arena.round}", source)
    for value in ("99999999999999999999999999", "-1", "abc", "1" * 4000, "18446744073709551615"):
        await member.drop()
        await member.connect(last_sequence=value)
        await member.ok("ping")
    await member.leave()


async def refused_arrivals(arena: Arena, phase: Phase, fac: Member, source: str) -> None:
    """A participant token with the facilitator's member id, and a facilitator token with a
    participant's, five times each: each refused, and both members keep everything."""
    member = await admit(arena, fac, f"ident-x-r{arena.round}", source)
    refusals = []
    for _ in range(5):
        for role, member_id in (("participant", fac.member_id), ("facilitator", member.member_id)):
            impostor = arena.member(role, "Imp", member_id, source=source)
            outcome = await arrival(impostor)
            refusals.append(outcome)
            if outcome == "welcome":
                await impostor.leave()
    phase.notes["refused arrivals"]["refusals"] = sorted(set(refusals))
    phase.expect(set(refusals) == {"4000 role_conflict"},
                 f"same member, other role: expected 4000 role_conflict, got {sorted(set(refusals))}")
    missed = [await still_served(fac, member, ("crisis.alert", {}), "crisis.raised", "the facilitator"),
              await still_served(member, fac, ("chat.send", {"text": "still with you"}), "chat.message",
                                 "the participant")]
    phase.expect(missed == [None, None], f"after refused arrivals: {[m for m in missed if m]}")
    await member.leave()


async def still_served(receiver: Member, sender: Member, cause: tuple[str, dict], kind: str, who: str) -> str | None:
    """None if `receiver` still gets the ack of its ping and the `kind` event that `sender`'s
    command `cause` brings; else what it missed."""
    try:
        await receiver.ok("ping")
    except AssertionError:
        return f"{who}: its ping went unanswered"
    mark = receiver.mark()
    await sender.ok(cause[0], **cause[1])
    try:
        await receiver.wait_event(kind, since=mark, timeout=2)
    except AssertionError:
        return f"{who}: no {kind} after the other's {cause[0]}"
    return None


async def arrival(member: Member, last_sequence: int | None = None) -> str:
    """Connects; `welcome`, or how the server refused: `HTTP 403 <code>` or `4000 <reason>`."""
    try:
        await member.connect(last_sequence=last_sequence)
        return "welcome"
    except websockets.InvalidStatus as error:
        return f"HTTP {error.response.status_code} {bytes(error.response.body).split(b':')[0].decode()[:40]}"
    except AssertionError:  # closed before any welcome
        return f"{member.closed.code} {member.closed.reason}" if member.closed else "no welcome"
    except (websockets.InvalidHandshake, OSError, TimeoutError) as error:
        return type(error).__name__
