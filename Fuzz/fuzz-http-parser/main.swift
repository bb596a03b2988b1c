// libFuzzer target for the HTTP head parser and the opening handshake checks.
// Build and run with Scripts/fuzz (see docs in that script and STYLE.md §5.8).
//
// Input layout:
//   byte 0     flags: bits 0–1 = maxHeadLength preset (16 KiB, 1 KiB, 128, 32)
//   bytes 1–3  chunk-size pattern, cycled (see `chunkSize`)
//   bytes 4…   the bytes from the peer
// The stream is parsed as a request and as a response, whole and in chunks;
// every invariant that breaks is a `fatalError`.
import SocketTransport
import WebSocketCore

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzHTTPParser(_ data: UnsafePointer<UInt8>, _ size: Int) -> Int32 {
    guard size >= 4 else { return 0 }
    let maxHeadLength = [16 * 1024, 1024, 128, 32][Int(data[0] & 3)]
    let pattern = [data[1], data[2], data[3]]
    let stream = Array(UnsafeBufferPointer(start: data + 4, count: size - 4))

    let request = checkParser(stream, pattern: pattern, maxHeadLength: maxHeadLength) {
        (parser: inout HTTPHeadParser, bytes: UnsafeRawBufferPointer) throws(HTTPHeadParser.Failure) in
        try parser.parseRequest(bytes)
    }
    if let request {
        checkRequestRoundTrip(request)
        checkHandshake(request)
    }
    let response = checkParser(stream, pattern: pattern, maxHeadLength: maxHeadLength) {
        (parser: inout HTTPHeadParser, bytes: UnsafeRawBufferPointer) throws(HTTPHeadParser.Failure) in
        try parser.parseResponse(bytes)
    }
    if let response {
        checkResponseRoundTrip(response)
        let client = ClientHandshake(key: "dGhlIHNhbXBsZSBub25jZQ==")
        switch client.verify(response) {
        case .success: if response.status != 101 { fatalError("verify accepted status \(response.status)") }
        case .failure(let failure):
            if (failure.status == nil) != (response.status == 101) {
                fatalError("verify failure status \(String(describing: failure.status)) for \(response.status)")
            }
        }
    }
    return 0
}

/// What feeding bytes to one parser came to: `nil` for "need more bytes".
private typealias Parsed<Head> = Result<(head: Head, leftover: [UInt8])?, HTTPHeadParser.Failure>

/// The size of chunk `index`: a pattern byte below 0x80 gives 1–16 bytes, one
/// above gives 1–2033 bytes in steps of 16.
private func chunkSize(_ pattern: [UInt8], _ index: Int) -> Int {
    let byte = pattern[index % pattern.count]
    return byte & 0x80 == 0 ? Int(byte & 0x0F) + 1 : Int(byte & 0x7F) * 16 + 1
}

/// Feeds `stream` to `parser` whole (`pattern == nil`) or in chunks, each in its
/// own exact-size allocation, until a head or a failure. Bytes not fed yet
/// count as leftover.
private func feed<Head>(
    _ parser: inout HTTPHeadParser, _ stream: [UInt8], pattern: [UInt8]?,
    _ parse: (inout HTTPHeadParser, UnsafeRawBufferPointer) throws(HTTPHeadParser.Failure) ->
        HTTPHeadParser.Outcome<Head>
) -> Parsed<Head> {
    var offset = 0
    var index = 0
    repeat {  // bounded: offset grows by at least 1 (an empty stream is fed once)
        let count = min(pattern.map { chunkSize($0, index) } ?? stream.count, stream.count - offset)
        let chunk = UnsafeMutableRawBufferPointer.allocate(byteCount: count, alignment: 1)
        defer { chunk.deallocate() }
        stream.withUnsafeBytes {
            chunk.copyMemory(from: UnsafeRawBufferPointer(rebasing: $0[offset..<(offset + count)]))
        }
        offset += count
        index += 1
        do throws(HTTPHeadParser.Failure) {
            switch try parse(&parser, UnsafeRawBufferPointer(chunk)) {
            case .needMoreBytes: continue
            case .complete(let head, let leftover): return .success((head, leftover + stream[offset...]))
            }
        } catch {
            return .failure(error)
        }
    } while offset < stream.count
    return .success(nil)
}

private func same<Head: Equatable>(_ a: Parsed<Head>, _ b: Parsed<Head>) -> Bool {
    switch (a, b) {
    case (.failure(let x), .failure(let y)): x == y
    case (.success(nil), .success(nil)): true
    case (.success(let x?), .success(let y?)): x.head == y.head && x.leftover == y.leftover
    default: false
    }
}

