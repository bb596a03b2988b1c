import Foundation
import RoomClient
import RoomCore
import RoomProtocol
import RoomServer
import ServerTestSupport
import Testing

/// RoomConnection against a real in-process server: joining, admission, commands
/// with ack/error correlation, the view model, reconnect and resume.
@Suite(.serialized) struct ConnectionTests {
    @Test func participantIsAdmittedAndChatReachesTheFacilitator() async throws {
        let harness = try await ServerHarness()
        defer { harness.stop() }
        let ((facilitator, f), (participant, p)) = try await Room(harness: harness).group()
        let model = participant.currentModel
        #expect(model.stage == .inRoom)
        #expect(model.me?.alias == "River")
        #expect(model.roster.entries.map(\.alias).contains("Dana"))
        #expect(model.activities == ActivityMenu(), "participants get no activities message")
        let menu = facilitator.currentModel.activities
        #expect(menu.exercises.contains { $0.id == "box-breathing" && $0.duration != nil })
        #expect(menu.checkIns.contains { $0.id == "mood" })
        #expect(InputParser.help(for: .facilitator, activities: menu).contains { $0.hasPrefix("Exercises: ") })
        let id = participant.send(.sendChat(ConfidentialText("Glad to be here")))
        #expect(id.rawValue.hasPrefix("c"))
        guard case .accepted(let roundTrip)? = await p.outcome(of: id) else { throw TestFailure("chat refused") }
        #expect(roundTrip >= .zero)
        #expect(await f.waitFor("Glad to be here"))
        #expect(facilitator.currentModel.messages.last?.text.revealed == "Glad to be here")
        participant.leave()
        #expect(await p.finalFailure()?.isNormalEnd == true)
        facilitator.leave()
    }

