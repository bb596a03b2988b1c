import Foundation
import RoomCore
import ServerTestSupport
import Testing
import TransportTestSupport

@testable import RoomServer

/// Room ids are sensitive: without a valid token, an existing room and a
/// made-up one answer with the same bytes (a real server, raw HTTP).
@Suite(.serialized) struct RoomRouteSecrecyTests {
    /// The whole response to a WebSocket upgrade of `path` with `authorization`.
    func upgrade(_ port: Int, _ path: String, authorization: String?) async throws -> String {
        try await offPool {
            let socket = try RawSocket(port: port)
            var request = "GET \(path) HTTP/1.1\r\nHost: 127.0.0.1\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
            request += "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n"
            if let authorization { request += "Authorization: \(authorization)\r\n" }
            socket.write(request + "\r\n")
            return String(decoding: socket.readUntilClosed().bytes, as: UTF8.self)
        }
    }

    @Test func withoutAValidTokenAnExistingRoomAndAnUnknownOneLookTheSame() async throws {
        let harness = try await ServerHarness()
        defer { harness.stop() }
        let foreign = await TokenAuthority(secret: Array("another-secret-of-32-bytes-long!!".utf8))
        let claims = TokenClaims(
            member: "m-1", alias: "Sam", role: "participant", room: "evening-process", expires: Date() + 3600,
            tokenID: "t-1")
        let expired = TokenClaims(
            member: "m-1", alias: "Sam", role: "participant", room: "evening-process", expires: Date() - 3600,
            tokenID: "t-2")
        let refusedTokens: [String?] = [
            nil, "Bearer garbage", "Basic abc", "Bearer " + (try await foreign.issue(claims)),
            "Bearer " + (try await harness.application.authority.issue(expired)),
        ]
        for authorization in refusedTokens {
            let existing = try await upgrade(harness.port, "/v1/rooms/evening-process", authorization: authorization)
            let unknown = try await upgrade(harness.port, "/v1/rooms/no-such-room", authorization: authorization)
            #expect(existing.hasPrefix("HTTP/1.1 401"), "\(existing)")
            #expect(existing == unknown, "\(authorization ?? "no token")")
        }
        // With a valid token (for another room of this server), an unknown room may say so.
        let valid = "Bearer " + (try await harness.application.authority.issue(claims))
        let unknown = try await upgrade(harness.port, "/v1/rooms/no-such-room", authorization: valid)
        #expect(unknown.hasPrefix("HTTP/1.1 404") && unknown.contains("unknown_room"), "\(unknown)")
        let otherRoom = try await upgrade(harness.port, "/v1/rooms/dbt-skills", authorization: valid)
        #expect(otherRoom.hasPrefix("HTTP/1.1 403") && otherRoom.contains("wrong_room"), "\(otherRoom)")
    }
}
