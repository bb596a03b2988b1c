/// A value bound to a statement or read from a row of the records database:
/// what the records hold (ids, codes, times, numbers), in both dialects.
public enum SQLValue: Sendable, Hashable {
    /// SQL NULL.
    case null
    /// A whole number (PostgreSQL `BIGINT`, SQLite `INTEGER`).
    case integer(Int64)
    /// A floating-point number (no record column holds one; read for completeness).
    case real(Double)
    /// Text.
    case text(String)

    /// The number, if this is one.
    public var integer: Int64? {
        if case .integer(let value) = self { value } else { nil }
    }

    /// The text, if this is text.
    public var text: String? {
        if case .text(let value) = self { value } else { nil }
    }
}

/// Swift values that bind as an ``SQLValue``.
public protocol SQLBindable {
    /// The value bound for this.
    var sqlValue: SQLValue { get }
}

extension Int64: SQLBindable {
    /// `.integer`.
    public var sqlValue: SQLValue { .integer(self) }
}

extension Int: SQLBindable {
    /// `.integer`.
    public var sqlValue: SQLValue { .integer(Int64(self)) }
}

extension String: SQLBindable {
    /// `.text`.
    public var sqlValue: SQLValue { .text(self) }
}

extension SQLValue: SQLBindable {
    /// Itself.
    public var sqlValue: SQLValue { self }
}

extension Optional: SQLBindable where Wrapped: SQLBindable {
    /// The wrapped value's, or `.null`.
    public var sqlValue: SQLValue { self?.sqlValue ?? .null }
}

/// One row of a query's result: its columns by name, in order.
public struct SQLRow: Sendable, Hashable {
    /// The column names, in order.
    public let columns: [String]
    /// The values, in the same order.
    public let values: [SQLValue]

    /// Creates a row.
    public init(columns: [String], values: [SQLValue]) {
        self.columns = columns
        self.values = values
    }

    /// The value of column `name` (`.null` when there is no such column).
    public subscript(name: String) -> SQLValue {
        guard let index = columns.firstIndex(of: name) else { return .null }
        return values[index]
    }

    /// The value of column `name` as a number; throws when it is not one.
    public func integer(_ name: String) throws(RecordDatabaseError) -> Int64 {
        guard let value = self[name].integer else { throw .unexpectedValue(column: name, expected: "a number") }
        return value
    }

    /// The value of column `name` as text; throws when it is not text.
    public func text(_ name: String) throws(RecordDatabaseError) -> String {
        guard let value = self[name].text else { throw .unexpectedValue(column: name, expected: "text") }
        return value
    }
}
