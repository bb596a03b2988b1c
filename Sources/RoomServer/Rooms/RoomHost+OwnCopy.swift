import RoomCore

/// `iop.v2` on the wire (docs/PROTOCOL.md, "Versions"): the room marks the sender's
/// copy of a message its command posted (`Delivery.ownCopy`); a member whose
/// connection chose `iop.v2` gets that copy with the command's `"ack"` instead of a
/// separate `ack` (`deliver` in `RoomHost.swift`). A v1 connection gets both, as always.
extension RoomHost {
    /// Whether `member`'s connection speaks `iop.v2` and one of `effects` delivers its own
    /// copy of what command `id` posted: then that copy is the acknowledgement.
    func ownCopyAnswers(_ id: CommandID, of member: MemberID, in effects: [Effect]) -> Bool {
        guard current[member]?.ownCopyAcks == true else { return false }
        let answer = OwnCopy(member: member, command: id)
        return effects.contains { effect in
            guard case .deliver(let delivery) = effect else { return false }
            return delivery.ownCopy == answer
        }
    }
}
