# Shared by Scripts/bench and Scripts/soak (sourced, not run): a rooms file
# and a pinned iopd for room benchmarks. Expects BIN, SERVER_CPU and
# MAX_SECONDS; sets SERVER_PID and PORT. IOPD, if set, is the server binary
# to run instead of $BIN/iopd (Scripts/bench-ab).

# write_rooms FILE COUNT CAPACITY: rooms bench-0001.. with one agreement.
write_rooms() {
    python3 - "$1" "$2" "$3" <<'EOF'
import sys
path, count, capacity = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
with open(path, "w") as out:
    out.write('agreement:\n  version: "bench-1"\n  text: "Benchmark rooms: synthetic members, no people."\nrooms:\n')
    for number in range(1, count + 1):
        out.write(f"  - id: bench-{number:04d}\n    title: Bench room {number}\n    kind: process\n"
                  f"    capacity: {capacity}\n")
EOF
}

# start_server WORK ROOMS_FILE: a fresh data folder, iopd pinned to SERVER_CPU.
# Rate limits are raised far above the bench's rates; the per-address limits
# are off because every member connects from 127.0.0.1.
start_server() {
    local work=$1 rooms=$2
    rm -rf "$work/data"
    : >"$work/iopd.out"
    SERVER_ARGS=(--port 0 --set "server.dataDirectory=$work/data" --set "rooms.file=$rooms"
        --set limits.maxConnections=20000 --set limits.maxConnectionsPerAddress=0
        --set limits.handshakesPerSecondPerAddress=0 --set rooms.messagesPerSecond=1000 --set rooms.burst=2000
        --set log.level=warning --set server.drainGraceSeconds=0)
    # EXTRA_SERVER_ARGS, if set: more iopd options (Scripts/bench's TLS=1).
    SERVER_ARGS+=(${EXTRA_SERVER_ARGS[@]+"${EXTRA_SERVER_ARGS[@]}"})
    local binary=${IOPD:-$BIN/iopd}
    taskset -c "$SERVER_CPU" "$binary" "${SERVER_ARGS[@]}" >"$work/iopd.out" 2>>"$work/iopd.err" &
    SERVER_PID=$!
    PORT=
    for _ in $(seq 200); do
        PORT=$(sed -n 's/^iopd listening on [^ ]*:\([0-9][0-9]*\).*$/\1/p' "$work/iopd.out")
        [[ -n $PORT ]] && break
        kill -0 "$SERVER_PID" 2>/dev/null || break
        sleep 0.1
    done
    if [[ -z $PORT ]]; then
        echo "iopd did not report its port within 20 s" >&2
        tail -20 "$work/iopd.err" >&2 || true
        exit 1
    fi
    echo "server: taskset -c $SERVER_CPU $binary ${SERVER_ARGS[*]} (pid $SERVER_PID, port $PORT)"
}

# stop_server: SIGTERM, at most 15 s, then SIGKILL.
stop_server() {
    [[ -n ${SERVER_PID:-} ]] || return 0
    kill -TERM "$SERVER_PID" 2>/dev/null || true
    for _ in $(seq 150); do
        kill -0 "$SERVER_PID" 2>/dev/null || break
        sleep 0.1
    done
    if kill -0 "$SERVER_PID" 2>/dev/null; then
        echo "iopd did not stop within 15 s of SIGTERM; killing it" >&2
        kill -KILL "$SERVER_PID" 2>/dev/null || true
    fi
    wait "$SERVER_PID" 2>/dev/null || true
    SERVER_PID=
}
