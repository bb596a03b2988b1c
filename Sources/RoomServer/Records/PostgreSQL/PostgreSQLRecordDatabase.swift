/// The PostgreSQL part of the records seam: one libpq connection behind
/// ``RecordDatabase``. A transaction is `BEGIN` … `COMMIT` (or `ROLLBACK`
/// when the body throws); a lost connection is replaced by a new one at the
/// next transaction, waiting at most `reconnectTimeoutSeconds` (the store
/// retries a failed batch every second, so its writer is never held long).
final class PostgreSQLRecordDatabase: RecordDatabase {
    /// How long a reconnection may wait (unless the URL says `connect_timeout`).
    static let reconnectTimeoutSeconds = 2
    let dialect = SQLDialect.postgresql
    private let url: String
    /// Nil once closed.
    private var connection: PostgreSQLConnection?
    private var closed = false

    /// Connects with the libpq URI `url` (its password never appears in an error).
    init(url: String) throws(RecordDatabaseError) {
        self.url = url
        connection = try PostgreSQLConnection(url: url)
    }

    func transaction<T>(_ body: (any RecordSession) throws -> T) throws -> T {
        guard !closed else { throw RecordDatabaseError.connectionFailed("the records database was closed") }
        if connection?.isConnected != true {
            connection = nil  // the lost one is finished before a new one is made
            connection = try PostgreSQLConnection(url: url, connectTimeoutSeconds: Self.reconnectTimeoutSeconds)
        }
        guard let connection else { throw RecordDatabaseError.connectionFailed("no connection") }
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
        closed = true
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
