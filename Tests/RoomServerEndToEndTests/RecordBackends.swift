import Foundation
import ServerTestSupport
import Testing

@testable import RoomServer

/// The end-to-end tests that read the records run on both backends: the
/// PostgreSQL runs get a fresh database of their own on the test server.
enum RecordBackends {
    /// Every backend.
    static let all = RecordBackend.allCases

    /// `base` with the records on `backend`; nil when that is PostgreSQL and no
    /// test server runs (then under CI the test fails, elsewhere it says it did not run).
    /// The database is left to the test server (`Scripts/postgres down` removes it).
    static func settings(
        _ base: ServerSettings = .echoTesting, on backend: RecordBackend, test: String = #function
    ) throws -> ServerSettings? {
        var settings = base
        settings.recordsBackend = backend
        switch backend {
        case .sqlite: return settings
        case .postgresql:
            guard let server = TestPostgres.serverURL else {
                let message = TestPostgres.notRunMessage(test)
                if TestPostgres.missingIsFailure {
                    Issue.record(Comment(rawValue: message))
                } else {
                    FileHandle.standardError.write(Data((message + "\n").utf8))
                }
                return nil
            }
            settings.recordsPostgreSQLURL = try TestPostgres.freshDatabase(serverURL: server)
            return settings
        }
    }
}
