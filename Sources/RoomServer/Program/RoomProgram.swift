import ProgramCore

/// The program a room belongs to, from the `schedule:` and `roster:` keys of
/// its entry in `Config/rooms.yaml`. Both are optional: a room without a
/// schedule behaves as it always did (a session starts when a facilitator
/// arrives), and a room without a roster expects no one in particular.
public struct RoomProgram: Sendable {
    /// The room's weekly schedule, program dates and exceptions, if it has one.
    public var schedule: Schedule?
    /// Who is enrolled, if the room has a roster.
    public var roster: Roster?
    /// Let the enrolled members expected at the session whose waiting room is open in as
    /// soon as they accept the agreement (`policy.autoAdmitEnrolled`). Default `false`.
    public var autoAdmitEnrolled = false

    /// Creates a program.
    public init(schedule: Schedule? = nil, roster: Roster? = nil, autoAdmitEnrolled: Bool = false) {
        self.schedule = schedule
        self.roster = roster
        self.autoAdmitEnrolled = autoAdmitEnrolled
    }
}
