import RoomClient
import RoomCore
import RoomProtocol
import Testing

@testable import TerminalUI

/// RoomsState: what the full screen does with each room's connection events, with
/// one room (exactly as before) and with several.
struct RoomsStateTests {
    static let t0 = RenderTests.t0

    static func raised(_ alias: String) -> RoomConnectionEvent {
        let alert = CrisisAlertInfo(
            id: AlertID(1), member: MemberID(alias.lowercased()), alias: alias,
            raisedAt: Timestamp(millisecondsSinceEpoch: t0))
        let message = ServerMessage.event(sequence: 1, time: t0, .crisisAlertRaised(alert))
        var model = RoomViewModel()
        model.apply(message, receivedAt: t0)
        return .message(message, raw: "", model: model)
    }

    @Test func oneRoomEndsWithItsConnectionAndRingsNoBell() {
        var rooms = RoomsState(rooms: ["room-a"])
        #expect(rooms.apply(Self.raised("Sky"), room: 0, localNow: Self.t0) == .redraw, "one room: no bell")
        let ended = ClientFailure.closed(code: 4003, reason: nil)
        #expect(
            rooms.apply(.state(.closed(ended)), room: 0, localNow: Self.t0)
                == .finish(status: 0, message: ended.description))
        #expect(rooms.render(width: 80, height: 24) == RoomScreen.render(rooms.front, width: 80, height: 24))
    }

    @Test func severalRoomsRingForACrisisAnywhereAndEndWithTheLastRoom() {
        var rooms = RoomsState(rooms: ["room-a", "room-b"])
        #expect(rooms.apply(Self.raised("Sky"), room: 1, localNow: Self.t0) == .bell, "a crisis behind: the bell")
        #expect(rooms.apply(Self.raised("Sky"), room: 0, localNow: Self.t0) == .bell, "and in front")
        let removed = ClientFailure.closed(code: 4001, reason: nil)
        #expect(rooms.apply(.state(.closed(removed)), room: 1, localNow: Self.t0) == .redraw, "room-a goes on")
        #expect(rooms.tabs.tabs[1].closed == removed)
        #expect(rooms.screens[1].pane.last?.text == "* \(removed.description)")
        #expect(rooms.render(width: 80, height: 24).lines[1].contains("2 room-b !!! (closed)"))
        let ended = ClientFailure.closed(code: 4003, reason: nil)
        let last = rooms.apply(.state(.closed(ended)), room: 0, localNow: Self.t0)
        #expect(
            last
                == .finish(
                    status: removed.exitStatus,
                    message: "room-a: \(ended.description)\nroom-b: \(removed.description)"),
            "the status of the first room that did not end normally")
        #expect(removed.exitStatus == 5)
    }

    @Test func theInputLineGoesWithTheRoomInFront() {
        var rooms = RoomsState(rooms: ["room-a", "room-b"])
        for character in "/ack" { _ = rooms.front.editor.handle(.character(character)) }
        rooms.switchRoom(to: 1)
        #expect(rooms.tabs.front == 1)
        #expect(rooms.front.editor.line == "/ack")
        #expect(rooms.screens[0].editor.line == "")
        rooms.switchRoom(to: 5)
        #expect(rooms.tabs.front == 1, "no such room: nothing moves")
    }

    @Test func aHostileRoomTitleIsMadeSafeInTheRoomList() {
        var tabs = RoomTabs(rooms: ["room-a", "room-b"])
        let welcome = ServerMessage.welcome(
            member: "f", alias: "Dana", role: .facilitator, room: "room-b", roomTitle: "DBT\u{1B}[2J\u{202E}group")
        var model = RoomViewModel()
        model.apply(welcome, receivedAt: Self.t0)
        tabs.received(welcome, model: model, in: 1)
        let line = RoomKeys.list(tabs)[1]
        #expect(!line.unicodeScalars.contains { $0 == "\u{1B}" || $0 == "\u{202E}" }, "\(line)")
        #expect(line.hasPrefix("2 room-b · DBT"))
    }
}
