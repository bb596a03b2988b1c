import ArgumentParser
import Foundation
import OperatorClient

/// `iopctl program`: a room's schedule and roster, read and changed at run
/// time through the admin API (stored in the records, audited, adopted by
/// the running room; docs/OPERATIONS.md, "Programs at run time").
struct ProgramCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "program", abstract: "Show or change a room's schedule and roster while the server runs.",
        subcommands: [ShowProgram.self, SetSchedule.self, Enrol.self, Discharge.self])

    /// `value` percent-encoded for a query string (unreserved characters kept).
    static func encoded(_ value: String) -> String {
        var allowed = CharacterSet.alphanumerics.intersection(
            .init(charactersIn: Unicode.Scalar(0)..<Unicode.Scalar(128)))
        allowed.insert(charactersIn: "-._~")
        return value.addingPercentEncoding(withAllowedCharacters: allowed) ?? ""
    }
}

/// `iopctl program show <room>`: the room's program and where it comes from.
struct ShowProgram: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "show",
        abstract: "Print the room's program as JSON: source (file, store or none), schedule and roster.")

    @Argument(help: "The room id.")
    var room: String

    @OptionGroup var admin: AdminOptions

    func run() async throws {
        try await reportingFailures {
            print(try await admin.client().raw("/v1/admin/rooms/\(room)/program"), terminator: "")
        }
    }
}

/// `iopctl program set-schedule <room> --file schedule.json`.
struct SetSchedule: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "set-schedule",
        abstract: "Set (or replace) the room's schedule from a JSON file shaped like rooms.yaml's schedule:.",
        discussion:
            #"For example {"timeZone":"America/Los_Angeles","startDate":"2026-01-05","endDate":"2026-03-27","#
            + #""slots":[{"days":["monday","wednesday"],"start":"18:00","end":"21:00"}]}"#)

    @Argument(help: "The room id.")
    var room: String

    @Option(help: "The JSON file holding the schedule.")
    var file: String

    @OptionGroup var admin: AdminOptions

    func run() async throws {
        guard let data = FileManager.default.contents(atPath: file) else {
            throw ValidationError("cannot read --file \(file)")
        }
        let text = String(decoding: data, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
        try await reportingFailures {
            _ = try await admin.client().post(
                "/v1/admin/rooms/\(room)/schedule?schedule=\(ProgramCommand.encoded(text))")
            print("schedule set for \(room)")
        }
    }
}

/// `iopctl program enrol <room> <member> --on DATE`.
struct Enrol: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "enrol", abstract: "Put a member on the room's roster from a date (YYYY-MM-DD).")

    @Argument(help: "The room id.")
    var room: String

    @Argument(help: "The member id (the token's sub).")
    var member: String

    @Option(name: .customLong("on"), help: "The enrolment date, YYYY-MM-DD, in the clinic's calendar.")
    var date: String

    @OptionGroup var admin: AdminOptions

    func run() async throws {
        try await reportingFailures {
            let query = "member=\(ProgramCommand.encoded(member))&enrolled=\(ProgramCommand.encoded(date))"
            _ = try await admin.client().post("/v1/admin/rooms/\(room)/enrol?\(query)")
            print("enrolled \(member) in \(room) from \(date)")
        }
    }
}

/// `iopctl program discharge <room> <member> --on DATE`.
struct Discharge: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "discharge",
        abstract: "Discharge a member on a date (YYYY-MM-DD): expected no more after it; their history stays.")

    @Argument(help: "The room id.")
    var room: String

    @Argument(help: "The member id.")
    var member: String

    @Option(name: .customLong("on"), help: "The discharge date, YYYY-MM-DD (on or after the enrolment).")
    var date: String

    @OptionGroup var admin: AdminOptions

    func run() async throws {
        try await reportingFailures {
            let query = "member=\(ProgramCommand.encoded(member))&discharged=\(ProgramCommand.encoded(date))"
            _ = try await admin.client().post("/v1/admin/rooms/\(room)/discharge?\(query)")
            print("discharged \(member) from \(room) on \(date)")
        }
    }
}
