/// Why a token was refused before the upgrade, with the HTTP status that says so.
public struct AuthFailure: Error, Sendable, Hashable, CustomStringConvertible {
    private enum Kind: String, Sendable, Hashable, CaseIterable {
        case missingToken = "missing_token"
        case invalidToken = "invalid_token"
        case wrongAlgorithm = "wrong_algorithm"
        case expiredToken = "expired_token"
        case notYetValid = "token_not_yet_valid"
        case lifetimeTooLong = "token_lifetime_too_long"
        case revokedToken = "revoked_token"
        case wrongRoom = "wrong_room"
        case wrongRole = "wrong_role"
        case invalidAlias = "invalid_alias"
        case notEnrolled = "not_enrolled"
    }

    private let kind: Kind

    /// No `Authorization: Bearer` header: 401.
    public static let missingToken = Self(kind: .missingToken)
    /// Malformed, badly signed or with unusable claims: 401.
    public static let invalidToken = Self(kind: .invalidToken)
    /// Its header's `alg` is not `HS256`, or its header is not a JWS header we accept: 401.
    public static let wrongAlgorithm = Self(kind: .wrongAlgorithm)
    /// Past its `exp` (with the clock-skew leeway): 401.
    public static let expiredToken = Self(kind: .expiredToken)
    /// Its `nbf` or `iat` is still in the future (beyond the clock-skew leeway): 401.
    public static let notYetValid = Self(kind: .notYetValid)
    /// Its `exp` lies beyond the longest lifetime this server allows: 401.
    public static let lifetimeTooLong = Self(kind: .lifetimeTooLong)
    /// Its `jti` was revoked: 403.
    public static let revokedToken = Self(kind: .revokedToken)
    /// Valid, but for another room: 403.
    public static let wrongRoom = Self(kind: .wrongRoom)
    /// Valid, but the role may not use this route: 403.
    public static let wrongRole = Self(kind: .wrongRole)
    /// Valid, but its alias breaks the alias rule (`RoomCore.AliasRule`): 403.
    public static let invalidAlias = Self(kind: .invalidAlias)
    /// An invitation whose member the room's roster does not have enrolled today: 403.
    public static let notEnrolled = Self(kind: .notEnrolled)

    /// Every reason, for metrics that export each at zero.
    public static let all = Kind.allCases.map { Self(kind: $0) }

    /// The stable reason code, used in the response body and as a metric label.
    public var code: String { kind.rawValue }

    /// 401 when the caller is not authenticated, 403 when it is but may not enter.
    public var status: Int {
        switch kind {
        case .missingToken, .invalidToken, .wrongAlgorithm, .expiredToken, .notYetValid, .lifetimeTooLong: 401
        case .revokedToken, .wrongRoom, .wrongRole, .invalidAlias, .notEnrolled: 403
        }
    }

    /// The response body: the code and a sentence for a person.
    public var description: String {
        switch kind {
        case .missingToken: "missing_token: send the token in an Authorization: Bearer header"
        case .invalidToken: "invalid_token: the token is malformed or not signed by this server"
        case .wrongAlgorithm: "wrong_algorithm: the token's header must say alg HS256"
        case .expiredToken: "expired_token: ask your program for a new link or token"
        case .notYetValid: "token_not_yet_valid: the token's nbf or iat is in the future; check the issuer's clock"
        case .lifetimeTooLong: "token_lifetime_too_long: the token is valid for longer than this server allows"
        case .revokedToken: "revoked_token: this token was withdrawn; ask your program for a new one"
        case .wrongRoom: "wrong_room: this token is for another group"
        case .wrongRole: "wrong_role: this token may not be used here"
        case .invalidAlias: "invalid_alias: the token's alias breaks the alias rule; ask your program for a new token"
        case .notEnrolled:
            "not_enrolled: this invitation is for a member not enrolled in this group today; ask your program"
        }
    }
}
