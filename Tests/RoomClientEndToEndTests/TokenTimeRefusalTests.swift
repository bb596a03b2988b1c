import Foundation
import RoomClient
import RoomServer
import ServerTestSupport
import Testing

/// A token whose time has not come (an invitation for tomorrow) is told apart
/// from a bad one, through a real server.
@Suite(.serialized) struct TokenTimeRefusalTests {
    @Test func aTokenNotYetValidSaysSo() async throws {
        let harness = try await ServerHarness()
        defer { harness.stop() }
        let room = Room(harness: harness)
        let token = try await harness.application.authority.issue(
            TokenClaims(
                member: "river", alias: "River", role: "participant", room: Room.id, expires: Date() + 7200,
                tokenID: UUID().uuidString, notBefore: Date() + 3600))
        let (_, recorder) = try await room.connect("river", "participant", token: token)
        let failure = try #require(await recorder.finalFailure())
        #expect(failure.code == "token_not_yet_valid")
        #expect(failure.summary == "Your join token is not valid yet.")
        #expect(failure.advice.contains("time your invitation gives"))
        #expect(failure.exitStatus == 3)
    }
}
