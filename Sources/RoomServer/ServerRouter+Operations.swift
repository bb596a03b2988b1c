import SocketTransport
import WebSocketCore

extension ServerRouter {
    /// `/readyz`: 200 `ready` while the server takes new work, 503 `draining`
    /// once a drain began (a load balancer then stops sending new members).
    /// While the records database is away: 200 `ready: records queued …` as
    /// long as the queue has room, 503 `records_unavailable …` once it is full.
    func routeReadiness(_ request: HTTPRequestHead) -> RouteDecision {
        guard request.method == "GET" || request.method == "HEAD" else {
            return .respond(.text(405, "method not allowed", headers: ["Allow": "GET, HEAD"]))
        }
        guard !readiness.isDraining else { return .respond(.text(503, "draining")) }
        switch records?.availability ?? .writing {
        case .writing:
            return .respond(.text(200, "ready"))
        case .queueing(let queued, let limit):
            return .respond(
                .text(200, "ready: records database unreachable; \(queued) records queued in memory (limit \(limit))"))
        case .full(let queued, let limit):
            return .respond(
                .text(
                    503,
                    "records_unavailable: records database unreachable; \(queued) records queued in memory "
                        + "(limit \(limit)); new members refused"))
        }
    }

    /// `/metrics`: the Prometheus text exposition format (0.0.4). Carries
    /// counts only, no ids, aliases or content, so it needs no token; an
    /// operator who prefers can keep the port off the public network.
    func routeMetrics(_ request: HTTPRequestHead) -> RouteDecision {
        guard request.method == "GET" || request.method == "HEAD", let metrics else {
            return .respond(.text(405, "method not allowed", headers: ["Allow": "GET, HEAD"]))
        }
        return .respond(
            HTTPResponse(
                status: 200, headers: ["Content-Type": "text/plain; version=0.0.4; charset=utf-8"],
                body: Array(metrics().utf8)))
    }
}
