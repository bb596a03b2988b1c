#!/usr/bin/env python3
"""Reads iop-bench --json outputs for Scripts/bench and Scripts/soak.

  bench-report.py lines FILE            the run's figures, one per line
  bench-report.py field FILE KEY        one figure (0 if absent)
  bench-report.py table NAME=FILE...    a Markdown table of every run, with the issue's targets
"""

import json
import sys

TARGETS = {
    "normal": "p99 ≤ 1 ms; ≤ 15 µs/delivery",
    "stress": "all delivered; p99 ≤ 5 ms; ≤ 8 µs/delivery",
    "10k": "all delivered; p99 ≤ 15 ms; ≤ 13 µs/delivery",
    "saturation": "≥ 190,000 deliveries/s",
    "idle": "≤ 8 KiB/connection; connected ≤ 1 s",
}


def load(path):
    try:
        with open(path) as handle:
            return json.loads(handle.read().strip() or "{}")
    except (OSError, ValueError):
        return {}


def number(value, decimals=2):
    if isinstance(value, (int, float)):
        return f"{value:,.{decimals}f}"
    return str(value) if value is not None else "n/a"


def lines(figures):
    if not figures:
        print("  (no figures: iop-bench printed nothing usable)")
        return
    for key, value in figures.items():
        print(f"  {key}: {value}")


def errors(figures):
    parts = []
    for key in ("errors", "closes", "refusals"):
        if figures.get(key, "none") != "none":
            parts.append(f"{key}: {figures[key]}")
    if figures.get("connections_failed"):
        parts.append(f"failed connections: {figures['connections_failed']}")
    return "; ".join(parts) or "none"


def table(pairs):
    print("| run | members | deliveries/s | p50 / p99 / p99.9 / max ms | server µs/delivery | "
          "lost | server RSS KiB (per conn.) | connect / join s | bench CPU s | errors | target |")
    print("|---|---|---|---|---|---|---|---|---|---|---|")
    for pair in pairs:
        name, _, path = pair.partition("=")
        f = load(path)
        members = f.get("rooms", 0) * f.get("members_per_room", 0)
        latency = " / ".join(number(f.get(k), 3) for k in
                             ("latency_p50_ms", "latency_p99_ms", "latency_p999_ms", "latency_max_ms"))
        if f.get("mode") == "idle":
            latency = "—"
        elif not isinstance(f.get("latency_p50_ms"), (int, float)) and f.get("window_latency_samples"):
            # None of the window's own messages arrived in time (overload): show
            # what did arrive in the window, marked.
            latency = "window: " + " / ".join(number(f.get(k), 3) for k in (
                "window_latency_p50_ms", "window_latency_p99_ms", "window_latency_p999_ms",
                "window_latency_max_ms"))
        rss = f"{f.get('server_rss_kib', 'n/a')} ({number(f.get('server_rss_per_connection_kib'))})"
        joined = f"{number(f.get('connect_seconds'), 3)} / {number(f.get('join_seconds'), 3)}"
        target = TARGETS.get(name.split("-")[0], "")
        print(f"| {name} | {members} | {number(f.get('deliveries_per_second'), 0)} | {latency} | "
              f"{number(f.get('server_cpu_us_per_delivery'))} | {f.get('lost', '—')} | {rss} | {joined} | "
              f"{number(f.get('bench_cpu_seconds'))} | {errors(f)} | {target} |")


def main(argv):
    if len(argv) >= 2 and argv[0] == "lines":
        lines(load(argv[1]))
    elif len(argv) == 3 and argv[0] == "field":
        print(load(argv[1]).get(argv[2], 0))
    elif argv and argv[0] == "table":
        table(argv[1:])
    else:
        print(__doc__, file=sys.stderr)
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
