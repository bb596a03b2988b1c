// libFuzzer target for what we write around nghttp2 (issue 20): a server
// connection's receive path fed arbitrary bytes, and the header lists nghttp2
// hands the server mapped to requests (the header list limit, RFC 8441's
// extended CONNECT rules), and the response fields we give it.
// Build and run with Scripts/fuzz (see docs in that script and STYLE.md §5.8).
//
// Input layout:
//   byte 0   bits 0–1, the mode:
//              0  a list of fields, each [name length][value length][name][value],
//                 where a length byte with its top bit set picks a known name or
//                 value instead (so CONNECT, :protocol websocket and their
//                 friends come up often), mapped as a request
//              1  an HPACK header block, decoded by nghttp2's inflater (what a
//                 HEADERS frame carries), mapped as a request
//              2  bytes from a client after a valid preface, to a real server
//                 connection (HTTP2ServerProbe), in chunks
//              3  the same without the preface
//            bits 2–3: the header list limit (16 KiB, 1 KiB, 64 bytes, 1 MiB)
//            bits 4–7: the response status (100 + 25 × value), or the chunk size
//            (1 + 97 × value bytes) in modes 2 and 3
//   bytes 1… as above
// Every invariant that breaks is a `fatalError`; in modes 2 and 3, a
// connection must give back every byte it reserved once closed.
import SocketTransport
import WebSocketCore

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzHTTP2(_ data: UnsafePointer<UInt8>, _ size: Int) -> Int32 {
    guard size >= 1 else { return 0 }
    let bytes = Array(UnsafeBufferPointer(start: data + 1, count: size - 1))
    let limit = [16 * 1024, 1024, 64, 1 << 20][Int(data[0] >> 2 & 3)]
    let high = Int(data[0] >> 4)
    switch data[0] & 3 {
    case 0, 1:
        let fields: [(String, String)]
        if data[0] & 3 == 1 {
            guard let inflated = HTTP2RequestProbe.inflate(bytes) else { return 0 }
            fields = inflated
        } else {
            fields = fieldList(bytes)
        }
        checkMapping(fields, limit: limit)
        checkResponse(fields, status: 100 + 25 * high)
    default:
        let piece = 1 + 97 * high
        let chunks = stride(from: 0, to: bytes.count, by: piece).map { Array(bytes[$0..<min($0 + piece, bytes.count)]) }
        let outcome = probe.run(chunks, preface: data[0] & 3 == 2)
        if outcome.leaked != 0 { fatalError("a closed HTTP/2 connection kept \(outcome.leaked) budget bytes") }
    }
    return 0
}

/// The server the connections of modes 2 and 3 talk to: /echo a WebSocket, /big a
/// 100 KB body, anything else a short text.
private struct FuzzRouter: HTTPRouter {
    let echo = Echo()
    func route(_ request: HTTPRequestHead, from peer: SocketAddress) -> RouteDecision {
        switch request.path {
        case "/echo": .upgrade(echo, WebSocketEndpointOptions(limits: WebSocketLimits(), maxQueuedBytes: 64 << 10))
        case "/big": .respond(HTTPResponse(status: 200, body: [UInt8](repeating: 0x61, count: 100_000)))
        default: .respond(.text(200, "ok"))
        }
    }
}

/// Echoes every message.
private final class Echo: WebSocketHandler {
    func webSocketDidOpen(_ connection: WebSocketConnection) {}
    func webSocket(_ connection: WebSocketConnection, didReceive message: WebSocketMessage) {
        connection.send(message)
    }
    func webSocketDidClose(_ connection: WebSocketConnection, code: CloseCode?) {}
}

private let probe: HTTP2ServerProbe = {
    var configuration = TransportConfiguration()
    configuration.memoryBudgetBytes = 64 << 20
    configuration.http2.maxConcurrentStreams = 8
    return HTTP2ServerProbe(router: FuzzRouter(), configuration: configuration)
}()

private let knownNames = [
    ":method", ":protocol", ":path", ":scheme", ":authority", "sec-websocket-version", "authorization",
    "sec-websocket-extensions", "host", "last-event-sequence", "connection", "content-length", "upgrade",
]
private let knownValues = [
    "CONNECT", "websocket", "/echo", "/v1/rooms/a", "http", "https", "13", "12", "GET", "HEAD", "127.0.0.1",
    "Bearer x", "permessage-deflate", "", "chat", " 13 ",
]

