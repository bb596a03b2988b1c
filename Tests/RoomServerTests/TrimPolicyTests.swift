import Testing

@testable import RoomServer

/// iopd's allocator trim (docs/OPERATIONS.md "Memory"): once a minute, and
/// within one check of the last connection closing.
@Suite struct TrimPolicyTests {
    @Test func everyTwelfthCheckTrims() {
        var policy = TrimPolicy()
        var trims = 0
        for _ in 1...36 where policy.shouldTrim(open: 5) { trims += 1 }
        #expect(trims == 3)
    }

    @Test func theLastConnectionClosingTrimsOnceAtTheNextCheck() {
        var policy = TrimPolicy()
        let checks = [policy.shouldTrim(open: 3), policy.shouldTrim(open: 0), policy.shouldTrim(open: 0)]
        #expect(checks == [false, true, false], "still nobody at the third check: no trim until the minute is up")
    }

    @Test func nobodyEverConnectedIsNoReasonToTrim() {
        var policy = TrimPolicy()
        var trims = 0
        for _ in 1...11 where policy.shouldTrim(open: 0) { trims += 1 }
        #expect(trims == 0)
        let twelfth = policy.shouldTrim(open: 0)
        #expect(twelfth, "the twelfth check trims anyway")
    }
}
