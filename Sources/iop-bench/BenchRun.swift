import BenchSupport
import RoomCore
import RoomProtocol
import SocketTransport
import WebSocketCore

/// One run of the bench: join every member, then chat (warm-up, measured
/// window, drain) or hold idle, then close. Blocks; every wait is bounded.
final class BenchRun {
    /// The figures and whether the run got through every phase.
    struct Outcome {
        var report: Report
        var complete: Bool
    }

    private let options: IopBench
    private let control: BenchControl
    private let states: [LoopState]
    private let clients: [MemberClient]
    private let pool: MemberPool
    private let loopCount: Int

    init(options: IopBench, plan: RoomPlan) {
        self.options = options
        let startedAt = monotonicNanoseconds()
        control = BenchControl(
            total: plan.members.count, deadline: startedAt + UInt64(options.maxSeconds * 1e9))
        loopCount = options.loops ?? ProcessProbe.allowedCPUCount()
        let group = EventLoopGroup(count: loopCount, label: "bench.loop")
        let states = group.loops.map { LoopState(loop: $0) }
        let address = options.serverAddress ?? ("127.0.0.1", 8080)
        var clients: [MemberClient] = []
        var entries: [MemberPool.Entry] = []
        var shared: [Int: WebSocketClientPool] = [:]
        for (index, member) in plan.members.enumerated() {
            // --share N: the members of seat s in rooms N·k ..< N·(k+1) are one simulated client (one loop).
            let group = (member.room / options.share) * options.members + member.seat
            let state = options.share > 1 ? states[group % states.count] : states[index % states.count]
            let client = MemberClient(
                index: index, room: member.room, role: member.isFacilitator ? .facilitator : .participant,
                state: state, control: control, messageBytes: options.messageBytes, speaksRelay: options.peer,
                reacts: options.reactionEvery > 0)
            state.members.append(client)  // before any connection: no loop touches it yet
            clients.append(client)
            let room = plan.roomIDs[member.room]
            var request =
                options.peer
                ? WebSocketClientRequest(host: address.host, port: address.port, path: "/peer/\(room)")
                : WebSocketClientRequest(
                    host: address.host, port: address.port, path: "/v1/rooms/\(room)",
                    headers: ["Authorization": "Bearer \(member.token)"])
            request.tls = options.caFile.map { TLSClientConfiguration(trustedCAFile: $0) }
            request.http2 = options.http2 ? .priorKnowledge : .off
            if !options.peer, !options.protocolV1 { request.subprotocols = [RoomProtocolRevision.v2Subprotocol] }
            var pool: WebSocketClientPool?
            if options.share > 1 {
                pool = shared[group] ?? WebSocketClientPool(loop: state.loop, configuration: MemberPool.configuration)
                shared[group] = pool
            }
            entries.append(MemberPool.Entry(client: client, request: request, shared: pool))
        }
        self.states = states
        self.clients = clients
        pool = MemberPool(entries: entries, window: options.connectWindow, loopCount: loopCount, control: control)
    }

