import Foundation
import RoomCore
import ServerTestSupport
import Testing
import TransportTestSupport

@testable import RoomServer

/// `/metrics` and `/readyz` on a real server: the exposition passes
/// `promtool check metrics`, counts what happened, and names nobody.
@Suite(.serialized) struct OperationsEndpointTests {
    static let room = "evening-process"
    static let promtool = ["/usr/bin/promtool", "/usr/local/bin/promtool"].first {
        FileManager.default.isExecutableFile(atPath: $0)
    }

    /// A plain GET; returns the status code and the body.
    func get(_ harness: ServerHarness, _ path: String) async throws -> (status: Int, body: String) {
        let port = harness.port
        return try await offPool {
            let socket = try RawSocket(port: port)
            socket.write("GET \(path) HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n")
            let text = String(decoding: socket.readUntilClosed().bytes, as: UTF8.self)
            let status = Int(text.split(separator: " ", maxSplits: 2).dropFirst().first ?? "") ?? 0
            let body = text.range(of: "\r\n\r\n").map { String(text[$0.upperBound...]) } ?? ""
            return (status, body)
        }
    }

    func join(_ harness: ServerHarness, member: String, alias: String, role: String, expires: Date = Date() + 3600)
        async throws -> TestClient
    {
        let bearer = try await harness.application.authority.issue(
            TokenClaims(
                member: member, alias: alias, role: role, room: Self.room, expires: expires,
                tokenID: UUID().uuidString))
        return try await TestClient.connect(
            port: harness.port, path: "/v1/rooms/\(Self.room)", headers: ["Authorization": "Bearer \(bearer)"])
    }

    @discardableResult
    func waitFor(_ client: TestClient, _ needle: String) async throws -> String? {
        await RoomWire.waitFor(client, needle)
    }

    func command(_ type: String, _ id: String, _ fields: String = "") -> String {
        RoomWire.command(type, id, fields)
    }

    /// The value of the sample named exactly `name` (labels included), if present.
    func sample(_ body: String, _ name: String) -> Double? {
        body.split(separator: "\n").first { $0.hasPrefix(name + " ") }.flatMap { Double($0.split(separator: " ")[1]) }
    }

    /// Scrapes once every room has published its load (see `ServerHarness.roomsSettled`).
    func scrape(_ harness: ServerHarness) async throws -> String {
        await harness.roomsSettled()
        return try await get(harness, "/metrics").body
    }

    @Test func metricsCountASessionAndNameNobody() async throws {
        let harness = try await ServerHarness()
        defer { harness.stop() }
        let canaries = [
            "fac-canary-member-41", "Facil Canary Alias", "member-canary-77", "CanaryAliasZed", "canary-content-Q9",
            Self.room,
        ]
        let facilitator = try await join(harness, member: canaries[0], alias: canaries[1], role: "facilitator")
        let participant = try await join(harness, member: canaries[2], alias: canaries[3], role: "participant")
        #expect(try await waitFor(participant, "agreement.required") != nil)
        participant.send(text: command("agreement.accept", "a", "\"version\":\"2026-11\""))
        #expect(try await waitFor(participant, "admission.waiting") != nil)
        facilitator.send(text: command("waiting.admit", "admit", "\"member\":\"\(canaries[2])\""))
        #expect(try await waitFor(participant, "room.snapshot") != nil)
        participant.send(text: command("chat.send", "c1", "\"text\":\"\(canaries[4])\""))
        #expect(try await waitFor(facilitator, canaries[4]) != nil)
        participant.send(text: command("crisis.alert", "alert"))
        #expect(try await waitFor(facilitator, "crisis.raised") != nil)
        _ = try? await join(harness, member: "late", alias: "Late", role: "participant", expires: Date() - 60)

        let body = try await scrape(harness)
        #expect(body.contains("iop_room_members{role=\"participant\",state=\"admitted\"} 1"))
        #expect(body.contains("iop_room_members{role=\"facilitator\",state=\"admitted\"} 1"))
        #expect(body.contains("iop_rooms_open 1"))
        #expect(body.contains("iop_rooms_in_session 1"))
        #expect(body.contains("iop_crisis_alerts_open 1"))
        #expect(body.contains("iop_auth_failures_total{reason=\"expired_token\"} 1"))
        #expect((sample(body, "iop_connections_open") ?? 0) >= 2, "two members (and this scrape)")
        let loops = ServerSettings().transport.eventLoopCount  // the harness runs on the defaults
        for loop in 0..<loops {
            #expect((sample(body, "iop_loop_busy_seconds_total{loop=\"\(loop)\"}") ?? 0) > 0, "loop \(loop) worked")
            #expect(sample(body, "iop_loop_longest_turn_seconds{loop=\"\(loop)\"}") != nil)
        }
        #expect(body.contains("iop_room_fanout_latency_seconds_bucket{le=\"+Inf\"}"))
        #expect(!body.contains("iop_room_fanout_latency_seconds_count 0\n"))
        #expect(!body.contains("iop_room_messages_received_total 0\n"))
        #expect(!body.contains("iop_room_sent_bytes_total 0\n"))
        let title = try #require(harness.application.rooms.first { $0.id == Self.room }).configuration.definition.title
        for canary in canaries + [title, "Late"] {
            #expect(!body.contains(canary), "metrics leak \(canary)")
        }
        if let promtool = Self.promtool { try await offPool { try checkWithPromtool(promtool, body) } }
    }

    func checkWithPromtool(_ promtool: String, _ body: String) throws {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: promtool)
        process.arguments = ["check", "metrics"]
        let input = Pipe()
        let output = Pipe()
        process.standardInput = input
        process.standardOutput = output
        process.standardError = output
        try process.run()
        input.fileHandleForWriting.write(Data(body.utf8))
        try input.fileHandleForWriting.close()
        let report = String(decoding: output.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        #expect(process.terminationStatus == 0, "promtool check metrics: \(report)")
    }

    @Test func readyzIsReadyUntilADrainBegins() async throws {
        let harness = try await ServerHarness()
        defer { harness.stop() }
        #expect(try await get(harness, "/readyz") == (200, "ready\n"))
        #expect(try await get(harness, "/livez") == (200, "ok\n"))
        harness.application.readiness.beginDraining()
        #expect(try await get(harness, "/readyz") == (503, "draining\n"))
        #expect(try await get(harness, "/livez") == (200, "ok\n"), "still alive while draining")
    }

    @Test(arguments: RecordBackends.all)
    func shutdownDrainsAndClosesTheRecords(_ backend: RecordBackend) async throws {
        guard let settings = try RecordBackends.settings(on: backend) else { return }
        let harness = try await ServerHarness(settings: settings)
        defer { harness.stop() }
        let facilitator = try await join(harness, member: "f1", alias: "F", role: "facilitator")
        #expect(try await waitFor(facilitator, "room.snapshot") != nil)
        let application = harness.application
        try await offPool { application.shutdown() }
        #expect(harness.application.readiness.isDraining)
        let store = try #require(harness.application.records as? DatabaseRecordStore)
        let verification = try RecordChain.verify(store.location)
        #expect(verification.isIntact)
        #expect(verification.rowsChecked["attendance_events", default: 0] >= 2, "connected, then left at shutdown")
    }
}
