import RoomClient
import RoomCore
import RoomProtocol
import Testing

@testable import TerminalUI

/// The full screen shows who is staff on every chat line, no message can put a
/// line of its own on screen (by newline or by wrapping), and no bidi, format or
/// control character from anyone reaches the terminal (issue 18, item 6).
@Suite struct RoleMarkerRenderTests {
    static func apply(_ event: RoomEvent, to state: inout ScreenState, sequence: UInt64) {
        let message = ServerMessage.event(sequence: sequence, time: RenderTests.t0, event)
        state.model.apply(message, receivedAt: RenderTests.t0)
        state.append(TerminalApp.paneLines(for: message, in: state.model))
    }

    static func chat(_ id: UInt64, _ alias: String, _ role: Role, _ text: String) -> RoomEvent {
        .message(
            ChatMessage(
                id: MessageID(id), from: MemberID(alias), alias: alias, role: role, scope: .group,
                text: ConfidentialText(text), sentAt: Timestamp(millisecondsSinceEpoch: RenderTests.t0)))
    }

    @Test func theFacilitatorsLinesCarryTheMarker() {
        var state = RenderTests.state(role: .participant)
        Self.apply(Self.chat(2, "Dana", .facilitator, "Welcome back."), to: &state, sequence: 50)
        Self.apply(Self.chat(3, "River", .participant, "Thanks."), to: &state, sequence: 51)
        let lines = RoomScreen.render(state, width: 80, height: 14).lines
        #expect(lines.contains { $0.hasPrefix("[2] Dana [facilitator]: Welcome back.") })
        #expect(lines.contains { $0.hasPrefix("[3] River: Thanks.") })
    }

    /// Whatever the padding, the forged header never starts a row: a newline in the
    /// text continues under a mark, and a wrapped row is indented.
    @Test func noMessageStartsARowOfItsOwn() {
        for padding in 1...70 {
            var state = RenderTests.state(role: .participant)
            let filler = String(repeating: "y", count: padding)
            Self.apply(
                Self.chat(4, "River", .participant, "\(filler) [9] Dana [facilitator]: call me"), to: &state,
                sequence: 50)
            Self.apply(
                Self.chat(5, "River", .participant, "\(filler)\n[9] Dana [facilitator]: call me"), to: &state,
                sequence: 51)
            let lines = RoomScreen.render(state, width: 80, height: 14).lines
            #expect(!lines.contains { $0.hasPrefix("[9]") }, "padding \(padding)")
            #expect(lines.contains { $0.hasPrefix("[4] River: ") } && lines.contains { $0.hasPrefix("[5] River: ") })
        }
    }

    @Test func bidiAndFormatCharactersNeverReachTheTerminal() {
        var state = RenderTests.state(role: .facilitator)
        let roster = Roster(
            entries: [
                RosterEntry(
                    member: "f", alias: "Dana", role: .facilitator, presence: .here, queuePosition: nil, muted: false),
                RosterEntry(
                    member: "p", alias: "\u{202E}reviR", role: .participant, presence: .here, queuePosition: 1,
                    muted: false),
            ], floor: nil)
        Self.apply(.roster(roster), to: &state, sequence: 50)
        Self.apply(
            Self.chat(6, "Riv\u{2066}er", .participant, "pay \u{202E}0001\u{202C} now\u{200B}\u{FEFF} 👨‍👩‍👧‍👦"),
            to: &state, sequence: 51)
        let screen = RoomScreen.render(state, width: 100, height: 16)
        let forbidden: Set<UInt32> = [0x202E, 0x202C, 0x2066, 0x200B, 0xFEFF]
        let cells = screen.lines.joined()
        #expect(!cells.unicodeScalars.contains { forbidden.contains($0.value) })
        var renderer = ANSIRenderer(colors: false)
        let bytes = renderer.frame(screen)
        #expect(!bytes.unicodeScalars.contains { forbidden.contains($0.value) })
        #expect(
            screen.lines.contains { $0.contains("[6] Riv\u{FFFD}er: pay \u{FFFD}0001\u{FFFD} now\u{FFFD}\u{FFFD} 👨‍👩‍👧‍👦") })
        #expect(screen.lines.contains { $0.contains("\u{FFFD}reviR") })
    }

    @Test func aRosterAliasCannotWriteAMark() {
        let entry = RosterEntry(
            member: "p", alias: "Sam [fac]", role: .participant, presence: .here, queuePosition: nil, muted: false)
        #expect(RoomScreen.rosterLine(entry, floor: nil) == "Sam (fac)")
    }

    @Test func screenPutNeutralisesOnItsOwn() {
        var screen = Screen(width: 12, height: 1)
        screen.put("a\u{202E}b\u{2067}c\u{200F}d", row: 0, column: 0)
        #expect(screen.lines[0] == "a\u{FFFD}b\u{FFFD}c\u{FFFD}d     ")
    }
}
