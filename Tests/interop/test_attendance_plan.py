"""Attendance against the plan through the real tools (issue 23): a real iopd
hosts a room with a program (schedule and roster in its rooms file), members
come, then the real `iopctl attendance export --against-plan` writes a row per
enrolled member per scheduled session, parsed with Python's own `csv` module,
with a facilitator's absence note applied and nothing a member wrote in it."""

from __future__ import annotations

import csv
import io
import json
import subprocess
from datetime import datetime, timedelta, timezone
from pathlib import Path

from roomkit import AGREEMENT_VERSION, ROOT, Member, RoomServer, binary, run

ROOM = "program-room"


def rooms_file(path: Path) -> Path:
    now = datetime.now(timezone.utc)
    first, last = ((now + timedelta(days=d)).strftime("%Y-%m-%d") for d in (-1, 30))
    every = "[monday, tuesday, wednesday, thursday, friday, saturday, sunday]"
    path.write_text(f"""agreement: {{version: "{AGREEMENT_VERSION}", text: "What is shared here stays here."}}
rooms:
  - id: {ROOM}
    title: Program
    kind: process
    capacity: 8
    schedule:
      timeZone: UTC
      startDate: {first}
      endDate: {last}
      slots: [{{days: {every}, start: "00:00", end: "23:59"}}]
    roster:
      - {{member: mem-ana, enrolled: {first}}}
      - {{member: mem-river, enrolled: {first}}}
""")
    return path


def test_export_against_the_plan_after_a_real_session(servers, tmp_path):
    data = tmp_path / "data"
    rooms = rooms_file(tmp_path / "rooms.yaml")
    server = RoomServer(data, f"rooms.file={rooms}", "server.shutdownGraceSeconds=2")
    servers.append(server)

    async def scenario():
        lead = Member(server, server.token(room=ROOM, role="facilitator", alias="Sam", member="fac-sam"),
                      name="Sam", room=ROOM)
        await lead.connect()
        ana = Member(server, server.token(room=ROOM, role="participant", alias="Ana", member="mem-ana"),
                     name="Ana", room=ROOM)
        await ana.connect()
        await ana.ok("agreement.accept", version=AGREEMENT_VERSION)
        await lead.ok("waiting.admit", member="mem-ana")
        await ana.wait_event("room.snapshot")
        await ana.ok("chat.send", text="words that must never reach the export")
        await lead.ok("session.end")
        await ana.wait_closed()
        await lead.wait_closed()

    run(scenario())

    today = datetime.now(timezone.utc)
    notes = tmp_path / "notes.csv"
    notes.write_text(f"member,session,reason\nmem-river,{today:%Y-%m-%d}T00:00,excused\n")
    args = [binary("iopctl"), "attendance", "export", "--room", ROOM, "--from", f"{today:%Y-%m-%d}",
            "--to", f"{today:%Y-%m-%d}", "--data-dir", str(data), "--against-plan", "--rooms", str(rooms),
            "--absences", str(notes)]
    result = subprocess.run(args, capture_output=True, timeout=30, cwd=ROOT)
    assert result.returncode == 0, result.stderr.decode()
    text = result.stdout.decode()
    assert "never reach" not in text and "Ana" not in text and "Sam" not in text
    rows = list(csv.DictReader(io.StringIO(text, newline="")))
    assert [(row["session"], row["member"]) for row in rows] == [
        (f"{today:%Y-%m-%d}T00:00", "mem-ana"), (f"{today:%Y-%m-%d}T00:00", "mem-river")]
    ana, river = rows
    assert ana["first_joined"].endswith("Z") and ana["minutes_scheduled"] == "1439"
    assert river["status"] == "excused" and river["first_joined"] == ""

    as_json = subprocess.run(args + ["--format", "json"], capture_output=True, timeout=30, cwd=ROOT)
    assert as_json.returncode == 0, as_json.stderr.decode()
    document = json.loads(as_json.stdout)
    assert document["time_zone"] == "UTC" and [m["member"] for m in document["members"]] == ["mem-ana", "mem-river"]
    assert document["members"][1]["absences_excused"] == 1
    assert document["rules"]["late_grace_minutes"] == 5 and document["rules"]["minimum_weekly_hours"] == 9

    tuned = subprocess.run(args + ["--format", "json", "--late-grace", "0", "--weekly-hours", "1-2"],
                           capture_output=True, timeout=30, cwd=ROOT)
    assert tuned.returncode == 0, tuned.stderr.decode()
    rules = json.loads(tuned.stdout)["rules"]
    assert (rules["late_grace_minutes"], rules["minimum_weekly_hours"], rules["maximum_weekly_hours"]) == (0, 1, 2)
    backwards = subprocess.run(args + ["--weekly-hours", "20-9"], capture_output=True, timeout=30, cwd=ROOT)
    assert backwards.returncode != 0 and b"--weekly-hours must be MIN-MAX" in backwards.stderr, backwards.stderr

    plain = subprocess.run(args + ["--table", "days"], capture_output=True, timeout=30,
                           cwd=ROOT)
    assert plain.returncode != 0 and b"sessions, weeks or members" in plain.stderr, plain.stderr
    other = subprocess.run(args[:3] + ["--room", "evening-process"] + args[5:], capture_output=True, timeout=30,
                           cwd=ROOT)
    assert other.returncode != 0 and b"has no schedule" in other.stderr, other.stderr


