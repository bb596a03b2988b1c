import CLibpq
import Foundation

/// One connection to PostgreSQL through libpq: the whole of our PostgreSQL
/// client. Blocking calls, made by one thread at a time (the record store's
/// writer queue, off every room's loop). Every statement goes through
/// `PQexecParams` with its values bound as parameters, never spliced into
/// the SQL; results come back as ``SQLRow``s. Errors carry libpq's error
/// code and primary message with any quoted value taken out (PostgreSQL's
/// DETAIL, where it quotes row values, is never read), and never the
/// connection URL, whose password must stay out of logs.
final class PostgreSQLConnection {
    /// The libpq connection (`PostgreSQLConnection+Notifications` reads its socket).
    let connection: OpaquePointer

    /// Connects with the libpq connection URI or `key=value` string `url`
    /// (`postgresql://user:password@host:port/database?sslmode=require`).
    /// Waits at most `connectTimeoutSeconds` (10 s) unless the URL says `connect_timeout`;
    /// `applicationName` is what `pg_stat_activity` shows for it (unless the URL says one).
    init(url: String, connectTimeoutSeconds: Int = 10, applicationName: String = "iopd") throws(RecordDatabaseError) {
        // The URL comes last, so what it says wins over these defaults (expand_dbname = 1);
        // both lists end with NULL.
        let keywords = ["connect_timeout", "application_name", "dbname", nil]
        let values = [String(connectTimeoutSeconds), applicationName, url, nil]
        let made = Self.withCStrings(keywords) { keys in
            Self.withCStrings(values) { PQconnectdbParams(keys, $0, 1) }
        }
        guard let made else { throw .connectionFailed("libpq could not allocate a connection") }
        guard PQstatus(made) == CONNECTION_OK else {
            let message = Self.withoutSecrets(Self.oneLine(String(cString: PQerrorMessage(made))), of: url)
            PQfinish(made)
            throw .connectionFailed(message)
        }
        // libpq prints the server's notices ("relation … already exists, skipping") on stderr: not here.
        PQsetNoticeProcessor(made, { _, _ in }, nil)
        connection = made
    }

    deinit {
        PQfinish(connection)
    }

    /// Whether the connection is usable (libpq notices a loss at the next statement).
    var isConnected: Bool { PQstatus(connection) == CONNECTION_OK }

    /// Runs `sql` with `arguments` bound to `$1, $2…` and returns its rows (none for a command).
    func run(_ sql: String, _ arguments: [SQLValue]) throws(RecordDatabaseError) -> [SQLRow] {
        // Numbers are sent as int8 and text as text; a NULL lets the server infer its type.
        let types: [UInt32] = arguments.map {
            switch $0 {
            case .null: 0
            case .integer: 20
            case .real: 701
            case .text: 25
            }
        }
        let texts: [String?] = arguments.map {
            switch $0 {
            case .null: nil
            case .integer(let number): String(number)
            case .real(let number): "\(number)"
            case .text(let text): text
            }
        }
        let result = Self.withCStrings(texts) { parameters in
            PQexecParams(connection, sql, Int32(arguments.count), types, parameters, nil, nil, 0)
        }
        guard let result else {
            throw .connectionFailed(Self.clean(String(cString: PQerrorMessage(connection))))
        }
        defer { PQclear(result) }
        switch PQresultStatus(result) {
        case PGRES_COMMAND_OK: return []
        case PGRES_TUPLES_OK: return Self.rows(of: result)
        default:
            if PQstatus(connection) != CONNECTION_OK {
                throw .connectionFailed(Self.clean(String(cString: PQerrorMessage(connection))))
            }
            let code = PQresultErrorField(result, iop_pg_diag_sqlstate).map { String(cString: $0) } ?? "?????"
            let message = PQresultErrorField(result, iop_pg_diag_message_primary).map { String(cString: $0) } ?? ""
            throw .statementFailed(code: code, message: Self.clean(message))
        }
    }

