import SocketTransport
import WebSocketCore

extension ServerRouter {
    /// `/readyz`: 200 `ready` while the server takes new work, 503 `draining`
    /// once a drain began (a load balancer then stops sending new members).
    func routeReadiness(_ request: HTTPRequestHead) -> RouteDecision {
        guard request.method == "GET" || request.method == "HEAD" else {
            return .respond(.text(405, "method not allowed", headers: ["Allow": "GET, HEAD"]))
        }
        return readiness.isDraining ? .respond(.text(503, "draining")) : .respond(.text(200, "ready"))
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
