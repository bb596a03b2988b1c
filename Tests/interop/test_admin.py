"""The admin API and the operator's `iopctl` against a real `iopd`: rooms and a
roster without aliases or content, revocation (the member's connection closes
with 4006 and cannot resume, even after a restart), drains by SIGTERM and by
`iopctl drain` (readyz 503, members told, the process exits 0 within the
grace, attendance closed), and `iopctl top` in line mode and in tmux.
Every wait is bounded. Binaries: $IOPD_BIN, $IOPCTL_BIN."""

from __future__ import annotations

import asyncio
import json
import os
import shlex
import shutil
import signal
import sqlite3
import subprocess
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest
import websockets

from roomkit import start, AGREEMENT_VERSION, Member, RoomServer, binary, run

ROOM = "evening-process"


def issue(data_dir: Path, *args: str) -> tuple[str, str]:
    """`iopctl token issue ... --show-id`: the token and its id (jti)."""
    result = subprocess.run(
        [binary("iopctl"), "token", "issue", *args, "--show-id", "--data-dir", str(data_dir)],
        capture_output=True, timeout=30, check=True,
    )
    token = result.stdout.decode().strip()
    token_id = result.stderr.decode().strip().removeprefix("token id: ")
    assert token.count(".") == 2 and len(token_id) == 36, (result.stdout, result.stderr)
    return token, token_id


def operator(server: RoomServer) -> str:
    return issue(server.data_dir, "--role", "operator", "--alias", "Ops Olu", "--member", "op-olu")[0]


def iopctl(server: RoomServer, token: str, *args: str, timeout: float = 30) -> subprocess.CompletedProcess:
    """The real iopctl against the server, the operator token in IOPCTL_TOKEN."""
    env = {**os.environ, "IOPCTL_TOKEN": token}
    return subprocess.run(
        [binary("iopctl"), *args, "--server", f"http://127.0.0.1:{server.port}"],
        capture_output=True, timeout=timeout, env=env, text=True,
    )


def http_status(server: RoomServer, path: str) -> int:
    try:
        with urllib.request.urlopen(f"http://127.0.0.1:{server.port}{path}", timeout=5) as response:
            return response.status
    except urllib.error.HTTPError as error:
        return error.code


def records(data_dir: Path) -> sqlite3.Connection:
    return sqlite3.connect(f"file:{data_dir / 'records.sqlite'}?mode=ro", uri=True, timeout=5)


async def refused_status(server: RoomServer, token: str, **headers: str) -> int:
    """The HTTP status of a refused room upgrade."""
    with pytest.raises(websockets.InvalidStatus) as refused:
        await websockets.connect(
            server.room_url(ROOM), additional_headers={"Authorization": f"Bearer {token}", **headers},
            open_timeout=10,
        )
    return refused.value.response.status_code


async def open_group(server: RoomServer, participant: str, token: str | None = None):
    """A facilitator and one admitted participant."""
    lead = Member(server, server.token(role="facilitator", alias="Dana Canary", member="fac-dana"), name="lead")
    await lead.connect()
    member = Member(server, token or server.token(role="participant", alias=participant, member="mem-1"), name="p")
    await member.connect()
    await member.ok("agreement.accept", version=AGREEMENT_VERSION)
    await lead.wait_event("waiting.room", lambda e: member.member_id in [w["member"] for w in e["waiting"]])
    await lead.ok("waiting.admit", member=member.member_id)
    await member.wait_event("room.snapshot")
    return lead, member


