import Foundation
import RoomClient
import RoomCore
import RoomProtocol
import Testing

/// Several rooms at once (a facilitator's `iop join URL room-a room-b`): which room is
/// in front, the activity marks of the others, crisis alerts from a room behind, and
/// the refusal of a participant's token before anything connects.
@Suite("Several rooms")
struct RoomTabsTests {
    static let t0: Int64 = 1_764_000_000_000

    /// Feeds room events to tabs, the way RoomConnection reports them (model after message).
    struct Feed {
        var tabs = RoomTabs(rooms: ["room-a", "room-b", "room-c"])
        var models = [RoomViewModel(), RoomViewModel(), RoomViewModel()]
        var sequence: UInt64 = 0

        @discardableResult
        mutating func send(_ event: RoomEvent, to index: Int) -> Bool {
            sequence += 1
            let message = ServerMessage.event(sequence: sequence, time: RoomTabsTests.t0, event)
            models[index].apply(message, receivedAt: RoomTabsTests.t0)
            return tabs.received(message, model: models[index], in: index)
        }
    }

    static func entry(_ member: String, hand: Int? = nil) -> RosterEntry {
        RosterEntry(
            member: MemberID(member), alias: member.capitalized, role: .participant, presence: .here,
            queuePosition: hand, muted: false)
    }

    static func chat(_ id: UInt64) -> RoomEvent {
        .message(
            ChatMessage(
                id: MessageID(id), from: "sky", alias: "Sky", role: .participant, scope: .group,
                text: ConfidentialText("hello"), sentAt: Timestamp(millisecondsSinceEpoch: t0)))
    }

    static func alert(_ id: UInt64, _ alias: String) -> CrisisAlertInfo {
        CrisisAlertInfo(
            id: AlertID(id), member: MemberID(alias.lowercased()), alias: alias,
            raisedAt: Timestamp(millisecondsSinceEpoch: t0))
    }

    @Test func switchingWrapsAroundAndFindsRoomsByNumberIdTitleOrPrefix() {
        var feed = Feed()
        #expect(feed.tabs.front == 0 && feed.tabs.isSeveral)
        feed.tabs.next()
        #expect(feed.tabs.front == 1)
        feed.tabs.next()
        feed.tabs.next()
        #expect(feed.tabs.front == 0, "after the last comes the first")
        feed.tabs.previous()
        #expect(feed.tabs.front == 2, "before the first comes the last")
        #expect(feed.tabs.index(named: "2") == 1)
        #expect(feed.tabs.index(named: "ROOM-B") == 1)
        #expect(feed.tabs.index(named: "room-") == nil, "an ambiguous prefix names no room")
        #expect(feed.tabs.index(named: "4") == nil)
        let broughtFourth = feed.tabs.bringToFront(3)
        #expect(!broughtFourth)
        feed.send(.snapshot(Self.snapshot(title: "DBT skills group")), to: 1)
        #expect(feed.tabs.index(named: "dbt skills group") == 1)
        #expect(feed.tabs.tabs[1].name == "DBT skills group")
        #expect(!RoomTabs(rooms: ["only"]).isSeveral)
    }

    @Test func aRoomBehindCollectsMarksThatClearWhenItComesToTheFront() {
        var feed = Feed()
        feed.send(.roster(Roster(entries: [Self.entry("sky")], floor: nil)), to: 1)
        feed.send(Self.chat(1), to: 1)
        feed.send(Self.chat(2), to: 1)
        feed.send(.roster(Roster(entries: [Self.entry("sky", hand: 1)], floor: nil)), to: 1)
        let since = Timestamp(millisecondsSinceEpoch: Self.t0)
        feed.send(
            .waitingRoom([WaitingEntry(member: "robin", alias: "Robin", since: since, reconnecting: false)]), to: 1)
        feed.send(
            .checkInResponse(CheckInResponse(round: 1, member: "sky", alias: "Sky", outcome: .passed)), to: 1)
        let marks = feed.tabs.tabs[1].marks
        #expect(marks.messages == 2 && marks.hands && marks.waiting && marks.checkIn)
        #expect(marks.label == "+2 ✋ ⌛ ✓")
        feed.send(Self.chat(3), to: 0)
        #expect(feed.tabs.tabs[0].marks.isEmpty, "the room in front collects no marks")
        #expect(feed.tabs.tabs[2].marks.isEmpty)
        feed.tabs.bringToFront(1)
        #expect(feed.tabs.tabs[1].marks.isEmpty, "cleared when the room comes to the front")
        #expect(feed.tabs.tabs[1].marks.label == "")
    }

