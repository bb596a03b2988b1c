import RoomClient
import RoomCore
import RoomProtocol
import Testing

@testable import TerminalUI

/// Rendering without a terminal: a state in, a grid of cells out.
struct RenderTests {
    static let t0: Int64 = 1_764_000_000_000

    /// A facilitator's or participant's state built from real protocol messages.
    static func state(role: Role, admitted: Bool = true) -> ScreenState {
        var state = ScreenState()
        let me = role == .facilitator ? MemberID("f") : MemberID("p")
        var seq: UInt64 = 0
        func apply(_ message: ServerMessage) {
            state.model.apply(message, receivedAt: t0)
            state.append(TerminalApp.paneLines(for: message, in: state.model))
        }
        func event(_ event: RoomEvent) {
            seq += 1
            apply(.event(sequence: seq, time: t0, event))
        }
        apply(
            .welcome(
                member: me, alias: role == .facilitator ? "Dana" : "River", role: role, room: "r",
                roomTitle: "Evening process group"))
        guard admitted else {
            event(.agreementRequired(GroupAgreement(text: "What is said here stays here.", version: "2026-11")))
            return state
        }
        let roster = Roster(
            entries: [
                RosterEntry(
                    member: "f", alias: "Dana", role: .facilitator, presence: .here, queuePosition: nil, muted: false),
                RosterEntry(
                    member: "p", alias: "River", role: .participant, presence: .here, queuePosition: 1, muted: true),
                RosterEntry(
                    member: "q", alias: "美咲", role: .participant, presence: .reconnecting, queuePosition: nil,
                    muted: false),
            ], floor: nil)
        event(
            .snapshot(
                RoomSnapshot(
                    roomID: "r", title: "Evening process group", kind: .process, you: me, role: role, roster: roster,
                    chatPaused: false, locked: false, checkIn: nil, checkInResponded: false, exercise: nil,
                    sittingOutExercise: false, agenda: nil, waiting: [], openAlerts: [], sideRooms: [])))
        event(
            .message(
                ChatMessage(
                    id: MessageID(1), from: "q", alias: "美咲", role: .participant, scope: .group,
                    text: ConfidentialText("こんにちは 👋🏽 e\u{301}"), sentAt: Timestamp(millisecondsSinceEpoch: t0))))
        state.connection = .connected
        state.roundTrip = .milliseconds(3)
        state.serverNow = t0
        return state
    }

