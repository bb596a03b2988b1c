import Foundation
import RoomCore
import Testing

@testable import RoomServer

/// The `attendance.*` and idle log-off settings: defaults, parsing, refusals.
@Suite struct AttendanceSettingsTests {
    func load(_ overrides: [String: String]) async throws -> ServerSettings {
        try await ServerSettings.load(configFile: nil, environment: [:], overrides: overrides)
    }

    @Test("defaults: 3 hours, 3 days, UTC, idle log-off off")
    func defaults() async throws {
        let settings = try await load([:])
        #expect(settings.attendance.minimumHoursPerDay == 3)
        #expect(settings.attendance.minimumDaysPerWeek == 3)
        #expect(settings.attendance.timeZoneName == "UTC")
        #expect(settings.attendance.timeZone.secondsFromGMT() == 0)
        #expect(settings.idleLogoff == IdleLogoff())
        #expect(settings.idleLogoff.after == nil)
    }

    @Test("values from flags and the environment reach the rules and every room's policy")
    func values() async throws {
        let settings = try await ServerSettings.load(
            configFile: nil, environment: ["IOPD_ATTENDANCE_TIME_ZONE": "America/Chicago"],
            overrides: [
                "attendance.minimumHoursPerDay": "2.5", "attendance.minimumDaysPerWeek": "4",
                "rooms.idleLogoffMinutes": "45", "rooms.idleWarningSeconds": "90",
            ])
        #expect(settings.attendance.minimumHoursPerDay == 2.5)
        #expect(settings.attendance.minimumDaysPerWeek == 4)
        #expect(settings.attendance.timeZone.identifier == "America/Chicago")
        #expect(settings.attendance.timeZoneName == "America/Chicago")
        #expect(settings.idleLogoff == IdleLogoff(after: .seconds(45 * 60), warningBefore: .seconds(90)))
        let room = RoomConfiguration(definition: RoomDefinition(id: "r", title: "R", kind: .process, capacity: 8))
        #expect(room.applying(settings.idleLogoff).definition.policy.idleLogoff.after == .seconds(45 * 60))
    }

    @Test("unusable values are refused, naming the key")
    func refusals() async throws {
        let cases: [([String: String], String)] = [
            (["attendance.timeZone": "Mars/Olympus"], "attendance.timeZone"),
            (["attendance.minimumDaysPerWeek": "8"], "attendance.minimumDaysPerWeek"),
            (["attendance.minimumHoursPerDay": "-1"], "attendance.minimumHoursPerDay"),
            (["rooms.idleLogoffMinutes": "-5"], "rooms.idleLogoffMinutes"),
            (["rooms.idleLogoffMinutes": "1", "rooms.idleWarningSeconds": "60"], "rooms.idleWarningSeconds"),
        ]
        await SettingsTesting.expectRefused(cases)
    }

    @Test("every new key is listed for iopd --help and documented in OPERATIONS.md")
    func documented() throws {
        let operations = try SettingsTesting.repositoryFile("docs/OPERATIONS.md")
        let yaml = try SettingsTesting.repositoryFile("Config/iopd.yaml")
        for key in ServerSettings.attendanceKeys {
            #expect(ServerSettings.keys.contains { $0.key == key })
            #expect(operations.contains("`\(key)`"), "\(key) missing from OPERATIONS.md")
            let leaf = String(key.split(separator: ".").last!)
            #expect(yaml.contains("  \(leaf):"), "\(key) missing from Config/iopd.yaml")
        }
    }
}
