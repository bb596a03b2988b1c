"""Two real iopd nodes behind a real HAProxy running Config/haproxy.cfg (test_haproxy.py).

- `Cluster` starts two iopd processes (their own data folders, one shared signing
  secret, `server.trustedProxies=127.0.0.1`: HAProxy connects from there) and one
  HAProxy as the current user on loopback, with the committed Config/haproxy.cfg
  and test values for its environment variables (a free port, a dev certificate
  from Scripts/dev-cert, the nodes' ports). HAProxy's log goes to a file.
- `proxy_v2` encodes a PROXY protocol v2 header (haproxy doc/proxy-protocol.txt
  §2.2) for the tests that talk to a node directly.
- `admin`, `metric` read one node directly over HTTP from a chosen loopback source
  that is not the trusted proxy's (a direct connection from 127.0.0.1 must start
  with a PROXY header).

Every wait is bounded by a deadline; every loop by a count.
"""

from __future__ import annotations

import json
import os
import signal
import socket
import ssl
import struct
import subprocess
import time
from pathlib import Path

from attackkit import mint
from roomkit import ROOT, RoomServer

SECRET = b"haproxy-interop-test-secret-of-32-bytes-or-more"
PROXY = "127.0.0.1"  # where HAProxy's connections to the nodes come from
READER = "127.0.0.250"  # the tests' own direct reads of a node (admin API, metrics)
SIGNATURE = b"\r\n\r\n\x00\r\nQUIT\n"


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def proxy_v2(source: str, source_port: int, destination: str = "127.0.0.1", destination_port: int = 443,
             *, command: int = 1) -> bytes:
    """A PROXY protocol v2 header for TCP over IPv4 (LOCAL when `command` is 0)."""
    block = socket.inet_aton(source) + socket.inet_aton(destination) + struct.pack("!HH", source_port, destination_port)
    return SIGNATURE + bytes([0x20 | command, 0x11]) + struct.pack("!H", len(block)) + block


def token(*, room: str, role: str, alias: str, member: str) -> str:
    return mint(SECRET, room=room, role=role, alias=alias, member=member)


def operator() -> str:
    return mint(SECRET, room="*", role="operator", alias="Ops", member="op-1")


def http(port: int, method: str, path: str, *, source: str = READER, headers: dict | None = None,
         prefix: bytes = b"", timeout: float = 5) -> tuple[int, bytes]:
    """One plain HTTP/1.1 request to a node, directly; (status, body). `prefix` goes first (a PROXY header)."""
    lines = [f"{method} {path} HTTP/1.1", "Host: iopd", "Connection: close"]
    lines += [f"{name}: {value}" for name, value in (headers or {}).items()]
    with socket.create_connection(("127.0.0.1", port), timeout=timeout, source_address=(source, 0)) as sock:
        sock.sendall(prefix + ("\r\n".join(lines) + "\r\n\r\n").encode())
        data = b""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            chunk = sock.recv(65536)
            if not chunk:
                break
            data += chunk
    if not data:
        return 0, b""  # closed without an answer
    head, _, body = data.partition(b"\r\n\r\n")
    return int(head.split(b" ", 2)[1]), body


def admin(port: int, path: str, method: str = "GET") -> dict:
    status, body = http(port, method, path, headers={"Authorization": f"Bearer {operator()}"})
    assert status in (200, 202), f"admin {method} {path}: {status} {body[:200]!r}"
    return json.loads(body)


def present(port: int, room: str) -> int:
    """Members of `room` with an open connection on the node at `port` (its admin roster)."""
    return sum(1 for entry in admin(port, f"/v1/admin/rooms/{room}")["roster"] if "token_id" in entry)


def metric(port: int, name: str) -> float:
    """The value of one series (name with labels, as printed) in a node's /metrics; 0 if absent."""
    status, body = http(port, "GET", "/metrics")
    assert status == 200, status
    for line in body.decode().splitlines():
        if line.startswith(name + " "):
            return float(line.split()[-1])
    return 0.0


