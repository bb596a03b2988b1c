"""The HTTP/2 phase's stream and window attacks (attacks_http2.py runs them): stream
exhaustion, frames without progress, and a zero window held while the server has
output. The limits are iopd's defaults (docs/PROTOCOL.md, "HTTP/2")."""

from __future__ import annotations

import asyncio
import struct
import time

import h2.events
from hyperframe.frame import DataFrame, GoAwayFrame, HeadersFrame, RstStreamFrame, SettingsFrame

from arena import ROOM_OPEN, Arena, Phase
from attackkit import frame, fresh_source, metrics
from attacks_transport import codes
from h2kit import (CANCEL, ENHANCE_YOUR_CALM, INITIAL_WINDOW_SIZE, REFUSED_STREAM, H2Peer, H2Raw, connect, ping,
                   priority, request, window_update)
from roomkit import RoomServer

MIB = 2**20
MAX_STREAMS = 100  # http2.maxConcurrentStreams (default)
PROTOCOL_ERROR = 0x1
MAX_IDLE = 1000  # http2.maxIdleFramesPerWindow (default)


async def stream_exhaustion(arena: Arena, phase: Phase) -> None:
    """Stream exhaustion, both ways docs/PROTOCOL.md names. 4 connections each open 110
    WebSockets (extended CONNECT to /echo) at once, before acknowledging the server's
    SETTINGS: 100 are served (200), 10 get RST_STREAM REFUSED_STREAM, and stream 1
    still echoes. 4 more first acknowledge the SETTINGS, then open 101 streams: a
    connection error, GOAWAY PROTOCOL_ERROR, then close."""
    source = fresh_source()
    early = await asyncio.gather(*(H2Raw.open(arena.port, source) for _ in range(4)))
    results = await asyncio.gather(*(exhaust(raw) for raw in early))
    phase.notes["stream exhaustion"].update(
        opened=[r["opened"] for r in results], refused=[r["refused"] for r in results],
        echo=codes(r["echo"] for r in results))
    phase.expect(all(r["refused"] == 10 and r["opened"] == MAX_STREAMS for r in results),
                 f"stream exhaustion: expected 100 opened and 10 REFUSED_STREAM per connection, got "
                 f"{[(r['opened'], r['refused'], r['other']) for r in results]}")
    phase.expect(all(r["echo"] for r in results), "stream exhaustion: stream 1 stopped echoing")
    late = await asyncio.gather(*(H2Raw.open(arena.port, source) for _ in range(4)))
    outcomes = await asyncio.gather(*(exhaust_after_ack(raw) for raw in late))
    phase.notes["stream exhaustion"]["after the SETTINGS ack"] = codes(outcomes)
    phase.expect(all(outcome == f"goaway {PROTOCOL_ERROR:#x}, closed" for outcome in outcomes),
                 f"stream exhaustion after the SETTINGS ack: expected GOAWAY PROTOCOL_ERROR, got {codes(outcomes)}")
    for raw in [*early, *late]:
        raw.abort()


async def exhaust(raw: H2Raw) -> dict:
    streams = [2 * n + 1 for n in range(MAX_STREAMS + 10)]
    await raw.send(b"".join(raw.headers(s, connect("/echo")) for s in streams))  # before reading anything
    opened, refused, other = 0, 0, []
    deadline = time.monotonic() + 10
    while opened + refused + len(other) < len(streams) and (left := deadline - time.monotonic()) > 0:
        got = await raw.frame(left)
        if got is None:
            break
        if isinstance(got, HeadersFrame) and got.fields.get(b":status") == b"200":
            opened += 1
        elif isinstance(got, RstStreamFrame) and got.error_code == REFUSED_STREAM:
            refused += 1
        elif isinstance(got, (HeadersFrame, RstStreamFrame, GoAwayFrame)):
            other.append(type(got).__name__)
    await raw.send(raw.data(1, frame(0x1, b"still here")))
    echo = await raw.until(lambda f: isinstance(f, DataFrame) and f.stream_id == 1, timeout=5)
    return {"opened": opened, "refused": refused, "other": other,
            "echo": echo is not None and echo.data.endswith(b"still here")}


