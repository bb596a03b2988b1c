import Configuration
import SocketTransport

extension ServerSettings {
    /// Reads `server.trustedProxies`: the proxies (addresses, CIDR blocks) whose
    /// connections start with a PROXY protocol v2 header (docs/OPERATIONS.md,
    /// "Several nodes behind HAProxy"). A list in YAML; comma-separated in the
    /// environment and on `--set`.
    mutating func readProxySettings(_ config: ConfigReader) {
        trustedProxyEntries = config.stringArray(forKey: "server.trustedProxies", default: [])
        transport.trustedProxies = (try? TrustedProxies(trustedProxyEntries)) ?? TrustedProxies()
    }

    /// Every entry of `server.trustedProxies` is an address or a CIDR block.
    func validateProxySettings() throws(SettingsError) {
        do {
            _ = try TrustedProxies(trustedProxyEntries)
        } catch {
            throw .badValue(
                "server.trustedProxies",
                expected: "a list of IPv4 or IPv6 addresses or CIDR blocks (such as 10.0.0.5, 10.0.0.0/24, fd00::/8); "
                    + "'\(error.entry)' is neither")
        }
    }
}
