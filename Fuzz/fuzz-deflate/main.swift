// libFuzzer target for the compressed path: permessage-deflate payloads through
// the state machine and the zlib inflater, with a limit on the inflated size.
// Build and run with Scripts/fuzz (see docs in that script and STYLE.md §5.8).
//
// Input layout:
//   byte 0   flags: bit 0 = context takeover off; bits 1–3 = window bits 8 + (0...7);
//            bits 4–5 = message limit preset; bit 6 = text (else binary)
//   byte 1   how many frames the payload is cut into (1 + byte % 4)
//   bytes 2… the compressed payload, sent twice as two messages (so a kept
//            context is exercised), then the same bytes compressed by our
//            deflater, which must come back unchanged (round trip)
// Every invariant that breaks is a `fatalError`.
import SocketTransport
import WebSocketCore

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzDeflate(_ data: UnsafePointer<UInt8>, _ size: Int) -> Int32 {
    guard size >= 2 else { return 0 }
    let flags = data[0]
    let pieces = 1 + Int(data[1] % 4)
    let payload = Array(UnsafeBufferPointer(start: data + 2, count: size - 2))
    let direction = PerMessageDeflateAgreement.Direction(
        noContextTakeover: flags & 1 != 0, windowBits: 8 + Int((flags >> 1) & 7))
    let limit = [64, 1024, 64 << 10, 1 << 20][Int((flags >> 4) & 3)]
    let opcode: Opcode = flags & 0x40 != 0 ? .text : .binary
    guard let inflater = ZlibMessageInflater(direction), let deflater = MessageDeflater(direction) else { return 0 }
    var machine = WebSocketStateMachine(
        role: .client, limits: WebSocketLimits(maxFramePayloadLength: 1 << 20, maxMessageLength: limit),
        inflater: inflater)
    var actions: [WebSocketStateMachine.Action] = []
    for _ in 0..<2 { feed(frames(opcode, payload, pieces: pieces), to: &machine, actions: &actions) }
    check(actions, limit: limit)

    // Round trip: what our deflater makes, a fresh inflater must restore exactly.
    let compressed = payload.withUnsafeBytes { deflater.compress($0) }
    guard let fresh = ZlibMessageInflater(direction) else { return 0 }
    var roundTrip = WebSocketStateMachine(
        role: .client, limits: WebSocketLimits(maxFramePayloadLength: 1 << 20, maxMessageLength: 1 << 20),
        inflater: fresh)
    var result: [WebSocketStateMachine.Action] = []
    feed(frames(.binary, compressed, pieces: pieces), to: &roundTrip, actions: &result)
    guard result == [.deliver(.binary(payload))] else {
        fatalError("round trip of \(payload.count) bytes gave \(result)")
    }
    return 0
}

/// The payload as a compressed message of `pieces` unmasked frames, RSV1 on the first only.
private func frames(_ opcode: Opcode, _ payload: [UInt8], pieces: Int) -> [UInt8] {
    var bytes: [UInt8] = []
    let step = max(1, payload.count / pieces)
    var start = 0
    for index in 0..<pieces {
        let end = index == pieces - 1 ? payload.count : min(payload.count, start + step)
        bytes += FrameEncoder.encode(
            index == 0 ? opcode : .continuation, payload: payload[start..<end], fin: index == pieces - 1,
            reservedBits: index == 0 ? FrameHeader.rsv1 : 0)
        start = end
    }
    return bytes
}

private func feed(
    _ bytes: [UInt8], to machine: inout WebSocketStateMachine, actions: inout [WebSocketStateMachine.Action]
) {
    var copy = bytes
    copy.withUnsafeMutableBytes { machine.receive($0, into: &actions) }
}

/// Delivered messages respect the limit; a failure is 1002, 1007 or 1009 and ends the actions.
private func check(_ actions: [WebSocketStateMachine.Action], limit: Int) {
    for (position, action) in actions.enumerated() {
        switch action {
        case .deliver(.binary(let bytes)):
            if bytes.count > limit { fatalError("delivered \(bytes.count) bytes over the limit \(limit)") }
        case .deliver(.text(let text)):
            if text.utf8.count > limit { fatalError("delivered \(text.utf8.count) bytes over the limit \(limit)") }
        case .failed(let violation):
            guard [1002, 1007, 1009].contains(violation.closeCode.value) else {
                fatalError("unexpected close code for \(violation)")
            }
            guard case .closeConnection = actions.last, actions.count - position <= 3 else {
                fatalError("failure not followed by its close: \(actions)")
            }
        default:
            break
        }
    }
}
