import Foundation
import RoomCore
import ServerTestSupport
import SocketTransport
import Testing
import TransportTestSupport
import WebSocketCore

@testable import RoomServer

/// Talks to a real server's admin API and room endpoint, as `iopctl` and a member would.
struct AdminFixture {
    static let room = "evening-process"
    let harness: ServerHarness

    /// One HTTP request on a fresh connection; the status, the head and the body.
    func request(_ method: String, _ path: String, token: String? = nil) async throws -> (
        status: Int, head: String, body: String
    ) {
        let port = harness.port
        return try await offPool {
            let socket = try RawSocket(port: port)
            let authorization = token.map { "Authorization: Bearer \($0)\r\n" } ?? ""
            let length = method == "POST" ? "Content-Length: 0\r\n" : ""
            socket.write("\(method) \(path) HTTP/1.1\r\nHost: 127.0.0.1\r\n\(authorization)\(length)\r\n")
            let text = String(decoding: socket.readUntilClosed().bytes, as: UTF8.self)
            let status = Int(text.split(separator: " ", maxSplits: 2).dropFirst().first ?? "") ?? 0
            let split = text.range(of: "\r\n\r\n")
            let head = split.map { String(text[..<$0.lowerBound]) } ?? text
            let body = split.map { String(text[$0.upperBound...]) } ?? ""
            return (status, head, body)
        }
    }

    /// The `error` code word of an admin refusal body.
    func errorCode(_ body: String) throws -> String {
        let object = try JSONSerialization.jsonObject(with: Data(body.utf8)) as? [String: Any]
        return try #require(object?["error"] as? String)
    }

    /// A signed token; `role` "operator" gives an operator token for room `*`.
    func token(
        member: String, alias: String = "Ops", role: String = "operator", room: String? = nil,
        expires: Date = Date() + 3600, tokenID: String = UUID().uuidString
    ) async throws -> String {
        try await harness.application.authority.issue(
            TokenClaims(
                member: member, alias: alias, role: role, room: room ?? (role == "operator" ? "*" : Self.room),
                expires: expires, tokenID: tokenID))
    }

    /// A member's WebSocket to the room with `token`.
    func join(_ token: String) async throws -> TestClient {
        try await TestClient.connect(
            port: harness.port, path: "/v1/rooms/\(Self.room)", headers: ["Authorization": "Bearer \(token)"])
    }

    /// The first text message containing `needle` (bounded).
    @discardableResult
    func waitFor(_ client: TestClient, _ needle: String) async throws -> String? {
        await RoomWire.waitFor(client, needle)
    }

    /// The close code the client gets (skipping messages), bounded.
    func closeCode(_ client: TestClient) async throws -> CloseCode? {
        await client.waitForClose() ?? nil
    }

    /// A facilitator and an admitted participant in the room.
    func startSession(facilitator: String = "fac-1", participant: String = "par-1") async throws -> (
        facilitator: TestClient, participant: TestClient
    ) {
        let host = try await join(token(member: facilitator, alias: "Dana", role: "facilitator"))
        try await waitFor(host, "room.snapshot")
        let guest = try await join(token(member: participant, alias: "Sam", role: "participant"))
        try await waitFor(guest, "agreement.required")
        guest.send(text: #"{"v":1,"type":"agreement.accept","id":"a","version":"2026-11"}"#)
        try await waitFor(guest, "admission.waiting")
        host.send(text: #"{"v":1,"type":"waiting.admit","id":"admit","member":"\#(participant)"}"#)
        try await waitFor(guest, "room.snapshot")
        return (host, guest)
    }
}
