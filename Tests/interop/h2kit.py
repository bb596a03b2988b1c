"""HTTP/2 clients for the attack suite's HTTP/2 phase (attacks_http2.py), over raw
loopback sockets to a real iopd (h2c with prior knowledge, allowed from loopback).

- `H2Peer` is a well-behaved client driven by the Python `h2` library (an
  independent HTTP/2 and RFC 8441 implementation): what it sends is valid, and it
  reads the server through h2's own state machine (events).
- `H2Raw` writes frames by hand (`hyperframe`, HPACK by `hpack`) for what h2 will
  not send: CONTINUATION floods, header blocks past the announced limit, streams
  beyond SETTINGS_MAX_CONCURRENT_STREAMS. It reads the server's frames raw and
  acknowledges its SETTINGS.

Both connect from a chosen loopback source (attackkit.Raw). Every read is bounded
by a timeout; every loop by a count.
"""

from __future__ import annotations

import asyncio
import time

import h2.config
import h2.connection
import h2.events
import h2.exceptions
import hpack
from hyperframe.frame import (DataFrame, Frame, GoAwayFrame, HeadersFrame, PingFrame, PriorityFrame, SettingsFrame,
                              WindowUpdateFrame)

from attackkit import Raw

PREFACE = b"PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n"
REFUSED_STREAM = 0x7
CANCEL = 0x8
ENHANCE_YOUR_CALM = 0xB
INITIAL_WINDOW_SIZE = 0x4


def request(path: str, method: str = "GET") -> list[tuple[str, str]]:
    return [(":method", method), (":scheme", "http"), (":path", path), (":authority", "127.0.0.1")]


def connect(path: str, token: str | None = None) -> list[tuple[str, str]]:
    """An extended CONNECT for a WebSocket on `path` (RFC 8441 §4-5)."""
    fields = [(":method", "CONNECT"), (":protocol", "websocket"), (":scheme", "http"), (":path", path),
              (":authority", "127.0.0.1"), ("sec-websocket-version", "13")]
    return fields + ([("authorization", f"Bearer {token}")] if token else [])


class H2Raw:
    """One HTTP/2 connection whose frames are written by hand."""

    def __init__(self, raw: Raw):
        self.raw = raw
        self.encoder = hpack.Encoder()
        self.decoder = hpack.Decoder()
        self.decoder.max_header_list_size = 1 << 20  # ours, to read the server's blocks: generous
        self.buffer = bytearray()
        self.closed = False
        self.server_settings: dict[int, int] = {}

    @classmethod
    async def open(cls, port: int, source: str, settings: dict[int, int] | None = None,
                   rcvbuf: int | None = None) -> "H2Raw":
        peer = cls(await Raw.open(port, source, rcvbuf=rcvbuf))
        await peer.send(PREFACE + SettingsFrame(0, settings or {}).serialize())
        return peer

    async def send(self, data: bytes, timeout: float = 5) -> bool:
        return await self.raw.send(data, timeout)

    def block(self, fields: list[tuple[str, str]], *, indexed: bool = False) -> bytes:
        """An HPACK header block; `indexed` lets the encoder add the fields to its dynamic table."""
        return self.encoder.encode(fields if indexed else [(name, value, True) for name, value in fields])

    def headers(self, stream: int, fields: list[tuple[str, str]], *, end_stream: bool = False) -> bytes:
        flags = ["END_HEADERS", "END_STREAM"] if end_stream else ["END_HEADERS"]
        return HeadersFrame(stream, self.block(fields), flags=flags).serialize()

    @staticmethod
    def data(stream: int, payload: bytes, *, end_stream: bool = False) -> bytes:
        return DataFrame(stream, payload, flags=["END_STREAM"] if end_stream else []).serialize()

    async def frame(self, timeout: float = 5) -> Frame | None:
        """The server's next frame, or None at end of stream or after `timeout` without one."""
        deadline = time.monotonic() + timeout
        while True:
            if len(self.buffer) >= 9:
                parsed, length = Frame.parse_frame_header(memoryview(bytes(self.buffer[:9])))
                if len(self.buffer) >= 9 + length:
                    parsed.parse_body(memoryview(bytes(self.buffer[9:9 + length])))
                    del self.buffer[:9 + length]
                    if isinstance(parsed, SettingsFrame) and "ACK" not in parsed.flags:
                        self.server_settings.update(parsed.settings)
                        await self.send(SettingsFrame(0, flags=["ACK"]).serialize(), timeout=1)
                    parsed.fields = {}
                    if isinstance(parsed, HeadersFrame) and "END_HEADERS" in parsed.flags:
                        # iopd's response blocks are small: each is whole in its HEADERS frame.
                        parsed.fields = dict(self.decoder.decode(parsed.data, raw=True))
                    return parsed
            left = deadline - time.monotonic()
            if self.closed or left <= 0:
                return None
            try:
                more = await asyncio.wait_for(self.raw.reader.read(65536), left)
            except asyncio.TimeoutError:
                return None
            except OSError:
                more = b""
            if not more:
                self.closed = True
                return None
            self.buffer += more

    async def settled(self, timeout: float = 5) -> bool:
        """Reads until the server's first SETTINGS (acknowledged): its limits are in force."""
        deadline = time.monotonic() + timeout
        while not self.server_settings:
            if await self.frame(max(0.01, deadline - time.monotonic())) is None:
                return False
        return True

    async def until(self, wanted, timeout: float = 5) -> Frame | None:
        """The first frame for which `wanted(frame)` holds (others are dropped), or None."""
        deadline = time.monotonic() + timeout
        while (left := deadline - time.monotonic()) > 0:
            got = await self.frame(left)
            if got is None:
                return None
            if wanted(got):
                return got
        return None

    async def goaway(self, timeout: float = 5) -> int | None:
        """The error code of the server's GOAWAY (frames before it dropped), or None."""
        got = await self.until(lambda f: isinstance(f, GoAwayFrame), timeout)
        return got.error_code if got is not None else None

    async def ends(self, timeout: float = 5) -> bool:
        """True when the server closes the connection within `timeout` (frames read and dropped)."""
        deadline = time.monotonic() + timeout
        while not self.closed and time.monotonic() < deadline:
            await self.frame(max(0.01, deadline - time.monotonic()))
        return self.closed

    def abort(self) -> None:
        self.raw.abort()


