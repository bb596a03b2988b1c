/// One endpoint of one WebSocket connection, as a pure state machine: bytes in,
/// actions out (RFC 6455 §5, §7).
///
/// It reassembles fragmented messages, validates text as UTF-8 as it arrives
/// (failing on the first bad byte), answers pings, runs the closing handshake
/// and fails the connection with the right close code on any violation. It
/// reads no clock and does no I/O: the transport carries out the actions.
public struct WebSocketStateMachine: Sendable {
    /// Which side of the connection this is.
    public enum Role: Sendable, Hashable {
        /// Reads masked frames, writes unmasked ones.
        case server
        /// Reads unmasked frames, writes masked ones.
        case client
    }

    /// What the transport must do next, in order.
    public enum Action: Sendable, Hashable {
        /// Hand a complete message to the application.
        case deliver(WebSocketMessage)
        /// Send a control frame with this payload (a pong, or a close).
        case sendControlFrame(Opcode, payload: [UInt8])
        /// We sent a close: close the TCP connection if the reply takes too long.
        case startClosingTimer
        /// The peer broke the protocol; a close frame with `closeCode` is already queued.
        case failed(ProtocolViolation)
        /// Close the TCP connection once queued bytes are written. `code` is the
        /// close code of the handshake (`nil` when the close frame had none).
        case closeConnection(code: CloseCode?)
    }

    enum CloseState: Sendable {
        case open
        case closeSent(CloseCode?)
        case closed
    }

    /// A data message being reassembled (inflated as it arrives when compressed).
    struct PartialMessage: Sendable {
        var isText: Bool
        var bytes: [UInt8] = []
        var validator = UTF8Validator()
        /// RSV1 was set on its first frame (RFC 7692 §6).
        var isCompressed = false
        /// Compressed payload bytes received so far.
        var compressedCount = 0
        /// Bytes reserved from the allowance for `bytes` (its capacity).
        var charged = 0
    }

    /// This endpoint's role.
    public let role: Role
    let limits: WebSocketLimits
    private var parser: FrameParser
    var closeState = CloseState.open
    var message: PartialMessage?
    /// Inflates compressed messages when permessage-deflate was negotiated; nil otherwise.
    let inflater: (any MessageInflater)?
    /// Asked before a message buffer grows; nil: no accounting (buffers bounded by `limits` only).
    let allowance: (any BufferAllowance)?
    private var controlPayload: [UInt8] = []
    private var currentHeader: FrameHeader?
    /// The reason text of the close frame the peer sent (empty if none or none yet).
    public internal(set) var peerCloseReason = ""

    /// Creates the machine for a connection whose opening handshake is done.
    /// With an `inflater` (permessage-deflate negotiated, RFC 7692), RSV1 is
    /// allowed on the first frame of a data message and such messages are inflated.
    /// With an `allowance`, every growth of a message buffer (reassembly or
    /// inflation) is reserved from it first, and a refusal fails the
    /// connection with 1013 (`.memoryBudgetExhausted`).
    public init(
        role: Role, limits: WebSocketLimits = WebSocketLimits(), inflater: (any MessageInflater)? = nil,
        allowance: (any BufferAllowance)? = nil
    ) {
        self.role = role
        self.limits = limits
        self.inflater = inflater
        self.allowance = allowance
        parser = FrameParser(
            expectsMaskedFrames: role == .server, maxFramePayloadLength: limits.maxFramePayloadLength)
        if inflater != nil { parser.allowedReservedBits = FrameHeader.rsv1 }
    }

    /// Whether data messages may still be sent (no close sent or received).
    public var canSendMessages: Bool {
        if case .open = closeState { return true }
        return false
    }

    /// Whether the connection is finished: the transport should read no more.
    public var isClosed: Bool {
        if case .closed = closeState { return true }
        return false
    }

    /// RSV bits a negotiated extension may set (RFC 6455 §5.2); none by default.
    public var allowedReservedBits: UInt8 {
        get { parser.allowedReservedBits }
        set { parser.allowedReservedBits = newValue }
    }

    /// Consumes bytes read from the peer (unmasking them in place) and appends
    /// the resulting actions.
    public mutating func receive(
        _ bytes: UnsafeMutableRawBufferPointer, into actions: inout [Action]
    ) {
        var input = bytes
        do {
            while !isClosed, let event = try parser.next(&input) {
                try handle(event, into: &actions)
            }
        } catch {
            fail(error, into: &actions)
        }
    }

