import COpenSSL
import Glibc

/// One connection's TLS state: an OpenSSL `SSL` between two memory BIOs.
///
/// The socket stays ours: ciphertext read from it is written into the input
/// BIO (`feed`), plaintext comes out of `SSL_read`; plaintext goes in with
/// `SSL_write` and the ciphertext it produces is taken from the output BIO
/// into `pending`, which the connection writes to the socket. So the Dispatch
/// sources, the read and write syscalls and their tests are unchanged, and
/// OpenSSL never blocks: it can only ask for more input (`SSL_ERROR_WANT_READ`).
/// Confined to the connection's event loop, like the connection.
final class TLSSession {
    /// What one `SSL_read` gave.
    enum ReadResult {
        /// Plaintext bytes at the start of the buffer.
        case data(Int)
        /// Nothing more until more ciphertext arrives (`SSL_ERROR_WANT_READ`).
        case needMoreInput
        /// The peer sent close_notify (`SSL_ERROR_ZERO_RETURN`).
        case closed
        /// The handshake or the record layer failed.
        case failed(TLSError)
    }

    private let ssl: OpaquePointer
    private let input: OpaquePointer
    private let output: OpaquePointer
    /// Keeps the `SSL_CTX` alive as long as this session (a reload may drop the server's reference).
    private let context: TLSContext
    /// Ciphertext produced but not yet written to the socket, from `pendingOffset`.
    private var pending: [UInt8] = []
    private var pendingOffset = 0
    /// Whether the handshake has completed (`SSL_is_init_finished`).
    private(set) var handshakeDone = false
    /// Whether our close_notify is queued (`SSL_shutdown` was called).
    private(set) var closeNotifySent = false

    /// A server session (`SSL_new`, `SSL_set_bio` with two `BIO_s_mem`, `SSL_set_accept_state`).
    convenience init?(server context: TLSContext) {
        self.init(context: context)
        SSL_set_accept_state(ssl)
    }

    /// A client session (`SSL_set_connect_state`) checking the certificate
    /// against `host`: `SSL_set1_host` for a name, which is also sent as SNI
    /// (`SSL_set_tlsext_host_name`), `X509_VERIFY_PARAM_set1_ip_asc` for an address.
    convenience init?(client context: TLSContext, host: String) {
        self.init(context: context)
        SSL_set_connect_state(ssl)
        var address = in6_addr()
        let isAddress = inet_pton(AF_INET, host, &address) == 1 || inet_pton(AF_INET6, host, &address) == 1
        if isAddress {
            guard X509_VERIFY_PARAM_set1_ip_asc(SSL_get0_param(ssl), host) == 1 else { return nil }
        } else {
            // SSL_set_tlsext_host_name is a macro over SSL_ctrl; RFC 6066 §3 allows names only.
            let sniSet = host.withCString {
                SSL_ctrl(
                    ssl, SSL_CTRL_SET_TLSEXT_HOSTNAME, Int(TLSEXT_NAMETYPE_host_name),
                    UnsafeMutableRawPointer(mutating: $0))
            }
            guard SSL_set1_host(ssl, host) == 1, sniSet == 1 else { return nil }
        }
    }

    private init?(context: TLSContext) {
        guard let ssl = SSL_new(context.pointer) else { return nil }
        guard let input = BIO_new(BIO_s_mem()), let output = BIO_new(BIO_s_mem()) else {
            SSL_free(ssl)
            return nil
        }
        SSL_set_bio(ssl, input, output)  // the SSL owns both BIOs from here
        // SSL_set_mode is a macro over SSL_ctrl. SSL_MODE_RELEASE_BUFFERS frees the
        // 16 KiB record buffers while a connection is idle (most of a group session).
        let mode = SSL_MODE_ENABLE_PARTIAL_WRITE | SSL_MODE_RELEASE_BUFFERS
        _ = SSL_ctrl(ssl, SSL_CTRL_MODE, Int(mode), nil)
        self.ssl = ssl
        self.input = input
        self.output = output
        self.context = context
    }

    deinit {
        SSL_free(ssl)  // frees the BIOs too
    }

    /// Client: the protocols offered in ALPN (RFC 7301), in order of
    /// preference, instead of the context's (`SSL_set_alpn_protos`); before the handshake.
    func offerProtocols(_ protocols: [String]) -> Bool {
        let list = protocols.flatMap { [UInt8($0.utf8.count)] + Array($0.utf8) }
        return SSL_set_alpn_protos(ssl, list, UInt32(list.count)) == 0  // 0 is success here
    }

    /// The protocol ALPN selected (`SSL_get0_alpn_selected`); nil when none was.
    var selectedProtocol: String? {
        var name: UnsafePointer<UInt8>?
        var length: UInt32 = 0
        SSL_get0_alpn_selected(ssl, &name, &length)
        guard let name, length > 0 else { return nil }
        return String(decoding: UnsafeBufferPointer(start: name, count: Int(length)), as: UTF8.self)
    }

    /// Whether ciphertext is waiting to be written to the socket.
    var hasPendingOutput: Bool { pendingOffset < pending.count }

    /// Whether `read` could still give something: decrypted bytes not yet taken
    /// (`SSL_pending`) or ciphertext not yet looked at (`BIO_ctrl_pending`).
    var hasBufferedInput: Bool { SSL_pending(ssl) > 0 || BIO_ctrl_pending(input) > 0 }

    /// Hands ciphertext read from the socket to OpenSSL (`BIO_write` on the input BIO).
    func feed(_ bytes: UnsafeRawBufferPointer) -> Bool {
        guard let base = bytes.baseAddress, !bytes.isEmpty else { return true }
        return BIO_write(input, base, Int32(bytes.count)) == Int32(bytes.count)
    }

