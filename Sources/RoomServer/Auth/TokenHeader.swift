import FoundationEssentials

/// The JOSE header of a compact JWT, checked before jwt-kit sees the token:
/// jwt-kit 5.8 picks the key by `kid` (or the default key) and never compares
/// the header's `alg` with the key's algorithm, so a token saying `none` or
/// `RS256` with a valid HS256 signature would pass (RFC 8725 §3.1: a verifier
/// must use only the algorithm it expects).
struct TokenHeader: Decodable {
    /// The only algorithm accepted.
    static let algorithm = "HS256"
    /// Longest header accepted (encoded): ours is 36 bytes.
    static let maxEncodedLength = 1024

    var alg: String
    var typ: String?
    var crit: [String]?

    /// Nil when `token`'s header says exactly `alg: HS256`, with `typ` absent
    /// or `JWT` and no `crit` extensions (RFC 7515 §4.1.11: we understand none);
    /// `wrongAlgorithm` when it says otherwise; `invalidToken` when it is no JSON header.
    static func refusal(of token: String) -> AuthFailure? {
        let encoded = token.prefix { $0 != "." }
        guard encoded.count <= maxEncodedLength, let bytes = base64URLDecoded(encoded),
            let header = try? JSONDecoder().decode(TokenHeader.self, from: Data(bytes))
        else { return .invalidToken }
        guard header.alg == algorithm, header.crit == nil else { return .wrongAlgorithm }
        return header.typ.map { $0.uppercased() == "JWT" } ?? true ? nil : .wrongAlgorithm
    }

    /// Unpadded base64url (RFC 7515 §2) to bytes; nil if it is not.
    static func base64URLDecoded(_ text: Substring) -> [UInt8]? {
        var base64 = String(text.map { $0 == "-" ? "+" : $0 == "_" ? "/" : $0 })
        guard !base64.contains("=") else { return nil }
        base64 += String(repeating: "=", count: (4 - base64.count % 4) % 4)
        return Data(base64Encoded: base64).map(Array.init)
    }
}
