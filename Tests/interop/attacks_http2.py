"""The attack suite's HTTP/2 phase (test_attack.py): one attack per HTTP/2 limit of
docs/PROTOCOL.md ("HTTP/2", Limits), against the arena's iopd over h2c from loopback
(the default `http2.cleartext=loopback`), with the default limits: 100 concurrent
streams, a 16 KiB header list, 100 resets and 1,000 frames without progress per 10 s.

Each coroutine takes the arena and its phase, attacks from fresh loopback sources
(h2kit: the `h2` library where a client would behave, hand-written frames where it
would not), and notes with `phase.expect` every documented outcome that did not
come: GOAWAY ENHANCE_YOUR_CALM, RST_STREAM, REFUSED_STREAM, a WebSocket dropped
(RST_STREAM CANCEL). The arena checks after the phase that the canary kept its round
trip, RSS stayed under the bound and iopd is alive. Every loop is bounded in count
and time.
"""

from __future__ import annotations

import asyncio
import functools
import time

import hpack
from hyperframe.frame import ContinuationFrame, GoAwayFrame, HeadersFrame, RstStreamFrame

from arena import Arena, Phase
from attackkit import fresh_source, metrics
from attacks_http2_streams import frame_floods, stream_exhaustion, zero_window
from attacks_transport import budget_given_back, codes
from h2kit import ENHANCE_YOUR_CALM, H2Peer, H2Raw, connect, request

MAX_RESETS = 100  # http2.maxResetsPerWindow (default)
PROTOCOL_ERROR = 0x1


async def http2_attacks(arena: Arena, phase: Phase) -> None:
    before = await refusals(arena)
    with phase.step("rapid reset"):
        await rapid_reset(arena, phase)
    with phase.step("CONTINUATION flood"):
        await continuation_flood(arena, phase)
    with phase.step("HPACK bomb"):
        await hpack_bomb(arena, phase)
    with phase.step("stream exhaustion"):
        await stream_exhaustion(arena, phase)
    with phase.step("frame floods"):
        await frame_floods(arena, phase)
    with phase.step("zero window"):
        await zero_window(arena, phase)
    with phase.step("budget given back"):
        await budget_given_back(arena, phase)
    after = await refusals(arena)
    counted = {limit: after[limit] - before.get(limit, 0) for limit in after}
    phase.notes["refusals counted"] = counted
    for limit in ("rapid_reset", "header_list_size", "concurrent_streams", "idle_frames"):
        phase.expect(counted.get(limit, 0) > 0, f"iop_http2_refusals_total{{limit={limit!r}}} did not count the attack")


async def refusals(arena: Arena) -> dict[str, float]:
    values = await metrics(arena.port, fresh_source())
    prefix = 'iop_http2_refusals_total{limit="'
    return {name[len(prefix):-2]: value for name, value in values.items() if name.startswith(prefix)}


async def rapid_reset(arena: Arena, phase: Phase) -> None:
    """CVE-2023-44487: 10 connections (h2) each open a stream and reset it at once, in a
    loop (at most 2,000 pairs in 5 s), half of them plain GETs, half extended CONNECTs
    to /echo: each connection gets GOAWAY ENHANCE_YOUR_CALM past 100 resets and closes."""
    source = fresh_source()
    peers = await asyncio.gather(*(H2Peer.open(arena.port, source) for _ in range(10)))
    deadline = time.monotonic() + 5

    async def attack(peer: H2Peer, index: int) -> int:
        pairs = 0
        while pairs < 2000 and time.monotonic() < deadline and peer.terminated is None and not peer.closed:
            for _ in range(20):
                stream = peer.h2.get_next_available_stream_id()
                fields = connect("/echo") if index % 2 else request("/livez")
                try:
                    peer.h2.send_headers(stream, fields, end_stream=not index % 2)
                    peer.h2.reset_stream(stream)
                except Exception:  # h2 refuses new streams once the GOAWAY is read  # noqa: BLE001
                    return pairs
                pairs += 1
            if not await peer.flush(timeout=1):
                break
            await peer.pump(0.001)
        return pairs

    pairs = await asyncio.gather(*(attack(peer, i) for i, peer in enumerate(peers)))
    ended = await asyncio.gather(*(peer.wait(lambda e: False, timeout=3) for peer in peers))  # read to the end
    calm = [peer.terminated.error_code if peer.terminated else None for peer in peers]
    phase.notes["rapid reset"].update(pairs_sent=pairs, goaway=codes(calm), closed=sum(p.closed for p in peers))
    phase.expect(all(code == ENHANCE_YOUR_CALM for code in calm),
                 f"rapid reset: expected GOAWAY ENHANCE_YOUR_CALM on each connection, got {codes(calm)}")
    phase.expect(all(p.closed for p in peers) and ended == [None] * len(peers),
                 "rapid reset: a connection stayed open after its GOAWAY")
    phase.expect(all(n > MAX_RESETS for n in pairs), f"rapid reset: the attack stopped early: {pairs}")
    for peer in peers:
        peer.abort()


