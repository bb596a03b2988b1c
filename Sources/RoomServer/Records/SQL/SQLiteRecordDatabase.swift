import GRDB

/// The SQLite part of the records seam: a GRDB `DatabaseQueue` behind
/// ``RecordDatabase``. Statements go through GRDB's statement cache, with
/// their `$n` placeholders translated once each.
final class SQLiteRecordDatabase: RecordDatabase {
    let dialect = SQLDialect.sqlite
    /// The GRDB queue (tests and the migrator reach GRDB through it).
    let queue: DatabaseQueue
    private var translated: [String: String] = [:]

    /// Opens the file at `path` (read-only when `readOnly`), in WAL mode when writable.
    init(path: String, readOnly: Bool) throws {
        var configuration = GRDB.Configuration()
        configuration.readonly = readOnly
        if !readOnly { configuration.journalMode = .wal }
        configuration.label = "iop.records"
        queue = try DatabaseQueue(path: path, configuration: configuration)
    }

    func transaction<T>(_ body: (any RecordSession) throws -> T) throws -> T {
        if queue.configuration.readonly {
            return try queue.read { try body(Session(db: $0, owner: self)) }
        }
        return try queue.write { try body(Session(db: $0, owner: self)) }
    }

    /// Checkpoints the WAL into the file and closes it.
    func close() throws {
        if !queue.configuration.readonly {
            _ = try queue.writeWithoutTransaction { try $0.checkpoint(.truncate) }
        }
        try queue.close()
    }

    /// `sql` in SQLite's placeholders, translated once per distinct statement.
    fileprivate func sqliteSQL(_ sql: String) -> String {
        if let known = translated[sql] { return known }
        let text = SQLDialect.sqlitePlaceholders(sql)
        translated[sql] = text
        return text
    }

    /// One transaction on the GRDB connection.
    struct Session: RecordSession {
        let db: Database
        /// Keeps the translated statements; without one (migrations), each is translated when run.
        var owner: SQLiteRecordDatabase?
        var dialect: SQLDialect { .sqlite }

        func execute(_ sql: String, _ arguments: [SQLValue]) throws {
            try db.cachedStatement(sql: sqliteSQL(sql)).execute(arguments: Self.arguments(arguments))
        }

        private func sqliteSQL(_ sql: String) -> String {
            owner?.sqliteSQL(sql) ?? SQLDialect.sqlitePlaceholders(sql)
        }

        func query(_ sql: String, _ arguments: [SQLValue]) throws -> [SQLRow] {
            let statement = try db.cachedStatement(sql: sqliteSQL(sql))
            let rows = try Row.fetchCursor(statement, arguments: Self.arguments(arguments))
            var result: [SQLRow] = []
            while let row = try rows.next() {
                result.append(
                    SQLRow(columns: Array(row.columnNames), values: try row.databaseValues.map(Self.value)))
            }
            return result
        }

        func insertReturningID(_ sql: String, _ arguments: [SQLValue]) throws -> Int64 {
            try execute(sql, arguments)
            return db.lastInsertedRowID
        }

        static func arguments(_ values: [SQLValue]) -> StatementArguments {
            StatementArguments(
                values.map { value -> (any DatabaseValueConvertible)? in
                    switch value {
                    case .null: nil
                    case .integer(let number): number
                    case .real(let number): number
                    case .text(let text): text
                    }
                })
        }

        static func value(_ value: DatabaseValue) throws -> SQLValue {
            switch value.storage {
            case .null: .null
            case .int64(let number): .integer(number)
            case .double(let number): .real(number)
            case .string(let text): .text(text)
            case .blob: throw RecordDatabaseError.unexpectedValue(column: "(a blob)", expected: "no blob")
            }
        }
    }
}
