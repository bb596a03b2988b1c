"""A bounded outage of PostgreSQL under a real iopd.

The test runs its own throwaway PostgreSQL (Scripts/postgres with a folder of
its own, so stopping it disturbs no other test), starts iopd on it, opens a
session, then stops PostgreSQL (`Scripts/postgres stop`: the same data folder
stays) while members join, are admitted, step out and back and leave. /readyz
and /metrics say the database is away and records are queued; the room goes
on. The outage lasts until iopd has failed to write five times (its retries
are one second apart: about five seconds, not the issue's 30, which would
only add idle time to the suite: what is exercised is the same retry, the
same queue, several reconnections and the heartbeat skipped). PostgreSQL is
started again; every attendance and audit record of the outage is in the
database afterwards, in order, and `iopctl audit verify` finds the chains intact.
"""

from __future__ import annotations

import asyncio
import os
import re
import subprocess
import tempfile
import time
import urllib.error
import urllib.request

import pytest

from roomkit import AGREEMENT_VERSION, ROOT, Member, RoomServer, binary, run
from test_records_postgresql import psql

ROOM = "evening-process"


def postgres(command: str, folder: str) -> str:
    result = subprocess.run([str(ROOT / "Scripts" / "postgres"), command], capture_output=True, text=True,
                            timeout=120, env={**os.environ, "IOP_PG_DIR": folder})
    assert result.returncode == 0, result.stderr
    return result.stdout


@pytest.fixture
def own_postgres():
    if not os.environ.get("IOP_TEST_POSTGRES_URL") and not os.environ.get("CI"):
        pytest.skip("no PostgreSQL for the tests (Scripts/test starts one): the outage test did NOT run")
    folder = tempfile.mkdtemp(prefix="iop-postgres-outage.", dir="/tmp")
    try:
        exported = postgres("up", folder)
        yield folder, exported.strip().split("=", 1)[1]
    finally:
        postgres("down", folder)


def get(server: RoomServer, path: str) -> tuple[int, str]:
    try:
        with urllib.request.urlopen(f"http://127.0.0.1:{server.port}{path}", timeout=5) as response:
            return response.status, response.read().decode()
    except urllib.error.HTTPError as error:
        return error.code, error.read().decode()


def metric(server: RoomServer, name: str) -> float:
    body = get(server, "/metrics")[1]
    found = re.search(rf"^{name} (\S+)$", body, re.MULTILINE)
    assert found, f"{name} not in /metrics"
    return float(found.group(1))


async def wait_for(what: str, condition, seconds: float = 20) -> None:
    deadline = time.monotonic() + seconds
    while not condition():
        assert time.monotonic() < deadline, f"timed out waiting: {what}"
        await asyncio.sleep(0.05)


def test_records_made_while_postgresql_is_stopped_are_written_when_it_returns(servers, tmp_path, own_postgres,
                                                                             monkeypatch):
    folder, url = own_postgres
    monkeypatch.setenv("IOPD_RECORDS_BACKEND", "postgresql")
    monkeypatch.setenv("IOPD_RECORDS_POSTGRESQL_URL", url)
    server = RoomServer(tmp_path / "data", "server.nodeId=outage-node", "server.shutdownGraceSeconds=2")
    servers.append(server)

    async def admitted(lead: Member, member_id: str, alias: str) -> Member:
        member = Member(server, server.token(role="participant", alias=alias, member=member_id), name=alias)
        await member.connect()
        mark = lead.mark()
        await member.ok("agreement.accept", version=AGREEMENT_VERSION)
        await lead.wait_event("waiting.room", lambda e: member_id in [w["member"] for w in e["waiting"]], since=mark)
        await lead.ok("waiting.admit", member=member_id)
        await member.wait_event("room.snapshot")
        return member

    async def scenario():
        lead = Member(server, server.token(role="facilitator", alias="Sam", member="fac-sam"), name="Sam")
        await lead.connect()
        river = await admitted(lead, "mem-river", "River")
        await wait_for("the session is written", lambda: metric(server, "iop_records_pending") == 0)

        postgres("stop", folder)
        await river.ok("presence.step_out")  # the first write after the stop finds the database away
        await wait_for("iopd notices", lambda: metric(server, "iop_records_database_up") == 0)
        status, body = get(server, "/readyz")
        assert status == 200 and "records database unreachable" in body, (status, body)
        kai = await admitted(lead, "mem-kai", "Kai")  # under the bound: admitted, recorded later
        await river.ok("presence.come_back")
        await kai.ok("chat.send", text="the room goes on")
        await river.wait_event("chat.message")
        await kai.leave()
        failures = metric(server, "iop_record_write_failures_total")
        await wait_for("five failed writes (about five seconds)",
                       lambda: metric(server, "iop_record_write_failures_total") >= failures + 4)
        assert metric(server, "iop_records_pending") >= 6, "the outage's records are queued"
        assert metric(server, "iop_records_database_up") == 0

        postgres("start", folder)
        await wait_for("the queue is written", lambda: metric(server, "iop_records_pending") == 0
                       and metric(server, "iop_records_database_up") == 1)
        assert get(server, "/readyz") == (200, "ready\n")
        await lead.ok("session.end")
        await river.wait_closed()
        await lead.wait_closed()

    run(scenario())
    assert server.stop() == 0
    events = psql(url, "SELECT string_agg(member || ':' || event, ',' ORDER BY id) FROM attendance_events "
                       "WHERE member IN ('mem-river', 'mem-kai')")
    river_events = [e.split(":")[1] for e in events.split(",") if e.startswith("mem-river:")]
    kai_events = [e.split(":")[1] for e in events.split(",") if e.startswith("mem-kai:")]
    assert river_events[3:5] == ["stepped_out", "stepped_back"], river_events
    # Kai came, was admitted and went, all while PostgreSQL was stopped.
    assert kai_events[:3] == ["connected", "consented", "admitted"] and len(kai_events) >= 4, kai_events
    assert psql(url, "SELECT count(*) FROM attendance WHERE member = 'mem-kai' AND left_at IS NOT NULL "
                     "AND admitted_by = 'fac-sam'") == "1"
    assert psql(url, "SELECT count(*) FROM moderation_audit WHERE action = 'admitted'") == "2"
    assert psql(url, "SELECT count(*) FROM attendance WHERE left_at IS NULL") == "0"
    verify = subprocess.run([binary("iopctl"), "audit", "verify"], capture_output=True, timeout=30, cwd=ROOT)
    assert verify.returncode == 0 and verify.stdout.startswith(b"intact: "), verify
