/// The opaque identifier of an authenticated member, taken from their token.
///
/// Member ids are opaque on purpose: people know each other by alias only.
public struct MemberID: Hashable, Comparable, Sendable, CustomStringConvertible,
    ExpressibleByStringLiteral
{
    /// The raw identifier as issued in the token.
    public let rawValue: String

    /// Wraps a raw identifier.
    public init(_ rawValue: String) { self.rawValue = rawValue }

    /// Wraps a string literal, handy in tests and fixtures.
    public init(stringLiteral value: String) { self.rawValue = value }

    /// The raw identifier (opaque, never an alias).
    public var description: String { rawValue }

    /// Orders ids by their raw value, for deterministic listings.
    public static func < (lhs: MemberID, rhs: MemberID) -> Bool { lhs.rawValue < rhs.rawValue }
}

/// The identifier a client gives each command, echoed in its acknowledgement or refusal.
public struct CommandID: Hashable, Sendable, CustomStringConvertible, ExpressibleByStringLiteral {
    /// The raw identifier chosen by the client.
    public let rawValue: String

    /// Wraps a raw identifier.
    public init(_ rawValue: String) { self.rawValue = rawValue }

    /// Wraps a string literal.
    public init(stringLiteral value: String) { self.rawValue = value }

    /// The raw identifier.
    public var description: String { rawValue }
}

/// The server's identifier for one transport connection of a member.
///
/// A member may reconnect on a new connection before the old one is noticed
/// dead; the connection id lets the room ignore a late disconnect of the old one.
public struct ConnectionID: Hashable, Sendable, CustomStringConvertible {
    /// The raw number the server chose.
    public let rawValue: UInt64

    /// Wraps a raw number.
    public init(_ rawValue: UInt64) { self.rawValue = rawValue }

    /// The raw number in decimal.
    public var description: String { String(rawValue) }
}

/// Identifies one message within a room's session (assigned by the room, counting from 1).
public struct MessageID: Hashable, Comparable, Sendable, CustomStringConvertible {
    /// The raw counter value.
    public let rawValue: UInt64

    /// Wraps a raw counter value.
    public init(_ rawValue: UInt64) { self.rawValue = rawValue }

    /// The raw number in decimal.
    public var description: String { String(rawValue) }

    /// Orders by creation.
    public static func < (lhs: MessageID, rhs: MessageID) -> Bool { lhs.rawValue < rhs.rawValue }
}

/// Identifies one crisis alert within a room's session (assigned by the room).
public struct AlertID: Hashable, Sendable, CustomStringConvertible {
    /// The raw counter value.
    public let rawValue: UInt64

    /// Wraps a raw counter value.
    public init(_ rawValue: UInt64) { self.rawValue = rawValue }

    /// The raw number in decimal.
    public var description: String { String(rawValue) }
}

/// The role a member holds in a room, from their token.
public enum Role: String, Hashable, Sendable, CaseIterable {
    /// A person in treatment attending the group.
    case participant
    /// A clinician running the group; a room may have several.
    case facilitator
}

/// An authenticated member as the server hands it to the room.
public struct MemberIdentity: Hashable, Sendable {
    /// The opaque member id.
    public var id: MemberID
    /// The display alias other members see.
    public var alias: String
    /// The member's role.
    public var role: Role

    /// Creates an identity.
    public init(id: MemberID, alias: String, role: Role) {
        self.id = id
        self.alias = alias
        self.role = role
    }
}

/// A per-room event sequence number; the first event of a session is 1.
public typealias SequenceNumber = UInt64
