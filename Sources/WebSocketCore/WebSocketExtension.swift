/// One element of a `Sec-WebSocket-Extensions` header: an extension name and
/// its parameters, in order (RFC 6455 §9.1).
public struct WebSocketExtension: Sendable, Hashable {
    /// One `name[=value]` parameter; quoted values are unquoted.
    public struct Parameter: Sendable, Hashable {
        /// The parameter name, lower-cased.
        public var name: String
        /// The value, or `nil` for a parameter without one.
        public var value: String?

        /// Creates a parameter.
        public init(name: String, value: String? = nil) {
            self.name = name
            self.value = value
        }
    }

    /// The extension token, lower-cased (e.g. `permessage-deflate`).
    public var name: String
    /// The parameters, in the order they were written.
    public var parameters: [Parameter]

    /// Creates an extension element.
    public init(name: String, parameters: [Parameter] = []) {
        self.name = name
        self.parameters = parameters
    }

    /// Parses every value of the header fields `values` (several fields join as
    /// one comma-separated list). Returns `nil` if any of it breaks the grammar
    /// of RFC 6455 §9.1: `extension *( ";" param [ "=" ( token / quoted-string ) ] )`,
    /// where a quoted value must itself be a token.
    public static func parse(_ values: [String]) -> [WebSocketExtension]? {
        var result: [WebSocketExtension] = []
        for value in values {
            var scanner = ExtensionScanner(Array(value.utf8))
            guard let elements = scanner.parseList() else { return nil }
            result += elements
        }
        return result
    }

    /// The element as written in a header: `name; param; param=value`.
    public var headerValue: String {
        var text = name
        for parameter in parameters {
            text += "; " + parameter.name
            if let value = parameter.value { text += "=" + value }
        }
        return text
    }
}

/// A cursor over one header value's bytes, for `WebSocketExtension.parse`.
private struct ExtensionScanner {
    private let bytes: [UInt8]
    private var at = 0

    init(_ bytes: [UInt8]) {
        self.bytes = bytes
    }

    /// `1#extension`, allowing empty list elements (RFC 9110 §5.6.1).
    mutating func parseList() -> [WebSocketExtension]? {
        var elements: [WebSocketExtension] = []
        while true {
            skipWhitespace()
            guard let byte = peek() else { return elements }
            if byte == UInt8(ascii: ",") {
                at += 1
                continue
            }
            guard let element = parseElement() else { return nil }
            elements.append(element)
        }
    }

    private mutating func parseElement() -> WebSocketExtension? {
        guard let name = token() else { return nil }
        var element = WebSocketExtension(name: name.asciiLowercased())
        while true {
            skipWhitespace()
            guard let byte = peek(), byte != UInt8(ascii: ",") else { return element }
            guard byte == UInt8(ascii: ";") else { return nil }
            at += 1
            skipWhitespace()
            guard let parameterName = token() else { return nil }
            var parameter = WebSocketExtension.Parameter(name: parameterName.asciiLowercased())
            skipWhitespace()
            if peek() == UInt8(ascii: "=") {
                at += 1
                skipWhitespace()
                guard let value = peek() == UInt8(ascii: "\"") ? quotedToken() : token() else { return nil }
                parameter.value = value
            }
            element.parameters.append(parameter)
        }
    }

    /// A `token` (RFC 9110 §5.6.2), or nil if none starts here.
    private mutating func token() -> String? {
        let start = at
        while let byte = peek(), Self.isTokenByte(byte) { at += 1 }
        return at > start ? String(decoding: bytes[start..<at], as: UTF8.self) : nil
    }

    /// A quoted string whose content, once unescaped, is a token (RFC 6455 §9.1).
    private mutating func quotedToken() -> String? {
        at += 1  // the opening quote
        var content: [UInt8] = []
        while let byte = peek() {
            at += 1
            switch byte {
            case UInt8(ascii: "\""):
                guard !content.isEmpty, content.allSatisfy(Self.isTokenByte) else { return nil }
                return String(decoding: content, as: UTF8.self)
            case UInt8(ascii: "\\"):
                guard let escaped = peek() else { return nil }
                at += 1
                content.append(escaped)
            default:
                content.append(byte)
            }
        }
        return nil  // unterminated
    }

    private mutating func skipWhitespace() {
        while let byte = peek(), byte == 0x20 || byte == 0x09 { at += 1 }
    }

    private func peek() -> UInt8? {
        at < bytes.count ? bytes[at] : nil
    }

    /// `tchar`: visible ASCII except the delimiters `"(),/:;<=>?@[\]{}`.
    private static func isTokenByte(_ byte: UInt8) -> Bool {
        switch byte {
        case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"),
            UInt8(ascii: "0")...UInt8(ascii: "9"):
            true
        default:
            Array("!#$%&'*+-.^_`|~".utf8).contains(byte)
        }
    }
}
