/// The figures of one run, in order: printed as one human-readable line each,
/// or as a single JSON object.
public struct Report {
    /// A JSON value.
    public enum Value {
        /// A number, written with three decimals.
        case number(Double)
        /// A whole number.
        case integer(Int)
        /// A string.
        case string(String)
        /// A boolean.
        case bool(Bool)

        /// The value in JSON.
        public var json: String {
            switch self {
            case .number(let value): value.isFinite ? formatted(value, decimals: 3) : "null"
            case .integer(let value): String(value)
            case .string(let value): Report.quoted(value)
            case .bool(let value): value ? "true" : "false"
            }
        }
    }

    private var entries: [(key: String, value: Value, line: String?)] = []

    /// An empty report.
    public init() {}

    /// Adds a figure: `key`/`value` for JSON, `line` for the human form (none: JSON only).
    public mutating func add(_ key: String, _ value: Value, _ line: String?) {
        entries.append((key, value, line))
    }

    /// Prints the report as lines or as one JSON object.
    public func print(json: Bool) {
        if json {
            let fields = entries.map { "\(Report.quoted($0.key)):\($0.value.json)" }
            Swift.print("{" + fields.joined(separator: ",") + "}")
        } else {
            for entry in entries { if let line = entry.line { Swift.print(line) } }
        }
    }

    /// `text` as a JSON string literal.
    public static func quoted(_ text: String) -> String {
        var result = "\""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\"": result += "\\\""
            case "\\": result += "\\\\"
            case "\n": result += "\\n"
            case _ where scalar.value < 0x20: result += "\\u" + hex4(scalar.value)
            default: result.unicodeScalars.append(scalar)
            }
        }
        return result + "\""
    }

    private static func hex4(_ value: UInt32) -> String {
        let digits = String(value, radix: 16)
        return String(repeating: "0", count: max(0, 4 - digits.count)) + digits
    }
}

/// `value` with a fixed number of decimals (no Foundation needed).
public func formatted(_ value: Double, decimals: Int) -> String {
    guard value.isFinite else { return "n/a" }
    var scale = 1.0
    for _ in 0..<decimals { scale *= 10 }
    let scaled = (abs(value) * scale).rounded()
    guard scaled < 9e18 else { return String(value) }
    let whole = UInt64(scaled)
    let integerPart = whole / UInt64(scale)
    let fraction = String(whole % UInt64(scale))
    let sign = value < 0 && whole > 0 ? "-" : ""
    guard decimals > 0 else { return sign + String(integerPart) }
    return sign + String(integerPart) + "." + String(repeating: "0", count: decimals - fraction.count) + fraction
}
