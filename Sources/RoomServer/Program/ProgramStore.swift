import RoomCore

/// Where programs changed at run time are kept, with the audit of every
/// change. `DatabaseRecordStore` keeps them in the records database (SQLite
/// or PostgreSQL).
public protocol ProgramStore: Sendable {
    /// Every stored program as its JSON document, by room id (read at start-up).
    func storedPrograms() throws -> [String: String]
    /// The stored program of `room` as its JSON document, if it has one (another node changed it).
    func storedProgram(_ room: String) throws -> String?
    /// Replaces the program of `room` with `document` and appends `change` to
    /// the program audit, in one transaction; durable when it returns.
    func storeProgram(_ document: String, room: String, change: ProgramChange) throws
    /// Keeps an issued invitation (`tokenID` of `change.member` in `room`,
    /// valid until `expires`) with its audit row (`invited`).
    func storeInvitation(tokenID: String, room: String, expires: Timestamp, change: ProgramChange) throws
    /// The ids of the member's invitations to `room` not yet revoked.
    func openInvitations(room: String, member: String) throws -> [String]
    /// Marks the member's open invitations to `room` revoked, with the audit row
    /// `change` (`invitation_revoked`); returns their ids.
    func revokeInvitations(room: String, change: ProgramChange) throws -> [String]
}

/// One audited change of a room's program: who, what, to whom, when. Never content.
public struct ProgramChange: Sendable, Hashable {
    /// What was changed.
    public enum Action: String, Sendable, Hashable, CaseIterable {
        /// The schedule was set or replaced.
        case scheduleSet = "schedule_set"
        /// A member was enrolled.
        case enrolled
        /// A member was discharged.
        case discharged
        /// An invitation was issued to a member.
        case invited
        /// A member's invitations were revoked (re-issue, revoke, or discharge).
        case invitationRevoked = "invitation_revoked"
        /// A room was created through the admin API.
        case roomCreated = "room_created"
        /// A room's definition (title, kind, capacity, policy) was changed.
        case roomChanged = "room_changed"
    }

    /// The operator's id (`sub` of their token).
    public var actor: String
    /// What was changed.
    public var action: Action
    /// The member enrolled or discharged; nil for a schedule.
    public var member: String?
    /// When.
    public var at: Timestamp

    /// Creates a change.
    public init(actor: String, action: Action, member: String? = nil, at: Timestamp) {
        self.actor = actor
        self.action = action
        self.member = member
        self.at = at
    }
}
