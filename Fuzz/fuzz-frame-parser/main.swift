// libFuzzer target for the WebSocket frame parser and state machine.
// Build and run with Scripts/fuzz (see docs in that script and STYLE.md §5.8).
//
// Input layout:
//   byte 0     flags: bit 0 = we start the closing handshake before any byte
//              arrives; bits 1–2 = limits preset; bit 3 = RSV1 allowed at the
//              parser but no inflater (so a frame with RSV1 must fail with 1002:
//              the compressed path is fuzzed by fuzz-deflate)
//   bytes 1–3  chunk-size pattern, cycled (see `chunkSize`)
//   bytes 4…   the byte stream from the peer
// The stream goes to a server-role and a client-role machine, once whole and
// once split into chunks; every invariant that breaks is a `fatalError`.
import WebSocketCore

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzFrameParser(_ data: UnsafePointer<UInt8>, _ size: Int) -> Int32 {
    guard size >= 4 else { return 0 }
    let flags = data[0]
    let pattern = [data[1], data[2], data[3]]
    let stream = Array(UnsafeBufferPointer(start: data + 4, count: size - 4))
    checkUTF8Validator(stream, pattern: pattern)
    let reference = referenceMessages(stream)
    for role in [WebSocketStateMachine.Role.server, .client] {
        let whole = run(role, flags: flags, stream: stream, pattern: nil)
        let chunked = run(role, flags: flags, stream: stream, pattern: pattern)
        checkActions(whole, role: role, flags: flags, reference: reference)
        checkActions(chunked, role: role, flags: flags, reference: reference)
        if whole != chunked {
            fatalError("\(role): whole input gave \(whole), chunked \(pattern) gave \(chunked)")
        }
    }
    return 0
}

/// The size of chunk `index`: a pattern byte below 0x80 gives 1–16 bytes (splits
/// inside headers), one above gives 1–2033 bytes in steps of 16.
private func chunkSize(_ pattern: [UInt8], _ index: Int) -> Int {
    let byte = pattern[index % pattern.count]
    return byte & 0x80 == 0 ? Int(byte & 0x0F) + 1 : Int(byte & 0x7F) * 16 + 1
}

/// Limits small enough that inputs of at most 4 KiB reach them.
private func limits(_ flags: UInt8) -> WebSocketLimits {
    switch (flags >> 1) & 3 {
    case 0: WebSocketLimits(maxFramePayloadLength: 64 << 10, maxMessageLength: 64 << 10)
    case 1: WebSocketLimits(maxFramePayloadLength: 1024, maxMessageLength: 2048)
    case 2: WebSocketLimits(maxFramePayloadLength: 2048, maxMessageLength: 1024)
    default: WebSocketLimits(maxFramePayloadLength: 125, maxMessageLength: 300)
    }
}

/// Feeds `stream` to a fresh machine, whole (`pattern == nil`) or in chunks. Each
/// chunk is copied into its own exact-size allocation, freed right after
/// `receive`, so AddressSanitizer catches reads past a chunk or kept pointers.
private func run(
    _ role: WebSocketStateMachine.Role, flags: UInt8, stream: [UInt8], pattern: [UInt8]?
) -> [WebSocketStateMachine.Action] {
    var machine = WebSocketStateMachine(role: role, limits: limits(flags))
    if flags & 8 != 0 { machine.allowedReservedBits = 0x40 }
    var actions: [WebSocketStateMachine.Action] = []
    if flags & 1 != 0 {
        machine.close(code: .normalClosure, reason: "bye", into: &actions)
        if machine.canSendMessages { fatalError("canSendMessages after close(code:)") }
    }
    if pattern != nil {
        machine.receive(UnsafeMutableRawBufferPointer(start: nil, count: 0), into: &actions)
    }
    var offset = 0
    var index = 0
    while offset < stream.count {  // bounded: offset grows by at least 1
        let count = min(pattern.map { chunkSize($0, index) } ?? stream.count, stream.count - offset)
        let chunk = UnsafeMutableRawBufferPointer.allocate(byteCount: count, alignment: 1)
        stream.withUnsafeBytes {
            chunk.copyMemory(from: UnsafeRawBufferPointer(rebasing: $0[offset..<(offset + count)]))
        }
        machine.receive(chunk, into: &actions)
        chunk.deallocate()
        let sawClose = actions.contains { if case .closeConnection = $0 { true } else { false } }
        if machine.isClosed != sawClose {
            fatalError("isClosed \(machine.isClosed) but closeConnection emitted: \(sawClose); \(actions)")
        }
        offset += count
        index += 1
    }
    return actions
}

