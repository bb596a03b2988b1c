import CNghttp2
import WebSocketCore

/// A minimal HTTP/2 client over a `RawSocket` for end-to-end tests: it
/// writes frames built by `HTTP2Wire` (so a test can send anything) and reads
/// the server's frames one at a time, decoding header blocks with nghttp2's
/// HPACK inflater. Acknowledges the server's SETTINGS by itself. Every read
/// is bounded by a timeout.
public final class HTTP2TestClient {
    /// One frame from the server; `fields` holds a HEADERS frame's decoded header list.
    public struct Frame: Sendable {
        /// The frame type's number (RFC 9113 §6).
        public let type: UInt8
        /// The flags.
        public let flags: UInt8
        /// The stream id.
        public let stream: UInt32
        /// The payload.
        public let payload: [UInt8]
        /// Decoded fields of a HEADERS frame.
        public var fields: [(String, String)] = []

        /// Whether the frame is of `type`.
        public func isA(_ type: HTTP2Wire.FrameType) -> Bool { self.type == type.rawValue }
        /// Whether END_STREAM is set (DATA, HEADERS).
        public var endsStream: Bool { flags & HTTP2Wire.endStream != 0 && (isA(.data) || isA(.headers)) }
        /// The error code of RST_STREAM or GOAWAY.
        public var errorCode: UInt32? {
            let offset = isA(.rstStream) ? 0 : isA(.goaway) ? 4 : -1
            guard offset >= 0, payload.count >= offset + 4 else { return nil }
            return payload[offset..<offset + 4].reduce(0) { $0 << 8 | UInt32($1) }
        }
        /// The value of header field `name`.
        public func field(_ name: String) -> String? { fields.first { $0.0 == name }?.1 }
    }

    /// The socket (for raw writes and reads).
    public let socket: RawSocket
    private var pending: [UInt8] = []
    private let inflater: OpaquePointer

    /// Connects to 127.0.0.1:`port` and sends the preface and `settings`.
    public init(port: Int, settings: [(UInt16, UInt32)] = [], receiveBufferSize: Int32? = nil) throws {
        socket = try RawSocket(port: port, receiveBufferSize: receiveBufferSize)
        var made: OpaquePointer?
        nghttp2_hd_inflate_new(&made)
        inflater = made!
        socket.write(HTTP2Wire.preface + HTTP2Wire.settings(settings))
    }

    deinit { nghttp2_hd_inflate_del(inflater) }

    /// Writes bytes (frames from `HTTP2Wire`).
    public func write(_ bytes: [UInt8]) { socket.write(bytes) }

    /// The next frame, or nil at end of stream or after `timeout` without one.
    public func next(timeout: Duration = .seconds(5)) -> Frame? {
        while true {
            if pending.count >= 9 {
                let length = Int(pending[0]) << 16 | Int(pending[1]) << 8 | Int(pending[2])
                if pending.count >= 9 + length {
                    let stream = pending[5..<9].reduce(UInt32(0)) { $0 << 8 | UInt32($1) } & 0x7fff_ffff
                    var frame = Frame(
                        type: pending[3], flags: pending[4], stream: stream, payload: Array(pending[9..<9 + length]))
                    pending.removeFirst(9 + length)
                    if frame.isA(.settings), frame.flags & HTTP2Wire.ack == 0 {
                        write(HTTP2Wire.frame(.settings, flags: HTTP2Wire.ack))
                    }
                    if frame.isA(.headers) { frame.fields = decode(frame) }
                    return frame
                }
            }
            let more = socket.readSome(timeout: timeout)
            if more.isEmpty { return nil }
            pending += more
        }
    }

    /// The next frame on `stream` (others are skipped), or nil.
    public func next(on stream: UInt32, timeout: Duration = .seconds(5)) -> Frame? {
        while let frame = next(timeout: timeout) {
            if frame.stream == stream { return frame }
        }
        return nil
    }

    /// The first GOAWAY, skipping other frames; nil if the connection ends without one.
    public func goaway(timeout: Duration = .seconds(5)) -> Frame? {
        while let frame = next(timeout: timeout) {
            if frame.isA(.goaway) { return frame }
        }
        return nil
    }

    /// A whole response on `stream`: status, fields and body (until END_STREAM);
    /// `reset` holds the error code if the stream was reset instead.
    public func response(on stream: UInt32, timeout: Duration = .seconds(5)) -> (
        status: Int?, fields: [(String, String)], body: [UInt8], reset: UInt32?
    ) {
        var status: Int?
        var fields: [(String, String)] = []
        var body: [UInt8] = []
        while let frame = next(on: stream, timeout: timeout) {
            if frame.isA(.headers) {
                fields = frame.fields
                status = frame.field(":status").flatMap { Int($0) }
            }
            if frame.isA(.data) { body += frame.payload }
            if frame.isA(.rstStream) { return (status, fields, body, frame.errorCode) }
            if frame.endsStream { break }
        }
        return (status, fields, body, nil)
    }

    private func decode(_ frame: Frame) -> [(String, String)] {
        var block = frame.payload
        if frame.flags & 0x8 != 0, let padding = block.first {  // PADDED
            block = Array(block.dropFirst().dropLast(Int(padding)))
        }
        if frame.flags & 0x20 != 0 { block = Array(block.dropFirst(5)) }  // PRIORITY
        var fields: [(String, String)] = []
        block.withUnsafeBufferPointer { input in
            var offset = 0
            while true {
                var pair = nghttp2_nv()
                var flags: Int32 = 0
                let used = nghttp2_hd_inflate_hd2(
                    inflater, &pair, &flags, input.baseAddress! + offset, input.count - offset, 1)
                guard used >= 0 else { return }
                offset += used
                if flags & Int32(NGHTTP2_HD_INFLATE_EMIT.rawValue) != 0 {
                    fields.append(
                        (
                            String(decoding: UnsafeBufferPointer(start: pair.name, count: pair.namelen), as: UTF8.self),
                            String(
                                decoding: UnsafeBufferPointer(start: pair.value, count: pair.valuelen), as: UTF8.self)
                        ))
                }
                if flags & Int32(NGHTTP2_HD_INFLATE_FINAL.rawValue) != 0 {
                    nghttp2_hd_inflate_end_headers(inflater)
                    return
                }
                if used == 0, flags & Int32(NGHTTP2_HD_INFLATE_EMIT.rawValue) == 0 { return }
            }
        }
        return fields
    }
}
