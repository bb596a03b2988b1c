import Metrics
import Prometheus
import RoomCore
import SocketTransport

/// What a scrape reads besides the instruments the rooms update themselves.
public struct MetricSources: Sendable {
    /// The socket layer's counters.
    public var transport: TransportStatistics
    /// Every room host.
    public var rooms: [RoomHost]
    /// Refused tokens by reason.
    public var authFailures: AuthFailureCounts
    /// The durable store, when it reports on itself.
    public var records: (any RecordStore)?
    /// The event loops the connections and rooms run on.
    public var loops: [EventLoop]
    /// The server's memory budget, when it has one to report.
    public var memoryBudget: MemoryBudget?
    /// The rooms' leases, when the records are in a database.
    public var leases: RoomLeases?

    /// Creates the sources.
    public init(
        transport: TransportStatistics, rooms: [RoomHost], authFailures: AuthFailureCounts,
        records: (any RecordStore)? = nil, loops: [EventLoop] = [], memoryBudget: MemoryBudget? = nil,
        leases: RoomLeases? = nil
    ) {
        self.leases = leases
        self.transport = transport
        self.rooms = rooms
        self.authFailures = authFailures
        self.records = records
        self.loops = loops
        self.memoryBudget = memoryBudget
    }
}

/// `iopd`'s metrics in one Prometheus registry owned by the application (no
/// global `MetricsSystem` is bootstrapped). Rooms record through swift-metrics
/// instruments backed by this registry; counters the transport and the rooms
/// already keep in atomics are mirrored into it on each scrape.
///
/// Labels are closed sets only: `role`, `state`, `reason`, and `loop` (the
/// event loop's index). No label ever carries a room, a member id, an alias or content.
public final class ServerMetrics: Sendable {
    /// The registry `/metrics` renders.
    public let registry = PrometheusCollectorRegistry()
    /// The instruments every room records into.
    public let roomInstruments: RoomInstruments
    /// Fan-out latency buckets: 100 µs to 1 s; a healthy room fans out in well under 10 ms.
    public static let fanOutBuckets: [Duration] = [
        .microseconds(100), .microseconds(250), .microseconds(500), .milliseconds(1), .milliseconds(2.5),
        .milliseconds(5), .milliseconds(10), .milliseconds(25), .milliseconds(50), .milliseconds(100),
        .milliseconds(250), .milliseconds(500), .seconds(1),
    ]
    /// The auth failure reason codes, all exported (zero until they happen).
    static let authReasons = AuthFailure.all.map(\.code)

    private let gauges: Gauges
    private let mirrors: [Mirror]
    /// Last value mirrored per counter; also serialises scrapes.
    private let mirrored = LockedValue<[Int]>([])
    /// Each event loop's series, made on the first scrape (the loops come after the metrics).
    private let loopSeries = LockedValue<[LoopSeries]>([])

    /// Registers every metric (so a scrape shows zeros before anything happens).
    public init() {
        let registry = self.registry
        func counter(_ name: String, _ help: String, _ labels: [(String, String)] = []) -> Prometheus.Counter {
            registry.makeCounter(descriptor: .named(name, help), labels: labels)
        }
        roomInstruments = RoomInstruments(
            messagesReceived: Metrics.Counter(
                label: "iop_room_messages_received_total", dimensions: [],
                handler: counter("iop_room_messages_received_total", "Commands received from room members.")),
            bytesReceived: Metrics.Counter(
                label: "iop_room_received_bytes_total", dimensions: [],
                handler: counter(
                    "iop_room_received_bytes_total", "Payload bytes of commands received from room members.")),
            messagesSent: Metrics.Counter(
                label: "iop_room_messages_sent_total", dimensions: [],
                handler: counter("iop_room_messages_sent_total", "Messages handed to room members' connections.")),
            bytesSent: Metrics.Counter(
                label: "iop_room_sent_bytes_total", dimensions: [],
                handler: counter(
                    "iop_room_sent_bytes_total", "Payload bytes of messages handed to room members' connections.")),
            fanOutLatency: Metrics.Timer(
                label: "iop_room_fanout_latency_seconds", dimensions: [],
                handler: registry.makeDurationHistogram(
                    descriptor: .named(
                        "iop_room_fanout_latency_seconds",
                        "Time from a command reaching its room to the last recipient being handed its frame."),
                    labels: [], buckets: Self.fanOutBuckets)))
        gauges = Gauges(registry: registry)
        mirrors = Mirror.all(registry: registry)
        mirrored.withLock { $0 = Array(repeating: 0, count: mirrors.count) }
    }