async def exhaust_after_ack(raw: H2Raw) -> str:
    await raw.settled()
    await raw.send(b"".join(raw.headers(2 * n + 1, connect("/echo")) for n in range(MAX_STREAMS + 1)))
    code = await raw.goaway(timeout=10)
    closed = await raw.ends(timeout=5)
    return (f"goaway {code:#x}" if code is not None else "no goaway") + (", closed" if closed else ", still open")


FLOODS = {  # (kind, frame), each sent 1,100 times: past http2.maxIdleFramesPerWindow
    "ping": ping(),
    "settings": SettingsFrame(0, {}).serialize(),
    "empty data": H2Raw.data(1, b""),
    "priority": None,  # built per connection: PRIORITY on stream 1
}


async def frame_floods(arena: Arena, phase: Phase) -> None:
    """Per kind (PING, SETTINGS, empty DATA, PRIORITY), 3 connections send 1,100 frames
    without progress on an open stream: GOAWAY ENHANCE_YOUR_CALM, then close. A fourth
    connection sends 900 PINGs (under the limit) and is still served."""
    source = fresh_source()
    kinds = [kind for kind in FLOODS for _ in range(3)]
    conns = await asyncio.gather(*(H2Raw.open(arena.port, source) for _ in kinds))
    outcomes = await asyncio.gather(*(flood(raw, kind, 1100) for raw, kind in zip(conns, kinds)))
    by_kind = {kind: codes(o for k, o in zip(kinds, outcomes) if k == kind) for kind in FLOODS}
    phase.notes["frame floods"]["outcome"] = by_kind
    phase.expect(all(outcome == f"goaway {ENHANCE_YOUR_CALM:#x}, closed" for outcome in outcomes),
                 f"frame floods: expected GOAWAY ENHANCE_YOUR_CALM and close, got {by_kind}")
    crowded = await asyncio.gather(*(H2Raw.open(arena.port, source) for _ in range(3)))
    settings = await asyncio.gather(*(too_many_settings(raw) for raw in crowded))
    phase.notes["frame floods"]["40 SETTINGS entries"] = codes(settings)
    phase.expect(all(outcome == f"goaway {ENHANCE_YOUR_CALM:#x}, closed" for outcome in settings),
                 f"a SETTINGS frame of 40 entries (over 32): expected GOAWAY ENHANCE_YOUR_CALM, got {codes(settings)}")
    within = await H2Raw.open(arena.port, source)
    outcome = await flood(within, "ping", 900)
    phase.notes["frame floods"]["900 pings"] = outcome
    phase.expect(outcome == "served", f"900 pings (under the limit): expected the next request served, got {outcome}")
    for raw in [*conns, *crowded, within]:
        raw.abort()


async def too_many_settings(raw: H2Raw) -> str:
    """One SETTINGS frame with 40 entries: nghttp2 takes 32 at most (`max_settings`)."""
    await raw.settled()
    payload = b"".join(struct.pack("!HL", INITIAL_WINDOW_SIZE, 65535) for _ in range(40))
    await raw.send(struct.pack("!L", len(payload))[1:] + b"\x04\x00\x00\x00\x00\x00" + payload)
    code = await raw.goaway(timeout=5)
    closed = await raw.ends(timeout=5)
    return (f"goaway {code:#x}" if code is not None else "no goaway") + (", closed" if closed else ", still open")


async def flood(raw: H2Raw, kind: str, count: int) -> str:
    await raw.settled()
    await raw.send(raw.headers(1, request("/livez", "POST")))  # stream 1 stays open (no END_STREAM)
    one = FLOODS[kind] or priority(1)
    await raw.send(one * count, timeout=5)
    if count <= MAX_IDLE:
        await raw.send(raw.headers(3, request("/livez"), end_stream=True))
        got = await raw.until(lambda f: isinstance(f, GoAwayFrame) or (
            isinstance(f, HeadersFrame) and f.stream_id == 3), timeout=5)
        return "served" if isinstance(got, HeadersFrame) else f"not served: {got}"
    code = await raw.goaway(timeout=5)
    closed = await raw.ends(timeout=5)
    return (f"goaway {code:#x}" if code is not None else "no goaway") + (", closed" if closed else ", still open")


