import Crypto
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
        let expired = try await authority.issue(claims(expires: Self.now - 61))
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

    /// A compact JWS with `header` (JSON), the claims of `claims`, signed with
    /// HS256 under `secret` whatever the header says: what an attacker who
    /// holds a valid signature, or a buggy minting script, would send.
    static func forge(header: String, payload: String, secret: [UInt8] = secret) -> String {
        func encode(_ bytes: some Sequence<UInt8>) -> String {
            Data(bytes).base64EncodedString().replacingOccurrences(of: "+", with: "-")
                .replacingOccurrences(of: "/", with: "_").replacingOccurrences(of: "=", with: "")
        }
        let input = encode(Array(header.utf8)) + "." + encode(Array(payload.utf8))
        let mac = HMAC<SHA256>.authenticationCode(for: Array(input.utf8), using: SymmetricKey(data: secret))
        return input + "." + encode(Array(mac))
    }

    static func payload(exp: String, extra: String = "", role: String = "participant") -> String {
        #"{"sub":"m-1","alias":"Sam","role":"\#(role)","room":"evening-process","jti":"t1","exp":\#(exp)\#(extra)}"#
    }

    @Test func theHeaderMustSayHS256() async throws {
        let authority = await TokenAuthority(secret: Self.secret)
        let exp = "\(Int(Self.now.timeIntervalSince1970) + 3600)"
        let good = Self.forge(header: #"{"alg":"HS256","typ":"JWT"}"#, payload: Self.payload(exp: exp))
        #expect(await authority.verify(good, room: "evening-process", now: Self.now).map(\.alias) == .success("Sam"))
        let noTyp = Self.forge(header: #"{"alg":"HS256"}"#, payload: Self.payload(exp: exp))
        #expect(await authority.verify(noTyp, room: "evening-process", now: Self.now).map(\.alias) == .success("Sam"))
        for header in [
            #"{"alg":"none","typ":"JWT"}"#, #"{"alg":"RS256","typ":"JWT"}"#, #"{"alg":"hs256"}"#,
            #"{"alg":"HS512","typ":"JWT"}"#, #"{"alg":"HS256","typ":"JWE"}"#, #"{"alg":"HS256","crit":["exp"]}"#,
        ] {
            let forged = Self.forge(header: header, payload: Self.payload(exp: exp))
            let result = await authority.verify(forged, room: "evening-process", now: Self.now)
            #expect(result == .failure(.wrongAlgorithm), "\(header)")
        }
        let unsigned = Self.forge(header: #"{"alg":"none"}"#, payload: Self.payload(exp: exp)).split(separator: ".")
        let r_unsigned = await authority.verify(
            unsigned[0] + "." + unsigned[1] + ".", room: "evening-process", now: Self.now)
        #expect(r_unsigned == .failure(.wrongAlgorithm))
        #expect(AuthFailure.wrongAlgorithm.status == 401)
    }

    @Test func notBeforeIssuedAtAndLifetimeAreChecked() async throws {
        let authority = await TokenAuthority(secret: Self.secret)
        let now = Int(Self.now.timeIntervalSince1970)
        let header = #"{"alg":"HS256","typ":"JWT"}"#
        func verdict(_ payload: String) async -> Result<MemberIdentity, AuthFailure> {
            await authority.verify(Self.forge(header: header, payload: payload), room: "evening-process", now: Self.now)
        }
        let sam = MemberIdentity(id: "m-1", alias: "Sam", role: .participant)
        #expect(await verdict(Self.payload(exp: "1e300")) == .failure(.lifetimeTooLong))
        #expect(await verdict(Self.payload(exp: "\(now + 25 * 3600)")) == .failure(.lifetimeTooLong))
        #expect(await verdict(Self.payload(exp: "\(now + 24 * 3600)")) == .success(sam))
        // exp - iat over 24 h, though exp is within 24 h of now.
        #expect(
            await verdict(Self.payload(exp: "\(now + 3600)", extra: ",\"iat\":\(now - 24 * 3600)"))
                == .failure(.lifetimeTooLong))
        #expect(await verdict(Self.payload(exp: "\(now + 3600)", extra: ",\"iat\":\(now)")) == .success(sam))
        #expect(
            await verdict(Self.payload(exp: "\(now + 7200)", extra: ",\"nbf\":\(now + 3600)")) == .failure(.notYetValid)
        )
        #expect(
            await verdict(Self.payload(exp: "\(now + 7200)", extra: ",\"iat\":\(now + 3600)")) == .failure(.notYetValid)
        )
        // 60 s of clock skew are forgiven on nbf, iat and exp; 61 are not.
        #expect(await verdict(Self.payload(exp: "\(now + 7200)", extra: ",\"nbf\":\(now + 60)")) == .success(sam))
        #expect(await verdict(Self.payload(exp: "\(now - 60)")) == .success(sam))
        #expect(await verdict(Self.payload(exp: "\(now - 61)")) == .failure(.expiredToken))
        // Operators: 12 h by default.
        let op = Self.payload(exp: "\(now + 13 * 3600)", role: "operator")
        let r_op = await authority.verifyOperator(Self.forge(header: header, payload: op), now: Self.now)
        #expect(r_op.map(\.id) == .failure(.lifetimeTooLong))
        let longer = await TokenAuthority(
            secret: Self.secret, lifetimes: TokenLifetimes(memberHours: 48, operatorHours: 12))
        let r_longer = await longer.verify(
            Self.forge(header: header, payload: Self.payload(exp: "\(now + 47 * 3600)")), room: "evening-process",
            now: Self.now)
        #expect(r_longer == .success(sam))
        #expect(AuthFailure.notYetValid.status == 401 && AuthFailure.lifetimeTooLong.status == 401)
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

/// The signing secret file: never replaced, never too open, never made by a tool.
@Suite struct SigningSecretFileTests {
    let folder = NSTemporaryDirectory() + "secret-\(UUID().uuidString)"
    var file: String { folder + "/" + SigningSecret.fileName }

    func write(_ bytes: [UInt8], mode: Int) throws {
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        let made = FileManager.default.createFile(
            atPath: file, contents: Data(bytes), attributes: [.posixPermissions: mode])
        try #require(made)
    }

    @Test func aTruncatedSecretIsAnErrorNamingTheFileAndIsKept() throws {
        defer { try? FileManager.default.removeItem(atPath: folder) }
        try write(Array("short".utf8), mode: 0o600)
        let error = #expect(throws: SettingsError.self) {
            _ = try SigningSecret.load(configured: nil, dataDirectory: folder)
        }
        #expect(error?.description.contains(file) == true && error?.description.contains("5 bytes") == true)
        #expect(FileManager.default.contents(atPath: file) == Data("short".utf8))
    }

    @Test func aSecretOthersCanReadIsRefused() throws {
        defer { try? FileManager.default.removeItem(atPath: folder) }
        try write(Array(repeating: 7, count: 32), mode: 0o644)
        let error = #expect(throws: SettingsError.self) {
            _ = try SigningSecret.load(configured: nil, dataDirectory: folder)
        }
        #expect(error?.description.contains("mode 644") == true && error?.description.contains(file) == true)
        #expect(throws: SettingsError.self) { _ = try SigningSecret.read(configured: nil, dataDirectory: folder) }
    }

    @Test func toolsNeverCreateASecret() throws {
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let error = #expect(throws: SettingsError.self) {
            _ = try SigningSecret.read(configured: nil, dataDirectory: folder)
        }
        #expect(error?.description.contains(file) == true && error?.description.contains("--data-dir") == true)
        #expect(!FileManager.default.fileExists(atPath: file))
        let made = try SigningSecret.load(configured: nil, dataDirectory: folder)
        #expect(try SigningSecret.read(configured: nil, dataDirectory: folder) == made)
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
