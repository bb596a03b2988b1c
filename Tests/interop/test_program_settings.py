"""A room's program schedule and roster in the rooms file (issue 23): a bad value
stops iopd at start with exit 64 and a message naming the key. Every subprocess is
bounded by a timeout."""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

from roomkit import binary

ROOM = """rooms:
  - id: evening
    title: Evening
    kind: process
    capacity: 8
    schedule:
      timeZone: {zone}
      startDate: 2026-03-02
      endDate: 2026-05-22
      slots:
        - {{days: [monday, thursday], start: "18:00", end: "21:00"}}
        - {{days: [thursday], start: "{second}", end: "22:00"}}
    roster:
      - {{member: m-1, enrolled: 2026-03-02}}
"""


def refuse(tmp_path: Path, text: str) -> str:
    rooms = tmp_path / "rooms.yaml"
    rooms.write_text(text)
    env = {k: v for k, v in os.environ.items() if not k.startswith("IOPD_")}
    result = subprocess.run(
        [binary("iopd"), "--port", "0", "--set", f"rooms.file={rooms}",
         "--set", f"server.dataDirectory={tmp_path / 'data'}"],
        capture_output=True, timeout=30, cwd=tmp_path, env=env)
    assert result.returncode == 64, result.stderr
    return result.stderr.decode()


def test_bad_schedules_stop_iopd_naming_the_key(tmp_path):
    message = refuse(tmp_path, ROOM.format(zone="America/Springfield", second="21:00"))
    assert "setting rooms[evening].schedule.timeZone must be an IANA time zone" in message, message
    message = refuse(tmp_path, ROOM.format(zone="America/Los_Angeles", second="20:00"))
    assert "setting rooms[evening].schedule.slots[1] must be no overlap" in message, message
    assert "overlap on thursday" in message, message
    message = refuse(tmp_path, ROOM.format(zone="America/Los_Angeles", second="21:00").replace("enrolled", "enroled"))
    assert "unknown setting rooms[evening].roster[0].enroled" in message, message
