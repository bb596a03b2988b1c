import Configuration
import Foundation
import Yams

/// Strict reading: every key a source names must be one of ``ServerSettings/keys``,
/// and every value must parse as the type its key is read as. swift-configuration's
/// non-throwing getters fall back to the default on a value that does not convert,
/// so conversions are watched through its access reporter.
extension ServerSettings {
    /// The first key in the YAML file at `configFile`, in `environment` (`IOPD_*`
    /// variables of a settings section) or in `overrides` that names no setting.
    static func checkKnownKeys(
        configFile: String?, environment: [String: String], overrides: [String: String]
    ) throws(SettingsError) {
        let known = Set(keys.map(\.key))
        for key in overrides.keys.sorted() where !known.contains(key) {
            throw .unknownKey(key, source: "--set", suggestion: nearestKey(to: key))
        }
        try checkEnvironment(environment)
        guard let configFile, let text = try? String(contentsOfFile: configFile, encoding: .utf8) else { return }
        let tree: Any?
        do {
            tree = try Yams.load(yaml: text)
        } catch {
            throw .unreadableFile(configFile, "\(error)")
        }
        for key in leafKeys(of: tree, prefix: "") where !known.contains(key) {
            throw .unknownKey(key, source: configFile, suggestion: nearestKey(to: key))
        }
    }

    /// `IOPD_*` variables whose first word is a settings section (`IOPD_LIMITS_…`)
    /// must name a key; others (`IOPD_BIN` of the test harness) are not settings.
    private static func checkEnvironment(_ environment: [String: String]) throws(SettingsError) {
        let names = Dictionary(keys.map { (environmentName(for: $0.key), $0.key) }, uniquingKeysWith: { a, _ in a })
        let sections = Set(keys.map { environmentName(for: String($0.key.prefix { $0 != "." })) + "_" })
        for name in environment.keys.sorted() where names[name] == nil {
            guard sections.contains(where: { name.hasPrefix($0) }) else { continue }
            let nearest = names.keys.min { editDistance(name, $0) < editDistance(name, $1) }
            let suggestion = nearest.flatMap { editDistance(name, $0) <= 3 ? $0 : nil }
            throw .unknownKey(name, source: "the environment", suggestion: suggestion)
        }
    }

    /// Dotted paths of a parsed YAML document's leaves (`limits.maxConnections`).
    private static func leafKeys(of node: Any?, prefix: String) -> [String] {
        if node == nil || node is NSNull { return [] }  // `tls:` with nothing under it
        guard let mapping = node as? [AnyHashable: Any] else { return prefix.isEmpty ? [] : [prefix] }
        return mapping.flatMap { key, value in
            let name = "\(key.base)"
            return leafKeys(of: value, prefix: prefix.isEmpty ? name : prefix + "." + name)
        }
        .sorted()
    }

    /// Every key `init(reading:)` reads (a test holds it equal to ``keys``).
    static func keysTheLoaderReads() -> Set<String> {
        let recorder = SettingsAccessRecorder()
        _ = ServerSettings(reading: ConfigReader(provider: InMemoryProvider(values: [:]), accessReporter: recorder))
        return recorder.readKeys
    }

    /// The known key closest to `key` by edit distance, if it is close enough to be a typo.
    static func nearestKey(to key: String) -> String? {
        let scored = keys.map { ($0.key, editDistance(key.lowercased(), $0.key.lowercased())) }
        guard let best = scored.min(by: { $0.1 < $1.1 }), best.1 <= max(2, key.count / 5) else { return nil }
        return best.0
    }

    /// Levenshtein distance between two short strings.
    static func editDistance(_ a: String, _ b: String) -> Int {
        let a = Array(a)
        let b = Array(b)
        guard !a.isEmpty else { return b.count }
        var previous = Array(0...b.count)
        for i in 1...a.count {
            var current = [i] + Array(repeating: 0, count: b.count)
            for j in stride(from: 1, through: b.count, by: 1) {
                let substitution = previous[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1)
                current[j] = min(previous[j] + 1, current[j - 1] + 1, substitution)
            }
            previous = current
        }
        return previous[b.count]
    }
}
