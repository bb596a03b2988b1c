"""The toolkit in the real `iop` full-screen view, driven in tmux against a real
`iopd`, at 80×24 and 60×20: a facilitator asks a poll, two participants vote and
see the results, a cue reaches the facilitator's panel, a reaction is counted, and
the balance panel names who has not been heard. Each member has a tmux server of
their own at the size under test. Every wait is bounded. Binaries: $IOP_BIN, $IOPD_BIN."""

from __future__ import annotations

import shutil

import pytest

from roomkit import RoomServer
from test_iop_tmux import admitted_room

pytestmark = pytest.mark.skipif(shutil.which("tmux") is None, reason="tmux is not installed")


@pytest.fixture
def iopd(tmp_path):
    running = RoomServer(tmp_path / "data", "server.shutdownGraceSeconds=2")
    yield running
    assert running.stop() == 0


@pytest.mark.parametrize("width,height", [(80, 24), (60, 20)])
def test_poll_cue_reaction_and_balance_on_screen(iopd, tmp_path, width, height):
    members = []
    try:
        dana, (river, sky) = admitted_room(iopd, tmp_path, width, height, ["River", "Sky"], members)

        dana.keys(0, '/poll "How rested?" well | so-so | tired', "Enter")
        for member in (river, sky):
            member.wait_for(0, "/vote to answer")  # the side panel
            member.wait_for(0, "Poll 1 (anonymous")  # the message pane
        river.keys(0, "/vote 1", "Enter")
        sky.keys(0, "/vote 3", "Enter")
        dana.wait_for(0, "2 of 2 answered")
        dana.keys(0, "/closepoll", "Enter")
        for member in (dana, river, sky):
            member.wait_for(0, "tired: 1")
            assert "/vote to answer" not in member.screen(0)

        sky.keys(0, "/cue pause", "Enter")
        dana.wait_for(0, "Sky: pause")  # the facilitator's panel
        assert "Sky: pause" not in river.screen(0), "cues are for facilitators by default"

        river.keys(0, "hello all", "Enter")
        sky.wait_for(0, "[1] River: hello all")
        sky.keys(0, "/react 1 me-too", "Enter")
        dana.wait_for(0, "Reactions to [1]: me too 1")

        dana.keys(0, "/balance", "Enter")
        dana.wait_for(0, "Not yet heard (1)")
        screen = dana.wait_for(0, "Sky (pause, quiet)")  # the roster: her cue, and no message, no floor
        assert "River (" not in screen, "River was heard"
        assert all(len(line) <= width for line in screen.splitlines())

        dana.keys(0, "/end!", "Enter")
        for member in (dana, river, sky):
            screen = member.wait_for(0, "echoke")
            assert "EXIT=0" in screen
            assert "How rested" not in member.screen(0, history=True), "screen and scrollback cleared"
    finally:
        for member in members:
            member.close()