    /// Brings every collected metric up to date and renders the registry in
    /// the Prometheus text exposition format (version 0.0.4).
    public func exposition(_ sources: MetricSources) -> String {
        mirrored.withLock { last in
            for (index, mirror) in mirrors.enumerated() {
                let value = mirror.read(sources)
                if value > last[index] { mirror.counter.increment(by: Int64(value - last[index])) }
                last[index] = max(value, last[index])
            }
            gauges.update(sources)
            updateLoops(sources.loops)
        }
        return registry.emitToString()
    }

    /// `iop_loop_busy_seconds_total` and `iop_loop_longest_turn_seconds`, one series per event loop.
    private func updateLoops(_ loops: [EventLoop]) {
        loopSeries.withLock { series in
            while series.count < loops.count { series.append(LoopSeries(registry: registry, index: series.count)) }
            for (loop, index) in zip(loops, series.indices) { series[index].update(from: loop.load) }
        }
    }
}

/// A counter kept elsewhere (an atomic), copied into the registry on scrape.
private struct Mirror: Sendable {
    let counter: Prometheus.Counter
    let read: @Sendable (MetricSources) -> Int

    static func all(registry: PrometheusCollectorRegistry) -> [Mirror] {
        func mirror(
            _ name: String, _ help: String, _ labels: [(String, String)] = [],
            _ read: @escaping @Sendable (MetricSources) -> Int
        ) -> Mirror {
            Mirror(counter: registry.makeCounter(descriptor: .named(name, help), labels: labels), read: read)
        }
        let refused = "WebSocket upgrades and HTTP requests refused before the upgrade, by reason."
        var mirrors = [
            mirror("iop_connections_accepted_total", "TCP connections accepted.") {
                $0.transport.acceptedConnections.load(ordering: .relaxed)
            },
            mirror("iop_handshakes_refused_total", refused, [("reason", "over_capacity")]) {
                $0.transport.refusedOverCapacity.load(ordering: .relaxed)
            },
            mirror("iop_handshakes_refused_total", refused, [("reason", "address_connections")]) {
                $0.transport.refusedAddressConnections.load(ordering: .relaxed)
            },
            mirror("iop_handshakes_refused_total", refused, [("reason", "address_rate")]) {
                $0.transport.refusedAddressHandshakeRate.load(ordering: .relaxed)
            },
            mirror("iop_handshakes_refused_total", refused, [("reason", "request_refused")]) {
                $0.transport.refusedRequests.load(ordering: .relaxed)
            },
            mirror("iop_websocket_upgrades_total", "WebSocket handshakes completed.") {
                $0.transport.upgradedConnections.load(ordering: .relaxed)
            },
            mirror("iop_protocol_violations_total", "Peers failed for breaking RFC 6455 (close 1002, 1007 or 1009).") {
                $0.transport.protocolViolations.load(ordering: .relaxed)
            },
            mirror(
                "iop_slow_consumers_dropped_total", "Peers closed with 1013 because their outbound queue overflowed."
            ) {
                $0.transport.slowConsumersDropped.load(ordering: .relaxed)
            },
            mirror("iop_connections_timed_out_total", "Connections closed for silence or a stalled handshake.") {
                $0.transport.timedOut.load(ordering: .relaxed)
            },
            mirror("iop_tls_handshakes_total", "TLS handshakes completed.") {
                $0.transport.tlsHandshakesCompleted.load(ordering: .relaxed)
            },
            mirror(
                "iop_tls_handshake_failures_total", "TLS handshakes that failed (certificate, protocol, plain HTTP)."
            ) {
                $0.transport.tlsHandshakeFailures.load(ordering: .relaxed)
            },
            mirror(
                "iop_proxy_headers_total", "PROXY protocol headers read from trusted proxies (server.trustedProxies)."
            ) {
                $0.transport.proxyHeadersAccepted.load(ordering: .relaxed)
            },
            mirror(
                "iop_proxy_header_failures_total",
                "Connections from trusted proxies closed for a missing, invalid or late PROXY protocol header."
            ) {
                $0.transport.proxyHeaderFailures.load(ordering: .relaxed)
            },
            mirror("iop_room_events_encoded_total", "Room events encoded (once per event, whatever the audience).") {
                $0.rooms.reduce(0) { $0 + $1.statistics.eventsEncoded.load(ordering: .relaxed) }
            },
            mirror("iop_records_written_total", "Durable records committed to the record store.") {
                ($0.records as? DatabaseRecordStore)?.status.written ?? 0
            },
            mirror("iop_record_write_failures_total", "Record store write transactions that failed (retried).") {
                ($0.records as? DatabaseRecordStore)?.status.failures ?? 0
            },
            mirror(
                "iop_records_dropped_total",
                "Records dropped because the queue held twice records.maxQueuedRecords (the database away)."
            ) {
                ($0.records as? DatabaseRecordStore)?.outageStatus.dropped ?? 0
            },
            mirror(
                "iop_records_unavailable_refusals_total",
                "Room upgrades refused with 503 records_unavailable (queue at records.maxQueuedRecords)."
            ) {
                ($0.records as? DatabaseRecordStore)?.outageStatus.refusedJoins ?? 0
            },
            mirror("iop_room_leases_taken_total", "Room leases this node took (a room came to it).") {
                $0.leases?.taken.load(ordering: .relaxed) ?? 0
            },
            mirror(
                "iop_room_leases_refused_total", "Room leases asked for and held by another node (503 room_elsewhere)."
            ) {
                $0.leases?.refused.load(ordering: .relaxed) ?? 0
            },
            mirror("iop_room_leases_lost_total", "Room leases lost while hosting (the room ended here with 4008).") {
                $0.leases?.lostCount.load(ordering: .relaxed) ?? 0
            },
        ]
        for refusal in MemoryBudget.Refusal.allCases {
            mirrors.append(
                mirror(
                    "iop_memory_budget_refusals_total",
                    "Buffer growths and upgrades refused because the memory budget was spent (1013 or 503), by what.",
                    [("what", "\(refusal)")]
                ) {
                    $0.memoryBudget?.refusals(refusal) ?? 0
                })
        }
        mirrors += [
            mirror("iop_http2_connections_total", "HTTP/2 connections (TLS with ALPN h2, or h2c).") {
                $0.transport.http2.connections.load(ordering: .relaxed)
            },
            mirror("iop_http2_streams_total", "HTTP/2 streams opened by clients.") {
                $0.transport.http2.streams.load(ordering: .relaxed)
            },
            mirror("iop_http2_websocket_streams_total", "HTTP/2 streams that became WebSockets (RFC 8441).") {
                $0.transport.http2.webSocketStreams.load(ordering: .relaxed)
            },
        ]
        for limit in HTTP2Statistics.Refusal.allCases {
            mirrors.append(
                mirror(
                    "iop_http2_refusals_total", "Streams refused and HTTP/2 connections closed by a limit, by limit.",
                    [("limit", limit.rawValue)]
                ) {
                    $0.transport.http2.refusals(limit)
                })
        }
        for reason in ServerMetrics.authReasons {
            mirrors.append(
                mirror(
                    "iop_auth_failures_total", "Room tokens refused before the upgrade, by reason.",
                    [("reason", reason)]
                ) {
                    $0.authFailures.count(of: reason)
                })
        }
        return mirrors
    }
}

