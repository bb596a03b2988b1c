import CLibpq
import Foundation

/// The PostgreSQL server `Scripts/test` starts on loopback (`Scripts/postgres
/// up`), for the tests that run the records on PostgreSQL: each gets a fresh
/// database of its own, so tests stay independent and run in parallel.
public enum TestPostgres {
    /// The environment variable with the server's URL (its `postgres` database).
    public static let environmentKey = "IOP_TEST_POSTGRES_URL"

    /// The server's URL, or nil when no server was started for the tests.
    public static var serverURL: String? {
        ProcessInfo.processInfo.environment[environmentKey].flatMap { $0.isEmpty ? nil : $0 }
    }

    /// Whether a missing server is a failure (under CI, where `Scripts/test` always starts one).
    public static var missingIsFailure: Bool { ProcessInfo.processInfo.environment["CI"] != nil }

    /// What a test without a server says, naming what did not run.
    public static func notRunMessage(_ what: String) -> String {
        "\(what): the PostgreSQL variant did NOT run: \(environmentKey) is not set (Scripts/test starts a server; "
            + "or `eval \"$(Scripts/postgres up)\"`)"
    }

    /// Creates an empty database on the test server and returns its URL.
    public static func freshDatabase(serverURL: String) throws -> String {
        let name = "iop_test_" + UUID().uuidString.lowercased().replacingOccurrences(of: "-", with: "")
        // The name is made here, never from input. FILE_COPY: about half the time of PostgreSQL 15's
        // default (WAL_LOG) on the test server, which does not fsync.
        try run("CREATE DATABASE \(name) STRATEGY FILE_COPY", url: serverURL)
        guard var components = URLComponents(string: serverURL) else {
            throw TestPostgresError(message: "\(environmentKey) is not a postgresql:// URL")
        }
        components.path = "/" + name
        guard let url = components.string else { throw TestPostgresError(message: "cannot build the database URL") }
        return url
    }

    /// Drops the database at `url` (its connections ended), best effort.
    public static func drop(databaseAt url: String, serverURL: String) {
        guard let name = URLComponents(string: url)?.path.dropFirst(), name.hasPrefix("iop_test_") else { return }
        try? run("DROP DATABASE IF EXISTS \(name) WITH (FORCE)", url: serverURL)
    }

    /// Runs `statements` (no values bound: schema changes and tampering in tests) on a connection of their own.
    public static func run(_ statements: String..., url: String) throws {
        guard let connection = PQconnectdb(url) else { throw TestPostgresError(message: "no connection") }
        defer { PQfinish(connection) }
        guard PQstatus(connection) == CONNECTION_OK else {
            throw TestPostgresError(message: String(cString: PQerrorMessage(connection)))
        }
        for statement in statements {
            guard let result = PQexecParams(connection, statement, 0, nil, nil, nil, nil, 0) else {
                throw TestPostgresError(message: String(cString: PQerrorMessage(connection)))
            }
            defer { PQclear(result) }
            let status = PQresultStatus(result)
            guard status == PGRES_COMMAND_OK || status == PGRES_TUPLES_OK else {
                throw TestPostgresError(message: String(cString: PQresultErrorMessage(result)))
            }
        }
    }
}

/// A failure of the test server's administration (not of the code under test).
public struct TestPostgresError: Error, CustomStringConvertible {
    /// libpq's message.
    public let message: String
    /// The message.
    public var description: String { message }
}
