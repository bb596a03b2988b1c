import Foundation
import RoomCore
import TestSupportCore
import Testing

/// Random commands from many members across several rooms; no event may ever reach a
/// member outside its audience or room. Seeded; the seed is printed with every failure.
/// Set `ROOMCORE_SEED` to replay one seed.
@Suite("Isolation property")
struct IsolationPropertyTests {
    static var seeds: [UInt64] {
        if let raw = ProcessInfo.processInfo.environment["ROOMCORE_SEED"], let seed = UInt64(raw) { return [seed] }
        return (1...16).map { UInt64($0) &* 0x9E37_79B9 }
    }

    @Test(arguments: seeds)
    func noEventLeavesItsAudience(seed: UInt64) {
        var world = World(seed: seed)
        for step in 0..<1000 {
            world.step(step)
        }
        #expect(world.deliveriesChecked > 150, "seed \(seed): too few deliveries to mean anything")
    }
}

/// Several rooms driven at random, with the checks applied to every effect.
struct World {
    let seed: UInt64
    var rng: SplitMix64
    var rooms: [Simulated]
    var deliveriesChecked = 0

    init(seed: UInt64) {
        self.seed = seed
        var generator = SplitMix64(seed: seed)
        var made: [Simulated] = []
        for name in ["a", "b", "c"] { made.append(Simulated(name: name, rng: &generator)) }
        rooms = made
        rng = generator
    }

    mutating func step(_ step: Int) {
        let index = Int.random(in: 0..<rooms.count, using: &rng)
        let before = rooms[index].statuses()
        let groupsBefore = rooms[index].breakoutGroups()
        let wasEnded = rooms[index].harness.room.isEnded
        var maxSeenBefore = rooms[index].maxSequence
        let (effects, label) = rooms[index].randomInput(using: &rng)
        if wasEnded, !rooms[index].harness.room.isEnded {
            // An arrival opened the next session: its events are numbered afresh.
            rooms[index].startedNextSession()
            maxSeenBefore = 0
        }
        let after = rooms[index].statuses()
        let groupsAfter = rooms[index].breakoutGroups()
        let context = "seed \(seed) step \(step) room \(rooms[index].name) input \(label)"
        let checker = AudienceChecker(
            room: rooms[index], before: before, after: after, freshAfter: maxSeenBefore, context: context,
            groupsBefore: groupsBefore, groupsAfter: groupsAfter)
        deliveriesChecked += checker.check(effects)
        rooms[index].observe(effects)
    }
}

/// One room and the test's own bookkeeping about it (from commands that were acknowledged).
struct Simulated {
    let name: String
    var harness: Harness
    let universe: [MemberID]
    var scheduled: [TimerID: Timestamp] = [:]
    var lastSeen: [MemberID: SequenceNumber] = [:]
    var maxSequence: SequenceNumber = 0
    var roundVisibility: [UInt64: CheckInVisibility] = [:]
    var pollAudience: [UInt64: PollAudience] = [:]
    /// Who wrote each text into a card's private field (a text some members may also have chatted).
    var fieldAuthors: [String: Set<MemberID>] = [:]
    var alertOwners: [AlertID: MemberID] = [:]
    var withdrawn: Set<MessageID> = []
    var firstDelivery: [SequenceNumber: RoomEvent] = [:]

    init(name: String, rng: inout SplitMix64) {
        self.name = name
        var policy = RoomPolicy(
            autoAdmit: Bool.random(using: &rng), lateJoinersSeeBacklog: Bool.random(using: &rng),
            participantPrivateMessages: Bool.random(using: &rng), reconnectWindow: .seconds(30),
            maximumMessageLength: 40, replayBufferCapacity: Int.random(in: 5...60, using: &rng),
            messageHistoryLimit: 10)
        policy.reactions = ReactionVisibility.allCases.randomElement(using: &rng)!
        policy.cues = CueVisibility.allCases.randomElement(using: &rng)!
        harness = Harness(policy: policy, capacity: 5, roomID: name)
        universe = ["f1", "f2", "p1", "p2", "p3", "p4", "p5", "p6"].map { MemberID("\($0).\(name)") }
    }

    func statuses() -> [MemberID: MemberStatus] {
        var result: [MemberID: MemberStatus] = [:]
        for id in universe { result[id] = harness.room.status(of: id) }
        return result
    }

    /// Forgets what the test learnt about the ended session (its sequence numbers,
    /// rounds, alerts and messages all start again in the next one).
    mutating func startedNextSession() {
        lastSeen = [:]
        maxSequence = 0
        roundVisibility = [:]
        pollAudience = [:]
        fieldAuthors = [:]
        alertOwners = [:]
        withdrawn = []
        firstDelivery = [:]
    }

    mutating func observe(_ effects: [Effect]) {
        for effect in effects {
            switch effect {
            case .scheduleTimer(let timer, let at): scheduled[timer] = at
            case .cancelTimer(let timer): scheduled[timer] = nil
            case .deliver(let delivery):
                let sequence = delivery.envelope.sequence
                maxSequence = max(maxSequence, sequence)
                if firstDelivery[sequence] == nil { firstDelivery[sequence] = delivery.envelope.event }
                for member in delivery.recipients { lastSeen[member] = max(lastSeen[member] ?? 0, sequence) }
                if case .messageRemoved(let removal) = delivery.envelope.event { withdrawn.insert(removal.message) }
            default: continue
            }
        }
        if harness.room.isEnded { scheduled.removeAll() }
    }
}