/// The field list of the text layout (see the top of the file).
private func fieldList(_ bytes: [UInt8]) -> [(String, String)] {
    var fields: [(String, String)] = []
    var offset = 0
    while offset + 2 <= bytes.count, fields.count < 512 {
        let (nameByte, valueByte) = (bytes[offset], bytes[offset + 1])
        offset += 2
        func take(_ byte: UInt8, _ known: [String]) -> String {
            if byte & 0x80 != 0 { return known[Int(byte & 0x7F) % known.count] }
            let end = min(bytes.count, offset + Int(byte))
            defer { offset = end }
            return String(decoding: bytes[offset..<end], as: UTF8.self)
        }
        let name = take(nameByte, knownNames)
        fields.append((name, take(valueByte, knownValues)))
    }
    return fields
}

/// The mapping keeps to the list limit and to RFC 8441's rules.
private func checkMapping(_ fields: [(String, String)], limit: Int) {
    let outcome = HTTP2RequestProbe.map(fields, limit: limit)
    var total = 0
    let over = fields.firstIndex { field in
        total += field.0.utf8.count + field.1.utf8.count + 32
        return total > limit
    }
    if let over {
        guard outcome == .overLimit(index: over) else { fatalError("list over \(limit) at \(over): \(outcome)") }
        return
    }
    let method = fields.last { $0.0 == ":method" }?.1 ?? ""
    let path = fields.last { $0.0 == ":path" }?.1 ?? ""
    let connectProtocol = fields.last { $0.0 == ":protocol" }?.1
    switch outcome {
    case .overLimit(let index):
        fatalError("list within \(limit) refused at \(index)")
    case .plain(let head):
        guard method != "CONNECT", head.method == method, head.target == path else {
            fatalError("plain \(head.method) \(head.target) from \(method) \(path)")
        }
        checkHost(head, fields)
    case .webSocket(let head):
        guard method == "CONNECT", connectProtocol == "websocket", head.method == "GET", head.target == path else {
            fatalError("webSocket \(head.method) \(head.target) from \(method) \(String(describing: connectProtocol))")
        }
        guard head.headers["Sec-WebSocket-Version"]?.trimmingHTTPWhitespace() == "13" else {
            fatalError("webSocket without version 13")
        }
        checkHost(head, fields)
    case .refused(let status, _):
        guard method == "CONNECT" else { fatalError("\(method) refused \(status)") }
        let expected = connectProtocol == nil ? 405 : connectProtocol == "websocket" ? 400 : 501
        guard status == expected else { fatalError("CONNECT refused \(status), expected \(expected)") }
    }
}

/// `:authority` becomes Host when the request has none (as HTTP/1.1's routes expect).
private func checkHost(_ head: HTTPRequestHead, _ fields: [(String, String)]) {
    let authority = fields.last { $0.0 == ":authority" }?.1 ?? ""
    let hasHost = fields.contains { !$0.0.hasPrefix(":") && $0.0.lowercased() == "host" }
    if !hasHost, !authority.isEmpty, head.headers["Host"] != authority {
        fatalError("Host not taken from :authority")
    }
}

/// Response fields: `:status` first, lower-case names, no connection-specific
/// field, content-length last and only ours; nghttp2 gets the same bytes.
private func checkResponse(_ fields: [(String, String)], status: Int) {
    var headers = HTTPHeaders()
    for (name, value) in fields.prefix(64) where !name.isEmpty { headers.add(name: name, value: value) }
    let length = fields.count % 3 == 0 ? nil : fields.count * 7
    let (built, passed) = HTTP2RequestProbe.responseFields(status: status, headers: headers, contentLength: length)
    guard built.count == passed.count, zip(built, passed).allSatisfy({ $0.0 == $1.0 && $0.1 == $1.1 }) else {
        fatalError("nghttp2 would get other fields than built")
    }
    guard built.first?.0 == ":status", built.first?.1 == String(status) else { fatalError(":status not first") }
    let forbidden: Set = ["connection", "keep-alive", "proxy-connection", "transfer-encoding", "upgrade"]
    for (index, field) in built.enumerated().dropFirst() {
        guard field.0 == field.0.lowercased(), !forbidden.contains(field.0) else {
            fatalError("field \(field.0) passed to HTTP/2")
        }
        if field.0 == "content-length", length == nil || index != built.count - 1 {
            fatalError("a content-length that is not ours")
        }
    }
    if let length, built.last.map({ $0 != ("content-length", String(length)) }) ?? true {
        fatalError("content-length missing")
    }
}
