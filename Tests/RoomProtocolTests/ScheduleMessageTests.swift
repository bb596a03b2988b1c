import RoomCore
import RoomProtocol
import Testing

@Suite("The program schedule's server messages")
struct ScheduleMessageTests {
    static let session = ScheduledSession(
        id: "2026-03-09T18:00", opensAt: Timestamp(millisecondsSinceEpoch: 1_773_103_500_000),
        startsAt: Timestamp(millisecondsSinceEpoch: 1_773_104_400_000),
        endsAt: Timestamp(millisecondsSinceEpoch: 1_773_115_200_000))

    @Test func scheduleHasAFixedShapeWithISOInstantsAndRoundTrips() throws {
        let notice = SessionSchedule(timeZone: "America/Los_Angeles", waitingRoomOpen: false, session: Self.session)
        let text = ServerMessageEncoder.schedule(notice)
        #expect(
            text
                == #"{"v":1,"type":"schedule","timeZone":"America/Los_Angeles","waitingRoomOpen":false,"session":"#
                + #"{"id":"2026-03-09T18:00","opensAt":"2026-03-10T00:45:00Z","startsAt":"2026-03-10T01:00:00Z","#
                + #""endsAt":"2026-03-10T04:00:00Z"}}"#)
        #expect(try ServerMessage.decode(text).get() == .schedule(notice))
        let reminder = ServerMessageEncoder.sessionReminder(notice)
        #expect(reminder.hasPrefix(#"{"v":1,"type":"session_reminder","#))
        #expect(try ServerMessage.decode(reminder).get() == .sessionReminder(notice))
    }

    @Test func theAgendaRidesAlongWhenTheRoomHasOne() throws {
        let agenda = [
            ScheduledAgendaItem(title: "Check-in", durationMs: 1_200_000),
            ScheduledAgendaItem(title: "Skills", durationMs: 3_600_000),
        ]
        let notice = SessionSchedule(
            timeZone: "America/Los_Angeles", waitingRoomOpen: true, session: Self.session, agenda: agenda)
        let text = ServerMessageEncoder.schedule(notice)
        #expect(
            text.hasSuffix(
                #""agenda":[{"title":"Check-in","durationMs":1200000},{"title":"Skills","durationMs":3600000}]}"#))
        #expect(try ServerMessage.decode(text).get() == .schedule(notice))
        // A longer agenda than a client reads is cut at 32 items, never an error.
        let long = SessionSchedule(
            timeZone: "UTC", waitingRoomOpen: false, session: nil,
            agenda: Array(repeating: ScheduledAgendaItem(title: "x", durationMs: 60_000), count: 40))
        guard case .schedule(let read) = try ServerMessage.decode(ServerMessageEncoder.schedule(long)).get() else {
            Issue.record("not a schedule")
            return
        }
        #expect(read.agenda.count == ScheduledAgendaItem.maximumCount)
    }

    @Test func aProgramWithNoMoreSessionsSendsNull() throws {
        let notice = SessionSchedule(timeZone: "UTC", waitingRoomOpen: false, session: nil)
        let text = ServerMessageEncoder.schedule(notice)
        #expect(text.hasSuffix(#""session":null}"#))
        #expect(try ServerMessage.decode(text).get() == .schedule(notice))
    }

    @Test func aBadInstantIsAnInvalidField() {
        let text =
            #"{"v":1,"type":"schedule","timeZone":"UTC","waitingRoomOpen":false,"session":"#
            + #"{"id":"x","opensAt":"soon","startsAt":"2026-03-10T01:00:00Z","endsAt":"2026-03-10T04:00:00Z"}}"#
        guard case .failure(let error) = ServerMessage.decode(text) else {
            Issue.record("decoded")
            return
        }
        #expect(error.code == "invalid_field")
    }

    @Test func theExpectedListRoundTrips() throws {
        let list = ExpectedMembers(
            session: "2026-03-09T18:00",
            members: [ExpectedMember(member: "m-1", present: true), ExpectedMember(member: "m-2", present: false)])
        let text = ServerMessageEncoder.expected(list)
        #expect(
            text
                == #"{"v":1,"type":"expected","session":"2026-03-09T18:00","members":[{"member":"m-1","present":true},"#
                + #"{"member":"m-2","present":false}]}"#)
        #expect(try ServerMessage.decode(text).get() == .expected(list))
        #expect(list.missing == ["m-2"])
    }
}
