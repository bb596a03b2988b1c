import WebSocketCore

extension HTTPHeadParser {
    /// `method SP request-target SP HTTP-version` (RFC 9112 §3).
    static func requestHead(_ lines: [ArraySlice<UInt8>]) throws(Failure) -> HTTPRequestHead {
        let parts = lines[0].split(separator: 32, omittingEmptySubsequences: false)
        guard parts.count == 3 else { throw .malformed("malformed request line") }
        guard !parts[0].isEmpty, parts[0].allSatisfy(isTokenByte) else {
            throw .malformed("malformed method")
        }
        guard !parts[1].isEmpty, parts[1].allSatisfy({ $0 > 32 && $0 < 127 }) else {
            throw .malformed("malformed request target")
        }
        let minor = try version(parts[2])
        return HTTPRequestHead(
            method: String(decoding: parts[0], as: UTF8.self),
            target: String(decoding: parts[1], as: UTF8.self), minorVersion: minor,
            headers: try headers(lines.dropFirst()))
    }

    /// `HTTP-version SP status-code SP [reason-phrase]` (RFC 9112 §4).
    static func responseHead(_ lines: [ArraySlice<UInt8>]) throws(Failure) -> HTTPResponseHead {
        let parts = lines[0].split(separator: 32, maxSplits: 2, omittingEmptySubsequences: false)
        guard parts.count >= 2 else { throw .malformed("malformed status line") }
        _ = try version(parts[0])
        guard parts[1].count == 3, parts[1].allSatisfy({ $0 >= 48 && $0 <= 57 }),
            let status = Int(String(decoding: parts[1], as: UTF8.self))
        else { throw .malformed("malformed status code") }
        let reason = parts.count == 3 ? String(decoding: parts[2], as: UTF8.self) : ""
        return HTTPResponseHead(status: status, reason: reason, headers: try headers(lines.dropFirst()))
    }

    /// `HTTP/1.x`, returning the minor version; only HTTP/1 is spoken here.
    private static func version(_ bytes: ArraySlice<UInt8>) throws(Failure) -> Int {
        let text = String(decoding: bytes, as: UTF8.self)
        switch text {
        case "HTTP/1.1": return 1
        case "HTTP/1.0": return 0
        default: throw .malformed("unsupported HTTP version")
        }
    }

    /// `field-name ":" OWS field-value OWS` lines (RFC 9112 §5).
    private static func headers(_ lines: ArraySlice<ArraySlice<UInt8>>) throws(Failure) -> HTTPHeaders {
        var headers = HTTPHeaders()
        for line in lines {
            guard let first = line.first, first != 32, first != 9 else {
                throw .malformed("obsolete line folding")  // §5.2: a server may reject it
            }
            guard let colon = line.firstIndex(of: 58) else { throw .malformed("header without colon") }
            let name = line[line.startIndex..<colon]
            guard !name.isEmpty, name.allSatisfy(isTokenByte) else {
                throw .malformed("malformed header name")  // also no space before ':' (§5.1)
            }
            let value = line[(colon + 1)...]
            guard value.allSatisfy({ $0 == 9 || ($0 >= 32 && $0 != 127) }) else {
                throw .malformed("control character in header value")
            }
            headers.add(
                name: String(decoding: name, as: UTF8.self),
                value: String(decoding: value, as: UTF8.self).trimmingHTTPWhitespace())
        }
        return headers
    }

    /// RFC 9110 §5.6.2 `tchar`.
    private static func isTokenByte(_ byte: UInt8) -> Bool {
        switch byte {
        case 48...57, 65...90, 97...122: true
        case 33, 35, 36, 37, 38, 39, 42, 43, 45, 46, 94, 95, 96, 124, 126: true
        default: false
        }
    }
}
