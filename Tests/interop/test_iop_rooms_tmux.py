"""A facilitator in two rooms at once: the real `iop` full screen in tmux (80×24 and
60×20) against a real `iopd`, a participant in each room (line mode); the tab strip,
its marks, switching (Ctrl-N, /room, Alt-j) and the crisis banner of the room behind.
Also line mode with two rooms, and a participant's token refused before connecting.
Every wait is bounded. Binaries: $IOP_BIN, $IOPD_BIN, $IOPCTL_BIN."""

from __future__ import annotations

import json
import shlex
import shutil
import time

import pytest

from roomkit import RoomServer
from test_iop_kit import Iop, iop_binary, run_iop
from test_iop_tmux import Tmux, assert_restored, shoot

ROOMS = ("evening-process", "dbt-skills")
pytestmark = pytest.mark.skipif(shutil.which("tmux") is None, reason="tmux is not installed")


@pytest.fixture
def server(tmp_path):
    running = RoomServer(tmp_path / "data", "server.shutdownGraceSeconds=2")
    yield running
    assert running.stop() == 0


def token_files(server: RoomServer, tmp_path, role: str = "facilitator", second_role: str | None = None) -> list[str]:
    """`--token-file ROOM=FILE` for Dana in both rooms (the second with `second_role`)."""
    args = []
    for index, room in enumerate(ROOMS):
        path = tmp_path / f"dana-{room}.token"
        path.write_text(server.token(room=room, role=second_role if index and second_role else role,
                                     alias="Dana", member="dana"))
        args += ["--token-file", f"{room}={path}"]
    return args


def participant(server: RoomServer, room: str, alias: str) -> Iop:
    """A participant in line mode who accepts the agreement and waits."""
    person = Iop(server.url, room, server.token(room=room, role="participant", alias=alias, member=alias.lower()))
    person.expect("Type /accept")
    person.send("/accept")
    person.expect("waiting room")
    return person


def wait_gone(tmux: Tmux, pane: int, text: str, timeout: float = 10.0) -> str:
    deadline = time.monotonic() + timeout
    while True:
        screen = tmux.screen(pane)
        if text not in screen:
            return screen
        if time.monotonic() > deadline:
            raise AssertionError(f"pane {pane} still shows {text!r}:\n{screen}")
        time.sleep(0.1)  # polling the pane, bounded by the deadline


@pytest.mark.parametrize("width,height", [(80, 24), (60, 20)])
def test_two_rooms_switching_and_the_crisis_banner_of_the_room_behind(server, tmp_path, width, height):
    iop = " ".join(shlex.quote(p) for p in [iop_binary(), "join", server.url, *ROOMS, *token_files(server, tmp_path)])
    tmux = Tmux(width, height, f"sh -c '{iop}; echo EXIT=$?; stty -a; sleep 600'")
    people: list[Iop] = []
    try:
        screen = tmux.wait_for(0, "[1 evening-process]")
        assert screen.splitlines()[0].startswith(" Evening process group")
        tmux.wait_for(0, "Here (1)")

        people.append(participant(server, ROOMS[0], "River"))
        tmux.wait_for(0, "▸ River")
        tmux.keys(0, "M-a")  # admits River in the room in front
        people[0].expect("You are in the room")

        people.append(participant(server, ROOMS[1], "Sky"))
        screen = tmux.wait_for(0, "2 dbt-skills ⌛")  # an arrival in the room behind
        assert "Sky" not in screen, "the room behind's waiting list is not in front"

        tmux.keys(0, "C-n")
        screen = tmux.wait_for(0, "[2 dbt-skills]")
        assert screen.splitlines()[0].startswith(" DBT skills group")
        assert "⌛" not in screen.splitlines()[1], "the mark is cleared in front"
        tmux.wait_for(0, "▸ Sky")
        tmux.keys(0, "M-a")
        people[1].expect("You are in the room")

        tmux.keys(0, "/room evening", "Enter")  # a unique prefix
        tmux.wait_for(0, "[1 evening-process]")
        people[1].send("Hello from the other room")
        tmux.wait_for(0, "2 dbt-skills +1")
        shoot(tmux, 0, f"several-rooms-marks-{width}x{height}")

        people[1].send("/crisis")
        screen = tmux.wait_for(0, "!!! CRISIS in dbt-skills (Alt-j): Sky")
        lines = screen.splitlines()
        assert lines[0].startswith(" Evening process group"), "the room in front stays in front"
        assert "2 dbt-skills !!!" in lines[1]
        assert lines[2].startswith(" !!! CRISIS in dbt-skills"), "a banner under the tab strip"
        assert all(len(line) <= width for line in lines)
        shoot(tmux, 0, f"several-rooms-crisis-behind-{width}x{height}")
        tmux.keys(0, "C-n", "C-n")  # around and back: the banner stays until acknowledged
        tmux.wait_for(0, "[1 evening-process]")
        assert "CRISIS in dbt-skills" in tmux.screen(0)

        tmux.keys(0, "M-j")  # Alt-j goes to the room of the alert
        screen = tmux.wait_for(0, "!!! CRISIS ALERT: Sky needs help now")
        assert "[2 dbt-skills !!!]" in screen.splitlines()[1]
        assert "CRISIS in dbt-skills" not in screen, "in front, the room's own banner"
        if width >= 80:  # at 60 columns the pane is 33 wide: the line wrapped and scrolled away
            assert "Hello from the other room" in screen
        tmux.keys(0, "/ack", "Enter")
        people[1].expect("acknowledged by Dana")
        wait_gone(tmux, 0, "CRISIS ALERT: Sky needs help")

        tmux.keys(0, "C-c")
        screen = assert_restored(tmux, 0, "0")
        assert "You left the rooms." in screen
    finally:
        for person in people:
            if person.process.poll() is None:
                person.finish()
        tmux.close()


