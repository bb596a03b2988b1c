import Crypto
import Foundation

/// The tamper-evident chains of the records database: every row of
/// `attendance_events`, `moderation_audit` and `program_audit` carries `prev_hash` (the
/// previous row's hash, 64 zeros for the first) and `hash`, the SHA-256 of
/// `prev_hash` and the row's fields in a length-prefixed encoding. Editing,
/// deleting or reordering a row breaks the chain at that row or the next.
/// (Cutting rows off the end is not detectable from the file alone.) The same
/// canonical bytes on SQLite and PostgreSQL: a chain verifies on either.
public enum RecordChain {
    /// The `prev_hash` of a table's first row.
    public static let genesis = String(repeating: "0", count: 64)

    /// A chained table and the columns its hash covers, in order.
    struct Table: Sendable {
        let name: String
        let columns: [String]
        /// The key of the advisory lock that serialises appends on a shared database.
        let lockKey: Int64
        /// `INSERT INTO name (columns…, prev_hash, hash) VALUES ($1, …)`, built once.
        let insertSQL: String

        init(name: String, columns: [String], lockIndex: Int) {
            self.name = name
            self.columns = columns
            lockKey = SQLDialect.chainLockKey(lockIndex)
            let all = columns + ["prev_hash", "hash"]
            let marks = (1...all.count).map { "$\($0)" }.joined(separator: ", ")
            insertSQL = "INSERT INTO \(name) (\(all.joined(separator: ", "))) VALUES (\(marks))"
        }
    }

    /// The last hash of each chain as one writer committed it, so appending a
    /// row need not read it back. Valid only while that writer is the tables'
    /// only writer (the data folder lock keeps other servers out) and only
    /// for committed rows: forget it when a transaction fails. On a shared
    /// database, forgotten at every transaction: the first append to a chain
    /// takes the chain's lock (held to the commit) and reads its tail.
    struct Tails {
        private var hashes: [String: String] = [:]
        private var locked: Set<Int64> = []

        /// The hash the next row of `table` follows.
        mutating func last(of table: Table, in session: any RecordSession) throws -> String {
            if let known = hashes[table.name] { return known }
            if let lock = session.dialect.chainLockSQL {
                // Always in the order of `tables`, so two writers never wait for each other in a circle.
                for other in tables where other.lockKey <= table.lockKey && !locked.contains(other.lockKey) {
                    try session.execute(lock, other.lockKey)
                    locked.insert(other.lockKey)
                }
            }
            let found = try session.scalar("SELECT hash FROM \(table.name) ORDER BY id DESC LIMIT 1").text ?? genesis
            hashes[table.name] = found
            return found
        }

        mutating func set(_ hash: String, of table: Table) {
            hashes[table.name] = hash
        }
    }

    static let attendance = Table(
        name: "attendance_events", columns: ["session_id", "room", "member", "role", "event", "detail", "at"],
        lockIndex: 0)
    static let moderation = Table(
        name: "moderation_audit",
        columns: ["session_id", "room", "actor", "action", "target", "message_id", "alert_id", "at"], lockIndex: 1)
    static let programAudit = Table(
        name: "program_audit", columns: ["room", "actor", "action", "member", "at"], lockIndex: 2)
    static let tables = [attendance, moderation, programAudit]

    /// The hash of a row whose fields are `values` (text, integers or nil), after `previous`.
    static func hash(previous: String, table: String, values: [SQLValue]) -> String {
        var canonical = "\(table.utf8.count):\(table)"
        for value in values {
            switch value {
            case .null: canonical += "-"
            case .integer(let number): canonical += "i\(number);"
            case .text(let text): canonical += "s\(text.utf8.count):\(text)"
            case .real(let number): canonical += "d\(number);"
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
        _ table: Table, _ values: [SQLValue], tails: inout Tails, in session: any RecordSession
    ) throws {
        let previous = try tails.last(of: table, in: session)
        let hash = hash(previous: previous, table: table.name, values: values)
        try session.execute(table.insertSQL, values + [.text(previous), .text(hash)])
        tails.set(hash, of: table)
    }

    /// Checks every chain of the records database at `location` (opened for reading).
    public static func verify(_ location: RecordsLocation) throws -> ChainVerification {
        let database = try location.openForReading()
        defer { try? database.close() }
        return try database.transaction { try verify($0) }
    }

    /// Rows read at a time: verifying a large database holds only this many in memory.
    static let verificationPage = 5_000

    /// Checks every chain in `session`.
    static func verify(_ session: any RecordSession) throws -> ChainVerification {
        var result = ChainVerification()
        for table in tables {
            var previous = genesis
            var after: Int64 = 0
            result.rowsChecked[table.name] = 0
            let sql = """
                SELECT id, \(table.columns.joined(separator: ", ")), prev_hash, hash FROM \(table.name)
                WHERE id > $1 ORDER BY id LIMIT \(verificationPage)
                """
            while true {
                let rows = try session.query(sql, after)
                for row in rows {
                    let id = try row.integer("id")
                    let recorded = row["hash"].text
                    if row["prev_hash"].text != previous {
                        result.firstBreak = ChainBreak(table: table.name, row: id, problem: .previousHashMismatch)
                        return result
                    }
                    if hash(previous: previous, table: table.name, values: table.columns.map { row[$0] }) != recorded {
                        result.firstBreak = ChainBreak(table: table.name, row: id, problem: .contentHashMismatch)
                        return result
                    }
                    previous = recorded ?? genesis
                    after = id
                    result.rowsChecked[table.name]? += 1
                }
                if rows.count < verificationPage { break }
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
