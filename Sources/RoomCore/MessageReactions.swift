/// Who reacted how to each group message still in the history: one reaction of
/// each kind per member per message. Bounded: the room forgets a message's
/// reactions when the message is withdrawn or leaves the history, and all of
/// them at the session's end. A small state machine the room composes.
struct MessageReactions: Sendable, Equatable {
    /// Per message, per kind, who reacted, in the order they did.
    private(set) var byMessage: [MessageID: [ReactionKind: [MemberID]]] = [:]

    func has(_ member: MemberID, reacted kind: ReactionKind, to message: MessageID) -> Bool {
        byMessage[message]?[kind]?.contains(member) ?? false
    }

    /// Adds a reaction (the room checked it is not there yet).
    mutating func add(_ kind: ReactionKind, by member: MemberID, to message: MessageID) {
        byMessage[message, default: [:]][kind, default: []].append(member)
    }

    /// Takes a reaction back (the room checked it is there).
    mutating func remove(_ kind: ReactionKind, by member: MemberID, from message: MessageID) {
        guard var kinds = byMessage[message] else { return }
        kinds[kind]?.removeAll { $0 == member }
        if kinds[kind]?.isEmpty == true { kinds[kind] = nil }
        byMessage[message] = kinds.isEmpty ? nil : kinds
    }

    /// Who reacted to `message`, per kind.
    func reactors(of message: MessageID) -> [ReactionKind: [MemberID]] { byMessage[message] ?? [:] }

    /// Forgets one message's reactions (withdrawn).
    mutating func forget(_ message: MessageID) { byMessage[message] = nil }

    /// Forgets the reactions of every message older than `oldest` (they left the
    /// history). Looks before it copies: most posts drop nothing that had reactions.
    mutating func forget(before oldest: MessageID) {
        guard byMessage.keys.contains(where: { $0 < oldest }) else { return }
        byMessage = byMessage.filter { $0.key >= oldest }
    }

    /// Forgets everything (session end).
    mutating func removeAll() { byMessage.removeAll() }
}
