import Crypto
import Foundation
import GRDB

/// The tamper-evident chains of the records database: every row of
/// `attendance_events`, `moderation_audit` and `program_audit` carries `prev_hash` (the
/// previous row's hash, 64 zeros for the first) and `hash`, the SHA-256 of
/// `prev_hash` and the row's fields in a length-prefixed encoding. Editing,
/// deleting or reordering a row breaks the chain at that row or the next.
/// (Cutting rows off the end is not detectable from the file alone.)
public enum RecordChain {
    /// The `prev_hash` of a table's first row.
    public static let genesis = String(repeating: "0", count: 64)

    /// A chained table and the columns its hash covers, in order.
    struct Table: Sendable {
        let name: String
        let columns: [String]
        /// `INSERT INTO name (columns…, prev_hash, hash) VALUES (?, …)`, built once.
        let insertSQL: String

        init(name: String, columns: [String]) {
            self.name = name
            self.columns = columns
            let all = columns + ["prev_hash", "hash"]
            let marks = Array(repeating: "?", count: all.count).joined(separator: ", ")
            insertSQL = "INSERT INTO \(name) (\(all.joined(separator: ", "))) VALUES (\(marks))"
        }
    }

    /// The last hash of each chain as one writer committed it, so appending a
    /// row need not read it back. Valid only while that writer is the tables'
    /// only writer (the data folder lock keeps other servers out) and only
    /// for committed rows: forget it when a transaction fails.
    struct Tails {
        private var hashes: [String: String] = [:]

        /// The hash the next row of `table` follows.
        mutating func last(of table: Table, in db: Database) throws -> String {
            if let known = hashes[table.name] { return known }
            let statement = try db.cachedStatement(sql: "SELECT hash FROM \(table.name) ORDER BY id DESC LIMIT 1")
            let found = try String.fetchOne(statement) ?? genesis
            hashes[table.name] = found
            return found
        }

        mutating func set(_ hash: String, of table: Table) {
            hashes[table.name] = hash
        }
    }

    static let attendance = Table(
        name: "attendance_events", columns: ["session_id", "room", "member", "role", "event", "detail", "at"])
    static let moderation = Table(
        name: "moderation_audit",
        columns: ["session_id", "room", "actor", "action", "target", "message_id", "alert_id", "at"])
    static let programAudit = Table(name: "program_audit", columns: ["room", "actor", "action", "member", "at"])
    static let tables = [attendance, moderation, programAudit]

    /// The hash of a row whose fields are `values` (text, integers or nil), after `previous`.
    static func hash(previous: String, table: String, values: [DatabaseValueConvertible?]) -> String {
        var canonical = "\(table.utf8.count):\(table)"
        for value in values {
            switch value?.databaseValue.storage {
            case nil, .null?: canonical += "-"
            case .int64(let number)?: canonical += "i\(number);"
            case .string(let text)?: canonical += "s\(text.utf8.count):\(text)"
            case .double(let number)?: canonical += "d\(number);"
            case .blob(let data)?: canonical += "b\(data.count):\(data.base64EncodedString())"
            }
        }
        let digest = SHA256.hash(data: Data((previous + canonical).utf8))
        return hex(digest)
    }

    /// Lower-case hexadecimal, two digits a byte (what `String(format: "%02x")` gave, without
    /// Foundation's formatter: this runs for every record).
    static func hex(_ bytes: some Sequence<UInt8>) -> String {
        let digits = Array("0123456789abcdef".utf8)
        var text: [UInt8] = []
        for byte in bytes {
            text.append(digits[Int(byte >> 4)])
            text.append(digits[Int(byte & 0x0F)])
        }
        return String(decoding: text, as: UTF8.self)
    }

    /// Inserts a row at the end of `table`'s chain. In a write transaction.
    static func append(
        _ table: Table, _ values: [DatabaseValueConvertible?], tails: inout Tails, in db: Database
    ) throws {
        let previous = try tails.last(of: table, in: db)
        let hash = hash(previous: previous, table: table.name, values: values)
        try db.executeCached(sql: table.insertSQL, arguments: StatementArguments(values + [previous, hash]))
        tails.set(hash, of: table)
    }

    /// Checks both chains of the database at `path` (opened read-only).
    public static func verify(databaseAt path: String) throws -> ChainVerification {
        var configuration = GRDB.Configuration()
        configuration.readonly = true
        let database = try DatabaseQueue(path: path, configuration: configuration)
        defer { try? database.close() }
        return try database.read { try verify($0) }
    }

    /// Checks both chains in `db`.
    static func verify(_ db: Database) throws -> ChainVerification {
        var result = ChainVerification()
        for table in tables {
            var previous = genesis
            result.rowsChecked[table.name] = 0
            let rows = try Row.fetchCursor(
                db,
                sql:
                    "SELECT id, \(table.columns.joined(separator: ", ")), prev_hash, hash FROM \(table.name) ORDER BY id"
            )
            while let row = try rows.next() {
                let id: Int64 = row["id"]
                let values = table.columns.map { row[$0] as DatabaseValue }
                let recordedPrevious: String = row["prev_hash"]
                let recorded: String = row["hash"]
                if recordedPrevious != previous {
                    result.firstBreak = ChainBreak(table: table.name, row: id, problem: .previousHashMismatch)
                    return result
                }
                if hash(previous: previous, table: table.name, values: values) != recorded {
                    result.firstBreak = ChainBreak(table: table.name, row: id, problem: .contentHashMismatch)
                    return result
                }
                previous = recorded
                result.rowsChecked[table.name]? += 1
            }
        }
        return result
    }
}

/// The outcome of checking the records' hash chains.
public struct ChainVerification: Sendable, Hashable {
    /// Rows found intact, by table.
    public var rowsChecked: [String: Int] = [:]
    /// The first broken row, if any (tables checked in a fixed order).
    public var firstBreak: ChainBreak?
    /// Whether every chain is intact.
    public var isIntact: Bool { firstBreak == nil }
}

/// The first row where a chain does not hold.
public struct ChainBreak: Sendable, Hashable, CustomStringConvertible {
    /// What does not match.
    public enum Problem: String, Sendable, Hashable {
        /// The row's fields no longer give its hash: the row was edited.
        case contentHashMismatch = "content_hash_mismatch"
        /// The row does not follow the one before it: a row was deleted, inserted or reordered.
        case previousHashMismatch = "previous_hash_mismatch"
    }

    /// The table (`attendance_events` or `moderation_audit`).
    public var table: String
    /// The row's `id`.
    public var row: Int64
    /// What does not match.
    public var problem: Problem

    /// For the operator: `moderation_audit row 17: content_hash_mismatch`.
    public var description: String { "\(table) row \(row): \(problem.rawValue)" }
}
