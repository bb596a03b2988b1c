import Foundation
import GRDB
import Logging
import RoomCore
import Testing

@testable import RoomServer

/// What only the SQLite backend has: a private file in WAL mode, GRDB's
/// migration table, and the data-folder lock.
@Suite struct SQLiteRecordFileTests {
    @Test func fileIsMigratedInWALModeAndPrivate() throws {
        let records = try #require(try RecordsUnderTest.make(.sqlite))
        let store = try records.open()
        defer { store.close(at: Timestamp(millisecondsSinceEpoch: 0)) }
        guard case .sqlite(let path) = records.location else { return }
        let mode = try FileManager.default.attributesOfItem(atPath: path)[.posixPermissions] as? Int
        #expect(mode == 0o600)
        for suffix in ["-wal", "-shm"] where FileManager.default.fileExists(atPath: path + suffix) {
            #expect(try FileManager.default.attributesOfItem(atPath: path + suffix)[.posixPermissions] as? Int == 0o600)
        }
        #expect(try store.texts("PRAGMA journal_mode") == ["wal"])
        #expect(
            try store.texts("SELECT identifier FROM grdb_migrations")
                == [
                    "v1-records", "v2-revocations", "v3-programs", "v4-invitations", "v5-nodes", "v6-room-leases",
                    "v7-absence-notes", "v8-rooms",
                ])
        let tables = Set(try store.texts("SELECT name FROM sqlite_master WHERE type = 'table'"))
        #expect(
            tables.isSuperset(of: [
                "sessions", "attendance", "attendance_events", "moderation_audit", "checkin_scores", "node_heartbeats",
                "absence_notes", "rooms",
            ]))
    }

    @Test func aSecondStoreOnTheSameFolderIsRefused() throws {
        let records = try #require(try RecordsUnderTest.make(.sqlite))
        let first = try records.open()
        #expect(throws: SettingsError.self) { try records.open() }
        first.close(at: Timestamp(millisecondsSinceEpoch: 0))
        try records.open().close(at: Timestamp(millisecondsSinceEpoch: 0))
    }

    /// A file from before node ids (v4, one heartbeat row): still migrated, and what a crashed run
    /// of that version left open is closed at its heartbeat by the first run of this one.
    @Test func aFileFromBeforeNodeIDsIsMigratedAndRecovered() throws {
        let records = try #require(try RecordsUnderTest.make(.sqlite))
        guard case .sqlite(let path) = records.location else { return }
        try FileManager.default.createDirectory(atPath: records.folder, withIntermediateDirectories: true)
        let old = try DatabaseQueue(path: path)
        var migrator = DatabaseMigrator()
        for migration in RecordSchema.migrations.prefix(4) {
            migrator.registerMigration(migration.identifier) { db in
                for statement in migration.statements { try db.execute(sql: SQLDialect.sqlite.schema(statement)) }
            }
        }
        try migrator.migrate(old)
        try old.write { db in
            try db.execute(sql: "INSERT INTO sessions (room, started_at) VALUES ('r', 1000)")
            try db.execute(
                sql:
                    "INSERT INTO attendance (session_id, room, member, role, joined_at) VALUES (1, 'r', 'm1', 'participant', 1000)"
            )
            try db.execute(sql: "INSERT INTO server_state (id, last_alive_at) VALUES (1, 7000)")
        }
        try old.close()
        let store = try records.open()
        defer { store.close(at: Timestamp(millisecondsSinceEpoch: 0)) }
        let stay = try #require(try store.rows("SELECT left_at, end_reason FROM attendance").first)
        #expect(stay["left_at"] == .integer(7_000) && stay["end_reason"] == .text("server_stopped"))
        #expect(try store.number("SELECT last_alive_at FROM node_heartbeats WHERE node = ''") == 7_000)
        #expect(
            try store.texts("SELECT identifier FROM grdb_migrations").suffix(4) == [
                "v5-nodes", "v6-room-leases", "v7-absence-notes", "v8-rooms",
            ])
        #expect(try store.number("SELECT COUNT(*) FROM absence_notes") == 0)
        #expect(try store.number("SELECT COUNT(*) FROM rooms") == 0)
    }
}
