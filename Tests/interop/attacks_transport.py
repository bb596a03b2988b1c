"""The attack suite's transport phases (test_attack.py): HTTP heads and WebSocket frames.

Each coroutine takes the arena and its phase, attacks, and notes with
`phase.expect` every documented refusal that did not come (docs/PROTOCOL.md:
"HTTP status codes sent before an upgrade", "Close codes sent by the server").
"""

from __future__ import annotations

import asyncio
import random
import time
from collections import Counter

from arena import BUDGET, MARGIN, ROOM_A, SETTINGS, Arena, Phase
from attackkit import (Raw, close_frame, deflated, frame, fresh_source, http, metrics, status_kib,
                       upgrade_request, websocket, websockets_open)
from roomkit import RoomServer

MIB = 2**20
HANDSHAKE_SECONDS = 3  # timeouts.handshakeSeconds in arena.SETTINGS
PER_ADDRESS = 256  # limits.maxConnectionsPerAddress in arena.SETTINGS
LIVEZ = b"GET /livez HTTP/1.1\r\nHost: a\r\n\r\n"

GARBAGE_400 = [
    b"GARBAGE\r\n\r\n",
    b"GET / HTTP/9.9\r\nHost: a\r\n\r\n",
    b"GET /livez HTTP/1.1\r\nHost a\r\n\r\n",
    b"GET /livez HTTP/1.1\r\nHost : a\r\n\r\n",
    b"GET /livez HTTP/1.1\r\nHost: a\r\n folded\r\n\r\n",
    b"GET /livez HTTP/1.1\r\nHost: a\x01b\r\n\r\n",
    b"\x00" * 64 + b"\r\n\r\n",
    b"GET /echo HTTP/1.0\r\nHost: a\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
    b"Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n",
    b"GET /echo HTTP/1.1\r\nHost: a\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
    b"Sec-WebSocket-Key: short\r\nSec-WebSocket-Version: 13\r\n\r\n",
]


def codes(values) -> dict:
    """A JSON-friendly count of outcomes (close codes, statuses; None: none came)."""
    return {str(k): v for k, v in Counter(values).items()}


# -- HTTP ----------------------------------------------------------------------------------


async def http_attacks(arena: Arena, phase: Phase) -> None:
    """Slow-loris heads held open throughout while oversized heads, garbage and a full
    address are tried; then each loris connection must have been closed without a word."""
    loris, trickler, silent, stop = await slow_loris(arena)
    with phase.step("oversized heads"):
        await oversized_heads(arena, phase)
    with phase.step("garbage requests"):
        await garbage(arena, phase)
    with phase.step("one address full"):
        await one_address_full(arena, phase)
    with phase.step("slow-loris"):
        results = await asyncio.gather(*silent)
        stop.set()
        await trickler
        phase.notes["slow-loris"]["connections"] = len(loris)
        phase.expect(all(results), f"slow-loris: {results.count(False)} of {len(results)} connections not "
                                   f"closed silently within the handshake timeout ({HANDSHAKE_SECONDS} s)")
        for raw in loris:
            raw.abort()


async def slow_loris(arena: Arena):
    """200 connections with a partial head, one more header byte every 200 ms."""
    source = fresh_source()
    loris = await asyncio.gather(*(Raw.open(arena.port, source) for _ in range(200)))
    for raw in loris:
        await raw.send(b"GET /echo HTTP/1.1\r\nHost: 127.0.0.1\r\n")
    stop = asyncio.Event()

    async def trickle() -> None:
        for _ in range(int((HANDSHAKE_SECONDS + 3) / 0.2)):
            for raw in loris:
                if not raw.writer.is_closing():
                    raw.writer.write(b"X")
            try:
                await asyncio.wait_for(stop.wait(), 0.2)  # pacing: one byte per 200 ms
                return
            except asyncio.TimeoutError:
                pass

    silent = [asyncio.create_task(raw.closed_silently(HANDSHAKE_SECONDS + 3)) for raw in loris]
    return loris, asyncio.create_task(trickle()), silent, stop