def test_a_reason_recorded_in_the_room_reaches_the_export_and_the_file_overrides_it(servers, tmp_path):
    data = tmp_path / "data"
    rooms = rooms_file(tmp_path / "rooms.yaml")
    server = RoomServer(data, f"rooms.file={rooms}", "server.shutdownGraceSeconds=2")
    servers.append(server)
    today = datetime.now(timezone.utc)
    session = f"{today:%Y-%m-%d}T00:00"

    async def scenario():
        lead = Member(server, server.token(room=ROOM, role="facilitator", alias="Sam", member="fac-sam"),
                      name="Sam", room=ROOM)
        await lead.connect()
        await lead.ok("chat.send", text="CANARY-words-of-the-room")
        await lead.refused("absence.record", "not_enrolled", member="mem-zed", session=session, reason="excused")
        await lead.refused("absence.record", "unknown_session", member="mem-river", session="1999-01-01T00:00",
                           reason="excused")
        await lead.ok("absence.record", member="mem-river", session=session, reason="unexcused")
        await lead.wait_event("absence.recorded")
        await lead.ok("session.end")
        await lead.wait_closed()

    run(scenario())

    args = [binary("iopctl"), "attendance", "export", "--room", ROOM, "--from", f"{today:%Y-%m-%d}",
            "--to", f"{today:%Y-%m-%d}", "--data-dir", str(data), "--against-plan", "--rooms", str(rooms)]
    recorded = subprocess.run(args, capture_output=True, timeout=30, cwd=ROOT)
    assert recorded.returncode == 0, recorded.stderr.decode()
    assert b"CANARY" not in recorded.stdout and b"Sam" not in recorded.stdout
    rows = {row["member"]: row for row in csv.DictReader(io.StringIO(recorded.stdout.decode(), newline=""))}
    assert rows["mem-river"]["status"] == "unexcused" and rows["mem-ana"]["status"] == "absent"

    notes = tmp_path / "notes.csv"
    notes.write_text(f"mem-river,{session},excused\n")
    overridden = subprocess.run(args + ["--absences", str(notes)], capture_output=True, timeout=30, cwd=ROOT)
    assert overridden.returncode == 0, overridden.stderr.decode()
    rows = {row["member"]: row for row in csv.DictReader(io.StringIO(overridden.stdout.decode(), newline=""))}
    assert rows["mem-river"]["status"] == "excused"
