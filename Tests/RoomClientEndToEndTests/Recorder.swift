import Dispatch
import Foundation
import RoomClient
import RoomCore
import RoomProtocol
import RoomServer
import ServerTestSupport
import SocketTransport
import TestSupportCore
import Testing

/// Collects a connection's events; every wait is bounded.
final class Recorder: Sendable {
    private let signal = DispatchSemaphore(value: 0)
    private let events = LockedValue<[RoomConnectionEvent]>([])

    func record(_ event: RoomConnectionEvent) {
        events.withLock { $0.append(event) }
        signal.signal()
    }

    var all: [RoomConnectionEvent] { events.current }

    var states: [ConnectionState] {
        all.compactMap { if case .state(let state) = $0 { state } else { nil } }
    }

    var rawMessages: [String] {
        all.compactMap { if case .message(_, let raw, _) = $0 { raw } else { nil } }
    }

    var latestModel: RoomViewModel? {
        all.reversed().lazy.compactMap { if case .message(_, _, let model) = $0 { model } else { nil } }.first
    }

    /// Waits (at most `timeout`) until `predicate` holds, on a Dispatch thread so the
    /// blocking wait never starves Swift's cooperative pool (the server's token checks run there).
    @discardableResult
    func wait(
        timeout: Duration = .seconds(10), _ what: String = "",
        until predicate: @escaping @Sendable ([RoomConnectionEvent]) -> Bool
    ) async -> Bool {
        await withCheckedContinuation { continuation in
            DispatchQueue.global().async {
                continuation.resume(returning: self.blockingWait(timeout: timeout, until: predicate))
            }
        }
    }

    private func blockingWait(timeout: Duration, until predicate: ([RoomConnectionEvent]) -> Bool) -> Bool {
        let deadline = DispatchTime.now() + .milliseconds(Int(timeout.components.seconds * 1000))
        while true {
            if predicate(all) { return true }
            if signal.wait(timeout: deadline) == .timedOut { return predicate(all) }
        }
    }

    /// Waits for a raw server message containing `needle`.
    @discardableResult
    func waitFor(_ needle: String, timeout: Duration = .seconds(10)) async -> Bool {
        await wait(timeout: timeout) { events in
            events.contains { if case .message(_, let raw, _) = $0 { raw.contains(needle) } else { false } }
        }
    }

    /// Waits for a state matching `match`.
    @discardableResult
    func waitForState(
        timeout: Duration = .seconds(10), _ match: @escaping @Sendable (ConnectionState) -> Bool
    ) async -> ConnectionState? {
        let find: @Sendable ([RoomConnectionEvent]) -> ConnectionState? = { events in
            events.lazy.compactMap { if case .state(let s) = $0, match(s) { s } else { nil } }.last
        }
        await wait(timeout: timeout) { find($0) != nil }
        return find(all)
    }

    /// Waits for the outcome of command `id`.
    func outcome(of id: CommandID, timeout: Duration = .seconds(10)) async -> CommandOutcome? {
        let find: @Sendable ([RoomConnectionEvent]) -> CommandOutcome? = { events in
            events.lazy.compactMap { if case .outcome(id, _, let o) = $0 { o } else { nil } }.first
        }
        await wait(timeout: timeout) { find($0) != nil }
        return find(all)
    }

    /// The final failure, once the connection is closed for good.
    func finalFailure(timeout: Duration = .seconds(10)) async -> ClientFailure? {
        if case .closed(let failure)? = await waitForState(timeout: timeout, { $0.isFinal }) { return failure }
        return nil
    }
}

/// A real in-process server and helpers to join its rooms with RoomConnection.
struct Room {
    static let id = "evening-process"
    static let loops = EventLoopGroup(count: 1, label: "iop.client-test")
    let harness: ServerHarness

    func token(_ member: String, _ role: String, room: String = Room.id, expires: Date = Date() + 3600) async throws
        -> String
    {
        try await harness.application.authority.issue(
            TokenClaims(
                member: member, alias: member.capitalized, role: role, room: room, expires: expires,
                tokenID: UUID().uuidString))
    }

    func connect(
        _ member: String, _ role: String, token: String? = nil, room: String = Room.id,
        scheduler: any ClientScheduler = SystemScheduler(), options: RoomConnectionOptions = RoomConnectionOptions(),
        port: Int? = nil, address: ServerAddress? = nil
    ) async throws -> (RoomConnection, Recorder) {
        var bearer = token ?? ""
        if token == nil { bearer = try await self.token(member, role) }
        let recorder = Recorder()
        let connection = RoomConnection(
            address: address ?? ServerAddress(host: "127.0.0.1", port: port ?? harness.port, room: room), token: bearer,
            options: options, loop: Room.loops.next(), scheduler: scheduler, random: SplitMix64(seed: 7),
            onEvent: { recorder.record($0) })
        connection.start()
        return (connection, recorder)
    }

    /// A facilitator, and a participant admitted by them.
    func group(scheduler: any ClientScheduler = SystemScheduler()) async throws -> (
        (RoomConnection, Recorder), (RoomConnection, Recorder)
    ) {
        let facilitator = try await connect("dana", "facilitator")
        #expect(await facilitator.1.waitFor("room.snapshot"))
        let participant = try await connect("river", "participant", scheduler: scheduler)
        #expect(await participant.1.waitFor("agreement.required"))
        let accept = InputParser.parse("/accept", in: participant.0.currentModel)
        guard case .command(let command) = accept else { throw TestFailure("no accept") }
        participant.0.send(command)
        #expect(await participant.1.waitFor("admission.waiting"))
        #expect(await facilitator.1.waitFor("\"alias\":\"River\""))
        guard case .command(let admit) = InputParser.parse("/admit river", in: facilitator.0.currentModel) else {
            throw TestFailure("no admit")
        }
        let id = facilitator.0.send(admit)
        guard case .accepted? = await facilitator.1.outcome(of: id) else { throw TestFailure("admit refused") }
        #expect(await participant.1.waitFor("room.snapshot"))
        return (facilitator, participant)
    }
}

struct TestFailure: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}
