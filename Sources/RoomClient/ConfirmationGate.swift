import RoomCore

/// Holds back a command that ends something for everyone (`/end`) until the member
/// repeats it within ``window``. Pure: the caller passes the time (its
/// ``ClientScheduler``'s clock), so tests move time by exact amounts.
public struct ConfirmationGate: Sendable {
    /// How long a question stays open. Default 10 s: long enough to read it and type
    /// the command again, short enough that a stray repeat much later asks again.
    public static let window: Duration = .seconds(10)

    /// What `/end` asks.
    public static let endQuestion =
        "End the session for everyone? Type /end again within 10 s to confirm (/end! ends at once)."

    /// The command asked about and when (local ms), until confirmed, lapsed or replaced.
    private var asked: (command: Command, at: Int64)?

    /// No open question.
    public init() {}

    /// The command the gate is asking about, if a question is open at `now`.
    public func pending(at now: Int64) -> Command? {
        guard let asked, now - asked.at <= Self.window.milliseconds else { return nil }
        return asked.command
    }

    /// Passes `input` through, except a ``ParsedInput/confirm(_:question:)``: the same
    /// command again within ``window`` of the question becomes ``ParsedInput/command(_:)``;
    /// otherwise it stays a question (the caller shows it) and opens a new window. Any
    /// other input (but an empty line) closes an open question.
    public mutating func resolve(_ input: ParsedInput, at now: Int64) -> ParsedInput {
        switch input {
        case .confirm(let command, _):
            if pending(at: now) == command {
                asked = nil
                return .command(command)
            }
            asked = (command, now)
            return input
        case .nothing:
            return input
        case .command, .help, .quit, .invalid:
            asked = nil
            return input
        }
    }
}
