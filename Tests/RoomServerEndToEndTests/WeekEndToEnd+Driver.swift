import Foundation
import ServerTestSupport
import Testing
import TransportTestSupport
import WebSocketCore

@testable import RoomServer

/// Drives the compressed week: a real server on loopback whose wall clock is
/// a ``ManualClock``; members connect with the invitations the admin API
/// issued them, over real WebSockets. Every step waits for the room to have
/// acted (an answer, a roster) before the clock moves on, so each record
/// carries the time the test chose.
struct WeekDriver {
    static let room = "evening-iop"
    static let agreement = "2026-11"
    let harness: ServerHarness
    let clock: ManualClock
    var admin: AdminFixture { AdminFixture(harness: harness) }

    /// Moves the clock to the clinic's wall time `local` (`2026-11-30T18:00`, Pacific Standard Time).
    func at(_ local: String) throws {
        clock.set(try #require(ISO8601DateFormatter().date(from: local + ":00-08:00")))
    }

    /// An operator's token, valid for an hour from the clock's now.
    func operatorToken() async throws -> String {
        try await admin.token(member: "op-1", expires: clock.date + 3600)
    }

    /// An admin API call as the operator.
    func adminCall(_ method: String, _ path: String) async throws -> (status: Int, body: String) {
        let answer = try await admin.request(method, path, token: try await operatorToken())
        return (answer.status, answer.body)
    }

    /// Issues `member`'s invitation for the whole enrolment; returns the token.
    func invite(_ member: String) async throws -> String {
        let answer = try await adminCall(
            "POST", "/v1/admin/rooms/\(Self.room)/invite?member=\(member)&alias=A\(member)")
        #expect(answer.status == 200, "\(answer.body)")
        let object = try JSONSerialization.jsonObject(with: Data(answer.body.utf8)) as? [String: Any]
        return try #require(object?["token"] as? String)
    }

    /// The facilitator, with a token for this evening; in the room once this returns.
    func facilitator() async throws -> TestClient {
        let token = try await admin.token(
            member: "fac-1", alias: "Dana", role: "facilitator", room: Self.room, expires: clock.date + 4 * 3600)
        let client = try await connect(token)
        try #require(await RoomWire.waitFor(client, "room.snapshot") != nil)
        return client
    }

    /// A member's WebSocket with `token`.
    func connect(_ token: String) async throws -> TestClient {
        try await TestClient.connect(
            port: harness.port, path: "/v1/rooms/\(Self.room)", headers: ["Authorization": "Bearer \(token)"])
    }

    /// An enrolled member arrives: accepts the agreement (first arrival of the
    /// session) and is let in by `autoAdmitEnrolled`; returns once the
    /// facilitator's roster shows them, so later rosters are about later changes.
    func arrive(_ member: String, with token: String, seenBy host: TestClient, returning: Bool = false)
        async throws -> TestClient
    {
        let client = try await connect(token)
        if !returning {
            try #require(await RoomWire.waitFor(client, "agreement.required") != nil)
            client.send(text: RoomWire.command("agreement.accept", "agree", #""version":"\#(Self.agreement)""#))
        }
        try #require(await RoomWire.waitFor(client, "room.snapshot") != nil, "\(member) admitted")
        try #require(await Self.waitFor(host) { $0.contains("room.roster") && $0.contains(Self.tag(member)) } != nil)
        return client
    }

    /// `member` closes their connection; returns once the facilitator's roster no longer has them.
    func leave(_ member: String, _ client: TestClient, seenBy host: TestClient) async throws {
        client.close()
        try #require(await Self.waitFor(host) { $0.contains("room.roster") && !$0.contains(Self.tag(member)) } != nil)
        _ = await client.waitForClose()
    }

    /// Sends a command and waits for the room's answer to it (its `id`).
    func command(_ client: TestClient, _ type: String, _ id: String, _ fields: String = "") async throws {
        client.send(text: RoomWire.command(type, id, fields))
        try #require(await RoomWire.waitFor(client, #""id":"\#(id)""#) != nil, "answer to \(id)")
    }

    /// The facilitator records (or, with no reason, clears) an absence; waits for the answer.
    func absence(_ host: TestClient, _ member: String, _ session: String, _ reason: String?) async throws {
        let fields = #""member":"\#(member)","session":"\#(session)""# + (reason.map { #","reason":"\#($0)""# } ?? "")
        let id = "abs-\(member)-\(session)-\(reason ?? "clear")"
        try await command(host, reason == nil ? "absence.clear" : "absence.record", id, fields)
    }

    /// The facilitator ends the session; returns once every connection of it is closed.
    func end(_ host: TestClient, _ present: [TestClient]) async throws {
        host.send(text: RoomWire.command("session.end", "end"))
        try #require(await RoomWire.waitFor(host, "session.ended") != nil)
        for client in present + [host] { _ = await client.waitForClose() }
    }

    /// `"member":"m-1"`, as rosters name members.
    static func tag(_ member: String) -> String { #""member":"\#(member)""# }

    /// Reads until a text message satisfies `predicate` (bounded like ``RoomWire/waitFor(_:_:)``).
    static func waitFor(_ client: TestClient, _ predicate: (String) -> Bool) async -> String? {
        for _ in 0..<5000 {
            guard case .text(let text)? = await client.nextMessage(timeout: .seconds(5)) else { return nil }
            if predicate(text) { return text }
        }
        return nil
    }
}
