"""Skills cards in the real `iop` full-screen view, driven in tmux against a real
`iopd`, at 80×24 and 60×20: a facilitator shows a card, a participant opens it with
Alt-c, fills in a field privately (no one else's screen shows it), shares it, and
the facilitator reads it; the screen and scrollback are cleared at the end. Each
member has a tmux server of their own. Every wait is bounded. Binaries: $IOP_BIN,
$IOPD_BIN."""

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
def test_a_card_filled_privately_and_shared_on_screen(iopd, tmp_path, width, height):
    members = []
    try:
        dana, (river, sky) = admitted_room(iopd, tmp_path, width, height, ["River", "Sky"], members)

        dana.keys(0, "/card dbt-stop", "Enter")
        for member in (river, sky):
            member.wait_for(0, "Card (Alt-c)")  # the side panel
        river.keys(0, "M-c")
        river.wait_for(0, "Alt-c: back to the room")
        river.wait_for(0, "S: Stop")
        river.keys(0, "/fill 1 zqfight at home", "Enter")
        screen = river.wait_for(0, "1) The situation: zqfight at home")
        assert all(len(line) <= width for line in screen.splitlines())
        sky.keys(0, "/fill 2 zqsky words", "Enter")
        sky.wait_for(0, "zqsky words")  # her own line in the pane

        river.keys(0, "M-c")
        river.wait_for(0, "Here (3)")  # back to the room
        river.keys(0, "/share", "Enter")
        river.wait_for(0, "You shared your card")
        dana.wait_for(0, "River shared:")
        dana.wait_for(0, "zqfight at home")
        dana.keys(0, "M-c")
        dana.wait_for(0, "Alt-c: back to the room")
        assert "zqsky" not in dana.screen(0, history=True), "never shared"
        for other in (sky,):
            assert "zqfight" not in other.screen(0, history=True), "a private field on another's screen"
        assert "zqsky" not in river.screen(0, history=True)

        dana.keys(0, "/end!", "Enter")
        for member in (dana, river, sky):
            screen = member.wait_for(0, "echoke")
            assert "EXIT=0" in screen
            assert "zqfight" not in member.screen(0, history=True), "screen and scrollback cleared"
    finally:
        for member in members:
            member.close()
