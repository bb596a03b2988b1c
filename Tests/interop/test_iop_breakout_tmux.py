"""Breakout groups in the real `iop` full-screen view, driven in tmux against a real
`iopd`, at 80×24 and 60×20: a facilitator splits four participants into two named
groups, the header shows each member's group and the countdown, the facilitator
visits group 2 and sees its words, which group 1 never sees; a broadcast reaches
both groups; everyone comes back on /return, and again when a second breakout's
countdown ends. Each member has a tmux server of their own at the size under test.
Every wait is bounded. Binaries: $IOP_BIN, $IOPD_BIN."""

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
def test_breakout_groups_on_screen(iopd, tmp_path, width, height):
    members = []
    try:
        names = ["River", "Sky", "Ana", "Kai"]
        dana, participants = admitted_room(iopd, tmp_path, width, height, names, members)
        people = dict(zip(names, participants))

        dana.keys(0, "/breakout assign River,Sky | Ana,Kai 10m", "Enter")
        for name, group in (("River", 1), ("Sky", 1), ("Ana", 2), ("Kai", 2)):
            people[name].wait_for(0, f"group {group} of 2 ")  # the header, with the countdown after it
        dana.wait_for(0, "breakout, 2 groups")
        dana.keys(0, "/visit 2", "Enter")
        dana.wait_for(0, "group 2 of 2 ")

        people["Ana"].keys(0, "zq2", "Enter")
        people["Kai"].wait_for(0, "zq2")
        dana.wait_for(0, "zq2")
        people["River"].keys(0, "zq1", "Enter")
        people["Sky"].wait_for(0, "zq1")

        dana.keys(0, "/broadcast bs1", "Enter")
        for member in people.values():
            member.wait_for(0, "bs1")
        for name in ("River", "Sky"):
            assert "zq2" not in people[name].screen(0, history=True), f"group 2's words reached {name}"
        for name in ("Ana", "Kai"):
            assert "zq1" not in people[name].screen(0, history=True), f"group 1's words reached {name}"
        assert "zq1" not in dana.screen(0, history=True), "Dana visits group 2 only"

        dana.keys(0, "/return", "Enter")
        for member in [dana, *people.values()]:
            member.wait_for(0, "Breakout over:")
            assert " of 2 " not in member.screen(0).splitlines()[0], "the header forgets the group"

        dana.keys(0, "/breakout 2 balanced 2s", "Enter")
        for member in [dana, *people.values()]:
            screen = member.wait_for(0, "Time is up:")
            assert all(len(line) <= width for line in screen.splitlines())

        dana.keys(0, "/end!", "Enter")
        for member in [dana, *people.values()]:
            screen = member.wait_for(0, "echoke")
            assert "EXIT=0" in screen
    finally:
        for member in members:
            member.close()
