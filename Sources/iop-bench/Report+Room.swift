import BenchSupport

extension Report {
    /// Connecting and joining.
    mutating func addJoinFigures(control: BenchControl, startedAt: UInt64) {
        let opened = control.opened.load(ordering: .relaxed)
        let failed = control.failed.load(ordering: .relaxed)
        let ready = control.ready.load(ordering: .relaxed)
        add("connections_opened", .integer(opened), "connections opened: \(opened) of \(control.total)")
        add("connections_failed", .integer(failed), "connections failed: \(failed)")
        add("members_in_room", .integer(ready), "members in their room (admitted): \(ready) of \(control.total)")
        addElapsed("connect_seconds", "connect all", control.allConnectedAt.load(ordering: .relaxed), startedAt)
        addElapsed(
            "greeted_seconds", "connect all and be greeted by the room (agreement or snapshot)",
            control.allGreetedAt.load(ordering: .relaxed), startedAt)
        addElapsed(
            "join_seconds", "join all (agreement + admission)", control.allReadyAt.load(ordering: .relaxed), startedAt)
    }

    /// Memory once connected; CPU both sides used while everyone connected and was greeted (`--idle`, before any admission).
    mutating func addConnectFigures(server: ServerProbe.Window, bench: Double) {
        if let status = server.status {
            add(
                "server_rss_connected_kib", .integer(status.residentKiB),
                "server RSS once everyone is connected: \(status.residentKiB) KiB")
        }
        addConnectCPU(server: server.serverCPU, bench: bench)
    }

    private mutating func addConnectCPU(server: Double?, bench: Double) {
        if let server {
            add(
                "server_cpu_connect_seconds", .number(server),
                "server CPU while connecting: \(formatted(server, decimals: 3)) s")
        }
        add(
            "bench_cpu_connect_seconds", .number(bench),
            "bench CPU while connecting: \(formatted(bench, decimals: 3)) s")
    }

    /// CPU both sides used while everyone connected and joined.
    mutating func addJoinCPU(server: Double?, bench: Double) {
        if let server {
            add(
                "server_cpu_join_seconds", .number(server),
                "server CPU while joining: \(formatted(server, decimals: 3)) s")
        }
        add("bench_cpu_join_seconds", .number(bench), "bench CPU while joining: \(formatted(bench, decimals: 3)) s")
    }

    private mutating func addElapsed(_ key: String, _ label: String, _ at: UInt64, _ start: UInt64) {
        if at != 0 {
            let seconds = Double(at - start) / 1e9
            add(key, .number(seconds), "\(label): \(formatted(seconds, decimals: 3)) s")
        } else {
            add(key, .string("incomplete"), "\(label): incomplete")
        }
    }

    /// The server's memory before and after everyone joined.
    mutating func addMemory(before: ProcessProbe.Status?, after: ProcessProbe.Status?, connections: Int) {
        guard let before, let after else { return }
        add("server_rss_before_kib", .integer(before.residentKiB), nil)
        add("server_rss_kib", .integer(after.residentKiB), nil)
        add("server_threads", .integer(after.threads), "server threads: \(after.threads)")
        let grown = Double(after.residentKiB - before.residentKiB)
        let perConnection = connections > 0 ? grown / Double(connections) : .nan
        add(
            "server_rss_per_connection_kib", .number(perConnection),
            "server RSS: \(before.residentKiB) → \(after.residentKiB) KiB, "
                + "\(formatted(perConnection, decimals: 2)) KiB per connection (growth / \(connections))")
    }

    /// Idle: what holding the connections cost.
    mutating func addHoldFigures(window: ServerProbe.Window, ownCPU: Double, connections: Int) {
        if let cpu = window.serverCPU {
            add("server_cpu_seconds", .number(cpu), "server CPU while holding: \(formatted(cpu, decimals: 3)) s")
        }
        if let status = window.status {
            add(
                "server_rss_end_kib", .integer(status.residentKiB),
                "server RSS at the end: \(status.residentKiB) KiB")
        }
        add("bench_cpu_seconds", .number(ownCPU), "bench CPU while holding: \(formatted(ownCPU, decimals: 3)) s")
    }

