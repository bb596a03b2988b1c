import ArgumentParser
import Foundation
import OperatorClient
import ProgramCore
import RoomServer

/// `iopctl attendance ...`
struct Attendance: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Export attendance for clinical documentation and billing.", subcommands: [ExportAttendance.self])
}

/// `iopctl attendance export`: reads the records database the settings name
/// (`records.sqlite` read-only, or PostgreSQL), fine while iopd runs.
struct ExportAttendance: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "export",
        abstract: "Write one room's attendance: per member per session, per day, or per ISO week.",
        discussion: """
            Sessions that started between --from and --to (both included, in attendance.timeZone)
            are counted. CSV (RFC 4180) holds one table, chosen with --table; JSON holds all three.
            Members appear by their opaque member id: records keep no alias, so the clinic maps
            ids to people. Minimums and the time zone come from the attendance.* settings.
            With --against-plan: every enrolled member at every scheduled session of the room's
            program (schedule: and roster: in the rooms file), dated --from to --to in the
            schedule's time zone; --table sessions, weeks or members; JSON holds all three.
            """)

    @Option(help: "Room id, as in Config/rooms.yaml.")
    var room: String

    @Option(help: "First day, YYYY-MM-DD.")
    var from: String

    @Option(help: "Last day, YYYY-MM-DD (included).")
    var to: String

    @Option(help: "csv or json.")
    var format = "csv"

    @Option(help: "For CSV: sessions (one row per member per session), days or weeks.")
    var table = "sessions"

    @Option(help: "The server's data folder (where records.sqlite lives); default server.dataDirectory.")
    var dataDir: String?

    @Option(help: "YAML configuration file, as for iopd (attendance.* settings).")
    var config = "Config/iopd.yaml"

    @Option(help: "Write here instead of standard output (created with mode 0600).")
    var output: String?

    @Flag(help: "Attendance against the room's program: its schedule and roster in the rooms file.")
    var againstPlan = false

    @Option(
        help:
            "With --against-plan: absence reasons (lines of member,session,reason) that override those recorded in the room."
    )
    var absences: String?

    @Option(help: "With --against-plan: the rooms file; default rooms.file.")
    var rooms: String?

    @Option(help: "With --against-plan: minutes after the start an arrival is still on time.")
    var lateGrace = PlanRules().lateGraceMinutes

    @Option(help: "With --against-plan: minutes before the end a departure is still not early.")
    var earlyLeaveGrace = PlanRules().earlyLeaveGraceMinutes

    @Option(help: "With --against-plan: the weekly hours promised, MIN-MAX.")
    var weeklyHours = "\(PlanRules().minimumWeeklyHours)-\(PlanRules().maximumWeeklyHours)"

    @OptionGroup var source: RecordsSourceOptions

    func validate() throws {
        guard ["csv", "json"].contains(format) else { throw ValidationError("--format must be csv or json") }
        guard againstPlan || AttendanceTable(rawValue: table) != nil else {
            throw ValidationError("--table must be sessions, days or weeks")
        }
        guard !againstPlan || PlanTable(rawValue: table) != nil else {
            throw ValidationError("--table must be sessions, weeks or members with --against-plan")
        }
        _ = try planRules()
        guard let first = CalendarDay(parsing: from), let last = CalendarDay(parsing: to) else {
            throw ValidationError("--from and --to must be dates like 2026-11-24")
        }
        guard first <= last else { throw ValidationError("--from must not be after --to") }
        guard source.server == nil || !againstPlan else {
            throw ValidationError("--against-plan reads the rooms file here: not with --server")
        }
    }

    func run() async throws {
        if let client = try source.client() {
            let query = "from=\(from)&to=\(to)&format=\(format)&table=\(table)"
            try await reportingFailures {
                try emit(try await client.raw("/v1/admin/rooms/\(room)/attendance?\(query)"))
            }
            return
        }
        let settings = try await ServerSettings.forCommand(configFile: config)
        let location = RecordsLocation.configured(by: settings, dataDirectory: dataDir)
        if againstPlan { return try emit(planText(settings: settings, records: location)) }
        guard let first = CalendarDay(parsing: from), let last = CalendarDay(parsing: to) else { return }
        let period = AttendancePeriod(from: first, to: last)
        let input: AttendanceReport.Input
        do {
            input = try AttendanceReport.Input.read(
                from: location, room: room, period: period, rules: settings.attendance)
        } catch let error as SettingsError {
            throw ValidationError("\(error)")
        }
        let now = Int64((Date().timeIntervalSince1970 * 1000).rounded())
        let report = AttendanceReport(input: input, period: period, rules: settings.attendance, asOf: now)
        let text =
            format == "json" ? try report.json() : try report.csv(AttendanceTable(rawValue: table) ?? .sessions)
        try emit(text)
    }

    /// Standard output, or a new file only its owner can read (attendance is health information).
    private func emit(_ text: String) throws {
        guard let output else {
            FileHandle.standardOutput.write(Data(text.utf8))
            return
        }
        let manager = FileManager.default
        if manager.fileExists(atPath: output) { try manager.removeItem(atPath: output) }
        guard manager.createFile(atPath: output, contents: Data(text.utf8), attributes: [.posixPermissions: 0o600])
        else { throw ValidationError("cannot write \(output)") }
    }
}
