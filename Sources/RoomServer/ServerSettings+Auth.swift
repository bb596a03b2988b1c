import Configuration

extension ServerSettings {
    /// The token lifetime keys (listed in ``keys`` with their meanings).
    public static let authKeys = [
        "auth.maxTokenLifetimeHours", "auth.maxOperatorTokenLifetimeHours", "auth.maxInvitationLifetimeDays",
    ]

    /// Reads `auth.maxTokenLifetimeHours` and `auth.maxOperatorTokenLifetimeHours`.
    mutating func readAuthSettings(_ config: ConfigReader) {
        let defaults = TokenLifetimes()
        tokenLifetimes = TokenLifetimes(
            memberHours: config.double(forKey: "auth.maxTokenLifetimeHours", default: defaults.member / 3600),
            operatorHours: config.double(
                forKey: "auth.maxOperatorTokenLifetimeHours", default: defaults.operator / 3600))
        tokenLifetimes.invitation =
            config.double(forKey: "auth.maxInvitationLifetimeDays", default: defaults.invitation / 86_400) * 86_400
    }

    /// Checks the keys ``readAuthSettings(_:)`` read: more than 0, at most a year.
    func validateAuthSettings() throws(SettingsError) {
        guard tokenLifetimes.member > 0, tokenLifetimes.member <= 8760 * 3600 else {
            throw .outOfRange("auth.maxTokenLifetimeHours", "> 0 and <= 8760 (a year)")
        }
        guard tokenLifetimes.operator > 0, tokenLifetimes.operator <= 8760 * 3600 else {
            throw .outOfRange("auth.maxOperatorTokenLifetimeHours", "> 0 and <= 8760 (a year)")
        }
        guard tokenLifetimes.invitation >= 86_400, tokenLifetimes.invitation <= 400 * 86_400 else {
            throw .outOfRange("auth.maxInvitationLifetimeDays", ">= 1 and <= 400")
        }
    }
}
