import COpenSSL

/// An OpenSSL `SSL_CTX`: the settings and identity shared by many TLS
/// connections. Built once (server: at start and on each reload; client: once
/// per distinct configuration, see `shared(client:)`), then only used to make
/// sessions (`SSL_new`).
public final class TLSContext: @unchecked Sendable {
    // `pointer` is fully configured in init and never changed afterwards;
    // OpenSSL locks the context's reference count and session cache itself.

    let pointer: OpaquePointer

    /// TLS 1.2 cipher suites: ECDHE key exchange with AES-GCM or ChaCha20-Poly1305
    /// only (forward secret, AEAD). TLS 1.3 suites are OpenSSL's defaults, all AEAD.
    static let tls12Ciphers =
        "ECDHE-ECDSA-AES128-GCM-SHA256:ECDHE-RSA-AES128-GCM-SHA256:"
        + "ECDHE-ECDSA-AES256-GCM-SHA384:ECDHE-RSA-AES256-GCM-SHA384:"
        + "ECDHE-ECDSA-CHACHA20-POLY1305:ECDHE-RSA-CHACHA20-POLY1305"

    /// A server context (`SSL_CTX_new(TLS_server_method())`): TLS 1.2 minimum,
    /// the modern cipher list, the chain (`SSL_CTX_use_certificate_chain_file`)
    /// and key (`SSL_CTX_use_PrivateKey_file`, `SSL_CTX_check_private_key`),
    /// ALPN (`SSL_CTX_set_alpn_select_cb`): `h2` when the client offers it and
    /// `http2` is true (the default), else `http/1.1`.
    public init(server configuration: TLSConfiguration, http2: Bool = true) throws(TLSError) {
        pointer = try Self.makeContext(method: TLS_server_method())
        // From here every property is set: a throw runs deinit, which frees the context.
        guard SSL_CTX_use_certificate_chain_file(pointer, configuration.certificateChainFile) == 1 else {
            throw TLSError.unusableFiles.detailed("\(configuration.certificateChainFile): \(Self.takeError())")
        }
        guard SSL_CTX_use_PrivateKey_file(pointer, configuration.privateKeyFile, SSL_FILETYPE_PEM) == 1 else {
            throw TLSError.unusableFiles.detailed("\(configuration.privateKeyFile): \(Self.takeError())")
        }
        guard SSL_CTX_check_private_key(pointer) == 1 else {
            throw TLSError.unusableFiles.detailed("key does not match certificate: \(Self.takeError())")
        }
        if http2 {
            SSL_CTX_set_alpn_select_cb(
                pointer,
                { _, out, outLength, offered, offeredLength, _ in
                    guard let out, let outLength, let offered else { return SSL_TLSEXT_ERR_NOACK }
                    return TLSContext.select(["h2", "http/1.1"], out, outLength, offered, Int(offeredLength))
                }, nil)
        } else {
            SSL_CTX_set_alpn_select_cb(
                pointer,
                { _, out, outLength, offered, offeredLength, _ in
                    guard let out, let outLength, let offered else { return SSL_TLSEXT_ERR_NOACK }
                    return TLSContext.select(["http/1.1"], out, outLength, offered, Int(offeredLength))
                }, nil)
        }
    }

    /// A client context (`SSL_CTX_new(TLS_client_method())`): TLS 1.2 minimum,
    /// peer verification (`SSL_CTX_set_verify(SSL_VERIFY_PEER)`) against
    /// `trustedCAFile` (`SSL_CTX_load_verify_locations`) or the system store
    /// (`SSL_CTX_set_default_verify_paths`), ALPN `http/1.1` (`SSL_CTX_set_alpn_protos`).
    public init(client configuration: TLSClientConfiguration) throws(TLSError) {
        pointer = try Self.makeContext(method: TLS_client_method())
        if configuration.insecureSkipVerification {
            SSL_CTX_set_verify(pointer, SSL_VERIFY_NONE, nil)
        } else {
            SSL_CTX_set_verify(pointer, SSL_VERIFY_PEER, nil)
            if let file = configuration.trustedCAFile {
                guard SSL_CTX_load_verify_locations(pointer, file, nil) == 1 else {
                    throw TLSError.unusableFiles.detailed("\(file): \(Self.takeError())")
                }
            } else if SSL_CTX_set_default_verify_paths(pointer) != 1 {
                throw TLSError.unusableFiles.detailed("system trust store: \(Self.takeError())")
            }
        }
        let alpn: [UInt8] = [8] + Array("http/1.1".utf8)
        guard SSL_CTX_set_alpn_protos(pointer, alpn, UInt32(alpn.count)) == 0 else {  // 0 is success here
            throw TLSError.setupFailed.detailed("ALPN: \(Self.takeError())")
        }
    }

