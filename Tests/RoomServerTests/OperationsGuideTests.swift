import Foundation
import Testing

@testable import RoomServer

/// docs/OPERATIONS.md keeps up with the code: every key the rooms file reader
/// knows, every claim a token carries, every refusal code of a token.
@Suite struct OperationsGuideTests {
    /// The text of the section under `heading`, up to the next `## ` heading.
    static func section(_ heading: String, in file: String = "docs/OPERATIONS.md") throws -> Substring {
        let guide = try String(contentsOfFile: file, encoding: .utf8)
        let start = try #require(guide.range(of: "\n" + heading + "\n"), "\(file) lacks \(heading)")
        let rest = guide[start.upperBound...]
        return rest.range(of: "\n## ").map { rest[..<$0.lowerBound] } ?? rest
    }

    /// The property names of a reader's Decodable shape: its YAML keys (no custom coding keys).
    static func keys(of value: Any) -> [String] {
        Mirror(reflecting: value).children.compactMap(\.label)
    }

    @Test func everyRoomsFileKeyIsDocumented() throws {
        let section = try Self.section("## Rooms file")
        let shapes: [Any] = [
            RoomCatalogue.File(agreement: nil, rooms: []), RoomCatalogue.Agreement(version: "", text: ""),
            RoomCatalogue.RoomEntry(id: "", title: "", kind: "", capacity: 0, policy: nil),
            RoomCatalogue.PolicyEntry(),
        ]
        let keys = shapes.flatMap(Self.keys(of:))
        #expect(keys.count >= 14)
        for key in keys {
            #expect(section.contains("| `\(key)` |") || section.contains("| `agreement.\(key)` |"), "\(key)")
        }
    }

    @Test func everyTokenClaimAndRefusalIsDocumented() throws {
        let section = try Self.section("## Minting tokens")
        let claims = TokenClaims(
            member: "m", alias: "A", role: "participant", room: "r", expires: Date(), tokenID: "t", issued: Date(),
            notBefore: Date())
        let json = try #require(try JSONSerialization.jsonObject(with: JSONEncoder().encode(claims)) as? [String: Any])
        #expect(json.count == 8)
        for claim in json.keys { #expect(section.contains("| `\(claim)` |"), "\(claim)") }
        let protocolText = try String(contentsOfFile: "docs/PROTOCOL.md", encoding: .utf8)
        for failure in AuthFailure.all { #expect(protocolText.contains("`\(failure.code)`"), "\(failure.code)") }
        #expect(section.contains("\"alg\":\"HS256\""))
    }
}
