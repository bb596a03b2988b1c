import RoomCore
import Testing

/// Breakout groups: the split, each group's chat, hands and floor, facilitators'
/// visits and broadcast, the countdown (fake clock), and the room's rules inside groups.
@Suite("Breakout groups")
struct BreakoutTests {
    static let six: [MemberID] = ["p1", "p2", "p3", "p4", "p5", "p6"]

    static func request(_ split: BreakoutSplit, seconds: Int64 = 600) -> Command {
        .startBreakout(BreakoutRequest(split: split, duration: .seconds(seconds)))
    }

    /// A session of `f1` and six participants, split at random into three groups.
    static func split(seed: UInt64 = 7) -> Harness {
        var h = Harness.session(six)
        let effects = h.send(request(.random(count: 3, seed: seed)), from: "f1")
        #expect(effects.refusals.isEmpty)
        return h
    }

    /// The members of each group (from 1), as the room has them.
    static func groups(_ h: Harness) -> [Int: [MemberID]] {
        var groups: [Int: [MemberID]] = [:]
        for member in six {
            if let group = h.room.breakoutGroup(of: member) { groups[group, default: []].append(member) }
        }
        return groups
    }

    @Test func aRandomSplitMakesBalancedGroupsEachSeeingOnlyItsOwn() {
        var h = Harness.session(Self.six)
        let effects = h.send(Self.request(.random(count: 3, seed: 42)), from: "f1")
        #expect(effects.timers.contains(.scheduleTimer(.breakoutEnd(run: 1), at: h.now + .seconds(600))))
        let groups = Self.groups(h)
        #expect(groups.count == 3 && groups.values.allSatisfy { $0.count == 2 })
        for member in Self.six {
            let statuses = effects.events(to: member).compactMap(\.breakoutStatus)
            #expect(statuses.count == 1)
            #expect(statuses.first?.groups.map(\.number) == [h.room.breakoutGroup(of: member)!])
            let listed = statuses.first?.groups.first?.members.map(\.member) ?? []
            #expect(Set(listed) == Set(groups[h.room.breakoutGroup(of: member)!] ?? []))
        }
        let overview = effects.events(to: "f1").compactMap(\.breakoutStatus)
        #expect(overview.count == 1 && overview.first?.groups.count == 3)
        #expect(overview.first?.endsAt == h.now + .seconds(600))
    }

    @Test func theSeedChoosesTheGroupsAndTheSameSeedTheSameGroups() {
        #expect(Self.groups(Self.split(seed: 1)) == Self.groups(Self.split(seed: 1)))
        let splits = Set((1...8).map { Self.groups(Self.split(seed: $0)).values.map { Set($0) }.count })
        #expect(splits == [3])
        let distinct = Set((1...8).map { seed in Self.groups(Self.split(seed: seed)).mapValues(Set.init) })
        #expect(distinct.count > 1, "eight seeds, one split")
    }

    @Test func aBalancedSplitSpreadsTheMostHeard() {
        var h = Harness.session(Self.six)
        for talker in ["p4", "p5", "p6"] as [MemberID] { h.send(.sendChat(text("hi")), from: talker) }
        h.send(Self.request(.balanced(count: 3)), from: "f1")
        let groups = Self.groups(h)
        for members in groups.values {
            #expect(members.filter { ["p4", "p5", "p6"].contains($0) }.count == 1, "\(members)")
        }
    }

    @Test func aNamedSplitPutsTheUnnamedInTheSmallestGroup() {
        var h = Harness.session(Self.six)
        let effects = h.send(Self.request(.named([["p1", "p2"], ["p3"]])), from: "f1")
        #expect(effects.refusals.isEmpty)
        let groups = Self.groups(h)
        #expect(groups[1]?.count == 3 && groups[2]?.count == 3)
        #expect(groups[1]?.starts(with: ["p1", "p2"]) == true && groups[2]?.first == "p3")
    }

