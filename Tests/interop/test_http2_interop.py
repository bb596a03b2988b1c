"""HTTP/2 and WebSockets over HTTP/2 (RFC 8441): the independent `h2` library
(with `wsproto` frames) against a real iopd, over h2c from loopback and over
TLS with ALPN h2. Plain routes, extended CONNECT to /echo and to rooms (several
on one connection), a refusal with its HTTP/1.1 status and body, the close
mapping, and a stream whose window stays closed dropped while another on the
same connection keeps working. Every wait is bounded.
"""

import socket
import ssl
import subprocess

import pytest
from wsproto.extensions import PerMessageDeflate
from wsproto.frame_protocol import Opcode

import roomkit
from conftest import ROOT, Server
from h2client import H2Client
from test_tls_interop import TLSServer

CANCEL = 0x8


@pytest.fixture(scope="module")
def certs(tmp_path_factory):
    folder = tmp_path_factory.mktemp("dev-cert-h2")
    subprocess.run([str(ROOT / "Scripts" / "dev-cert"), str(folder)], check=True, timeout=60,
                   stdout=subprocess.DEVNULL)
    return folder


def plain_http11(port: int, path: str, headers: str = "") -> bytes:
    """The whole HTTP/1.1 answer to a GET (the server closes after it)."""
    with socket.create_connection(("127.0.0.1", port), timeout=10) as sock:
        sock.sendall(f"GET {path} HTTP/1.1\r\nHost: localhost\r\n{headers}\r\n".encode())
        answer = b""
        while chunk := sock.recv(65536):
            answer += chunk
    return answer


def test_plain_routes_over_h2c(server):
    client = H2Client(server.port)
    try:
        livez = client.get("/livez")
        assert (livez.status, livez.body) == (200, b"ok\n")
        metrics = client.get("/metrics")
        assert metrics.status == 200
        assert metrics.headers["content-type"].startswith("text/plain")
        assert b"iop_http2_connections_total 1" in metrics.body
        assert client.get("/nope").status == 404
        assert "connection" not in livez.headers
    finally:
        client.close()


def test_plain_routes_over_tls_with_alpn_h2(certs):
    tls = TLSServer(str(certs / "server.pem"), str(certs / "server.key"))
    try:
        client = H2Client(tls.port, ssl.create_default_context(cafile=str(certs / "ca.pem")))
        assert client.alpn == "h2"
        try:
            assert (client.get("/livez").status, client.get("/livez").body) == (200, b"ok\n")
            assert b"iop_http2_streams_total" in client.get("/metrics").body
        finally:
            client.close()
    finally:
        assert tls.stop() == 0


def test_http2_off_offers_http11_only_in_alpn(certs):
    tls = TLSServer(str(certs / "server.pem"), str(certs / "server.key"), "--set", "http2.enabled=false")
    try:
        context = ssl.create_default_context(cafile=str(certs / "ca.pem"))
        context.set_alpn_protocols(["h2", "http/1.1"])
        with context.wrap_socket(socket.create_connection(("127.0.0.1", tls.port), timeout=10),
                                 server_hostname="localhost") as sock:
            assert sock.selected_alpn_protocol() == "http/1.1"
    finally:
        assert tls.stop() == 0


def test_echo_over_extended_connect_and_the_close_mapping(server):
    client = H2Client(server.port)
    try:
        sid = client.connect_websocket("/echo")
        opened = client.opened(sid)
        assert opened.status == 200 and "sec-websocket-accept" not in opened.headers
        client.send_text(sid, "héllo over h2 ☃")
        assert client.next_frame(sid) == (Opcode.TEXT, "héllo over h2 ☃")
        client.send_binary(sid, bytes(range(256)) * 40)
        assert client.next_frame(sid) == (Opcode.BINARY, bytes(range(256)) * 40)
        # RFC 8441 §5: the close handshake inside the stream, then END_STREAM.
        client.send_close(sid, 1000)
        kind, _ = client.next_frame(sid)
        assert kind == Opcode.CLOSE
        assert client.pump_until(lambda: client.streams[sid].ended)
        assert client.streams[sid].reset is None
        client.end_stream(sid)
        assert client.get("/livez").status == 200  # the connection goes on
    finally:
        client.close()