    /// Client: starts the handshake (`SSL_do_handshake`), queueing the ClientHello.
    func startHandshake() -> TLSError? {
        let status = SSL_do_handshake(ssl)
        defer { takeOutput() }
        if status == 1 {
            handshakeDone = true
            return nil
        }
        return classify(SSL_get_error(ssl, status))
    }

    /// Decrypts into `buffer` (`SSL_read`), which also drives the handshake.
    func read(into buffer: UnsafeMutableRawBufferPointer) -> ReadResult {
        let count = SSL_read(ssl, buffer.baseAddress, Int32(min(buffer.count, Int(Int32.max))))
        defer { takeOutput() }
        if !handshakeDone, SSL_is_init_finished(ssl) == 1 { handshakeDone = true }
        if count > 0 { return .data(Int(count)) }
        let code = SSL_get_error(ssl, count)
        if code == SSL_ERROR_ZERO_RETURN {
            ERR_clear_error()
            return .closed
        }
        if let error = classify(code) { return .failed(error) }
        return .needMoreInput
    }

    /// Encrypts a prefix of `bytes` (`SSL_write`, at most 64 KiB per call so the
    /// ciphertext buffer stays small); returns how many plaintext bytes it took,
    /// 0 before the handshake is done.
    func encrypt(_ bytes: UnsafeRawBufferPointer) throws(TLSError) -> Int {
        guard handshakeDone, let base = bytes.baseAddress, !bytes.isEmpty else { return 0 }
        let count = SSL_write(ssl, base, Int32(min(bytes.count, 64 * 1024)))
        defer { takeOutput() }
        if count > 0 { return Int(count) }
        if let error = classify(SSL_get_error(ssl, count)) { throw error }
        return 0
    }

    /// Queues our close_notify (`SSL_shutdown`), once. Before the handshake is
    /// done there is nothing to say: the call fails and its error is dropped.
    func shutdown() {
        guard !closeNotifySent else { return }
        closeNotifySent = true
        if handshakeDone { _ = SSL_shutdown(ssl) }
        ERR_clear_error()
        takeOutput()
    }

    /// Writes pending ciphertext to `fd`; true when none is left.
    func writePending(to fd: Int32) throws(SocketError) -> Bool {
        while pendingOffset < pending.count {
            let offset = pendingOffset
            let written = try pending.withUnsafeBytes { bytes in
                Result { () throws(SocketError) in
                    try Syscall.write(fd, UnsafeRawBufferPointer(rebasing: bytes[offset...]))
                }
            }.get()
            if written == 0 { return false }
            pendingOffset += written
        }
        pending = []  // not kept: an idle connection holds no buffer
        pendingOffset = 0
        return true
    }

    /// The pending ciphertext, taken out instead of written (tests join two sessions without a socket).
    func takePending() -> [UInt8] {
        defer {
            pending = []
            pendingOffset = 0
        }
        return Array(pending[pendingOffset...])
    }

    /// Moves what OpenSSL produced (records, alerts) from the output BIO to `pending` (`BIO_read`).
    private func takeOutput() {
        let available = Int(BIO_ctrl_pending(output))
        guard available > 0 else { return }
        if pendingOffset > 0 {
            pending.removeFirst(pendingOffset)
            pendingOffset = 0
        }
        let start = pending.count
        pending.append(contentsOf: repeatElement(0, count: available))
        let read = pending.withUnsafeMutableBytes { bytes in
            BIO_read(output, bytes.baseAddress.map { $0 + start }, Int32(available))
        }
        pending.removeLast(available - max(0, Int(read)))
    }

    /// Turns an `SSL_get_error` code into nil (wait for input) or the failure,
    /// reading `SSL_get_verify_result` when the peer's certificate was the reason.
    private func classify(_ code: Int32) -> TLSError? {
        switch code {
        case SSL_ERROR_WANT_READ, SSL_ERROR_WANT_WRITE:
            // WANT_WRITE cannot outlast a memory BIO; its output is taken after every call.
            return nil
        case SSL_ERROR_SSL:
            let verify = SSL_get_verify_result(ssl)
            if verify != X509_V_OK {
                ERR_clear_error()
                return Self.verificationError(Int32(verify))
            }
            return TLSError.handshakeFailed.detailed(TLSContext.takeError())
        case SSL_ERROR_SYSCALL:
            return TLSError.handshakeFailed.detailed("unexpected end of input: \(TLSContext.takeError())")
        default:
            return TLSError.handshakeFailed.detailed("SSL_get_error \(code): \(TLSContext.takeError())")
        }
    }

    /// Maps an `X509_V_ERR_*` code to a failure, with `X509_verify_cert_error_string`.
    static func verificationError(_ code: Int32) -> TLSError {
        let text = String(cString: X509_verify_cert_error_string(Int(code)))
        switch code {
        case X509_V_ERR_CERT_HAS_EXPIRED: return TLSError.expired.detailed(text)
        case X509_V_ERR_CERT_NOT_YET_VALID: return TLSError.notYetValid.detailed(text)
        case X509_V_ERR_HOSTNAME_MISMATCH, X509_V_ERR_IP_ADDRESS_MISMATCH:
            return TLSError.hostnameMismatch.detailed(text)
        case X509_V_ERR_UNABLE_TO_GET_ISSUER_CERT_LOCALLY, X509_V_ERR_UNABLE_TO_GET_ISSUER_CERT,
            X509_V_ERR_SELF_SIGNED_CERT_IN_CHAIN, X509_V_ERR_DEPTH_ZERO_SELF_SIGNED_CERT,
            X509_V_ERR_UNABLE_TO_VERIFY_LEAF_SIGNATURE:
            return TLSError.unknownAuthority.detailed(text)
        default: return TLSError.certificateRejected.detailed(text)
        }
    }
}
