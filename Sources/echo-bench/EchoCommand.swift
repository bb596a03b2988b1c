import ArgumentParser
import BenchSupport
import SocketTransport
import WebSocketCore

/// `echo-bench echo`: N connections, each with one message in flight.
struct EchoCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "echo",
        abstract: "Round trips: each connection keeps one message in flight; reports msg/s and latency.")

    @OptionGroup var common: CommonOptions

    @Option(help: "Concurrent connections.")
    var connections = 1000

    @Option(help: "Message size in bytes.")
    var size = 64

    @Flag(help: "Send binary messages instead of text.")
    var binary = false

    @Option(help: "Warm-up seconds, not measured.")
    var warmup: Double = 2

    @Option(help: "Measured seconds.")
    var duration: Double = 10

    func validate() throws {
        guard (1...60_000).contains(connections) else { throw ValidationError("--connections must be 1...60000") }
        guard (0...(1 << 20)).contains(size) else { throw ValidationError("--size must be 0...1048576") }
        guard (0...600).contains(warmup), (0.1...600).contains(duration) else {
            throw ValidationError("--warmup must be 0...600 and --duration 0.1...600")
        }
    }

    func run() throws {
        try common.prepareFileLimit(connections: connections)
        let startedAt = monotonicNanoseconds()
        let control = RunControl(deadline: startedAt + UInt64(common.maxSeconds * 1e9))
        let watchdog = Watchdog(seconds: common.maxSeconds + 10, name: "echo-bench")
        defer { withExtendedLifetime(watchdog) {} }
        var report = Report()
        let complete = measure(control: control, report: &report, startedAt: startedAt)
        report.add("completed", .bool(complete), complete ? nil : "incomplete: stopped by the hard timeout")
        report.print(json: common.json)
        if !complete { throw ExitCode(1) }
    }

    /// Runs the phases, adding figures as they come. Returns false if the hard timeout cut it short.
    private func measure(control: RunControl, report: inout Report, startedAt: UInt64) -> Bool {
        let payload: WebSocketMessage =
            binary ? .binary([UInt8](repeating: 0x78, count: size)) : .text(String(repeating: "x", count: size))
        let group = EventLoopGroup(count: common.loopCount, label: "bench.loop")
        let pool = ConnectionPool(
            group: group, request: common.request, total: connections, window: common.connectWindow,
            control: control
        ) { EchoClient(tally: $0, control: control, payload: payload) }
        let kind = binary ? "binary" : "text"
        report.add("mode", .string("echo"), "mode: echo, \(connections) connections, \(size)-byte \(kind) messages")
        report.add("connections", .integer(connections), nil)
        report.add("message_bytes", .integer(size), nil)
        report.add("bench_loops", .integer(common.loopCount), "bench event loops: \(common.loopCount)")
        let benchCPUStart = ProcessProbe.ownCPUSeconds()

        pool.start()
        let connected = control.wait(until: control.deadline) { control.completed == connections }
        report.addConnectFigures(control: control, total: connections, startedAt: startedAt)
        var intact = connected && control.opened.load(ordering: .relaxed) > 0
        // Echoes flow from each connection's open; the warm-up starts once all are open.
        intact = intact && control.sleep(until: monotonicNanoseconds() + UInt64(warmup * 1e9))
        if intact { intact = measureWindow(pool: pool, report: &report) }
        finish(pool: pool, report: &report, benchCPUStart: benchCPUStart)
        return intact
    }

    /// The measured window: counts echoes and round trips, and the CPU both sides used.
    private func measureWindow(pool: ConnectionPool, report: inout Report) -> Bool {
        let control = pool.control
        let serverCPU0 = common.serverCPU()
        let benchCPU0 = ProcessProbe.ownCPUSeconds()
        let windowStart = monotonicNanoseconds()
        control.enter(.measuring)
        let intact = control.sleep(until: windowStart + UInt64(duration * 1e9))
        let serverStatus = common.serverStatus()
        control.enter(.stopping)
        let windowEnd = monotonicNanoseconds()
        let serverCPU1 = common.serverCPU()
        let benchCPU1 = ProcessProbe.ownCPUSeconds()

        guard let snapshot = pool.snapshot() else {
            report.add("echoed", .string("unknown"), "echoed: unknown (a bench loop did not answer)")
            return false
        }
        addEchoFigures(snapshot, seconds: Double(windowEnd - windowStart) / 1e9, report: &report)
        if let serverCPU0, let serverCPU1 {
            let used = serverCPU1 - serverCPU0
            let echoed = Double(snapshot.histogram.count)
            let perMessage = echoed > 0 ? used * 1e6 / echoed : .nan
            report.add(
                "server_cpu_seconds", .number(used), "server cpu: \(formatted(used, decimals: 2)) s in the window")
            report.add(
                "server_cpu_us_per_message", .number(perMessage),
                "server cpu per echo: \(formatted(perMessage, decimals: 2)) µs")
        }
        if let serverStatus {
            report.add("server_threads", .integer(serverStatus.threads), "server threads: \(serverStatus.threads)")
            report.add(
                "server_rss_kib", .integer(serverStatus.residentKiB), "server rss: \(serverStatus.residentKiB) KiB")
        }
        let benchCPU = benchCPU1 - benchCPU0
        report.add(
            "bench_cpu_seconds_window", .number(benchCPU),
            "bench cpu: \(formatted(benchCPU, decimals: 2)) s in the window")
        return intact
    }

    private func addEchoFigures(_ snapshot: LoopTally.Snapshot, seconds: Double, report: inout Report) {
        let histogram = snapshot.histogram
        let rate = Double(histogram.count) / seconds
        report.add(
            "window_seconds", .number(seconds),
            "measured: \(formatted(seconds, decimals: 2)) s after \(formatted(warmup, decimals: 1)) s warm-up")
        report.add("echoed", .integer(Int(histogram.count)), "echoed: \(histogram.count) messages")
        report.add("echo_per_second", .number(rate), "echo: \(formatted(rate, decimals: 0)) msg/s")
        for (key, label, quantile) in [("p50", "p50", 0.5), ("p99", "p99", 0.99), ("p999", "p99.9", 0.999)] {
            let millis = histogram.value(atQuantile: quantile).map { Double($0) / 1e6 } ?? .nan
            report.add("rtt_\(key)_ms", .number(millis), "rtt \(label): \(formatted(millis, decimals: 3)) ms")
        }
        let maxMillis = histogram.count > 0 ? Double(histogram.max) / 1e6 : .nan
        report.add("rtt_max_ms", .number(maxMillis), "rtt max: \(formatted(maxMillis, decimals: 3)) ms")
        report.add("mismatched_echoes", .integer(snapshot.mismatches), "mismatched echoes: \(snapshot.mismatches)")
        report.add("unsolicited_messages", .integer(snapshot.unsolicited), nil)
    }

    /// Closes everything (bounded) and adds the error and CPU totals.
    private func finish(pool: ConnectionPool, report: inout Report, benchCPUStart: Double) {
        let control = pool.control
        let snapshot = pool.snapshot()
        let stillOpen = pool.closeAll(until: monotonicNanoseconds() + 5_000_000_000)
        let dropped = control.unexpectedCloses.load(ordering: .relaxed)
        let failed = control.failed.load(ordering: .relaxed)
        let errors = failed + dropped + (snapshot?.mismatches ?? 0) + (snapshot?.unsolicited ?? 0)
        report.add(
            "errors", .integer(errors),
            "errors: \(errors) (failed \(failed), dropped \(dropped), bad echoes \((snapshot?.mismatches ?? 0) + (snapshot?.unsolicited ?? 0)))"
        )
        report.add("dropped_connections", .integer(dropped), nil)
        report.addFailures(snapshot?.failures ?? [:])
        report.add("not_closed_in_time", .integer(stillOpen), stillOpen > 0 ? "not closed in time: \(stillOpen)" : nil)
        let total = ProcessProbe.ownCPUSeconds() - benchCPUStart
        report.add("bench_cpu_seconds_total", .number(total), "bench cpu total: \(formatted(total, decimals: 2)) s")
    }
}