    /// Runs every phase and returns the report.
    func execute() -> Outcome {
        var report = Report()
        var probe = ServerProbe(pid: options.serverPid)
        describe(in: &report)
        let baseline = probe.status()
        let ownJoinStart = ProcessProbe.ownCPUSeconds()
        probe.startWindow()
        let joinStart = monotonicNanoseconds()
        let total = control.total
        let joinLimit = joinStart + UInt64(options.joinSeconds * 1e9)
        if options.endSession {
            // Facilitators first: each reopens its room if a previous run ended its session.
            pool.start(upTo: options.rooms)
            _ = control.wait(until: joinLimit) { control.ready.load(ordering: .relaxed) >= options.rooms }
        }
        if options.idle { control.holdingAgreements.store(true, ordering: .relaxed) }
        pool.start(upTo: total)
        let connected = control.wait(until: joinLimit) { control.completed == total }
        if options.idle {
            // Everyone connects and is greeted by its room before anyone accepts the agreement,
            // so the connect figures are the connections' own, not shared with admissions.
            _ = control.wait(until: joinLimit) {
                control.greeted.load(ordering: .relaxed) == control.opened.load(ordering: .relaxed)
            }
            report.addConnectFigures(server: probe.endWindow(), bench: ProcessProbe.ownCPUSeconds() - ownJoinStart)
            control.holdingAgreements.store(false, ordering: .relaxed)
            for state in states { state.acceptHeldAgreements() }
        }
        let joined = connected && control.wait(until: joinLimit) { control.ready.load(ordering: .relaxed) == total }
        report.addJoinFigures(control: control, startedAt: joinStart)
        report.addJoinCPU(server: probe.endWindow().serverCPU, bench: ProcessProbe.ownCPUSeconds() - ownJoinStart)
        let afterJoin = probe.status()
        report.addMemory(before: baseline, after: afterJoin, connections: control.opened.load(ordering: .relaxed))
        var complete = !control.isOverdue
        if options.idle {
            complete = hold(report: &report, probe: &probe) && complete
        } else {
            complete = chat(report: &report, probe: &probe) && complete
        }
        control.enter(.stopping)
        let opened = control.opened.load(ordering: .relaxed)
        if options.endSession {
            for state in states { state.endSessions() }
            _ = control.wait(until: monotonicNanoseconds() + 5_000_000_000) {
                control.closed.load(ordering: .relaxed) >= opened
            }
        }
        for state in states { state.closeAll() }
        _ = control.wait(until: monotonicNanoseconds() + 5_000_000_000) {
            control.closed.load(ordering: .relaxed) >= opened
        }
        report.add("joined_all", .bool(joined), joined ? nil : "not every member joined within --join-seconds")
        report.add("completed", .bool(complete), complete ? nil : "incomplete: stopped by the hard timeout")
        return Outcome(report: report, complete: complete && joined)
    }

    private func describe(in report: inout Report) {
        let mode = options.idle ? "idle" : "chat"
        let load =
            options.idle
            ? "" : ", one \(options.messageBytes)-byte message per member every \(options.periodMs) ms"
        report.add(
            "mode", .string(mode),
            "mode: \(mode), \(options.rooms) rooms × \(options.members) members\(load)")
        report.add("rooms", .integer(options.rooms), nil)
        report.add("members_per_room", .integer(options.members), nil)
        report.add("period_ms", .integer(options.periodMs), nil)
        report.add("message_bytes", .integer(options.messageBytes), nil)
        report.add(
            "reaction_every_seconds", .number(options.reactionEvery),
            options.reactionEvery > 0
                ? "reactions: one per member every \(options.reactionEvery) s, to the last message it received" : nil)
        report.add("bench_loops", .integer(loopCount), "bench event loops: \(loopCount)")
        let http = options.http2 ? (options.caFile == nil ? "HTTP/2 (h2c)" : "HTTP/2 over TLS") : "HTTP/1.1"
        let carried = options.caFile == nil || options.http2 ? http : "HTTP/1.1 over TLS"
        let sharing =
            options.share > 1 ? ", \(options.share) members' rooms per connection" : ", a connection per member"
        report.add("transport", .string(carried), "transport: \(carried)\(sharing)")
        report.add("share", .integer(options.share), nil)
        let version = options.peer ? "relay" : options.protocolV1 ? "v1" : "iop.v2"
        report.add("protocol", .string(version), "room protocol offered: \(version)")
    }

    /// Idle: hold every connection for `--duration` seconds, then read the server's memory again.
    private func hold(report: inout Report, probe: inout ServerProbe) -> Bool {
        probe.startWindow()
        let ownStart = ProcessProbe.ownCPUSeconds()
        let ok = control.sleep(until: monotonicNanoseconds() + UInt64(options.duration * 1e9))
        let window = probe.endWindow()
        report.addHoldFigures(
            window: window, ownCPU: ProcessProbe.ownCPUSeconds() - ownStart,
            connections: control.opened.load(ordering: .relaxed))
        report.addErrors(merged() ?? Figures(), closedEarly: control.phase < .stopping)
        return ok
    }

