"""`iopctl program` against a real `iopd`: a room's schedule and roster set at
run time (enrol, discharge with a date), refused with the server's code for
bad input, kept in records.sqlite with an audit row per change (ids, dates,
the operator: nothing else), and kept over the rooms file after a restart.
Every wait is bounded. Binaries: $IOPD_BIN, $IOPCTL_BIN."""

from __future__ import annotations

import json
import subprocess
from datetime import date, timedelta

from roomkit import binary, start
from test_admin import ROOM, iopctl, operator, records


def test_iopctl_program_changes_a_room_and_the_change_survives_a_restart(servers, tmp_path):
    data = tmp_path / "data"
    server = start(servers, data)
    token = operator(server)
    today = date.today()
    schedule = {
        "timeZone": "America/Los_Angeles", "startDate": str(today), "endDate": str(today + timedelta(days=60)),
        "slots": [{"days": ["monday", "wednesday", "thursday"], "start": "18:00", "end": "21:00"}],
    }
    path = tmp_path / "schedule.json"
    path.write_text(json.dumps(schedule))
    done = iopctl(server, token, "program", "set-schedule", ROOM, "--file", str(path))
    assert done.returncode == 0, done.stderr
    for member in ("m-ana", "m-bo"):
        done = iopctl(server, token, "program", "enrol", ROOM, member, "--on", str(today))
        assert done.returncode == 0, done.stderr
    done = iopctl(server, token, "program", "discharge", ROOM, "m-bo", "--on", str(today + timedelta(days=14)))
    assert done.returncode == 0, done.stderr

    # Refusals carry the server's code and the key at fault; exit status 1.
    overlapping = dict(schedule, slots=schedule["slots"] + [
        {"days": ["monday"], "start": "20:00", "end": "22:00"}])
    path.write_text(json.dumps(overlapping))
    refused = iopctl(server, token, "program", "set-schedule", ROOM, "--file", str(path))
    assert refused.returncode == 1
    assert "invalid_schedule" in refused.stderr and "schedule.slots[1]" in refused.stderr, refused.stderr
    refused = iopctl(server, token, "program", "enrol", "no-such-room", "m-x", "--on", str(today))
    assert refused.returncode == 1 and "unknown_room" in refused.stderr, refused.stderr
    refused = iopctl(server, token, "program", "enrol", ROOM, "m-ana", "--on", str(today))
    assert refused.returncode == 1 and "already_enrolled" in refused.stderr, refused.stderr

    shown = iopctl(server, token, "program", "show", ROOM)
    assert shown.returncode == 0, shown.stderr
    program = json.loads(shown.stdout)
    assert program["source"] == "store"
    assert program["program"]["schedule"]["timeZone"] == "America/Los_Angeles"
    assert [(entry["member"], entry.get("discharged")) for entry in program["program"]["roster"]] == [
        ("m-ana", None), ("m-bo", str(today + timedelta(days=14)))]

    with records(data) as db:
        audit = db.execute("SELECT room, actor, action, member FROM program_audit ORDER BY id").fetchall()
    assert audit == [
        (ROOM, "op-olu", "schedule_set", None), (ROOM, "op-olu", "enrolled", "m-ana"),
        (ROOM, "op-olu", "enrolled", "m-bo"), (ROOM, "op-olu", "discharged", "m-bo")]

    assert server.stop() == 0
    again = start(servers, data)
    shown = iopctl(again, operator(again), "program", "show", ROOM)
    assert json.loads(shown.stdout)["program"] == program["program"]
    verify = subprocess.run([binary("iopctl"), "audit", "verify", "--data-dir", str(data)],
                            capture_output=True, timeout=30, text=True)
    assert verify.returncode == 0, verify.stdout + verify.stderr
    assert "program_audit 4" in verify.stdout, verify.stdout