    @Test func onlyNewHandsAndNewArrivalsMark() {
        var feed = Feed()
        let since = Timestamp(millisecondsSinceEpoch: Self.t0)
        let robin = WaitingEntry(member: "robin", alias: "Robin", since: since, reconnecting: false)
        feed.send(.roster(Roster(entries: [Self.entry("sky", hand: 1)], floor: nil)), to: 2)
        feed.send(.waitingRoom([robin]), to: 2)
        feed.tabs.bringToFront(2)
        feed.tabs.bringToFront(0)
        feed.send(.roster(Roster(entries: [Self.entry("sky", hand: 1), Self.entry("river")], floor: nil)), to: 2)
        feed.send(.waitingRoom([]), to: 2)
        feed.send(.waitingRoom([]), to: 2)
        #expect(feed.tabs.tabs[2].marks.isEmpty, "a hand already up, someone leaving the waiting room: no mark")
    }

    @Test func aCrisisAlertInARoomBehindIsShownUntilAcknowledgedThere() {
        var feed = Feed()
        let bell = feed.send(.crisisAlertRaised(Self.alert(1, "Sky")), to: 2)
        #expect(bell, "the bell rings")
        #expect(feed.tabs.alertsBehind.map(\.room) == ["room-c"])
        #expect(feed.tabs.alertsBehind.first?.alert.alias == "Sky")
        let quiet = feed.send(Self.chat(1), to: 2)
        #expect(!quiet, "no bell for a message")
        feed.tabs.next()
        #expect(feed.tabs.alertsBehind.map(\.room) == ["room-c"], "still shown from another room behind")
        let jumped = feed.tabs.jumpToAlert()
        #expect(jumped)
        #expect(feed.tabs.front == 2, "the jump key brings the alert's room to the front")
        #expect(feed.tabs.alertsBehind.isEmpty, "in front, the room's own banner shows it")
        #expect(feed.tabs.tabs[2].model.openAlerts.count == 1)
        feed.tabs.bringToFront(0)
        #expect(feed.tabs.alertsBehind.count == 1, "coming back does not acknowledge it")
        feed.send(
            .crisisAlertAcknowledged(
                CrisisAcknowledgement(
                    id: AlertID(1), member: "sky", by: "dana", byAlias: "Dana",
                    at: Timestamp(millisecondsSinceEpoch: Self.t0))), to: 2)
        #expect(feed.tabs.alertsBehind.isEmpty, "gone once acknowledged in its room")
        let jumpedAgain = feed.tabs.jumpToAlert()
        #expect(!jumpedAgain)
    }

    @Test func alertsOfSeveralRoomsBehindAreAllKept() {
        var feed = Feed()
        feed.send(.crisisAlertRaised(Self.alert(1, "Sky")), to: 1)
        feed.send(.crisisAlertRaised(Self.alert(1, "Robin")), to: 2)
        feed.send(.crisisAlertRaised(Self.alert(2, "River")), to: 2)
        #expect(feed.tabs.alertsBehind.map(\.alert.alias) == ["Sky", "Robin", "River"])
        feed.tabs.bringToFront(1)
        #expect(feed.tabs.alertsBehind.map(\.alert.alias) == ["Robin", "River"])
    }

    @Test func closedRoomsAreKeptUntilTheLast() {
        var tabs = RoomTabs(rooms: ["room-a", "room-b"])
        tabs.closed(0, .closed(code: 4003, reason: nil))
        #expect(!tabs.allClosed)
        tabs.closed(1, .closed(code: 4001, reason: nil))
        #expect(tabs.allClosed)
    }

    static func snapshot(title: String) -> RoomSnapshot {
        RoomSnapshot(
            roomID: "room-b", title: title, kind: .skills, you: "dana", role: .facilitator,
            roster: Roster(entries: [], floor: nil), chatPaused: false, locked: false, checkIn: nil,
            checkInResponded: false, exercise: nil, sittingOutExercise: false, agenda: nil, waiting: [],
            openAlerts: [], sideRooms: [])
    }
}
