import Crypto
import FoundationEssentials  // base64 only

/// The `Sec-WebSocket-Key` / `Sec-WebSocket-Accept` computation (RFC 6455 §4.2.2 item 5.4).
public enum WebSocketAccept {
    /// The GUID that RFC 6455 §1.3 appends to the key.
    public static let guid = "258EAFA5-E914-47DA-95CA-C5AB0DC85B11"

    /// base64(SHA-1(key + GUID)), the value the server returns for `key`.
    public static func value(forKey key: String) -> String {
        let digest = Insecure.SHA1.hash(data: Array((key + guid).utf8))
        return Data(digest).base64EncodedString()
    }

    /// Whether `key` is base64 of exactly 16 bytes (§4.1 item 7, §4.2.1 item 5).
    public static func isValidKey(_ key: String) -> Bool {
        guard key.utf8.count == 24, let decoded = Data(base64Encoded: key) else { return false }
        return decoded.count == 16
    }

    /// A fresh client key: base64 of 16 bytes from `generator` (§4.1 item 7).
    public static func makeKey(using generator: inout some RandomNumberGenerator) -> String {
        // Two 64-bit draws, not sixteen one-byte ones: with the system CSPRNG each
        // draw is a getrandom(2) call.
        let words = [generator.next(), generator.next()]
        let bytes = words.flatMap { word in (0..<8).map { UInt8(truncatingIfNeeded: word >> ($0 * 8)) } }
        return Data(bytes).base64EncodedString()
    }
}
