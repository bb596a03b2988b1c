import Testing

@testable import RoomCore

@Suite("Replay buffer")
struct ReplayBufferTests {
    /// Ten arrivals broadcast dozens of rosters and waiting rooms; a member who
    /// resumes needs only the newest of each view, so the others leave the buffer
    /// (an idle room's memory was mostly these).
    @Test func aJoinBurstKeepsOnlyTheWholeStatesSomeoneStillNeeds() {
        let participants = (1...10).map { MemberID("p\($0)") }
        let h = Harness.session(participants)
        let wholeStates = h.room.replay.entries.filter { entry in
            switch entry.event {
            case .roster?, .waitingRoom?: true
            default: false
            }
        }
        // The facilitators' roster, the participants' roster and the facilitators' waiting room.
        #expect(wholeStates.count <= 3)
        #expect(wholeStates.allSatisfy { !$0.recipients.isEmpty })
        #expect(h.room.replay.entries.allSatisfy { $0.event != nil }, "nothing withdrawn here")
    }

    /// A resume from before a burst still replays exactly the newest roster.
    @Test func aResumeAcrossABurstStillGetsTheNewestRoster() {
        var h = Harness.session(["p1", "p2"])
        let seen = h.room.currentSequence
        h.drop("p1")
        for newcomer in ["p3", "p4", "p5"] as [MemberID] { h.join(newcomer) }
        let back = h.connect("p1", lastSequence: seen)
        let rosters = back.events(to: "p1").compactMap(\.roster)
        #expect(rosters.last?.entries.map(\.member).contains("p5") == true)
        #expect(h.room.status(of: "p1")?.stage == .admitted)
    }
}
