"""Tools for hostile clients of a real `iopd` on loopback (test_attack.py).

- `mint` signs a token with the test's own HS256 code (no iopctl), so a test can
  forge every header and claim: `alg`, `exp`, `nbf`, aliases no tool would issue.
- `Raw` is one TCP connection from a chosen loopback source address (127.0.0.N:
  each phase its own, so the per-address limits of one phase never touch the
  next, and the canary on 127.0.0.1 is never refused for what an attacker did).
  It speaks HTTP and WebSocket frames byte by byte, valid or not.
- `Memory` samples the server's resident set from /proc/PID/status.

Every wait here is bounded by `asyncio.wait_for` or a deadline; every loop by a count.
"""

from __future__ import annotations

import asyncio
import base64
import hashlib
import hmac
import itertools
import json
import socket
import struct
import threading
import time
import uuid
import zlib
from dataclasses import dataclass
from pathlib import Path

HOST = "127.0.0.1"
_sources = itertools.count(2)


def fresh_source() -> str:
    """A loopback source address no earlier attack used (127.0.0.2, .3, …, 127.0.1.0, …)."""
    n = next(_sources)
    assert n < 65536, "out of loopback source addresses"
    return f"127.0.{n // 256}.{n % 256}"


# -- tokens --------------------------------------------------------------------------


