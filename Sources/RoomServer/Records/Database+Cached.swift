import GRDB

extension Database {
    /// `execute(sql:arguments:)` through GRDB's per-connection statement cache: the
    /// records writer runs the same few statements for every record, so each is
    /// compiled once instead of once per record.
    func executeCached(sql: String, arguments: StatementArguments = StatementArguments()) throws {
        try cachedStatement(sql: sql).execute(arguments: arguments)
    }
}
