"""The attack suite of issue 18: hostile clients against one real iopd on loopback.

One server (arena.py) with a 64 MiB memory budget serves the whole module (a
second one, with compression on, takes the compression bombs); a canary room of well-behaved members (canary.py, its own process) chats
throughout. Each test is one phase attacking one layer: HTTP and frames
(attacks_transport.py), HTTP/2 limits (attacks_http2.py), JSON, commands and reconnects (attacks_room.py), tokens
and aliases (attacks_auth.py). After every phase the server must be alive,
answer /livez, have stayed under baseline + budget + margin in resident memory
(VmHWM), and every canary round trip sent during the phase must have completed
under 50 ms; within a phase, every attack must get the refusal docs/PROTOCOL.md
documents. The last test checks that the canary lost nothing over the whole
run, that its round trip stayed under 50 ms throughout (between phases too),
and that the records were not flooded. A summary (per phase: result, round
trips, memory, what each attack saw) goes to .build/attack-report.json and is
printed.

Traffic goes to 127.0.0.1 only; attackers connect from other loopback source
addresses (127.0.0.N) so one attack's per-address limits never reach another.
The attackers run at nice 10, iopd and the canary at normal priority. Every
loop is bounded in count and time; the module takes about 30 s here.
"""

from __future__ import annotations

import contextlib
import os
import resource
import sqlite3

import pytest

from arena import ROUND_TRIP_MS, Arena, distribution
from attacks_auth import alias_attacks, token_attacks
from attacks_http2 import http2_attacks
from attacks_room import command_attacks, coordinated_flood, json_attacks, reconnect_attacks
from attacks_transport import frame_attacks, http_attacks
from roomkit import ROOT, run


@pytest.fixture(scope="module")
def arena(tmp_path_factory):
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    if soft < 4096:  # ~500 sockets at once in the HTTP phase
        resource.setrlimit(resource.RLIMIT_NOFILE, (min(hard, 4096), hard))
    ring = Arena(tmp_path_factory.mktemp("attack"))
    # The attackers (this process) yield the CPU to iopd and the canary, which started before
    # at normal priority: real attackers are on other machines. On two cores, attackers at the
    # same priority add ~20 ms to the canary even when they attack another iopd (measured).
    os.nice(10)
    yield ring
    ring.close(ROOT / ".build" / "attack-report.json")
    with contextlib.suppress(PermissionError):  # back to normal for the tests after, where allowed
        os.nice(-10)


def test_http_layer(arena):
    with arena.phase("http") as phase:
        run(http_attacks(arena, phase), timeout=40)


def test_frame_layer(arena):
    with arena.phase("frames") as phase:
        run(frame_attacks(arena, phase), timeout=45)


def test_http2_layer(arena):
    with arena.phase("http2") as phase:
        run(http2_attacks(arena, phase), timeout=90)


def test_json_layer(arena):
    with arena.phase("json") as phase:
        run(arena.rounds(json_attacks, phase, seconds=2, most=100), timeout=30)


def test_command_layer(arena):
    with arena.phase("commands") as phase:
        run(arena.rounds(command_attacks, phase, seconds=2, most=20), timeout=40)
        with phase.step("coordinated flood"):
            run(coordinated_flood(arena, phase), timeout=40)


def test_reconnect_layer(arena):
    with arena.phase("reconnects") as phase:
        run(reconnect_attacks(arena, phase), timeout=40)


def test_token_layer(arena):
    with arena.phase("tokens") as phase:
        run(arena.rounds(token_attacks, phase, seconds=2, most=50), timeout=30)


def test_alias_layer(arena):
    with arena.phase("aliases") as phase:
        run(arena.rounds(alias_attacks, phase, seconds=2, most=100), timeout=30)


def test_canary_lost_nothing_and_records_were_not_flooded(arena):
    """Over the whole run, between phases too: every canary chat reached every canary member
    exactly once and in order, each round trip took under 50 ms; the reconnect churn left few
    attendance rows; and iopd still stops cleanly. Every check runs; all failures are reported."""
    failures = []
    summary = arena.finish()
    if not summary:
        failures.append("the canary gave no summary (its process died)")
    elif summary["errors"]:
        failures.append(f"canary errors: {summary['errors']}")
    for name, received in (summary or {}).get("received", {}).items():
        missing = sorted(set(summary["sent"]) - set(received))
        repeated = sorted({n for n in received if received.count(n) > 1})
        if received != summary["sent"]:
            failures.append(f"canary {name}: not every chat exactly once in order: missing {missing[:20]}, "
                            f"repeated {repeated[:20]}, {len(received)} received of {len(summary['sent'])}")
    samples = arena.canary.samples
    late = [(round(s["ms"]) if s["ms"] is not None else "lost", phase_at(arena, s["t"]))
            for s in samples if s["ms"] is None or s["ms"] >= ROUND_TRIP_MS]
    if late:
        times = [s["ms"] for s in samples if s["ms"] is not None]
        failures.append(f"canary round trips >= {ROUND_TRIP_MS:g} ms (ms, during): {late[:20]}; "
                        f"distribution {distribution(times)}")
    churn = arena.report.get("churn")
    if churn:  # the reconnect phase ran: its rows, read now that the writer has long committed them
        database = arena.server.data_dir / "records.sqlite"
        with sqlite3.connect(f"file:{database}?mode=ro", uri=True, timeout=5) as db:
            rows = sum(db.execute(f"SELECT count(*) FROM {table} WHERE member = ?", (churn["member"],)).fetchone()[0]
                       for table in ("attendance", "attendance_events"))
        churn["attendance_rows"] = rows
        if rows > max(10, churn["flaps"] // 10):
            failures.append(f"reconnect churn: {churn['flaps']} flaps wrote {rows} attendance rows")
    status = arena.stop()
    if status != 0:
        failures.append(f"iopd did not stop cleanly after the attacks ({status}): {arena.server.captured()[-1500:]!r}")
    assert not failures, "\n".join(failures)


def phase_at(arena: Arena, moment: float) -> str:
    phase = next((p for p in arena.phases if p.start <= moment <= p.end), None)
    return f"{phase.name}: {phase.step_at(moment)}" if phase else "between phases"
