import RoomCore
import RoomProtocol

/// What happened in a room while another room was in front: the unread/activity
/// mark of its tab, cleared when the room comes to the front.
public struct ActivityMarks: Sendable, Hashable {
    /// Chat messages that arrived (group, private and side-room alike).
    public var messages = 0
    /// Someone raised a hand.
    public var hands = false
    /// Someone arrived in the waiting room.
    public var waiting = false
    /// Someone answered or passed a check-in.
    public var checkIn = false

    /// No marks.
    public init() {}

    /// Nothing happened.
    public var isEmpty: Bool { messages == 0 && !hands && !waiting && !checkIn }

    /// The tab's mark: `+3` new messages, `✋` a hand raised, `⌛` a waiting-room
    /// arrival, `✓` check-in answers; "" when nothing happened.
    public var label: String {
        var parts: [String] = []
        if messages > 0 { parts.append("+\(messages)") }
        if hands { parts.append("✋") }
        if waiting { parts.append("⌛") }
        if checkIn { parts.append("✓") }
        return parts.joined(separator: " ")
    }

    /// Adds what `message` shows happened, judged against the room as it was before it
    /// (`before`): a hand is new when its member had none, an arrival when its member
    /// was not waiting.
    public mutating func note(_ message: ServerMessage, before: RoomViewModel) {
        // Only a few of the room's events leave a mark: if-case, not a switch with a
        // default over RoomEvent (every other event, now and added later, leaves none).
        guard case .event(_, _, let event) = message else { return }
        if case .message = event { messages += 1 }
        if case .roster(let roster) = event {
            let raised = Set(before.roster.entries.filter { $0.queuePosition != nil }.map(\.member))
            if roster.entries.contains(where: { $0.queuePosition != nil && !raised.contains($0.member) }) {
                hands = true
            }
        }
        if case .waitingRoom(let entries) = event {
            let present = Set(before.waiting.map(\.member))
            if entries.contains(where: { !present.contains($0.member) }) { waiting = true }
        }
        if case .checkInResponse = event { checkIn = true }
        if case .checkInProgress(let progress) = event {
            let seen = (before.checkInProgress?.answered.count ?? 0) + (before.checkInProgress?.passed.count ?? 0)
            if progress.answered.count + progress.passed.count > seen { checkIn = true }
        }
    }
}
