/// HTTP header fields in their received order, looked up case-insensitively
/// (RFC 9110 §5.1).
public struct HTTPHeaders: Sendable, Hashable, Sequence, ExpressibleByDictionaryLiteral {
    /// The fields as (name, value) pairs, names as received.
    public private(set) var fields: [(name: String, value: String)]

    /// Creates headers from (name, value) pairs.
    public init(_ fields: [(name: String, value: String)] = []) {
        self.fields = fields
    }

    /// Creates headers from a literal.
    public init(dictionaryLiteral elements: (String, String)...) {
        fields = elements.map { (name: $0.0, value: $0.1) }
    }

    /// Appends a field.
    public mutating func add(name: String, value: String) {
        fields.append((name: name, value: value))
    }

    /// Every value of the fields called `name`, in order.
    public func values(_ name: String) -> [String] {
        fields.compactMap { $0.name.utf8.equalsIgnoringASCIICase(name.utf8) ? $0.value : nil }
    }

    /// The value of the single field called `name`; `nil` if absent or repeated.
    public subscript(name: String) -> String? {
        let found = values(name)
        return found.count == 1 ? found[0] : nil
    }

    /// The comma-separated tokens of every field called `name`, trimmed and
    /// lower-cased (RFC 9110 §5.6.1), e.g. `Connection: keep-alive, Upgrade`.
    public func tokens(_ name: String) -> [String] {
        values(name).flatMap { $0.split(separator: ",") }.map {
            $0.trimmingHTTPWhitespace().asciiLowercased()
        }.filter { !$0.isEmpty }
    }

    /// Whether any field called `name` lists `token` (case-insensitively).
    public func contains(_ name: String, token: String) -> Bool {
        tokens(name).contains { $0.utf8.equalsIgnoringASCIICase(token.utf8) }
    }

    /// Iterates over the fields in order.
    public func makeIterator() -> IndexingIterator<[(name: String, value: String)]> {
        fields.makeIterator()
    }

    public static func == (lhs: HTTPHeaders, rhs: HTTPHeaders) -> Bool {
        lhs.fields.elementsEqual(rhs.fields) { $0.name == $1.name && $0.value == $1.value }
    }

    public func hash(into hasher: inout Hasher) {
        for field in fields {
            hasher.combine(field.name)
            hasher.combine(field.value)
        }
    }
}

extension String.UTF8View {
    /// Whether both are the same bytes once A–Z are lower-cased (HTTP's
    /// case-insensitive comparison; no copy of either string is made).
    func equalsIgnoringASCIICase(_ other: String.UTF8View) -> Bool {
        count == other.count && elementsEqual(other) { $0.asciiLowercased == $1.asciiLowercased }
    }
}

extension UInt8 {
    /// The byte with A–Z lower-cased.
    var asciiLowercased: UInt8 { self >= 65 && self <= 90 ? self + 32 : self }
}

extension StringProtocol {
    /// Lower-cases A–Z only, as HTTP and RFC 6455 §4 compare tokens: Unicode
    /// case mapping would turn KELVIN SIGN into "k".
    public func asciiLowercased() -> String {
        String(decoding: utf8.map(\.asciiLowercased), as: UTF8.self)
    }

    /// The string without leading and trailing spaces and tabs (HTTP's OWS,
    /// RFC 9110 §5.6.3). Works on bytes, not characters: a space followed by a
    /// combining mark is one `Character` but still two things to HTTP.
    public func trimmingHTTPWhitespace() -> String {
        let bytes = Array(utf8)
        var start = 0
        var end = bytes.count
        while start < end, bytes[start] == 0x20 || bytes[start] == 0x09 { start += 1 }
        while end > start, bytes[end - 1] == 0x20 || bytes[end - 1] == 0x09 { end -= 1 }
        return String(decoding: bytes[start..<end], as: UTF8.self)
    }
}
