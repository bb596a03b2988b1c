import Foundation
import RoomCore
import TestSupportCore
import Testing

/// "Every connected facilitator receives every `crisis.raised` of the room", whatever
/// else happens around it: arrivals, refusals (banned, locked, full, role conflict,
/// too many reconnects, session ended), replacements, lost connections and resumes,
/// stale reports about replaced connections, departures. Seeded; the seed is printed
/// with every failure; set `ROOMCORE_SEED` to replay one seed.
@Suite("Crisis reach property")
struct CrisisReachPropertyTests {
    static var seeds: [UInt64] {
        if let raw = ProcessInfo.processInfo.environment["ROOMCORE_SEED"], let seed = UInt64(raw) { return [seed] }
        return defaultSeeds
    }

    static let defaultSeeds = (1...24).map { UInt64($0) &* 0x2545_F491 }

    @Test(arguments: seeds)
    func everyConnectedFacilitatorGetsEveryAlert(seed: UInt64) {
        var world = ReachWorld(seed: seed)
        for step in 0..<1500 { world.step(step) }
        #expect(world.alertsChecked > 25, "seed \(seed): too few alerts to mean anything")
        #expect(world.refusalsSeen.count >= 4, "seed \(seed): refusals seen \(world.refusalsSeen)")
    }

    /// The seeds together try every kind of refusal around the alerts.
    @Test func theSeedsTryEveryKindOfRefusal() {
        var seen: Set<String> = []
        for seed in Self.defaultSeeds {
            var world = ReachWorld(seed: seed)
            for step in 0..<1500 { world.step(step) }
            seen.formUnion(world.refusalsSeen)
        }
        let kinds: Set = [
            "removed", "declined", "role_conflict", "room_full", "room_locked", "too_many_reconnects", "session_ended",
        ]
        #expect(kinds.isSubset(of: seen), "refusals seen: \(seen.sorted())")
    }
}

/// One room and what the test itself believes about its connections: a connection is
/// open from the moment the room accepts it until the room closes it or the test drops it.
struct ReachWorld {
    let seed: UInt64
    var rng: SplitMix64
    var room: Room
    var now = epoch
    /// The open connection of each member, and the role it was accepted with.
    var open: [MemberID: (connection: ConnectionID, role: Role)] = [:]
    /// Connections replaced or closed, for stale reports.
    var stale: [(MemberID, ConnectionID)] = []
    var scheduled: [TimerID: Timestamp] = [:]
    var lastConnection: UInt64 = 0
    var lastCommand = 0
    var alertsChecked = 0
    var refusalsSeen: Set<String> = []
    let facilitators: [MemberID] = ["staff-7", "f2", "f3"]
    let participants: [MemberID] = ["p1", "p2", "p3", "p4", "p5"]

    init(seed: UInt64) {
        self.seed = seed
        rng = SplitMix64(seed: seed)
        let policy = RoomPolicy(
            autoAdmit: Bool.random(using: &rng), reconnectWindow: .seconds(30), replayBufferCapacity: 50)
        let definition = RoomDefinition(id: "reach", title: "Reach", kind: .process, capacity: 3, policy: policy)
        room = Room(configuration: RoomConfiguration(definition: definition), openedAt: epoch)
    }

    var everyone: [MemberID] { facilitators + participants }

    mutating func step(_ step: Int) {
        let context = "seed \(seed) step \(step)"
        now = now + .milliseconds(Int64.random(in: 0...4000, using: &rng))
        fireDueTimers(context)
        switch Int.random(in: 0..<100, using: &rng) {
        case 0..<30: connect(context)
        case 30..<42: dropOne(.connectionLost, context)
        case 42..<47: dropOne(.closedByClient, context)
        case 47..<52: staleReport(context)
        case 52..<60: facilitatorActs(context)
        case 60..<70: participantAdvances(context)
        case 70..<97: raiseAlert(context)
        default: reconnectBurst(context)
        }
        if step == 1450 {
            let facilitator = MemberIdentity(id: "f3", alias: "F3", role: .facilitator)
            if anyFacilitator == nil { connect(facilitator, context) }
            apply(room.received(.endSession, from: anyFacilitator ?? "f3", id: next(), at: now))
        }
        checkConnections(context)
    }

    var anyFacilitator: MemberID? { everyone.first { open[$0]?.role == .facilitator } }

    mutating func next() -> CommandID {
        lastCommand += 1
        return CommandID("c\(lastCommand)")
    }

    mutating func connect(_ context: String) {
        let id = everyone.randomElement(using: &rng)!
        let natural: Role = facilitators.contains(id) ? .facilitator : .participant
        // One arrival in six carries the other role: the same member id on another token.
        let role: Role =
            Int.random(in: 0..<6, using: &rng) == 0 ? (natural == .facilitator ? .participant : .facilitator) : natural
        connect(MemberIdentity(id: id, alias: id.rawValue.uppercased(), role: role), context)
    }

    /// One member connecting a dozen times at once (a client in a reconnect loop).
    mutating func reconnectBurst(_ context: String) {
        guard let id = everyone.filter({ open[$0] != nil }).randomElement(using: &rng), let role = open[id]?.role
        else { return }
        for _ in 0..<12 { connect(MemberIdentity(id: id, alias: id.rawValue.uppercased(), role: role), context) }
    }

