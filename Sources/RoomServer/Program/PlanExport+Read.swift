import ProgramCore

extension PlanExport {
    /// The export `iopctl attendance export --against-plan` writes, read from
    /// the records at `location` as of `asOf` (milliseconds since the Unix
    /// epoch: sessions starting later are not due yet, stays still open end
    /// there): the room's program as last stored at run time, else
    /// `fileProgram` (the rooms file's); its attendance records around
    /// `first`...`last` (``recordPeriod(from:to:)``); the absence reasons
    /// recorded in the room, overridden by `overrides` (an `--absences` file).
    public static func read(
        records location: RecordsLocation, room: String, fileProgram: RoomProgram?, overrides: [AbsenceNote] = [],
        from first: LocalDate, to last: LocalDate, asOf: Int64, rules: PlanRules = PlanRules(),
        attendance: AttendanceRules
    ) throws -> PlanExport {
        let stored = try stored(from: location, room: room)
        let input = try AttendanceReport.Input.read(
            from: location, room: room, period: recordPeriod(from: first, to: last), rules: attendance)
        return try PlanExport(
            room: room, program: stored.program ?? fileProgram, input: input,
            absences: merged(recorded: stored.absences, overrides: overrides), from: first, to: last, asOf: asOf,
            rules: rules)
    }
}
