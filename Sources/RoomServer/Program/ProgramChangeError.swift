import Foundation

/// Why the admin API refused to change a room's program: the HTTP status,
/// the code word and a sentence naming the key at fault (docs/OPERATIONS.md,
/// "Programs at run time"). The sentence names keys and ids, never a value
/// beyond an id or a date.
struct ProgramChangeError: Error, Sendable, Hashable {
    /// The HTTP status (400, 404, 409 or 500).
    var status: Int
    /// The code word.
    var code: String
    /// For a person.
    var message: String

    /// 404 `unknown_room`.
    static let unknownRoom = Self(status: 404, code: "unknown_room", message: "no such room on this server")

    /// 400 `invalid_parameter`: a query parameter is missing or malformed.
    static func parameter(_ name: String, _ expected: String) -> Self {
        Self(status: 400, code: "invalid_parameter", message: "\(name) must be \(expected)")
    }

    /// 400 `invalid_schedule` or `invalid_roster` from the rooms file's checks.
    static func invalid(_ code: String, _ error: SettingsError) -> Self {
        Self(status: 400, code: code, message: "\(error)".replacingOccurrences(of: "setting ", with: ""))
    }
}
