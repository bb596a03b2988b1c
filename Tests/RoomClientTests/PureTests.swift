import RoomClient
import RoomCore
import RoomProtocol
import TestSupportCore
import Testing

/// The pure parts: address parsing, backoff, close-code wording, input parsing, event text.
struct PureTests {
    @Test func addressesAreParsedAndTokensStayOutOfURLs() throws {
        let address = try ServerAddress(url: "ws://127.0.0.1:8080/", room: "evening-process")
        #expect(address.host == "127.0.0.1" && address.port == 8080)
        #expect(address.description == "ws://127.0.0.1:8080/v1/rooms/evening-process")
        let request = address.request(token: "secret", lastSequence: 41)
        #expect(request.path == "/v1/rooms/evening-process")
        #expect(request.headers["Authorization"] == "Bearer secret")
        #expect(request.headers["Last-Event-Sequence"] == "41")
        #expect(address.request(token: "t", lastSequence: nil).headers["Last-Event-Sequence"] == nil)
        let secure = try ServerAddress(url: "wss://iop.example.org", room: "r", trustedCAFile: "/ca.pem")
        #expect(secure.port == 443 && secure.tls?.trustedCAFile == "/ca.pem")
        #expect(secure.request(token: "t", lastSequence: nil).tls != nil)
        #expect(address.tls == nil)
        #expect(throws: ClientFailure.invalidAddress("ws://h/a?token=1")) {
            try ServerAddress(url: "ws://h/a?token=1", room: "r")
        }
        #expect(throws: ClientFailure.invalidRoom("a/b")) { try ServerAddress(url: "ws://h", room: "a/b") }
        #expect(try ServerAddress(url: "ws://example.org", room: "r").port == 80)
    }

    @Test func backoffGrowsIsCappedAndJittered() {
        let backoff = Backoff(initial: .seconds(1), maximum: .seconds(8), multiplier: 2, jitter: 0.5)
        var random = SplitMix64(seed: 1)
        for attempt in 0..<10 {
            let delay = backoff.delay(attempt: attempt, using: &random)
            let cap = min(1000 << attempt, 8000)
            #expect(delay.milliseconds >= Int64(cap / 2) && delay.milliseconds <= Int64(cap), "attempt \(attempt)")
        }
        var a = SplitMix64(seed: 9)
        var b = SplitMix64(seed: 9)
        #expect(backoff.delay(attempt: 3, using: &a) == backoff.delay(attempt: 3, using: &b))
        let none = Backoff(initial: .seconds(1), jitter: 0)
        #expect(none.delay(attempt: 2, using: &a) == .seconds(4))
    }

    @Test func everyCloseCodeHasWordsAndAnExitStatus() {
        let cases: [(UInt16?, String?, String, Int32, Bool)] = [
            (nil, nil, "connection_lost", 6, true), (1001, nil, "closed_1001", 6, true),
            (4000, "room_full", "room_full", 5, false), (4000, "room_locked", "room_locked", 5, false),
            (4000, nil, "refused_on_arrival", 5, false), (4001, nil, "removed", 5, false),
            (4002, nil, "declined", 5, false), (4003, nil, "session_ended", 0, false),
            (4004, nil, "replaced", 5, false), (1008, nil, "closed_1008", 6, true),
            (4005, "idle_logged_off", "idle_logged_off", 5, false),
            (4006, "token revoked", "token_revoked", 5, false), (4008, "room_moved", "room_moved", 6, true),
        ]
        for (code, reason, machine, exit, retry) in cases {
            let failure = ClientFailure.closed(code: code, reason: reason)
            #expect(failure.code == machine)
            #expect(failure.exitStatus == exit, "\(machine)")
            #expect(failure.isRetryable == retry, "\(machine)")
            #expect(!failure.summary.isEmpty)
        }
        #expect(ClientFailure.closed(code: 4000, reason: "room_full").summary == "The room is full.")
        #expect(ClientFailure.refused(status: 403, code: "revoked_token").summary == "Your join token was withdrawn.")
        #expect(ClientFailure.refused(status: 503, code: "").isRetryable)
        // A room moving between servers: retried at the first backoff step, told in words.
        let moving = ClientFailure.refused(status: 503, code: "room_elsewhere")
        #expect(moving.isRetryable && moving.isRoomMoving && moving.summary == "The room is moving to another server.")
        #expect(ClientFailure.closed(code: 4008, reason: "room_moved").isRoomMoving)
        #expect(
            ConnectionState.reconnecting(in: .milliseconds(300), attempt: 4, cause: moving).description
                == "the group is moving to another server — rejoining…")
        #expect(!ClientFailure.refused(status: 503, code: "draining").isRoomMoving)
    }

    @Test func helpListsOnlyWhatTheRoleMayUse() {
        let participant = InputParser.help(for: .participant).joined(separator: "\n")
        #expect(participant.contains("/crisis") && participant.contains("/answer"))
        #expect(!participant.contains("/admit") && !participant.contains("/end"))
        let facilitator = InputParser.help(for: .facilitator).joined(separator: "\n")
        #expect(facilitator.contains("/admit NAME") && facilitator.contains("/end"))
        #expect(!facilitator.contains("/crisis"))
        #expect(InputParser.parse("/admit x", in: RoomViewModel()) == .invalid("/admit is for facilitators."))
    }

    @Test func plainTextIsChatAndSlashesCanBeEscaped() {
        let model = RoomViewModel()
        #expect(InputParser.parse("hello", in: model) == .command(.sendChat(ConfidentialText("hello"))))
        #expect(
            InputParser.parse("//not a command", in: model) == .command(.sendChat(ConfidentialText("/not a command"))))
        #expect(InputParser.parse("   ", in: model) == .nothing)
        #expect(InputParser.parse("/help", in: model) == .help)
        #expect(InputParser.parse("/wave", in: model) == .invalid("Unknown command /wave. Type /help for the list."))
        #expect(InputParser.parse("/answer 6 ok", in: model) == .invalid("No check-in round is open."))
    }

    @Test func answersFollowTheTemplate() {
        var model = RoomViewModel()
        model.apply(.welcome(member: "p", alias: "P", role: .participant, room: "r", roomTitle: "R"), receivedAt: 0)
        let round = CheckInRoundInfo(
            round: 1, template: CheckInCatalogue.mood, startedAt: Timestamp(millisecondsSinceEpoch: 0), closesAt: nil)
        model.apply(.event(sequence: 1, time: 0, .checkInStarted(round)), receivedAt: 0)
        #expect(
            InputParser.parse("/answer 6 hopeful", in: model)
                == .command(
                    .answerCheckIn(CheckInAnswer(["mood": .score(6), "word": .text(ConfidentialText("hopeful"))]))))
        guard case .invalid(let why) = InputParser.parse("/answer 11 x", in: model) else { return #expect(Bool(false)) }
        #expect(why.contains("0 to 10"))
        let replayed = model.apply(.event(sequence: 1, time: 0, .sessionEnded), receivedAt: 0)
        #expect(!replayed, "a replayed seq is ignored")
    }

    @Test func breathingShapeFollowsTheServerSchedule() {
        let start: Int64 = 1_000_000
        func phase(_ i: Int, _ name: String) -> ScheduledPhase {
            ScheduledPhase(
                index: i, name: name, prompt: "", duration: .seconds(4),
                startsAt: Timestamp(millisecondsSinceEpoch: start + Int64(i) * 4000),
                endsAt: Timestamp(millisecondsSinceEpoch: start + Int64(i + 1) * 4000))
        }
        let status = ExerciseStatus(
            run: 1, exerciseID: "box-breathing", name: "Box breathing",
            phases: [phase(0, "Breathe in"), phase(1, "Hold"), phase(2, "Breathe out"), phase(3, "Hold")],
            currentPhase: 0, paused: false, remainingInPhase: .seconds(4), change: .started)
        let samples: [(Int64, Int, Double)] = [
            (1000, 0, 0.25), (3000, 0, 0.75), (5000, 1, 1), (9000, 2, 0.75), (13000, 3, 0),
        ]
        for (offset, index, breath) in samples {
            let position = ExercisePosition(status, at: start + offset)
            #expect(position?.phase.index == index)
            #expect(position.map { abs($0.breath - breath) < 0.001 } == true, "at +\(offset) ms")
        }
        #expect(ExercisePosition(status, at: start + 1000)?.remaining == .seconds(3))
    }
}

/// Side-room chat stays in the side room.
struct SideRoomInputTests {
    @Test func plainTextInASideRoomGoesToTheSideRoom() {
        var model = RoomViewModel()
        model.apply(.welcome(member: "p", alias: "P", role: .participant, room: "r", roomTitle: "R"), receivedAt: 0)
        let room = SideRoomInfo(
            participant: "p", participantAlias: "P", facilitator: "f", facilitatorAlias: "F",
            openedAt: Timestamp(millisecondsSinceEpoch: 0))
        model.apply(.event(sequence: 1, time: 0, .sideRoomOpened(room)), receivedAt: 0)
        #expect(InputParser.parse("just us", in: model) == .command(.sideRoomMessage(ConfidentialText("just us"))))
        model.apply(.event(sequence: 2, time: 0, .sideRoomClosed(room)), receivedAt: 0)
        #expect(InputParser.parse("everyone", in: model) == .command(.sendChat(ConfidentialText("everyone"))))
    }
}
