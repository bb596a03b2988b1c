"""The real `iop` full-screen view driven in tmux against a real `iopd`: a facilitator
and two participants in separate panes; admission, a check-in, an exercise phase
change, a crisis alert, a resize and the end of the session; the terminal is sane
after exit. Every wait is bounded. Binaries: $IOP_BIN, $IOPD_BIN, $IOPCTL_BIN."""

from __future__ import annotations

import os
import shlex
import shutil
import subprocess
import time

import pytest

from test_iop_kit import iop_binary
from roomkit import RoomServer

ROOM = "evening-process"
pytestmark = pytest.mark.skipif(shutil.which("tmux") is None, reason="tmux is not installed")


class Tmux:
    """A private tmux server (its own socket) with one window of panes."""

    def __init__(self, width: int, height: int, first: str):
        self.socket = f"iop-test-{os.getpid()}-{time.monotonic_ns()}"
        self.run("new-session", "-d", "-s", "iop", "-x", str(width), "-y", str(height), first)

    def run(self, *args: str) -> str:
        result = subprocess.run(["tmux", "-L", self.socket, *args], capture_output=True, timeout=10, check=True)
        return result.stdout.decode(errors="replace")

    def split(self, command: str) -> None:
        self.run("split-window", "-v", "-t", "iop", command)
        self.run("select-layout", "-t", "iop", "even-vertical")

    def keys(self, pane: int, *keys: str) -> None:
        self.run("send-keys", "-t", f"iop.{pane}", *keys)

    def screen(self, pane: int, history: bool = False) -> str:
        """The pane's text; with `history`, its scrollback too."""
        return self.run("capture-pane", "-p", "-t", f"iop.{pane}", *(["-S", "-"] if history else []))

    def wait_for(self, pane: int, text: str, timeout: float = 10.0) -> str:
        deadline = time.monotonic() + timeout
        while True:
            screen = self.screen(pane)
            if text in screen:
                return screen
            if time.monotonic() > deadline:
                raise AssertionError(f"pane {pane} never showed {text!r}:\n{screen}")
            time.sleep(0.1)  # polling the pane, bounded by the deadline

    def close(self) -> None:
        subprocess.run(["tmux", "-L", self.socket, "kill-server"], capture_output=True, timeout=10)


@pytest.fixture
def server(tmp_path):
    running = RoomServer(tmp_path / "data", "server.shutdownGraceSeconds=2")
    yield running
    assert running.stop() == 0


def command(server: RoomServer, tmp_path, alias: str, role: str) -> str:
    token_file = tmp_path / f"token-{alias}"
    token_file.write_text(server.token(role=role, alias=alias, member=alias.lower()))
    iop = " ".join(shlex.quote(p) for p in [iop_binary(), "join", server.url, ROOM, "--token-file", str(token_file)])
    return f"sh -c '{iop}; echo EXIT=$?; stty -a; sleep 600'"


def admitted_room(server: RoomServer, tmp_path, width: int, height: int, names, members: list) -> tuple:
    """Dana (facilitator) and a participant per name, each in full screen in a tmux of
    their own, every participant through the agreement and admitted. Each Tmux is
    appended to `members` as it starts, so the caller's `finally` closes them all.
    Returns Dana and the participants, in the order of `names`."""
    dana = Tmux(width, height, command(server, tmp_path, "Dana", "facilitator"))
    members.append(dana)
    dana.wait_for(0, "Here (1)")
    people = []
    for name in names:
        member = Tmux(width, height, command(server, tmp_path, name, "participant"))
        members.append(member)
        people.append(member)
        member.wait_for(0, "Type /accept and press Enter to agree")
        member.keys(0, "/accept", "Enter")
        member.wait_for(0, "You are in the waiting room.")
        dana.keys(0, f"/admit {name}", "Enter")
        member.wait_for(0, "· in session")
    dana.wait_for(0, f"Here ({len(names) + 1})")
    return dana, people


def test_a_session_in_three_panes(server, tmp_path):
    tmux = Tmux(100, 60, command(server, tmp_path, "Dana", "facilitator"))
    try:
        session(tmux, server, tmp_path)
    finally:
        tmux.close()


def shoot(tmux: Tmux, pane: int, name: str) -> None:
    """With $IOP_SCREENSHOTS set, saves the pane's text there (for docs/CLIENT.md)."""
    folder = os.environ.get("IOP_SCREENSHOTS")
    if folder:
        time.sleep(0.6)  # let the screen settle (screenshots only)
        os.makedirs(folder, exist_ok=True)
        with open(os.path.join(folder, f"{name}.txt"), "w") as file:
            file.write(tmux.screen(pane))


