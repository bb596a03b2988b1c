import CNghttp2
import WebSocketCore

/// What the HTTP/2 fuzz target (`Fuzz/fuzz-http2`) drives of the code we
/// write around nghttp2, without a socket: a header block decoded by
/// nghttp2's HPACK inflater (as the server's session hands us its fields),
/// fed field by field to the request mapping (`HTTP2Request`: the header
/// list limit, the extended CONNECT rules of RFC 8441), and the response
/// fields we give nghttp2 (`HTTP2HeaderBlock`). Package-internal: tests and
/// fuzzing only.
package enum HTTP2RequestProbe {
    /// What a header list came to.
    package enum Outcome: Equatable {
        /// The list went over `limit` at field `index` (the stream would be reset).
        case overLimit(index: Int)
        /// A plain request.
        case plain(HTTPRequestHead)
        /// An extended CONNECT mapped to the GET it stands for.
        case webSocket(HTTPRequestHead)
        /// Refused before routing.
        case refused(status: Int, reason: String)
    }

    /// Maps `fields` as the server does, field by field, under `limit` bytes.
    package static func map(_ fields: [(String, String)], limit: Int) -> Outcome {
        var request = HTTP2Request()
        for (index, field) in fields.enumerated() where !request.add(name: field.0, value: field.1, limit: limit) {
            return .overLimit(index: index)
        }
        switch request.kind {
        case .plain(let head): return .plain(head)
        case .webSocket(let head): return .webSocket(head)
        case .refused(let status, let reason, _): return .refused(status: status, reason: reason)
        }
    }

    /// The fields of `block` as nghttp2's HPACK inflater decodes them (at most
    /// `most` fields), or nil when nghttp2 finds the block malformed.
    package static func inflate(_ block: [UInt8], most: Int = 4096) -> [(String, String)]? {
        var made: OpaquePointer?
        guard nghttp2_hd_inflate_new(&made) == 0, let inflater = made else { return nil }
        defer { nghttp2_hd_inflate_del(inflater) }
        var fields: [(String, String)] = []
        let complete: Bool = block.withUnsafeBufferPointer { input in
            var offset = 0
            while fields.count < most {
                var pair = nghttp2_nv()
                var flags: Int32 = 0
                let used = nghttp2_hd_inflate_hd2(
                    inflater, &pair, &flags, input.baseAddress.map { $0 + offset }, input.count - offset, 1)
                guard used >= 0 else { return false }
                offset += used
                if flags & Int32(NGHTTP2_HD_INFLATE_EMIT.rawValue) != 0 {
                    fields.append((string(pair.name, pair.namelen), string(pair.value, pair.valuelen)))
                }
                if flags & Int32(NGHTTP2_HD_INFLATE_FINAL.rawValue) != 0 { return true }
                if used == 0, flags & Int32(NGHTTP2_HD_INFLATE_EMIT.rawValue) == 0 { return false }
            }
            return true
        }
        return complete ? fields : nil
    }

    /// The response fields we hand nghttp2 for `status` and `headers`, read
    /// back from the `nghttp2_nv`s `HTTP2HeaderBlock` builds.
    package static func responseFields(status: Int, headers: HTTPHeaders, contentLength: Int?) -> (
        fields: [(String, String)], passed: [(String, String)]
    ) {
        let fields = HTTP2HeaderBlock.fields(status: status, headers: headers, contentLength: contentLength)
        let passed = HTTP2HeaderBlock.withNameValues(fields) { pairs, count in
            UnsafeBufferPointer(start: pairs, count: count).map {
                (string($0.name, $0.namelen), string($0.value, $0.valuelen))
            }
        }
        return (fields, passed)
    }

    private static func string(_ bytes: UnsafePointer<UInt8>?, _ count: Int) -> String {
        guard let bytes else { return "" }
        return String(decoding: UnsafeBufferPointer(start: bytes, count: count), as: UTF8.self)
    }
}