async def zero_window(arena: Arena, phase: Phase) -> None:
    """Clients (h2) that set SETTINGS_INITIAL_WINDOW_SIZE 0 and never open a window while
    the server has output, reading the socket all along (an HTTP/2 zero window, not a
    TCP one). On the arena's iopd: 3 connections with 2 /echo WebSockets each push
    1 MiB messages for 4 s that can never be echoed, and 2 connections hold 10 room
    WebSockets each whose first events can never be sent. What the /echo streams hold
    must be charged to the memory budget (it bounds them), the room streams stay open,
    and every connection still answers a PING. Then `zero_window_dropped` checks the
    documented drop on a second iopd."""
    source = fresh_source()
    zero = {INITIAL_WINDOW_SIZE: 0}
    echoes = await asyncio.gather(*(H2Peer.open(arena.port, source, zero) for _ in range(3)))
    rooms = await asyncio.gather(*(H2Peer.open(arena.port, source, zero) for _ in range(2)))
    room_streams = []
    for c, peer in enumerate(rooms):
        for n in range(10):
            token = arena.token(room=ROOM_OPEN, role="participant", alias=f"Zw{c}{n}", member=f"zero-{c}-{n}")
            room_streams.append((peer, await open_stream(peer, f"/v1/rooms/{ROOM_OPEN}", token)))
    echo_streams = [(peer, await open_stream(peer, "/echo")) for peer in echoes for _ in range(2)]
    opened = [await status(peer, stream) for peer, stream in echo_streams + room_streams]  # one reader per peer
    before = (await metrics(arena.port, fresh_source()))["iop_memory_budget_used_bytes"]
    pushed = await asyncio.gather(*(push(peer, [s for p, s in echo_streams if p is peer], MIB, 16, 4)
                                    for peer in echoes))
    used = (await metrics(arena.port, fresh_source()))["iop_memory_budget_used_bytes"]
    alive = await asyncio.gather(*(pong(peer) for peer in [*echoes, *rooms]))
    resets = [e for peer in [*echoes, *rooms] for e in peer.events if isinstance(e, h2.events.StreamReset)]
    held = sum(pushed) * MIB
    phase.notes["zero window"].update(opened=codes(opened), messages_pushed=pushed, resets=len(resets),
                                      budget_used_mib=round(used / MIB, 1), held_mib=round(held / MIB, 1),
                                      pong=codes(alive))
    phase.expect(all(code == 200 for code in opened), f"zero window: streams not opened: {codes(opened)}")
    phase.expect(sum(pushed) >= 6, f"zero window: too little pushed to tell: {pushed}")
    phase.expect(used - before >= 0.9 * held or any(e.error_code == CANCEL for e in resets),
                 f"zero window: {held / MIB:.0f} MiB of echoes held behind closed windows, but the memory "
                 f"budget grew by {(used - before) / MIB:.1f} MiB only (and no stream was dropped)")
    phase.expect(all(alive), f"zero window: a connection stopped answering PING: {alive}")
    for peer in [*echoes, *rooms]:
        peer.abort()
    await zero_window_dropped(arena, phase)


async def zero_window_dropped(arena: Arena, phase: Phase) -> None:
    """On a second iopd with the default /echo queue limit (1 MiB) and a 1 s close timeout:
    2 connections with 2 zero-window /echo streams each push 2 MiB: each stream is
    dropped as a slow consumer, its 1013 cannot pass the window, and RST_STREAM CANCEL
    follows within the close timeout; the connection itself goes on (PING)."""
    server = RoomServer(arena.folder / "zero-window-data", "server.echo=true", "timeouts.closeSeconds=1",
                        "http2.maxQueuedBytes=65536")
    try:
        source = fresh_source()
        peers = await asyncio.gather(*(H2Peer.open(server.port, source, {INITIAL_WINDOW_SIZE: 0}) for _ in range(2)))
        streams = [(peer, await open_stream(peer, "/echo")) for peer in peers for _ in range(2)]
        opened = [await status(peer, stream) for peer, stream in streams]
        await asyncio.gather(*(push(peer, [s for p, s in streams if p is peer], 256 * 1024, 8, 4) for peer in peers))
        resets = [await reset_of(peer, stream, 5) for peer, stream in streams]
        alive = await asyncio.gather(*(pong(peer) for peer in peers))
        phase.notes["zero window"].update(dropped_resets=codes(resets), dropped_pong=codes(alive))
        phase.expect(all(code == 200 for code in opened), f"zero window (dropped): not opened: {codes(opened)}")
        phase.expect(all(code == CANCEL for code in resets),
                     f"zero window (dropped): expected RST_STREAM CANCEL on each stream, got {codes(resets)}")
        phase.expect(all(alive), f"zero window (dropped): a connection stopped answering PING: {alive}")
        for peer in peers:
            peer.abort()
        await never_reads(server, phase)
    finally:
        server.stop()


