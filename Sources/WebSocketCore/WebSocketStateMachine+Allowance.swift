extension WebSocketStateMachine {
    /// The first reservation for a message buffer: small messages that arrive
    /// in pieces take one reservation, not one per piece.
    static let minimumReservation = 4096

    /// Makes room for `extra` more bytes in `buffer`, asking the allowance
    /// first: capacity grows by doubling (capped at the message limit), each
    /// step reserved before it is allocated, and `charged` says how much is
    /// reserved for `buffer`. Without an allowance, the buffer grows as arrays do.
    /// Throws `.memoryBudgetExhausted` (1013) when the allowance refuses.
    func makeRoom(in buffer: inout [UInt8], charged: inout Int, for extra: Int) throws(ProtocolViolation) {
        guard let allowance else { return }
        let needed = buffer.count + extra
        guard needed > charged else { return }
        let doubled = min(max(charged * 2, Self.minimumReservation), limits.maxMessageLength)
        let target = max(needed, doubled)
        guard allowance.reserve(target - charged) else { throw .memoryBudgetExhausted }
        charged = target
        buffer.reserveCapacity(target)
    }

    /// Gives back what a message buffer had reserved (it is delivered or dropped).
    func releaseCharge(of partial: PartialMessage) {
        if partial.charged > 0 { allowance?.release(partial.charged) }
    }

    /// Drops the message being reassembled, if any, and gives back its reservation.
    mutating func dropPartialMessage() {
        guard let partial = message else { return }
        message = nil
        releaseCharge(of: partial)
    }
}
