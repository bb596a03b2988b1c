import ArgumentParser
import Foundation
import ProgramCore
import RoomServer

extension ExportAttendance {
    /// `--against-plan`: the room's program (as last changed at run time, else
    /// from the rooms file), its records, the absence reasons recorded in the
    /// room, overridden by the `--absences` file's lines (``PlanExport/read``,
    /// as the end-to-end week reads it).
    func planText(settings: ServerSettings, records location: RecordsLocation) throws -> String {
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
        let now = Int64((Date().timeIntervalSince1970 * 1000).rounded())
        let export: PlanExport
        do {
            export = try PlanExport.read(
                records: location, room: room, fileProgram: programs[room], overrides: notes, from: first, to: last,
                asOf: now, rules: try planRules(), attendance: settings.attendance)
        } catch let error as ValidationError {
            throw error
        } catch {
            throw ValidationError("\(error)")
        }
        return format == "json" ? try export.json() : try export.csv(PlanTable(rawValue: table) ?? .sessions)
    }

    /// The rules from `--late-grace`, `--early-leave-grace` and `--weekly-hours`, checked.
    func planRules() throws -> PlanRules {
        var rules = PlanRules()
        guard (0...240).contains(lateGrace) else { throw ValidationError("--late-grace must be 0...240 minutes") }
        guard (0...240).contains(earlyLeaveGrace) else {
            throw ValidationError("--early-leave-grace must be 0...240 minutes")
        }
        let bounds = weeklyHours.split(separator: "-", omittingEmptySubsequences: false).map { Int($0) }
        guard bounds.count == 2, let low = bounds[0], let high = bounds[1], 0 <= low, low <= high, high <= 168 else {
            throw ValidationError("--weekly-hours must be MIN-MAX hours, such as 9-20")
        }
        rules.lateGraceMinutes = lateGrace
        rules.earlyLeaveGraceMinutes = earlyLeaveGrace
        rules.minimumWeeklyHours = low
        rules.maximumWeeklyHours = high
        return rules
    }
}