    @Test func mainScreenShowsHeaderPaneRosterStatusAndInput() {
        var state = Self.state(role: .participant)
        for key in "hello" { _ = state.editor.handle(.character(key)) }
        let screen = RoomScreen.render(state, width: 80, height: 12)
        let lines = screen.lines
        #expect(lines[0].hasPrefix(" Evening process group · in session"))
        #expect(lines.contains { $0.contains("[1] 美咲: こんにちは 👋🏽 é") })
        #expect(lines.contains { $0.contains("River [✋1, muted]") })
        #expect(lines.contains { $0.contains("美咲 [reconnecting]") })
        #expect(lines[10].contains("connected · rtt 3 ms · River (participant)"))
        #expect(lines[11].hasPrefix("> hello"))
        #expect(screen.cursor?.row == 11 && screen.cursor?.column == 7)
        for line in lines { #expect(CellWidth.of(line) == 80, "every row is exactly 80 columns: \(line)") }
    }

    @Test func wideAndCombiningCharactersTakeTheirColumns() {
        #expect(CellWidth.of("a") == 1)
        #expect(CellWidth.of("美") == 2)
        #expect(CellWidth.of("👋🏽") == 2)
        #expect(CellWidth.of("e\u{301}") == 1)
        #expect(CellWidth.of("\u{200B}") == 0)
        var screen = Screen(width: 5, height: 1)
        #expect(screen.put("美美美", row: 0, column: 0) == 5)
        #expect(screen.lines == ["美美 "], "a wide character never straddles the edge")
        #expect(screen[0, 1].text == "")
        #expect(CellWidth.wrap("one two three", width: 7) == ["one two", "three"])
    }

    @Test func crisisAlertIsABannerImpossibleToMiss() {
        var state = Self.state(role: .facilitator)
        let alert = CrisisAlertInfo(
            id: AlertID(1), member: "p", alias: "River", raisedAt: Timestamp(millisecondsSinceEpoch: Self.t0))
        state.model.apply(.event(sequence: 99, time: Self.t0, .crisisAlertRaised(alert)), receivedAt: Self.t0)
        state.append(
            TerminalApp.paneLines(for: .event(sequence: 99, time: Self.t0, .crisisAlertRaised(alert)), in: state.model))
        let screen = RoomScreen.render(state, width: 80, height: 14)
        #expect(screen.lines[1].contains("!!! CRISIS ALERT: River needs help now"))
        #expect(screen[1, 0].style.reverse && screen[1, 0].style.background == .red)
        #expect(screen.lines.filter { $0.contains("CRISIS ALERT") }.count == 2, "banner and pane line")
        var plain = ANSIRenderer(colors: false)
        let bytes = plain.frame(screen)
        #expect(!bytes.contains("\u{1B}[0;1;7;37") && !bytes.contains(";41m"), "NO_COLOR: no colors")
        #expect(bytes.contains("\u{1B}[0;1;7m"), "NO_COLOR: the banner is still bold reverse")
    }

    @Test func facilitatorSeesWaitingHandsAndCheckIn() {
        var state = Self.state(role: .facilitator)
        let waiting = [
            WaitingEntry(
                member: "s", alias: "Sky", since: Timestamp(millisecondsSinceEpoch: Self.t0), reconnecting: false)
        ]
        state.model.apply(.event(sequence: 50, time: Self.t0, .waitingRoom(waiting)), receivedAt: Self.t0)
        let lines = RoomScreen.render(state, width: 80, height: 16).lines
        #expect(lines.contains { $0.contains("│Waiting (1)") })
        #expect(lines.contains { $0.contains("│▸ Sky") }, "the selected waiting person")
        #expect(lines.contains { $0.contains("│  Alt-a admit") })
        #expect(lines.contains { $0.contains("│Hands (1)") })
        #expect(lines.contains { $0.contains("│  1. River") })
    }

    @Test func agreementAndWaitingScreens() {
        let state = Self.state(role: .participant, admitted: false)
        let lines = RoomScreen.render(state, width: 70, height: 14).lines
        #expect(lines[0].contains("group agreement"))
        #expect(lines.contains { $0.contains("What is said here stays here.") })
        #expect(lines.contains { $0.contains("Type /accept and press Enter to agree") })
        var waiting = state
        waiting.model.apply(.event(sequence: 9, time: Self.t0, .waitingForAdmission), receivedAt: Self.t0)
        #expect(
            RoomScreen.render(waiting, width: 70, height: 14).lines.contains {
                $0.contains("You are in the waiting room.")
            })
    }

    @Test func exerciseCountdownAndBreathingShapeFollowTheSchedule() {
        var state = Self.state(role: .participant)
        func phase(_ i: Int, _ name: String) -> ScheduledPhase {
            ScheduledPhase(
                index: i, name: name, prompt: "\(name) slowly.", duration: .seconds(4),
                startsAt: Timestamp(millisecondsSinceEpoch: Self.t0 + Int64(i) * 4000),
                endsAt: Timestamp(millisecondsSinceEpoch: Self.t0 + Int64(i + 1) * 4000))
        }
        let status = ExerciseStatus(
            run: 1, exerciseID: "box-breathing", name: "Box breathing",
            phases: [phase(0, "Breathe in"), phase(1, "Hold"), phase(2, "Breathe out")], currentPhase: 0, paused: false,
            remainingInPhase: .seconds(4), change: .started)
        state.model.apply(.event(sequence: 20, time: Self.t0, .exercise(status)), receivedAt: Self.t0)
        func shapeWidth(at offset: Int64) -> (Int, [String]) {
            state.serverNow = Self.t0 + offset
            let lines = RoomScreen.render(state, width: 80, height: 24).lines
            let widest = lines.map { $0.filter { $0 == "●" }.count }.max() ?? 0
            return (widest, lines)
        }
        let (early, lines) = shapeWidth(at: 500)
        #expect(lines[0].contains("Box breathing: Breathe in 0:04"))
        #expect(lines.contains { $0.contains("Breathe in slowly.") })
        let (late, _) = shapeWidth(at: 3500)
        let (hold, holdLines) = shapeWidth(at: 5000)
        let (out, _) = shapeWidth(at: 11_000)
        #expect(early < late, "grows while breathing in")
        #expect(hold == late || hold >= late, "holds while holding")
        #expect(out < hold, "shrinks while breathing out")
        #expect(holdLines[0].contains("Hold 0:03"))
    }

