"""nghttp2's own command-line client and load tool (Debian `nghttp2-client`: `nghttp`,
`h2load`) against a real iopd: the plain routes over h2c (prior knowledge, from
loopback) and over TLS with ALPN h2 (dev certificates from Scripts/dev-cert); the
server's SETTINGS as nghttp prints them, ENABLE_CONNECT_PROTOCOL=1 among them
(RFC 8441 §3). Every run is bounded by a timeout.
"""

import re
import shutil
import subprocess

import pytest

# The TLS tests' iopd and its dev certificates (fixtures, used by name).
from test_tls_interop import certs, tls_server  # noqa: F401

TIMEOUT = 20
ROUTES = [  # (path, status, what the body holds)
    ("/livez", 200, b"ok\n"),
    ("/readyz", 200, b"ready\n"),
    ("/metrics", 200, b"iop_http2_connections_total"),
]

pytestmark = pytest.mark.skipif(shutil.which("nghttp") is None or shutil.which("h2load") is None,
                                reason="nghttp2-client (nghttp, h2load) is not installed; Scripts/test installs it")


def nghttp(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run(["nghttp", *args], capture_output=True, timeout=TIMEOUT)


def fetch(url: str) -> tuple[int | None, bytes, str]:
    """nghttp's answer to GET `url`: the status (from -v), the body (stdout without -v), the -v log."""
    verbose = nghttp("-v", "-n", url)
    log = verbose.stdout.decode(errors="replace")
    status = re.search(r"recv \(stream_id=\d+\) :status: (\d+)", log)
    body = nghttp(url)
    assert verbose.returncode == 0 and body.returncode == 0, f"nghttp {url}: {log[-1500:]} {body.stderr!r}"
    return (int(status.group(1)) if status else None), body.stdout, log


def server_settings(log: str) -> dict[str, int]:
    """The SETTINGS of the server's first SETTINGS frame, as nghttp -v prints them."""
    block = log.split("recv SETTINGS frame", 1)[1].split("recv ", 1)[0].split("send ", 1)[0]
    return {name: int(value) for name, value in re.findall(r"\[(SETTINGS_\w+)\(0x[0-9a-f]+\):(\d+)\]", block)}


def check_routes(base: str) -> str:
    log = ""
    for path, expected_status, expected_body in ROUTES:
        status, body, log = fetch(base + path)
        assert status == expected_status, f"{path}: status {status}"
        assert body.startswith(expected_body) or expected_body in body, f"{path}: body {body[:200]!r}"
    return log


def test_nghttp_fetches_the_plain_routes_over_h2c(server):
    log = check_routes(f"http://127.0.0.1:{server.port}")
    settings = server_settings(log)
    assert settings.get("SETTINGS_ENABLE_CONNECT_PROTOCOL") == 1, log[:2000]
    assert settings.get("SETTINGS_MAX_CONCURRENT_STREAMS") == 100
    assert settings.get("SETTINGS_MAX_HEADER_LIST_SIZE") == 16384


def test_nghttp_fetches_the_plain_routes_over_tls_with_alpn_h2(tls_server):
    log = check_routes(f"https://localhost:{tls_server.port}")
    assert "The negotiated protocol: h2" in log, log[:2000]
    assert server_settings(log).get("SETTINGS_ENABLE_CONNECT_PROTOCOL") == 1


def test_nghttp_sees_a_websocket_route_refused_as_over_http11(server):
    """A plain GET to /echo over h2 gets the HTTP/1.1 answer's twin: 426 with its body."""
    status, body, _ = fetch(f"http://127.0.0.1:{server.port}/echo")
    assert status == 426
    assert body == b"WebSocket endpoint: use extended CONNECT (RFC 8441)\n"


def h2load(url: str) -> str:
    """200 requests on 4 connections, 10 streams at once each: h2load's report, every one 2xx."""
    result = subprocess.run(["h2load", "-n", "200", "-c", "4", "-m", "10", url], capture_output=True, timeout=TIMEOUT)
    output = result.stdout.decode(errors="replace")
    assert result.returncode == 0, output[-1500:]
    assert "requests: 200 total, 200 started, 200 done, 200 succeeded, 0 failed, 0 errored" in output, output
    assert "status codes: 200 2xx" in output, output
    return output


def test_h2load_livez_over_h2c(server):
    h2load(f"http://127.0.0.1:{server.port}/livez")


def test_h2load_livez_over_tls_with_alpn_h2(tls_server):
    assert "Application protocol: h2" in h2load(f"https://localhost:{tls_server.port}/livez")
