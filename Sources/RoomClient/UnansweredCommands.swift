import RoomCore
import RoomProtocol

/// Commands whose answer a dropped connection took with it, kept until the room has
/// had its say on the next connection. Under `iop.v2` the events replayed on resuming
/// include the member's own copy of a message it posted, still carrying the command's
/// id (docs/PROTOCOL.md, "Versions"): that command was carried out. The rest are
/// unknown once the new connection's `ping` (sent on connecting, after the replay) is
/// answered, or when the connection ends for good.
struct UnansweredCommands {
    /// Each command and when it was sent (ms, the scheduler's clock).
    private(set) var commands: [CommandID: (command: Command, sentAt: Int64)] = [:]
    /// The `ping` the new connection sent to learn that the replay is over.
    var resumePing: CommandID?

    var isEmpty: Bool { commands.isEmpty }

    /// Keeps what a dropped connection left unanswered (the client's own pings aside).
    mutating func keep(_ pending: [CommandID: (Command, Int64)]) {
        for (id, (command, sentAt)) in pending where command != .ping { commands[id] = (command, sentAt) }
    }

    /// The command `id` was answered after all (a replayed own copy): taken out.
    mutating func answered(_ id: CommandID) -> (command: Command, sentAt: Int64)? {
        commands.removeValue(forKey: id)
    }

    /// Everything still unanswered, in id order, forgotten: their outcome is unknown.
    mutating func takeAll() -> [(id: CommandID, command: Command)] {
        let all = commands.sorted { $0.key.rawValue < $1.key.rawValue }.map { (id: $0.key, command: $0.value.command) }
        commands = [:]
        resumePing = nil
        return all
    }
}

extension ServerFrame {
    /// The command this frame answers: its acknowledgement (an `ack`, or an own copy
    /// under iop.v2) or an `error` with an id.
    var answers: CommandID? {
        if let id = acknowledges { return id }
        guard case .error(_, _, let id?) = message else { return nil }
        return id
    }
}
