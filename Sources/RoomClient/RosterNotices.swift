import RoomCore

/// The room's life as quiet lines: who joined, was admitted, left, dropped and came
/// back, stepped away, arrived in the waiting room, and who has the floor. Computed
/// from the roster and waiting room before and after an event (the server sends the
/// lists, not the changes); the member's own changes are left out, except the floor.
public enum RosterNotices {
    /// The notices `event` makes, given the model as it was before it.
    public static func lines(before model: RoomViewModel, _ event: RoomEvent) -> [String] {
        guard case .inRoom = model.stage else { return [] }
        switch event {
        case .roster(let roster): return rosterLines(model, roster)
        case .waitingRoom(let entries):
            let known = Set(model.waiting.map(\.member))
            return entries.filter { !known.contains($0.member) }.map {
                "\(EventText.plain($0.alias)) is in the waiting room."
            }
        default: return []
        }
    }

    private static func rosterLines(_ model: RoomViewModel, _ roster: Roster) -> [String] {
        let me = model.me?.id
        let before = Dictionary(model.roster.entries.map { ($0.member, $0) }, uniquingKeysWith: { first, _ in first })
        let after = Set(roster.entries.map(\.member))
        var lines: [String] = []
        for entry in roster.entries where entry.member != me {
            let name = EventText.plain(entry.alias)
            guard let old = before[entry.member] else {
                let admitted = entry.role == .participant && model.role == .facilitator
                lines.append(admitted ? "\(name) was admitted." : "\(name) joined the group.")
                continue
            }
            if let change = presenceChange(name, from: old.presence, to: entry.presence) { lines.append(change) }
        }
        for entry in model.roster.entries where entry.member != me && !after.contains(entry.member) {
            lines.append("\(EventText.plain(entry.alias)) left.")
        }
        if roster.floor != model.roster.floor {
            if let holder = roster.floor {
                lines.append(
                    holder == me
                        ? "You have the floor." : "\(EventText.plain(model.aliasIn(roster, holder))) has the floor.")
            } else if model.roster.floor == me {
                lines.append("You no longer have the floor.")
            } else {
                lines.append("The floor is open.")
            }
        }
        return lines
    }

    private static func presenceChange(_ name: String, from old: Presence, to new: Presence) -> String? {
        switch (old, new) {
        case (.reconnecting, .here), (.away, .here): "\(name) is back."
        case (.here, .reconnecting), (.away, .reconnecting): "\(name)'s connection dropped; their place is kept."
        case (.here, .away): "\(name) stepped away."
        case (.here, .here), (.away, .away), (.reconnecting, .reconnecting), (.reconnecting, .away),
            (.inSideRoom, _), (_, .inSideRoom):
            nil
        }
    }
}

extension RoomViewModel {
    /// A member's alias in `roster`, else as the model knows it.
    func aliasIn(_ roster: Roster, _ member: MemberID) -> String {
        roster.entries.first { $0.member == member }?.alias ?? alias(of: member)
    }
}
