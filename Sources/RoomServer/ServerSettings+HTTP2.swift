import Configuration
import SocketTransport

extension ServerSettings {
    /// Reads the `http2.*` keys.
    mutating func readHTTP2Settings(_ config: ConfigReader) {
        let defaults = HTTP2Configuration()
        var http2 = defaults
        http2.enabled = config.bool(forKey: "http2.enabled", default: defaults.enabled)
        http2CleartextName = config.string(forKey: "http2.cleartext", default: defaults.cleartext.rawValue)
        http2.cleartext = HTTP2Cleartext(rawValue: http2CleartextName) ?? defaults.cleartext
        http2.maxConcurrentStreams = config.int(
            forKey: "http2.maxConcurrentStreams", default: defaults.maxConcurrentStreams)
        http2.maxHeaderListSize = config.int(forKey: "http2.maxHeaderListBytes", default: defaults.maxHeaderListSize)
        http2.maxResetsPerWindow = config.int(forKey: "http2.maxResetsPerWindow", default: defaults.maxResetsPerWindow)
        http2.maxIdleFramesPerWindow = config.int(
            forKey: "http2.maxIdleFramesPerWindow", default: defaults.maxIdleFramesPerWindow)
        http2.floodWindow = .milliseconds(Int64(config.double(forKey: "http2.floodWindowSeconds", default: 10) * 1000))
        http2.maxQueuedBytes = config.int(forKey: "http2.maxQueuedBytes", default: defaults.maxQueuedBytes)
        transport.http2 = http2
    }

    /// Checks the keys ``readHTTP2Settings(_:)`` read.
    func validateHTTP2Settings() throws(SettingsError) {
        let http2 = transport.http2
        guard HTTP2Cleartext(rawValue: http2CleartextName) != nil else {
            throw .outOfRange("http2.cleartext", HTTP2Cleartext.allCases.map(\.rawValue).joined(separator: ", "))
        }
        guard (1...1000).contains(http2.maxConcurrentStreams) else {
            throw .outOfRange("http2.maxConcurrentStreams", "1...1000")
        }
        guard (1024...(1 << 20)).contains(http2.maxHeaderListSize) else {
            throw .outOfRange("http2.maxHeaderListBytes", "1024...1048576")
        }
        guard http2.maxResetsPerWindow >= 1 else { throw .outOfRange("http2.maxResetsPerWindow", ">= 1") }
        guard http2.maxIdleFramesPerWindow >= 1 else { throw .outOfRange("http2.maxIdleFramesPerWindow", ">= 1") }
        guard http2.floodWindow > .zero else { throw .outOfRange("http2.floodWindowSeconds", "> 0") }
        guard http2.maxQueuedBytes >= 65_536 else { throw .outOfRange("http2.maxQueuedBytes", ">= 65536") }
    }

    /// The embedded default of an `http2.*` key, as written in YAML or on a flag; nil for another key.
    static func http2DefaultValue(of key: String) -> String? {
        let d = HTTP2Configuration()
        return switch key {
        case "http2.enabled": "\(d.enabled)"
        case "http2.cleartext": d.cleartext.rawValue
        case "http2.maxConcurrentStreams": "\(d.maxConcurrentStreams)"
        case "http2.maxHeaderListBytes": "\(d.maxHeaderListSize)"
        case "http2.maxResetsPerWindow": "\(d.maxResetsPerWindow)"
        case "http2.maxIdleFramesPerWindow": "\(d.maxIdleFramesPerWindow)"
        case "http2.floodWindowSeconds": "\(d.floodWindow.components.seconds)"
        case "http2.maxQueuedBytes": "\(d.maxQueuedBytes)"
        default: nil
        }
    }
}
