/// Automatic log-off of an unattended device: an admitted member whose client
/// has sent no command for ``after`` is warned ``warningBefore`` ahead, then
/// logged off (they may come back with a fresh connection while their token
/// is valid). Listening is not idle in a therapy group, so ``after`` should be
/// well above the longest stretch people only read (an exercise, a long share).
public struct IdleLogoff: Hashable, Sendable {
    /// Time without a command before log-off; `nil` (the default) turns the rule off.
    public var after: Duration?
    /// How long before the log-off the member is warned. Default 2 minutes:
    /// time to notice the warning and press a key.
    public var warningBefore: Duration

    /// Creates the rule; the defaults keep it off.
    public init(after: Duration? = nil, warningBefore: Duration = .seconds(120)) {
        self.after = after
        self.warningBefore = warningBefore
    }
}
