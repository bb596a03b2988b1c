import TestSupportCore
import Testing

@testable import WebSocketCore

/// A budget of `limit` bytes that records what the machine asks of it.
private final class CountingAllowance: BufferAllowance, @unchecked Sendable {
    // Used from one test's thread only.
    let limit: Int
    private(set) var reserved = 0
    private(set) var requests = 0

    init(limit: Int) { self.limit = limit }

    func reserve(_ bytes: Int) -> Bool {
        requests += 1
        guard reserved + bytes <= limit else { return false }
        reserved += bytes
        return true
    }

    func release(_ bytes: Int) {
        reserved -= bytes
        precondition(reserved >= 0, "released more than was reserved")
    }
}

/// The state machine asks its `BufferAllowance` before a message buffer grows,
/// gives everything back when the message is delivered or dropped, and fails
/// the connection with 1013 when the allowance refuses.
@Suite struct BufferAllowanceTests {
    private func machine(_ allowance: CountingAllowance, maxMessage: Int = 1 << 20) -> Harness {
        var harness = Harness(role: .server)
        harness.machine = WebSocketStateMachine(
            role: .server, limits: WebSocketLimits(maxFramePayloadLength: maxMessage, maxMessageLength: maxMessage),
            allowance: allowance)
        return harness
    }

    @Test func aWholeMessageInOneReadReservesNothing() {
        let allowance = CountingAllowance(limit: 1 << 20)
        var harness = machine(allowance)
        let payload = [UInt8](repeating: 65, count: 10_000)
        #expect(harness.feed(clientFrame(.binary, payload)) == [.deliver(.binary(payload))])
        #expect(allowance.requests == 0)
    }

    @Test func aFragmentedMessageReservesAsItGrowsAndGivesItAllBack() {
        let allowance = CountingAllowance(limit: 1 << 20)
        var harness = machine(allowance)
        let piece = [UInt8](repeating: 66, count: 3_000)
        #expect(harness.feed(clientFrame(.binary, piece, fin: false)).isEmpty)
        #expect(allowance.reserved == 4_096)  // the first reservation, for 3,000 bytes
        #expect(harness.feed(clientFrame(.continuation, piece, fin: false)).isEmpty)
        #expect(allowance.reserved == 8_192)  // doubled
        let actions = harness.feed(clientFrame(.continuation, piece))
        #expect(actions == [.deliver(.binary(piece + piece + piece))])
        #expect(allowance.reserved == 0)
        #expect(allowance.requests == 3)
    }

    @Test func aFrameSplitAcrossReadsIsReservedToo() {
        let allowance = CountingAllowance(limit: 1 << 20)
        var harness = machine(allowance)
        let payload = [UInt8](repeating: 67, count: 50_000)
        let frame = clientFrame(.binary, payload)
        #expect(harness.feed(frame[..<20_000]).isEmpty)
        #expect(allowance.reserved >= 20_000 - 8)
        #expect(harness.feed(frame[20_000...]) == [.deliver(.binary(payload))])
        #expect(allowance.reserved == 0)
    }

    @Test func aRefusalFailsWith1013AndReleasesWhatWasHeld() {
        let allowance = CountingAllowance(limit: 6_000)
        var harness = machine(allowance)
        let piece = [UInt8](repeating: 68, count: 3_000)
        #expect(harness.feed(clientFrame(.binary, piece, fin: false)).isEmpty)
        let actions = harness.feed(clientFrame(.continuation, piece, fin: false))  // needs 8,192
        expectFailure(actions, .memoryBudgetExhausted, code: 1013)
        #expect(ProtocolViolation.memoryBudgetExhausted.description == "server busy")
        #expect(allowance.reserved == 0)
        #expect(harness.machine.message == nil)
    }

    @Test func reservationsNeverPassTheMessageLimit() {
        let allowance = CountingAllowance(limit: 1 << 20)
        var harness = machine(allowance, maxMessage: 5_000)
        #expect(harness.feed(clientFrame(.binary, [UInt8](repeating: 1, count: 3_000), fin: false)).isEmpty)
        #expect(harness.feed(clientFrame(.continuation, [UInt8](repeating: 1, count: 2_000), fin: false)).isEmpty)
        #expect(allowance.reserved == 5_000)  // doubling capped at the message limit
    }
}
