import Configuration
import Foundation
import RoomCore

/// How `iopd` writes its log lines (`log.format`).
public enum LogFormat: String, Sendable, Hashable, CaseIterable {
    /// swift-log's `StreamLogHandler` style: readable on a terminal. The default.
    case text
    /// One JSON object a line (time, level, label, message, metadata), for log collectors.
    case json
}

extension ServerSettings {
    /// The attendance, idle log-off and log-format keys (listed in ``keys`` with their meanings).
    public static let attendanceKeys = [
        "attendance.minimumHoursPerDay", "attendance.minimumDaysPerWeek", "attendance.timeZone",
        "rooms.idleLogoffMinutes", "rooms.idleWarningSeconds", "log.format",
    ]

    /// Reads the `attendance.*`, idle log-off and `log.format` keys.
    mutating func readAttendanceSettings(_ config: ConfigReader) {
        let defaults = AttendanceRules()
        attendance.minimumHoursPerDay = config.double(
            forKey: "attendance.minimumHoursPerDay", default: defaults.minimumHoursPerDay)
        attendance.minimumDaysPerWeek = config.int(
            forKey: "attendance.minimumDaysPerWeek", default: defaults.minimumDaysPerWeek)
        attendance.timeZoneName = config.string(forKey: "attendance.timeZone", default: defaults.timeZoneName)
        let minutes = config.double(forKey: "rooms.idleLogoffMinutes", default: 0)
        idleLogoffMinutes = minutes
        idleLogoff.after = minutes > 0 ? .milliseconds(Int64(minutes * 60_000)) : nil
        let warning = config.double(forKey: "rooms.idleWarningSeconds", default: 120)
        idleWarningSeconds = warning
        idleLogoff.warningBefore = .milliseconds(Int64(max(0, warning) * 1000))
        logFormatName = config.string(forKey: "log.format", default: LogFormat.text.rawValue)
        logFormat = LogFormat(rawValue: logFormatName) ?? .text
    }

    /// Checks the keys ``readAttendanceSettings(_:)`` read.
    func validateAttendanceSettings() throws(SettingsError) {
        guard attendance.minimumHoursPerDay >= 0, attendance.minimumHoursPerDay <= 24 else {
            throw .outOfRange("attendance.minimumHoursPerDay", "0...24")
        }
        guard (0...7).contains(attendance.minimumDaysPerWeek) else {
            throw .outOfRange("attendance.minimumDaysPerWeek", "0...7")
        }
        guard TimeZone(identifier: attendance.timeZoneName) != nil else {
            throw .outOfRange("attendance.timeZone", "a time zone name such as UTC or Europe/Berlin")
        }
        guard idleLogoffMinutes >= 0 else { throw .outOfRange("rooms.idleLogoffMinutes", ">= 0 (0 = off)") }
        guard idleWarningSeconds >= 0, idleLogoffMinutes == 0 || idleWarningSeconds < idleLogoffMinutes * 60 else {
            throw .outOfRange("rooms.idleWarningSeconds", ">= 0 and shorter than rooms.idleLogoffMinutes")
        }
        guard LogFormat(rawValue: logFormatName) != nil else {
            throw .outOfRange("log.format", LogFormat.allCases.map(\.rawValue).joined(separator: " or "))
        }
    }
}

extension RoomConfiguration {
    /// This room with the server's idle log-off rule in its policy.
    public func applying(_ idleLogoff: IdleLogoff) -> RoomConfiguration {
        var copy = self
        copy.definition.policy.idleLogoff = idleLogoff
        return copy
    }
}
