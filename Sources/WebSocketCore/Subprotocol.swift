/// The WebSocket subprotocol (RFC 6455 §1.9): what a client offers in
/// `Sec-WebSocket-Protocol`, what a server chooses, what a client accepts.
/// The same field travels over an HTTP/2 stream (RFC 8441 §5). Names are
/// compared exactly (case-sensitively, as the registry's names are).
public enum Subprotocol {
    /// The names a request offers, in its order: every `Sec-WebSocket-Protocol`
    /// field's comma-separated elements, trimmed, empty ones dropped (§4.1 item 10).
    public static func offered(in headers: HTTPHeaders) -> [String] {
        headers.values(fieldName).flatMap { $0.split(separator: ",") }
            .map { String($0).trimmingHTTPWhitespace() }
            .filter { !$0.isEmpty }
    }

    /// The server's choice (§4.2.2 item 5, /subprotocol/): the first of `supported`
    /// (the server's order of preference) that the request offers; nil when it offers
    /// none of them, or nothing: then the response names no subprotocol (not an error).
    public static func select(from headers: HTTPHeaders, supported: [String]) -> String? {
        let offers = offered(in: headers)
        guard !offers.isEmpty else { return nil }
        return supported.first { offers.contains($0) }
    }

    /// The subprotocol a server's response chose, checked against what the client
    /// offered (§4.1, the client's item 6): nil when the response names none; a
    /// failure (a sentence) when it names one that was not offered, or several.
    public static func chosen(in response: HTTPHeaders, offered: [String]) -> Result<String?, ChoiceFailure> {
        let fields = response.values(fieldName)
        guard !fields.isEmpty else { return .success(nil) }
        guard fields.count == 1, !fields[0].contains(",") else {
            return .failure(ChoiceFailure(description: "server chose more than one subprotocol"))
        }
        let name = fields[0].trimmingHTTPWhitespace()
        guard offered.contains(name) else {
            return .failure(ChoiceFailure(description: "server chose a subprotocol that was not offered"))
        }
        return .success(name)
    }

    /// The request field offering `names` (nil when there are none).
    public static func offer(_ names: [String]) -> (name: String, value: String)? {
        names.isEmpty ? nil : (fieldName, names.joined(separator: ", "))
    }

    /// `Sec-WebSocket-Protocol`.
    public static let fieldName = "Sec-WebSocket-Protocol"

    /// Why a server's choice of subprotocol fails the handshake.
    public struct ChoiceFailure: Error, Sendable, Hashable, CustomStringConvertible {
        /// What was wrong, for the user.
        public let description: String
    }
}
