"""A small blocking HTTP/2 client for the HTTP/2 interop tests (test_http2_interop.py), on the independent
`h2` library (sans-I/O) with WebSocket frames from `wsproto`: plain requests,
extended CONNECT (RFC 8441) and WebSocket frames on streams. Every read is
bounded by a deadline; what arrives is sorted per stream.
"""

from __future__ import annotations

import socket
import ssl
import time
from dataclasses import dataclass, field

import h2.config
import h2.connection
import h2.events
import h2.settings
from wsproto.frame_protocol import FrameProtocol, Opcode

WAIT = 10.0


@dataclass
class Stream:
    """What arrived on one stream."""

    status: int | None = None
    headers: dict[str, str] = field(default_factory=dict)
    body: bytes = b""
    ended: bool = False
    reset: int | None = None
    frames: list = field(default_factory=list)  # (Opcode, payload) of a WebSocket stream
    data_bytes: int = 0  # DATA payload bytes received (what crossed the wire)
    protocol: FrameProtocol | None = None
    offered: list = field(default_factory=list)  # extensions offered in the extended CONNECT


class H2Client:
    """One HTTP/2 connection to 127.0.0.1:`port`: h2c, or TLS with ALPN h2 when `context` is given."""

    def __init__(self, port: int, context: ssl.SSLContext | None = None, window: int | None = None):
        raw = socket.create_connection(("127.0.0.1", port), timeout=WAIT)
        if context is not None:
            context.set_alpn_protocols(["h2", "http/1.1"])
            raw = context.wrap_socket(raw, server_hostname="localhost")
            self.alpn = raw.selected_alpn_protocol()
        else:
            self.alpn = None
        self.sock = raw
        self.sock.settimeout(0.2)
        self.conn = h2.connection.H2Connection(h2.config.H2Configuration(client_side=True, header_encoding="utf-8"))
        self.conn.initiate_connection()
        if window is not None:
            self.conn.update_settings({h2.settings.SettingCodes.INITIAL_WINDOW_SIZE: window})
        self.streams: dict[int, Stream] = {}
        self.paused: set[int] = set()  # streams whose data is never acknowledged (their window stays closed)
        self.goaway: int | None = None
        self.closed = False
        self.flush()

    def flush(self) -> None:
        data = self.conn.data_to_send()
        if data:
            self.sock.sendall(data)

    def pump_until(self, done, timeout: float = WAIT) -> bool:
        """Reads and handles frames until `done()` or the deadline; returns done()."""
        deadline = time.monotonic() + timeout
        while not done() and time.monotonic() < deadline and not self.closed:
            try:
                data = self.sock.recv(65536)
            except (socket.timeout, TimeoutError):
                continue
            except ssl.SSLError:
                data = b""
            if not data:
                self.closed = True
                break
            for event in self.conn.receive_data(data):
                self._handle(event)
            self.flush()
        return done()

    def _handle(self, event) -> None:
        sid = getattr(event, "stream_id", None)
        stream = self.streams.setdefault(sid, Stream()) if sid else None
        if isinstance(event, h2.events.ResponseReceived):
            stream.headers = dict(event.headers)
            stream.status = int(stream.headers[":status"])
            agreed = stream.headers.get("sec-websocket-extensions")
            if stream.offered and agreed:  # RFC 7692 over RFC 8441: the answer settles the offer
                for extension in stream.offered:
                    if agreed.split(";")[0].strip() == extension.name:
                        extension.finalize(agreed)
                stream.protocol = FrameProtocol(client=True, extensions=stream.offered)
        elif isinstance(event, h2.events.DataReceived):
            stream.data_bytes += len(event.data)
            if sid not in self.paused:
                self.conn.acknowledge_received_data(event.flow_controlled_length, sid)
            if stream.protocol is not None and stream.status == 200:  # a refusal's body is no WebSocket
                stream.protocol.receive_bytes(event.data)
                stream.frames += [(frame.opcode, frame.payload) for frame in stream.protocol.received_frames()]
            else:
                stream.body += event.data
        elif isinstance(event, h2.events.StreamEnded):
            stream.ended = True
        elif isinstance(event, h2.events.StreamReset):
            stream.reset = int(event.error_code)
        elif isinstance(event, h2.events.ConnectionTerminated):
            self.goaway = int(event.error_code)

    def request(self, path: str, method: str = "GET") -> int:
        sid = self.conn.get_next_available_stream_id()
        self.conn.send_headers(sid, [(":method", method), (":scheme", "https" if self.alpn else "http"),
                                     (":path", path), (":authority", "localhost")], end_stream=True)
        self.streams[sid] = Stream()
        self.flush()
        return sid

    def get(self, path: str) -> Stream:
        """A whole plain response."""
        sid = self.request(path)
        assert self.pump_until(lambda: self.streams[sid].ended or self.streams[sid].reset is not None)
        return self.streams[sid]

    def settled(self) -> None:
        """Waits for the server's SETTINGS (extended CONNECT needs SETTINGS_ENABLE_CONNECT_PROTOCOL)."""
        assert self.pump_until(lambda: self.conn.remote_settings.enable_connect_protocol == 1)

    def connect_websocket(self, path: str, headers: list[tuple[str, str]] = (), extensions: list = ()) -> int:
        """Sends an extended CONNECT, offering `extensions` (wsproto's, e.g. PerMessageDeflate);
        returns the stream id (its answer arrives with `pump_until`)."""
        self.settled()
        offers = [extension.offer() for extension in extensions]
        offered = [("sec-websocket-extensions", ", ".join(
            extension.name + ("" if offer is True else f"; {offer}") for extension, offer in zip(extensions, offers)))]
        headers = [*headers, *(offered if extensions else [])]
        sid = self.conn.get_next_available_stream_id()
        self.conn.send_headers(sid, [(":method", "CONNECT"), (":protocol", "websocket"),
                                     (":scheme", "https" if self.alpn else "http"), (":path", path),
                                     (":authority", "localhost"), ("sec-websocket-version", "13"), *headers])
        self.streams[sid] = Stream(protocol=FrameProtocol(client=True, extensions=[]), offered=list(extensions))
        self.flush()
        return sid

    def opened(self, sid: int) -> Stream:
        """Waits for the answer to an extended CONNECT."""
        stream = self.streams[sid]
        assert self.pump_until(lambda: stream.status is not None or stream.reset is not None)
        return stream

    def send_text(self, sid: int, text: str) -> None:
        self.conn.send_data(sid, self.streams[sid].protocol.send_data(text, fin=True))
        self.flush()

    def send_binary(self, sid: int, data: bytes) -> None:
        self.conn.send_data(sid, self.streams[sid].protocol.send_data(data, fin=True))
        self.flush()

    def send_close(self, sid: int, code: int = 1000) -> None:
        self.conn.send_data(sid, self.streams[sid].protocol.close(code))
        self.flush()

    def end_stream(self, sid: int) -> None:
        self.conn.end_stream(sid)
        self.flush()

    def next_frame(self, sid: int, opcode: Opcode | None = None, timeout: float = WAIT):
        """The first WebSocket frame on `sid` (of `opcode`, if given) not taken yet; None on timeout."""
        stream = self.streams[sid]

        def find():
            for index, (kind, payload) in enumerate(stream.frames):
                if opcode is None or kind == opcode:
                    del stream.frames[: index + 1]
                    return kind, payload
            return None

        found = None

        def done():
            nonlocal found
            if found is None:
                found = find()
            return found is not None

        self.pump_until(done, timeout)
        return found

    def close(self) -> None:
        try:
            self.conn.close_connection()
            self.flush()
        except Exception:  # noqa: BLE001 - the server may already be gone
            pass
        self.sock.close()