async def continuation_flood(arena: Arena, phase: Phase) -> None:
    """10 connections each send a request's HEADERS without END_HEADERS, then up to 10,000
    CONTINUATION frames (empty on half of them, 1 KiB of header on the rest), never ending
    the block: nghttp2 ends the connection past 8 CONTINUATIONs of one block (the header
    list limit may reset the stream before); either way the connection closes at once."""
    source = fresh_source()
    conns = await asyncio.gather(*(H2Raw.open(arena.port, source) for _ in range(10)))
    results = await asyncio.gather(*(one_continuation_flood(raw, index % 2 == 1) for index, raw in enumerate(conns)))
    phase.notes["CONTINUATION flood"].update(
        outcome=codes(outcome for outcome, _ in results), frames_sent=[sent for _, sent in results])
    # docs/PROTOCOL.md: nghttp2 ends the connection past 8 CONTINUATIONs of one block (it queues no GOAWAY).
    phase.expect(all(outcome in ("closed", f"goaway {PROTOCOL_ERROR:#x}, closed") for outcome, _ in results),
                 f"CONTINUATION flood: expected the connection closed, got {codes(o for o, _ in results)}")
    for raw in conns:
        raw.abort()


async def one_continuation_flood(raw: H2Raw, with_headers: bool) -> tuple[str, int]:
    await raw.settled()
    await raw.send(HeadersFrame(1, raw.block(request("/livez"))).serialize())
    piece = raw.block([("x-flood", "c" * 1024)]) if with_headers else b""
    continuation = ContinuationFrame(1, piece).serialize()
    sent = 0
    deadline = time.monotonic() + 3
    while sent < 10_000 and time.monotonic() < deadline and not raw.closed:
        if not await raw.send(continuation * 100, timeout=1):
            break
        sent += 100
    code = await raw.goaway(timeout=3)
    closed = await raw.ends(timeout=3)
    return (f"goaway {code:#x}, " if code is not None else "") + ("closed" if closed else "still open"), sent


async def hpack_bomb(arena: Arena, phase: Phase) -> None:
    """Header lists far over http2.maxHeaderListBytes: (a) 8 frames of 16 KiB literals
    (128 KiB, within nghttp2's 8 CONTINUATIONs); (b) one 4 KiB field put in the HPACK
    table, then referenced 16,000 times by its one-byte index (64 MiB decoded from
    16 KiB). 20 connections, 3 bombs each:
    each bomb's stream is reset (RST_STREAM) and the connection goes on (/livez 200)."""
    source = fresh_source()
    conns = await asyncio.gather(*(H2Raw.open(arena.port, source) for _ in range(20)))
    results = await asyncio.gather(*(bombs(raw, index % 2 == 0) for index, raw in enumerate(conns)))
    outcomes = [outcome for result in results for outcome in result]
    phase.notes["HPACK bomb"]["outcome"] = codes(outcomes)
    phase.expect(all(outcome in ("reset", "goaway", "served") for outcome in outcomes) and "served" in outcomes
                 and outcomes.count("reset") >= 30,
                 f"HPACK bombs: expected each bomb's stream reset and the connection going on, got {codes(outcomes)}")
    for raw in conns:
        raw.abort()


async def bombs(raw: H2Raw, literal: bool) -> list[str]:
    """Three bombs and, after each, a plain request on the same connection."""
    await raw.settled()
    outcomes = []
    stream = 1
    if not literal:  # the table entry the indexed bomb refers to (RFC 7541 §6.2.1), on a served request
        fields = [*request("/livez"), ("x-bomb", "b" * 4000)]
        await raw.send(HeadersFrame(stream, raw.block(fields, indexed=True), flags=["END_HEADERS", "END_STREAM"])
                       .serialize())
        stream += 2
    for _ in range(3):
        if literal:
            head = literal_bomb()
            frames = HeadersFrame(stream, head[:16_384]).serialize()
            pieces = [head[i:i + 16_384] for i in range(16_384, len(head), 16_384)]
        else:
            frames = HeadersFrame(stream, raw.block(request("/livez"))).serialize()
            pieces = [bytes([0xBE]) * 16_000]  # index 62: the newest dynamic entry, "x-bomb: bbb…"
        for n, piece in enumerate(pieces):
            flags = ["END_HEADERS"] if n == len(pieces) - 1 else []
            frames += ContinuationFrame(stream, piece, flags=flags).serialize()
        await raw.send(frames)
        answer = await raw.until(lambda f: isinstance(f, GoAwayFrame) or (
            f.stream_id == stream and isinstance(f, (RstStreamFrame, HeadersFrame))), timeout=5)
        if isinstance(answer, RstStreamFrame):
            outcomes.append("reset")
        elif isinstance(answer, GoAwayFrame):
            outcomes.append("goaway")
            break
        else:
            outcomes.append(f"not reset: {type(answer).__name__}")
        await raw.send(raw.headers(stream + 2, request("/livez"), end_stream=True))
        served = await raw.until(lambda f: f.stream_id == stream + 2 and isinstance(f, HeadersFrame), timeout=5)
        outcomes.append("served" if served is not None and served.fields.get(b":status") == b"200" else "not served")
        stream += 4
    return outcomes


@functools.cache
def literal_bomb() -> bytes:
    """A /livez request and eight 16,300-byte fields, as literals never indexed: the block
    leaves the HPACK tables as they were, so one encoding serves every connection (the
    Python Huffman coder is slow; the attackers share the CPU with the canary)."""
    encoder = hpack.Encoder()
    fields = [*request("/livez"), *((f"x-bomb-{n}", "a" * 16_300) for n in range(8))]
    return encoder.encode([(name, value, True) for name, value in fields])