    /// Chat: warm-up, measured window, drain; the figures of the window.
    private func chat(report: inout Report, probe: inout ServerProbe) -> Bool {
        guard let inRoom = membersInRooms() else {
            report.add("snapshot", .string("timeout"), "a loop did not answer: no figures")
            return false
        }
        control.enter(.warmingUp)
        for state in states {
            state.startChat(
                periodMilliseconds: options.periodMs, reactionMilliseconds: reactionMilliseconds,
                membersInRooms: inRoom)
        }
        var ok = control.sleep(until: monotonicNanoseconds() + UInt64(options.warmup * 1e9))
        let ownStart = ProcessProbe.ownCPUSeconds()
        probe.startWindow()
        let windowStart = monotonicNanoseconds()
        control.enter(.measuring)
        ok = control.sleep(until: windowStart + UInt64(options.duration * 1e9)) && ok
        control.enter(.draining)
        let seconds = Double(monotonicNanoseconds() - windowStart) / 1e9
        let window = probe.endWindow()
        let ownCPU = ProcessProbe.ownCPUSeconds() - ownStart
        for state in states { state.stopChat() }
        let figures = drain()
        guard let figures else {
            report.add("snapshot", .string("timeout"), "a loop did not answer: no figures")
            return false
        }
        report.addChatFigures(
            figures, seconds: seconds, window: window, ownCPU: ownCPU,
            expectedPerSecond: expectedDeliveriesPerSecond)
        if reactionMilliseconds > 0 {
            report.addReactionFigures(figures, seconds: seconds, serverCPU: window.serverCPU)
        }
        report.addAnswerFigures(figures)
        report.addErrors(figures, closedEarly: true)
        return ok
    }

    /// Waits until the measured messages stop arriving (none for 1 s) or 10 s have
    /// passed (an overloaded server may hold seconds of backlog); the final figures.
    private func drain() -> Figures? {
        var last = merged()
        let end = monotonicNanoseconds() + 10_000_000_000
        var quietChecks = 0
        while let current = last, current.deliveredMeasured < current.expectedMeasured,
            monotonicNanoseconds() < end, quietChecks < 5
        {
            _ = control.sleep(until: monotonicNanoseconds() + 200_000_000)
            guard let next = merged() else { return nil }
            quietChecks = next.deliveredMeasured == current.deliveredMeasured ? quietChecks + 1 : 0
            last = next
        }
        return last
    }

    /// How many members of each room got in, counted on the loops; nil if a loop did not answer.
    private func membersInRooms() -> [Int]? {
        var inRoom = [Int](repeating: 0, count: options.rooms)
        for state in states {
            guard let counts = state.membersInRooms(rooms: options.rooms, timeoutNanoseconds: 1_000_000_000)
            else { return nil }
            for (room, count) in counts.enumerated() { inRoom[room] += count }
        }
        return inRoom
    }

    /// The reactions' period in ms (`--reaction-every`), 0 without.
    private var reactionMilliseconds: Int { Int((options.reactionEvery * 1000).rounded()) }

    /// Deliveries a second if every member in the room sends on time.
    private var expectedDeliveriesPerSecond: Double {
        Double(options.rooms * options.members * (options.members - 1)) * 1000 / Double(options.periodMs)
    }

    /// Every loop's figures, merged; nil if a loop did not answer within a second.
    private func merged() -> Figures? {
        var all = Figures()
        for state in states {
            guard let figures = state.snapshot(timeoutNanoseconds: 1_000_000_000) else { return nil }
            all.merge(figures)
        }
        return all
    }
}
