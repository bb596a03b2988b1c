import re, subprocess, sys
out = subprocess.run([sys.argv[1], "--help"], capture_output=True, text=True).stdout
lines = out.split("\n")
start = lines.index("Keys (environment variable, default): meaning") + 1
entries, cur = [], None
for line in lines[start:]:
    if re.match(r"^  [a-z0-9]+\.[A-Za-z]+( \(|$)", line):
        if cur: entries.append(cur)
        cur = line.strip()
    elif cur is not None and line.strip() and not line.startswith("USAGE") and not line.startswith("OPTIONS"):
        cur += " " + line.strip()
    else:
        if cur: entries.append(cur); cur = None
        if line.startswith("USAGE") or line.startswith("OPTIONS"): break
if cur: entries.append(cur)
rows = ["| key | environment variable | default | meaning |", "|---|---|---|---|"]
for e in entries:
    m = re.match(r"^(\S+) \((\S+), default (.*?)\): (.*)$", e)
    assert m, e
    rows.append(f"| `{m[1]}` | `{m[2]}` | `{m[3]}` | {m[4]} |")
print("\n".join(rows))