def test_line_mode_names_each_rooms_lines_and_switches_with_room(server, tmp_path):
    dana = Iop(server.url, ROOMS[0], None, ROOMS[1], *token_files(server, tmp_path))
    sky = None
    try:
        assert dana.expect("Welcome, Dana.").startswith("[")
        sky = participant(server, ROOMS[1], "Sky")
        dana.expect("[dbt-skills] ")
        dana.send("/admit Sky")  # the room in front is evening-process: no Sky there
        dana.expect("[evening-process] !")
        dana.send("/room dbt-skills")
        dana.expect("[dbt-skills] * Now in dbt-skills (DBT skills group)")
        dana.send("/admit Sky")
        sky.expect("You are in the room")
        dana.send("/room 1")
        dana.expect("[evening-process] * Now in evening-process")
        sky.send("/crisis")
        line = dana.expect("CRISIS ALERT from Sky")
        assert line.startswith("[dbt-skills] "), line
        status, out, _ = dana.finish()
        assert status == 0
        assert all(line.startswith("[") for line in out.splitlines() if line), "every line names its room"
    finally:
        if sky is not None and sky.process.poll() is None:
            sky.finish()
        if dana.process.poll() is None:
            dana.finish()


def test_a_participants_token_for_a_second_room_is_refused_before_connecting(server, tmp_path):
    result = run_iop("join", server.url, *ROOMS, *token_files(server, tmp_path, second_role="participant"))
    assert result.returncode == 2
    stderr = result.stderr.decode()
    assert "The join token for dbt-skills is not a facilitator's" in stderr
    assert "Join one room per iop" in stderr
    assert result.stdout == b"", "nothing connected, nothing shown"


def test_json_lines_with_two_rooms_name_the_room_and_stay_json(server, tmp_path):
    dana = Iop(server.url, ROOMS[0], None, ROOMS[1], "--json", *token_files(server, tmp_path))
    dana.expect('"type":"room.snapshot"')
    dana.send("/room dbt-skills")
    dana.expect('"type":"client.room"')
    dana.send("/ping")
    status, out, _ = dana.finish()
    assert status == 0
    lines = [json.loads(line) for line in out.splitlines() if line]
    assert lines and all(set(line) == {"room", "message"} for line in lines)
    assert {line["room"] for line in lines} == set(ROOMS)
    welcomes = {line["room"]: line["message"]["room"] for line in lines if line["message"].get("type") == "welcome"}
    assert welcomes == {room: room for room in ROOMS}, "each room's messages under its own name"
    switched = [line for line in lines if line["message"].get("type") == "client.room"]
    assert switched[0]["room"] == "dbt-skills" and "Now in dbt-skills" in switched[0]["message"]["text"]
