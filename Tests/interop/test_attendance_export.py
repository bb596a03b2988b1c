"""Attendance export and idle log-off against a real iopd.

A real group session runs through the real server; then the real
`iopctl attendance export` reads the records (read-only, while the server still
runs) and its CSV is parsed with Python's own `csv` module (RFC 4180) and
checked against the records read independently with `sqlite3`. The idle
log-off test sets a three-second idle time and waits (bounded) for the
server's own warning and 4005 close. The systemd unit is checked with
`systemd-analyze verify` when systemd is installed.
"""

from __future__ import annotations

import csv
import io
import json
import os
import shutil
import sqlite3
import stat
import subprocess
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest

from roomkit import AGREEMENT_VERSION, ROOT, Member, RoomServer, binary, run

ROOM = "evening-process"


def export(data: Path, *args: str) -> subprocess.CompletedProcess:
    # Yesterday to tomorrow (UTC): a run across midnight still finds its session.
    now = datetime.now(timezone.utc)
    first, last = ((now + timedelta(days=d)).strftime("%Y-%m-%d") for d in (-1, 1))
    return subprocess.run(
        [binary("iopctl"), "attendance", "export", "--room", ROOM, "--from", first, "--to", last,
         "--data-dir", str(data), *args],
        capture_output=True, timeout=30, cwd=ROOT,
    )