def test_iopctl_invite_writes_a_private_file_and_the_invitation_opens_the_room_until_revoked(servers, tmp_path):
    import asyncio
    import os
    import stat
    import websockets
    from test_admin import refused_status

    server = start(servers, tmp_path / "data")
    token = operator(server)
    today = date.today()
    assert iopctl(server, token, "program", "enrol", ROOM, "m-ana", "--on", str(today - timedelta(days=1))).returncode == 0
    out = tmp_path / "ana.token"
    done = iopctl(server, token, "invite", ROOM, "m-ana", "--alias", "Ana", "--output", str(out))
    assert done.returncode == 0, done.stderr
    assert done.stdout == "" and done.stderr.startswith("token id: "), (done.stdout, done.stderr)
    assert stat.S_IMODE(os.stat(out).st_mode) == 0o600
    invitation = out.read_text().strip()
    assert invitation.count(".") == 2

    async def opens() -> None:
        async with websockets.connect(server.room_url(ROOM), additional_headers={
                "Authorization": f"Bearer {invitation}"}, open_timeout=10) as ws:
            assert "welcome" in await asyncio.wait_for(ws.recv(), 10)
    asyncio.run(opens())

    again = iopctl(server, token, "invite", ROOM, "m-ana", "--alias", "Ana")
    assert again.returncode == 1 and "already_invited" in again.stderr, again.stderr
    revoked = iopctl(server, token, "invite", ROOM, "m-ana", "--revoke")
    assert revoked.returncode == 0 and "invitations revoked" in revoked.stdout, revoked.stdout + revoked.stderr
    assert asyncio.run(refused_status(server, invitation)) == 403


def test_iopctl_creates_a_room_that_members_join_at_once_and_that_outlives_a_restart(servers, tmp_path):
    import asyncio
    import websockets

    data = tmp_path / "data"
    server = start(servers, data)
    token = operator(server)
    done = iopctl(server, token, "create-room", "tuesday-skills", "--title", "Tuesday skills", "--kind", "skills",
                  "--capacity", "12", "--policy", '{"autoAdmit":false}')
    assert done.returncode == 0, done.stderr
    refused = iopctl(server, token, "create-room", "tuesday-skills", "--title", "Again", "--kind", "skills",
                     "--capacity", "12")
    assert refused.returncode == 1 and "room_exists" in refused.stderr, refused.stderr
    refused = iopctl(server, token, "create-room", "r2", "--title", "X", "--kind", "lecture", "--capacity", "3")
    assert refused.returncode == 1 and "invalid_room" in refused.stderr and "kind" in refused.stderr, refused.stderr
    done = iopctl(server, token, "change-room", "tuesday-skills", "--title", "Tuesday DBT skills", "--kind",
                  "skills", "--capacity", "10")
    assert done.returncode == 0, done.stderr

    from roomkit import issue_token
    member = issue_token(data, room="tuesday-skills", role="facilitator", alias="Dana", member="fac-1")

    async def snapshot_title(port: int) -> str:
        headers = {"Authorization": f"Bearer {member}"}
        async with websockets.connect(f"ws://127.0.0.1:{port}/v1/rooms/tuesday-skills",
                                      additional_headers=headers, open_timeout=10) as ws:
            for _ in range(20):
                message = json.loads(await asyncio.wait_for(ws.recv(), 10))
                if message.get("type") == "event" and message["event"]["type"] == "room.snapshot":
                    return message["event"]["title"]
        return ""

    assert asyncio.run(snapshot_title(server.port)) == "Tuesday DBT skills"
    with records(data) as db:
        audit = db.execute("SELECT room, actor, action, member FROM program_audit ORDER BY id").fetchall()
        rows = db.execute("SELECT id, created_by, changed_by FROM rooms").fetchall()
    assert audit == [("tuesday-skills", "op-olu", "room_created", None),
                     ("tuesday-skills", "op-olu", "room_changed", None)]
    assert rows == [("tuesday-skills", "op-olu", "op-olu")]

    assert server.stop() == 0
    again = start(servers, data)
    assert asyncio.run(snapshot_title(again.port)) == "Tuesday DBT skills"