    /// Starts the closing handshake (§7.1.2). Does nothing if one is under way.
    public mutating func close(code: CloseCode?, reason: String = "", into actions: inout [Action]) {
        guard case .open = closeState else { return }
        closeState = .closeSent(code)
        actions.append(
            .sendControlFrame(.close, payload: FrameEncoder.closePayload(code: code, reason: reason)))
        actions.append(.startClosingTimer)
    }

    private mutating func handle(
        _ event: FrameParser.Event, into actions: inout [Action]
    ) throws(ProtocolViolation) {
        switch event {
        case .frameStart(let header):
            try start(header)
        case .payload(let chunk):
            try append(chunk, into: &actions)
        case .frameEnd(let header):
            try end(header, into: &actions)
        }
    }

    private mutating func start(_ header: FrameHeader) throws(ProtocolViolation) {
        let compressed = header.reservedBits & FrameHeader.rsv1 != 0
        switch header.opcode {
        case .continuation:
            guard let message else { throw .continuationWithoutStart }
            if compressed { throw .compressedContinuation }
            if message.isCompressed {
                try checkCompressedLength(header.payloadLength, after: message.compressedCount)
            } else if header.payloadLength > limits.maxMessageLength - message.bytes.count {
                throw .messageTooBig
            }
        case .text, .binary:
            guard message == nil else { throw .newMessageInsideFragmentedMessage }
            if compressed {
                guard inflater != nil else { throw .reservedBitsSet(header.reservedBits) }
                try checkCompressedLength(header.payloadLength, after: 0)
            } else if header.payloadLength > limits.maxMessageLength {
                throw .messageTooBig
            }
            message = PartialMessage(isText: header.opcode == .text, isCompressed: compressed)
        case .close, .ping, .pong:
            if compressed { throw .compressedControlFrame }
            controlPayload.removeAll(keepingCapacity: true)
        }
        currentHeader = header
    }

    private mutating func append(
        _ chunk: UnsafeRawBufferPointer, into actions: inout [Action]
    ) throws(ProtocolViolation) {
        guard let header = currentHeader else { return }
        if header.opcode.isControl {
            controlPayload.append(contentsOf: chunk)
            return
        }
        guard var partial = message else { return }
        message = nil  // keep the buffer uniquely referenced while appending
        do throws(ProtocolViolation) {
            if partial.isCompressed {
                try inflate(chunk, into: &partial)
                message = partial
                return
            }
            if partial.isText, !partial.validator.validate(chunk) { throw .invalidUTF8 }
            if partial.bytes.isEmpty, header.fin, chunk.count == header.payloadLength {
                // A whole unfragmented message in one read: deliver without buffering.
                try deliver(from: chunk, partial: partial, into: &actions)
                return
            }
            try makeRoom(in: &partial.bytes, charged: &partial.charged, for: chunk.count)
            partial.bytes.append(contentsOf: chunk)
            message = partial
        } catch {
            releaseCharge(of: partial)
            throw error
        }
    }

    private mutating func end(
        _ header: FrameHeader, into actions: inout [Action]
    ) throws(ProtocolViolation) {
        currentHeader = nil
        if header.opcode.isControl {
            try handleControl(header.opcode, payload: controlPayload, into: &actions)
            return
        }
        guard header.fin, var partial = message else { return }
        message = nil
        defer { releaseCharge(of: partial) }
        if partial.isCompressed { try finishInflating(&partial) }
        try partial.bytes.withUnsafeBytes { bytes in
            Result { () throws(ProtocolViolation) in
                try deliver(from: bytes, partial: partial, into: &actions)
            }
        }.get()
    }

    private func deliver(
        from bytes: UnsafeRawBufferPointer, partial: PartialMessage, into actions: inout [Action]
    ) throws(ProtocolViolation) {
        guard canSendMessages else { return }  // data after our close is discarded
        if partial.isText {
            guard partial.validator.isComplete else { throw .invalidUTF8 }
            actions.append(.deliver(.text(String(decoding: bytes, as: UTF8.self))))
        } else {
            actions.append(.deliver(.binary(Array(bytes))))
        }
    }
}
