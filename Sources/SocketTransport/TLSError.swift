/// Why TLS could not be set up or a TLS handshake failed.
///
/// Two errors are equal when they are the same kind of failure (`.expired`
/// equals any expired-certificate error); `detail` carries OpenSSL's own words
/// for the operator and takes no part in equality.
public struct TLSError: Error, Sendable, Hashable, CustomStringConvertible {
    private enum Kind: Sendable, Hashable {
        case unknownAuthority
        case hostnameMismatch
        case expired
        case notYetValid
        case certificateRejected
        case handshakeFailed
        case unusableFiles
        case setupFailed
    }

    private let kind: Kind
    /// OpenSSL's explanation (`X509_verify_cert_error_string` or `ERR_error_string_n`), or a file name.
    public let detail: String

    private init(_ kind: Kind, _ detail: String = "") {
        self.kind = kind
        self.detail = detail
    }

    /// The server's certificate chain does not lead to a trusted certificate
    /// authority (`X509_V_ERR_UNABLE_TO_GET_ISSUER_CERT_LOCALLY` and kin).
    public static let unknownAuthority = Self(.unknownAuthority)
    /// The certificate is not valid for the host name or address we connected to
    /// (`X509_V_ERR_HOSTNAME_MISMATCH`, `X509_V_ERR_IP_ADDRESS_MISMATCH`).
    public static let hostnameMismatch = Self(.hostnameMismatch)
    /// The certificate has expired (`X509_V_ERR_CERT_HAS_EXPIRED`).
    public static let expired = Self(.expired)
    /// The certificate is not valid yet (`X509_V_ERR_CERT_NOT_YET_VALID`).
    public static let notYetValid = Self(.notYetValid)
    /// Certificate verification failed for another reason (see `detail`).
    public static let certificateRejected = Self(.certificateRejected)
    /// The TLS handshake failed (protocol version, cipher, alert from the peer, garbage).
    public static let handshakeFailed = Self(.handshakeFailed)
    /// A certificate, key or CA file could not be loaded, or the key does not match.
    public static let unusableFiles = Self(.unusableFiles)
    /// OpenSSL could not create a context or session (out of memory, mostly).
    public static let setupFailed = Self(.setupFailed)

    /// The same kind of failure with OpenSSL's explanation attached.
    func detailed(_ detail: String) -> Self { Self(kind, detail) }

    /// Equal when the kinds are equal; `detail` is ignored.
    public static func == (lhs: Self, rhs: Self) -> Bool { lhs.kind == rhs.kind }

    /// Hashes the kind only, consistent with `==`.
    public func hash(into hasher: inout Hasher) { hasher.combine(kind) }

    /// For the user: what failed, then OpenSSL's words.
    public var description: String {
        let summary =
            switch kind {
            case .unknownAuthority: "the server's certificate is not signed by a trusted certificate authority"
            case .hostnameMismatch: "the server's certificate is for a different host name"
            case .expired: "the server's certificate has expired"
            case .notYetValid: "the server's certificate is not valid yet"
            case .certificateRejected: "the server's certificate was rejected"
            case .handshakeFailed: "the TLS handshake failed"
            case .unusableFiles: "cannot load the TLS certificate or key"
            case .setupFailed: "cannot set up TLS"
            }
        return detail.isEmpty ? summary : "\(summary) (\(detail))"
    }
}
