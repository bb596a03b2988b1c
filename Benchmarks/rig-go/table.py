#!/usr/bin/env python3
"""The table of Scripts/bench-rig: one row per server, medians over its runs
(the JSON lines the rig printed), with ratios to go-gorilla's medians when it
ran. Usage: table.py RESULTS.jsonl

`table.py convert LABEL MEMBERS < iop-bench.json` turns one iop-bench --json
object into a line of the rig's shape (the figures both report), for the
rows "SERVER (iop-bench)" of Scripts/bench-rig IOPBENCH=1."""
import json
import statistics
import sys


def median(values):
    values = [v for v in values if v is not None]
    return statistics.median(values) if values else None


def get(run, *path):
    for key in path:
        if not isinstance(run, dict) or key not in run:
            return None
        run = run[key]
    return run


COLUMNS = [  # header, path in the JSON, format, ratio to Go?
    ("deliv/s", ("deliveries_per_second",), "{:.0f}", False),
    ("lost", ("lost",), "{:.0f}", False),
    ("CPU µs/deliv", ("server_cpu_us_per_delivery",), "{:.1f}", True),
    ("µs/frame", ("server_cpu_us_per_frame",), "{:.1f}", True),
    ("frames/msg", ("frames_per_message",), "{:.2f}", False),
    ("p50 ms", ("latency", "p50_us"), "{:.3g}", True),
    ("p99 ms", ("latency", "p99_us"), "{:.3g}", True),
    ("p99.9 ms", ("latency", "p999_us"), "{:.3g}", False),
    ("max ms", ("latency", "max_us"), "{:.3g}", True),
    ("p99 from write ms", ("latency_from_write", "p99_us"), "{:.3g}", False),
    ("rig lag p99 ms", ("send_lag", "p99_us"), "{:.3g}", False),
    ("arrival s", ("arrival_s",), "{:.2f}", True),
    ("arrival µs CPU/member", ("arrival_server_cpu_us_per_member",), "{:.0f}", True),
    ("of which join", ("join", "server_cpu_us_per_member"), "{:.0f}", False),
    ("crisis p50/p99/max ms", None, None, False),
]
IN_MS = {"latency", "latency_from_write", "send_lag"}


def value(run, path):
    v = get(run, *path)
    if v is not None and path[0] in IN_MS:
        v = v / 1000
    return v


def number(figures, key, scale=1.0):
    value = figures.get(key)
    return value * scale if isinstance(value, (int, float)) else None


def convert(label, members):
    """iop-bench's figures under the rig's names (what it does not report stays out)."""
    text = sys.stdin.read().strip()
    try:
        figures = json.loads(text)
    except ValueError:
        print(json.dumps({"rig": "iop-bench", "label": label, "error": "no JSON from iop-bench"}))
        return
    line = {"rig": "iop-bench", "label": label}
    if number(figures, "deliveries_per_second") is None:
        line["error"] = "iop-bench reported no deliveries"
    line["deliveries_per_second"] = number(figures, "deliveries_per_second")
    line["lost"] = number(figures, "lost") or 0
    line["server_cpu_us_per_delivery"] = number(figures, "server_cpu_us_per_delivery")
    line["latency"] = {f"{q}_us": number(figures, f"latency_{q}_ms", 1000) for q in ("p50", "p99", "p999", "max")}
    line["arrival_s"] = number(figures, "join_seconds")
    cpu = number(figures, "server_cpu_join_seconds")
    if cpu is not None:
        line["arrival_server_cpu_us_per_member"] = cpu * 1e6 / members
    print(json.dumps(line))


def main():
    if len(sys.argv) == 4 and sys.argv[1] == "convert":
        convert(sys.argv[2], int(sys.argv[3]))
        return
    runs = [json.loads(line) for line in open(sys.argv[1]) if line.strip()]
    servers = []
    for run in runs:
        if run.get("label") not in servers:
            servers.append(run.get("label"))
    rows = {}
    for server in servers:
        mine = [r for r in runs if r.get("label") == server and not r.get("error")]
        failed = sum(1 for r in runs if r.get("label") == server and r.get("error"))
        row = {"runs": f"{len(mine)}" + (f" (+{failed} failed)" if failed else "")}
        for header, path, _, _ in COLUMNS:
            if path is None:
                probes = [r["probe"]["latency"] for r in mine if r.get("probe")]
                row[header] = tuple(median([p[k] / 1000 for p in probes]) for k in ("p50_us", "p99_us", "max_us"))
                if row[header][0] is None:
                    row[header] = None
            elif header == "lost":
                row[header] = sum(r.get("lost", 0) for r in mine) if mine else None
            else:
                row[header] = median([value(r, path) for r in mine])
        rows[server] = row
    headers = ["server", "runs"] + [c[0] for c in COLUMNS]
    table = [headers]
    for server in servers:
        row = rows[server]
        cells = [server, row["runs"]]
        # Ratios within one load generator: iop-bench's rows against go-gorilla under iop-bench.
        reference = "go-gorilla (iop-bench)" if server.endswith(" (iop-bench)") else "go-gorilla"
        go = rows.get(reference)
        for header, path, fmt, ratio in COLUMNS:
            v = row[header]
            if v is None:
                cells.append("–")
            elif path is None:
                cells.append("/".join(f"{x:.3g}" for x in v))
            else:
                cell = fmt.format(v)
                if ratio and go and server != reference and go.get(header):
                    cell += f" ({v / go[header]:.2f}×)"
                cells.append(cell)
        table.append(cells)
    print("| " + " | ".join(table[0]) + " |")
    print("|" + "---|" * len(table[0]))
    for cells in table[1:]:
        print("| " + " | ".join(cells) + " |")
    if "go-gorilla" not in rows:
        print("(no go-gorilla run: no ratios)")


if __name__ == "__main__":
    main()
