import RoomClient
import RoomCore
import RoomProtocol
import Testing

/// What `iop` shows for the idle log-off: the warning with the time left, and the 4005 close.
@Suite struct IdleWarningTextTests {
    @Test func theWarningSaysHowLongIsLeftAndHowToStay() {
        let model = RoomViewModel()
        let warning = ServerMessage.event(
            sequence: 9, time: 1_000_000, .idleWarning(logoffAt: Timestamp(millisecondsSinceEpoch: 1_120_000)))
        let lines = EventText.lines(for: warning, in: model)
        #expect(lines.count == 1)
        #expect(lines[0].contains("logged off in 2 minutes") && lines[0].contains("/back"))
        let soon = ServerMessage.event(
            sequence: 9, time: 1_000_000, .idleWarning(logoffAt: Timestamp(millisecondsSinceEpoch: 1_030_000)))
        #expect(EventText.lines(for: soon, in: model)[0].contains("in 1 minute unless"))
    }

    @Test func theCloseTellsThePersonTheyMayJoinAgain() {
        let failure = ClientFailure.closed(code: 4005, reason: "idle_logged_off")
        #expect(failure.summary.contains("logged off"))
        #expect(failure.advice.contains("Join again"))
        #expect(!failure.isRetryable)
    }
}
