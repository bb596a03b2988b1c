import Foundation

extension TokenClaims {
    /// Claims for a new token, as `iopctl token issue` makes them: a fresh random
    /// token id (`jti`, for revocation); `member`, or a new opaque member id (`m-`
    /// for members, `op-` for operators, then 18 random characters); an operator's
    /// token is for room `*`. Valid from `now` for `lifetime` seconds; the caller
    /// checks the lifetime against `TokenLifetimes.maximum(forRole:)`.
    public static func issuing(
        role: String, room: String?, alias: String, member: String?, lifetime: TimeInterval, now: Date
    ) -> TokenClaims {
        let isOperator = role == TokenAuthority.operatorRole
        let prefix = isOperator ? "op-" : "m-"
        return TokenClaims(
            member: member ?? prefix + UUID().uuidString.lowercased().prefix(18), alias: alias, role: role,
            room: isOperator ? "*" : room ?? "", expires: now.addingTimeInterval(lifetime),
            tokenID: UUID().uuidString.lowercased(), issued: now)
    }
}