    deinit {
        SSL_CTX_free(pointer)
    }

    /// The client context for `configuration`, built on first use and then shared by
    /// every connection with the same configuration for the life of the process:
    /// loading a trust store costs milliseconds, far more than the handshake's own
    /// client work. A failure is not cached (a CA file fixed later is read again).
    public static func shared(client configuration: TLSClientConfiguration) throws(TLSError) -> TLSContext {
        if let cached = clientContexts.withLock({ $0[configuration] }) { return cached }
        let context = try TLSContext(client: configuration)
        return clientContexts.withLock { contexts in
            if let raced = contexts[configuration] { return raced }  // another thread built one first
            contexts[configuration] = context
            return context
        }
    }

    private static let clientContexts = LockedValue<[TLSClientConfiguration: TLSContext]>([:])

    /// `SSL_CTX_new` with what both sides share: TLS 1.2 minimum
    /// (`SSL_CTX_set_min_proto_version`), the cipher list (`SSL_CTX_set_cipher_list`),
    /// no compression and no renegotiation (`SSL_CTX_set_options`).
    private static func makeContext(method: OpaquePointer?) throws(TLSError) -> OpaquePointer {
        guard let context = SSL_CTX_new(method) else { throw TLSError.setupFailed.detailed(takeError()) }
        // SSL_CTX_set_min_proto_version is a macro over SSL_CTX_ctrl.
        let versionSet = SSL_CTX_ctrl(context, SSL_CTRL_SET_MIN_PROTO_VERSION, Int(TLS1_2_VERSION), nil)
        guard versionSet == 1, SSL_CTX_set_cipher_list(context, tls12Ciphers) == 1 else {
            SSL_CTX_free(context)
            throw TLSError.setupFailed.detailed(takeError())
        }
        // SSL_OP_NO_COMPRESSION is SSL_OP_BIT(17), SSL_OP_NO_RENEGOTIATION SSL_OP_BIT(30):
        // function-like macros Swift does not import.
        _ = SSL_CTX_set_options(context, (1 << 17) | (1 << 30))
        return context
    }

    /// ALPN (RFC 7301): picks the first of `preferred` (ours, in our order of
    /// preference) that the client offers; a client that offers protocols but
    /// none of these gets `no_application_protocol` (§3.2).
    private static func select(
        _ preferred: [String], _ out: UnsafeMutablePointer<UnsafePointer<UInt8>?>,
        _ outLength: UnsafeMutablePointer<UInt8>, _ offered: UnsafePointer<UInt8>, _ count: Int
    ) -> Int32 {
        for wanted in preferred.map({ Array($0.utf8) }) {
            var index = 0
            while index < count {
                let length = Int(offered[index])
                let start = index + 1
                guard start + length <= count else { break }
                if length == wanted.count, (0..<length).allSatisfy({ offered[start + $0] == wanted[$0] }) {
                    out.pointee = offered + start
                    outLength.pointee = UInt8(length)
                    return SSL_TLSEXT_ERR_OK
                }
                index = start + length
            }
        }
        return SSL_TLSEXT_ERR_ALERT_FATAL
    }

    /// The oldest error on this thread's OpenSSL error queue as text
    /// (`ERR_get_error`, `ERR_error_string_n`); the queue is then cleared
    /// (`ERR_clear_error`) so it cannot leak into another connection on this thread.
    static func takeError() -> String {
        let code = ERR_get_error()
        ERR_clear_error()
        guard code != 0 else { return "no OpenSSL error recorded" }
        var buffer = [CChar](repeating: 0, count: 256)
        ERR_error_string_n(code, &buffer, buffer.count)
        return String(decoding: buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }
}
