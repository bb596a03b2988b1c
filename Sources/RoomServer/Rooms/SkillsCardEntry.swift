import Foundation
import RoomCore
import Yams

/// The `cards:` section of `Config/catalogue.yaml`: the skills cards a facilitator
/// may show, read strictly (an unknown key, a duplicate id or a field outside the
/// room's bounds stops iopd naming the key, exit 64).
struct SkillsCardEntry: Decodable {
    var id: String
    var title: String
    var sections: [SectionEntry]
    var fields: [FieldEntry]?

    struct SectionEntry: Decodable {
        var heading: String
        var lines: [String]
    }

    struct FieldEntry: Decodable {
        var label: String
        var maxLength: Int
    }

    /// The card, or the key of the first value outside the room's bounds.
    func card() throws(SettingsError) -> SkillsCard {
        let name = "cards[\(id)]"
        guard !id.isEmpty, !title.isEmpty else { throw .outOfRange(name, "a non-empty id and title") }
        guard (1...SkillsCard.maximumSections).contains(sections.count) else {
            throw .outOfRange("\(name).sections", "1 to \(SkillsCard.maximumSections) sections")
        }
        for (index, section) in sections.enumerated() where section.heading.isEmpty || section.lines.isEmpty {
            throw .outOfRange("\(name).sections[\(index)]", "a heading and at least one line")
        }
        let fields = fields ?? []
        guard fields.count <= SkillsCard.maximumFields else {
            throw .outOfRange("\(name).fields", "at most \(SkillsCard.maximumFields) fields")
        }
        for (index, field) in fields.enumerated() {
            guard !field.label.isEmpty else { throw .outOfRange("\(name).fields[\(index)].label", "non-empty") }
            guard CardField.lengthRange.contains(field.maxLength) else {
                let range = CardField.lengthRange
                throw .outOfRange(
                    "\(name).fields[\(index)].maxLength", "from \(range.lowerBound) to \(range.upperBound)")
            }
        }
        return SkillsCard(
            id: id, title: title, sections: sections.map { CardSection(heading: $0.heading, lines: $0.lines) },
            fields: fields.map { CardField(label: $0.label, maxLength: $0.maxLength) })
    }

    /// Every card of the section, ids unique.
    static func cards(_ entries: [SkillsCardEntry]) throws(SettingsError) -> [SkillsCard] {
        var seen = Set<String>()
        var cards: [SkillsCard] = []
        for entry in entries {
            guard seen.insert(entry.id).inserted else {
                throw .outOfRange("cards[\(entry.id)].id", "unique (two cards have this id)")
            }
            cards.append(try entry.card())
        }
        return cards
    }

    /// The first key of the `cards:` section its reader does not know.
    static func checkKnownKeys(_ text: String, path: String) throws(SettingsError) {
        let tree: Any?
        do {
            tree = try Yams.load(yaml: text)
        } catch {
            throw .unreadableFile(path, "\(error)")
        }
        guard let top = tree as? [AnyHashable: Any] else { return }
        for case let card as [AnyHashable: Any] in top["cards"] as? [Any] ?? [] {
            let name = "cards[\(card["id"].map { "\($0)" } ?? "?")]"
            try check(card, known: ["id", "title", "sections", "fields"], at: name + ".", path: path)
            for case (let index, let section as [AnyHashable: Any]) in (card["sections"] as? [Any] ?? []).enumerated() {
                try check(section, known: ["heading", "lines"], at: "\(name).sections[\(index)].", path: path)
            }
            for case (let index, let field as [AnyHashable: Any]) in (card["fields"] as? [Any] ?? []).enumerated() {
                try check(field, known: ["label", "maxLength"], at: "\(name).fields[\(index)].", path: path)
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
}
