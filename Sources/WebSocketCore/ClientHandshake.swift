/// The client side of the opening handshake (RFC 6455 §4.1).
public struct ClientHandshake: Sendable, Hashable {
    /// Why a server's handshake response was refused (§4.1, client requirements).
    public struct Failure: Error, Sendable, Hashable, CustomStringConvertible {
        /// The response status, when the server answered with something other than 101.
        public let status: Int?
        /// What was wrong, for the user.
        public let description: String
    }

    /// The key sent in `Sec-WebSocket-Key`.
    public let key: String

    /// Creates a handshake with a key from `makeKey(using:)`.
    public init(key: String) {
        self.key = key
    }

    /// The upgrade request for `path` on `host` (with `:port` when not the default).
    public func request(host: String, path: String, extraHeaders: HTTPHeaders = [:]) -> HTTPRequestHead {
        var headers: HTTPHeaders = [
            "Host": host, "Upgrade": "websocket", "Connection": "Upgrade",
            "Sec-WebSocket-Key": key, "Sec-WebSocket-Version": ServerHandshake.version,
        ]
        for field in extraHeaders { headers.add(name: field.name, value: field.value) }
        return HTTPRequestHead(method: "GET", target: path, headers: headers)
    }

    /// Checks the server's response (§4.1, "the client MUST validate").
    public func verify(_ response: HTTPResponseHead) -> Result<Void, Failure> {
        verify(response, offering: nil).map { _ in () }
    }

    /// Checks the server's response to a request that offered permessage-deflate
    /// with `compression` (nil: no extension offered) and the subprotocols
    /// `subprotocols` (none by default), and returns what was agreed on
    /// compression: `nil` when the server declined or nothing was offered (RFC 7692
    /// §5). The subprotocol chosen, if any, is ``Subprotocol/chosen(in:offered:)``'s.
    public func verify(
        _ response: HTTPResponseHead, offering compression: PerMessageDeflateConfiguration?,
        subprotocols: [String] = []
    ) -> Result<PerMessageDeflateAgreement?, Failure> {
        func failure(_ text: String) -> Result<PerMessageDeflateAgreement?, Failure> {
            .failure(Failure(status: response.status == 101 ? nil : response.status, description: text))
        }
        guard response.status == 101 else {
            return failure("server answered \(response.status) \(response.reason)")
        }
        guard response.headers.contains("Upgrade", token: "websocket") else {
            return failure("response lacks Upgrade: websocket")
        }
        guard response.headers.contains("Connection", token: "upgrade") else {
            return failure("response lacks Connection: Upgrade")
        }
        // Byte for byte: String == would equate Unicode look-alikes (KELVIN SIGN and K).
        let expected = WebSocketAccept.value(forKey: key)
        guard let accept = response.headers["Sec-WebSocket-Accept"], accept.utf8.elementsEqual(expected.utf8) else {
            return failure("Sec-WebSocket-Accept does not match the key")
        }
        if case .failure(let wrong) = Subprotocol.chosen(in: response.headers, offered: subprotocols) {
            return failure(wrong.description)
        }
        let extensions = response.headers.values("Sec-WebSocket-Extensions")
        guard let compression else {
            return extensions.isEmpty ? .success(nil) : failure("server chose an extension that was not offered")
        }
        return compression.validate(response: extensions)
    }
}
