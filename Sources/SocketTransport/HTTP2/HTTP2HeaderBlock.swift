import CNghttp2
import WebSocketCore

/// The header block of a response as nghttp2 takes it (`nghttp2_nv`):
/// `:status` first, names lower-cased (RFC 9113 §8.2.1), without the
/// fields HTTP/2 forbids (§8.2.2: `Connection` and the fields it governs).
enum HTTP2HeaderBlock {
    /// Fields HTTP/2 does not carry.
    private static let connectionSpecific: Set<String> = [
        "connection", "keep-alive", "proxy-connection", "transfer-encoding", "upgrade",
    ]

    /// The fields of a response with `status` and `headers`; `contentLength`
    /// is added when given.
    static func fields(status: Int, headers: HTTPHeaders, contentLength: Int?) -> [(String, String)] {
        var fields = [(":status", String(status))]
        for field in headers {
            let name = field.name.lowercased()
            guard !connectionSpecific.contains(name), name != "content-length" else { continue }
            fields.append((name, field.value))
        }
        if let contentLength { fields.append(("content-length", String(contentLength))) }
        return fields
    }

    /// Calls `body` with the fields as `nghttp2_nv`s, valid during the call
    /// (nghttp2 copies them in `nghttp2_submit_response`).
    static func withNameValues<Result>(
        _ fields: [(String, String)], _ body: (UnsafePointer<nghttp2_nv>, Int) -> Result
    ) -> Result {
        var storage: [UInt8] = []
        var spans: [(name: Range<Int>, value: Range<Int>)] = []
        for (name, value) in fields {
            let nameStart = storage.count
            storage.append(contentsOf: name.utf8)
            let valueStart = storage.count
            storage.append(contentsOf: value.utf8)
            spans.append((nameStart..<valueStart, valueStart..<storage.count))
        }
        storage.append(0)  // never empty, so the base address exists
        return storage.withUnsafeMutableBufferPointer { bytes in
            let base = bytes.baseAddress!
            let pairs = spans.map { span in
                nghttp2_nv(
                    name: base + span.name.lowerBound, value: base + span.value.lowerBound,
                    namelen: span.name.count, valuelen: span.value.count, flags: UInt8(NGHTTP2_NV_FLAG_NONE.rawValue))
            }
            return pairs.withUnsafeBufferPointer { body($0.baseAddress!, $0.count) }
        }
    }
}
