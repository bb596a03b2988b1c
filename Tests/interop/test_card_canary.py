"""Skills cards and confidentiality, against a real iopd through real sockets: a
participant's private field reaches only its author until they share it, then
the facilitators; its words are found in no file under the data folder and in no
line the server writes, at trace level, even when a too-long value is refused.
Every wait is bounded (see roomkit.py).
"""

from __future__ import annotations

import secrets

import pytest

from roomkit import RoomServer, run
from test_toolkit_canary import open_room


@pytest.fixture
def start_server(tmp_path):
    servers: list[RoomServer] = []

    def start(*settings: str, name: str = "data") -> RoomServer:
        server = RoomServer(tmp_path / name, "server.shutdownGraceSeconds=2", *settings)
        servers.append(server)
        return server

    yield start
    for server in servers:
        assert server.stop() == 0, server.captured()[-2000:]


def test_a_private_field_appears_in_no_file_and_no_output(start_server):
    server = start_server("log.level=trace", name="card-canary")
    field = f"zqfield{secrets.token_hex(6)}"
    other = f"zqother{secrets.token_hex(6)}"
    refused = f"zqrefused{secrets.token_hex(6)}"

    async def scenario():
        (sam, lee), (ana, ben, cy) = await open_room(server, ["Ana", "Ben", "Cy"], ["Sam", "Lee"])
        everyone = [sam, lee, ana, ben, cy]
        try:
            await sam.ok("card.show", card="cbt-thought-record")
            for m in everyone:
                shown = await m.wait_event("card.shown")
                assert shown["title"] == "Thought record (CBT)" and len(shown["fields"]) == 7
            await ana.ok("card.fill", card=1, field=2, text=field)
            mine = await ana.wait_event("card.fields")
            assert mine["values"][2] == field and mine["values"].count("") == 6
            await ben.ok("card.fill", card=1, field=0, text=other)
            await cy.refused("card.fill", "message_too_long", card=1, field=1, text=refused * 20)
            await cy.refused("card.fill", "unknown_field", card=1, field=7, text=refused)
            await ana.ok("card.share", card=1)
            for f in (sam, lee):
                share = await f.wait_event("card.shared")
                assert share["alias"] == "Ana" and share["values"][2] == field
            await sam.ok("chat.send", text="after the share")
            for m in everyone:
                await m.wait_event("chat.message", lambda e: e["text"] == "after the share")
            assert [m.saw(field) for m in everyone] == [True, True, True, False, False]
            assert [m.saw(other) for m in everyone] == [False, False, False, True, False], "never shared"
            assert not any(m.saw(refused) for m in everyone)
            await sam.send("session.end")
            for m in everyone:
                assert (await m.wait_closed()).code == 4003
        finally:
            for m in everyone:
                await m.leave()

    run(scenario(), timeout=30)
    assert server.stop() == 0
    output = server.captured()
    assert b" trace " in output or b" debug " in output, "trace logging was on"
    files = [path for path in server.data_dir.rglob("*") if path.is_file()]
    for needle in (field, other, refused):
        assert needle.encode() not in output, f"{needle} appears in the server's output"
        for path in files:
            assert needle.encode() not in path.read_bytes(), f"{needle} appears in {path}"
