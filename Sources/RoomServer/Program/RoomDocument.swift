import Foundation

/// A room's definition as the admin API takes it and the records keep it
/// (`rooms.document`): the rooms file's `title`, `kind`, `capacity` and
/// `policy` keys, as JSON. The id is the route's. Operator's words and
/// numbers only: nothing a member wrote. The program (schedule, roster,
/// `policy.autoAdmitEnrolled`) goes through the program routes.
struct RoomDocument: Codable, Sendable, Hashable {
    var title: String
    var kind: String
    var capacity: Int
    var policy: RoomCatalogue.PolicyEntry?

    /// The longest title, in bytes.
    static let maximumTitleBytes = 200
    /// The largest capacity.
    static let maximumCapacity = 1000

    /// The compact JSON kept in the records (keys sorted).
    var json: String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return (try? encoder.encode(self)).map { String(decoding: $0, as: UTF8.self) } ?? "{}"
    }

    /// The document in `text` (as `json` wrote it), or nil.
    init?(json text: String) {
        guard let document = try? JSONDecoder().decode(Self.self, from: Data(text.utf8)) else { return nil }
        self = document
    }

    /// The rooms file's entry of room `id`.
    func entry(id: String) -> RoomCatalogue.RoomEntry {
        RoomCatalogue.RoomEntry(id: id, title: title, kind: kind, capacity: capacity, policy: policy)
    }

    /// The document of a room's entry.
    init(_ entry: RoomCatalogue.RoomEntry) {
        title = entry.title
        kind = entry.kind
        capacity = entry.capacity
        policy = entry.policy
    }

    /// Reads the admin API's `room` parameter: JSON of this shape, no unknown
    /// key (a misspelt policy key would otherwise leave its default), a title of
    /// 1 to ``maximumTitleBytes`` bytes without control characters, a capacity
    /// of 1 to ``maximumCapacity``; the rest is checked like the rooms file.
    static func parse(_ text: String?) throws(ProgramChangeError) -> RoomDocument {
        guard let text, !text.isEmpty else { throw .parameter("room", "a room as JSON: title, kind, capacity, policy") }
        let object = try? JSONSerialization.jsonObject(with: Data(text.utf8))
        guard let top = object as? [String: Any] else {
            throw .parameter("room", "a JSON object with title, kind, capacity and policy")
        }
        let known = ["title", "kind", "capacity", "policy"]
        for key in top.keys.sorted() where !known.contains(key) { throw invalid("room.\(key)", "a known key") }
        if let policy = top["policy"] as? [String: Any] {
            let policyKeys = RoomCatalogue.policyKeys.filter { $0 != "autoAdmitEnrolled" }
            for key in policy.keys.sorted() where !policyKeys.contains(key) {
                throw invalid(
                    "room.policy.\(key)",
                    key == "autoAdmitEnrolled" ? "left to the program (not a room key here)" : "a known policy key")
            }
        }
        let document: RoomDocument
        do {
            document = try JSONDecoder().decode(RoomDocument.self, from: Data(text.utf8))
        } catch let DecodingError.keyNotFound(key, _) {
            throw .parameter("room.\(key.stringValue)", "present")
        } catch {
            throw .parameter("room", "JSON with title (text), kind (text), capacity (number) and policy (object)")
        }
        let title = document.title
        guard (1...maximumTitleBytes).contains(title.utf8.count),
            !title.unicodeScalars.contains(where: { $0.properties.generalCategory == .control })
        else { throw invalid("room.title", "1 to \(maximumTitleBytes) bytes without control characters") }
        guard (1...maximumCapacity).contains(document.capacity) else {
            throw invalid("room.capacity", "1...\(maximumCapacity)")
        }
        return document
    }

    private static func invalid(_ key: String, _ expected: String) -> ProgramChangeError {
        ProgramChangeError(status: 400, code: "invalid_room", message: "\(key) must be \(expected)")
    }
}
