import SocketTransport

/// What went wrong with TLS, in the client's terms: each kind has its own machine
/// code, sentence and advice, so an unknown certificate authority, a wrong host name
/// and an expired certificate are never told as the same failure.
enum TLSProblem: Sendable, Hashable {
    /// The certificate chain does not lead to a trusted certificate authority.
    case untrusted
    /// The certificate is for another host name or address.
    case wrongHost
    /// The certificate has expired.
    case expired
    /// The certificate is not valid yet.
    case notYetValid
    /// The certificate was rejected for another reason (OpenSSL's words in the detail).
    case rejected
    /// The TLS handshake itself failed (not a TLS server, protocol or cipher mismatch).
    case handshakeFailed
    /// The `--ca-file` could not be loaded.
    case unusableCAFile
    /// OpenSSL could not be set up on this computer.
    case setupFailed

    /// Classifies a transport error (``TLSError`` compares by kind).
    init(_ error: TLSError) {
        let known: [(TLSError, TLSProblem)] = [
            (.unknownAuthority, .untrusted), (.hostnameMismatch, .wrongHost), (.expired, .expired),
            (.notYetValid, .notYetValid), (.certificateRejected, .rejected), (.handshakeFailed, .handshakeFailed),
            (.unusableFiles, .unusableCAFile), (.setupFailed, .setupFailed),
        ]
        self = known.first { $0.0 == error }?.1 ?? .rejected
    }

    /// The stable machine code (`--json` `client.state` lines, docs/CLIENT.md).
    var code: String {
        switch self {
        case .untrusted: "tls_untrusted"
        case .wrongHost: "tls_wrong_host"
        case .expired: "tls_expired"
        case .notYetValid: "tls_not_yet_valid"
        case .rejected: "tls_rejected"
        case .handshakeFailed: "tls_handshake_failed"
        case .unusableCAFile: "tls_ca_file"
        case .setupFailed: "tls_setup_failed"
        }
    }

    /// What failed; OpenSSL's words are added where ours cannot be precise.
    func summary(detail: String) -> String {
        let because = detail.isEmpty ? "" : " (\(detail))"
        return switch self {
        case .untrusted:
            "The server's certificate is not signed by a certificate authority iop trusts, so iop did not connect."
        case .wrongHost:
            "The server's certificate is for a different host name than the address you used, so iop did not connect."
        case .expired: "The server's certificate has expired, so iop did not connect."
        case .notYetValid: "The server's certificate is not valid yet, so iop did not connect."
        case .rejected: "The server's certificate was rejected\(because), so iop did not connect."
        case .handshakeFailed: "A secure connection to the server could not be set up\(because)."
        case .unusableCAFile: "The certificate authority file could not be used\(because)."
        case .setupFailed: "TLS could not be set up on this computer\(because)."
        }
    }

    /// What the person can do about it.
    var advice: String {
        switch self {
        case .untrusted:
            "If your program gave you a certificate authority file, pass it with --ca-file FILE; "
                + "otherwise do not join from this network, and tell your program."
        case .wrongHost:
            "Check the server address against your invitation (the same name, not another name or an IP address); "
                + "if it matches, do not join from this network, and tell your program."
        case .expired, .notYetValid:
            "Check that this computer's date and time are right; if they are, tell your program: "
                + "the server needs a new certificate."
        case .rejected: "Do not join from this network, and tell your program."
        case .handshakeFailed:
            "Check the address and port in your invitation (wss:// is for a secure server); "
                + "if it keeps happening, tell your program."
        case .unusableCAFile: "Check the file given with --ca-file: it must be a readable PEM file of certificates."
        case .setupFailed: "Check that OpenSSL is installed and working on this computer, then try again."
        }
    }
}
