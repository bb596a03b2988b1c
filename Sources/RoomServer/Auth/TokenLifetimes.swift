import FoundationEssentials

/// How long a token may be valid, and how much clock difference between the
/// issuer and this server is forgiven (`auth.maxTokenLifetimeHours`,
/// `auth.maxOperatorTokenLifetimeHours`; docs/OPERATIONS.md, "Minting tokens").
public struct TokenLifetimes: Sendable, Hashable {
    /// Longest lifetime of a participant's or facilitator's token. Default 24 h:
    /// a day's groups; a leaked link stops working by the next day.
    public var member: TimeInterval = 24 * 3600
    /// Longest lifetime of an operator's token. Default 12 h: a shift; an
    /// operator token closes rooms and revokes tokens, so it lives shorter.
    public var `operator`: TimeInterval = 12 * 3600
    /// Longest lifetime of an invitation (`kind: invitation`, a participant's
    /// token for a whole enrolment). Default 120 days: a twelve-week program
    /// with room to spare; it works only while the roster has the member enrolled.
    public var invitation: TimeInterval = 120 * 86_400
    /// Clock skew forgiven on `exp`, `nbf` and `iat`: 60 s.
    public static let leeway: TimeInterval = 60

    /// The defaults above.
    public init() {}

    /// Creates limits of `memberHours` and `operatorHours`.
    public init(memberHours: Double, operatorHours: Double) {
        member = memberHours * 3600
        `operator` = operatorHours * 3600
    }

    /// The longest lifetime for a token of `role`.
    public func maximum(forRole role: String) -> TimeInterval {
        role == TokenAuthority.operatorRole ? `operator` : member
    }

    /// Expiry, not-before, issued-at and lifetime of `claims` at `now`.
    func check(_ claims: TokenClaims, now: Date) -> AuthFailure? {
        let expires = claims.expiration.value
        guard expires.timeIntervalSince(now) >= -Self.leeway else { return .expiredToken }
        if let notBefore = claims.notBefore?.value, notBefore.timeIntervalSince(now) > Self.leeway {
            return .notYetValid
        }
        let maximum = claims.isInvitation ? invitation : maximum(forRole: claims.role)
        if let issued = claims.issuedAt?.value {
            guard issued.timeIntervalSince(now) <= Self.leeway else { return .notYetValid }
            guard expires.timeIntervalSince(issued) <= maximum else { return .lifetimeTooLong }
        }
        guard expires.timeIntervalSince(now) <= maximum + Self.leeway else { return .lifetimeTooLong }
        return nil
    }
}
