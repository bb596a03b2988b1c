import RoomCore

/// A decoded client command: its id and the RoomCore command.
public struct ClientEnvelope: Sendable, Hashable {
    /// The client-chosen id the acknowledgement or refusal refers to.
    public let id: CommandID
    /// The command.
    public let command: Command

    /// Wraps a command with its id.
    public init(id: CommandID, command: Command) {
        self.id = id
        self.command = command
    }
}

extension CommandID {
    /// The longest command id, in bytes.
    static let maximumLength = 64

    /// 1 to 64 printable ASCII characters (`!` to `~`, no space): safe to echo and to log.
    var isValidOnWire: Bool {
        let bytes = rawValue.utf8
        return (1...Self.maximumLength).contains(bytes.count) && bytes.allSatisfy { (0x21...0x7E).contains($0) }
    }
}
