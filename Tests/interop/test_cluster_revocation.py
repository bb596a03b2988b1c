"""Revocations everywhere at once: two real iopd nodes on one PostgreSQL
database (the throwaway server Scripts/test starts), one signing secret. A
member is connected to node B; the token is revoked through node A's admin
API; node B closes the member's connection with 4006 (`revoked`) within one
second of the request (PostgreSQL LISTEN/NOTIFY), and a new upgrade with
that token is refused with 403 `revoked_token` by both nodes. Every wait is
bounded; the time is measured, never slept."""

from __future__ import annotations

import asyncio
import json
import time
import urllib.request

import pytest
import websockets

from roomkit import Member, RoomServer, run
from test_admin import issue
from test_records_postgresql import database, psql  # noqa: F401 (the fixture)

ROOM = "evening-process"
SECRET = "interop-cluster-secret-0123456789abcdef"


def revoke(server: RoomServer, operator_token: str, token_id: str) -> dict:
    request = urllib.request.Request(
        f"http://127.0.0.1:{server.port}/v1/admin/tokens/{token_id}/revoke", method="POST", data=b"",
        headers={"Authorization": f"Bearer {operator_token}"})
    with urllib.request.urlopen(request, timeout=10) as response:
        assert response.status == 200
        return json.loads(response.read())


def wait_until(what: str, condition, seconds: float = 10) -> None:
    deadline = time.monotonic() + seconds
    while not condition():
        assert time.monotonic() < deadline, f"timed out waiting: {what}"
        time.sleep(0.05)


def listeners(url: str) -> int:
    return int(psql(url, "SELECT count(*) FROM pg_stat_activity "
                         "WHERE datname = current_database() AND application_name = 'iopd-changes'"))


def test_a_revoke_on_node_a_closes_the_connection_on_node_b_within_a_second(
        servers, tmp_path, database, monkeypatch):  # noqa: F811
    monkeypatch.setenv("IOPD_RECORDS_BACKEND", "postgresql")
    monkeypatch.setenv("IOPD_RECORDS_POSTGRESQL_URL", database)
    monkeypatch.setenv("IOPD_AUTH_SECRET", SECRET)
    node_a = RoomServer(tmp_path / "a", "server.nodeId=node-a")
    node_b = RoomServer(tmp_path / "b", "server.nodeId=node-b")
    servers.extend([node_a, node_b])
    wait_until("both nodes listen for revocations", lambda: listeners(database) == 2)
    member_token, token_id = issue(node_a.data_dir, "--room", ROOM, "--role", "participant", "--alias", "Kai",
                                   "--member", "mem-kai")
    operator_token = issue(node_a.data_dir, "--role", "operator", "--alias", "Ops", "--member", "op-1")[0]

    async def scenario() -> float:
        member = Member(node_b, member_token, name="Kai")
        await member.connect()
        await member.wait_event("agreement.required")
        started = time.monotonic()
        outcome = await asyncio.to_thread(revoke, node_a, operator_token, token_id)
        assert outcome["already_revoked"] is False and outcome["closed_connections"] == 0, outcome
        closed = await member.wait_closed(timeout=10)
        elapsed = time.monotonic() - started
        assert closed.code == 4006, closed
        for node in (node_a, node_b):
            with pytest.raises(websockets.InvalidStatus) as refused:
                await Member(node, member_token, name="Kai again").connect()
            assert refused.value.response.status_code == 403
            assert b"revoked_token" in refused.value.response.body
        return elapsed

    elapsed = run(scenario())
    print(f"revoke on node A to close on node B: {elapsed * 1000:.0f} ms")
    assert elapsed < 1.0, f"node B closed the revoked connection {elapsed:.2f} s after the revoke"
    assert psql(database, f"SELECT revoked_by FROM revocations WHERE token_id = '{token_id}'") == "op-1"
