import Foundation
import RoomCore
import ServerTestSupport
import Testing
import TransportTestSupport

@testable import RoomServer

/// Arrivals in a room with a program schedule, through real sockets: the
/// member is told the next session after `welcome` and stays connected; a
/// room without a schedule sends nothing new.
@Suite(.serialized) struct ProgramScheduleArrivalTests {
    /// `x` meets every day 10:00–11:00 UTC from ten days from now; `open` meets all day, every day, around today.
    private static func harness() async throws -> (ServerHarness, start: String) {
        let day = 86_400.0
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withFullDate]
        let start = formatter.string(from: Date() + 10 * day)
        let yesterday = formatter.string(from: Date() - day)
        let later = formatter.string(from: Date() + 30 * day)
        let everyDay = "[monday, tuesday, wednesday, thursday, friday, saturday, sunday]"
        let yaml = """
            rooms:
              - id: x
                title: X
                kind: process
                capacity: 8
                schedule:
                  timeZone: UTC
                  startDate: \(start)
                  endDate: \(later)
                  slots: [{days: \(everyDay), start: "10:00", end: "11:00"}]
              - id: open
                title: Open
                kind: process
                capacity: 8
                policy: {autoAdmitEnrolled: true}
                roster: [{member: p-enrolled, enrolled: \(yesterday)}]
                schedule:
                  timeZone: UTC
                  startDate: \(yesterday)
                  endDate: \(later)
                  slots: [{days: \(everyDay), start: "00:00", end: "23:59"}]
              - {id: plain, title: Plain, kind: process, capacity: 8}

            """
        let path = NSTemporaryDirectory() + "rooms-\(UUID().uuidString).yaml"
        try yaml.write(toFile: path, atomically: true, encoding: .utf8)
        var settings = ServerSettings.echoTesting
        settings.roomsFile = path
        return (try await ServerHarness(settings: settings), start)
    }

    @Test func anEarlyArrivalIsToldWhenTheNextSessionOpensAndStartsAndMayStay() async throws {
        let (harness, start) = try await Self.harness()
        defer { harness.stop() }
        let kit = RoomKit(harness: harness, room: "x")
        let participant = try await kit.join("p1", "participant")
        let notice = try #require(await kit.waitFor(participant, "\"type\":\"schedule\""))
        #expect(
            notice
                == "{\"v\":1,\"type\":\"schedule\",\"timeZone\":\"UTC\",\"waitingRoomOpen\":false,\"session\":"
                + "{\"id\":\"\(start)T10:00\",\"opensAt\":\"\(start)T09:45:00Z\",\"startsAt\":\"\(start)T10:00:00Z\","
                + "\"endsAt\":\"\(start)T11:00:00Z\"},\"agenda\":[{\"title\":\"Check-in\",\"durationMs\":1200000},"
                + "{\"title\":\"Skills\",\"durationMs\":3600000},{\"title\":\"Break\",\"durationMs\":600000},"
                + "{\"title\":\"Process\",\"durationMs\":4500000},{\"title\":\"Check-out\",\"durationMs\":900000}]}")
        // Still connected, and the room goes on as before: the agreement, then the waiting room.
        await #expect(kit.waitFor(participant, "agreement.required") != nil)
        participant.send(text: kit.command("agreement.accept", "a1", "\"version\":\"2024-1\""))
        await #expect(kit.waitFor(participant, "admission.waiting") != nil)
    }

    @Test func aFacilitatorIsToldTooAndAnArrivalInAnOpenWaitingRoomHearsItIsOpen() async throws {
        let (harness, _) = try await Self.harness()
        defer { harness.stop() }
        let staff = try await RoomKit(harness: harness, room: "x").join("f1", "facilitator")
        await #expect(RoomKit(harness: harness, room: "x").waitFor(staff, "\"waitingRoomOpen\":false") != nil)
        let kit = RoomKit(harness: harness, room: "open")
        let participant = try await kit.join("p2", "participant")
        await #expect(
            kit.waitFor(participant, "\"type\":\"schedule\",\"timeZone\":\"UTC\",\"waitingRoomOpen\":true") != nil)
    }

    @Test func aRoomWithoutAScheduleSendsNoScheduleMessage() async throws {
        let (harness, _) = try await Self.harness()
        defer { harness.stop() }
        let kit = RoomKit(harness: harness, room: "plain")
        let participant = try await kit.join("p3", "participant")
        var seen: [String] = []
        for _ in 0..<10 {
            guard case .text(let text)? = await participant.nextMessage(timeout: .seconds(5)) else { break }
            seen.append(text)
            if text.contains("agreement.required") { break }
        }
        #expect(seen.count == 2, "\(seen)")  // welcome, then the agreement
        #expect(seen.first?.contains("\"type\":\"welcome\"") == true)
        #expect(!seen.contains { $0.contains("\"type\":\"schedule\"") })
    }

    /// `policy.autoAdmitEnrolled`: the enrolled member expected at the open session goes in on
    /// accepting the agreement, with no facilitator present; someone not on the roster waits.
    @Test func anExpectedEnrolledMemberGoesInAndSomeoneElseWaits() async throws {
        let (harness, _) = try await Self.harness()
        defer { harness.stop() }
        let kit = RoomKit(harness: harness, room: "open")
        let enrolled = try await kit.join("p-enrolled", "participant")
        await #expect(kit.waitFor(enrolled, "agreement.required") != nil)
        enrolled.send(text: kit.command("agreement.accept", "a1", "\"version\":\"2024-1\""))
        await #expect(kit.waitFor(enrolled, "room.snapshot") != nil)
        let stranger = try await kit.join("p-other", "participant")
        await #expect(kit.waitFor(stranger, "agreement.required") != nil)
        stranger.send(text: kit.command("agreement.accept", "a2", "\"version\":\"2024-1\""))
        await #expect(kit.waitFor(stranger, "admission.waiting") != nil)
    }

    /// Facilitators see who of the expected members is here: on arrival, and when that changes.
    @Test func facilitatorsSeeWhoIsExpectedAndNotYetHere() async throws {
        let (harness, _) = try await Self.harness()
        defer { harness.stop() }
        let kit = RoomKit(harness: harness, room: "open")
        let staff = try await kit.join("f1", "facilitator")
        let first = try #require(await kit.waitFor(staff, "\"type\":\"expected\""))
        #expect(first.hasSuffix("\"members\":[{\"member\":\"p-enrolled\",\"present\":false}]}"))
        let enrolled = try await kit.join("p-enrolled", "participant")
        await #expect(kit.waitFor(enrolled, "agreement.required") != nil)
        let second = try #require(await kit.waitFor(staff, "\"type\":\"expected\""))
        #expect(second.hasSuffix("\"members\":[{\"member\":\"p-enrolled\",\"present\":true}]}"))
    }

    /// The reminder before the scheduled end reaches facilitators, not participants. The room
    /// reads its program with a clock half a second before the reminder is due (room x meets
    /// 10:00–11:00 UTC; reminder 10 minutes before the end), so the test waits for the event only.
    @Test func facilitatorsAreRemindedBeforeTheScheduledEnd() async throws {
        let (harness, start) = try await Self.harness()
        defer { harness.stop() }
        let kit = RoomKit(harness: harness, room: "x")
        let staff = try await kit.join("f1", "facilitator")
        await #expect(kit.waitFor(staff, "\"type\":\"schedule\"") != nil)
        let participant = try await kit.join("p1", "participant")
        await #expect(kit.waitFor(participant, "agreement.required") != nil)
        let host = try #require(harness.application.rooms.first { $0.id == "x" })
        let program = try #require(harness.application.programs["x"])
        let due = try #require(ISO8601DateFormatter().date(from: "\(start)T10:50:00Z"))
        let almost = Int64(due.timeIntervalSince1970 * 1000) - 500
        host.adopt(program, clock: ServerClock { Timestamp(millisecondsSinceEpoch: almost) })
        let reminder = try #require(await kit.waitFor(staff, "\"type\":\"session_reminder\""))
        #expect(reminder.contains("\"endsAt\":\"\(start)T11:00:00Z\""))
        participant.send(text: kit.command("ping", "after"))
        var seen: [String] = []
        for _ in 0..<20 {
            guard case .text(let text)? = await participant.nextMessage(timeout: .seconds(5)) else { break }
            seen.append(text)
            if text.contains("\"id\":\"after\"") { break }
        }
        #expect(seen.last?.contains("\"id\":\"after\"") == true)
        #expect(!seen.contains { $0.contains("session_reminder") })
    }
}