/// Gauges set from the sources on each scrape.
private struct Gauges: Sendable {
    let openConnections: Prometheus.Gauge
    let roomsOpen: Prometheus.Gauge
    let roomsInSession: Prometheus.Gauge
    let crisisAlertsOpen: Prometheus.Gauge
    let recordsPending: Prometheus.Gauge
    let recordsDatabaseUp: Prometheus.Gauge
    let recordsQueueLimit: Prometheus.Gauge
    let memoryBudgetUsed: Prometheus.Gauge
    let memoryBudgetLimit: Prometheus.Gauge
    let members: [MemberLoadKey: Prometheus.Gauge]

    init(registry: PrometheusCollectorRegistry) {
        openConnections = registry.makeGauge(descriptor: .named("iop_connections_open", "TCP connections open now."))
        roomsOpen = registry.makeGauge(
            descriptor: .named("iop_rooms_open", "Rooms with someone present and the session not ended."))
        roomsInSession = registry.makeGauge(
            descriptor: .named(
                "iop_rooms_in_session", "Open rooms with a facilitator and an admitted participant present."))
        crisisAlertsOpen = registry.makeGauge(
            descriptor: .named("iop_crisis_alerts_open", "Crisis alerts raised and not yet acknowledged, all rooms."))
        recordsPending = registry.makeGauge(
            descriptor: .named("iop_records_pending", "Durable records appended and not yet committed."))
        recordsDatabaseUp = registry.makeGauge(
            descriptor: .named("iop_records_database_up", "1 while the records database takes writes, 0 while away."))
        recordsQueueLimit = registry.makeGauge(
            descriptor: .named(
                "iop_records_queue_limit", "records.maxQueuedRecords: pending records past which joins are refused."))
        memoryBudgetUsed = registry.makeGauge(
            descriptor: .named("iop_memory_budget_used_bytes", "Bytes reserved now from the memory budget."))
        memoryBudgetLimit = registry.makeGauge(
            descriptor: .named("iop_memory_budget_limit_bytes", "The memory budget (limits.memoryBudgetBytes)."))
        var members: [MemberLoadKey: Prometheus.Gauge] = [:]
        for role in Role.allCases {
            for state in MemberLoadState.allCases {
                members[MemberLoadKey(role: role, state: state)] = registry.makeGauge(
                    descriptor: .named("iop_room_members", "Members present in rooms, by role and state."),
                    labels: [("role", role.rawValue), ("state", state.rawValue)])
            }
        }
        self.members = members
    }