def session(tmux: Tmux, server: RoomServer, tmp_path) -> None:
    fac, river, sky = 0, 1, 2
    tmux.wait_for(fac, "Here (1)")
    tmux.split(command(server, tmp_path, "River", "participant"))
    tmux.split(command(server, tmp_path, "Sky", "participant"))
    for pane in (river, sky):
        tmux.wait_for(pane, "Type /accept and press Enter to agree")
        shoot(tmux, pane, "agreement")
        tmux.keys(pane, "/accept", "Enter")
        tmux.wait_for(pane, "You are in the waiting room.")
        shoot(tmux, pane, "waiting-room")
    tmux.wait_for(fac, "Waiting (2)")
    shoot(tmux, fac, "facilitator-waiting-list")
    tmux.keys(fac, "/admit Ri", "Tab", "Enter")  # Tab completes the alias
    tmux.wait_for(river, "· in session")
    tmux.wait_for(fac, "▸ Sky")  # the only one waiting is selected
    tmux.keys(fac, "M-a")  # Alt-a admits the selected person
    tmux.wait_for(sky, "· in session")
    tmux.wait_for(fac, "Here (3)")

    tmux.keys(fac, "/checkin mood 300", "Enter")
    tmux.wait_for(river, "Enter: send · Ctrl-P: pass")
    shoot(tmux, river, "check-in-dialog")
    tmux.keys(river, "Right", "Right", "Tab", "calm", "Enter")  # the dialog: 5 → 7, a word
    tmux.keys(sky, "C-p")
    tmux.wait_for(fac, "Check-in: Sky passed.")
    screen = tmux.wait_for(fac, "1 answered, 1 passed")  # the facilitator's check-in summary
    assert "Check-in: River: mood 7, word calm" in screen
    shoot(tmux, fac, "facilitator-check-in")

    tmux.keys(fac, "/exercise box-breathing", "Enter")
    assert "Breathe in slowly" in tmux.wait_for(river, "Box breathing: Breathe in")
    tmux.wait_for(sky, "Box breathing: Hold", timeout=8)  # the server's phase change, 4 s later
    shoot(tmux, sky, "exercise")

    tmux.keys(sky, "/crisis", "Enter")
    screen = tmux.wait_for(fac, "!!! CRISIS ALERT: Sky needs help now")
    assert screen.splitlines()[1].startswith(" !!! CRISIS ALERT"), "a banner right under the header"
    assert "CRISIS ALERT" not in tmux.screen(river), "other participants never see it"
    shoot(tmux, fac, "facilitator-crisis-alert")
    tmux.keys(fac, "/ack", "Enter")
    tmux.wait_for(sky, "Dana has seen your alert")
    shoot(tmux, sky, "participant-alert-acknowledged")

    tmux.run("resize-window", "-t", "iop", "-x", "72", "-y", "45")
    screen = tmux.wait_for(fac, "Here (3)")
    lines = screen.splitlines()
    assert all(len(line) <= 72 for line in lines)
    assert any(line.startswith(" connected") and "Dana (facilitator)" in line for line in lines)
    assert any(len(line) > 46 and line[45] == "│" for line in lines), "the roster moved with the new width"

    tmux.keys(fac, "/end", "Enter")
    tmux.wait_for(fac, "End the session for everyone?")
    assert "The session has ended" not in tmux.screen(river), "one /end only asks"
    tmux.keys(fac, "/end", "Enter")
    for pane in (fac, river, sky):
        screen = tmux.wait_for(pane, "echoke")  # the end of `stty -a`
        assert "The session has ended. Thank you for being here." in screen
        everything = tmux.screen(pane, history=True)
        assert "calm" not in everything and "Box breathing" not in everything, "screen and scrollback cleared"
        settings = screen.split("EXIT=0", 1)[1].replace(";", " ").split()
        for flag in ("icanon", "echo", "isig", "icrnl", "opost", "ixon"):
            assert flag in settings, f"terminal not restored: {flag} missing"


def child_pid(tmux: Tmux, pane: int) -> int:
    """The pid of iop: the child of the pane's shell."""
    shell = tmux.run("display-message", "-p", "-t", f"iop.{pane}", "#{pane_pid}").strip()
    deadline = time.monotonic() + 5
    while time.monotonic() < deadline:
        children = open(f"/proc/{shell}/task/{shell}/children").read().split()
        if children:
            return int(children[0])
        time.sleep(0.05)
    raise AssertionError("iop is not running in the pane")


def assert_restored(tmux: Tmux, pane: int, status: str) -> str:
    """Waits for the end of `stty -a` after iop exited; checks the status and the settings."""
    tmux.wait_for(pane, "echoke")
    screen = tmux.screen(pane, history=True)  # small panes: `stty -a` may have scrolled EXIT= up
    assert f"EXIT={status}" in screen, screen
    settings = screen.split(f"EXIT={status}", 1)[1].replace(";", " ").split()
    for flag in ("icanon", "echo", "isig", "icrnl", "opost"):
        assert flag in settings, f"terminal not restored: {flag} missing"
    return screen


def test_ctrl_c_sigterm_a_crash_and_a_lost_connection_restore_the_terminal(server, tmp_path):
    tmux = Tmux(90, 40, command(server, tmp_path, "Dana", "facilitator"))
    try:
        tmux.wait_for(0, "Here (1)")
        tmux.split(command(server, tmp_path, "River", "participant"))
        tmux.split(command(server, tmp_path, "Sky", "participant"))
        tmux.wait_for(1, "Group agreement")
        tmux.keys(1, "C-c")
        assert_restored(tmux, 1, "0")
        assert "You left the room." in tmux.screen(1, history=True)

        tmux.wait_for(2, "Group agreement")
        os.kill(child_pid(tmux, 2), 15)
        assert_restored(tmux, 2, "143")

        # A crash in the client (here SIGSEGV from outside) still leaves a sane terminal.
        tmux.split(command(server, tmp_path, "Robin", "participant"))
        tmux.wait_for(3, "group agreement")
        os.kill(child_pid(tmux, 3), 11)
        screen = assert_restored(tmux, 3, "139")
        assert "group agreement" not in screen, "the alternate screen was left and cleared"

        server.stop()  # the facilitator's connection drops; iop keeps trying, and says so
        tmux.wait_for(0, "reconnecting")
        tmux.keys(0, "C-c")
        assert_restored(tmux, 0, "0")
    finally:
        tmux.close()