    mutating func connect(_ identity: MemberIdentity, _ context: String) {
        let id = identity.id
        lastConnection += 1
        let connection = ConnectionID(lastConnection)
        let resumeFrom: SequenceNumber? = Bool.random(using: &rng) ? room.currentSequence : nil
        let effects = room.memberConnected(identity, connection: connection, lastSequence: resumeFrom, at: now)
        if case .disconnect(_, connection, .refused(let error))? = effects.first {
            #expect(effects.count == 1, "\(context): a refusal has no other effect")
            refusalsSeen.insert(error.code)
            return
        }
        if let old = open[id] { stale.append((id, old.connection)) }
        open[id] = (connection, identity.role)
        apply(effects)
    }

    mutating func dropOne(_ cause: DisconnectCause, _ context: String) {
        guard let id = open.keys.sorted(by: { $0.rawValue < $1.rawValue }).randomElement(using: &rng),
            let connection = open[id]?.connection
        else { return }
        open[id] = nil
        stale.append((id, connection))
        apply(room.memberDisconnected(id, connection: connection, cause: cause, at: now))
    }

    mutating func staleReport(_ context: String) {
        guard let (id, connection) = stale.randomElement(using: &rng) else { return }
        let effects = room.memberDisconnected(id, connection: connection, cause: .connectionLost, at: now)
        #expect(effects.isEmpty, "\(context): a report about a closed connection changes nothing")
    }

    mutating func facilitatorActs(_ context: String) {
        guard let actor = anyFacilitator else { return }
        let target = participants.randomElement(using: &rng)!
        let commands: [Command] = [
            .lockRoom, .unlockRoom, .unlockRoom, .admit(target), .admit(target), .decline(target), .remove(target),
            .mute(target),
        ]
        apply(room.received(commands.randomElement(using: &rng)!, from: actor, id: next(), at: now))
    }

    mutating func participantAdvances(_ context: String) {
        guard let id = participants.filter({ open[$0]?.role == .participant }).randomElement(using: &rng) else {
            return
        }
        apply(room.received(.acceptAgreement(version: GroupAgreement.sample.version), from: id, id: next(), at: now))
    }

    mutating func raiseAlert(_ context: String) {
        let senders = everyone.filter { open[$0]?.role == .participant }
        guard let sender = senders.randomElement(using: &rng) else { return }
        let id = next()
        let effects = room.received(.crisisAlert, from: sender, id: id, at: now)
        apply(effects)
        guard !room.isEnded else { return }
        #expect(effects.acknowledgements == [id], "\(context): \(sender)'s alert is accepted")
        let connected = Set(everyone.filter { open[$0]?.role == .facilitator })
        let raised = effects.deliveries { if case .crisisAlertRaised = $0 { true } else { false } }
        let received = effects.events(to: sender).compactMap { event -> Int? in
            if case .crisisAlertReceived(_, let count) = event { count } else { nil }
        }
        #expect(received.count == 1, "\(context): the sender is told once")
        if let delivery = raised.first {
            #expect(
                connected.isSubset(of: Set(delivery.recipients)), "\(context): \(connected) ⊄ \(delivery.recipients)")
        } else {
            // A repeat of an open alert: facilitators may have been told moments ago.
            #expect(received.first == connected.count, "\(context): a repeat still counts the facilitators reached")
        }
        #expect(received.first == connected.count, "\(context): facilitatorsNotified counts the connected ones")
        alertsChecked += 1
    }

    mutating func fireDueTimers(_ context: String) {
        let due = scheduled.filter { $0.value <= now }.keys.sorted { "\($0)" < "\($1)" }
        for timer in due {
            scheduled[timer] = nil
            apply(room.timerFired(timer, at: now))
        }
    }

    mutating func apply(_ effects: [Effect]) {
        for effect in effects {
            switch effect {
            case .disconnect(let member, let connection, _):
                if open[member]?.connection == connection {
                    open[member] = nil
                    stale.append((member, connection))
                }
            case .scheduleTimer(let timer, let at): scheduled[timer] = at
            case .cancelTimer(let timer): scheduled[timer] = nil
            case .deliver, .acknowledge, .refuse, .record: break
            }
        }
    }

    /// The room's view of who is connected is the test's, and every open connection answers.
    mutating func checkConnections(_ context: String) {
        guard !room.isEnded else { return }
        for id in everyone {
            let connected = room.status(of: id)?.connected == true
            #expect(connected == (open[id] != nil), "\(context): \(id) connected as the test sees it")
            if let role = open[id]?.role {
                #expect(room.status(of: id)?.identity.role == role, "\(context): \(id) keeps its role")
            }
        }
        if let facilitator = everyone.filter({ open[$0]?.role == .facilitator }).randomElement(using: &rng) {
            let id = next()
            let effects = room.received(.ping, from: facilitator, id: id, at: now)
            #expect(effects.acknowledgements == [id], "\(context): \(facilitator) is still answered")
        }
    }
}
