import ArgumentParser
import Foundation
import OperatorClient

/// The definition options of `iopctl create-room` and `iopctl change-room`:
/// the rooms file's keys, sent as the admin API's `room` JSON.
struct RoomDefinitionOptions: ParsableArguments {
    @Option(help: "The title members see.")
    var title: String

    @Option(help: "process, skills, family or individual.")
    var kind: String

    @Option(help: "The most members present at once.")
    var capacity: Int

    @Option(help: #"The policy as JSON, rooms.yaml's policy: keys (e.g. {"autoAdmit":false}); none: the defaults."#)
    var policy: String?

    /// The `room` parameter: `{"title":…,"kind":…,"capacity":…,"policy":…}`.
    func json() throws -> String {
        var object: [String: Any] = ["title": title, "kind": kind, "capacity": capacity]
        if let policy {
            guard let parsed = try? JSONSerialization.jsonObject(with: Data(policy.utf8)) as? [String: Any] else {
                throw ValidationError("--policy must be a JSON object")
            }
            object["policy"] = parsed
        }
        let data = try JSONSerialization.data(withJSONObject: object, options: [.sortedKeys])
        return String(decoding: data, as: UTF8.self)
    }
}

/// `iopctl create-room <id> --title … --kind … --capacity N [--policy JSON]`.
struct CreateRoomCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "create-room",
        abstract: "Create a room while the server runs: joinable at once, kept in the records, audited.",
        discussion: "Its schedule and roster then go through iopctl program (docs/OPERATIONS.md, Rooms at run time).")

    @Argument(help: "The room id: 1 to 64 of a-z, 0-9 and -.")
    var id: String

    @OptionGroup var definition: RoomDefinitionOptions
    @OptionGroup var admin: AdminOptions

    func run() async throws {
        let room = try definition.json()
        try await reportingFailures {
            _ = try await admin.client().post("/v1/admin/rooms/\(id)/create?room=\(ProgramCommand.encoded(room))")
            print("room \(id) created")
        }
    }
}

/// `iopctl change-room <id> --title … --kind … --capacity N [--policy JSON]`.
struct ChangeRoomCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "change-room",
        abstract: "Replace a room's title, kind, capacity and policy while nobody is in it (kept and audited).")

    @Argument(help: "The room id.")
    var id: String

    @OptionGroup var definition: RoomDefinitionOptions
    @OptionGroup var admin: AdminOptions

    func run() async throws {
        let room = try definition.json()
        try await reportingFailures {
            _ = try await admin.client().post("/v1/admin/rooms/\(id)/update?room=\(ProgramCommand.encoded(room))")
            print("room \(id) changed")
        }
    }
}
