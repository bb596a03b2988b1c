extension WebSocketStateMachine {
    /// Acts on a complete control frame (§5.5).
    mutating func handleControl(
        _ opcode: Opcode, payload: [UInt8], into actions: inout [Action]
    ) throws(ProtocolViolation) {
        switch opcode {
        case .ping:
            // §5.5.2: answer with a pong carrying the same payload, unless the
            // peer's close already arrived (then nothing more is read at all).
            if !isClosed { actions.append(.sendControlFrame(.pong, payload: payload)) }
        case .close:
            try receivedClose(payload, into: &actions)
        default:
            break  // §5.5.3: an unsolicited pong needs no answer.
        }
    }

    /// The peer's close frame: echo it, or finish the handshake we started (§5.5.1).
    private mutating func receivedClose(
        _ payload: [UInt8], into actions: inout [Action]
    ) throws(ProtocolViolation) {
        if case .closeSent(let sent) = closeState {
            if payload.count > 2, UTF8Validator.isValid(payload[2...]) {
                peerCloseReason = String(decoding: payload[2...], as: UTF8.self)
            }
            closeState = .closed
            actions.append(.closeConnection(code: sent))
            return
        }
        let code = try Self.validateClosePayload(payload)
        peerCloseReason = payload.count > 2 ? String(decoding: payload[2...], as: UTF8.self) : ""
        closeState = .closed
        let echo = code.map { [UInt8($0.value >> 8), UInt8(truncatingIfNeeded: $0.value)] } ?? []
        actions.append(.sendControlFrame(.close, payload: echo))
        actions.append(.closeConnection(code: code))
    }

    /// Checks a close payload: empty, or a valid code and a UTF-8 reason (§5.5.1, §7.4).
    static func validateClosePayload(_ payload: [UInt8]) throws(ProtocolViolation) -> CloseCode? {
        if payload.isEmpty { return nil }
        guard payload.count >= 2 else { throw .invalidClosePayloadLength }
        let raw = UInt16(payload[0]) << 8 | UInt16(payload[1])
        let code = CloseCode(raw)
        guard code.isValidOnWire else { throw .invalidCloseCode(raw) }
        guard UTF8Validator.isValid(payload[2...]) else { throw .invalidCloseReasonUTF8 }
        return code
    }

    /// Fails the connection (§7.1.7): a close frame with the violation's code, then TCP close.
    mutating func fail(_ violation: ProtocolViolation, into actions: inout [Action]) {
        let alreadyClosing = !canSendMessages
        closeState = .closed
        dropPartialMessage()  // nothing more is read: its buffer and reservation go now
        actions.append(.failed(violation))
        if !alreadyClosing {
            let payload = FrameEncoder.closePayload(
                code: violation.closeCode, reason: violation.description)
            actions.append(.sendControlFrame(.close, payload: payload))
        }
        actions.append(.closeConnection(code: violation.closeCode))
    }
}
