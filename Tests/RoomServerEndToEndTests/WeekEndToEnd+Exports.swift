import Foundation
import ProgramCore
import ServerTestSupport
import Testing

@testable import RoomServer

/// The compressed week's exports against the hand-computed tables in
/// `Fixtures/`: the admin route's (`iopctl attendance export --server`), CSV
/// and JSON, and the export against the plan (`PlanExport.read`, what
/// `iopctl attendance export --against-plan` runs), CSV and JSON; then the
/// canary, in none of them and in no record.
struct WeekExports {
    let week: WeekDriver
    let settings: ServerSettings
    let canary: String
    static let range = "from=2026-11-30&to=2026-12-06"

    func check() async throws {
        let store = try #require(week.harness.application.records as? DatabaseRecordStore)
        store.flush()
        var texts: [String] = []

        // The admin route: the three tables as CSV, all three as JSON.
        let base = "/v1/admin/rooms/\(WeekDriver.room)/attendance?\(Self.range)"
        let sessions = try await week.adminCall("GET", base + "&table=sessions")
        let days = try await week.adminCall("GET", base + "&table=days")
        let weeks = try await week.adminCall("GET", base + "&table=weeks")
        let json = try await week.adminCall("GET", base + "&format=json")
        let statuses: [Int] = [sessions.status, days.status, weeks.status, json.status]
        #expect(statuses == [200, 200, 200, 200], "\(sessions.body) \(days.body) \(weeks.body) \(json.body)")
        try Self.expectCSV(sessions.body, "compressed-week-sessions.csv")
        try Self.expectCSV(days.body, "compressed-week-days.csv")
        try Self.expectCSV(weeks.body, "compressed-week-weeks.csv")
        let report = try Self.object(json.body)
        try Self.expectRows(report["sessions"], "compressed-week-sessions.csv")
        try Self.expectRows(report["days"], "compressed-week-days.csv")
        try Self.expectRows(report["weeks"], "compressed-week-weeks.csv")
        texts += [sessions.body, days.body, weeks.body, json.body]

        // Against the plan, as of the clock's now (Friday 09:00).
        let plan = try PlanExport.read(
            records: store.location, room: WeekDriver.room,
            fileProgram: week.harness.application.programs[WeekDriver.room],
            from: try #require(LocalDate(parsing: "2026-11-30")), to: try #require(LocalDate(parsing: "2026-12-06")),
            asOf: week.clock.clock.now().millisecondsSinceEpoch, attendance: settings.attendance)
        let tables: [(PlanTable, String)] = [
            (.sessions, "compressed-week-plan-sessions.csv"), (.weeks, "compressed-week-plan-weeks.csv"),
            (.members, "compressed-week-plan-members.csv"),
        ]
        let planJSON = try plan.json()
        let planObject = try Self.object(planJSON)
        for (table, fixture) in tables {
            let csv = try plan.csv(table)
            try Self.expectCSV(csv, fixture)
            try Self.expectRows(planObject[table.rawValue], fixture)
            texts.append(csv)
        }
        texts.append(planJSON)

        // The canary: in no export, in no row of any table, in no file of the data folder.
        #expect(!texts.contains { $0.contains(canary) })
        let dump = try Self.everyRow(store)
        #expect(dump.contains("m-7") && dump.contains("rescheduled"), "the dump shows the rows' values")
        #expect(!dump.contains(canary))
        var scanned = Data()
        for name in try FileManager.default.contentsOfDirectory(atPath: week.harness.dataDirectory) {
            let data = FileManager.default.contents(atPath: week.harness.dataDirectory + "/" + name) ?? Data()
            #expect(data.range(of: Data(canary.utf8)) == nil, "\(name)")
            scanned.append(data)
        }
        if settings.recordsBackend == .sqlite {
            #expect(scanned.range(of: Data("rescheduled".utf8)) != nil, "the scan reads the records file")
        }
    }

    /// A fixture's text (line ends `\n` as checked in).
    static func fixture(_ name: String) throws -> String {
        let folder = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Fixtures")
        return try String(contentsOf: folder.appendingPathComponent(name), encoding: .utf8)
    }

    /// The CSV equals the fixture byte for byte, but for its CRLF line ends (RFC 4180), checked here.
    static func expectCSV(_ csv: String, _ name: String) throws {
        let lines = csv.replacingOccurrences(of: "\r\n", with: "\n")
        #expect(!lines.contains("\r"), "CRLF line ends only")
        #expect(lines == (try fixture(name)), "\(name):\n\(lines)")
    }

    /// A JSON table equals the fixture field by field (numbers, booleans and `null` for an empty field).
    static func expectRows(_ value: Any?, _ name: String) throws {
        let lines = try fixture(name).split(separator: "\n").map {
            $0.split(separator: ",", omittingEmptySubsequences: false)
        }
        let header = try #require(lines.first).map(String.init)
        let rows = try #require(value as? [[String: Any]], "\(name): a JSON table")
        #expect(rows.count == lines.count - 1, "\(name)")
        for (row, line) in zip(rows, lines.dropFirst()) {
            #expect(Set(row.keys) == Set(header), "\(name)")
            for (column, field) in zip(header, line.map(String.init)) {
                #expect(
                    Self.matches(row[column], field), "\(name) \(column): \(String(describing: row[column])) ≠ \(field)"
                )
            }
        }
    }

    private static func matches(_ value: Any?, _ field: String) -> Bool {
        if field.isEmpty { return value is NSNull }
        if field == "true" || field == "false" { return (value as? Bool) == (field == "true") }
        if let text = value as? String { return text == field }
        guard let number = value as? NSNumber, let expected = Double(field) else { return false }
        return number.doubleValue == expected
    }

    private static func object(_ json: String) throws -> [String: Any] {
        try #require(try JSONSerialization.jsonObject(with: Data(json.utf8)) as? [String: Any])
    }

    /// Every row of every table of the records, as text.
    private static func everyRow(_ store: DatabaseRecordStore) throws -> String {
        try store.read { session in
            let sql =
                session.dialect == .sqlite
                ? "SELECT name FROM sqlite_master WHERE type = 'table'"
                : "SELECT table_name FROM information_schema.tables WHERE table_schema = current_schema()"
            return try session.texts(sql).map { table in "\(try session.query("SELECT * FROM \(table)"))" }
                .joined(separator: "\n")
        }
    }
}