    @Test func refusalIsCorrelatedWithItsCommand() async throws {
        let harness = try await ServerHarness()
        defer { harness.stop() }
        let ((facilitator, f), (participant, p)) = try await Room(harness: harness).group()
        guard case .command(let mute) = InputParser.parse("/mute River", in: facilitator.currentModel) else {
            throw TestFailure("no mute")
        }
        #expect(await f.outcome(of: facilitator.send(mute))?.isAccepted == true)
        #expect(
            await p.wait { _ in participant.currentModel.roster.entries.contains { $0.alias == "River" && $0.muted } })
        let id = participant.send(.sendChat(ConfidentialText("Am I muted?")))
        guard case .refused(let code, let message)? = await p.outcome(of: id) else { throw TestFailure("not refused") }
        #expect(code == "muted")
        #expect(!message.isEmpty)
        facilitator.leave()
        participant.leave()
    }

    @Test func checkInExerciseAndCrisisUpdateTheModel() async throws {
        let harness = try await ServerHarness()
        defer { harness.stop() }
        let ((facilitator, f), (participant, p)) = try await Room(harness: harness).group()
        func run(_ line: String, _ connection: RoomConnection, _ recorder: Recorder) async throws {
            guard case .command(let command) = InputParser.parse(line, in: connection.currentModel) else {
                throw TestFailure("cannot parse \(line)")
            }
            guard case .accepted? = await recorder.outcome(of: connection.send(command)) else {
                throw TestFailure("\(line) refused")
            }
        }
        try await run("/checkin mood 300", facilitator, f)
        #expect(await p.waitFor("checkin.started"))
        try await run("/answer 6 hopeful", participant, p)
        #expect(await f.waitFor("\"word\":\"hopeful\""))
        #expect(await f.wait { _ in facilitator.currentModel.checkInProgress?.answered.count == 1 })
        #expect(await p.wait { _ in participant.currentModel.checkInResponded })
        try await run("/exercise box-breathing", facilitator, f)
        #expect(await p.waitFor("exercise.status"))
        let status = try #require(participant.currentModel.exercise)
        let start = try #require(status.phases.first).startsAt.millisecondsSinceEpoch
        let position = try #require(ExercisePosition(status, at: start + 1000))
        #expect(position.phase.index == status.currentPhase)
        #expect(position.progress > 0.2 && position.progress < 0.3)
        try await run("/crisis", participant, p)
        #expect(await f.waitFor("crisis.raised"))
        #expect(await p.waitFor("crisis.received"))
        #expect(facilitator.currentModel.openAlerts.count == 1)
        try await run("/ack", facilitator, f)
        #expect(await p.waitFor("crisis.acknowledged"))
        #expect(participant.currentModel.myAlert?.acknowledgedBy == "Dana")
        #expect(await f.wait { _ in facilitator.currentModel.openAlerts.isEmpty })
        try await run("/end!", facilitator, f)  // at once; plain /end asks first (ConfirmationTests)
        #expect(await p.finalFailure()?.code == "session_ended")
        #expect(await p.finalFailure()?.exitStatus == 0)
        #expect(participant.currentModel.stage == .ended)
    }

    @Test func pingsKeepTheRoundTripCurrentForAMemberWhoOnlyListens() async throws {
        let harness = try await ServerHarness()
        defer { harness.stop() }
        let clock = ManualScheduler()
        var options = RoomConnectionOptions()
        options.pingInterval = .seconds(10)
        let (connection, events) = try await Room(harness: harness).connect(
            "dana", "facilitator", scheduler: clock, options: options)
        @Sendable func pingsAnswered() -> Int {
            events.all.filter { if case .outcome(_, .ping, .accepted) = $0 { true } else { false } }.count
        }
        #expect(await events.wait { _ in pingsAnswered() == 1 }, "one ping as soon as connected")
        #expect(connection.roundTrip != nil)
        #expect(clock.pendingDelays == [.seconds(10)])
        clock.advance(by: .seconds(10))
        #expect(await events.wait { _ in pingsAnswered() == 2 }, "the next one after the interval")
        #expect(!events.rawMessages.contains { $0.contains("\"error\"") }, "the room answers pings with ack only")
        connection.leave()
        #expect(await events.finalFailure()?.isNormalEnd == true)
        #expect(clock.pendingDelays.isEmpty, "leaving stops the pings")
    }

    @Test func droppedConnectionResumesWithLastEventSequence() async throws {
        let harness = try await ServerHarness()
        defer { harness.stop() }
        let clock = ManualScheduler()
        let ((facilitator, f), (participant, p)) = try await Room(harness: harness).group(scheduler: clock)
        let before = try #require(participant.currentModel.lastSequence)
        participant.interrupt()
        guard
            case .reconnecting(let delay, let attempt, let cause)? = await p.waitForState({
                if case .reconnecting = $0 { true } else { false }
            })
        else { throw TestFailure("no reconnecting state") }
        #expect(attempt == 2)
        #expect(cause.isRetryable)
        #expect(delay >= .milliseconds(250) && delay <= .milliseconds(500))
        // While away, the facilitator says something; it must be replayed, not lost. (Within
        // the room's presence grace the facilitator sees no change: the loss is not awaited.)
        let said = facilitator.send(.sendChat(ConfidentialText("While you were away")))
        #expect(await f.outcome(of: said)?.isAccepted == true)
        clock.advance(by: delay)
        #expect(await p.waitFor("While you were away"))
        let model = participant.currentModel
        #expect(model.stage == .inRoom, "resumed without going back to the waiting room")
        #expect(try #require(model.lastSequence) > before)
        #expect(p.rawMessages.filter { $0.contains("agreement.required") }.count == 1)
        facilitator.leave()
        participant.leave()
    }
}

extension CommandOutcome {
    var isAccepted: Bool { if case .accepted = self { true } else { false } }
}

/// A server that drains and never comes back: the client retries with growing
/// delays for the reconnect window, then says so and stops.
@Suite(.serialized) struct GiveUpTests {
    @Test func reconnectingStopsAfterTheWindow() async throws {
        let harness = try await ServerHarness()
        let clock = ManualScheduler()
        let room = Room(harness: harness)
        let (connection, events) = try await room.connect("dana", "facilitator", scheduler: clock)
        #expect(await events.waitFor("room.snapshot"))
        harness.stop()  // the server drains and is gone
        #expect(await events.waitForState { if case .reconnecting = $0 { true } else { false } } != nil)
        var delays: [Duration] = []
        for _ in 0..<40 {
            let seen = events.states.count
            guard await events.wait(until: { $0.count > 0 }) else { break }
            if case .reconnecting(let delay, _, _)? = events.states.last {
                delays.append(delay)
                clock.advance(by: delay)
                await events.wait { _ in events.states.count > seen + 1 || events.states.last?.isFinal == true }
            }
            if events.states.last?.isFinal == true { break }
        }
        let failure = try #require(await events.finalFailure(timeout: .seconds(1)))
        #expect(failure.code == "unreachable")
        #expect(failure.exitStatus == 6)
        #expect(delays.count >= 8, "kept trying for the whole window: \(delays)")
        #expect(delays.last.map { $0 <= .seconds(15) } == true, "capped")
        #expect(delays.dropFirst(3).allSatisfy { $0 >= .milliseconds(2000) }, "growing")
        _ = connection
    }
}
