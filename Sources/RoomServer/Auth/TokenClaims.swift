import FoundationEssentials
import JWTKit
import RoomCore

/// The claims of a member's (or operator's) signed token.
///
/// Signature and shape are checked by jwt-kit; expiry, revocation and room are
/// checked by `TokenAuthority` against an injected clock, so each refusal has
/// its own reason.
public struct TokenClaims: JWTPayload {
    /// Opaque member id (`sub`).
    public var subject: SubjectClaim
    /// Display alias: how the group knows this person.
    public var alias: String
    /// `participant`, `facilitator` or `operator`.
    public var role: String
    /// The room this token admits to (`*` for operators).
    public var room: String
    /// Expiry (`exp`).
    public var expiration: ExpirationClaim
    /// Token id (`jti`), for revocation.
    public var tokenID: IDClaim
    /// When it was issued (`iat`, optional): `exp - iat` may not exceed the maximum lifetime.
    public var issuedAt: IssuedAtClaim?
    /// Not valid before (`nbf`, optional).
    public var notBefore: NotBeforeClaim?
    /// `invitation` for a member's invitation to a whole program (accepted
    /// only while the room's roster has them enrolled); absent for a plain token.
    public var kind: String?

    enum CodingKeys: String, CodingKey {
        case subject = "sub"
        case alias
        case role
        case room
        case expiration = "exp"
        case tokenID = "jti"
        case issuedAt = "iat"
        case notBefore = "nbf"
        case kind
    }

    /// Creates claims; `issued` and `notBefore` are left out of the token when nil.
    public init(
        member: String, alias: String, role: String, room: String, expires: Date, tokenID: String,
        issued: Date? = nil, notBefore: Date? = nil, kind: String? = nil
    ) {
        subject = SubjectClaim(value: member)
        self.alias = alias
        self.role = role
        self.room = room
        expiration = ExpirationClaim(value: expires)
        self.tokenID = IDClaim(value: tokenID)
        issuedAt = issued.map { IssuedAtClaim(value: $0) }
        self.notBefore = notBefore.map { NotBeforeClaim(value: $0) }
        self.kind = kind
    }

    /// The `kind` of an invitation.
    public static let invitationKind = "invitation"

    /// Whether this is an invitation (`kind: invitation`).
    public var isInvitation: Bool { kind == Self.invitationKind }

    /// Nothing beyond the signature here: see `TokenAuthority.verify`.
    public func verify(using algorithm: some JWTAlgorithm) async throws {}
}
