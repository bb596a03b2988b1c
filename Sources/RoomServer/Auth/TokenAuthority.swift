import FoundationEssentials
import JWTKit
import RoomCore
import WebSocketCore

/// Issues and checks signed tokens (HS256 through jwt-kit; the header's `alg`,
/// lifetimes and clock-skew leeway checked here: docs/OPERATIONS.md, "Minting tokens").
public final class TokenAuthority: Sendable {
    /// The role name of an operator's token: admin API only, never a room.
    public static let operatorRole = "operator"

    private let keys: JWTKeyCollection
    /// The revoked token ids (the in-memory view of the durable revocations).
    public let revocations: RevocationList
    /// The longest lifetimes accepted.
    public let lifetimes: TokenLifetimes

    /// Creates an authority for `secret` (at least 32 bytes) accepting tokens up to `lifetimes`.
    public init(
        secret: [UInt8], lifetimes: TokenLifetimes = TokenLifetimes(), revocations: RevocationList = RevocationList()
    ) async {
        keys = JWTKeyCollection()
        await keys.add(hmac: HMACKey(from: secret), digestAlgorithm: .sha256)
        self.revocations = revocations
        self.lifetimes = lifetimes
    }

    /// Signs `claims` into a compact JWT.
    public func issue(_ claims: TokenClaims) async throws -> String {
        try await keys.sign(claims)
    }

    /// Checks a bearer token for `room` at `now`: signature, shape, expiry,
    /// revocation, role, room and alias (``TokenAlias``). Returns the member's identity.
    public func verify(_ token: String, room: String, now: Date) async -> Result<MemberIdentity, AuthFailure> {
        await verifyMember(token, room: room, now: now).map(\.identity)
    }

    /// As `verify`, with the token's id (`jti`), so its connection can be
    /// closed if the token is revoked. An operator token is `wrong_role` here.
    public func verifyMember(_ token: String, room: String, now: Date) async -> Result<VerifiedMember, AuthFailure> {
        let claims: TokenClaims
        switch await checkedClaims(token, now: now) {
        case .failure(let failure): return .failure(failure)
        case .success(let checked): claims = checked
        }
        guard claims.role != Self.operatorRole else { return .failure(.wrongRole) }
        guard claims.room == room else { return .failure(.wrongRoom) }
        guard let role = Role(rawValue: claims.role) else { return .failure(.wrongRole) }
        guard !claims.subject.value.isEmpty else { return .failure(.invalidToken) }
        guard TokenAlias.problem(claims.alias, role: claims.role) == nil else { return .failure(.invalidAlias) }
        // An invitation is a participant's; any other kind is not a token this server issues.
        guard claims.kind == nil || (claims.isInvitation && role == .participant) else {
            return .failure(claims.isInvitation ? .wrongRole : .invalidToken)
        }
        let identity = MemberIdentity(id: MemberID(claims.subject.value), alias: claims.alias, role: role)
        return .success(
            VerifiedMember(identity: identity, tokenID: claims.tokenID.value, isInvitation: claims.isInvitation))
    }

    /// Checks an operator's bearer token for the admin API: a member's token is `wrong_role`.
    public func verifyOperator(_ token: String, now: Date) async -> Result<OperatorIdentity, AuthFailure> {
        switch await checkedClaims(token, now: now) {
        case .failure(let failure):
            return .failure(failure)
        case .success(let claims):
            guard claims.role == Self.operatorRole else { return .failure(.wrongRole) }
            guard !claims.subject.value.isEmpty else { return .failure(.invalidToken) }
            return .success(OperatorIdentity(id: claims.subject.value, tokenID: claims.tokenID.value))
        }
    }

    /// Header, signature, shape, expiry, not-before, lifetime and revocation:
    /// what every token must pass.
    private func checkedClaims(_ token: String, now: Date) async -> Result<TokenClaims, AuthFailure> {
        if let refusal = TokenHeader.refusal(of: token) { return .failure(refusal) }
        let claims: TokenClaims
        do {
            claims = try await keys.verify(token, as: TokenClaims.self)
        } catch {
            return .failure(.invalidToken)
        }
        if let failure = lifetimes.check(claims, now: now) { return .failure(failure) }
        guard !revocations.contains(claims.tokenID.value) else { return .failure(.revokedToken) }
        return .success(claims)
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

/// A member's checked token: who they are and which token (`jti`) it was.
public struct VerifiedMember: Sendable, Hashable {
    /// The member as the room sees them.
    public var identity: MemberIdentity
    /// The token's id, for revocation.
    public var tokenID: String
    /// An invitation: the room lets it in only while its roster has the member enrolled.
    public var isInvitation = false
}

/// An operator's checked token.
public struct OperatorIdentity: Sendable, Hashable {
    /// The operator's opaque id (`sub`): the actor in the audit trail.
    public var id: String
    /// The token's id.
    public var tokenID: String
}