    func update(_ sources: MetricSources) {
        openConnections.set(Double(sources.transport.openConnections.load(ordering: .relaxed)))
        var open = 0
        var inSession = 0
        var alerts = 0
        var counts: [MemberLoadKey: Int] = [:]
        for room in sources.rooms {
            let load = room.load
            if load.isOpen { open += 1 }
            if load.inSession { inSession += 1 }
            alerts += load.openCrisisAlerts
            for (key, count) in load.members { counts[key, default: 0] += count }
        }
        roomsOpen.set(Double(open))
        roomsInSession.set(Double(inSession))
        crisisAlertsOpen.set(Double(alerts))
        for (key, gauge) in members { gauge.set(Double(counts[key] ?? 0)) }
        let store = sources.records as? DatabaseRecordStore
        recordsPending.set(Double(store?.status.pending ?? 0))
        recordsDatabaseUp.set(store?.outageStatus.databaseUp == false ? 0.0 : 1.0)
        recordsQueueLimit.set(Double(store?.maxQueuedRecords ?? 0))
        memoryBudgetUsed.set(Double(sources.memoryBudget?.usedBytes ?? 0))
        memoryBudgetLimit.set(Double(sources.memoryBudget?.limit ?? 0))
    }
}

extension MetricNameDescriptor {
    /// A full metric name (unit suffix included) with its help text.
    static func named(_ name: String, _ help: String) -> MetricNameDescriptor {
        MetricNameDescriptor(metricName: name, unitName: "", helpText: help)
    }
}

/// One event loop's load in the registry: busy time mirrored as a counter,
/// the longest turn since the previous scrape as a gauge.
private struct LoopSeries: Sendable {
    let busy: Prometheus.Counter
    let longestTurn: Prometheus.Gauge
    var lastBusyNanoseconds: UInt64 = 0

    init(registry: PrometheusCollectorRegistry, index: Int) {
        let labels = [("loop", String(index))]
        busy = registry.makeCounter(
            descriptor: .named(
                "iop_loop_busy_seconds_total",
                "Time each event loop spent working (not waiting for sockets); its rate is the loop's load."),
            labels: labels)
        longestTurn = registry.makeGauge(
            descriptor: .named(
                "iop_loop_longest_turn_seconds",
                "Each event loop's longest turn since the previous scrape: how long its connections could wait."),
            labels: labels)
    }

    mutating func update(from load: LoopLoad) {
        let now = load.busyNanoseconds
        busy.increment(by: Double(now &- lastBusyNanoseconds) / 1e9)
        lastBusyNanoseconds = now
        longestTurn.set(Double(load.takeLongestTurn()) / 1e9)
    }
}
