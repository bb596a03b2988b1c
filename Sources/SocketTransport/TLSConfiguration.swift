/// A server's TLS identity: its certificate chain and private key, as PEM files.
///
/// The context built from it speaks TLS 1.2 and 1.3 only, with forward-secret
/// AEAD cipher suites for 1.2 and ALPN `http/1.1` (see `TLSContext`).
public struct TLSConfiguration: Sendable, Hashable {
    /// PEM file: the server certificate first, then any intermediates
    /// (read with `SSL_CTX_use_certificate_chain_file`).
    public var certificateChainFile: String
    /// PEM file with the private key matching the certificate
    /// (read with `SSL_CTX_use_PrivateKey_file`, checked with `SSL_CTX_check_private_key`).
    public var privateKeyFile: String

    /// Creates a configuration from the two file paths.
    public init(certificateChainFile: String, privateKeyFile: String) {
        self.certificateChainFile = certificateChainFile
        self.privateKeyFile = privateKeyFile
    }
}

/// How a client verifies the server it connects to over TLS (`wss://`).
public struct TLSClientConfiguration: Sendable, Hashable {
    /// PEM file of certificate authorities to trust instead of the system store
    /// (`SSL_CTX_load_verify_locations`). Default nil: the system trust store
    /// (`SSL_CTX_set_default_verify_paths`).
    public var trustedCAFile: String?
    /// Name checked against the certificate and sent as SNI, when it differs
    /// from the host connected to. Default nil: the request's host.
    public var serverName: String?
    /// Accepts ANY certificate, for ANY host: no chain and no name check.
    /// Anyone on the path can then read and change the traffic. For local
    /// debugging only; never the default (default false).
    public var insecureSkipVerification: Bool

    /// Verifies against the system trust store, or `trustedCAFile` when given.
    public init(trustedCAFile: String? = nil, serverName: String? = nil) {
        self.trustedCAFile = trustedCAFile
        self.serverName = serverName
        insecureSkipVerification = false
    }

    /// A configuration that verifies nothing (see `insecureSkipVerification`).
    public static var insecureSkipVerification: Self {
        var configuration = Self()
        configuration.insecureSkipVerification = true
        return configuration
    }
}
