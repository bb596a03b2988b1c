import Testing

@testable import RoomCore

/// Every event a room emits sits in a slot of its replay buffer (1,000 per
/// room by default, a thousand rooms per server): the slot is as large as the
/// largest event kind kept inline, so a large kind must be boxed.
@Suite struct EventLayoutTests {
    @Test func aReplaySlotStaysSmall() {
        #expect(MemoryLayout<RoomEvent>.size <= 104, "a large event kind was added inline: make its case indirect")
        #expect(MemoryLayout<ReplayBuffer.Entry>.stride <= 128)
    }
}
