/// HTTP/2 frames written by hand (RFC 9113 §4–6), for tests that must send
/// what a well-behaved client never would: floods, resets, oversized header
/// lists. Header blocks use HPACK literals without indexing (RFC 7541 §6.2.2).
public enum HTTP2Wire {
    /// The client connection preface (RFC 9113 §3.4).
    public static let preface = Array("PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n".utf8)

    /// Frame types (RFC 9113 §6).
    public enum FrameType: UInt8, Sendable {
        case data = 0, headers = 1, priority = 2, rstStream = 3, settings = 4, pushPromise = 5, ping = 6
        case goaway = 7, windowUpdate = 8, continuation = 9
    }

    /// END_STREAM (DATA, HEADERS).
    public static let endStream: UInt8 = 0x1
    /// ACK (SETTINGS, PING).
    public static let ack: UInt8 = 0x1
    /// END_HEADERS (HEADERS, CONTINUATION).
    public static let endHeaders: UInt8 = 0x4

    /// One frame: the 9-byte header and `payload`.
    public static func frame(_ type: FrameType, flags: UInt8 = 0, stream: UInt32 = 0, _ payload: [UInt8] = [])
        -> [UInt8]
    {
        let length = UInt32(payload.count)
        return [
            UInt8(length >> 16 & 0xff), UInt8(length >> 8 & 0xff), UInt8(length & 0xff), type.rawValue, flags,
            UInt8(stream >> 24 & 0x7f), UInt8(stream >> 16 & 0xff), UInt8(stream >> 8 & 0xff), UInt8(stream & 0xff),
        ] + payload
    }

    /// SETTINGS with `entries` (identifier, value).
    public static func settings(_ entries: [(UInt16, UInt32)] = []) -> [UInt8] {
        frame(.settings, entries.flatMap { id, value in bigEndian(UInt32(id), bytes: 2) + bigEndian(value) })
    }

    /// A header block of `fields`, each an HPACK literal without indexing, new name.
    public static func headerBlock(_ fields: [(String, String)]) -> [UInt8] {
        var block: [UInt8] = []
        for (name, value) in fields {
            block.append(0)
            block += integer(UInt(name.utf8.count), prefixBits: 7) + Array(name.utf8)
            block += integer(UInt(value.utf8.count), prefixBits: 7) + Array(value.utf8)
        }
        return block
    }

    /// HEADERS carrying `fields` whole (END_HEADERS).
    public static func headers(stream: UInt32, _ fields: [(String, String)], endStream end: Bool = false) -> [UInt8] {
        frame(.headers, flags: endHeaders | (end ? endStream : 0), stream: stream, headerBlock(fields))
    }

    /// A request's pseudo-header fields and `extra` fields.
    public static func request(
        _ method: String = "GET", path: String, authority: String = "127.0.0.1", extra: [(String, String)] = []
    ) -> [(String, String)] {
        [(":method", method), (":scheme", "http"), (":path", path), (":authority", authority)] + extra
    }

    /// An extended CONNECT for a WebSocket on `path` (RFC 8441 §4–5).
    public static func webSocketConnect(path: String, extra: [(String, String)] = []) -> [(String, String)] {
        [
            (":method", "CONNECT"), (":protocol", "websocket"), (":scheme", "http"), (":path", path),
            (":authority", "127.0.0.1"), ("sec-websocket-version", "13"),
        ] + extra
    }

    /// DATA.
    public static func data(stream: UInt32, _ bytes: [UInt8], endStream end: Bool = false) -> [UInt8] {
        frame(.data, flags: end ? endStream : 0, stream: stream, bytes)
    }

    /// RST_STREAM with `code`.
    public static func reset(stream: UInt32, code: UInt32 = 8) -> [UInt8] {
        frame(.rstStream, stream: stream, bigEndian(code))
    }

    /// WINDOW_UPDATE of `increment` on `stream` (0: the connection).
    public static func windowUpdate(stream: UInt32, _ increment: UInt32) -> [UInt8] {
        frame(.windowUpdate, stream: stream, bigEndian(increment))
    }

    /// A big-endian number in `bytes` bytes.
    public static func bigEndian(_ value: UInt32, bytes: Int = 4) -> [UInt8] {
        (0..<bytes).reversed().map { UInt8(value >> (8 * UInt32($0)) & 0xff) }
    }

    /// An HPACK integer with an N-bit prefix (RFC 7541 §5.1), flag bits zero.
    public static func integer(_ value: UInt, prefixBits: Int) -> [UInt8] {
        let limit = UInt(1 << prefixBits) - 1
        guard value >= limit else { return [UInt8(value)] }
        var bytes = [UInt8(limit)]
        var rest = value - limit
        while rest >= 128 {
            bytes.append(UInt8(rest % 128 + 128))
            rest /= 128
        }
        return bytes + [UInt8(rest)]
    }
}
