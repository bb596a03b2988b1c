"""A facilitator's two rooms over ONE HTTP/2 connection: the real `iop` (line mode,
`--http2 prior-knowledge`, h2c on loopback) against a real `iopd`; the server's
/metrics count one HTTP/2 connection carrying both rooms' WebSockets, and a crisis
alert from the room behind arrives. Binaries: $IOP_BIN, $IOPD_BIN, $IOPCTL_BIN.
Every wait is bounded."""

from __future__ import annotations

import re
import urllib.request

import pytest

from roomkit import RoomServer
from test_iop_kit import Iop

ROOMS = ("evening-process", "dbt-skills")


@pytest.fixture
def server(tmp_path):
    running = RoomServer(tmp_path / "data", "server.shutdownGraceSeconds=2")
    yield running
    assert running.stop() == 0


def metric(server: RoomServer, name: str) -> int:
    with urllib.request.urlopen(f"http://127.0.0.1:{server.port}/metrics", timeout=5) as response:
        text = response.read().decode()
    found = re.search(rf"^{name} (\d+)", text, re.MULTILINE)
    assert found, f"{name} not in /metrics"
    return int(found.group(1))


def test_two_rooms_share_one_h2c_connection_and_the_alert_behind_arrives(server, tmp_path):
    files = []
    for room in ROOMS:
        path = tmp_path / f"dana-{room}.token"
        path.write_text(server.token(room=room, role="facilitator", alias="Dana", member="dana"))
        files += ["--token-file", f"{room}={path}"]
    dana = Iop(server.url, ROOMS[0], None, ROOMS[1], "--http2", "prior-knowledge", *files)
    sky = None
    try:
        welcomed = {dana.expect("Welcome, Dana.").split("]")[0] for _ in ROOMS}  # in either order
        assert welcomed == {"[evening-process", "[dbt-skills"}
        assert metric(server, "iop_http2_connections_total") == 1
        assert metric(server, "iop_http2_websocket_streams_total") == 2
        sky = Iop(server.url, ROOMS[1], server.token(room=ROOMS[1], role="participant", alias="Sky", member="sky"))
        sky.expect("Type /accept")
        sky.send("/accept")
        sky.expect("waiting room")
        dana.expect("[dbt-skills] Waiting: Sky")  # Dana's client knows Sky is waiting before /admit names her
        dana.send("/room dbt-skills")
        dana.expect("[dbt-skills] * Now in dbt-skills")
        dana.send("/admit Sky")
        sky.expect("You are in the room")
        dana.send("/room 1")
        dana.expect("[evening-process] * Now in evening-process")
        sky.send("/crisis")
        line = dana.expect("CRISIS ALERT from Sky")
        assert line.startswith("[dbt-skills] "), line
        assert metric(server, "iop_http2_connections_total") == 1, "still the one connection"
        status, _, _ = dana.finish()
        assert status == 0
    finally:
        if sky is not None and sky.process.poll() is None:
            sky.finish()
        if dana.process.poll() is None:
            dana.finish()
