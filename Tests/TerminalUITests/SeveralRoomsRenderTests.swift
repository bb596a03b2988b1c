import RoomClient
import RoomCore
import RoomProtocol
import Testing

@testable import TerminalUI

/// The full screen with several rooms: the tab strip with its marks, the crisis
/// banner of a room behind (whatever room is in front, until acknowledged there),
/// the room keys and `/room`.
struct SeveralRoomsRenderTests {
    static let t0 = RenderTests.t0

    /// Two rooms: room-a in front (the facilitator state of RenderTests), room-b behind.
    static func tabs() -> (RoomTabs, ScreenState) {
        let front = RenderTests.state(role: .facilitator)
        var tabs = RoomTabs(rooms: ["room-a", "room-b"])
        tabs.received(
            .welcome(member: "f", alias: "Dana", role: .facilitator, room: "room-a", roomTitle: "A"),
            model: front.model, in: 0)
        return (tabs, front)
    }

    static func raise(_ alias: String, in index: Int, _ tabs: inout RoomTabs, model: inout RoomViewModel) -> Bool {
        let alert = CrisisAlertInfo(
            id: AlertID(1), member: MemberID(alias.lowercased()), alias: alias,
            raisedAt: Timestamp(millisecondsSinceEpoch: t0))
        let message = ServerMessage.event(sequence: 50, time: t0, .crisisAlertRaised(alert))
        model.apply(message, receivedAt: t0)
        return tabs.received(message, model: model, in: index)
    }

    @Test(arguments: [(80, 24), (60, 20)])
    func theStripShowsEveryRoomAndTheMarksOfThoseBehind(width: Int, height: Int) {
        var (tabs, front) = Self.tabs()
        var behind = RoomViewModel()
        let chat = ServerMessage.event(
            sequence: 1, time: Self.t0,
            .message(
                ChatMessage(
                    id: MessageID(1), from: "sky", alias: "Sky", role: .participant, scope: .group,
                    text: ConfidentialText("hi"), sentAt: Timestamp(millisecondsSinceEpoch: Self.t0))))
        behind.apply(chat, receivedAt: Self.t0)
        tabs.received(chat, model: behind, in: 1)
        front.serverNow = Self.t0
        let screen = RoomScreen.render(front, rooms: tabs, width: width, height: height)
        let lines = screen.lines
        #expect(lines[0].hasPrefix(" Evening process group · in session"), "the room in front's header")
        #expect(lines[1].hasPrefix("[1 room-a]  2 room-b +1 "), "\(lines[1])")
        #expect(lines.contains { $0.contains("[1] 美咲: こんにちは") }, "the front room's pane")
        for line in lines { #expect(CellWidth.of(line) == width) }
        let single = RoomScreen.render(front, width: width, height: height)
        #expect(single.lines[1] != lines[1], "one room: no strip")
        #expect(RoomScreen.render(front, rooms: nil, width: width, height: height) == single)
    }

    @Test(arguments: [(80, 24), (60, 20)])
    func aCrisisInTheRoomBehindIsABannerNamingItWithTheJumpKey(width: Int, height: Int) {
        var (tabs, front) = Self.tabs()
        var behind = RoomViewModel()
        let bell = Self.raise("Sky", in: 1, &tabs, model: &behind)
        #expect(bell, "the bell")
        let lines = RoomScreen.render(front, rooms: tabs, width: width, height: height).lines
        #expect(lines[1].contains("2 room-b !!!"))
        #expect(lines[2].hasPrefix(" !!! CRISIS in room-b (Alt-j): Sky needs help"), "\(lines[2])")
        let screen = RoomScreen.render(front, rooms: tabs, width: width, height: height)
        #expect(screen[2, 0].style.reverse && screen[2, 0].style.background == .red)
        #expect(RoomKeys.target(of: .alt("j"), in: tabs) == 1, "Alt-j goes there")
        tabs.bringToFront(1)
        var there = ScreenState()
        TerminalApp.show(
            .event(sequence: 50, time: Self.t0, .crisisAlertRaised(behind.openAlerts[0])), model: behind, on: &there)
        let inFront = RoomScreen.render(there, rooms: tabs, width: width, height: height).lines
        #expect(inFront[2].contains("!!! CRISIS ALERT: Sky needs help now"), "in front: the room's own banner")
        #expect(!inFront.contains { $0.contains("CRISIS in room-b") })
    }

    @Test func bothTheFrontRoomsAlertAndOneBehindAreShown() {
        var (tabs, front) = Self.tabs()
        var model = front.model
        _ = Self.raise("River", in: 0, &tabs, model: &model)
        front.model = model
        var behind = RoomViewModel()
        _ = Self.raise("Sky", in: 1, &tabs, model: &behind)
        let lines = RoomScreen.render(front, rooms: tabs, width: 80, height: 24).lines
        #expect(lines[2].contains("!!! CRISIS in room-b (Alt-j): Sky"), "the room behind's, under the strip")
        #expect(lines[3].contains("!!! CRISIS ALERT: River needs help now"), "then the room in front's")
    }

    @Test func roomKeysAndTheRoomCommand() {
        var tabs = RoomTabs(rooms: ["room-a", "room-b", "room-c"])
        #expect(RoomKeys.target(of: .control("n"), in: tabs) == 1)
        #expect(RoomKeys.target(of: .control("p"), in: tabs) == 2)
        #expect(RoomKeys.target(of: .alt("3"), in: tabs) == 2)
        #expect(RoomKeys.target(of: .alt("4"), in: tabs) == nil, "no fourth room")
        #expect(RoomKeys.target(of: .alt("0"), in: tabs) == nil)
        #expect(RoomKeys.target(of: .alt("j"), in: tabs) == nil, "no alert behind")
        #expect(RoomKeys.target(of: .alt("a"), in: tabs) == nil, "Alt-a stays the waiting list's")
        #expect(RoomKeys.target(of: .character("n"), in: tabs) == nil)
        tabs.bringToFront(2)
        #expect(RoomKeys.target(of: .control("n"), in: tabs) == 0)
        #expect(RoomKeys.roomCommand("/room room-b") == .switchTo("room-b"))
        #expect(RoomKeys.roomCommand("/room") == .list)
        #expect(RoomKeys.roomCommand("/rooms") == nil)
        #expect(RoomKeys.roomCommand("hello /room") == nil)
        #expect(RoomKeys.list(tabs)[2].hasPrefix("3 room-c · room-c (in front)"))
        #expect(RoomKeys.roomNames(tabs) == "Rooms: 1 room-a, 2 room-b, 3 room-c.")
    }
}
