import Foundation

/// What a join token says about itself (its `role` and `room` claims), read WITHOUT
/// checking its signature. Only for refusing early what `iop` will not do (a
/// participant's token in a several-room join); the server alone decides who gets in.
public struct JoinTokenClaims: Sendable, Hashable {
    /// The `role` claim: `participant`, `facilitator` or `operator`.
    public let role: String
    /// The `room` claim: the room the token admits to.
    public let room: String

    /// The claims of a compact JWT (`header.payload.signature`, the payload base64url
    /// JSON); nil when `token` is not one or lacks a `role` or `room` string. At most
    /// 16 KiB is looked at (a token file is read up to that size).
    public init?(token: String) {
        let parts = token.utf8.count <= 16 * 1024 ? token.split(separator: ".", omittingEmptySubsequences: false) : []
        guard parts.count == 3, let payload = Self.base64URLDecoded(parts[1]),
            let object = try? JSONSerialization.jsonObject(with: payload) as? [String: Any],
            let role = object["role"] as? String, let room = object["room"] as? String
        else { return nil }
        self.role = role
        self.room = room
    }

    /// True when the token is a facilitator's.
    public var isFacilitator: Bool { role == "facilitator" }

    /// RFC 4648 §5 base64url without padding, as JWTs use it (RFC 7515 §2).
    static func base64URLDecoded(_ text: Substring) -> Data? {
        var base64 = text.replacingOccurrences(of: "-", with: "+").replacingOccurrences(of: "_", with: "/")
        base64 += String(repeating: "=", count: (4 - base64.count % 4) % 4)
        return Data(base64Encoded: base64)
    }
}
