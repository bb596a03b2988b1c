"""The operator's records and the cluster view through the admin API only.

Two real iopd nodes share one PostgreSQL database (the test server Scripts/test
starts) and one signing secret. A group meets on node A, another on node B.
The real `iopctl`, run from an empty folder with no records settings in its
environment (nothing of the servers' files within reach), then:
`rooms --server A --node B --open` lists each open room with its node;
`top --once` with `--node` shows both groups as NODE/ROOM; `room` and
`close` with `--node` find the node that hosts the room;
`attendance export --server B` returns the attendance node A wrote (one
database); `audit verify --server B` finds the chains intact, and names the
row a `psql` edit broke. Every wait is bounded."""

from __future__ import annotations

import csv
import io
import os
import subprocess
from datetime import datetime, timedelta, timezone

from roomkit import AGREEMENT_VERSION, Member, RoomServer, binary, run
from test_admin import issue
from test_records_postgresql import database, psql  # noqa: F401 (the fixture)

SECRET = "interop-records-secret-0123456789abcdef"


def remote_iopctl(folder, token: str, *args: str) -> subprocess.CompletedProcess:
    """iopctl with only the operator token: no data folder, no records settings, an empty working folder."""
    environment = {key: value for key, value in os.environ.items() if not key.startswith("IOPD_")}
    environment["IOPCTL_TOKEN"] = token
    return subprocess.run([binary("iopctl"), *args], capture_output=True, text=True, timeout=30, cwd=folder,
                          env=environment)


def test_records_and_rooms_of_a_cluster_through_the_admin_api(servers, tmp_path, database, monkeypatch):  # noqa: F811
    monkeypatch.setenv("IOPD_RECORDS_BACKEND", "postgresql")
    monkeypatch.setenv("IOPD_RECORDS_POSTGRESQL_URL", database)
    monkeypatch.setenv("IOPD_AUTH_SECRET", SECRET)
    node_a = RoomServer(tmp_path / "a", "server.nodeId=node-a")
    node_b = RoomServer(tmp_path / "b", "server.nodeId=node-b")
    servers.extend([node_a, node_b])
    operator = issue(node_a.data_dir, "--role", "operator", "--alias", "Ops", "--member", "op-1")[0]
    empty = tmp_path / "elsewhere"
    empty.mkdir()

    async def group(server: RoomServer, room: str, lead_id: str, member_id: str) -> list[Member]:
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
        on_a = await group(node_a, "evening-process", "fac-a", "mem-a")
        on_b = await group(node_b, "dbt-skills", "fac-b", "mem-b")
        rooms = remote_iopctl(empty, operator, "rooms", "--server", f"http://127.0.0.1:{node_a.port}",
                              "--node", f"http://127.0.0.1:{node_b.port}", "--open")
        assert rooms.returncode == 0, rooms.stderr
        lines = rooms.stdout.splitlines()
        assert lines[0].startswith("NODE") and "ROOM" in lines[0], lines
        rows = sorted(tuple(line.split()[:3]) for line in lines[1:])
        assert rows == [("node-a", "evening-process", "in_session"), ("node-b", "dbt-skills", "in_session")], rows
        top = remote_iopctl(empty, operator, "top", "--once", "--server", f"http://127.0.0.1:{node_a.port}",
                            "--node", f"http://127.0.0.1:{node_b.port}")
        assert top.returncode == 0, top.stderr
        assert "node-a/evening-process" in top.stdout and "node-b/dbt-skills" in top.stdout, top.stdout
        assert "node-b/evening-process" not in top.stdout, "idle rooms are left out of the cluster view"
        # One room, asked of node B with node A as the other node: found where it is hosted.
        room = remote_iopctl(empty, operator, "room", "evening-process", "--server", f"http://127.0.0.1:{node_b.port}",
                             "--node", f"http://127.0.0.1:{node_a.port}")
        assert room.returncode == 0, room.stderr
        assert room.stdout.startswith(f"node: http://127.0.0.1:{node_a.port}\n") and "mem-a" in room.stdout, room.stdout
        closed = remote_iopctl(empty, operator, "close", "evening-process", "--server",
                               f"http://127.0.0.1:{node_b.port}", "--node", f"http://127.0.0.1:{node_a.port}")
        assert closed.returncode == 0, closed.stderr
        assert closed.stdout == f"closed evening-process on http://127.0.0.1:{node_a.port}\n", closed.stdout
        for member in on_a:
            assert (await member.wait_closed()).code == 4003
        again = remote_iopctl(empty, operator, "close", "evening-process", "--server",
                              f"http://127.0.0.1:{node_b.port}", "--node", f"http://127.0.0.1:{node_a.port}")
        assert again.returncode == 1 and "no_session" in again.stderr, again
        for member in on_b:
            await member.leave()

    run(scenario())

    now = datetime.now(timezone.utc)
    first, last = ((now + timedelta(days=d)).strftime("%Y-%m-%d") for d in (-1, 1))
    export = remote_iopctl(empty, operator, "attendance", "export", "--server", f"http://127.0.0.1:{node_b.port}",
                           "--room", "evening-process", "--from", first, "--to", last)
    assert export.returncode == 0, export.stderr
    rows = list(csv.DictReader(io.StringIO(export.stdout, newline="")))
    assert [row["member"] for row in rows] == ["fac-a", "mem-a"], export.stdout
    assert rows[1]["consent_version"] == AGREEMENT_VERSION

    verify = remote_iopctl(empty, operator, "audit", "verify", "--server", f"http://127.0.0.1:{node_b.port}")
    assert verify.returncode == 0 and verify.stdout.startswith("intact: "), verify
    local = subprocess.run([binary("iopctl"), "audit", "verify"], capture_output=True, text=True, timeout=30)
    assert local.returncode == 0 and local.stdout == verify.stdout, (local.stdout, verify.stdout)

    psql(database, "UPDATE moderation_audit SET actor = 'someone-else' WHERE id = 1")
    broken = remote_iopctl(empty, operator, "audit", "verify", "--server", f"http://127.0.0.1:{node_a.port}")
    assert broken.returncode == 1, broken
    assert "broken: moderation_audit row 1: content_hash_mismatch" in broken.stdout, broken.stdout

    refused = remote_iopctl(empty, "not-a-token", "audit", "verify", "--server", f"http://127.0.0.1:{node_a.port}")
    assert refused.returncode == 1 and "invalid_token" in refused.stderr, refused
