// libFuzzer target for the PROXY protocol v2 header parser (ProxyHeaderParser).
// Build and run with Scripts/fuzz (see docs in that script and STYLE.md §5.8).
//
// Input layout:
//   byte 0     flags: bits 0–1 = maxAddressLength preset (2048, 216, 36, 0)
//   bytes 1–3  chunk-size pattern, cycled (see `chunkSize`)
//   bytes 4…   the bytes from the peer
// The stream is parsed whole and in chunks; both must agree, stay within the
// bound, consume exactly 16 + the declared length, and carry the addresses the
// bytes hold. Every invariant that breaks is a `fatalError`.
import SocketTransport

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzProxyHeader(_ data: UnsafePointer<UInt8>, _ size: Int) -> Int32 {
    guard size >= 4 else { return 0 }
    let limit = [2048, 216, 36, 0][Int(data[0] & 3)]
    let pattern = [data[1], data[2], data[3]]
    let stream = Array(UnsafeBufferPointer(start: data + 4, count: size - 4))
    let whole = feed(stream, pattern: nil, limit: limit)
    let chunked = feed(stream, pattern: pattern, limit: limit)
    guard whole == chunked else { fatalError("whole gave \(whole), chunked by \(pattern) gave \(chunked)") }
    check(whole, stream: stream, limit: limit)
    return 0
}

/// What feeding the stream came to: nil for "need more bytes".
private typealias Parsed = Result<ProxyHeaderParser.Outcome?, ProxyHeaderParser.Failure>

/// The size of chunk `index`: a pattern byte below 0x80 gives 1–16 bytes, one
/// above gives 1–2033 bytes in steps of 16.
private func chunkSize(_ pattern: [UInt8], _ index: Int) -> Int {
    let byte = pattern[index % pattern.count]
    return byte & 0x80 == 0 ? Int(byte & 0x0F) + 1 : Int(byte & 0x7F) * 16 + 1
}

/// Feeds `stream` whole or in chunks (each its own exact-size allocation) until
/// a header or a failure; bytes not fed yet are appended to the leftover.
private func feed(_ stream: [UInt8], pattern: [UInt8]?, limit: Int) -> Parsed {
    var parser = ProxyHeaderParser(maxAddressLength: limit)
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
        do throws(ProxyHeaderParser.Failure) {
            switch try parser.parse(UnsafeRawBufferPointer(chunk)) {
            case .needMoreBytes:
                if parser.bufferedCount > 16 + limit { fatalError("holds \(parser.bufferedCount) over \(16 + limit)") }
                continue
            case .complete(let header, let leftover):
                return .success(.complete(header, leftover: leftover + stream[offset...]))
            }
        } catch {
            return .failure(error)
        }
    } while offset < stream.count
    return .success(nil)
}

/// The outcome agrees with the bytes.
private func check(_ parsed: Parsed, stream: [UInt8], limit: Int) {
    let signature = ProxyHeaderParser.signature
    let matching = zip(stream, signature).prefix { $0 == $1 }.count
    switch parsed {
    case .failure(let failure):
        if failure == .badSignature, matching == min(stream.count, signature.count) {
            fatalError("badSignature for a stream that matches it")
        }
    case .success(nil):
        if matching < min(stream.count, signature.count) { fatalError("needMoreBytes after a wrong signature byte") }
        if stream.count >= 16 {
            let declared = 16 + (Int(stream[14]) << 8 | Int(stream[15]))
            if stream.count >= declared { fatalError("needMoreBytes with \(stream.count) of \(declared) bytes") }
        }
    case .success(.complete(let header, let leftover)?):
        guard stream.count >= 16, matching == 12, stream[12] >> 4 == 2 else { fatalError("complete without signature") }
        let declared = Int(stream[14]) << 8 | Int(stream[15])
        if declared > limit { fatalError("accepted a block of \(declared) over \(limit)") }
        if stream.count - leftover.count != 16 + declared || !stream.suffix(leftover.count).elementsEqual(leftover) {
            fatalError("consumed \(stream.count - leftover.count), declared \(16 + declared)")
        }
        checkAddresses(header, stream)
    case .success(.needMoreBytes?):
        fatalError("feed returns nil for needMoreBytes")
    }
}

/// A proxied header's addresses and ports are the bytes of its block.
private func checkAddresses(_ header: ProxyHeader, _ stream: [UInt8]) {
    let isLocal = stream[12] & 0x0F == 0
    switch header {
    case .local:
        if !isLocal { fatalError("LOCAL for command \(stream[12])") }
    case .unspecified:
        if isLocal || [0x11, 0x21].contains(stream[13]) { fatalError("UNSPEC for \(stream[12]) \(stream[13])") }
    case .proxied(let source, let destination):
        if isLocal { fatalError("PROXY for a LOCAL command") }
        let port = { (at: Int) in Int(stream[at]) << 8 | Int(stream[at + 1]) }
        switch stream[13] {
        case 0x11:
            let host = stream[16..<20].map { "\($0)" }.joined(separator: ".")
            if source.host != host || source.port != port(24) || destination.port != port(26) {
                fatalError("IPv4 \(source) \(destination) from \(Array(stream[16..<28]))")
            }
        case 0x21:
            if source.port != port(48) || destination.port != port(50) || !source.description.hasPrefix("[") {
                fatalError("IPv6 ports \(source) \(destination)")
            }
        default:
            fatalError("proxied for family \(stream[13])")
        }
    }
}
