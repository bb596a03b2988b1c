/// An event stamped with the room's sequence number and the server time.
public struct EventEnvelope: Hashable, Sendable {
    /// The per-room sequence number, increasing by one per event.
    public var sequence: SequenceNumber
    /// Server time when the event was produced.
    public var time: Timestamp
    /// The event.
    public var event: RoomEvent

    /// Creates a value from all of its fields.
    public init(sequence: SequenceNumber, time: Timestamp, event: RoomEvent) {
        self.sequence = sequence
        self.time = time
        self.event = event
    }
}

/// An event and the exact members to send it to.
///
/// The room has already resolved the audience, so the server encodes the
/// envelope once and sends the same bytes to every listed member.
public struct Delivery: Hashable, Sendable {
    /// The event.
    public var envelope: EventEnvelope
    /// The connected members to send it to, never empty, in roster order.
    public var recipients: [MemberID]
    /// Set when one recipient is the sender of the command that posted this event and
    /// gets it as part of that command's answer (a chat message its sender also
    /// receives). The room still answers the command with ``Effect/acknowledge(_:to:)``;
    /// whether that member's copy carries the command's id instead of a separate
    /// acknowledgement is the wire protocol's choice, per connection.
    public var ownCopy: OwnCopy?

    /// Creates a value from all of its fields.
    public init(envelope: EventEnvelope, recipients: [MemberID], ownCopy: OwnCopy? = nil) {
        self.envelope = envelope
        self.recipients = recipients
        self.ownCopy = ownCopy
    }
}

/// Which recipient of a ``Delivery`` sent the command that posted it, and that command's id.
public struct OwnCopy: Hashable, Sendable {
    /// The sender, one of the delivery's recipients.
    public var member: MemberID
    /// The id of the sender's command (the one its acknowledgement names).
    public var command: CommandID

    /// Creates a value from all of its fields.
    public init(member: MemberID, command: CommandID) {
        self.member = member
        self.command = command
    }
}

/// A timer the room asked for; the server calls ``Room/timerFired(_:at:)`` with it.
///
/// Scheduling an id that is already scheduled replaces it. A timer that fires
/// after it stopped mattering is ignored by the room.
public enum TimerID: Hashable, Sendable {
    /// The reconnect window of a member whose connection was lost.
    case reconnectWindow(MemberID)
    /// The timeout of a check-in round.
    case checkInDeadline(round: UInt64)
    /// The end of the given phase of an exercise run.
    case exercisePhase(run: UInt64, phase: Int)
    /// The planned end of an agenda item (counted per start).
    case agendaItem(run: UInt64)
    /// The next idle check of a member (warning or log-off), see ``IdleLogoff``.
    case idleCheck(MemberID)
    /// The end of a lost connection's presence grace (``RoomPolicy/presenceGrace``).
    case presenceGrace(MemberID)
    /// The timeout of a poll.
    case pollDeadline(poll: UInt64)
    /// The end of a breakout's countdown.
    case breakoutEnd(run: UInt64)
}

/// Why the room closes a member's connection.
public enum DisconnectReason: Hashable, Sendable {
    /// A facilitator removed the member for the rest of the session.
    case removed
    /// A facilitator declined the member's admission.
    case declined
    /// The session ended.
    case sessionEnded
    /// The same member connected again; this older connection is closed.
    case replacedByNewerConnection
    /// No command from the member for the idle log-off time (unattended device).
    case idleLoggedOff
    /// The connection was refused on arrival (full, locked, removed, ended...).
    case refused(RoomError)
}

/// How a member's connection ended, as the server observed it.
public enum DisconnectCause: Hashable, Sendable {
    /// The client closed cleanly: the member left; no reconnect window.
    case closedByClient
    /// The connection broke: the member keeps their place for the reconnect window.
    case connectionLost
}

/// What the room asks the server to do.
public enum Effect: Hashable, Sendable {
    /// Send this event to these members.
    case deliver(Delivery)
    /// Tell the member their command succeeded.
    case acknowledge(CommandID, to: MemberID)
    /// Tell the member their command was refused, and why.
    case refuse(CommandID, to: MemberID, RoomError)
    /// Call ``Room/timerFired(_:at:)`` with this id at this instant.
    case scheduleTimer(TimerID, at: Timestamp)
    /// Forget a scheduled timer.
    case cancelTimer(TimerID)
    /// Close this connection of this member, giving the reason.
    case disconnect(MemberID, ConnectionID, DisconnectReason)
    /// Keep this record durably (attendance, moderation audit, retained scores).
    case record(Record)
}
