import Foundation
import RoomClient
import RoomCore
import RoomServer
import ServerTestSupport
import Testing
import TransportTestSupport

/// Every way the room can say no, through a real server, turned into words and exit codes.
@Suite(.serialized) struct RefusalTests {
    @Test func expiredTokenIs401WithAdvice() async throws {
        let harness = try await ServerHarness()
        defer { harness.stop() }
        let room = Room(harness: harness)
        let token = try await room.token("river", "participant", expires: Date() - 60)
        let (_, recorder) = try await room.connect("river", "participant", token: token)
        let failure = try #require(await recorder.finalFailure())
        #expect(failure.code == "expired_token")
        #expect(failure.summary == "Your join token has expired.")
        #expect(failure.advice.contains("new invitation"))
        #expect(failure.exitStatus == 3)
        #expect(!recorder.states.contains { if case .reconnecting = $0 { true } else { false } })
    }

    @Test func invalidTokenAndWrongRoomAndUnknownRoom() async throws {
        let harness = try await ServerHarness()
        defer { harness.stop() }
        let room = Room(harness: harness)
        let (_, invalid) = try await room.connect("river", "participant", token: "not.a.token")
        #expect(await invalid.finalFailure()?.code == "invalid_token")
        #expect(await invalid.finalFailure()?.exitStatus == 3)
        let other = try await room.token("river", "participant", room: "dbt-skills")
        let (_, wrong) = try await room.connect("river", "participant", token: other)
        #expect(await wrong.finalFailure()?.code == "wrong_room")
        #expect(await wrong.finalFailure()?.summary == "Your join token is for a different room.")
        let (_, unknown) = try await room.connect("river", "participant", room: "no-such-room")
        #expect(await unknown.finalFailure()?.exitStatus == 4)
        #expect(await unknown.finalFailure()?.summary.contains("no room by that name") == true)
    }

    @Test func lockedRoomRefusesNewcomersWith4000() async throws {
        let harness = try await ServerHarness()
        defer { harness.stop() }
        let room = Room(harness: harness)
        let (facilitator, f) = try await room.connect("dana", "facilitator")
        #expect(await f.waitFor("room.snapshot"))
        #expect(await f.outcome(of: facilitator.send(.lockRoom))?.isAccepted == true)
        let (_, p) = try await room.connect("river", "participant")
        let failure = try #require(await p.finalFailure())
        #expect(failure.code == "room_locked")
        #expect(failure.summary == "The room is locked to newcomers.")
        #expect(failure.exitStatus == 5)
        #expect(!failure.isRetryable)
        facilitator.leave()
    }

    @Test func removedAndDeclinedAreFinal() async throws {
        let harness = try await ServerHarness()
        defer { harness.stop() }
        let room = Room(harness: harness)
        let ((facilitator, f), (_, p)) = try await room.group()
        guard case .command(let remove) = InputParser.parse("/remove river", in: facilitator.currentModel) else {
            throw TestFailure("no remove")
        }
        #expect(await f.outcome(of: facilitator.send(remove))?.isAccepted == true)
        let removed = try #require(await p.finalFailure())
        #expect(removed.code == "removed")
        #expect(removed.summary == "A facilitator removed you from this session.")
        #expect(removed.exitStatus == 5)
        let (sky, skyEvents) = try await room.connect("sky", "participant")
        #expect(await skyEvents.waitFor("agreement.required"))
        guard case .command(let accept) = InputParser.parse("/accept", in: sky.currentModel) else {
            throw TestFailure("no agreement")
        }
        sky.send(accept)
        #expect(await f.waitFor("\"alias\":\"Sky\""))
        guard case .command(let decline) = InputParser.parse("/decline sk", in: facilitator.currentModel) else {
            throw TestFailure("no decline")
        }
        #expect(await f.outcome(of: facilitator.send(decline))?.isAccepted == true)
        let declined = try #require(await skyEvents.finalFailure())
        #expect(declined.code == "declined")
        #expect(declined.summary == "A facilitator did not admit you to this session.")
        #expect(declined.exitStatus == 5)
        facilitator.leave()
    }

    @Test func unreachableServerRetriesThenGivesUp() async throws {
        let harness = try await ServerHarness()
        let port = harness.port
        harness.stop()
        let clock = ManualScheduler()
        var options = RoomConnectionOptions()
        options.attemptsBeforeFirstConnection = 2
        let (_, recorder) = try await Room(harness: harness).connect(
            "river", "participant", token: "x.y.z", scheduler: clock, options: options, port: port)
        guard
            case .reconnecting(let delay, 2, let cause)? = await recorder.waitForState({
                if case .reconnecting = $0 { true } else { false }
            })
        else { throw TestFailure("no retry") }
        #expect(cause.code == "unreachable")
        #expect(clock.pendingDelays == [delay])
        clock.advance(by: delay)
        let failure = try #require(await recorder.finalFailure())
        #expect(failure.code == "unreachable")
        #expect(failure.exitStatus == 6)
        #expect(failure.advice.contains("try again"))
    }
}

/// wss: the room over TLS, and a server whose certificate is not trusted.
@Suite(.serialized) struct SecureConnectionTests {
    @Test func joinsOverTLSAndRefusesAnUntrustedServer() async throws {
        var settings = ServerSettings()
        settings.tls = try DevCertificates.server()
        let harness = try await ServerHarness(settings: settings)
        defer { harness.stop() }
        let room = Room(harness: harness)
        let trusted = try ServerAddress(
            url: "wss://127.0.0.1:\(harness.port)", room: Room.id, trustedCAFile: try DevCertificates.path("ca.pem"))
        let (connection, recorder) = try await room.connect("river", "participant", address: trusted)
        #expect(await recorder.waitFor("agreement.required"))
        connection.leave()
        let untrusted = try ServerAddress(
            url: "wss://127.0.0.1:\(harness.port)", room: Room.id,
            trustedCAFile: try DevCertificates.path("other-ca.pem"))
        let (_, refused) = try await room.connect("sky", "participant", address: untrusted)
        let failure = try #require(await refused.finalFailure())
        #expect(failure.code == "tls_untrusted")
        #expect(!failure.isRetryable)
    }
}
