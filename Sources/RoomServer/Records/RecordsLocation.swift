import Foundation

/// Where the records database is: the SQLite file in the data folder, or a
/// PostgreSQL database (`records.backend`, `records.postgresqlURL`). Its
/// description names the file or says "PostgreSQL", never the URL (which
/// may hold a password).
public enum RecordsLocation: Sendable, Hashable, CustomStringConvertible {
    /// `records.sqlite` at this path.
    case sqlite(path: String)
    /// The PostgreSQL database at this libpq connection URI.
    case postgresql(url: String)

    /// The records file's name in the data folder.
    public static let sqliteFileName = "records.sqlite"

    /// The location `settings` configure; `dataDirectory` (iopctl's `--data-dir`)
    /// overrides the settings' data folder for SQLite.
    public static func configured(by settings: ServerSettings, dataDirectory: String? = nil) -> Self {
        switch settings.recordsBackend {
        case .sqlite:
            .sqlite(
                path: URL(fileURLWithPath: dataDirectory ?? settings.dataDirectory)
                    .appendingPathComponent(sqliteFileName).path)
        case .postgresql: .postgresql(url: settings.recordsPostgreSQLURL ?? "")
        }
    }

    /// For the operator: the file's path, or `the PostgreSQL database (records.postgresqlURL)`.
    public var description: String {
        switch self {
        case .sqlite(let path): path
        case .postgresql: "the PostgreSQL database (records.postgresqlURL)"
        }
    }

    /// Opens the database for reading while a server may be writing to it
    /// (SQLite read-only, in WAL mode; PostgreSQL a connection of its own).
    /// Applies no migration; fails if there are no records there.
    public func openForReading() throws -> any RecordDatabase {
        switch self {
        case .sqlite(let path):
            guard FileManager.default.fileExists(atPath: path) else {
                throw SettingsError.unusableFile(path, role: "records database", reason: "no records there")
            }
            return try SQLiteRecordDatabase(path: path, readOnly: true)
        case .postgresql(let url):
            do {
                return try PostgreSQLRecordDatabase(url: url)
            } catch {
                throw SettingsError.unusableDatabase("records.postgresqlURL", "\(error)")
            }
        }
    }
}