def test_rooms_and_room_show_load_by_ids_roles_and_states(servers, tmp_path):
    server = start(servers, tmp_path / "data")
    ops = operator(server)
    canary_alias, canary_text = "Zqaliascanary", "zq-content-canary-71"

    async def scenario():
        lead, member = await open_group(server, canary_alias)
        await member.ok("chat.send", text=canary_text)
        await lead.wait_event("chat.message")

        listing = iopctl(server, ops, "rooms")
        assert listing.returncode == 0, listing.stderr
        line = next(l for l in listing.stdout.splitlines() if l.startswith(ROOM))
        assert line.split()[1:4] == ["in_session", "1", "1"], listing.stdout
        rooms = json.loads(iopctl(server, ops, "rooms", "--json").stdout)
        room = next(r for r in rooms["rooms"] if r["id"] == ROOM)
        assert room["state"] == "in_session" and room["messages_in"] >= 3
        assert {(m["role"], m["state"], m["count"]) for m in room["members"]} == {
            ("facilitator", "admitted", 1), ("participant", "admitted", 1)}

        roster = iopctl(server, ops, "room", ROOM)
        assert roster.returncode == 0, roster.stderr
        assert "fac-dana" in roster.stdout and "mem-1" in roster.stdout
        detail = json.loads(iopctl(server, ops, "room", ROOM, "--json").stdout)
        assert [(e["member"], e["role"], e["state"]) for e in detail["roster"]] == [
            ("fac-dana", "facilitator", "admitted"), ("mem-1", "participant", "admitted")]
        for output in (listing.stdout, roster.stdout, json.dumps(rooms), json.dumps(detail)):
            for canary in (canary_alias, "Dana Canary", canary_text):
                assert canary not in output

        # A member's token never reaches the admin API; an unknown room is a 404.
        refused = iopctl(server, lead.token, "rooms")
        assert refused.returncode == 1 and "403 wrong_role" in refused.stderr
        missing = iopctl(server, ops, "room", "no-such-room")
        assert missing.returncode == 1 and "404 unknown_room" in missing.stderr
        # And an operator's token never opens a room.
        assert await refused_status(server, ops) == 403
        for m in (lead, member):
            await m.leave()

    run(scenario())


def test_revoked_token_is_closed_and_cannot_resume_even_after_a_restart(servers, tmp_path):
    data = tmp_path / "data"
    server = start(servers, data)
    ops = operator(server)
    token, token_id = issue(data, "--room", ROOM, "--role", "participant", "--alias", "Sam", "--member", "mem-sam")

    async def scenario():
        lead, member = await open_group(server, "Sam", token)
        last_seq = member.events()[-1]["seq"]
        revoked = iopctl(server, ops, "token", "revoke", token_id)
        assert revoked.returncode == 0, revoked.stderr
        assert revoked.stdout.strip() == f"revoked {token_id}; closed 1 connection"
        closed = await member.wait_closed(timeout=10)
        assert (closed.code, closed.reason) == (4006, "token revoked")
        assert await refused_status(server, token, **{"Last-Event-Sequence": str(last_seq)}) == 403
        again = iopctl(server, ops, "token", "revoke", token_id)
        assert "(already revoked)" in again.stdout
        await lead.leave()

    run(scenario())
    assert server.stop() == 0
    with records(data) as db:
        assert db.execute("SELECT token_id, revoked_by FROM revocations").fetchall() == [(token_id, "op-olu")]
    restarted = start(servers, data)
    assert run(refused_status(restarted, token)) == 403


def test_sigterm_drain_lets_the_session_finish_then_exits_zero(servers, tmp_path):
    data = tmp_path / "data"
    server = start(servers, data, "server.drainGraceSeconds=30")

    async def scenario():
        lead, member = await open_group(server, "Cy")
        started = time.monotonic()
        server.process.send_signal(signal.SIGTERM)
        for m in (lead, member):
            await m.wait_message(lambda msg: msg["type"] == "going_away")
        assert http_status(server, "/readyz") == 503
        assert http_status(server, "/livez") == 200 and http_status(server, "/metrics") == 200
        late = server.token(role="participant", alias="Late", member="mem-late")
        assert await refused_status(server, late) == 503
        # The group is still together: the facilitator ends the session, and the drain is done.
        await member.ok("chat.send", text="one last thing")
        await lead.ok("session.end")
        for m in (lead, member):
            assert (await m.wait_closed(timeout=10)).code == 4003
        assert server.process.wait(timeout=15) == 0
        assert time.monotonic() - started < 15, "well within the 30 s grace"

    run(scenario())
    with records(data) as db:
        assert db.execute("SELECT member, end_reason FROM attendance ORDER BY member").fetchall() == [
            ("fac-dana", "session_ended"), ("mem-1", "session_ended")]
        assert db.execute("SELECT end_reason FROM sessions").fetchall() == [("session_ended",)]


