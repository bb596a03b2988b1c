"""The toolkit in the real `iop`'s line mode against a real `iopd`: a poll asked with
/poll, answered with /vote by three participants (one also with --json, to see the
wire), results for the facilitators only; a reaction, a cue and /balance. Every wait
is bounded (see test_iop_kit.py). Binaries: $IOP_BIN, $IOPD_BIN."""

from __future__ import annotations

import json

import pytest

from roomkit import RoomServer
from test_iop_kit import Iop

ROOM = "evening-process"


@pytest.fixture
def iopd(tmp_path):
    running = RoomServer(tmp_path / "data", "server.shutdownGraceSeconds=2")
    yield running
    assert running.stop() == 0


def join(server: RoomServer, alias: str, role: str, *args: str) -> Iop:
    return Iop(server.url, ROOM, server.token(role=role, alias=alias, member=alias.lower()), *args)


def test_a_poll_a_reaction_a_cue_and_the_balance_in_line_mode(iopd):
    dana = join(iopd, "Dana", "facilitator")
    dana.expect("You are in the room")
    river = join(iopd, "River", "participant", "--json")
    sky = join(iopd, "Sky", "participant")
    ash = join(iopd, "Ash", "participant")
    for member, alias in ((river, "River"), (sky, "Sky"), (ash, "Ash")):
        member.send("/accept")
        dana.expect(f"Waiting: {alias}")
        dana.send(f"/admit {alias}")
        member.expect("room.snapshot" if member is river else "You are in the room")

    dana.send('/poll --to facilitators "How rested are you?" well | so-so | tired')
    opened = json.loads(river.expect('"poll.opened"'))["event"]
    assert opened["options"] == ["well", "so-so", "tired"] and opened["audience"] == "facilitators"
    for member in (sky, ash):  # a client votes on a poll it has been shown
        member.expect("Poll 1 (anonymous, results to the facilitators): How rested are you?  1) well  2) so-so  3) tired")
    river.send("/vote 3")
    sky.send("/vote 1")
    ash.send("/vote 3")
    dana.expect("Poll 1: 3 of 3 answered.")
    sky.send("/vote 2")
    sky.expect("You already answered this poll; an answer cannot be changed. (already_voted)")
    dana.send("/closepoll")
    dana.expect("Poll 1 closed: well: 1, so-so: 0, tired: 2 (3 answered)")
    sky.expect("Poll 1 closed: 3 answered; the results are for the facilitators.")
    closed = json.loads(river.expect('"poll.closed"'))["event"]
    assert "counts" not in closed and closed["answered"] == 3

    river.send("I slept badly.")
    sky.expect("[1] River: I slept badly.")
    sky.send("/react 1 me-too")
    dana.expect("Reactions to [1]: me too 1")
    ash.send("/cue speak")
    dana.expect("Cue: Ash — would like to speak.")
    ash.expect("Cue: You — would like to speak.")
    dana.send("/balance")
    dana.expect("  River: 1 msg, 0 hands, floor 0:00, check-ins 0 answered 0 passed, away 0:00")
    dana.expect("Not yet heard since the mark: Sky, Ash.")

    dana.send("/end!")
    outputs = {}
    for name, member in (("dana", dana), ("river", river), ("sky", sky), ("ash", ash)):
        status, outputs[name], _ = member.finish(close_input=False)
        assert status == 0, outputs[name]
    assert "would like to speak" not in outputs["sky"], "cues are for facilitators by default"
    assert "Participation" not in outputs["sky"] + outputs["river"], "the balance is for facilitators"
