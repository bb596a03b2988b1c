import RoomClient
import RoomCore
import RoomProtocol
import Testing

/// The room's life as quiet lines: joins, admissions, departures, dropped connections
/// and returns, the waiting room's arrivals, and the floor; the check-in's "yet to answer".
@Suite struct RoomLifeTests {
    static func entry(_ id: MemberID, _ alias: String, _ role: Role = .participant, _ presence: Presence = .here)
        -> RosterEntry
    {
        RosterEntry(member: id, alias: alias, role: role, presence: presence, queuePosition: nil, muted: false)
    }

    static let dana = entry("f", "Dana", .facilitator)

    static func inRoom(_ role: Role) -> RoomViewModel {
        let me: MemberID = "me"
        let roster = Roster(entries: role == .facilitator ? [dana] : [dana, entry("me", "Me")], floor: nil)
        return ToolkitClientTests.model(
            role,
            events: [
                .snapshot(
                    RoomSnapshot(
                        roomID: "r", title: "R", kind: .process, you: me, role: role, roster: roster, chatPaused: false,
                        locked: false, checkIn: nil, checkInResponded: false, exercise: nil, sittingOutExercise: false,
                        agenda: nil, waiting: [], openAlerts: [], sideRooms: []))
            ])
    }

    /// Applies `event` as the next event and returns the model's notices and the event's lines.
    static func step(_ model: inout RoomViewModel, _ event: RoomEvent) -> (notices: [String], lines: [String]) {
        let message = ServerMessage.event(sequence: (model.lastSequence ?? 0) + 1, time: 0, event)
        model.apply(message, receivedAt: 0)
        return (model.notices, EventText.lines(for: message, in: model))
    }

    @Test func aFacilitatorHearsOfArrivalsAdmissionsDropsReturnsAndDepartures() {
        var model = Self.inRoom(.facilitator)
        let sky = WaitingEntry(
            member: "s", alias: "Sky", since: Timestamp(millisecondsSinceEpoch: 0), reconnecting: false)
        #expect(Self.step(&model, .waitingRoom([sky])).notices == ["Sky is in the waiting room."])
        #expect(Self.step(&model, .waitingRoom([sky])).notices.isEmpty, "said once")
        let admitted = Self.step(&model, .roster(Roster(entries: [Self.dana, Self.entry("s", "Sky")], floor: nil)))
        #expect(admitted.notices == ["Sky was admitted."])
        #expect(admitted.lines.first == "Sky was admitted.", "line mode prints it before the list")
        let dropped = Roster(entries: [Self.dana, Self.entry("s", "Sky", .participant, .reconnecting)], floor: nil)
        #expect(Self.step(&model, .roster(dropped)).notices == ["Sky's connection dropped; their place is kept."])
        #expect(
            Self.step(&model, .roster(Roster(entries: [Self.dana, Self.entry("s", "Sky")], floor: nil))).notices == [
                "Sky is back."
            ])
        #expect(Self.step(&model, .roster(Roster(entries: [Self.dana], floor: nil))).notices == ["Sky left."])
    }

    @Test func theFloorIsNamedAndItsHolderToldPlainly() {
        var model = Self.inRoom(.participant)
        let others = [Self.dana, Self.entry("me", "Me"), Self.entry("m", "Misaki")]
        let joined = Self.step(&model, .roster(Roster(entries: others, floor: nil)))
        #expect(joined.notices == ["Misaki joined the group."], "a participant is not told of admissions")
        #expect(Self.step(&model, .roster(Roster(entries: others, floor: "me"))).notices == ["You have the floor."])
        #expect(Self.step(&model, .roster(Roster(entries: others, floor: "m"))).notices == ["Misaki has the floor."])
        #expect(Self.step(&model, .roster(Roster(entries: others, floor: nil))).notices == ["The floor is open."])
        let away = [Self.dana, Self.entry("me", "Me"), Self.entry("m", "Misaki", .participant, .away)]
        #expect(Self.step(&model, .roster(Roster(entries: away, floor: nil))).notices == ["Misaki stepped away."])
    }

    @Test func theCheckInNamesWhoIsYetToAnswerNotAWaitingRoom() {
        var model = Self.inRoom(.facilitator)
        let progress = CheckInProgress(round: 1, answered: ["p"], passed: [], pending: ["q", "r"], distribution: [])
        #expect(
            Self.step(&model, .checkInProgress(progress)).lines == [
                "Check-in progress: 1 answered, 0 passed, 2 yet to answer."
            ])
    }
}