/// Whole against chunked, the status and size rules, and parser reuse after a
/// head. Returns the head parsed from the whole stream, if any.
private func checkParser<Head: Equatable>(
    _ stream: [UInt8], pattern: [UInt8], maxHeadLength: Int,
    _ parse: (inout HTTPHeadParser, UnsafeRawBufferPointer) throws(HTTPHeadParser.Failure) ->
        HTTPHeadParser.Outcome<Head>
) -> Head? {
    var wholeParser = HTTPHeadParser(maxHeadLength: maxHeadLength)
    let whole = feed(&wholeParser, stream, pattern: nil, parse)
    var chunkedParser = HTTPHeadParser(maxHeadLength: maxHeadLength)
    let chunked = feed(&chunkedParser, stream, pattern: pattern, parse)
    if !same(whole, chunked) {
        fatalError("\(Head.self): whole gave \(whole), chunked by \(pattern) gave \(chunked)")
    }
    // Where the head ends: the first CRLF CRLF, else the end of the bytes.
    var terminator: Int?
    var index = 0
    while index + 4 <= stream.count {  // bounded by stream.count
        if stream[index..<(index + 4)].elementsEqual([13, 10, 13, 10]) {
            terminator = index + 4
            break
        }
        index += 1
    }
    switch whole {
    case .failure(let failure):
        guard failure.status == 400 || failure.status == 431 else { fatalError("failure status \(failure.status)") }
        if (failure.status == 431) != ((terminator ?? stream.count) > maxHeadLength) {
            fatalError(
                "status \(failure.status) for a head ending at \(String(describing: terminator)), limit \(maxHeadLength)"
            )
        }
        if failure.status == 400, terminator == nil { fatalError("400 before the head was complete") }
        return nil
    case .success(nil):
        if terminator != nil || stream.count > maxHeadLength {
            fatalError("needMoreBytes with terminator \(String(describing: terminator)), \(stream.count) bytes")
        }
        return nil
    case .success(let parsed?):
        let consumed = stream.count - parsed.leftover.count
        if consumed > maxHeadLength { fatalError("head of \(consumed) bytes over the limit \(maxHeadLength)") }
        if consumed != terminator {
            fatalError("head of \(consumed) bytes, terminator at \(String(describing: terminator))")
        }
        // The same parser, reused for what follows, behaves like a fresh one.
        var reused = wholeParser
        var leftover = parsed.leftover
        for _ in 0..<4 {  // bounded: a few pipelined heads
            var fresh = HTTPHeadParser(maxHeadLength: maxHeadLength)
            let again = feed(&reused, leftover, pattern: nil, parse)
            let expected = feed(&fresh, leftover, pattern: nil, parse)
            if !same(again, expected) { fatalError("reused parser gave \(again), a fresh one \(expected)") }
            guard case .success(let next?) = again, next.leftover.count < leftover.count else { break }
            leftover = next.leftover
        }
        return parsed.head
    }
}

/// A parsed request, serialized and parsed again, is the same request.
private func checkRequestRoundTrip(_ request: HTTPRequestHead) {
    var parser = HTTPHeadParser(maxHeadLength: 1 << 20)
    let bytes = request.serialized()
    let again = feed(&parser, bytes, pattern: nil) {
        (parser: inout HTTPHeadParser, bytes: UnsafeRawBufferPointer) throws(HTTPHeadParser.Failure) in
        try parser.parseRequest(bytes)
    }
    guard case .success(let parsed?) = again, parsed.head == request, parsed.leftover.isEmpty else {
        fatalError("request \(request) serialized as \(bytes) parses as \(again)")
    }
}

/// A parsed response, serialized and parsed again, is the same response (for
/// three-digit statuses: `serialized()` does not zero-pad).
private func checkResponseRoundTrip(_ response: HTTPResponseHead) {
    guard response.status >= 100 else { return }
    var parser = HTTPHeadParser(maxHeadLength: 1 << 20)
    let bytes = response.serialized()
    let again = feed(&parser, bytes, pattern: nil) {
        (parser: inout HTTPHeadParser, bytes: UnsafeRawBufferPointer) throws(HTTPHeadParser.Failure) in
        try parser.parseResponse(bytes)
    }
    guard case .success(let parsed?) = again, parsed.head == response, parsed.leftover.isEmpty else {
        fatalError("response \(response) serialized as \(bytes) parses as \(again)")
    }
}

/// The server's verdict on a request; an accepted one must complete a client's
/// handshake with the same key.
private func checkHandshake(_ request: HTTPRequestHead) {
    switch ServerHandshake.validate(request) {
    case .failure(let rejection):
        guard [400, 405, 426].contains(rejection.status) else { fatalError("rejection status \(rejection.status)") }
    case .success(let accept):
        guard request.method == "GET", request.minorVersion >= 1,
            let key = request.headers["Sec-WebSocket-Key"], WebSocketAccept.isValidKey(key),
            accept == WebSocketAccept.value(forKey: key)
        else { fatalError("validate accepted \(request) with accept \(accept)") }
        let response = ServerHandshake.response(accept: accept)
        var parser = HTTPHeadParser()
        let parsed = feed(&parser, response.serialized(), pattern: nil) {
            (parser: inout HTTPHeadParser, bytes: UnsafeRawBufferPointer) throws(HTTPHeadParser.Failure) in
            try parser.parseResponse(bytes)
        }
        guard case .success(let head?) = parsed, case .success = ClientHandshake(key: key).verify(head.head) else {
            fatalError("our 101 for \(request) does not satisfy the client: \(parsed)")
        }
    }
}