async def oversized_heads(arena: Arena, phase: Phase) -> None:
    """Whole and trickled heads over 16 KiB: 431 as soon as the limit is passed."""
    big = b"GET /livez HTTP/1.1\r\nHost: a\r\nX-Big: " + b"a" * 20000 + b"\r\n\r\n"
    source = fresh_source()
    answers = await asyncio.gather(*(http(arena.port, source, big) for _ in range(20)))
    phase.expect(all(a is not None and a.status == 431 for a in answers),
                 f"oversized heads: expected 431 each, got {codes(a and a.status for a in answers)}")
    raw = await Raw.open(arena.port, fresh_source())
    reply = asyncio.create_task(raw.response(timeout=5))
    await raw.send(b"GET /livez HTTP/1.1\r\nHost: a\r\nX-Big: ")
    sent = 0
    for _ in range(64):  # 1 KiB at a time
        if reply.done() or not await raw.send(b"b" * 1024, timeout=1):
            break
        sent += 1024
        await asyncio.sleep(0.01)  # pacing the trickle
    answer = await reply
    raw.abort()
    phase.expect(answer is not None and answer.status == 431 and sent <= 20 * 1024,
                 f"trickled head: expected 431 once 16 KiB passed, got {answer and answer.status} after {sent} bytes")


async def garbage(arena: Arena, phase: Phase) -> None:
    """Malformed request lines and headers, ten of each at once: 400; HEAD has no body."""
    source = fresh_source()
    cases = GARBAGE_400 * 10
    answers = await asyncio.gather(*(http(arena.port, source, case) for case in cases))
    wrong = {repr(case[:40]) for case, a in zip(cases, answers) if a is None or a.status != 400}
    phase.expect(not wrong, f"garbage: expected 400, not answered so: {sorted(wrong)}")
    noise = bytes(random.Random(18).getrandbits(8) for _ in range(4096)) + b"\r\n\r\n"
    answer = await http(arena.port, source, noise)
    phase.expect(answer is None or answer.status == 400, f"random bytes: got {answer}")
    head = await http(arena.port, source, b"HEAD /livez HTTP/1.1\r\nHost: a\r\n\r\n")
    phase.expect(head is not None and head.status == 200 and head.body == b"",
                 f"HEAD /livez: expected 200 without a body (RFC 9110 9.3.2), got {head and head.body!r}")


async def one_address_full(arena: Arena, phase: Phase) -> None:
    """Connections from one address past its limit get 503 with Retry-After; others are served."""
    source = fresh_source()
    many = [await Raw.open(arena.port, source) for _ in range(PER_ADDRESS + 40)]
    answers = await asyncio.gather(*(raw.response(timeout=1) for raw in many))
    refused = [a for a in answers if a is not None]
    phase.notes["one address full"]["refused"] = codes(a.status for a in refused)
    phase.expect(len(refused) >= 40 and all(a.status == 503 and "Retry-After:" in a.head for a in refused),
                 f"{PER_ADDRESS + 40} connections from one address: expected >= 40 refused with 503 "
                 f"and Retry-After, got {codes(a.status for a in refused)}")
    other = await http(arena.port, fresh_source(), LIVEZ)
    phase.expect(other is not None and other.status == 200, f"another address while one is full: {other}")
    for raw in many:
        raw.abort()


# -- frames ---------------------------------------------------------------------------------


async def frame_attacks(arena: Arena, phase: Phase) -> None:
    with phase.step("announce 16 MiB, trickle"):
        await announce_and_trickle(arena, phase)
    with phase.step("never read the echo"):
        await never_read_the_echo(arena, phase)
    with phase.step("fragment flood"):
        await fragment_flood(arena, phase)
    with phase.step("ping flood"):
        await ping_flood(arena, phase)
    with phase.step("protocol violations"):
        await protocol_violations(arena, phase)
    with phase.step("budget given back"):
        await budget_given_back(arena, phase)
    with phase.step("compression bombs"):
        await compression_bombs(arena, phase)