    /// Every row of a `PGRES_TUPLES_OK` result, typed by each column's type.
    private static func rows(of result: OpaquePointer) -> [SQLRow] {
        let columnCount = PQnfields(result)
        let columns = (0..<columnCount).map { String(cString: PQfname(result, $0)) }
        let types = (0..<columnCount).map { PQftype(result, $0) }
        return (0..<PQntuples(result)).map { row in
            SQLRow(
                columns: columns,
                values: (0..<columnCount).map { column in
                    guard PQgetisnull(result, row, column) == 0 else { return .null }
                    return value(String(cString: PQgetvalue(result, row, column)), type: types[Int(column)])
                })
        }
    }

    /// A text-format result value as an ``SQLValue``, by its column's type oid.
    static func value(_ text: String, type: UInt32) -> SQLValue {
        switch type {
        case 20, 21, 23, 26: Int64(text).map(SQLValue.integer) ?? .text(text)  // int8, int2, int4, oid
        case 16: .integer(text == "t" ? 1 : 0)  // bool
        case 700, 701: Double(text).map(SQLValue.real) ?? .text(text)  // float4, float8
        case 1700: Int64(text).map(SQLValue.integer) ?? Double(text).map(SQLValue.real) ?? .text(text)  // numeric
        default: .text(text)
        }
    }

    /// libpq's message on one line, with every double-quoted part that is not
    /// a plain lower-case SQL name replaced by `"…"`: what PostgreSQL quotes
    /// besides names (a value that did not parse) never reaches a log.
    static func clean(_ message: String) -> String {
        let parts = message.split(separator: "\"", omittingEmptySubsequences: false)
        var result = ""
        for (index, part) in parts.enumerated() {
            if index > 0 { result += "\"" }
            let quoted = index % 2 == 1 && index < parts.count - 1
            result += quoted && !isPlainName(part) ? "…" : String(part)
        }
        return oneLine(result)
    }

    /// libpq's multi-line message on one line. Connection messages pass through
    /// this alone: they name the host, port, user and database the operator
    /// configured (never the password, which libpq does not repeat), and no record.
    static func oneLine(_ message: String) -> String {
        message.split(whereSeparator: \.isNewline).map { $0.trimmingCharacters(in: .whitespaces) }
            .joined(separator: " ")
    }

    private static func isPlainName(_ text: Substring) -> Bool {
        guard let first = text.first, first.isLetter || first == "_", text.count <= 63 else { return false }
        return text.allSatisfy { ($0.isASCII && ($0.isLowercase || $0.isNumber)) || $0 == "_" || $0 == "." }
    }

    /// `message` without `url` and without the password it holds: libpq quotes
    /// the whole URI, or the piece it could not parse, in some of its errors.
    static func withoutSecrets(_ message: String, of url: String) -> String {
        var text = message.replacingOccurrences(of: url, with: "(the URL)")
        for secret in passwords(in: url) where secret.count >= 1 {
            text = text.replacingOccurrences(of: secret, with: "***")
        }
        return text
    }

    /// The password in `url`, as written and percent-decoded: from `user:password@`
    /// of a URI, and from `password=` in its query or in a `key=value` string.
    static func passwords(in url: String) -> [String] {
        var found: [String] = []
        if let scheme = url.range(of: "://") {
            let rest = url[scheme.upperBound...]
            let authority = rest.prefix { $0 != "/" && $0 != "?" } + ""
            if let at = authority.lastIndex(of: "@"), let colon = authority[..<at].firstIndex(of: ":") {
                found.append(String(authority[authority.index(after: colon)..<at]))
            }
        }
        for field in url.split(whereSeparator: { "&? \t".contains($0) }) where field.hasPrefix("password=") {
            found.append(String(field.dropFirst("password=".count)))
        }
        return found + found.compactMap { $0.removingPercentEncoding }
    }

    /// Runs `body` with `strings` as C strings (nil for nil), valid only during the call.
    private static func withCStrings<T>(
        _ strings: [String?], _ body: ([UnsafePointer<CChar>?]) -> T
    ) -> T {
        let copies = strings.map { $0.flatMap { strdup($0) } }
        defer { for copy in copies { free(copy) } }
        return body(copies.map { $0.map { UnsafePointer($0) } })
    }
}