async def never_reads(server: RoomServer, phase: Phase) -> None:
    """A client that opens every HTTP/2 window wide and asks for /metrics again and again
    (7-8 KB each, 90 at a time, at most 2,700) but never reads its socket (a 4 KiB
    receive buffer): once the kernel's buffers are full, what the server cannot write
    passes http2.maxQueuedBytes (64 KiB on this iopd) and the connection is closed
    (iop_http2_refusals_total{limit="write_queue"})."""
    raw = await H2Raw.open(server.port, fresh_source(), {INITIAL_WINDOW_SIZE: 2**31 - 1}, rcvbuf=4096)
    await raw.send(window_update(0, 2**31 - 1 - 65535))
    source = fresh_source()
    stream, refused = 1, 0.0
    for _ in range(30):
        batch = b"".join(raw.headers(stream + 2 * n, request("/metrics"), end_stream=True) for n in range(90))
        await raw.send(batch, timeout=1)
        stream += 180
        refused = (await metrics(server.port, source)).get('iop_http2_refusals_total{limit="write_queue"}', 0)
        if refused:
            break
    closed = await raw.ends(timeout=10)  # reads what the kernel held, then the end
    phase.notes["zero window"]["never reads the socket"] = {"requests": (stream - 1) // 2, "closed": closed}
    phase.expect(refused == 1 and closed, f"a client that never reads: expected closed at http2.maxQueuedBytes, "
                                          f"got write_queue refusals {refused}, closed {closed}")
    raw.abort()


async def open_stream(peer: H2Peer, path: str, token: str | None = None) -> int:
    stream = peer.h2.get_next_available_stream_id()
    peer.h2.send_headers(stream, connect(path, token))
    await peer.flush()
    return stream


async def status(peer: H2Peer, stream: int) -> int | None:
    got = await peer.wait(lambda e: isinstance(e, h2.events.ResponseReceived) and e.stream_id == stream, timeout=10)
    return int(dict(got.headers)[b":status"]) if got else None


async def push(peer: H2Peer, streams: list[int], size: int, most: int, seconds: float) -> int:
    """Binary messages of `size` bytes on `streams`, in turn, as fast as the server's
    windows allow (h2 keeps to them), at most `most` per stream and `seconds`; how many
    went whole."""
    message = frame(0x2, b"\x01" * size)
    deadline = time.monotonic() + seconds
    sent = 0
    for _ in range(most):
        for stream in streams:
            offset = 0
            while offset < len(message) and time.monotonic() < deadline and not peer.closed:
                try:
                    room = min(peer.h2.local_flow_control_window(stream), peer.h2.max_outbound_frame_size)
                except Exception:  # the stream was reset  # noqa: BLE001
                    break
                if room <= 0:
                    await peer.pump(0.2)  # the server's WINDOW_UPDATE, as its session takes the input in
                    continue
                chunk = message[offset:offset + room]
                try:
                    peer.h2.send_data(stream, chunk)
                except Exception:  # the stream was reset meanwhile  # noqa: BLE001
                    break
                offset += len(chunk)
                await peer.flush()
            sent += offset == len(message)
    return sent


async def reset_of(peer: H2Peer, stream: int, timeout: float) -> int | None:
    got = await peer.wait(lambda e: isinstance(e, h2.events.StreamReset) and e.stream_id == stream, timeout)
    return got.error_code if got else None


async def pong(peer: H2Peer) -> bool:
    peer.h2.ping(b"zerowin!")
    await peer.flush()
    return await peer.wait(lambda e: isinstance(e, h2.events.PingAckReceived), timeout=5) is not None
