import Foundation
import GRDB
import Logging
import ServerTestSupport
import Testing

@testable import RoomServer

/// A fresh, empty records database of one backend for one test: a temporary
/// folder for SQLite, a database of its own on the test PostgreSQL server.
/// The record store's suites take every backend as an argument, so the same
/// tests run on both.
final class RecordsUnderTest: Sendable {
    /// Every backend the record-store tests run on.
    static let backends = RecordBackend.allCases

    let backend: RecordBackend
    let folder = NSTemporaryDirectory() + "iop-records-\(UUID().uuidString)"
    private let url: String?

    /// A fresh database, or nil when `backend` is PostgreSQL and no test server
    /// was started: then under CI the test fails, elsewhere it says it did not run.
    static func make(_ backend: RecordBackend, test: String = #function) throws -> RecordsUnderTest? {
        switch backend {
        case .sqlite: return RecordsUnderTest(backend: backend, url: nil)
        case .postgresql:
            guard let server = TestPostgres.serverURL else {
                if TestPostgres.missingIsFailure {
                    Issue.record(Comment(rawValue: TestPostgres.notRunMessage(test)))
                } else {
                    FileHandle.standardError.write(Data((TestPostgres.notRunMessage(test) + "\n").utf8))
                }
                return nil
            }
            return RecordsUnderTest(backend: backend, url: try TestPostgres.freshDatabase(serverURL: server))
        }
    }

    private init(backend: RecordBackend, url: String?) {
        self.backend = backend
        self.url = url
    }

    deinit {
        try? FileManager.default.removeItem(atPath: folder)
        if let url, let server = TestPostgres.serverURL { TestPostgres.drop(databaseAt: url, serverURL: server) }
    }

    /// Where the records are.
    var location: RecordsLocation {
        switch backend {
        case .sqlite: .sqlite(path: folder + "/" + RecordsLocation.sqliteFileName)
        case .postgresql: .postgresql(url: url ?? "")
        }
    }

    /// Settings that put the records here (the data folder is the test's folder either way).
    var settings: ServerSettings {
        var settings = ServerSettings()
        settings.dataDirectory = folder
        settings.recordsBackend = backend
        settings.recordsPostgreSQLURL = url
        return settings
    }

    /// Opens a store on this database as server `node`.
    func open(node: String = "node-a") throws -> DatabaseRecordStore {
        var settings = settings
        settings.nodeID = node
        return try DatabaseRecordStore.open(settings: settings, logger: Logger(label: "test"))
    }

    /// Runs `statements` behind the store's back, on a connection of their own (tampering, sabotage).
    func behindTheStore(_ statements: String...) throws {
        switch location {
        case .sqlite(let path):
            let database = try DatabaseQueue(path: path)
            defer { try? database.close() }
            try database.write { db in for statement in statements { try db.execute(sql: statement) } }
        case .postgresql(let url):
            for statement in statements { try TestPostgres.run(statement, url: url) }
        }
    }

    /// Makes every insert into `checkin_scores` fail, until ``allowScores()``.
    func refuseScores() throws {
        switch backend {
        case .sqlite:
            try behindTheStore(
                "CREATE TRIGGER refuse_scores BEFORE INSERT ON checkin_scores BEGIN SELECT RAISE(ABORT, 'no'); END")
        case .postgresql:
            try behindTheStore(
                "CREATE FUNCTION refuse() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RAISE EXCEPTION 'no'; END $$",
                "CREATE TRIGGER refuse_scores BEFORE INSERT ON checkin_scores FOR EACH ROW EXECUTE FUNCTION refuse()")
        }
    }

    /// Undoes ``refuseScores()``.
    func allowScores() throws {
        switch backend {
        case .sqlite: try behindTheStore("DROP TRIGGER refuse_scores")
        case .postgresql: try behindTheStore("DROP TRIGGER refuse_scores ON checkin_scores")
        }
    }
}

extension DatabaseRecordStore {
    /// The first column of the first row of `sql`, as a number (tests).
    func number(_ sql: String, _ arguments: any SQLBindable...) throws -> Int64? {
        try read { try $0.query(sql, arguments.map(\.sqlValue)).first?.values.first?.integer }
    }

    /// The first column of every row of `sql`, as text (tests).
    func texts(_ sql: String, _ arguments: any SQLBindable...) throws -> [String] {
        try read { try $0.query(sql, arguments.map(\.sqlValue)).compactMap { $0.values.first?.text } }
    }

    /// The rows of `sql` (tests).
    func rows(_ sql: String, _ arguments: any SQLBindable...) throws -> [SQLRow] {
        try read { try $0.query(sql, arguments.map(\.sqlValue)) }
    }
}
