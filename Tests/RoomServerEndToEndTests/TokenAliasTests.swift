import Foundation
import RoomCore
import ServerTestSupport
import Testing
import TransportTestSupport

@testable import RoomServer

/// A token whose alias breaks the alias rule is refused when it is verified,
/// however it was signed (issue 18, item 6): 403 `invalid_alias`, counted.
@Suite struct TokenAliasTests {
    static let secret = Array("0123456789abcdef0123456789abcdef".utf8)
    static let room = "evening-process"

    static func claims(alias: String, role: String = "participant", member: String = "m-1") -> TokenClaims {
        TokenClaims(
            member: member, alias: alias, role: role, room: room, expires: Date() + 3600,
            tokenID: UUID().uuidString)
    }

    static let hostile = [
        "\u{1B}[31mRed\u{1B}[0m", "Bell\u{07}", "Line\nBreak", "Csi\u{9B}2J", "Ann\u{202E}lie", "\u{2066}Bo",
        "\u{200B}\u{200B}", String(repeating: "x", count: 11_000), "Dana (facilitator)", "Facilitator Dana",
        "Sam [facilitator]", "", " Sam",
    ]

    @Test(arguments: hostile)
    func aParticipantTokenWithABadAliasIsRefused(_ alias: String) async throws {
        let authority = await TokenAuthority(secret: Self.secret)
        let token = try await authority.issue(Self.claims(alias: alias))
        let result = await authority.verify(token, room: Self.room, now: Date())
        #expect(result == .failure(.invalidAlias))
    }

    @Test func staffMayNameTheirRoleButNotBreakTheRest() async throws {
        let authority = await TokenAuthority(secret: Self.secret)
        let dana = try await authority.issue(Self.claims(alias: "Dana (facilitator)", role: "facilitator"))
        #expect(
            await authority.verify(dana, room: Self.room, now: Date())
                == .success(MemberIdentity(id: "m-1", alias: "Dana (facilitator)", role: .facilitator)))
        let escape = try await authority.issue(Self.claims(alias: "\u{1B}]0;x\u{07}Lee", role: "facilitator"))
        #expect(await authority.verify(escape, room: Self.room, now: Date()) == .failure(.invalidAlias))
        let river = try await authority.issue(Self.claims(alias: "River 🌱"))
        #expect(
            await authority.verify(river, room: Self.room, now: Date())
                == .success(MemberIdentity(id: "m-1", alias: "River 🌱", role: .participant)))
        #expect(AuthFailure.invalidAlias.status == 403 && AuthFailure.invalidAlias.code == "invalid_alias")
    }

    /// End to end: the upgrade is answered 403 with the reason, and the refusal is
    /// counted under its reason.
    @Test func theHandshakeIsRefusedAndCounted() async throws {
        let harness = try await ServerHarness()
        defer { harness.stop() }
        let token = try await harness.application.authority.issue(Self.claims(alias: "Dana (facilitator)"))
        let port = harness.port
        let response = try await offPool {
            let socket = try RawSocket(port: port)
            socket.write(
                "GET /v1/rooms/\(Self.room) HTTP/1.1\r\nHost: 127.0.0.1\r\nUpgrade: websocket\r\n"
                    + "Connection: Upgrade\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n"
                    + "Sec-WebSocket-Version: 13\r\nAuthorization: Bearer \(token)\r\n\r\n")
            return String(decoding: socket.readUntilClosed().bytes, as: UTF8.self)
        }
        #expect(response.hasPrefix("HTTP/1.1 403"))
        #expect(response.contains("invalid_alias"))
        #expect(!response.contains("Dana"))
        #expect(harness.application.authFailures.count(of: "invalid_alias") == 1)
    }
}