    @Test func badSplitsAreRefusedAndOneBreakoutAtATime() {
        var h = Harness.session(Self.six)
        let refused: [(Command, RoomError)] = [
            (Self.request(.balanced(count: 1)), .invalidBreakout),
            (Self.request(.balanced(count: 7)), .invalidBreakout),
            (Self.request(.balanced(count: 2), seconds: 0), .invalidBreakout),
            (Self.request(.balanced(count: 2), seconds: 4 * 3600 + 1), .invalidBreakout),
            (Self.request(.named([["p1"], ["p1"]])), .invalidBreakout),
            (Self.request(.named([["p1"], []])), .invalidBreakout),
            (Self.request(.named([["p1"], ["f1"]])), .invalidTarget),
            (Self.request(.named([["p1"], ["nobody"]])), .unknownMember),
            (.visitBreakout(group: 1), .noBreakout), (.endBreakout, .noBreakout),
            (.broadcastToBreakouts(text("all")), .noBreakout),
        ]
        for (command, error) in refused { #expect(h.send(command, from: "f1").refusals == [error], "\(command)") }
        h.send(Self.request(.balanced(count: 2)), from: "f1")
        #expect(h.send(Self.request(.balanced(count: 3)), from: "f1").refusals == [.breakoutAlreadyOpen])
        #expect(h.send(.visitBreakout(group: 3), from: "f1").refusals == [.unknownBreakoutGroup])
        #expect(h.send(.visitBreakout(group: 0), from: "f1").refusals == [.unknownBreakoutGroup])
    }

    @Test func aGroupsChatReachesItsMembersAndItsVisitorsOnly() {
        var h = Self.split()
        h.connect("f2")
        let groups = Self.groups(h)
        let (one, two) = (groups[1]!, groups[2]!)
        var effects = h.send(.sendChat(text("in one")), from: one[0])
        let reached = effects.deliveries(where: { $0.chat != nil }).flatMap(\.recipients)
        #expect(Set(reached) == Set(one))
        #expect(effects.events(to: one[1]).compactMap(\.chat).first?.scope == .breakout(group: 1))
        #expect(h.send(.sendChat(text("anyone?")), from: "f1").refusals == [.notInBreakoutGroup])
        h.send(.visitBreakout(group: 2), from: "f1")
        effects = h.send(.sendChat(text("in two")), from: two[1])
        #expect(Set(effects.deliveries(where: { $0.chat != nil }).flatMap(\.recipients)) == Set(two + ["f1"]))
        effects = h.send(.sendChat(text("from f1")), from: "f1")
        #expect(Set(effects.deliveries(where: { $0.chat != nil }).flatMap(\.recipients)) == Set(two + ["f1"]))
        effects = h.send(.sendChat(text("one again")), from: one[1])
        #expect(!effects.deliveries(where: { $0.chat != nil }).flatMap(\.recipients).contains("f1"))
        effects = h.send(.broadcastToBreakouts(text("two minutes left")), from: "f2")
        let broadcast = effects.deliveries(where: { $0.chat?.scope == .breakoutBroadcast })
        #expect(Set(broadcast.flatMap(\.recipients)) == Set(Self.six + ["f1", "f2"]))
    }

    @Test func aParticipantsPrivateMessageStaysInTheirGroup() {
        var policy = RoomPolicy()
        policy.participantPrivateMessages = true
        var h = Harness.session(Self.six, policy: policy)
        h.send(Self.request(.named([["p1", "p2", "p3"], ["p4", "p5", "p6"]])), from: "f1")
        #expect(h.send(.privateMessage(to: "p4", text("psst")), from: "p1").refusals == [.notInBreakoutGroup])
        #expect(h.send(.privateMessage(to: "p2", text("psst")), from: "p1").refusals.isEmpty)
        #expect(h.send(.privateMessage(to: "f1", text("help")), from: "p1").refusals.isEmpty)
    }

    @Test func eachGroupHasItsOwnHandsAndFloor() {
        var h = Harness.session(Self.six)
        h.send(.raiseHand, from: "p6")
        h.send(Self.request(.named([["p1", "p2", "p3"], ["p4", "p5", "p6"]])), from: "f1")
        var effects = h.send(.raiseHand, from: "p2")
        #expect(effects.events(to: "p1").compactMap(\.breakoutStatus).last?.groups.first?.hands == ["p2"])
        #expect(effects.events(to: "p4").compactMap(\.breakoutStatus).isEmpty, "group 2 hears nothing of group 1")
        #expect(h.send(.giveFloor(to: nil), from: "f1").refusals == [.notInBreakoutGroup])
        h.send(.visitBreakout(group: 1), from: "f1")
        effects = h.send(.giveFloor(to: nil), from: "f1")
        let group = effects.events(to: "p3").compactMap(\.breakoutStatus).last?.groups.first
        #expect(group?.floor == "p2" && group?.hands == [])
        h.send(.giveFloor(to: "p5"), from: "f1")
        #expect(h.send(.takeFloor, from: "f1").refusals.isEmpty)
        h.send(.raiseHand, from: "p3")
        effects = h.send(.lowerHand, from: "p3")
        #expect(effects.events(to: "p1").compactMap(\.breakoutStatus).last?.groups.first?.hands == [])
        #expect(h.send(.clearHand("p5"), from: "f1").refusals.isEmpty)
    }

    @Test func theCountdownBringsEveryoneBack() {
        var h = Self.split()
        h.advance(.seconds(599))
        #expect(h.room.breakoutEndsAt == epoch + .seconds(600))
        h.advance(.seconds(1))
        let effects = h.fire(.breakoutEnd(run: 1))
        for member in Self.six + ["f1"] {
            #expect(effects.events(to: member).contains(.breakoutEnded(BreakoutEnd(run: 1, reason: .timeUp))))
        }
        #expect(Self.groups(h).isEmpty && h.room.breakoutEndsAt == nil)
        let chat = h.send(.sendChat(text("back")), from: "p1")
        #expect(
            Set(chat.deliveries(where: { $0.chat?.scope == .group }).flatMap(\.recipients)) == Set(Self.six + ["f1"]))
        #expect(h.fire(.breakoutEnd(run: 1)).deliveries.isEmpty, "a stale countdown does nothing")
    }

