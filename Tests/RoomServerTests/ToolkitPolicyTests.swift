import Foundation
import RoomCore
import Testing

@testable import RoomServer

/// The rooms file's toolkit policy keys: `reactions` and `cues`, read strictly.
@Suite struct ToolkitPolicyTests {
    static func load(_ yaml: String) throws -> [RoomConfiguration] {
        let path = NSTemporaryDirectory() + "rooms-\(UUID().uuidString).yaml"
        try yaml.write(toFile: path, atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(atPath: path) }
        return try RoomCatalogue.load(path: path)
    }

    @Test func theDefaultsAreCountsAndFacilitatorsOnly() throws {
        let rooms = try Self.load("rooms:\n  - {id: x, title: X, kind: process, capacity: 3}\n")
        #expect(rooms[0].definition.policy.reactions == .counts)
        #expect(rooms[0].definition.policy.cues == .facilitatorsOnly)
    }

    @Test func bothKeysAreRead() throws {
        let rooms = try Self.load(
            "rooms:\n  - {id: x, title: X, kind: process, capacity: 3, policy: {reactions: named, cues: markers}}\n"
                + "  - {id: y, title: Y, kind: skills, capacity: 3, policy: {reactions: off}}\n")
        #expect(rooms[0].definition.policy.reactions == .named)
        #expect(rooms[0].definition.policy.cues == .markers)
        #expect(rooms[1].definition.policy.reactions == .off)
    }

    @Test(arguments: [
        ("{reactions: loud}", SettingsError.outOfRange("rooms[x].policy.reactions", "counts, named, off")),
        ("{cues: everyone}", SettingsError.outOfRange("rooms[x].policy.cues", "facilitators_only, markers")),
    ])
    func aBadValueIsNamed(policy: String, expected: SettingsError) {
        #expect(throws: expected) {
            try Self.load("rooms:\n  - {id: x, title: X, kind: process, capacity: 3, policy: \(policy)}\n")
        }
    }
}
