import Foundation
import RoomCore
import Yams

/// The skill exercises, check-in templates and agenda every room offers, read
/// from `Config/catalogue.yaml` (Yams); RoomCore's standard samples when the
/// file is absent (the embedded defaults).
public struct ActivityCatalogue: Sendable, Hashable {
    /// Timed exercises, each a list of phases.
    public var exercises: [Exercise]
    /// Check-in round templates.
    public var checkInTemplates: [CheckInTemplate]
    /// The session agenda.
    public var agenda: [AgendaItem]
    /// The skills cards (`cards:`, strictly read: ``SkillsCardEntry``).
    public var cards: [SkillsCard] = SkillsCardCatalogue.standard

    /// RoomCore's standard samples.
    public static let standard = ActivityCatalogue(
        exercises: ExerciseCatalogue.standard, checkInTemplates: CheckInCatalogue.standard,
        agenda: AgendaItem.standardIOP)

    /// Reads `path`; the standard samples if it does not exist.
    public static func load(path: String) throws -> ActivityCatalogue {
        guard let data = FileManager.default.contents(atPath: path) else { return .standard }
        try SkillsCardEntry.checkKnownKeys(String(decoding: data, as: UTF8.self), path: path)
        do {
            return try YAMLDecoder().decode(File.self, from: data).catalogue()
        } catch let error as SettingsError {
            throw error
        } catch {
            throw SettingsError.unreadableFile(path, "\(error)")
        }
    }

    private struct File: Decodable {
        var exercises: [ExerciseEntry]
        var checkins: [TemplateEntry]
        var agenda: [AgendaEntry]
        var cards: [SkillsCardEntry]?

        func catalogue() throws -> ActivityCatalogue {
            var catalogue = ActivityCatalogue(
                exercises: try exercises.map { try $0.exercise() },
                checkInTemplates: try checkins.map { try $0.template() },
                agenda: agenda.map { AgendaItem(name: $0.name, plannedDuration: .seconds($0.minutes * 60)) })
            catalogue.cards = try SkillsCardEntry.cards(cards ?? [])
            return catalogue
        }
    }

    private struct ExerciseEntry: Decodable {
        var id: String
        var name: String
        var repeats: Int?
        var phases: [PhaseEntry]

        func exercise() throws -> Exercise {
            guard !phases.isEmpty, phases.allSatisfy({ $0.seconds > 0 }), (repeats ?? 1) >= 1 else {
                throw SettingsError.outOfRange("exercises[\(id)]", "phases with positive seconds, repeats >= 1")
            }
            let cycle = phases.map { ExercisePhase(name: $0.name, duration: .seconds($0.seconds), prompt: $0.prompt) }
            return Exercise(id: id, name: name, phases: Array((0..<(repeats ?? 1)).map { _ in cycle }.joined()))
        }
    }

    private struct PhaseEntry: Decodable {
        var name: String
        var seconds: Int
        var prompt: String
    }

    private struct TemplateEntry: Decodable {
        var id: String
        var title: String
        var visibility: String
        var fields: [FieldEntry]

        func template() throws -> CheckInTemplate {
            guard let visibility = CheckInVisibility(rawValue: visibility) else {
                throw SettingsError.outOfRange("checkins[\(id)].visibility", "group or facilitatorsOnly")
            }
            return CheckInTemplate(
                id: id, title: title, fields: try fields.map { try $0.field(in: id) }, visibility: visibility)
        }
    }

    private struct FieldEntry: Decodable {
        var id: String
        var prompt: String
        var scale: [Int]?
        var word: Int?
        var text: Int?

        func field(in template: String) throws -> CheckInField {
            if let scale, scale.count == 2, scale[0] <= scale[1] {
                return CheckInField(id: id, prompt: prompt, kind: .scale(scale[0]...scale[1]))
            }
            if let word, word > 0 { return CheckInField(id: id, prompt: prompt, kind: .word(maxLength: word)) }
            if let text, text > 0 { return CheckInField(id: id, prompt: prompt, kind: .text(maxLength: text)) }
            throw SettingsError.outOfRange(
                "checkins[\(template)].fields[\(id)]", "one of scale: [low, high], word: N, text: N")
        }
    }

    private struct AgendaEntry: Decodable {
        var name: String
        var minutes: Int
    }
}
