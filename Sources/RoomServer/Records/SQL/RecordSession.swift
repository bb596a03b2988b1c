/// The records database as the record logic sees it, whichever engine holds
/// it: one session inside one transaction, running parameterised SQL. The SQL
/// is written once with PostgreSQL's `$1, $2…` placeholders (each engine's
/// session translates what it must, see ``SQLDialect``); values are only ever
/// bound, never spliced into the text.
public protocol RecordSession {
    /// The engine's dialect: the SQL that differs between them.
    var dialect: SQLDialect { get }
    /// Runs a statement that returns no rows.
    func execute(_ sql: String, _ arguments: [SQLValue]) throws
    /// Runs a query and returns every row.
    func query(_ sql: String, _ arguments: [SQLValue]) throws -> [SQLRow]
    /// Runs an `INSERT` into a table with an `id` column and returns the new row's id.
    func insertReturningID(_ sql: String, _ arguments: [SQLValue]) throws -> Int64
}

extension RecordSession {
    /// `execute` with Swift values.
    public func execute(_ sql: String, _ arguments: any SQLBindable...) throws {
        try execute(sql, arguments.map(\.sqlValue))
    }

    /// `query` with Swift values.
    public func query(_ sql: String, _ arguments: any SQLBindable...) throws -> [SQLRow] {
        try query(sql, arguments.map(\.sqlValue))
    }

    /// The first column of the first row (`.null` when there is none).
    public func scalar(_ sql: String, _ arguments: any SQLBindable...) throws -> SQLValue {
        try query(sql, arguments.map(\.sqlValue)).first?.values.first ?? .null
    }

    /// The first column of every row, as text (rows whose value is not text are skipped).
    public func texts(_ sql: String, _ arguments: any SQLBindable...) throws -> [String] {
        try query(sql, arguments.map(\.sqlValue)).compactMap { $0.values.first?.text }
    }
}

/// A connection to the records database, used by one thread at a time (the
/// record store's writer queue): opens transactions and closes.
public protocol RecordDatabase: AnyObject {
    /// The engine's dialect.
    var dialect: SQLDialect { get }
    /// Runs `body` in one transaction: committed when it returns, rolled back when it throws.
    func transaction<T>(_ body: (any RecordSession) throws -> T) throws -> T
    /// Closes the connection (after a clean stop: SQLite also checkpoints its WAL).
    func close() throws
}

/// Why the records database refused or failed. Never carries a bound value:
/// the engines' messages are reduced to what names no value (see each engine).
public enum RecordDatabaseError: Error, Sendable, Hashable, CustomStringConvertible {
    /// The engine refused a statement: its error code and message.
    case statementFailed(code: String, message: String)
    /// The connection could not be made or was lost.
    case connectionFailed(String)
    /// A column held a value of another kind than the record logic expects.
    case unexpectedValue(column: String, expected: String)

    /// For logs and the operator.
    public var description: String {
        switch self {
        case .statementFailed(let code, let message): "the records database refused a statement (\(code)): \(message)"
        case .connectionFailed(let message): "cannot reach the records database: \(message)"
        case .unexpectedValue(let column, let expected): "column \(column) does not hold \(expected)"
        }
    }
}
