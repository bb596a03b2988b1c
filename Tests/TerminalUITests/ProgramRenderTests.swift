import Foundation
import RoomClient
import RoomCore
import RoomProtocol
import Testing

@testable import TerminalUI

/// The program on the full screen: a participant sees the next session's day
/// and times in their own time zone and the agenda in the side panel; a
/// facilitator sees the expected members who are not here in the roster,
/// with the absence reason once recorded.
struct ProgramRenderTests {
    /// Monday 2026-03-09 18:00–21:00 in Los Angeles (01:00Z–04:00Z on the 10th), with an agenda.
    static let notice = SessionSchedule(
        timeZone: "America/Los_Angeles", waitingRoomOpen: false,
        session: ScheduledSession(
            id: "2026-03-09T18:00", opensAt: Timestamp(millisecondsSinceEpoch: 1_773_103_500_000),
            startsAt: Timestamp(millisecondsSinceEpoch: 1_773_104_400_000),
            endsAt: Timestamp(millisecondsSinceEpoch: 1_773_115_200_000)),
        agenda: [
            ScheduledAgendaItem(title: "Check-in", durationMs: 1_200_000),
            ScheduledAgendaItem(title: "Skills", durationMs: 3_600_000),
        ])

    static func participant(in zone: String) throws -> ScreenState {
        var state = RenderTests.state(role: .participant)
        state.timeZone = try #require(TimeZone(identifier: zone))
        state.model.apply(.schedule(Self.notice), receivedAt: RenderTests.t0)
        state.append(TerminalApp.paneLines(for: .schedule(Self.notice), in: state.model))
        return state
    }

    @Test(arguments: [(80, 24), (60, 20)])
    func aParticipantSeesTheNextSessionInTheirOwnTimeAndTheAgenda(width: Int, height: Int) throws {
        let losAngeles = RoomScreen.render(
            try Self.participant(in: "America/Los_Angeles"), width: width, height: height)
        #expect(losAngeles.lines.contains { $0.contains("Next session") })
        #expect(losAngeles.lines.contains { $0.contains("Mon 9 Mar 18:00–21:00") }, "\(losAngeles.lines)")
        #expect(losAngeles.lines.contains { $0.contains("Check-in 20m") })
        #expect(losAngeles.lines.contains { $0.contains("Skills 60m") })
        if width == 80 {
            #expect(losAngeles.lines.contains { $0.contains("Agenda: Check-in (20 min) · Skills (60 min)") }, "pane")
        }
        #expect(losAngeles.lines.allSatisfy { $0.count <= width })
        let berlin = RoomScreen.render(try Self.participant(in: "Europe/Berlin"), width: width, height: height)
        #expect(berlin.lines.contains { $0.contains("Tue 10 Mar 02:00–05:00") }, "\(berlin.lines)")
    }

    @Test func aRoomWithoutAScheduleShowsNone() {
        let state = RenderTests.state(role: .participant)
        let lines = RoomScreen.render(state, width: 80, height: 24).lines
        #expect(!lines.contains { $0.contains("Next session") || $0.contains("Agenda") })
    }

    @Test func aFacilitatorSeesWhoIsExpectedAndNotHereWithTheirAbsenceReason() {
        var state = RenderTests.state(role: .facilitator)
        let expected = ExpectedMembers(
            session: "2026-03-09T18:00",
            members: [
                ExpectedMember(member: "p", present: true), ExpectedMember(member: "m-2051", present: false),
                ExpectedMember(member: "m-3307", present: false),
            ])
        state.model.apply(.expected(expected), receivedAt: RenderTests.t0)
        var lines = RoomScreen.render(state, width: 80, height: 30).lines
        #expect(lines.contains { $0.contains("Not here (2 of 3)") }, "\(lines)")
        #expect(lines.contains { $0.contains("m-2051 [expected]") })
        #expect(lines.contains { $0.contains("m-3307 [expected]") })
        let record = AbsenceRecord(
            entry: AbsenceEntry(member: "m-2051", session: "2026-03-09T18:00", reason: .excused), recordedBy: "f",
            at: Timestamp(millisecondsSinceEpoch: RenderTests.t0))
        state.model.apply(
            .event(sequence: (state.model.lastSequence ?? 0) + 1, time: RenderTests.t0, .absenceRecorded(record)),
            receivedAt: RenderTests.t0)
        lines = RoomScreen.render(state, width: 80, height: 30).lines
        #expect(lines.contains { $0.contains("m-2051 [absent: excused]") }, "\(lines)")
        #expect(lines.contains { $0.contains("m-3307 [expected]") })
        // A participant never sees the list.
        var river = RenderTests.state(role: .participant)
        river.model.apply(.expected(expected), receivedAt: RenderTests.t0)
        #expect(!RoomScreen.render(river, width: 80, height: 30).lines.contains { $0.contains("Not here") })
    }
}
