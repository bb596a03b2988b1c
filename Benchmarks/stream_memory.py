"""What an idle WebSocket costs iopd in resident memory, over HTTP/2 and over
HTTP/1.1, with no room around it (/echo): the issue-20 split of a room stream's
memory into its transport's part and its member's part.

  h2 PORT PID CONNECTIONS STREAMS  h2c connections (SETTINGS exchanged, no stream)
                                   measured, then STREAMS extended CONNECTs to
                                   /echo on each, measured again
  h1 PORT PID CONNECTIONS          HTTP/1.1 upgrades to /echo, measured

RSS is read from /proc/PID/status before and after, one second after the last
answer. Run against a fresh iopd each time (freed heap is reused). Every wait
is bounded; the peer is the independent `h2` library.
"""

import base64
import os
import socket
import sys
import time

import h2.config
import h2.connection
import h2.events

WAIT = 10.0


def rss_kib(pid: int) -> int:
    with open(f"/proc/{pid}/status") as status:
        return next(int(line.split()[1]) for line in status if line.startswith("VmRSS:"))


def pump(sock, conn, done) -> None:
    """Reads and answers until done() or WAIT seconds."""
    deadline = time.monotonic() + WAIT
    while not done() and time.monotonic() < deadline:
        sock.sendall(conn.data_to_send())
        try:
            data = sock.recv(65536)
        except socket.timeout:
            continue
        if not data:
            raise SystemExit("iopd closed a connection")
        for event in conn.receive_data(data):
            pump.answers += isinstance(event, h2.events.ResponseReceived)
            pump.settings += isinstance(event, h2.events.RemoteSettingsChanged)
    sock.sendall(conn.data_to_send())
    if not done():
        raise SystemExit("no answer within the wait")


pump.answers = 0
pump.settings = 0


def over_http2(port: int, pid: int, connections: int, streams: int) -> None:
    start = rss_kib(pid)
    links = []
    for _ in range(connections):
        sock = socket.create_connection(("127.0.0.1", port), timeout=WAIT)
        sock.settimeout(0.2)
        conn = h2.connection.H2Connection(h2.config.H2Configuration(client_side=True, header_encoding="utf-8"))
        conn.initiate_connection()
        seen = pump.settings
        pump(sock, conn, lambda: pump.settings > seen)
        links.append((sock, conn))
    time.sleep(1)
    connected = rss_kib(pid)
    for sock, conn in links:
        answered = pump.answers
        for _ in range(streams):
            conn.send_headers(conn.get_next_available_stream_id(), [
                (":method", "CONNECT"), (":protocol", "websocket"), (":scheme", "http"), (":path", "/echo"),
                (":authority", f"127.0.0.1:{port}"), ("sec-websocket-version", "13")])
        pump(sock, conn, lambda: pump.answers >= answered + streams)
    time.sleep(1)
    opened = rss_kib(pid)
    print(f"h2c: {connections} connections, {connections * streams} idle /echo streams: "
          f"{(connected - start) / connections:.2f} KiB per connection, "
          f"{(opened - connected) / (connections * streams):.2f} KiB per stream on top")


def over_http11(port: int, pid: int, connections: int) -> None:
    start = rss_kib(pid)
    socks = []
    for _ in range(connections):
        sock = socket.create_connection(("127.0.0.1", port), timeout=WAIT)
        key = base64.b64encode(os.urandom(16)).decode()
        sock.sendall(f"GET /echo HTTP/1.1\r\nHost: 127.0.0.1\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                     f"Sec-WebSocket-Key: {key}\r\nSec-WebSocket-Version: 13\r\n\r\n".encode())
        socks.append(sock)
    for sock in socks:
        if b" 101 " not in sock.recv(4096):
            raise SystemExit("an upgrade was refused")
    time.sleep(1)
    print(f"HTTP/1.1: {connections} idle /echo connections: {(rss_kib(pid) - start) / connections:.2f} KiB each")


if __name__ == "__main__":
    mode, port, pid = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
    if mode == "h2":
        over_http2(port, pid, int(sys.argv[4]), int(sys.argv[5]))
    else:
        over_http11(port, pid, int(sys.argv[4]))
