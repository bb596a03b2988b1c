import ArgumentParser
import BenchSupport
import Glibc
import SocketTransport

/// `echo-bench idle`: open N connections as fast as possible and hold them.
struct IdleCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "idle",
        abstract: "Opens idle connections: time to connect them all, server memory per connection, threads.")

    @OptionGroup var common: CommonOptions

    @Option(help: "Connections to open.")
    var connections = 10_000

    @Option(help: "Seconds to hold them open before reading the server's memory.")
    var hold: Double = 5

    func validate() throws {
        guard (1...60_000).contains(connections) else { throw ValidationError("--connections must be 1...60000") }
        guard (0...600).contains(hold) else { throw ValidationError("--hold must be 0...600") }
    }

    func run() throws {
        try common.prepareFileLimit(connections: connections)
        let startedAt = monotonicNanoseconds()
        let control = RunControl(deadline: startedAt + UInt64(common.maxSeconds * 1e9))
        let watchdog = Watchdog(seconds: common.maxSeconds + 10, name: "echo-bench")
        defer { withExtendedLifetime(watchdog) {} }
        var report = Report()
        let complete = measure(control: control, report: &report)
        report.add("completed", .bool(complete), complete ? nil : "incomplete: stopped by the hard timeout")
        report.print(json: common.json)
        if !complete { throw ExitCode(1) }
    }

    private func measure(control: RunControl, report: inout Report) -> Bool {
        let group = EventLoopGroup(count: common.loopCount, label: "bench.loop")
        let pool = ConnectionPool(
            group: group, request: common.request, total: connections, window: common.connectWindow,
            control: control
        ) { IdleClient(tally: $0, control: control) }
        report.add(
            "mode", .string("idle"),
            "mode: idle, \(connections) connections, at most \(common.connectWindow) handshakes in flight")
        report.add("connections", .integer(connections), nil)
        report.add("connect_window", .integer(common.connectWindow), nil)
        report.add("bench_loops", .integer(common.loopCount), "bench event loops: \(common.loopCount)")
        let before = common.serverStatus()

        let serverCPU0 = common.serverCPU()
        let benchCPU0 = ProcessProbe.ownCPUSeconds()
        let connectStart = monotonicNanoseconds()
        pool.start()
        let connected = control.wait(until: control.deadline) { control.completed == connections }
        report.addConnectFigures(control: control, total: connections, startedAt: connectStart)
        // Which side was busy while connecting: the slower one bounds the connect time.
        if let serverCPU0, let serverCPU1 = common.serverCPU() {
            let used = serverCPU1 - serverCPU0
            report.add(
                "server_cpu_connect_seconds", .number(used),
                "server cpu while connecting: \(formatted(used, decimals: 3)) s")
        }
        let benchCPU = ProcessProbe.ownCPUSeconds() - benchCPU0
        report.add(
            "bench_cpu_connect_seconds", .number(benchCPU),
            "bench cpu while connecting: \(formatted(benchCPU, decimals: 3)) s")
        let afterOpen = common.serverStatus()
        let held = connected && control.sleep(until: monotonicNanoseconds() + UInt64(hold * 1e9))
        let afterHold = held ? common.serverStatus() : nil
        let opened = control.opened.load(ordering: .relaxed)
        if held { report.add("held_seconds", .number(hold), "held: \(formatted(hold, decimals: 1)) s") }
        addMemoryFigures(before: before, afterOpen: afterOpen, afterHold: afterHold, opened: opened, report: &report)
        if let own = ProcessProbe.status(pid: getpid()) {
            report.add("bench_rss_kib", .integer(own.residentKiB), "bench rss: \(own.residentKiB) KiB")
        }

        let snapshot = pool.snapshot()
        let stillOpen = pool.closeAll(until: monotonicNanoseconds() + 10_000_000_000)
        let dropped = control.unexpectedCloses.load(ordering: .relaxed)
        let failed = control.failed.load(ordering: .relaxed)
        report.add(
            "errors", .integer(failed + dropped), "errors: \(failed + dropped) (failed \(failed), dropped \(dropped))")
        report.add("dropped_connections", .integer(dropped), nil)
        report.addFailures(snapshot?.failures ?? [:])
        report.add("not_closed_in_time", .integer(stillOpen), stillOpen > 0 ? "not closed in time: \(stillOpen)" : nil)
        return held
    }

    private func addMemoryFigures(
        before: ProcessProbe.Status?, afterOpen: ProcessProbe.Status?, afterHold: ProcessProbe.Status?,
        opened: Int, report: inout Report
    ) {
        guard let before else { return }
        report.add(
            "server_rss_before_kib", .integer(before.residentKiB), "server rss before: \(before.residentKiB) KiB")
        report.add("server_threads_before", .integer(before.threads), "server threads before: \(before.threads)")
        for (name, label, status) in [("open", "all open", afterOpen), ("hold", "after hold", afterHold)] {
            guard let status else { continue }
            let perConnection = opened > 0 ? Double(status.residentKiB - before.residentKiB) / Double(opened) : .nan
            report.add(
                "server_rss_\(name)_kib", .integer(status.residentKiB), "server rss \(label): \(status.residentKiB) KiB"
            )
            report.add(
                "server_rss_per_connection_\(name)_kib", .number(perConnection),
                "server rss per connection (\(label)): \(formatted(perConnection, decimals: 2)) KiB")
            report.add(
                "server_threads_\(name)", .integer(status.threads), "server threads (\(label)): \(status.threads)")
        }
    }
}