def iso(ms: int | None) -> str:
    if ms is None:
        return ""
    return datetime.fromtimestamp(ms // 1000, timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")


async def admit(lead: Member, member: Member) -> None:
    await member.connect()
    mark = lead.mark()
    await member.ok("agreement.accept", version=AGREEMENT_VERSION)
    await lead.wait_event("waiting.room", lambda e: member.member_id in [w["member"] for w in e["waiting"]], since=mark)
    await lead.ok("waiting.admit", member=member.member_id)
    await member.wait_event("room.snapshot")


def test_export_of_a_real_session_while_the_server_runs(servers, tmp_path):
    data = tmp_path / "data"
    server = RoomServer(data, "server.shutdownGraceSeconds=2")
    servers.append(server)
    # A member id with a comma and a quote: the CSV must quote it (RFC 4180).
    odd_id = 'mem-river,"jr"'

    async def scenario():
        lead = Member(server, server.token(role="facilitator", alias="Sam", member="fac-sam"), name="Sam")
        await lead.connect()
        river = Member(server, server.token(role="participant", alias="River", member=odd_id), name="River")
        ana = Member(server, server.token(role="participant", alias="Ana", member="mem-ana"), name="Ana")
        await admit(lead, river)
        await admit(lead, ana)
        await river.ok("chat.send", text="words that must never reach the export")
        await river.ok("presence.step_out")
        await river.ok("presence.come_back")
        await ana.leave()  # Ana leaves early
        await lead.ok("session.end")
        await river.wait_closed()
        await lead.wait_closed()

    run(scenario())

    result = export(data)
    assert result.returncode == 0, result.stderr.decode()
    text = result.stdout.decode()
    assert "\r\n" in text and "never reach" not in text and "River" not in text and "Sam" not in text
    rows = list(csv.DictReader(io.StringIO(text, newline="")))
    assert [row["member"] for row in rows] == ["fac-sam", odd_id, "mem-ana"]

    with sqlite3.connect(f"file:{data / 'records.sqlite'}?mode=ro", uri=True, timeout=5) as db:
        (session_id, started, ended, reason), = db.execute(
            "SELECT id, started_at, ended_at, end_reason FROM sessions WHERE room = ?", (ROOM,)).fetchall()
        stays = {member: (joined, admitted, left, end) for member, joined, admitted, left, end in db.execute(
            "SELECT member, joined_at, admitted_at, left_at, end_reason FROM attendance ORDER BY id")}
        steps = [event for (event,) in db.execute(
            "SELECT event FROM attendance_events WHERE member = ? ORDER BY id", (odd_id,))]
    assert "stepped_out" in steps and "stepped_back" in steps
    for row in rows:
        joined, admitted, left, end = stays[row["member"]]
        assert row["room"] == ROOM and row["session_id"] == str(session_id)
        assert row["session_start"] == iso(started) and row["session_end"] == iso(ended)
        assert row["session_end_reason"] == reason == "session_ended"
        assert row["first_joined"] == iso(joined) and row["last_left"] == iso(left)
        assert row["end_reason"] == end
        assert row["admitted_at"] == iso(admitted if admitted is not None else joined)
        assert row["minutes_attended"] == "0" and row["minutes_stepped_out"] == "0"  # a session of seconds
    by_member = {row["member"]: row for row in rows}
    assert by_member["fac-sam"]["role"] == "facilitator" and by_member["fac-sam"]["consent_version"] == ""
    assert by_member[odd_id]["consent_version"] == AGREEMENT_VERSION and by_member[odd_id]["consented_at"]
    assert by_member["mem-ana"]["end_reason"] == "closed_by_client"
    assert by_member[odd_id]["end_reason"] == "session_ended"

    # JSON and the weekly roll-up, to a file only its owner may read.
    output = tmp_path / "week.json"
    result = export(data, "--format", "json", "--output", str(output))
    assert result.returncode == 0, result.stderr.decode()
    assert stat.S_IMODE(output.stat().st_mode) == 0o600
    report = json.loads(output.read_text())
    assert report["rules"] == {"minimum_days_per_week": 3, "minimum_hours_per_day": 3, "time_zone": "UTC"}
    assert [s["member"] for s in report["sessions"]] == ["fac-sam", odd_id, "mem-ana"]
    weeks = {w["member"]: w for w in report["weeks"]}
    assert weeks[odd_id]["below_minimum_days"] is True and weeks[odd_id]["partial_week"] is True

    weeks_csv = export(data, "--table", "weeks")
    assert weeks_csv.returncode == 0
    header = next(csv.reader(io.StringIO(weeks_csv.stdout.decode(), newline="")))
    assert header == ["member", "role", "iso_week", "partial_week", "days_attended", "days_meeting_minimum",
                      "hours_attended", "below_minimum_days"]

    # Bad input: a precise message and a usage exit status, nothing written.
    bad = export(data, "--format", "xml")
    assert bad.returncode != 0 and b"--format must be csv or json" in bad.stderr


def test_idle_member_is_warned_then_logged_off_with_4005_and_may_rejoin(servers, tmp_path):
    data = tmp_path / "data"
    # Six seconds without a command (the facilitator is watched too: room enough to
    # admit Kai on a busy machine), the warning one second before.
    server = RoomServer(data, "server.shutdownGraceSeconds=2", "rooms.idleLogoffMinutes=0.1",
                        "rooms.idleWarningSeconds=1")
    servers.append(server)

    lead_token = server.token(role="facilitator", alias="Sam", member="fac-sam")
    token = server.token(role="participant", alias="Kai", member="mem-kai")

    async def scenario():
        lead = Member(server, lead_token, name="Sam")
        await lead.connect()
        kai = Member(server, token, name="Kai")
        await admit(lead, kai)
        warning = await kai.wait_event("idle.warning", timeout=15)
        assert 500 <= warning["logoffAt"] - warning["time"] <= 1000  # the timer may fire a little late
        closed = await kai.wait_closed(timeout=10)
        assert (closed.code, closed.reason) == (4005, "idle_logged_off")
        # A fresh connection with the same (still valid) token: back through the waiting room.
        again = Member(server, token, name="Kai again")
        await again.connect()
        await again.wait_event("admission.waiting")
        await again.leave()
        await lead.leave()

    run(scenario())
    with sqlite3.connect(f"file:{data / 'records.sqlite'}?mode=ro", uri=True, timeout=5) as db:
        reasons = [r for (r,) in db.execute("SELECT end_reason FROM attendance WHERE member = 'mem-kai' ORDER BY id")]
    assert reasons[0] == "idle_logged_off"


def test_systemd_unit_verifies(tmp_path):
    if shutil.which("systemd-analyze") is None:
        pytest.skip("systemd-analyze is not installed")
    unit = (ROOT / "Config" / "iopd.service").read_text()
    for key in ("User=iopd", "StateDirectory=iopd", "NoNewPrivileges=yes", "ProtectSystem=strict",
                "ProtectHome=yes", "PrivateTmp=yes", "ReadWritePaths=/var/lib/iopd", "KillSignal=SIGTERM",
                "Restart=on-failure"):
        assert key in unit.splitlines(), key
    stop = int(next(line for line in unit.splitlines() if line.startswith("TimeoutStopSec=")).split("=")[1])
    assert stop > 5  # above server.shutdownGraceSeconds' default
    # The binary path must exist for verify; point it at the one under test.
    copy = tmp_path / "iopd.service"
    copy.write_text(unit.replace("/usr/local/bin/iopd", os.path.abspath(binary("iopd"))))
    result = subprocess.run(["systemd-analyze", "verify", str(copy)], capture_output=True, timeout=60)
    assert result.returncode == 0, result.stderr.decode()
