import RoomCore

/// The alias rule at the token boundary: `iopctl token issue` refuses to sign
/// an alias that breaks ``AliasRule``, and the server refuses a token carrying
/// one (403 `invalid_alias`), so a token minted elsewhere cannot bring it in.
public enum TokenAlias {
    /// The rule `alias` breaks in a token of `role` (`participant`,
    /// `facilitator` or `operator`), or nil. Operators follow the staff rule;
    /// any other role name the participant rule.
    public static func problem(_ alias: String, role: String) -> AliasProblem? {
        let staff = role == Role.facilitator.rawValue || role == TokenAuthority.operatorRole
        return AliasRule.check(alias, role: staff ? .facilitator : .participant)
    }
}
