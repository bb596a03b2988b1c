import Dispatch
import WebSocketCore

/// The server side of the HTTP/1.1 head: the request reader, routing, plain
/// responses and refusals, and the upgrade to a WebSocket session.
extension SocketChannel {
    /// Server side: bytes of the request head.
    func receivedRequestBytes(_ bytes: UnsafeRawBufferPointer) {
        if handOverToHTTP2(bytes) { return }  // the HTTP/2 client preface (HTTP2Handoff.swift)
        guard var parser = headParser else { return }
        headParser = nil
        do {
            switch try parser.parseRequest(bytes) {
            case .needMoreBytes:
                headParser = parser
                guard chargeHandshake(holding: parser.bufferedCount) else { return refuseOverBudget() }
            case .complete(let head, let leftover):
                chargeHandshake(holding: 0)
                route(head, leftover: leftover)
            }
        } catch {
            refuse(HTTPResponse.text(error.status, error.description))
        }
    }

    /// Asks the router what to do with a complete request.
    private func route(_ head: HTTPRequestHead, leftover: [UInt8]) {
        guard let router else { return closeSocket() }
        answersHead = head.method == "HEAD"
        act(on: router.route(head, from: peer), head: head, leftover: leftover)
    }

    /// Carries out a route decision.
    private func act(on decision: RouteDecision, head: HTTPRequestHead, leftover: [UInt8]) {
        switch decision {
        case .deferred(let work):
            phase = .routing
            leftover.withUnsafeBytes { keepWhileRouting($0) }
            guard phase == .routing else { return }  // the leftover alone was over the limit
            work { [self] decision in
                loop.execute { [self] in
                    guard phase == .routing else { return }  // timed out or closed meanwhile
                    phase = .readingRequest
                    let input = pendingInput
                    pendingInput = []
                    chargeHandshake(holding: 0)
                    act(on: decision, head: head, leftover: input)
                }
            }
        case .respond(let response):
            if response.status >= 400 {
                refuse(response)
            } else {
                respond(response)
            }
        case .upgrade(let handler, let options):
            switch ServerHandshake.validate(head) {
            case .failure(let rejection):
                refuse(HTTPResponse.text(rejection.status, rejection.reason, headers: rejection.headers))
            case .success(let accept):
                if let budget = account.budget, budget.isNearlyExhausted {
                    budget.count(.handshake)
                    return refuse(HTTPResponse.text(503, "server busy", headers: ["Retry-After": "5"]))
                }
                upgrade(head, accept: accept, handler: handler, options: options, leftover: leftover)
            }
        }
    }

    /// Completes the handshake (RFC 6455 §4.2.2), accepting permessage-deflate
    /// when the endpoint allows it and the client offered it, and opens the WebSocket.
    private func upgrade(
        _ head: HTTPRequestHead, accept: String, handler: any WebSocketHandler, options: WebSocketEndpointOptions,
        leftover: [UInt8]
    ) {
        var headers = options.responseHeaders
        if let subprotocol = options.subprotocol { headers.add(name: Subprotocol.fieldName, value: subprotocol) }
        var negotiated = options.compression?.negotiate(offers: head.headers.values("Sec-WebSocket-Extensions"))
        // The zlib contexts are memory held for the peer too: without room for them, no compression.
        if let agreement = negotiated?.agreement, !account.reserve(zlibContextBytes(agreement, role: .server)) {
            negotiated = nil
        }
        if let negotiated { headers.add(name: "Sec-WebSocket-Extensions", value: negotiated.responseHeader) }
        statistics.upgradedConnections.add(1, ordering: .relaxed)
        // The 101 is written at the end of the turn, after the work the handler queues on this
        // loop as it opens (a room greets its member that way): the greeting leaves in the same `send`.
        open(
            role: .server, handler: handler, options: options, compression: negotiated?.agreement,
            account: account,
            preamble: ServerHandshake.response(accept: accept, extraHeaders: headers).serialized(),
            leftover: leftover)
    }

    /// Sends a plain response and closes.
    /// The answer to a HEAD request has the head of a GET's and no body (RFC 9110 §9.3.2).
    func respond(_ response: HTTPResponse) {
        enqueue(response.serialized(body: !answersHead))
        closeAfterFlush()
    }

    /// Keeps what arrives while the route is being decided (a client should wait
    /// for the 101, RFC 6455 §4.1, but a frame sent early is not lost), up to the
    /// head-size limit; a peer that sends more is not a WebSocket client and is closed.
    func keepWhileRouting(_ bytes: UnsafeRawBufferPointer) {
        guard pendingInput.count + bytes.count <= configuration.maxHeadLength else {
            statistics.protocolViolations.add(1, ordering: .relaxed)
            logger.debug("input while routing over the limit", metadata: ["peer": "\(peer)"])
            closeSocket()
            return
        }
        pendingInput.append(contentsOf: bytes)
        if !chargeHandshake(holding: pendingInput.count) { refuseOverBudget() }
    }

    /// Keeps the budget's charge for the bytes held before the upgrade at
    /// `held`, in 4 KiB steps. Returns false if the budget refused to grow it.
    @discardableResult
    func chargeHandshake(holding held: Int) -> Bool {
        account.keepCharge(&handshakeCharged, for: held, step: 4096)
    }

    /// The bytes of a request cannot be held within the memory budget: 503,
    /// counted; nothing more is read (a pending route decision is ignored).
    func refuseOverBudget() {
        account.budget?.count(.handshake)
        headParser = nil
        pendingInput = []
        phase = .readingRequest
        refuse(HTTPResponse.text(503, "server busy", headers: ["Retry-After": "5"]))
    }

    /// Sends a refusal (4xx/5xx) and closes; counted.
    func refuse(_ response: HTTPResponse) {
        statistics.refusedRequests.add(1, ordering: .relaxed)
        logger.debug("request refused", metadata: ["peer": "\(peer)", "status": "\(response.status)"])
        respond(response)
    }
}
