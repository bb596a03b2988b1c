"""Records in PostgreSQL, checked with PostgreSQL's own tools.

A real iopd on the PostgreSQL backend (the throwaway server Scripts/test starts,
Scripts/postgres; a fresh database made with `psql`) runs a group session; then
the real `iopctl attendance export` and `iopctl audit verify` read the same
database through the same settings (the URL from IOPD_RECORDS_POSTGRESQL_URL),
the chains are recomputed here in Python from rows `psql` returns, `pg_dump`
holds no chat text and no alias, and a row edited with `psql` is named by
`audit verify`. Two iopd nodes share one database: `kill -9` of one and its
restart close that node's attendance only, while the other node's members stay
in their room and the shared chains stay intact. A facilitator's absence reason
lands in `absence_notes` and the real `iopctl attendance export --against-plan`
reads it back from PostgreSQL.
"""

from __future__ import annotations

import csv
import io
import json
import os
import subprocess
import time
import uuid
from datetime import datetime, timedelta, timezone
from urllib.parse import urlsplit, urlunsplit

import pytest

from roomkit import AGREEMENT_VERSION, ROOT, Member, RoomServer, binary, run
from test_operations import CHAINS, GENESIS, canonical_hash

ROOM = "evening-process"
CANARY = "pg-interop-canary-my-sponsor-Ray"
OPEN_ROWS = "SELECT string_agg(member || '@' || node, ',' ORDER BY member) FROM attendance WHERE left_at IS NULL"


def server_url() -> str:
    url = os.environ.get("IOP_TEST_POSTGRES_URL", "")
    if not url:
        message = "IOP_TEST_POSTGRES_URL is not set (Scripts/test starts PostgreSQL): the PostgreSQL records test did NOT run"
        if os.environ.get("CI"):
            pytest.fail(message)
        pytest.skip(message)
    return url


def psql(url: str, sql: str) -> str:
    result = subprocess.run(["psql", url, "-v", "ON_ERROR_STOP=1", "-tAc", sql], capture_output=True, timeout=30)
    assert result.returncode == 0, result.stderr.decode()
    return result.stdout.decode().strip()


