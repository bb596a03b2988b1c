"""The signing secret and `iopctl token issue` as an operator meets them (issue 18,
items 7 and 11): a tool never makes a secret, a lifetime has a maximum, a damaged or
too-open secret and an unknown setting stop iopd at start with a message naming them.
Every subprocess is bounded by a timeout."""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import os
import socket
import subprocess
import time
import uuid
from pathlib import Path

from roomkit import RoomServer, binary


def clean_environment(**extra: str) -> dict[str, str]:
    """The test's environment without settings of its own (IOPD_AUTH_SECRET and the like)."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("IOPD_")}
    env.update(extra)
    return env


def issue(cwd: Path, *args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess:
    return subprocess.run(
        [binary("iopctl"), "token", "issue", "--room", "evening-process", "--role", "participant",
         "--alias", "Sam", *args],
        capture_output=True, timeout=30, cwd=cwd, env=env or clean_environment())


def iopd(cwd: Path, *args: str) -> subprocess.CompletedProcess:
    """iopd that must refuse to start (bounded: it would otherwise listen)."""
    return subprocess.run([binary("iopd"), "--port", "0", *args], capture_output=True, timeout=30, cwd=cwd,
                          env=clean_environment())


def write_secret(folder: Path, data: bytes, mode: int = 0o600) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    secret = folder / "signing-secret"
    secret.write_bytes(data)
    secret.chmod(mode)
    return secret


def test_token_issue_never_creates_a_secret_and_says_where_it_looked(tmp_path):
    result = issue(tmp_path)
    assert result.returncode != 0 and result.stdout == b""
    message = result.stderr.decode()
    assert str(tmp_path / "data" / "signing-secret") in message, message
    assert "--data-dir" in message and "IOPD_SERVER_DATA_DIRECTORY" in message, message
    assert not (tmp_path / "data").exists()
    elsewhere = tmp_path / "server-data"
    write_secret(elsewhere, os.urandom(32))
    by_flag = issue(tmp_path, "--data-dir", str(elsewhere))
    assert by_flag.returncode == 0 and by_flag.stdout.count(b".") == 2, by_flag.stderr
    by_environment = issue(tmp_path, env=clean_environment(IOPD_SERVER_DATA_DIRECTORY=str(elsewhere)))
    assert by_environment.returncode == 0 and by_environment.stdout.count(b".") == 2, by_environment.stderr


def test_token_issue_bounds_the_lifetime(tmp_path):
    write_secret(tmp_path / "data", os.urandom(32))
    for ttl in ("1e20s", "25h", "2d", "inf"):
        result = issue(tmp_path, "--ttl", ttl)
        assert result.returncode != 0 and result.stdout == b"", (ttl, result.stdout)
    assert b"at most 24h" in issue(tmp_path, "--ttl", "25h").stderr
    assert issue(tmp_path, "--ttl", "24h").returncode == 0
    operator = subprocess.run(
        [binary("iopctl"), "token", "issue", "--role", "operator", "--alias", "Olu", "--ttl", "13h"],
        capture_output=True, timeout=30, cwd=tmp_path, env=clean_environment())
    assert operator.returncode != 0 and b"at most 12h" in operator.stderr, operator.stderr


def test_iopd_refuses_a_truncated_or_open_secret_and_keeps_it(tmp_path):
    data = tmp_path / "data"
    secret = write_secret(data, b"short")
    result = iopd(tmp_path, "--set", f"server.dataDirectory={data}")
    assert result.returncode == 64, result.stderr
    assert str(secret) in result.stderr.decode() and "5 bytes" in result.stderr.decode(), result.stderr
    assert secret.read_bytes() == b"short"
    write_secret(data, os.urandom(32), mode=0o644)
    result = iopd(tmp_path, "--set", f"server.dataDirectory={data}")
    assert result.returncode == 64 and "mode 644" in result.stderr.decode(), result.stderr


def test_iopd_refuses_unknown_keys_and_bad_values_naming_them(tmp_path):
    cases = {
        "no.such.key=1": "unknown setting no.such.key",
        "limits.maxConection=5": "did you mean limits.maxConnections?",
        "limits.maxConnections=abc": "setting limits.maxConnections must be a whole number",
        "server.compression=maybe": "setting server.compression must be true or false",
        "rooms.idleLogoffMinutes=45m": "setting rooms.idleLogoffMinutes must be a number",
    }
    for setting, expected in cases.items():
        result = iopd(tmp_path, "--set", setting, "--set", f"server.dataDirectory={tmp_path / 'data'}")
        assert result.returncode == 64 and expected in result.stderr.decode(), (setting, result.stderr)
    config = tmp_path / "iopd.yaml"
    config.write_text("limits:\n  maxConnection: 100\n")
    result = iopd(tmp_path, "--config", str(config))
    assert result.returncode == 64, result.stderr
    assert f"unknown setting limits.maxConnection in {config}" in result.stderr.decode(), result.stderr


def mint(secret: bytes, claims: dict, header: dict | None = None) -> str:
    """A token made as docs/OPERATIONS.md ("Minting tokens") tells a clinic to make one."""
    def b64(data: bytes) -> str:
        return base64.urlsafe_b64encode(data).rstrip(b"=").decode()
    head = json.dumps(header or {"alg": "HS256", "typ": "JWT"}).encode()
    signing_input = f"{b64(head)}.{b64(json.dumps(claims).encode())}"
    return f"{signing_input}.{b64(hmac.new(secret, signing_input.encode(), hashlib.sha256).digest())}"


def upgrade_status(port: int, token: str) -> str:
    """The status line and body of a room upgrade with `token` (raw HTTP, bounded)."""
    with socket.create_connection(("127.0.0.1", port), timeout=10) as connection:
        connection.sendall(
            ("GET /v1/rooms/evening-process HTTP/1.1\r\nHost: 127.0.0.1\r\nUpgrade: websocket\r\n"
             "Connection: Upgrade\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n"
             f"Sec-WebSocket-Version: 13\r\nAuthorization: Bearer {token}\r\n\r\n").encode())
        reply = connection.recv(4096).decode(errors="replace")
    head, _, body = reply.partition("\r\n\r\n")
    return head.split("\r\n")[0] + " " + body.strip()


def test_a_token_minted_as_documented_is_taken_and_its_checks_hold(tmp_path):
    server = RoomServer(tmp_path / "data")
    try:
        secret = (tmp_path / "data" / "signing-secret").read_bytes()
        now = int(time.time())
        claims = {"sub": "m-7f3c2a", "alias": "Sam", "role": "participant", "room": "evening-process",
                  "iat": now, "exp": now + 4 * 3600, "jti": str(uuid.uuid4())}
        assert upgrade_status(server.port, mint(secret, claims)).startswith("HTTP/1.1 101")
        refused = {
            "wrong_algorithm": mint(secret, claims, header={"alg": "none", "typ": "JWT"}),
            "token_lifetime_too_long": mint(secret, {**{k: v for k, v in claims.items() if k != "iat"},
                                                      "exp": 1e300}),
            "token_not_yet_valid": mint(secret, {**claims, "nbf": now + 3600}),
        }
        for code, token in refused.items():
            answer = upgrade_status(server.port, token)
            assert answer.startswith("HTTP/1.1 401") and f" {code}:" in answer, (code, answer)
    finally:
        server.stop()