async def announce_and_trickle(arena: Arena, phase: Phase) -> None:
    """32 connections each announce a 16 MiB binary frame and trickle 64 KiB every 50 ms
    (4 MiB each in 3 s, 128 MiB in all: twice the budget), never finishing."""
    conns, refused = await websockets_open(32, arena.port, fresh_source(), "/echo")
    for raw in conns:
        await raw.send(frame(0x2, announce=16 * MIB))
    chunk = b"\0" * (64 * 1024)
    deadline = time.monotonic() + 3
    for _ in range(64):
        if time.monotonic() > deadline:
            break
        await asyncio.gather(*(raw.send(chunk, timeout=0.2) for raw in conns))
        await asyncio.sleep(0.05)  # pacing the trickle
    closes = await asyncio.gather(*(raw.close_code(timeout=0.5) for raw in conns))
    phase.notes["announce 16 MiB, trickle"].update(upgrade_503=refused, closes=codes(closes))
    phase.expect(all(code in ("open", 1013) for code in closes),
                 f"announced 16 MiB frames: expected open or closed 1013 (server busy), got {codes(closes)}")
    await upgrades_while_spent(arena, phase)
    for raw in conns:
        raw.abort()


async def upgrades_while_spent(arena: Arena, phase: Phase) -> None:
    """While over 90 % of the budget is reserved, a valid upgrade (/echo, a room) gets 503
    with Retry-After: 5 and plain routes are still answered."""
    source = fresh_source()
    values = await metrics(arena.port, source)
    used, limit = values["iop_memory_budget_used_bytes"], values["iop_memory_budget_limit_bytes"]
    phase.notes["announce 16 MiB, trickle"]["budget_used_mib"] = round(used / MIB, 1)
    if used <= 0.9 * limit:
        return
    token = arena.token(role="participant", alias="Bo", member="budget-p")
    for path, token in (("/echo", None), (f"/v1/rooms/{ROOM_A}", token)):
        answer = await http(arena.port, source, upgrade_request(path, token=token))
        phase.expect(answer is not None and answer.status == 503 and "Retry-After: 5" in answer.head,
                     f"upgrade to {path} with the budget spent: expected 503 Retry-After: 5, got {answer}")
    livez = await http(arena.port, source, LIVEZ)
    phase.expect(livez is not None and livez.status == 200, f"/livez with the budget spent: {livez}")


async def budget_given_back(arena: Arena, phase: Phase) -> None:
    """Once the attackers are gone, what they reserved is given back (polled, bounded: the
    server notices each closed socket on its own loop)."""
    source = fresh_source()
    deadline = time.monotonic() + 5
    for _ in range(50):
        used = (await metrics(arena.port, source))["iop_memory_budget_used_bytes"]
        if used <= 64 * 1024 or time.monotonic() > deadline:
            break
        await asyncio.sleep(0.1)  # polling a gauge: there is no event to wait on
    phase.notes["budget given back"]["used_bytes"] = used
    phase.expect(used <= 64 * 1024, f"memory budget still reserved after the attackers left: {used / MIB:.1f} MiB")


async def never_read_the_echo(arena: Arena, phase: Phase) -> None:
    """6 connections send 2 MiB binary messages (up to 48 MiB each) and never read."""
    conns, refused = await websockets_open(6, arena.port, fresh_source(), "/echo", rcvbuf=4096)
    message = frame(0x2, b"\x01" * (2 * MIB))
    deadline = time.monotonic() + 5

    async def push(raw: Raw) -> int:
        for sent in range(24):
            if time.monotonic() > deadline or not await raw.send(message, timeout=1):
                return sent
        return 24

    pushed = await asyncio.gather(*(push(raw) for raw in conns))
    closes = await asyncio.gather(*(raw.close_code(timeout=3, skip_limit=16 * MIB) for raw in conns))
    phase.notes["never read the echo"].update(upgrade_503=refused, messages_sent=pushed, closes=codes(closes))
    # `eof`: a reader this slow may never get the close frame before the close timeout.
    phase.expect(all(code in ("open", "eof", 1013) for code in closes),
                 f"unread echoes: expected open or closed 1013, got {codes(closes)}")
    for raw in conns:
        raw.abort()