@pytest.fixture
def database():
    """A fresh database on the test server; its URL. Dropped afterwards."""
    server = server_url()
    name = "iop_interop_" + uuid.uuid4().hex
    psql(server, f"CREATE DATABASE {name}")
    parts = urlsplit(server)
    yield urlunsplit(parts._replace(path="/" + name))
    psql(server, f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")


def iopctl(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([binary("iopctl"), *args], capture_output=True, timeout=30, cwd=ROOT)


def chains(url: str) -> dict[str, int]:
    """Rows checked per chained table, recomputed from psql's JSON (types kept)."""
    checked = {}
    for table, columns in CHAINS.items():
        rows = json.loads(psql(url, f"SELECT coalesce(json_agg(t ORDER BY id), '[]') FROM "
                                    f"(SELECT id, {', '.join(columns)}, prev_hash, hash FROM {table}) t"))
        previous = GENESIS
        for row in rows:
            assert row["prev_hash"] == previous, f"{table} row {row['id']}: previous hash mismatch"
            values = [row[column] for column in columns]
            assert canonical_hash(previous, table, values) == row["hash"], f"{table} row {row['id']}"
            previous = row["hash"]
        checked[table] = len(rows)
    return checked


def test_a_session_on_postgresql_is_exported_verified_and_holds_no_content(servers, tmp_path, database, monkeypatch):
    monkeypatch.setenv("IOPD_RECORDS_BACKEND", "postgresql")
    monkeypatch.setenv("IOPD_RECORDS_POSTGRESQL_URL", database)
    server = RoomServer(tmp_path / "data", "server.shutdownGraceSeconds=2", "server.nodeId=interop-node")
    servers.append(server)

    async def scenario():
        lead = Member(server, server.token(role="facilitator", alias="Sam", member="fac-sam"), name="Sam")
        await lead.connect()
        river = Member(server, server.token(role="participant", alias="Rivershine", member="mem-river"), name="River")
        await river.connect()
        mark = lead.mark()
        await river.ok("agreement.accept", version=AGREEMENT_VERSION)
        await lead.wait_event("waiting.room", lambda e: "mem-river" in [w["member"] for w in e["waiting"]], since=mark)
        await lead.ok("waiting.admit", member="mem-river")
        await river.wait_event("room.snapshot")
        await river.ok("chat.send", text=CANARY)
        await lead.ok("session.end")
        await river.wait_closed()
        await lead.wait_closed()

    run(scenario())
    assert server.stop() == 0
    assert not (tmp_path / "data" / "records.sqlite").exists(), "nothing went to SQLite"

    assert psql(database, "SELECT string_agg(DISTINCT node, ',') FROM attendance") == "interop-node"
    assert psql(database, "SELECT count(*) FROM attendance WHERE left_at IS NULL") == "0"
    checked = chains(database)
    assert checked["attendance_events"] >= 5 and checked["moderation_audit"] >= 2, checked

    now = datetime.now(timezone.utc)
    first, last = ((now + timedelta(days=d)).strftime("%Y-%m-%d") for d in (-1, 1))
    export = iopctl("attendance", "export", "--room", ROOM, "--from", first, "--to", last)
    assert export.returncode == 0, export.stderr.decode()
    rows = list(csv.DictReader(io.StringIO(export.stdout.decode(), newline="")))
    assert [row["member"] for row in rows] == ["fac-sam", "mem-river"]
    assert rows[1]["consent_version"] == AGREEMENT_VERSION and rows[1]["end_reason"] == "session_ended"

    intact = iopctl("audit", "verify")
    assert intact.returncode == 0 and intact.stdout.startswith(b"intact: "), intact
    assert f"attendance_events {checked['attendance_events']}".encode() in intact.stdout

    dump = subprocess.run(["pg_dump", database], capture_output=True, timeout=60)
    assert dump.returncode == 0, dump.stderr.decode()
    assert b"mem-river" in dump.stdout, "the dump holds the records"
    assert CANARY.encode() not in dump.stdout and b"Rivershine" not in dump.stdout, "no content, no alias"

    psql(database, "UPDATE moderation_audit SET actor = 'someone-else' WHERE id = 1")
    broken = iopctl("audit", "verify")
    assert broken.returncode == 1, broken
    assert b"moderation_audit row 1: content_hash_mismatch" in broken.stdout, broken.stdout


def test_an_unreachable_database_stops_iopd_naming_the_key_not_the_password(tmp_path, monkeypatch):
    server_url()
    monkeypatch.setenv("IOPD_RECORDS_BACKEND", "postgresql")
    monkeypatch.setenv("IOPD_RECORDS_POSTGRESQL_URL", "postgresql://iop:pw-canary-5521@127.0.0.1:1/iop")
    result = subprocess.run([binary("iopd"), "--port", "0", "--set", f"server.dataDirectory={tmp_path}"],
                            capture_output=True, timeout=30, cwd=ROOT)
    assert result.returncode != 0
    assert b"records.postgresqlURL" in result.stderr, result.stderr
    assert b"pw-canary-5521" not in result.stderr + result.stdout


def test_two_nodes_share_the_database_and_a_killed_node_closes_only_its_own_attendance(
        servers, tmp_path, database, monkeypatch):
    monkeypatch.setenv("IOPD_RECORDS_BACKEND", "postgresql")
    monkeypatch.setenv("IOPD_RECORDS_POSTGRESQL_URL", database)
    node_a = RoomServer(tmp_path / "a", "server.shutdownGraceSeconds=2", "server.nodeId=node-a")
    node_b = RoomServer(tmp_path / "b", "server.shutdownGraceSeconds=2", "server.nodeId=node-b")
    servers.extend([node_a, node_b])

    async def join(server: RoomServer, room: str, lead_id: str, member_id: str) -> list[Member]:
        lead = Member(server, server.token(room=room, role="facilitator", alias="Sam", member=lead_id), name="Sam",
                      room=room)
        await lead.connect()
        member = Member(server, server.token(room=room, role="participant", alias="Kai", member=member_id),
                        name="Kai", room=room)
        await member.connect()
        mark = lead.mark()
        await member.ok("agreement.accept", version=AGREEMENT_VERSION)
        await lead.wait_event("waiting.room", lambda e: member_id in [w["member"] for w in e["waiting"]], since=mark)
        await lead.ok("waiting.admit", member=member_id)
        await member.wait_event("room.snapshot")
        return [lead, member]

    async def scenario():
        on_a = await join(node_a, ROOM, "fac-a", "mem-a")
        on_b = await join(node_b, "dbt-skills", "fac-b", "mem-b")
        await on_a[1].ok("chat.send", text=CANARY)
        deadline = time.monotonic() + 10
        # Facilitators come in unadmitted: four stays, two admissions.
        while psql(database, "SELECT count(*) || '/' || count(admitted_at) FROM attendance") != "4/2":
            assert time.monotonic() < deadline, "both nodes' stays reach PostgreSQL"
            time.sleep(0.05)
        node_a.process.kill()  # SIGKILL: node A's stays are left open
        assert node_a.process.wait(timeout=10) < 0
        for member in on_a:
            await member.leave()
        assert psql(database, OPEN_ROWS) == "fac-a@node-a,fac-b@node-b,mem-a@node-a,mem-b@node-b"
        # Node A starts again (blocking this loop a moment): it hands its own stays over (node_lost), not
        # node B's.
        restarted = RoomServer(tmp_path / "a", "server.shutdownGraceSeconds=2", "server.nodeId=node-a")
        servers.append(restarted)
        assert psql(database, OPEN_ROWS) == "fac-b@node-b,mem-b@node-b"
        await on_b[1].ok("presence.step_out")  # node B's members are still in their room, still recorded
        await on_b[1].ok("presence.come_back")
        return restarted

    restarted = run(scenario())
    assert psql(database, "SELECT string_agg(DISTINCT end_reason, ',') FROM attendance WHERE node = 'node-a'") \
        == "node_lost"
    assert restarted.stop() == 0 and node_b.stop() == 0
    assert psql(database, "SELECT count(*) FROM attendance WHERE left_at IS NULL") == "0"
    assert psql(database, "SELECT count(*) FROM attendance_events WHERE event IN ('stepped_out', 'stepped_back')") == "2"
    checked = chains(database)
    assert checked["attendance_events"] >= 12, checked
    assert iopctl("audit", "verify").returncode == 0


def test_a_reason_recorded_in_a_room_on_postgresql_reaches_the_export_against_the_plan(
        servers, tmp_path, database, monkeypatch):
    from test_attendance_plan import ROOM as PROGRAM_ROOM, rooms_file

    monkeypatch.setenv("IOPD_RECORDS_BACKEND", "postgresql")
    monkeypatch.setenv("IOPD_RECORDS_POSTGRESQL_URL", database)
    rooms = rooms_file(tmp_path / "rooms.yaml")
    server = RoomServer(tmp_path / "data", f"rooms.file={rooms}", "server.shutdownGraceSeconds=2")
    servers.append(server)
    today = datetime.now(timezone.utc)
    session = f"{today:%Y-%m-%d}T00:00"

    async def scenario():
        lead = Member(server, server.token(room=PROGRAM_ROOM, role="facilitator", alias="Sam", member="fac-sam"),
                      name="Sam", room=PROGRAM_ROOM)
        await lead.connect()
        await lead.ok("chat.send", text=CANARY)
        await lead.refused("absence.record", "not_enrolled", member="mem-zed", session=session, reason="excused")
        await lead.ok("absence.record", member="mem-river", session=session, reason="unexcused")
        await lead.wait_event("absence.recorded")
        await lead.ok("session.end")
        await lead.wait_closed()

    run(scenario())
    assert server.stop() == 0
    assert not (tmp_path / "data" / "records.sqlite").exists(), "nothing went to SQLite"
    assert psql(database, "SELECT member || ',' || session || ',' || reason || ',' || recorded_by FROM absence_notes") \
        == f"mem-river,{session},unexcused,fac-sam"

    export = iopctl("attendance", "export", "--room", PROGRAM_ROOM, "--from", f"{today:%Y-%m-%d}", "--to",
                    f"{today:%Y-%m-%d}", "--against-plan", "--rooms", str(rooms))
    assert export.returncode == 0, export.stderr.decode()
    assert CANARY.encode() not in export.stdout and b"Sam" not in export.stdout
    rows = {row["member"]: row for row in csv.DictReader(io.StringIO(export.stdout.decode(), newline=""))}
    assert rows["mem-river"]["status"] == "unexcused" and rows["mem-ana"]["status"] == "absent"
