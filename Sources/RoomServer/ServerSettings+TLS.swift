import Glibc
import SocketTransport

extension ServerSettings {
    /// Plain `ws://` only on loopback unless `server.allowInsecure`; TLS needs both files.
    func validateTransportSecurity() throws(SettingsError) {
        if tls == nil {
            if tlsCertificateFile != nil { throw .incompleteTLS(missing: "tls.privateKeyFile") }
            if tlsPrivateKeyFile != nil { throw .incompleteTLS(missing: "tls.certificateFile") }
        }
        guard tls != nil || allowInsecure || Self.isLoopback(host) else { throw .insecureListener(host) }
    }

    /// Whether `host` names only loopback: `localhost`, 127.0.0.0/8, `::1`.
    /// Numeric addresses are judged as written (`0.0.0.0` and `::` are every interface).
    static func isLoopback(_ host: String) -> Bool {
        if host == "localhost" { return true }
        var address = in6_addr()
        if inet_pton(AF_INET, host, &address) == 1 || inet_pton(AF_INET6, host, &address) == 1 {
            return (try? SocketAddress(host: host, port: 0))?.isLoopback ?? false
        }
        return false  // another name: it might resolve anywhere
    }
}
