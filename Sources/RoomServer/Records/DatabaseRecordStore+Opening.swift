import Foundation
import Logging

extension DatabaseRecordStore {
    /// The store `settings` configure (`records.backend`), opened and migrated.
    /// A database that cannot be reached or migrated is a settings error
    /// naming `records.postgresqlURL` (never its value).
    public static func open(settings: ServerSettings, logger: Logger) throws -> DatabaseRecordStore {
        switch settings.recordsBackend {
        case .sqlite:
            try sqlite(
                dataDirectory: settings.dataDirectory, nodeID: settings.nodeID,
                maxQueuedRecords: settings.recordsMaxQueued, logger: logger)
        case .postgresql:
            try postgresql(
                url: settings.recordsPostgreSQLURL ?? "", nodeID: settings.nodeID,
                maxQueuedRecords: settings.recordsMaxQueued, logger: logger)
        }
    }

    /// Opens (creating if needed) `records.sqlite` in `dataDirectory` (folder
    /// 0700, file 0600, WAL), takes the data-folder lock, migrates it, closes
    /// what a crashed run left open, and starts the heartbeat.
    public static func sqlite(
        dataDirectory: String, nodeID: String = "local",
        maxQueuedRecords: Int = ServerSettings.defaultMaxQueuedRecords, logger: Logger
    ) throws -> DatabaseRecordStore {
        let path = URL(fileURLWithPath: dataDirectory).appendingPathComponent(RecordsLocation.sqliteFileName).path
        try prepareFile(at: path)
        // Before anything else: a second server on this folder must not close the first one's attendance.
        let lock = try DataFolderLock(path: path + ".lock")
        let database = try SQLiteRecordDatabase(path: path, readOnly: false)
        try RecordMigrator.migrate(database)
        restrictPermissions(of: path)
        return try DatabaseRecordStore(
            database: database, location: .sqlite(path: path), nodeID: nodeID, lock: lock,
            maxQueuedRecords: maxQueuedRecords, logger: logger)
    }

    /// Connects to the PostgreSQL database at the libpq URI `url`, migrates
    /// it (one server at a time), closes what node `nodeID` left open after a
    /// crash (no other node's), and starts the heartbeat.
    public static func postgresql(
        url: String, nodeID: String, maxQueuedRecords: Int = ServerSettings.defaultMaxQueuedRecords, logger: Logger
    ) throws -> DatabaseRecordStore {
        do {
            let database = try PostgreSQLRecordDatabase(url: url)
            try RecordMigrator.migrate(database)
            return try DatabaseRecordStore(
                database: database, location: .postgresql(url: url), nodeID: nodeID, lock: nil,
                maxQueuedRecords: maxQueuedRecords, logger: logger)
        } catch let error as RecordDatabaseError {
            throw SettingsError.unusableDatabase("records.postgresqlURL", error.description)
        }
    }

    /// Creates the folder (0700) and an empty database file (0600) so the file
    /// is never readable by others, not even for a moment.
    private static func prepareFile(at path: String) throws {
        let manager = FileManager.default
        let directory = URL(fileURLWithPath: path).deletingLastPathComponent().path
        try manager.createDirectory(
            atPath: directory, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
        if !manager.fileExists(atPath: path) {
            guard manager.createFile(atPath: path, contents: nil, attributes: [.posixPermissions: 0o600]) else {
                throw SettingsError.unreadableFile(path, "cannot create the records database")
            }
        }
    }

    /// 0600 on the database and its WAL and shared-memory files.
    private static func restrictPermissions(of path: String) {
        for file in [path, path + "-wal", path + "-shm"] where FileManager.default.fileExists(atPath: file) {
            try? FileManager.default.setAttributes([.posixPermissions: 0o600], ofItemAtPath: file)
        }
    }
}
