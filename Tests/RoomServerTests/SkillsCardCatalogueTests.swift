import Foundation
import RoomCore
import Testing

@testable import RoomServer

/// The `cards:` section of the catalogue: the shipped file holds the standard cards,
/// and a mistake stops the server naming the key (iopd exits 64 on a SettingsError).
@Suite struct SkillsCardCatalogueTests {
    static let header = "exercises: []\ncheckins: []\nagenda: []\ncards:\n"
    static let good = "  - id: c\n    title: C\n    sections: [{heading: H, lines: [a line]}]\n"

    @Test func theShippedCatalogueHoldsTheStandardCardsAndEveryRoomOffersThem() throws {
        let loaded = try ActivityCatalogue.load(path: "Config/catalogue.yaml")
        #expect(loaded.cards == SkillsCardCatalogue.standard)
        let rooms = try RoomCatalogue.load(path: "Config/rooms.yaml", activities: loaded)
        #expect(rooms.allSatisfy { $0.skillsCards == SkillsCardCatalogue.standard })
    }

    @Test(arguments: [
        (
            good + "    fields: [{label: L, maxLenght: 10}]\n",
            "unknown setting cards[c].fields[0].maxLenght in PATH; did you mean cards[c].fields[0].maxLength?"
        ),
        (good + "    titel: T\n", "unknown setting cards[c].titel in PATH"),
        (
            good + "    fields: [{label: L, maxLength: 501}]\n",
            "setting cards[c].fields[0].maxLength must be from 1 to 500"
        ),
        (
            good + "    fields: [{label: L, maxLength: 0}]\n",
            "setting cards[c].fields[0].maxLength must be from 1 to 500"
        ),
        (good + good, "setting cards[c].id must be unique (two cards have this id)"),
        ("  - {id: c, title: C, sections: []}\n", "setting cards[c].sections must be 1 to 12 sections"),
        (
            good + "    fields: [" + Array(repeating: "{label: L, maxLength: 9}", count: 9).joined(separator: ", ")
                + "]\n",
            "setting cards[c].fields must be at most 8 fields"
        ),
    ])
    func mistakesAreNamed(cards: String, message: String) throws {
        let path = NSTemporaryDirectory() + "catalogue-\(UUID().uuidString).yaml"
        try (Self.header + cards).write(toFile: path, atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(atPath: path) }
        let error = #expect(throws: SettingsError.self) { try ActivityCatalogue.load(path: path) }
        let expected = message.replacingOccurrences(of: "PATH", with: path)
        #expect(error?.description.hasPrefix(expected) == true, "\(error?.description ?? "no error")")
    }
}
