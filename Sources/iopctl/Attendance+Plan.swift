import ArgumentParser
import Foundation
import ProgramCore
import RoomServer

extension ExportAttendance {
    /// `--against-plan`: the room's program from the rooms file, its records, the absence notes.
    func planText(settings: ServerSettings, databaseAt path: String) throws -> String {
        guard let first = LocalDate(parsing: from), let last = LocalDate(parsing: to) else {
            throw ValidationError("--from and --to must be dates like 2026-11-24")
        }
        let programs: [String: RoomProgram]
        do {
            programs = try RoomCatalogue.programs(path: rooms ?? settings.roomsFile)
        } catch {
            throw ValidationError("\(error)")
        }
        var notes: [AbsenceNote] = []
        if let absences {
            guard let data = FileManager.default.contents(atPath: absences) else {
                throw ValidationError("cannot read \(absences)")
            }
            do {
                notes = try PlanExport.absences(csv: String(decoding: data, as: UTF8.self))
            } catch {
                throw ValidationError("\(error)")
            }
        }
        let input = try AttendanceReport.Input.read(
            databaseAt: path, room: room, period: PlanExport.recordPeriod(from: first, to: last),
            rules: settings.attendance)
        let now = Int64((Date().timeIntervalSince1970 * 1000).rounded())
        let export: PlanExport
        do {
            export = try PlanExport(
                room: room, program: programs[room], input: input, absences: notes, from: first, to: last, asOf: now)
        } catch {
            throw ValidationError("\(error)")
        }
        return format == "json" ? try export.json() : try export.csv(PlanTable(rawValue: table) ?? .sessions)
    }
}
