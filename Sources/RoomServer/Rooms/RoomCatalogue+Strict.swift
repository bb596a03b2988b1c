import Foundation
import Yams

extension RoomCatalogue {
    /// The first key in the rooms file that its reader does not know
    /// (`autoAdmitt:` would otherwise leave the default in force without a word).
    /// The known keys are the properties of the reader's shapes, so a key added
    /// there is known here.
    static func checkKnownKeys(_ text: String, path: String) throws(SettingsError) {
        let tree: Any?
        do {
            tree = try Yams.load(yaml: text)
        } catch {
            throw .unreadableFile(path, "\(error)")
        }
        guard let top = tree as? [AnyHashable: Any] else { return }
        try check(top, known: fileKeys, at: "", path: path)
        if let agreement = top["agreement"] as? [AnyHashable: Any] {
            try check(agreement, known: agreementKeys, at: "agreement.", path: path)
        }
        for case let room as [AnyHashable: Any] in top["rooms"] as? [Any] ?? [] {
            let name = "rooms[\(room["id"].map { "\($0)" } ?? "?")]."
            try check(room, known: roomKeys, at: name, path: path)
            if let policy = room["policy"] as? [AnyHashable: Any] {
                try check(policy, known: policyKeys, at: name + "policy.", path: path)
            }
        }
    }

    private static func check(
        _ mapping: [AnyHashable: Any], known: [String], at prefix: String, path: String
    ) throws(SettingsError) {
        for key in mapping.keys.map({ "\($0.base)" }).sorted() where !known.contains(key) {
            let nearest = known.min { ServerSettings.editDistance(key, $0) < ServerSettings.editDistance(key, $1) }
            let suggestion = nearest.flatMap { ServerSettings.editDistance(key, $0) <= 2 ? prefix + $0 : nil }
            throw .unknownKey(prefix + key, source: path, suggestion: suggestion)
        }
    }

    private static func labels(_ value: Any) -> [String] { Mirror(reflecting: value).children.compactMap(\.label) }
    static var fileKeys: [String] { labels(File(agreement: nil, rooms: [])) }
    static var agreementKeys: [String] { labels(Agreement(version: "", text: "")) }
    static var roomKeys: [String] { labels(RoomEntry(id: "", title: "", kind: "", capacity: 0, policy: nil)) }
    static var policyKeys: [String] { labels(PolicyEntry()) }
}