/// The invariants every action list must satisfy.
private func checkActions(
    _ actions: [WebSocketStateMachine.Action], role: WebSocketStateMachine.Role, flags: UInt8,
    reference: (messages: [(isText: Bool, bytes: [UInt8])], stoppedEarly: Bool)
) {
    func fail(_ what: String) -> Never {
        fatalError("\(role) flags \(flags): \(what) in \(actions)")
    }
    var closeFrames: [[UInt8]] = []
    var connectionClosed = false
    var failed = false
    var delivered = 0
    for (position, action) in actions.enumerated() {
        if connectionClosed { fail("action \(action) after closeConnection") }
        switch action {
        case .deliver(let message):
            if !closeFrames.isEmpty { fail("message delivered after a close frame was sent") }
            guard delivered < reference.messages.count else {
                fail("message \(delivered) the reference never completed")
            }
            let expected = reference.messages[delivered]
            switch message {
            case .text(let text):
                if !expected.isText { fail("text delivered for a binary message") }
                if String(validating: expected.bytes, as: UTF8.self) == nil {
                    fail("text delivered for invalid UTF-8 \(hex(expected.bytes))")
                }
                if !UTF8Validator.isValid(Array(text.utf8)) || Array(text.utf8) != expected.bytes {
                    fail("text \(hex(Array(text.utf8))) differs from payload \(hex(expected.bytes))")
                }
            case .binary(let bytes):
                if expected.isText || bytes != expected.bytes { fail("binary message differs from payload") }
            }
            delivered += 1
        case .sendControlFrame(let opcode, let payload):
            if payload.count > 125 { fail("control frame payload of \(payload.count) bytes") }
            switch opcode {
            case .pong:
                // §5.5.2: a ping is answered until the peer's Close arrives, even after
                // ours (a pong is a control frame); after theirs comes closeConnection,
                // and nothing may follow that (checked above).
                break
            case .close:
                if !closeFrames.isEmpty { fail("second close frame") }
                if !payload.isEmpty {
                    guard payload.count >= 2 else { fail("one-byte close payload") }
                    let code = CloseCode(UInt16(payload[0]) << 8 | UInt16(payload[1]))
                    if !code.isValidOnWire { fail("close code \(code) not valid on the wire") }
                    if !UTF8Validator.isValid(payload[2...]) { fail("close reason not UTF-8") }
                }
                closeFrames.append(payload)
            default:
                fail("control frame with opcode \(opcode)")
            }
        case .startClosingTimer:
            guard position > 0, case .sendControlFrame(.close, _) = actions[position - 1] else {
                fail("startClosingTimer not right after our close frame")
            }
        case .failed(let violation):
            if failed { fail("second failure") }
            failed = true
            let rest = Array(actions[(position + 1)...])
            let closeAction = WebSocketStateMachine.Action.closeConnection(code: violation.closeCode)
            switch rest.count {
            case 1 where !closeFrames.isEmpty && rest[0] == closeAction: break
            case 2 where closeFrames.isEmpty && rest[1] == closeAction:
                guard case .sendControlFrame(.close, let payload) = rest[0], payload.count >= 2,
                    UInt16(payload[0]) << 8 | UInt16(payload[1]) == violation.closeCode.value
                else { fail("failure \(violation) not followed by its close frame") }
            default: fail("failure \(violation) not followed by exactly its close and closeConnection")
            }
        case .closeConnection(let code):
            guard closeFrames.count == 1 else { fail("closeConnection without one close frame sent") }
            let sent = closeFrames[0]
            let sentCode = sent.count >= 2 ? CloseCode(UInt16(sent[0]) << 8 | UInt16(sent[1])) : nil
            // After a failure the code is the violation's (checked at `.failed`).
            if !failed, code != sentCode {
                fail("closeConnection code \(String(describing: code)) but sent \(hex(sent))")
            }
            connectionClosed = true
        }
    }
    if flags & 1 != 0, delivered > 0 { fail("data delivered after our close") }
    if !failed, !connectionClosed {
        // Nothing refused and no close received: the machine saw what the reference saw.
        if reference.stoppedEarly { fail("the reference stopped at a frame the machine accepted") }
        if flags & 1 == 0, delivered != reference.messages.count {
            fail("\(delivered) messages delivered, the reference completed \(reference.messages.count)")
        }
    }
}

