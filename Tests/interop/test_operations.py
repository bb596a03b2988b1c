"""Operations against a real iopd: durable records survive SIGKILL, /metrics passes
promtool and names nobody, /readyz and /livez answer, a clean stop closes attendance.

The records database is read with Python's own sqlite3, and its hash chains are
recomputed here independently of the server's Swift code.
"""

from __future__ import annotations

import hashlib
import shutil
import signal
import sqlite3
import subprocess
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest

from roomkit import start, AGREEMENT_VERSION, Member, RoomServer, binary, run

ROOM = "evening-process"
GENESIS = "0" * 64
CHAINS = {
    "attendance_events": ["session_id", "room", "member", "role", "event", "detail", "at"],
    "moderation_audit": ["session_id", "room", "actor", "action", "target", "message_id", "alert_id", "at"],
}


def http_get(server: RoomServer, path: str) -> tuple[int, str]:
    try:
        with urllib.request.urlopen(f"http://127.0.0.1:{server.port}{path}", timeout=5) as response:
            return response.status, response.read().decode()
    except urllib.error.HTTPError as error:
        return error.code, error.read().decode()


def records(data_dir: Path) -> sqlite3.Connection:
    return sqlite3.connect(f"file:{data_dir / 'records.sqlite'}?mode=ro", uri=True, timeout=5)


def wait_until(condition, timeout: float = 10.0) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < deadline, "condition not met in time"
        time.sleep(0.05)


def canonical_hash(previous: str, table: str, values: list) -> str:
    """The chain hash, as docs/OPERATIONS.md defines it."""
    text = f"{len(table.encode())}:{table}"
    for value in values:
        if value is None:
            text += "-"
        elif isinstance(value, int):
            text += f"i{value};"
        else:
            text += f"s{len(value.encode())}:{value}"
    return hashlib.sha256((previous + text).encode()).hexdigest()


def verify_chains(connection: sqlite3.Connection) -> dict[str, int]:
    """Rows checked per table; fails on the first broken row."""
    checked = {}
    for table, columns in CHAINS.items():
        previous = GENESIS
        rows = connection.execute(f"SELECT id, {', '.join(columns)}, prev_hash, hash FROM {table} ORDER BY id")
        count = 0
        for row in rows:
            row_id, values, prev_hash, row_hash = row[0], list(row[1:-2]), row[-2], row[-1]
            assert prev_hash == previous, f"{table} row {row_id}: previous hash mismatch"
            assert canonical_hash(previous, table, values) == row_hash, f"{table} row {row_id}: content hash mismatch"
            previous = row_hash
            count += 1
        checked[table] = count
    return checked


async def open_group(server: RoomServer, participants: list[str]) -> tuple[Member, list[Member]]:
    lead = Member(server, server.token(role="facilitator", alias="Sam", member="fac-sam"), name="Sam")
    await lead.connect()
    members = []
    for alias in participants:
        member = Member(server, server.token(role="participant", alias=alias, member=f"mem-{alias.lower()}"), name=alias)
        await member.connect()
        mark = lead.mark()
        await member.ok("agreement.accept", version=AGREEMENT_VERSION)
        await lead.wait_event("waiting.room", lambda e: member.member_id in [w["member"] for w in e["waiting"]], since=mark)
        await lead.ok("waiting.admit", member=member.member_id)
        await member.wait_event("room.snapshot")
        members.append(member)
    return lead, members


