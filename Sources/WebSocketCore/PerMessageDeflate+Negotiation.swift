extension PerMessageDeflateConfiguration {
    /// Server side (RFC 7692 §5, §7.1): picks the first acceptable
    /// permessage-deflate offer among the request's `Sec-WebSocket-Extensions`
    /// fields and returns the agreement with the response header value, or
    /// `nil` to decline (the handshake then goes on without compression).
    ///
    /// An offer with an unknown, repeated or invalid parameter is declined and
    /// the next one is considered; a header that breaks the §9.1 grammar is
    /// declined as a whole. An offer that cannot be honoured within this
    /// configuration (a client window limit it did not say it supports) is declined.
    public func negotiate(
        offers headerValues: [String]
    ) -> (agreement: PerMessageDeflateAgreement, responseHeader: String)? {
        guard !headerValues.isEmpty, let elements = WebSocketExtension.parse(headerValues) else { return nil }
        for element in elements where element.name == PerMessageDeflateParameters.extensionName {
            guard let offer = PerMessageDeflateParameters(element, from: .offer) else { continue }
            if let accepted = accept(offer) { return accepted }
        }
        return nil
    }

    private func accept(
        _ offer: PerMessageDeflateParameters
    ) -> (agreement: PerMessageDeflateAgreement, responseHeader: String)? {
        var agreement = PerMessageDeflateAgreement(minimumCompressedSize: minimumCompressedSize)
        var response = WebSocketExtension(name: PerMessageDeflateParameters.extensionName)
        // §7.1.1.1: an offered server_no_context_takeover must be accepted as is.
        agreement.serverNoContextTakeover = offer.serverNoContextTakeover || serverNoContextTakeover
        if agreement.serverNoContextTakeover { response.parameters.append(.init(name: "server_no_context_takeover")) }
        // §7.1.1.2: the server may always ask the client not to take over context.
        agreement.clientNoContextTakeover = offer.clientNoContextTakeover || clientNoContextTakeover
        if agreement.clientNoContextTakeover { response.parameters.append(.init(name: "client_no_context_takeover")) }
        // §7.1.2.1: at most what the client allows, or a smaller window of our own.
        agreement.serverMaxWindowBits = min(offer.serverMaxWindowBits ?? 15, serverMaxWindowBits)
        if offer.serverMaxWindowBits != nil || agreement.serverMaxWindowBits < 15 {
            response.parameters.append(.init(name: "server_max_window_bits", value: "\(agreement.serverMaxWindowBits)"))
        }
        // §7.1.2.2: a client window limit only if the client said it supports one.
        if let offered = offer.clientMaxWindowBits {
            agreement.clientMaxWindowBits = min(offered, clientMaxWindowBits)
            if agreement.clientMaxWindowBits < 15 {
                response.parameters.append(
                    .init(name: "client_max_window_bits", value: "\(agreement.clientMaxWindowBits)"))
            }
        } else if clientMaxWindowBits < 15 {
            return nil
        }
        return (agreement, response.headerValue)
    }

    /// Client side: the `Sec-WebSocket-Extensions` value offering this
    /// configuration (RFC 7692 §7.1). `client_max_window_bits` is always
    /// offered (value-less when 15), so the server may limit our window.
    public var offerHeader: String {
        var offer = WebSocketExtension(name: PerMessageDeflateParameters.extensionName)
        if serverNoContextTakeover { offer.parameters.append(.init(name: "server_no_context_takeover")) }
        if clientNoContextTakeover { offer.parameters.append(.init(name: "client_no_context_takeover")) }
        if serverMaxWindowBits < 15 {
            offer.parameters.append(.init(name: "server_max_window_bits", value: "\(serverMaxWindowBits)"))
        }
        offer.parameters.append(
            .init(name: "client_max_window_bits", value: clientMaxWindowBits < 15 ? "\(clientMaxWindowBits)" : nil))
        return offer.headerValue
    }

    /// Client side: checks the server's `Sec-WebSocket-Extensions` answer to
    /// `offerHeader` (RFC 7692 §7.1, RFC 6455 §4.1). No field: the server
    /// declined (`nil`). Anything the offer did not allow is a failure, and
    /// the client must fail the connection.
    public func validate(response headerValues: [String]) -> Result<
        PerMessageDeflateAgreement?, ClientHandshake.Failure
    > {
        func failure(_ text: String) -> Result<PerMessageDeflateAgreement?, ClientHandshake.Failure> {
            .failure(ClientHandshake.Failure(status: nil, description: text))
        }
        guard !headerValues.isEmpty else { return .success(nil) }
        guard let elements = WebSocketExtension.parse(headerValues) else {
            return failure("malformed Sec-WebSocket-Extensions in the response")
        }
        guard elements.count == 1, elements[0].name == PerMessageDeflateParameters.extensionName else {
            return failure("server chose an extension that was not offered")
        }
        guard let answer = PerMessageDeflateParameters(elements[0], from: .response) else {
            return failure("server answered permessage-deflate with an unknown, repeated or invalid parameter")
        }
        if serverNoContextTakeover, !answer.serverNoContextTakeover {
            return failure("server ignored the offered server_no_context_takeover")
        }
        if serverMaxWindowBits < 15, answer.serverMaxWindowBits == nil {
            return failure("server ignored the offered server_max_window_bits=\(serverMaxWindowBits)")
        }
        if let bits = answer.serverMaxWindowBits, bits > serverMaxWindowBits {
            return failure("server_max_window_bits=\(bits) exceeds the offered \(serverMaxWindowBits)")
        }
        if let bits = answer.clientMaxWindowBits, bits > clientMaxWindowBits {
            return failure("client_max_window_bits=\(bits) exceeds the offered \(clientMaxWindowBits)")
        }
        return .success(
            PerMessageDeflateAgreement(
                serverNoContextTakeover: answer.serverNoContextTakeover,
                clientNoContextTakeover: answer.clientNoContextTakeover || clientNoContextTakeover,
                serverMaxWindowBits: answer.serverMaxWindowBits ?? 15,
                clientMaxWindowBits: min(answer.clientMaxWindowBits ?? 15, clientMaxWindowBits),
                minimumCompressedSize: minimumCompressedSize))
    }
}
