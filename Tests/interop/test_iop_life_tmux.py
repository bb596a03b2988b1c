"""The room's life in the real `iop` full-screen view, driven in tmux against a real
`iopd`, at 80×24 and 60×20: quiet lines when someone arrives in the waiting room,
is admitted, gets the floor and leaves; the floor holder in everyone's header and
"you have the floor" for that member; the agreement folded to one line once
accepted; the time column (Alt-t); and `/end` asking first. Every wait is bounded.
Binaries: $IOP_BIN, $IOPD_BIN."""

from __future__ import annotations

import re
import shutil
import time

import pytest

from roomkit import RoomServer
from test_iop_tmux import Tmux, command

pytestmark = pytest.mark.skipif(shutil.which("tmux") is None, reason="tmux is not installed")


@pytest.fixture
def iopd(tmp_path):
    running = RoomServer(tmp_path / "data", "server.shutdownGraceSeconds=2")
    yield running
    assert running.stop() == 0


def wait_for_pattern(member: Tmux, pattern: str, timeout: float = 10.0) -> str:
    deadline = time.monotonic() + timeout
    while True:
        screen = member.screen(0)
        if re.search(pattern, screen, re.M):
            return screen
        assert time.monotonic() < deadline, f"no {pattern!r} on screen:\n{screen}"
        time.sleep(0.05)


@pytest.mark.parametrize("width,height", [(80, 24), (60, 20)])
def test_arrivals_the_floor_departures_and_end_on_screen(iopd, tmp_path, width, height):
    dana = Tmux(width, height, command(iopd, tmp_path, "Dana", "facilitator"))
    members = [dana]
    try:
        dana.wait_for(0, "Here (1)")
        river = Tmux(width, height, command(iopd, tmp_path, "River", "participant"))
        members.append(river)
        river.wait_for(0, "Type /accept and press Enter to agree")
        river.keys(0, "/accept", "Enter")
        dana.wait_for(0, "River is in the waiting room.")
        dana.keys(0, "/admit River", "Enter")
        dana.wait_for(0, "River was admitted.")
        screen = river.wait_for(0, "· in session")
        assert "accepted." in screen and "Type /accept to accept it" not in screen, "the agreement is folded"

        dana.keys(0, "/floor River", "Enter")
        screen = river.wait_for(0, "YOU HAVE THE FLOOR")
        assert "You have the floor." in screen
        dana.wait_for(0, "floor: River")
        dana.wait_for(0, "River has the floor.")

        dana.keys(0, "M-t")
        screen = wait_for_pattern(dana, r"^\d\d:\d\d River has the floor\.")
        assert all(len(line) <= width for line in screen.splitlines())

        river.keys(0, "/quit", "Enter")
        dana.wait_for(0, "River left.")
        dana.keys(0, "/end", "Enter")
        dana.wait_for(0, "End the session for")
        assert "session ended" not in dana.screen(0)
        dana.keys(0, "/end", "Enter")
        assert "EXIT=0" in dana.wait_for(0, "echoke")
    finally:
        for member in members:
            member.close()
