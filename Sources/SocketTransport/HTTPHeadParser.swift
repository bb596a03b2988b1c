import WebSocketCore

/// An incremental parser for the head of an HTTP/1.1 message: the start line
/// and header fields up to the empty line (RFC 9112 §2–§5).
///
/// Bytes are appended as they arrive; the size limit is checked before the
/// head is complete, so a client that sends endless headers is refused (431)
/// without being buffered. Anything after the head (for a WebSocket, the first
/// frames) is handed back as leftover.
public struct HTTPHeadParser: Sendable {
    /// Why a head could not be parsed, with the status a server answers.
    public struct Failure: Error, Sendable, Hashable, CustomStringConvertible {
        /// 400 for a malformed head, 431 for one over the size limit.
        public let status: Int
        /// What was wrong, short and safe to send back.
        public let description: String

        static func malformed(_ text: String) -> Failure { Failure(status: 400, description: text) }
    }

    /// The outcome of feeding bytes.
    public enum Outcome<Head: Sendable>: Sendable {
        /// The head is not complete yet.
        case needMoreBytes
        /// The head, and the bytes that followed it.
        case complete(Head, leftover: [UInt8])
    }

    /// The largest head accepted, in bytes. Default 16 KiB: a WebSocket upgrade with
    /// a bearer token needs about 1 KiB.
    public let maxHeadLength: Int
    private var buffer: [UInt8] = []
    private var scanned = 0

    /// Bytes held while the head is incomplete (at most `maxHeadLength`).
    public var bufferedCount: Int { buffer.count }

    /// Creates a parser with a head size limit.
    public init(maxHeadLength: Int = 16 * 1024) {
        self.maxHeadLength = maxHeadLength
    }

    /// Appends bytes and tries to parse a request head.
    public mutating func parseRequest(
        _ bytes: UnsafeRawBufferPointer
    ) throws(Failure) -> Outcome<HTTPRequestHead> {
        guard let (lines, leftover) = try appendAndSplit(bytes) else { return .needMoreBytes }
        return .complete(try Self.requestHead(lines), leftover: leftover)
    }

    /// Appends bytes and tries to parse a response head.
    public mutating func parseResponse(
        _ bytes: UnsafeRawBufferPointer
    ) throws(Failure) -> Outcome<HTTPResponseHead> {
        guard let (lines, leftover) = try appendAndSplit(bytes) else { return .needMoreBytes }
        return .complete(try Self.responseHead(lines), leftover: leftover)
    }

    /// Appends `bytes`; once the blank line is found, returns the head's lines.
    private mutating func appendAndSplit(
        _ bytes: UnsafeRawBufferPointer
    ) throws(Failure) -> ([ArraySlice<UInt8>], [UInt8])? {
        buffer.append(contentsOf: bytes)
        // Look for CRLF CRLF, starting a little before the new bytes.
        var index = max(scanned - 3, 0)
        var end: Int?
        while index + 3 < buffer.count {
            if buffer[index] == 13, buffer[index + 1] == 10, buffer[index + 2] == 13,
                buffer[index + 3] == 10
            {
                end = index
                break
            }
            index += 1
        }
        guard let end else {
            scanned = buffer.count
            if buffer.count > maxHeadLength {
                throw Failure(status: 431, description: "request header fields too large")
            }
            return nil
        }
        if end + 4 > maxHeadLength {
            throw Failure(status: 431, description: "request header fields too large")
        }
        let lines = Self.splitLines(buffer[..<end])
        let leftover = Array(buffer[(end + 4)...])
        buffer = []
        scanned = 0
        return (lines, leftover)
    }

    private static func splitLines(_ head: ArraySlice<UInt8>) -> [ArraySlice<UInt8>] {
        var lines: [ArraySlice<UInt8>] = []
        var start = head.startIndex
        var index = head.startIndex
        while index < head.endIndex {
            if head[index] == 13, index + 1 < head.endIndex, head[index + 1] == 10 {
                lines.append(head[start..<index])
                index += 2
                start = index
            } else {
                index += 1
            }
        }
        lines.append(head[start..<head.endIndex])
        return lines
    }
}
