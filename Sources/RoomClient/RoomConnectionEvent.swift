import RoomCore
import RoomProtocol

/// The answer to one command.
public enum CommandOutcome: Sendable, Hashable {
    /// The room carried it out; `roundTrip` is the time from sending to the `ack`.
    case accepted(roundTrip: Duration)
    /// The room refused it (`code` from docs/PROTOCOL.md, `message` for a person), or
    /// it was not sent (`not_sent`) or its answer was lost with the connection (`unknown`).
    case refused(code: String, message: String)
}

/// What a ``RoomConnection`` reports, in order, on its own queue.
public enum RoomConnectionEvent: Sendable {
    /// The connection's state changed.
    case state(ConnectionState)
    /// A server message arrived (`raw` is its JSON text); `model` already includes it.
    case message(ServerMessage, raw: String, model: RoomViewModel)
    /// A command was answered.
    case outcome(CommandID, Command, CommandOutcome)
}
