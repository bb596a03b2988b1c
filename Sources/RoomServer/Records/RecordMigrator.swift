import GRDB

/// Applies ``RecordSchema/migrations`` to a records database: on SQLite
/// through GRDB's migrator (its `grdb_migrations` table, as before), on
/// PostgreSQL with a `record_migrations` table under an advisory lock, so
/// that servers starting together migrate one after the other.
enum RecordMigrator {
    /// Migrates an SQLite records file.
    static func migrate(_ database: SQLiteRecordDatabase) throws {
        var migrator = DatabaseMigrator()
        for migration in RecordSchema.migrations {
            migrator.registerMigration(migration.identifier) { db in
                let session = SQLiteRecordDatabase.Session(db: db, owner: nil)
                for statement in migration.statements { try session.execute(SQLDialect.sqlite.schema(statement), []) }
            }
        }
        try migrator.migrate(database.queue)
    }

    /// Migrates a PostgreSQL records database, in one transaction.
    static func migrate(_ database: PostgreSQLRecordDatabase) throws {
        try database.transaction { session in
            try session.execute("SELECT pg_advisory_xact_lock($1)", SQLDialect.migrationLockKey)
            try session.execute(
                "CREATE TABLE IF NOT EXISTS record_migrations (identifier TEXT PRIMARY KEY, applied_at BIGINT NOT NULL)"
            )
            let applied = Set(try session.texts("SELECT identifier FROM record_migrations"))
            for migration in RecordSchema.migrations where !applied.contains(migration.identifier) {
                for statement in migration.statements { try session.execute(database.dialect.schema(statement), []) }
                try session.execute(
                    "INSERT INTO record_migrations (identifier, applied_at) VALUES ($1, $2)", migration.identifier,
                    ServerClock.system.now().millisecondsSinceEpoch)
            }
        }
    }
}