class Cluster:
    """`count` iopd nodes (two unless told) and HAProxy in front of them, on loopback."""

    def __init__(self, folder: Path, *node_settings: str, count: int = 2):
        self.folder = folder
        certs = folder / "certs"
        subprocess.run([str(ROOT / "Scripts" / "dev-cert"), str(certs)], check=True, timeout=60,
                       capture_output=True)
        self.ca = certs / "ca.pem"
        self.pem = folder / "haproxy.pem"  # HAProxy's crt: the chain, then the key
        self.pem.write_bytes((certs / "server.pem").read_bytes() + (certs / "server.key").read_bytes())
        self.nodes: list[RoomServer] = []
        self.haproxy: subprocess.Popen | None = None
        self.node_settings = (f"server.trustedProxies={PROXY}", f"auth.secret={SECRET.decode()}",
                              "server.shutdownGraceSeconds=2", *node_settings)
        try:
            for index in range(count):
                self.nodes.append(self._start_node(index, port=0))
            self.port = free_port()
            self.log_path = folder / "haproxy.log"
            self._log = open(self.log_path, "wb")
            environment = {**os.environ, "IOP_HAPROXY_BIND": f"127.0.0.1:{self.port}",
                           "IOP_HAPROXY_CERT": str(self.pem),
                           **{f"IOP_NODE{index + 1}": f"127.0.0.1:{node.port}" for index, node in enumerate(self.nodes)}}
            self.haproxy = subprocess.Popen(["haproxy", "-db", "-f", str(self._configuration(count))],
                                            stdout=self._log, stderr=subprocess.STDOUT, env=environment)
            self._wait_until_serving(deadline=time.monotonic() + 15)
        except BaseException:
            self.stop()
            raise

    def _configuration(self, count: int) -> Path:
        """Config/haproxy.cfg as it is for two nodes; for more, each further node gets the same
        two server lines as node2 (in `rooms` and in `any`), as Scripts/cluster does."""
        path = ROOT / "Config" / "haproxy.cfg"
        if count == 2:
            return path
        lines = []
        for line in path.read_text().splitlines():
            lines.append(line)
            for extra in range(3, count + 1):
                if line == '    server node2 "${IOP_NODE2}"':
                    lines.append(f'    server node{extra} "${{IOP_NODE{extra}}}"')
                elif line == '    server node2 "${IOP_NODE2}" track rooms/node2':
                    lines.append(f'    server node{extra} "${{IOP_NODE{extra}}}" track rooms/node{extra}')
        generated = self.folder / "haproxy.cfg"
        generated.write_text("\n".join(lines) + "\n")
        return generated

    def _start_node(self, index: int, port: int) -> RoomServer:
        log = self.folder / f"node{index + 1}-{time.monotonic_ns()}.log"
        # Each node its own id (nodes sharing a PostgreSQL database must differ; the default, host-port,
        # would be the same for two nodes started on port 0).
        return RoomServer(self.folder / f"node{index + 1}", *self.node_settings, f"server.nodeId=node{index + 1}",
                          output=log, port=port)

    def restart(self, index: int) -> None:
        """Starts node `index` again, on its port, after it was stopped."""
        assert self.nodes[index].process.poll() is not None, "the node still runs"
        self.nodes[index] = self._start_node(index, port=self.nodes[index].port)

    def context(self, alpn: list[str] | None = None) -> ssl.SSLContext:
        """A client TLS context that trusts the dev CA (HAProxy's certificate)."""
        context = ssl.create_default_context(cafile=str(self.ca))
        if alpn:
            context.set_alpn_protocols(alpn)
        return context

    def room_url(self, room: str) -> str:
        return f"wss://127.0.0.1:{self.port}/v1/rooms/{room}"

    def node_of(self, room: str) -> int:
        """The index of the running node whose admin roster shows members of `room` (exactly one must)."""
        counts = [present(node.port, room) if node.process.poll() is None else 0 for node in self.nodes]
        holders = [index for index, count in enumerate(counts) if count > 0]
        assert len(holders) == 1, f"{room}: members on nodes {counts}"
        return holders[0]

    def get(self, path: str, source: str = "127.0.0.20") -> int:
        """One plain GET through HAProxy (TLS, HTTP/1.1); the status."""
        with socket.create_connection(("127.0.0.1", self.port), timeout=5, source_address=(source, 0)) as raw, \
                self.context().wrap_socket(raw, server_hostname="localhost") as tls:
            tls.sendall(f"GET {path} HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n".encode())
            head = tls.recv(64)
        return int(head.split(b" ", 2)[1])

    def _wait_until_serving(self, deadline: float) -> None:
        """Until /livez answers 200 through HAProxy (TLS), bounded."""
        context = self.context()
        while time.monotonic() < deadline:
            assert self.haproxy.poll() is None, f"haproxy exited: {self.log_path.read_bytes()[-2000:]!r}"
            try:
                with socket.create_connection(("127.0.0.1", self.port), timeout=2) as raw, \
                        context.wrap_socket(raw, server_hostname="localhost") as tls:
                    tls.sendall(b"GET /livez HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n")
                    if tls.recv(64).startswith(b"HTTP/1.1 200"):
                        return
            except OSError:
                pass
            time.sleep(0.05)
        raise AssertionError(f"haproxy did not serve /livez: {self.log_path.read_bytes()[-2000:]!r}")

    def stop(self) -> list[int]:
        """HAProxy first (SIGTERM: hard stop), then the nodes; their exit statuses."""
        if self.haproxy is not None and self.haproxy.poll() is None:
            self.haproxy.send_signal(signal.SIGTERM)
            try:
                self.haproxy.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.haproxy.kill()
                self.haproxy.wait(timeout=5)
        if self.haproxy is not None:
            self._log.close()
        return [node.stop() for node in self.nodes]
