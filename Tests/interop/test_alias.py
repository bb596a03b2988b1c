"""The alias rule at issue time (issue 18, item 6): the real `iopctl token issue`
refuses an alias that breaks it, exits non-zero, prints no token and names the
rule (never the alias); a plain alias is issued. The server's own refusal at
the upgrade is held by Tests/RoomServerTests/TokenAliasTests.swift and the
attack suite."""

from __future__ import annotations

import os
import subprocess

import pytest

from roomkit import ROOT, binary

SECRET = "interop-alias-secret-of-32-bytes-or-more"

# (what, role, alias, words the refusal must contain)
REFUSED = [
    ("ESC", "participant", "\x1b[31mRed\x1b[0m", "control characters"),
    ("BEL", "participant", "Bell\x07", "control characters"),
    ("newline", "participant", "Line\nBreak", "control characters"),
    ("C1", "participant", "Csi\x9b2J", "control characters"),
    ("RLO U+202E", "participant", "Ann\u202eeil", "bidi controls"),
    ("isolate U+2066", "facilitator", "\u2066Bo", "bidi controls"),
    ("zero-width space", "participant", "Da\u200bna", "zero-width"),
    ("11,000 bytes", "participant", "x" * 11_000, "at most 32 characters and 128 UTF-8 bytes"),
    ("impersonation", "participant", "Dana (facilitator)", "staff role"),
    ("staff word", "participant", "Facilitator Dana", "staff role"),
    ("role marker", "facilitator", "Dana [lead]", "[ or ]"),
    ("trailing space", "participant", "Sam ", "space"),
]


def issue(role: str, alias: str) -> subprocess.CompletedProcess:
    room = [] if role == "operator" else ["--room", "evening-process"]
    env = dict(os.environ, IOPD_AUTH_SECRET=SECRET)
    return subprocess.run(
        [binary("iopctl"), "token", "issue", *room, "--role", role, "--alias", alias, "--member", "m-1"],
        capture_output=True, timeout=30, cwd=ROOT, env=env,
    )


@pytest.mark.parametrize("what,role,alias,rule", REFUSED, ids=[case[0] for case in REFUSED])
def test_iopctl_refuses_an_alias_that_breaks_the_rule(what: str, role: str, alias: str, rule: str) -> None:
    result = issue(role, alias)
    stderr = result.stderr.decode(errors="replace")
    assert result.returncode != 0, f"{what}: issued anyway: {result.stdout!r}"
    assert result.stdout.strip() == b"", f"{what}: printed a token"
    assert "--alias" in stderr and rule in stderr, f"{what}: the message does not name the rule: {stderr!r}"
    assert alias.strip() not in stderr, f"{what}: the refusal repeats the alias"


def test_iopctl_issues_plain_aliases_and_lets_staff_name_their_role() -> None:
    for role, alias in [("participant", "River 🌱"), ("participant", "José-María"),
                        ("facilitator", "Dana (facilitator)"), ("operator", "Olu (ops)")]:
        result = issue(role, alias)
        assert result.returncode == 0, (role, alias, result.stderr)
        assert result.stdout.decode().strip().count(".") == 2


def test_line_mode_names_the_facilitator_and_neutralises_bidi(tmp_path) -> None:
    """End to end with the real iop in line mode: the facilitator's chat lines carry
    the marker, a participant's do not, and a right-to-left override a participant
    typed reaches the other screen as U+FFFD."""
    from roomkit import RoomServer
    from test_iop_kit import Iop

    server = RoomServer(tmp_path / "data", "server.shutdownGraceSeconds=2")
    try:
        dana = Iop(server.url, "evening-process", server.token(role="facilitator", alias="Dana", member="dana"))
        dana.expect("You are in the room")
        river = Iop(server.url, "evening-process", server.token(role="participant", alias="River", member="river"))
        river.expect("Type /accept")
        river.send("/accept")
        dana.expect("Waiting: River")
        dana.send("/admit River")
        river.expect("You are in the room")
        dana.send("Welcome, River.")
        assert "] Dana [facilitator]: Welcome, River." in river.expect("Welcome, River.")
        river.send("pay \u202e0001\u202c now")
        line = dana.expect("] River: pay")
        assert "[facilitator]" not in line
        assert "\u202e" not in line and "\u202c" not in line and "pay \ufffd0001\ufffd now" in line
        dana.finish()
        river.finish()
    finally:
        assert server.stop() == 0
