/// The PostgreSQL part of the records seam: one libpq connection behind
/// ``RecordDatabase``. A transaction is `BEGIN` … `COMMIT` (or `ROLLBACK`
/// when the body throws); a lost connection is tried again once at the next
/// transaction (the store retries a failed batch every second).
final class PostgreSQLRecordDatabase: RecordDatabase {
    let dialect = SQLDialect.postgresql
    /// Nil once closed.
    private var connection: PostgreSQLConnection?

    /// Connects with the libpq URI `url` (its password never appears in an error).
    init(url: String) throws(RecordDatabaseError) {
        connection = try PostgreSQLConnection(url: url)
    }

    func transaction<T>(_ body: (any RecordSession) throws -> T) throws -> T {
        guard let connection else { throw RecordDatabaseError.connectionFailed("the records database was closed") }
        try connection.ensureConnected()
        _ = try connection.run("BEGIN", [])
        do {
            let result = try body(Session(connection: connection))
            _ = try connection.run("COMMIT", [])
            return result
        } catch {
            _ = try? connection.run("ROLLBACK", [])
            throw error
        }
    }

    /// Ends the connection; later transactions fail.
    func close() throws {
        connection = nil
    }

    /// One transaction on the connection.
    struct Session: RecordSession {
        let connection: PostgreSQLConnection
        var dialect: SQLDialect { .postgresql }

        func execute(_ sql: String, _ arguments: [SQLValue]) throws {
            _ = try connection.run(sql, arguments)
        }

        func query(_ sql: String, _ arguments: [SQLValue]) throws -> [SQLRow] {
            try connection.run(sql, arguments)
        }

        func insertReturningID(_ sql: String, _ arguments: [SQLValue]) throws -> Int64 {
            try connection.run(sql + " RETURNING id", arguments).first?.integer("id") ?? 0
        }
    }
}