def test_sigkill_mid_session_then_restart_closes_open_attendance(servers, tmp_path):
    data = tmp_path / "data"
    server = start(servers, data)

    async def scenario():
        lead, members = await open_group(server, ["Zqana", "Ben"])
        await members[0].ok("chat.send", text="this text never reaches the disk")
        await members[1].leave()  # Ben leaves cleanly before the crash
        with records(data) as db:
            wait_until(lambda: db.execute(
                "SELECT COUNT(*) FROM attendance WHERE member = 'mem-ben' AND left_at IS NOT NULL").fetchone()[0] == 1)
        server.process.send_signal(signal.SIGKILL)
        assert server.process.wait(timeout=10) == -signal.SIGKILL
        for member in [lead, *members]:
            await member.leave()

    run(scenario(), timeout=60)
    assert (data / "records.sqlite").stat().st_mode & 0o777 == 0o600
    with records(data) as db:
        open_rows = db.execute("SELECT member FROM attendance WHERE left_at IS NULL ORDER BY member").fetchall()
        assert [r[0] for r in open_rows] == ["fac-sam", "mem-zqana"], "the crash left Sam and Ana open"

    restarted = start(servers, data)
    assert http_get(restarted, "/readyz") == (200, "ready\n")
    with records(data) as db:
        rows = db.execute("SELECT member, end_reason, joined_at, left_at, consent_version FROM attendance ORDER BY member").fetchall()
        by_member = {r[0]: r for r in rows}
        assert by_member["fac-sam"][1] == "server_stopped"
        assert by_member["mem-zqana"][1] == "server_stopped"
        assert by_member["mem-zqana"][4] == AGREEMENT_VERSION
        assert by_member["mem-ben"][1] == "closed_by_client"
        assert all(r[3] is not None and r[3] >= r[2] for r in rows), rows
        sessions = db.execute("SELECT room, ended_at, end_reason FROM sessions").fetchall()
        assert sessions == [(ROOM, sessions[0][1], "server_stopped")] and sessions[0][1] is not None
        stopped = db.execute(
            "SELECT member FROM attendance_events WHERE event = 'left' AND detail = 'server_stopped' ORDER BY member").fetchall()
        assert [r[0] for r in stopped] == ["fac-sam", "mem-zqana"]
        checked = verify_chains(db)
        assert checked["attendance_events"] >= 9 and checked["moderation_audit"] >= 2
        assert db.execute("SELECT COUNT(*) FROM attendance WHERE left_at IS NULL").fetchone()[0] == 0
    assert restarted.stop() == 0
    raw = (data / "records.sqlite").read_bytes()
    assert b"never reaches the disk" not in raw and b"Zqana" not in raw, "no content and no alias on disk"

    # iopctl audit verify: intact, then a tampered audit row is named.
    verify = [binary("iopctl"), "audit", "verify", "--data-dir", str(data)]
    intact = subprocess.run(verify, capture_output=True, timeout=30)
    assert intact.returncode == 0 and intact.stdout.startswith(b"intact: "), intact
    with sqlite3.connect(data / "records.sqlite") as db:
        db.execute("UPDATE moderation_audit SET actor = 'someone-else' WHERE id = 1")
    broken = subprocess.run(verify, capture_output=True, timeout=30)
    assert broken.returncode == 1, broken
    assert b"moderation_audit row 1: content_hash_mismatch" in broken.stdout, broken.stdout


def test_clean_stop_flushes_and_closes_attendance(servers, tmp_path):
    data = tmp_path / "data"
    server = start(servers, data)

    async def scenario():
        lead, members = await open_group(server, ["Cy"])
        assert http_get(server, "/readyz") == (200, "ready\n")
        server.process.send_signal(signal.SIGTERM)
        for member in [lead, *members]:
            await member.wait_message(lambda m: m["type"] == "going_away")
            assert (await member.wait_closed(timeout=10)).code == 1001
            await member.leave()

    run(scenario(), timeout=60)
    assert server.process.wait(timeout=15) == 0
    with records(data) as db:
        reasons = db.execute("SELECT member, end_reason FROM attendance ORDER BY member").fetchall()
        assert reasons == [("fac-sam", "server_stopped"), ("mem-cy", "server_stopped")]
        assert db.execute("SELECT end_reason FROM sessions").fetchall() == [("server_stopped",)]
        verify_chains(db)
    assert not Path(f"{data / 'records.sqlite'}-wal").exists() or Path(f"{data / 'records.sqlite'}-wal").stat().st_size == 0


def test_metrics_pass_promtool_and_name_nobody(servers, tmp_path):
    server = start(servers, tmp_path / "data")
    canary_alias = "Zqcanaryalias"
    canary_text = "zqcanarytext-93f1"

    async def scenario():
        lead, members = await open_group(server, [canary_alias])
        await members[0].ok("chat.send", text=canary_text)
        await lead.wait_event("chat.message", lambda e: canary_text in str(e))
        await members[0].ok("crisis.alert")
        await lead.wait_event("crisis.raised")
        deadline = time.monotonic() + 5
        body = ""
        while time.monotonic() < deadline:
            status, body = http_get(server, "/metrics")
            assert status == 200
            if "iop_crisis_alerts_open 1" in body:
                break
            time.sleep(0.05)
        for member in [lead, *members]:
            await member.leave()
        return body

    body = run(scenario(), timeout=60)
    assert 'iop_room_members{role="participant",state="admitted"} 1' in body
    assert "iop_rooms_in_session 1" in body and "iop_crisis_alerts_open 1" in body
    assert "iop_room_fanout_latency_seconds_bucket" in body
    for secret in [canary_alias, canary_text, "mem-", "fac-sam", ROOM]:
        assert secret not in body, f"{secret} appears in /metrics"
    promtool = shutil.which("promtool")
    if promtool is None:
        pytest.skip("promtool not installed (Debian package prometheus)")
    check = subprocess.run([promtool, "check", "metrics"], input=body.encode(), capture_output=True, timeout=30)
    assert check.returncode == 0, check.stdout.decode() + check.stderr.decode()


def test_health_endpoints(servers, tmp_path):
    server = start(servers, tmp_path / "data")
    assert http_get(server, "/livez") == (200, "ok\n")
    assert http_get(server, "/readyz") == (200, "ready\n")
    status, _ = http_get(server, "/metrics")
    assert status == 200