async def fragment_flood(arena: Arena, phase: Phase) -> None:
    """100,000 one-byte continuation frames of one text message, then its end (echoed whole);
    then 200,000 empty continuation frames of a message that never ends."""
    conns, refused = await websockets_open(4, arena.port, fresh_source(), "/echo")
    fragments = frame(0x1, b"a", fin=False) + frame(0x0, b"a", fin=False) * 100_000 + frame(0x0, b"", fin=True)
    await asyncio.gather(*(raw.send(fragments, timeout=10) for raw in conns))
    echoes = await asyncio.gather(*(echoed_length(raw) for raw in conns))
    phase.notes["fragment flood"].update(upgrade_503=refused, echoes=codes(echoes))
    phase.expect(all(e in (100_001, 1009, 1013) for e in echoes),
                 f"fragment flood: expected the 100,001-byte echo (or 1009/1013), got {codes(echoes)}")
    empties = frame(0x1, b"", fin=False) + frame(0x0, b"", fin=False) * 200_000
    await asyncio.gather(*(raw.send(empties, timeout=10) for raw in conns))
    for raw in conns:
        raw.abort()


async def ping_flood(arena: Arena, phase: Phase) -> None:
    """8 connections send 100,000 pings of 125 bytes each and never read a pong."""
    pings = frame(0x9, b"p" * 125) * 100_000
    conns, refused = await websockets_open(8, arena.port, fresh_source(), "/echo", rcvbuf=4096)
    sent = await asyncio.gather(*(raw.send(pings, timeout=3) for raw in conns))
    closes = await asyncio.gather(*(raw.close_code(timeout=1, skip_limit=4 * MIB) for raw in conns))
    phase.notes["ping flood"].update(upgrade_503=refused, all_sent=sent, closes=codes(closes))
    phase.expect(all(code in ("open", "eof", 1013) for code in closes),
                 f"ping flood: expected open or 1013, got {codes(closes)}")
    for raw in conns:
        raw.abort()


async def echoed_length(raw: Raw) -> int | None:
    """The length of the next data message the server sends, or its close code."""
    try:
        head = await asyncio.wait_for(raw.reader.readexactly(2), 5)
        length = head[1] & 0x7F
        if length == 126:
            length = int.from_bytes(await raw.reader.readexactly(2), "big")
        elif length == 127:
            length = int.from_bytes(await raw.reader.readexactly(8), "big")
        payload = await asyncio.wait_for(raw.reader.readexactly(length), 5)
        return int.from_bytes(payload[:2], "big") if head[0] & 0x0F == 0x8 else length
    except (asyncio.IncompleteReadError, asyncio.TimeoutError, OSError):
        return None


