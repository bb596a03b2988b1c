import Foundation
import RoomCore
import RoomProtocol
import Testing

@testable import RoomClient

/// What `iop` shows of the program schedule: the session's times in the
/// member's own time zone, whatever the clinic's.
@Suite struct ScheduleTextTests {
    /// Monday 2026-03-09 18:00–21:00 in Los Angeles (PDT): 01:00Z–04:00Z on the 10th.
    static let notice = SessionSchedule(
        timeZone: "America/Los_Angeles", waitingRoomOpen: false,
        session: ScheduledSession(
            id: "2026-03-09T18:00", opensAt: Timestamp(millisecondsSinceEpoch: 1_773_103_500_000),
            startsAt: Timestamp(millisecondsSinceEpoch: 1_773_104_400_000),
            endsAt: Timestamp(millisecondsSinceEpoch: 1_773_115_200_000)))

    @Test func anEarlyArrivalSeesTheNextSessionInTheirOwnTimeZone() throws {
        let losAngeles = try #require(TimeZone(identifier: "America/Los_Angeles"))
        #expect(
            ScheduleText.arrival(Self.notice, in: losAngeles)
                == "The next session is Monday 9 March: the waiting room opens at 17:45 and the group runs "
                + "18:00–21:00 (your time). You may stay connected until then.")
        let berlin = try #require(TimeZone(identifier: "Europe/Berlin"))
        #expect(ScheduleText.arrival(Self.notice, in: berlin).hasPrefix("The next session is Tuesday 10 March"))
        #expect(ScheduleText.arrival(Self.notice, in: berlin).contains("opens at 01:45 and the group runs 02:00–05:00"))
    }

    @Test func anOpenWaitingRoomAReminderAndTheEndOfTheProgram() throws {
        let zone = try #require(TimeZone(identifier: "America/New_York"))
        var open = Self.notice
        open.waitingRoomOpen = true
        #expect(ScheduleText.arrival(open, in: zone) == "Today's session: 21:00–00:00 (your time).")
        #expect(
            ScheduleText.reminder(open, in: zone) == "Reminder: this session is scheduled to end at 00:00 (your time).")
        let over = SessionSchedule(timeZone: "UTC", waitingRoomOpen: false, session: nil)
        #expect(ScheduleText.arrival(over, in: zone) == "This program has no more scheduled sessions.")
    }

    @Test func theViewModelKeepsTheLatestSchedule() {
        var model = RoomViewModel()
        model.apply(.schedule(Self.notice), receivedAt: 0)
        #expect(model.schedule == Self.notice)
        #expect(EventText.lines(for: .schedule(Self.notice), in: model).count == 1)
    }

    @Test func facilitatorsReadWhoIsNotHereYet() {
        let list = ExpectedMembers(
            session: "2026-03-09T18:00",
            members: [ExpectedMember(member: "m-1", present: true), ExpectedMember(member: "m-2", present: false)])
        #expect(ScheduleText.expected(list) == "Expected and not here yet (1 of 2 here): m-2")
        let all = ExpectedMembers(session: "x", members: [ExpectedMember(member: "m-1", present: true)])
        #expect(ScheduleText.expected(all) == "All 1 expected members are here.")
        var model = RoomViewModel()
        model.apply(.expected(list), receivedAt: 0)
        #expect(model.expected == list)
    }
}
