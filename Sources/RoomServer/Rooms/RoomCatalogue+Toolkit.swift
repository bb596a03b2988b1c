import RoomCore

extension RoomCatalogue {
    /// The facilitation toolkit's room policy keys: `reactions` (`counts`, `named`,
    /// `off`) and `cues` (`facilitators_only`, `markers`); an unknown value is an error
    /// naming the key (exit 64).
    static func toolkitPolicy(_ entry: PolicyEntry?, key: String, into policy: inout RoomPolicy) throws(SettingsError) {
        if let value = entry?.reactions {
            guard let reactions = ReactionVisibility(rawValue: value) else {
                throw .outOfRange(
                    key + "reactions", ReactionVisibility.allCases.map(\.rawValue).joined(separator: ", "))
            }
            policy.reactions = reactions
        }
        if let value = entry?.cues {
            guard let cues = CueVisibility(rawValue: value) else {
                throw .outOfRange(key + "cues", CueVisibility.allCases.map(\.rawValue).joined(separator: ", "))
            }
            policy.cues = cues
        }
    }
}
