import RoomClient
import RoomCore
import RoomProtocol
import Testing

@testable import TerminalUI

/// The idle warning stands out in the full-screen client like an alert.
struct IdleWarningPaneTests {
    @Test func theIdleWarningIsAnAlertLine() {
        let warning = ServerMessage.event(
            sequence: 5, time: 1_000_000, .idleWarning(logoffAt: Timestamp(millisecondsSinceEpoch: 1_060_000)))
        let lines = TerminalApp.paneLines(for: warning, in: RoomViewModel())
        #expect(lines.map(\.kind) == [.alert])
        #expect(lines.first?.text.contains("logged off in 1 minute") == true)
    }
}