/// An independent, permissive frame walker: the data messages completed in
/// `stream`, in order, unmasked and reassembled. It stops at a close frame, an
/// unknown opcode, a sequencing error or an incomplete frame; it checks no
/// limits, RSV bits, masking rules or UTF-8, so whatever the machine delivers
/// must be a prefix of this list.
private func referenceMessages(
    _ stream: [UInt8]
) -> (messages: [(isText: Bool, bytes: [UInt8])], stoppedEarly: Bool) {
    var messages: [(isText: Bool, bytes: [UInt8])] = []
    var current: (isText: Bool, bytes: [UInt8])?
    var at = 0
    while at + 2 <= stream.count {  // bounded: `at` grows by at least 2
        let fin = stream[at] & 0x80 != 0
        let opcode = stream[at] & 0x0F
        let masked = stream[at + 1] & 0x80 != 0
        var length = Int(stream[at + 1] & 0x7F)
        var headerLength = 2
        if length == 126 {
            guard at + 4 <= stream.count else { break }
            length = Int(stream[at + 2]) << 8 | Int(stream[at + 3])
            headerLength = 4
        } else if length == 127 {
            guard at + 10 <= stream.count else { break }
            var value: UInt64 = 0
            for index in (at + 2)..<(at + 10) { value = value << 8 | UInt64(stream[index]) }
            guard value <= UInt64(stream.count) else { break }
            length = Int(value)
            headerLength = 10
        }
        var key: [UInt8] = [0, 0, 0, 0]
        if masked {
            guard at + headerLength + 4 <= stream.count else { break }
            key = Array(stream[(at + headerLength)..<(at + headerLength + 4)])
            headerLength += 4
        }
        guard at + headerLength + length <= stream.count else { break }
        let start = at + headerLength
        let payload = (0..<length).map { stream[start + $0] ^ key[$0 & 3] }
        at = start + length
        switch opcode {
        case 1, 2:
            guard current == nil else { return (messages, true) }
            current = (isText: opcode == 1, bytes: payload)
        case 0:
            guard current != nil else { return (messages, true) }
            current!.bytes += payload
        case 9, 10:
            continue
        default:
            return (messages, true)
        }
        if fin, let message = current {
            messages.append(message)
            current = nil
        }
    }
    return (messages, false)
}

/// UTF8Validator against the standard library's validator, whole and chunked.
private func checkUTF8Validator(_ bytes: [UInt8], pattern: [UInt8]) {
    let expected = String(validating: bytes, as: UTF8.self) != nil
    if UTF8Validator.isValid(bytes) != expected {
        fatalError("UTF8Validator.isValid says \(!expected) for \(hex(bytes))")
    }
    var validator = UTF8Validator()
    var valid = true
    var offset = 0
    var index = 0
    bytes.withUnsafeBytes { buffer in
        while offset < bytes.count, valid {  // bounded: offset grows by at least 1
            let count = min(chunkSize(pattern, index), bytes.count - offset)
            valid = validator.validate(UnsafeRawBufferPointer(rebasing: buffer[offset..<(offset + count)]))
            offset += count
            index += 1
        }
    }
    if (valid && validator.isComplete) != expected {
        fatalError("chunked UTF8Validator says \(!expected) for \(hex(bytes)) split by \(pattern)")
    }
}

private func hex(_ bytes: some Sequence<UInt8>) -> String {
    bytes.map { ($0 < 16 ? "0" : "") + String($0, radix: 16) }.joined()
}