def test_permessage_deflate_inside_an_http2_stream():
    """RFC 7692 over RFC 8441: offered in the extended CONNECT, agreed in the 200,
    and the echo comes back compressed (fewer DATA bytes than the text) and whole."""
    server = Server("--set", "server.compression=true")
    client = H2Client(server.port)
    try:
        sid = client.connect_websocket("/echo", extensions=[PerMessageDeflate()])
        opened = client.opened(sid)
        assert opened.status == 200
        assert opened.headers["sec-websocket-extensions"].startswith("permessage-deflate")
        text = "breathe in for four, hold for four, out for four. " * 40
        client.send_text(sid, text)
        assert client.next_frame(sid) == (Opcode.TEXT, text)
        assert client.streams[sid].data_bytes < len(text) // 4, "the echo crossed the wire compressed"
        client.send_close(sid, 1000)
        assert client.next_frame(sid, Opcode.CLOSE) is not None
    finally:
        client.close()
        assert server.stop() == 0


def test_rooms_over_one_connection_and_a_refusal_like_http11(servers, tmp_path):
    rooms = roomkit.start(servers, tmp_path / "data")
    tokens = {room: rooms.token(room=room, role="facilitator", alias="Dana", member=f"f-{room}")
              for room in ("evening-process", "dbt-skills", "family-session")}
    client = H2Client(rooms.port)
    try:
        streams = {room: client.connect_websocket(f"/v1/rooms/{room}", [("authorization", f"Bearer {token}")])
                   for room, token in tokens.items()}
        for room, sid in streams.items():
            assert client.opened(sid).status == 200, room
            kind, text = client.next_frame(sid, Opcode.TEXT)
            assert '"type":"welcome"' in text and f'"room":"{room}"' in text
        # A bad token: the same status and body as over HTTP/1.1.
        bad = client.connect_websocket("/v1/rooms/evening-process", [("authorization", "Bearer not.a.token")])
        refused = client.opened(bad)
        assert client.pump_until(lambda: refused.ended)
        http11 = plain_http11(rooms.port, "/v1/rooms/evening-process",
                              "Upgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Version: 13\r\n"
                              "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nAuthorization: Bearer not.a.token\r\n")
        status_line, _, rest = http11.partition(b"\r\n")
        assert status_line.split()[1] == str(refused.status).encode() and refused.status == 401
        assert rest.split(b"\r\n\r\n", 1)[1] == refused.body
        # The rooms on the connection are still there.
        for room, sid in streams.items():
            client.send_text(sid, '{"v":1,"id":"c1","type":"ping"}')
            assert client.next_frame(sid, Opcode.TEXT) is not None, room
    finally:
        client.close()


def test_a_stream_whose_window_stays_closed_is_dropped_while_another_works():
    server = Server("--set", "limits.maxQueuedBytes=16384", "--set", "timeouts.closeSeconds=1")
    client = H2Client(server.port, window=4096)
    try:
        stalled = client.connect_websocket("/echo")
        live = client.connect_websocket("/echo")
        assert client.opened(stalled).status == 200 and client.opened(live).status == 200
        client.paused.add(stalled)
        for _ in range(6):
            client.send_binary(stalled, b"\x07" * 8192)  # 48 KiB of echo into a 4 KiB window never reopened
        client.send_text(live, "still here")
        assert client.next_frame(live, Opcode.TEXT) == (Opcode.TEXT, "still here")
        assert client.pump_until(lambda: client.streams[stalled].reset is not None)
        assert client.streams[stalled].reset == CANCEL
        client.send_text(live, "after")
        assert client.next_frame(live, Opcode.TEXT) == (Opcode.TEXT, "after")
        assert client.streams[live].reset is None
    finally:
        client.close()
        assert server.stop() == 0