    @Test func checkInDialogAnswersWithArrowsAndWords() {
        var dialog = CheckInDialog(template: CheckInCatalogue.mood)
        #expect(dialog.handle(.right) == .none)
        #expect(dialog.scores["mood"] == 6)
        #expect(dialog.handle(.enter) == .none, "the word is still missing: move to it")
        for key in "hopeful" { _ = dialog.handle(.character(key)) }
        let expected = CheckInAnswer(["mood": .score(6), "word": .text(ConfidentialText("hopeful"))])
        #expect(dialog.handle(.enter) == .submit(expected))
        #expect(dialog.handle(.control("p")) == .pass)
        var state = Self.state(role: .participant)
        state.checkInDialog = dialog
        #expect(RoomScreen.render(state, width: 80, height: 20).lines.contains { $0.contains("◀ 6 ▶") })
    }

    @Test func scrollbackMovesWithPageUp() {
        var state = Self.state(role: .participant)
        state.append((1...50).map { PaneLine("line \($0)", kind: .chat) })
        var lines = RoomScreen.render(state, width: 80, height: 10).lines
        #expect(lines.contains { $0.hasPrefix("line 50") })
        state.scroll = 10
        lines = RoomScreen.render(state, width: 80, height: 10).lines
        #expect(lines.contains { $0.hasPrefix("line 40") } && !lines.contains { $0.hasPrefix("line 50") })
        #expect(lines[8].contains("scrolled up 10"))
    }
}

/// The status line while the connection is being restored.
struct ReconnectStatusTests {
    @Test func statusLineCountsDownToTheNextAttempt() {
        var state = RenderTests.state(role: .participant)
        state.connection = .reconnecting(in: .seconds(4), attempt: 2, cause: .closed(code: nil, reason: nil))
        state.reconnectAt = RenderTests.t0 + 4000
        state.serverNow = RenderTests.t0 + 1500
        let lines = RoomScreen.render(state, width: 80, height: 10).lines
        #expect(lines[8].contains("connection lost — reconnecting in 3 s (attempt 2)"))
        #expect(!lines[8].contains("rtt"))
    }
}

/// Text from other people can never drive the terminal.
struct SafetyTests {
    @Test func controlCharactersNeverReachTheTerminal() {
        var screen = Screen(width: 20, height: 1)
        screen.put("a\u{1B}[2Jb\nc\r", row: 0, column: 0)
        #expect(screen.lines[0].hasPrefix("a�[2Jb�c� ") && CellWidth.of(screen.lines[0]) == 20)
        var renderer = ANSIRenderer(colors: false)
        let bytes = renderer.frame(screen)
        #expect(!bytes.contains("\n") && !bytes.contains("\r") && !bytes.contains("\u{1B}[2Jb"))
        #expect("hi\u{1B}]0;owned\u{07}".safeForTerminal == "hi\u{FFFD}]0;owned\u{FFFD}")
    }

    @Test func multiLineAgreementBecomesSeparateLines() {
        let message = RoomProtocol.ServerMessage.event(
            sequence: 1, time: 0, .agreementRequired(GroupAgreement(text: "One.\nTwo.", version: "1")))
        let lines = EventText.lines(for: message, in: RoomViewModel())
        #expect(lines.contains("One.") && lines.contains("Two."))
    }
}

/// A refusal is visible on every screen, not only in the room.
struct NoticeTests {
    @Test func errorsShowOnTheAgreementScreen() {
        var state = RenderTests.state(role: .participant, admitted: false)
        state.append([PaneLine("! There is no agreement to accept right now.", kind: .error)])
        let lines = RoomScreen.render(state, width: 80, height: 16).lines
        #expect(lines.contains { $0.contains("! There is no agreement to accept right now.") })
    }
}

/// A redacted or deleted message leaves the screen.
struct RedactionTests {
    @Test func redactedMessageIsTakenOffThePane() {
        var state = RenderTests.state(role: .participant)
        #expect(RoomScreen.render(state, width: 80, height: 12).lines.contains { $0.contains("こんにちは") })
        state.withdraw(MessageRemoval(message: MessageID(1), reason: .redacted))
        let lines = RoomScreen.render(state, width: 80, height: 12).lines
        #expect(!lines.contains { $0.contains("こんにちは") })
        #expect(lines.contains { $0.contains("(message 1 was redacted)") })
    }
}
