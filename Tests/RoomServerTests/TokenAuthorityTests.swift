import Foundation
import RoomCore
import Testing

@testable import RoomServer

@Suite struct TokenAuthorityTests {
    static let secret = Array("0123456789abcdef0123456789abcdef".utf8)
    static let now = Date(timeIntervalSince1970: 1_800_000_000)

    func claims(
        room: String = "evening-process", role: String = "participant", expires: Date = now + 3600, id: String = "t1"
    )
        -> TokenClaims
    {
        TokenClaims(member: "m-1", alias: "Sam", role: role, room: room, expires: expires, tokenID: id)
    }

    @Test func validTokenGivesTheIdentity() async throws {
        let authority = await TokenAuthority(secret: Self.secret)
        let token = try await authority.issue(claims())
        let result = await authority.verify(token, room: "evening-process", now: Self.now)
        #expect(result == .success(MemberIdentity(id: "m-1", alias: "Sam", role: .participant)))
    }

    @Test func everyRefusalHasItsReasonAndStatus() async throws {
        let revocations = RevocationList()
        let authority = await TokenAuthority(secret: Self.secret, revocations: revocations)
        let other = await TokenAuthority(secret: Array("another-secret-of-32-bytes-long!!".utf8))
        let expired = try await authority.issue(claims(expires: Self.now - 1))
        let r_expired = await authority.verify(expired, room: "evening-process", now: Self.now)
        #expect(r_expired == .failure(.expiredToken))
        let wrongRoom = try await authority.issue(claims(room: "dbt-skills"))
        let r_wrongRoom = await authority.verify(wrongRoom, room: "evening-process", now: Self.now)
        #expect(r_wrongRoom == .failure(.wrongRoom))
        let foreign = try await other.issue(claims())
        let r_foreign = await authority.verify(foreign, room: "evening-process", now: Self.now)
        #expect(r_foreign == .failure(.invalidToken))
        let rGarbage = await authority.verify("garbage", room: "evening-process", now: Self.now)
        #expect(rGarbage == .failure(.invalidToken))
        let operatorToken = try await authority.issue(claims(role: "operator"))
        let r_operatorToken = await authority.verify(operatorToken, room: "evening-process", now: Self.now)
        #expect(r_operatorToken == .failure(.wrongRole))
        let revoked = try await authority.issue(claims(id: "t-revoked"))
        revocations.revoke("t-revoked")
        let r_revoked = await authority.verify(revoked, room: "evening-process", now: Self.now)
        #expect(r_revoked == .failure(.revokedToken))
        #expect(AuthFailure.expiredToken.status == 401)
        #expect(AuthFailure.wrongRoom.status == 403)
        #expect(AuthFailure.revokedToken.status == 403)
    }

    @Test func bearerHeaderParsing() {
        #expect(TokenAuthority.bearerToken(in: "Bearer abc.def") == "abc.def")
        #expect(TokenAuthority.bearerToken(in: "bearer   abc") == "abc")
        #expect(TokenAuthority.bearerToken(in: "Basic abc") == nil)
        #expect(TokenAuthority.bearerToken(in: "Bearer") == nil)
        #expect(TokenAuthority.bearerToken(in: nil) == nil)
    }

    @Test func secretIsCreatedOnceWithMode0600() throws {
        let folder = NSTemporaryDirectory() + "secret-\(UUID().uuidString)"
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let first = try SigningSecret.load(configured: nil, dataDirectory: folder)
        let second = try SigningSecret.load(configured: nil, dataDirectory: folder)
        #expect(first.count == 32)
        #expect(first == second)
        let attributes = try FileManager.default.attributesOfItem(atPath: folder + "/" + SigningSecret.fileName)
        #expect((attributes[.posixPermissions] as? Int) == 0o600)
        #expect(throws: SettingsError.self) { try SigningSecret.load(configured: "short", dataDirectory: folder) }
    }
}

@Suite struct RateLimiterTests {
    @Test func burstThenSteadyRate() {
        var limiter = RateLimiter(rate: 5, burst: 3)
        var allowed = 0
        for _ in 0..<3 where limiter.allow(at: 0) { allowed += 1 }
        #expect(allowed == 3)
        // Then: empty; half a token after 100 ms; one after 200 ms at 5/s; full later.
        let outcomes = [0, 100, 200, 200, 10_000].map { limiter.allow(at: Int64($0)) }
        #expect(outcomes == [false, false, true, false, true])
    }
}