    /// Chat: the measured window.
    mutating func addChatFigures(
        _ figures: Figures, seconds: Double, window: ServerProbe.Window, ownCPU: Double, expectedPerSecond: Double
    ) {
        let rate = Double(figures.deliveredInWindow) / seconds
        add("window_seconds", .number(seconds), nil)
        add(
            "sent_measured", .integer(figures.sentMeasured),
            "messages sent in the window: \(figures.sentMeasured) (\(formatted(Double(figures.sentMeasured) / seconds, decimals: 0))/s)"
        )
        add(
            "deliveries_per_second", .number(rate),
            "deliveries/s (to the other members): \(formatted(rate, decimals: 0)) "
                + "(schedule: \(formatted(expectedPerSecond, decimals: 0)))")
        addLatency(figures.histogram, prefix: "latency", label: "latency ms of the window's messages")
        addLatency(
            figures.windowHistogram, prefix: "window_latency",
            label: "latency ms of every delivery received in the window")
        if let cpu = window.serverCPU {
            let perDelivery = figures.deliveredInWindow > 0 ? cpu / Double(figures.deliveredInWindow) * 1e6 : .nan
            add("server_cpu_seconds", .number(cpu), nil)
            add(
                "server_cpu_us_per_delivery", .number(perDelivery),
                "server CPU: \(formatted(cpu, decimals: 3)) s in \(formatted(seconds, decimals: 1)) s, "
                    + "\(formatted(perDelivery, decimals: 2)) µs per delivery")
        }
        if let status = window.status {
            add(
                "server_rss_end_kib", .integer(status.residentKiB),
                "server RSS at the end of the window: \(status.residentKiB) KiB")
        }
        add(
            "bench_cpu_seconds", .number(ownCPU),
            "bench CPU: \(formatted(ownCPU, decimals: 3)) s (\(formatted(ownCPU / seconds * 100, decimals: 0)) % of one core)"
        )
        let lost = Swift.max(0, figures.expectedMeasured - figures.deliveredMeasured)
        add("expected_deliveries", .integer(figures.expectedMeasured), nil)
        add("delivered_measured", .integer(figures.deliveredMeasured), nil)
        add(
            "lost", .integer(lost),
            "lost: \(lost) of \(figures.expectedMeasured) expected deliveries of the window's messages "
                + "(not received by the end of the drain, at most 10 s after the window)")
        add(
            "late_ticks", .integer(figures.lateTicks),
            figures.lateTicks > 0 ? "bench fell behind its schedule \(figures.lateTicks) times" : nil)
        addLatency(
            figures.tickGaps, prefix: "bench_tick_gap",
            label: "ms between the bench's 1 ms send ticks (its own loop's stalls)")
    }

    /// p50, p99, p99.9 and max of `histogram` in ms, as `<prefix>_p50_ms`...
    private mutating func addLatency(_ histogram: LatencyHistogram, prefix: String, label: String) {
        let quantiles: [(String, String, Double)] = [
            ("p50", "p50", 0.5), ("p99", "p99", 0.99), ("p999", "p99.9", 0.999),
        ]
        var parts: [String] = []
        for (key, name, quantile) in quantiles {
            let value = histogram.value(atQuantile: quantile).map { Double($0) / 1e6 }
            add("\(prefix)_\(key)_ms", value.map { .number($0) } ?? .string("n/a"), nil)
            parts.append("\(name) \(value.map { formatted($0, decimals: 3) } ?? "n/a")")
        }
        let largest = Double(histogram.max) / 1e6
        add("\(prefix)_max_ms", .number(largest), nil)
        parts.append("max \(formatted(largest, decimals: 3))")
        add(
            "\(prefix)_samples", .integer(Int(histogram.count)),
            "\(label) (\(histogram.count) samples): " + parts.joined(separator: " / "))
    }

    /// Refusals, error answers and unexpected closes (one field each, most frequent first).
    mutating func addErrors(_ figures: Figures, closedEarly: Bool) {
        let rateLimited = figures.errors["rate_limited"] ?? 0
        add("rate_limited", .integer(rateLimited), "rate_limited answers: \(rateLimited)")
        add("errors", .string(Self.list(figures.errors)), "error answers: \(Self.list(figures.errors))")
        add("closes", .string(Self.list(figures.closes)), "unexpected closes: \(Self.list(figures.closes))")
        add("refusals", .string(Self.list(figures.failures)), "refused connections: \(Self.list(figures.failures))")
        add(
            "undecodable", .integer(figures.undecodable),
            figures.undecodable > 0 ? "undecodable frames: \(figures.undecodable)" : nil)
    }

    private static func list(_ tally: [String: Int]) -> String {
        guard !tally.isEmpty else { return "none" }
        return tally.sorted { $0.value > $1.value }.map { "\($0.value)× \($0.key)" }.joined(separator: "; ")
    }
}

extension Report {
    /// How senders were answered: `ack` frames, and own copies that were the answer
    /// (iop.v2); with v1 every message costs its sender two frames, with iop.v2 one.
    mutating func addAnswerFigures(_ figures: Figures) {
        add("acks", .integer(figures.acks), "ack frames received: \(figures.acks)")
        add(
            "own_copy_acks", .integer(figures.ownCopyAcks),
            "own copies received: \(figures.ownCopies), of which carrying their command's id (iop.v2): \(figures.ownCopyAcks)"
        )
        add("own_copies", .integer(figures.ownCopies), nil)
    }
}