VIOLATIONS = [  # (what, bytes after the upgrade, the documented close code)
    ("reserved opcode 0x3", frame(0x3, b"x"), 1002),
    ("reserved opcode 0xB", frame(0xB, b"x"), 1002),
    ("RSV1 without an extension", frame(0x1, b"x", rsv=4), 1002),
    ("RSV2", frame(0x1, b"x", rsv=2), 1002),
    ("RSV3", frame(0x2, b"x", rsv=1), 1002),
    ("unmasked frame", frame(0x1, b"hello", masked=False), 1002),
    ("fragmented ping", frame(0x9, b"x", fin=False), 1002),
    ("126-byte ping", frame(0x9, b"x" * 126), 1002),
    ("non-minimal length", frame(0x1, b"hello", long_form=True), 1002),
    ("64-bit length with the top bit", frame(0x2, announce=1 << 63), 1002),
    ("continuation without a message", frame(0x0, b"x"), 1002),
    ("new message inside a fragmented one", frame(0x1, b"a", fin=False) + frame(0x1, b"b"), 1002),
    ("one-byte close payload", frame(0x8, b"\x03"), 1002),
    ("close code 1005", close_frame(1005), 1002),
    ("close code 999", close_frame(999), 1002),
    ("invalid UTF-8", frame(0x1, b"ab\xff"), 1007),
    ("invalid UTF-8 mid-frame", frame(0x1, b"abc\xc0", announce=1000), 1007),
    ("frame over the limit", frame(0x2, announce=1 << 40), 1009),
]


async def protocol_violations(arena: Arena, phase: Phase) -> None:
    """Each violation three times on /echo, and three on a room: the documented close code."""
    source = fresh_source()

    async def one(what: str, data: bytes, expected: int, path: str = "/echo", token: str | None = None):
        raw = await websocket(arena.port, source, path, token=token)
        if raw is None:
            return what, expected, 503
        await raw.send(data)
        code = await raw.close_code(timeout=5)
        raw.abort()
        return what, expected, code

    tries = [one(what, data, code) for what, data, code in VIOLATIONS for _ in range(3)]
    path = f"/v1/rooms/{ROOM_A}"
    token = [arena.token(role="participant", alias="Vi", member=f"violator-{n}") for n in range(3)]
    tries += [one("binary frame on a room", frame(0x2, b"{}"), 1003, path, token[0]),
              one("16 MiB text frame on a room", frame(0x1, announce=16 * MIB), 1009, path, token[1]),
              one("RSV1 on a room", frame(0x1, b"{}", rsv=4), 1002, path, token[2])]
    results = await asyncio.gather(*tries)
    wrong = sorted({f"{what}: expected {expected}, got {code}" for what, expected, code in results if code != expected})
    phase.expect(not wrong, "protocol violations: " + "; ".join(wrong))


async def compression_bombs(arena: Arena, phase: Phase) -> None:
    """On a second iopd with compression on (the arena's has it off, the default): 20
    connections each send the first frame of a compressed message that inflates to
    16 MiB - 1 from about 16 KiB, and never finish it. 320 MiB if all were held: the
    budget must refuse them (1013, or 503 at the upgrade) and bound the process."""
    server = RoomServer(arena.folder / "bomb-data", *SETTINGS, "server.compression=true")
    try:
        baseline = status_kib(server.process.pid, "VmRSS")
        bomb = frame(0x2, deflated(b"\0" * (16 * MIB - 1)), fin=False, rsv=4)
        offer = "Sec-WebSocket-Extensions: permessage-deflate\r\n"
        conns, refused = await websockets_open(20, server.port, fresh_source(), "/echo", extra=offer)
        await asyncio.gather(*(raw.send(bomb) for raw in conns))
        closes = await asyncio.gather(*(raw.close_code(timeout=2) for raw in conns))
        peak = status_kib(server.process.pid, "VmHWM")
        phase.notes["compression bombs"].update(upgrade_503=refused, closes=codes(closes), bomb_bytes=len(bomb),
                                                rss_peak_mib=round(peak / 1024, 1))
        phase.expect(all(code in ("open", 1009, 1013) for code in closes),
                     f"compression bombs: expected open or closed 1009/1013, got {codes(closes)}")
        limit = baseline + (BUDGET + MARGIN) // 1024
        phase.expect(peak <= limit, f"compression bombs: peak RSS {peak / 1024:.1f} MiB over "
                                    f"{limit / 1024:.1f} MiB (baseline {baseline / 1024:.1f} + budget + margin)")
        phase.expect(server.process.poll() is None, "compression bombs: the second iopd died")
        for raw in conns:
            raw.abort()
    finally:
        server.stop()
