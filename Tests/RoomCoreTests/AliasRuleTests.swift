import RoomCore
import Testing

/// The one alias rule (issue 18, item 6) as a table: what a participant and a
/// facilitator may be called.
@Suite("Alias rule")
struct AliasRuleTests {
    struct Case: CustomTestStringConvertible, Sendable {
        let alias: String
        let participant: AliasProblem?
        let facilitator: AliasProblem?
        var testDescription: String { alias.debugDescription }
    }

    static let cases: [Case] = [
        Case(alias: "River", participant: nil, facilitator: nil),
        Case(alias: "Mary Ann", participant: nil, facilitator: nil),
        Case(alias: "José-María O'Neil", participant: nil, facilitator: nil),
        Case(alias: "Staffan", participant: nil, facilitator: nil),
        Case(alias: "Hosteen", participant: nil, facilitator: nil),
        Case(alias: "Ren 🌱", participant: nil, facilitator: nil),
        Case(alias: "小林", participant: nil, facilitator: nil),
        Case(alias: "دانا", participant: nil, facilitator: nil),
        Case(alias: "R", participant: nil, facilitator: nil),
        Case(alias: String(repeating: "x", count: 32), participant: nil, facilitator: nil),
        Case(alias: String(repeating: "x", count: 33), participant: .tooLong, facilitator: .tooLong),
        Case(alias: String(repeating: "x", count: 11_000), participant: .tooLong, facilitator: .tooLong),
        Case(alias: String(repeating: "語", count: 32), participant: nil, facilitator: nil),
        Case(alias: String(repeating: "🌱", count: 32), participant: nil, facilitator: nil),
        Case(alias: String(repeating: "👍🏽", count: 17), participant: .tooLong, facilitator: .tooLong),
        Case(alias: "Z" + String(repeating: "\u{0336}", count: 20), participant: .tooLong, facilitator: .tooLong),
        Case(alias: "", participant: .empty, facilitator: .empty),
        Case(alias: "Dana\u{1B}[2J", participant: .controlCharacter, facilitator: .controlCharacter),
        Case(alias: "Dana\u{07}", participant: .controlCharacter, facilitator: .controlCharacter),
        Case(alias: "Dana\nRiver", participant: .controlCharacter, facilitator: .controlCharacter),
        Case(alias: "Dana\u{85}", participant: .controlCharacter, facilitator: .controlCharacter),
        Case(alias: "Dana\tRiver", participant: .controlCharacter, facilitator: .controlCharacter),
        Case(alias: "\u{202E}anaD", participant: .invisibleCharacter, facilitator: .invisibleCharacter),
        Case(alias: "Dana\u{2066}x\u{2069}", participant: .invisibleCharacter, facilitator: .invisibleCharacter),
        Case(alias: "Da\u{200B}na", participant: .invisibleCharacter, facilitator: .invisibleCharacter),
        Case(alias: "Da\u{200D}na", participant: .invisibleCharacter, facilitator: .invisibleCharacter),
        Case(alias: "Dana\u{200E}", participant: .invisibleCharacter, facilitator: .invisibleCharacter),
        Case(alias: "Dana\u{061C}", participant: .invisibleCharacter, facilitator: .invisibleCharacter),
        Case(alias: "Da\u{00AD}na", participant: .invisibleCharacter, facilitator: .invisibleCharacter),
        Case(alias: "Dana\u{2028}River", participant: .invisibleCharacter, facilitator: .invisibleCharacter),
        Case(alias: "\u{3164}", participant: .invisibleCharacter, facilitator: .invisibleCharacter),
        Case(alias: "\u{2800}", participant: .invisibleCharacter, facilitator: .invisibleCharacter),
        Case(alias: " Dana", participant: .spacing, facilitator: .spacing),
        Case(alias: "Dana ", participant: .spacing, facilitator: .spacing),
        Case(alias: "Mary  Ann", participant: .spacing, facilitator: .spacing),
        Case(alias: "Mary\u{00A0}Ann", participant: .spacing, facilitator: .spacing),
        Case(alias: " ", participant: .spacing, facilitator: .spacing),
        Case(alias: "Sam [facilitator]", participant: .reservedCharacter, facilitator: .reservedCharacter),
        Case(alias: "Sam [fac]", participant: .reservedCharacter, facilitator: .reservedCharacter),
        Case(alias: "Dana (facilitator)", participant: .staffWord, facilitator: nil),
        Case(alias: "DanaFacilitator", participant: .staffWord, facilitator: nil),
        Case(alias: "MODERATOR", participant: .staffWord, facilitator: nil),
        Case(alias: "Dr. Lee", participant: .staffWord, facilitator: nil),
        Case(alias: "Sam (F)", participant: .staffWord, facilitator: nil),
        Case(alias: "Admin", participant: .staffWord, facilitator: nil),
        Case(alias: "the host", participant: .staffWord, facilitator: nil),
        Case(alias: "Nurse Joy", participant: .staffWord, facilitator: nil),
        Case(alias: "staff-7", participant: .staffWord, facilitator: nil),
        Case(alias: "Counsellor Amy", participant: .staffWord, facilitator: nil),
        Case(alias: "Therapist", participant: .staffWord, facilitator: nil),
        Case(alias: "clinician", participant: .staffWord, facilitator: nil),
    ]

    @Test(arguments: cases)
    func rule(_ test: Case) {
        #expect(AliasRule.check(test.alias, role: .participant) == test.participant)
        #expect(AliasRule.check(test.alias, role: .facilitator) == test.facilitator)
    }

    @Test func everyProblemExplainsItselfWithoutTheAlias() {
        for problem in AliasProblem.allCases {
            #expect(!problem.description.isEmpty && !problem.rawValue.isEmpty)
        }
    }
}