def b64url(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def mint(secret: bytes, *, room: str, role: str, alias: str, member: str, ttl: float = 3600,
         header: dict | None = None, **claims) -> str:
    """A compact JWT signed with HMAC-SHA256 under `secret`, whatever `header` says.
    `claims` override or add claims (`exp=1e300`, `nbf=…`)."""
    body = {"sub": member, "alias": alias, "role": role, "room": room,
            "exp": time.time() + ttl, "jti": str(uuid.uuid4()), **claims}
    head = header if header is not None else {"alg": "HS256", "typ": "JWT"}
    signing_input = f"{b64url(json.dumps(head).encode())}.{b64url(json.dumps(body).encode())}"
    signature = hmac.new(secret, signing_input.encode(), hashlib.sha256).digest()
    return f"{signing_input}.{b64url(signature)}"


# -- frames --------------------------------------------------------------------------

ZERO_KEY = b"\0\0\0\0"  # a valid masking key that leaves the payload as it is: cheap megabytes


def frame(opcode: int, payload: bytes = b"", *, fin: bool = True, rsv: int = 0, masked: bool = True,
          key: bytes = ZERO_KEY, announce: int | None = None, long_form: bool = False) -> bytes:
    """One client frame. `announce` states a payload length other than the bytes given (the
    caller trickles the rest, or never sends it); `long_form` encodes a short length in 64
    bits (not minimal: a protocol error); `rsv` is the three RSV bits (4 = RSV1)."""
    length = len(payload) if announce is None else announce
    head = bytes([(0x80 if fin else 0) | (rsv << 4) | opcode])
    mask_bit = 0x80 if masked else 0
    if length < 126 and not long_form:
        head += bytes([mask_bit | length])
    elif length < 65536 and not long_form:
        head += bytes([mask_bit | 126]) + struct.pack("!H", length)
    else:
        head += bytes([mask_bit | 127]) + struct.pack("!Q", length)
    if not masked:
        return head + payload
    if key != ZERO_KEY:
        whole = (key * (len(payload) // 4 + 1))[: len(payload)]
        payload = (int.from_bytes(payload, "big") ^ int.from_bytes(whole, "big")).to_bytes(len(payload), "big")
    return head + key + payload


def close_frame(code: int, reason: bytes = b"") -> bytes:
    return frame(0x8, struct.pack("!H", code) + reason)


def deflated(data: bytes) -> bytes:
    """`data` as one permessage-deflate message body (RFC 7692 §7.2.1: raw deflate,
    sync-flushed, without the trailing 00 00 ff ff)."""
    compressor = zlib.compressobj(9, zlib.DEFLATED, -15)
    body = compressor.compress(data) + compressor.flush(zlib.Z_SYNC_FLUSH)
    assert body.endswith(b"\0\0\xff\xff")
    return body[:-4]


def upgrade_request(path: str, *, token: str | None = None, extra: str = "") -> bytes:
    auth = f"Authorization: Bearer {token}\r\n" if token is not None else ""
    return (f"GET {path} HTTP/1.1\r\nHost: {HOST}\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
            f"Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n"
            f"{auth}{extra}\r\n").encode()


@dataclass
class Response:
    status: int
    head: str
    body: bytes

    @property
    def code(self) -> str:
        """The machine code of a refusal body `code: sentence`."""
        return self.body.decode(errors="replace").split(":", 1)[0].strip()


class Raw:
    """One TCP connection to iopd from a chosen loopback source address."""

    def __init__(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter):
        self.reader = reader
        self.writer = writer

    @classmethod
    async def open(cls, port: int, source: str, *, rcvbuf: int | None = None) -> "Raw":
        sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        if rcvbuf is not None:  # before connect, so the window stays small (a client that never reads)
            sock.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, rcvbuf)
        sock.setblocking(False)
        sock.bind((source, 0))
        await asyncio.wait_for(asyncio.get_running_loop().sock_connect(sock, (HOST, port)), 5)
        reader, writer = await asyncio.open_connection(sock=sock, limit=2**20)
        return cls(reader, writer)

    async def send(self, data: bytes, timeout: float = 5) -> bool:
        """Writes `data`; False when the server stops taking it (closed, or no room within `timeout`)."""
        try:
            self.writer.write(data)
            await asyncio.wait_for(self.writer.drain(), timeout)
            return True
        except (OSError, asyncio.TimeoutError):
            return False

    async def response(self, timeout: float = 5) -> Response | None:
        """The HTTP response head (and, after a refusal, the body up to EOF); None if the
        server closed without answering or said nothing within `timeout`."""
        try:
            head = await asyncio.wait_for(self.reader.readuntil(b"\r\n\r\n"), timeout)
        except (asyncio.IncompleteReadError, asyncio.TimeoutError, asyncio.LimitOverrunError, OSError):
            return None
        text = head.decode(errors="replace")
        try:
            status = int(text.split(" ", 2)[1])
        except (IndexError, ValueError):
            status = 0  # not HTTP: the caller's expectation fails on it
        body = b""
        if status != 101:
            try:
                body = await asyncio.wait_for(self.reader.read(65536), timeout)
            except (asyncio.TimeoutError, OSError):
                pass
        return Response(status, text, body)

    async def closed_silently(self, timeout: float) -> bool:
        """True when the server closes the connection within `timeout` without sending a byte."""
        try:
            data = await asyncio.wait_for(self.reader.read(1), timeout)
        except asyncio.TimeoutError:
            return False
        except OSError:
            return True
        return data == b""

    async def close_code(self, timeout: float = 5, skip_limit: int = 128 * 2**20) -> int | str:
        """Reads server frames (skipping data and pongs, at most `skip_limit` bytes) up to the
        close frame: its code; `eof` if the connection ended without one; `open` if neither
        came within `timeout` (or within `skip_limit` bytes)."""
        deadline = time.monotonic() + timeout
        skipped = 0
        try:
            while skipped <= skip_limit and time.monotonic() < deadline:
                left = max(0.01, deadline - time.monotonic())
                head = await asyncio.wait_for(self.reader.readexactly(2), left)
                length = head[1] & 0x7F
                if length == 126:
                    length = struct.unpack("!H", await self.reader.readexactly(2))[0]
                elif length == 127:
                    length = struct.unpack("!Q", await self.reader.readexactly(8))[0]
                if head[0] & 0x0F == 0x8:
                    payload = await asyncio.wait_for(self.reader.readexactly(length), left)
                    return struct.unpack("!H", payload[:2])[0] if len(payload) >= 2 else 1005
                while length > 0:
                    chunk = await asyncio.wait_for(self.reader.read(min(length, 2**20)), left)
                    if not chunk:
                        return "eof"
                    length -= len(chunk)
                    skipped += len(chunk)
        except asyncio.TimeoutError:
            return "open"
        except (asyncio.IncompleteReadError, OSError):
            return "eof"
        return "open"

    def abort(self) -> None:
        self.writer.transport.abort()


async def http(port: int, source: str, request: bytes, timeout: float = 5) -> Response | None:
    """One request on its own connection; the response, or None if closed unanswered
    (or refused before the connection was accepted). The body is read to EOF (up to 1 MiB)."""
    try:
        raw = await Raw.open(port, source)
    except (OSError, asyncio.TimeoutError):
        return None
    try:
        await raw.send(request)
        answer = await raw.response(timeout)
        if answer is not None and answer.status != 101:
            try:
                while len(answer.body) < 2**20 and (more := await asyncio.wait_for(raw.reader.read(65536), timeout)):
                    answer.body += more
            except (asyncio.TimeoutError, OSError):
                pass
        return answer
    finally:
        raw.abort()


async def metrics(port: int, source: str) -> dict[str, float]:
    """The server's /metrics as `{"name{labels}": value}` (Prometheus text format)."""
    answer = await http(port, source, b"GET /metrics HTTP/1.1\r\nHost: a\r\n\r\n")
    assert answer is not None and answer.status == 200, f"/metrics: {answer}"
    values = {}
    for line in answer.body.decode().splitlines():
        if line and not line.startswith("#"):
            name, _, value = line.rpartition(" ")
            values[name] = float(value)
    return values


async def websocket(port: int, source: str, path: str, *, token: str | None = None,
                    rcvbuf: int | None = None, extra: str = "") -> Raw | None:
    """A raw connection upgraded to a WebSocket; None when refused with 503 (the server
    is at its memory budget or a connection limit: documented), asserting anything else."""
    raw = await Raw.open(port, source, rcvbuf=rcvbuf)
    await raw.send(upgrade_request(path, token=token, extra=extra))
    answer = await raw.response()
    if answer is not None and answer.status == 503:
        raw.abort()
        return None
    assert answer is not None and answer.status == 101, f"upgrade to {path} refused: {answer}"
    return raw


async def websockets_open(count: int, port: int, source: str, path: str, **options) -> tuple[list[Raw], int]:
    """`count` WebSockets opened at once: those upgraded, and how many were refused with 503."""
    opened = await asyncio.gather(*(websocket(port, source, path, **options) for _ in range(count)))
    conns = [raw for raw in opened if raw is not None]
    return conns, count - len(conns)


# -- the server's memory -------------------------------------------------------------


def status_kib(pid: int, field: str) -> int:
    """A `kB` field of /proc/PID/status (VmRSS, VmHWM)."""
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith(field + ":"):
            return int(line.split()[1])
    raise AssertionError(f"/proc/{pid}/status has no {field}")


class Memory:
    """Samples the server's VmRSS every `interval` seconds in a thread, for the report;
    the assertions use VmHWM (the kernel's own peak), which no sampling can miss."""

    def __init__(self, pid: int, interval: float = 0.02):
        self.pid = pid
        self.interval = interval
        self.samples: list[tuple[float, int]] = []  # (monotonic time, kB)
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name="rss", daemon=True)
        self._thread.start()

    def _run(self) -> None:
        while not self._stop.wait(self.interval):
            try:
                self.samples.append((time.monotonic(), status_kib(self.pid, "VmRSS")))
            except (OSError, AssertionError):
                return  # the process is gone: the phase's liveness check says so

    def peak_kib(self, start: float, end: float) -> int:
        return max((kib for t, kib in self.samples if start <= t <= end), default=0)

    def stop(self) -> None:
        self._stop.set()
        self._thread.join(timeout=2)