def test_iopctl_drain_closes_what_remains_after_the_grace(servers, tmp_path):
    data = tmp_path / "data"
    server = start(servers, data, "server.drainGraceSeconds=1")
    ops = operator(server)

    async def scenario():
        lead, member = await open_group(server, "Ben")
        drained = iopctl(server, ops, "drain")
        assert drained.returncode == 0 and "draining" in drained.stdout, drained
        for m in (lead, member):
            await m.wait_message(lambda msg: msg["type"] == "going_away")
            assert (await m.wait_closed(timeout=10)).code == 1001
        assert server.process.wait(timeout=15) == 0

    run(scenario())
    with records(data) as db:
        assert db.execute("SELECT member, end_reason FROM attendance ORDER BY member").fetchall() == [
            ("fac-dana", "server_stopped"), ("mem-1", "server_stopped")]


def test_top_in_line_mode(servers, tmp_path):
    server = start(servers, tmp_path / "data")
    ops = operator(server)

    async def scenario():
        lead, member = await open_group(server, "Ade")
        top = iopctl(server, ops, "top", "--iterations", "2", "--interval", "0.2")
        assert top.returncode == 0, top.stderr
        blocks = ["iopctl top" + b for b in top.stdout.split("iopctl top")[1:]]  # one per refresh
        assert len(blocks) == 2, top.stdout
        for block in blocks:
            lines = block.strip("\n").splitlines()
            assert lines[0].startswith("iopctl top") and "members 2" in lines[0]
            # From the second refresh on, each event loop's load over the interval: 0 to 1.
            if block is blocks[1]:
                loads = lines[0].split("  loops ")[1].split("  ")[0].split()
                assert loads and all(0 <= float(load) <= 1 for load in loads), lines[0]
            else:
                assert "loops" not in lines[0], lines[0]
            assert lines[2].split()[:4] == ["ROOM", "STATE", "FAC", "PART"]
            assert any(l.split()[:4] == [ROOM, "in_session", "1", "1"] for l in lines[3:]), block
        assert "\x1b[" not in top.stdout, "no escape sequences when stdout is not a terminal"
        once = iopctl(server, ops, "top", "--once")
        assert once.returncode == 0 and once.stdout.count("iopctl top") == 1
        for m in (lead, member):
            await m.leave()

    run(scenario())


@pytest.mark.skipif(shutil.which("tmux") is None, reason="tmux is not installed")
def test_top_full_screen_in_tmux_restores_the_terminal_on_ctrl_c(servers, tmp_path):
    server = start(servers, tmp_path / "data")
    token_file = tmp_path / "ops.token"
    token_file.write_text(operator(server))
    top = " ".join(shlex.quote(p) for p in [
        binary("iopctl"), "top", "--server", f"http://127.0.0.1:{server.port}", "--token-file", str(token_file)])
    socket = f"iopctl-top-{os.getpid()}-{time.monotonic_ns()}"
    tmux = ["tmux", "-L", socket]

    def screen() -> str:
        return subprocess.run([*tmux, "capture-pane", "-p", "-t", "top"], capture_output=True, timeout=10,
                              check=True).stdout.decode(errors="replace")

    def wait_for(condition, what: str) -> str:
        deadline = time.monotonic() + 10
        while True:
            text = screen()
            if condition(text):
                return text
            if time.monotonic() > deadline:
                raise AssertionError(f"never saw {what}:\n{text}")
            time.sleep(0.1)  # polling the pane, bounded by the deadline

    # bash, not sh: on Ctrl-C it waits to see whether top exits by itself (it does, with 0) and goes on.
    subprocess.run([*tmux, "new-session", "-d", "-s", "top", "-x", "120", "-y", "20",
                    f"bash -c 'echo BEFORE-TOP; {top}; echo EXIT=$?; sleep 600'"], check=True, timeout=10)
    try:
        shown = wait_for(lambda t: ROOM in t and "ROOM" in t, "the room table")
        assert "BEFORE-TOP" not in shown, "top draws on the alternate screen"
        assert shown.splitlines()[0].startswith("iopctl top")
        lead = Member(server, server.token(role="facilitator", alias="Dana", member="fac-dana"), name="lead")
        run(lead.connect())
        wait_for(lambda t: any(l.split()[:3] == [ROOM, "open", "1"] for l in t.splitlines()), "the new member")
        subprocess.run([*tmux, "send-keys", "-t", "top", "C-c"], check=True, timeout=10)
        after = wait_for(lambda t: "EXIT=0" in t, "top exiting with 0")
        assert "BEFORE-TOP" in after and "ROOM" not in after, "the normal screen is back, as it was"
        run(lead.leave())
    finally:
        subprocess.run([*tmux, "kill-server"], capture_output=True, timeout=10)