    @Test func endingByCommandCancelsTheCountdown() {
        var h = Self.split()
        let effects = h.send(.endBreakout, from: "f1")
        #expect(effects.timers == [.cancelTimer(.breakoutEnd(run: 1))])
        #expect(effects.events(to: "p1").contains(.breakoutEnded(BreakoutEnd(run: 1, reason: .ended))))
        #expect(
            h.send(Self.request(.balanced(count: 2)), from: "f1").timers == [
                .scheduleTimer(.breakoutEnd(run: 2), at: h.now + .seconds(600))
            ])
    }

    @Test func aCrisisAlertFromAGroupReachesEveryConnectedFacilitator() {
        var h = Self.split()
        h.connect("f2")
        h.connect("f3")
        h.send(.visitBreakout(group: 1), from: "f1")
        h.send(.visitBreakout(group: 3), from: "f3")
        let member = Self.groups(h)[2]![0]
        let effects = h.send(.crisisAlert, from: member)
        for facilitator in ["f1", "f2", "f3"] as [MemberID] {
            #expect(
                effects.events(to: facilitator).contains { if case .crisisAlertRaised = $0 { true } else { false } })
        }
        #expect(effects.events(to: member).contains(.crisisAlertReceived(alert: AlertID(1), facilitatorsNotified: 3)))
    }

    @Test func muteAndRemovalHoldInsideGroups() {
        var h = Self.split()
        let group = Self.groups(h)[1]!
        h.send(.mute(group[0]), from: "f1")
        #expect(h.send(.sendChat(text("hello")), from: group[0]).refusals == [.muted])
        let effects = h.send(.remove(group[1]), from: "f1")
        #expect(effects.disconnects.count == 1)
        #expect(h.room.breakoutGroup(of: group[1]) == nil)
        let status = effects.events(to: group[0]).compactMap(\.breakoutStatus).last
        #expect(status?.groups.first?.members.map(\.member) == [group[0]])
    }

    @Test func aLateJoinerLandsInTheSmallestGroupAfterTheAgreement() {
        var h = Harness.session(["p1", "p2", "p3", "p4", "p5"])
        h.send(Self.request(.named([["p1", "p2"], ["p3", "p4", "p5"]])), from: "f1")
        h.connect("p7")
        #expect(h.room.breakoutGroup(of: "p7") == nil, "not before the agreement")
        h.send(.acceptAgreement(version: GroupAgreement.sample.version), from: "p7")
        #expect(h.room.breakoutGroup(of: "p7") == nil, "not from the waiting room")
        let effects = h.send(.admit("p7"), from: "f1")
        #expect(h.room.breakoutGroup(of: "p7") == 1)
        #expect(effects.events(to: "p1").compactMap(\.breakoutStatus).last?.groups.first?.members.count == 3)
        #expect(effects.events(to: "p7").compactMap(\.breakoutStatus).last?.groups.map(\.number) == [1])
        #expect(effects.events(to: "p3").compactMap(\.breakoutStatus).isEmpty)
    }

    @Test func aReconnectingMemberResumesInTheirGroupAndMissesNoneOfOthers() {
        var h = Self.split()
        let groups = Self.groups(h)
        let (away, mate, other) = (groups[1]![0], groups[1]![1], groups[2]![0])
        let seen = h.room.currentSequence
        h.drop(away)
        h.send(.sendChat(text("mine")), from: mate)
        h.send(.sendChat(text("not mine")), from: other)
        let resumed = h.connect(away, lastSequence: seen)
        let texts = resumed.events(to: away).compactMap(\.chat).map(\.text.revealed)
        #expect(texts == ["mine"])
        #expect(h.room.breakoutGroup(of: away) == 1)
        h.drop(away)
        let fresh = h.connect(away)
        #expect(fresh.events(to: away).compactMap(\.breakoutStatus).map { $0.groups.map(\.number) } == [[1]])
    }

    @Test func theSessionsEndForgetsTheBreakout() {
        var h = Self.split()
        let effects = h.send(.endSession, from: "f1")
        #expect(effects.timers.contains(.cancelTimer(.breakoutEnd(run: 1))))
        h.connect("f1")
        #expect(h.room.breakoutEndsAt == nil && h.room.breakoutGroup(of: "p1") == nil)
    }
}

extension RoomEvent {
    var breakoutStatus: BreakoutStatus? { if case .breakout(let status) = self { status } else { nil } }
}