class H2Peer:
    """One HTTP/2 connection driven by the `h2` library."""

    def __init__(self, raw: Raw, settings: dict[int, int] | None):
        self.raw = raw
        self.h2 = h2.connection.H2Connection(h2.config.H2Configuration(client_side=True, header_encoding=None))
        self.h2.initiate_connection()
        if settings:  # a second SETTINGS right after the preface's (h2 sends its defaults there)
            self.h2.update_settings(settings)
        self.events: list[h2.events.Event] = []
        self.terminated: h2.events.ConnectionTerminated | None = None
        self.closed = False

    @classmethod
    async def open(cls, port: int, source: str, settings: dict[int, int] | None = None) -> "H2Peer":
        peer = cls(await Raw.open(port, source), settings)
        await peer.flush()
        return peer

    async def flush(self, timeout: float = 5) -> bool:
        data = self.h2.data_to_send()
        return await self.raw.send(data, timeout) if data else not self.closed

    async def pump(self, timeout: float) -> list[h2.events.Event]:
        """Reads once (bounded) and feeds h2: the events it produced ([] on timeout or end).
        One coroutine at a time per peer (asyncio streams allow one reader)."""
        try:
            data = await asyncio.wait_for(self.raw.reader.read(65536), timeout)
        except asyncio.TimeoutError:
            return []
        except OSError:
            data = b""
        if not data:
            self.closed = True
            return []
        try:
            events = self.h2.receive_data(data)
        except h2.exceptions.ProtocolError:
            self.closed = True
            return []
        for event in events:
            if isinstance(event, h2.events.ConnectionTerminated):
                self.terminated = event
        self.events += events
        await self.flush(timeout=1)
        return events

    async def wait(self, wanted, timeout: float = 5):
        """The first event so far for which `wanted(event)` holds, or None (end of stream, timeout)."""
        deadline = time.monotonic() + timeout
        for event in self.events:
            if wanted(event):
                return event
        while not self.closed and (left := deadline - time.monotonic()) > 0:
            for event in await self.pump(left):
                if wanted(event):
                    return event
        return None

    def abort(self) -> None:
        self.raw.abort()


def ping() -> bytes:
    return PingFrame(0, b"\0" * 8).serialize()


def priority(stream: int) -> bytes:
    return PriorityFrame(stream, depends_on=0, stream_weight=15).serialize()


def window_update(stream: int, increment: int) -> bytes:
    return WindowUpdateFrame(stream, window_increment=increment).serialize()

