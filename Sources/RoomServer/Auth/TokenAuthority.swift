import FoundationEssentials
import JWTKit
import RoomCore
import WebSocketCore

/// Issues and checks signed tokens (HS256 through jwt-kit).
public final class TokenAuthority: Sendable {
    private let keys: JWTKeyCollection
    private let revocations: RevocationList

    /// Creates an authority for `secret` (at least 32 bytes).
    public init(secret: [UInt8], revocations: RevocationList = RevocationList()) async {
        keys = JWTKeyCollection()
        await keys.add(hmac: HMACKey(from: secret), digestAlgorithm: .sha256)
        self.revocations = revocations
    }

    /// Signs `claims` into a compact JWT.
    public func issue(_ claims: TokenClaims) async throws -> String {
        try await keys.sign(claims)
    }

    /// Checks a bearer token for `room` at `now`: signature, shape, expiry,
    /// revocation, room and role. Returns the member's identity.
    public func verify(_ token: String, room: String, now: Date) async -> Result<MemberIdentity, AuthFailure> {
        let claims: TokenClaims
        do {
            claims = try await keys.verify(token, as: TokenClaims.self)
        } catch {
            return .failure(.invalidToken)
        }
        guard claims.expiration.value > now else { return .failure(.expiredToken) }
        guard !revocations.contains(claims.tokenID.value) else { return .failure(.revokedToken) }
        guard claims.room == room else { return .failure(.wrongRoom) }
        guard let role = Role(rawValue: claims.role) else { return .failure(.wrongRole) }
        guard !claims.subject.value.isEmpty, !claims.alias.isEmpty else { return .failure(.invalidToken) }
        return .success(MemberIdentity(id: MemberID(claims.subject.value), alias: claims.alias, role: role))
    }

    /// The bearer token in an `Authorization` header value, if well formed.
    public static func bearerToken(in header: String?) -> String? {
        guard let header else { return nil }
        let parts = header.split(separator: " ", maxSplits: 1)
        guard parts.count == 2, parts[0].lowercased() == "bearer" else { return nil }
        let token = parts[1].trimmingHTTPWhitespace()
        return token.isEmpty ? nil : token
    }
}
