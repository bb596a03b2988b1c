import CSV
import Foundation
import Testing

@testable import RoomServer

/// The attendance export computed from fixed rows and times: minutes, step-out,
/// disconnections, rejoining, overlaps, midnight, time zones and the weekly flags.
@Suite struct AttendanceReportTests {
    /// Milliseconds of an ISO 8601 instant, `2026-11-23T09:00:00Z`.
    static func ms(_ text: String) -> Int64 {
        let formatter = ISO8601DateFormatter()
        guard let date = formatter.date(from: text) else { fatalError("bad instant \(text)") }
        return Int64((date.timeIntervalSince1970 * 1000).rounded())
    }

    static func day(_ text: String) -> CalendarDay { CalendarDay(parsing: text)! }

    /// Builds the rows of one room's sessions, numbering events in order.
    struct Rows {
        var sessions: [AttendanceReport.SessionRow] = []
        var events: [AttendanceReport.EventRow] = []

        mutating func session(_ id: Int64, _ start: String, _ end: String?, reason: String? = "session_ended") {
            sessions.append(
                AttendanceReport.SessionRow(
                    id: id, room: "evening-process", startedAt: ms(start), endedAt: end.map(ms),
                    endReason: end == nil ? nil : reason))
        }

        mutating func event(
            _ session: Int64, _ member: String, _ event: String, _ at: String, detail: String? = nil,
            role: String = "participant"
        ) {
            events.append(
                AttendanceReport.EventRow(
                    sequence: Int64(events.count + 1), sessionID: session, member: member, role: role, event: event,
                    detail: detail, at: ms(at)))
        }

        /// A participant admitted at `from` and leaving at `to`, nothing in between.
        mutating func stay(_ session: Int64, _ member: String, _ from: String, _ to: String) {
            event(session, member, "connected", from)
            event(session, member, "admitted", from, detail: "f1")
            event(session, member, "left", to, detail: "session_ended")
        }

        var input: AttendanceReport.Input { AttendanceReport.Input(sessions: sessions, events: events) }
    }

    static func report(
        _ rows: Rows, from: String, to: String, zone: String = "UTC", asOf: Int64 = ms("2027-06-01T00:00:00Z")
    ) -> AttendanceReport {
        var rules = AttendanceRules()
        rules.timeZoneName = zone
        return AttendanceReport(
            input: rows.input, period: AttendancePeriod(from: day(from), to: day(to)), rules: rules, asOf: asOf)
    }

    @Test("admitted time counts; the waiting room, stepping out and a lost connection do not")
    func minutes() throws {
        var rows = Rows()
        rows.session(1, "2026-11-23T09:00:00Z", "2026-11-23T12:00:00Z")
        rows.event(1, "f1", "connected", "2026-11-23T09:00:00Z", role: "facilitator")
        rows.event(1, "p1", "connected", "2026-11-23T09:00:00Z")
        rows.event(1, "p1", "consented", "2026-11-23T09:01:00Z", detail: "2026-11")
        rows.event(1, "p1", "admitted", "2026-11-23T09:05:00Z", detail: "f1")
        rows.event(1, "p1", "stepped_out", "2026-11-23T10:00:00Z")
        rows.event(1, "p1", "stepped_back", "2026-11-23T10:15:00Z")
        rows.event(1, "p1", "entered_side_room", "2026-11-23T10:30:00Z")
        rows.event(1, "p1", "left_side_room", "2026-11-23T10:40:00Z")
        rows.event(1, "p1", "connection_lost", "2026-11-23T11:00:00Z")
        rows.event(1, "p1", "resumed", "2026-11-23T11:01:30Z")
        rows.event(1, "p1", "left", "2026-11-23T12:00:00Z", detail: "session_ended")
        rows.event(1, "f1", "left", "2026-11-23T12:00:00Z", detail: "session_ended", role: "facilitator")
        let report = Self.report(rows, from: "2026-11-23", to: "2026-11-23")

        #expect(report.sessions.map(\.member) == ["f1", "p1"])
        let facilitator = report.sessions[0]
        #expect(facilitator.role == "facilitator")
        #expect(facilitator.attendedMinutes == 180)
        #expect(facilitator.admittedAt == Self.ms("2026-11-23T09:00:00Z"))
        let p1 = report.sessions[1]
        #expect(p1.consentVersion == "2026-11")
        #expect(p1.consentedAt == Self.ms("2026-11-23T09:01:00Z"))
        #expect(p1.admittedAt == Self.ms("2026-11-23T09:05:00Z"))
        #expect(p1.firstJoined == Self.ms("2026-11-23T09:00:00Z"))
        #expect(p1.lastLeft == Self.ms("2026-11-23T12:00:00Z"))
        // 09:05–10:00, 10:15–11:00 (side room included), 11:01:30–12:00.
        #expect(p1.attendedMilliseconds == (55 + 45) * 60_000 + 58 * 60_000 + 30_000)
        #expect(p1.attendedMinutes == 158)
        #expect(p1.steppedOutMinutes == 15)
        #expect(p1.disconnectedMilliseconds == 90_000)
        #expect(p1.endReason == "session_ended")
        #expect(p1.sessionEndReason == "session_ended")
    }

    @Test("leaving and rejoining in one session: one row, the stays summed, admitted at the first admission")
    func rejoining() {
        var rows = Rows()
        rows.session(1, "2026-11-23T09:00:00Z", "2026-11-23T12:00:00Z")
        rows.event(1, "p2", "connected", "2026-11-23T09:00:00Z")
        rows.event(1, "p2", "admitted", "2026-11-23T09:02:00Z", detail: "f1")
        rows.event(1, "p2", "left", "2026-11-23T10:00:00Z", detail: "closed_by_client")
        rows.event(1, "p2", "connected", "2026-11-23T10:30:00Z")
        rows.event(1, "p2", "admitted", "2026-11-23T10:35:00Z", detail: "f1")
        rows.event(1, "p2", "left", "2026-11-23T11:00:00Z", detail: "idle_logged_off")
        let row = Self.report(rows, from: "2026-11-23", to: "2026-11-23").sessions[0]
        #expect(row.attendedMinutes == 58 + 25)
        #expect(row.admittedAt == Self.ms("2026-11-23T09:02:00Z"))
        #expect(row.firstJoined == Self.ms("2026-11-23T09:00:00Z"))
        #expect(row.lastLeft == Self.ms("2026-11-23T11:00:00Z"))
        #expect(row.endReason == "idle_logged_off")
    }

    @Test("a session still running counts up to the export time and shows no end")
    func openSession() {
        var rows = Rows()
        rows.session(1, "2026-11-23T09:00:00Z", nil)
        rows.event(1, "p1", "connected", "2026-11-23T09:00:00Z")
        rows.event(1, "p1", "admitted", "2026-11-23T09:00:00Z")
        rows.event(1, "p1", "stepped_out", "2026-11-23T09:30:00Z")
        let row = Self.report(rows, from: "2026-11-23", to: "2026-11-23", asOf: Self.ms("2026-11-23T09:45:00Z"))
            .sessions[0]
        #expect(row.attendedMinutes == 30)
        #expect(row.steppedOutMinutes == 15)
        #expect(row.lastLeft == nil && row.endReason == nil && row.sessionEnd == nil)
    }

    @Test("a session across midnight splits its hours between the two days, in the configured time zone")
    func midnight() {
        var rows = Rows()
        rows.session(1, "2026-11-24T22:00:00Z", "2026-11-25T01:00:00Z")
        rows.stay(1, "p1", "2026-11-24T22:00:00Z", "2026-11-25T01:00:00Z")
        let utc = Self.report(rows, from: "2026-11-24", to: "2026-11-24")
        #expect(utc.days.map(\.day.description) == ["2026-11-24", "2026-11-25"])
        #expect(utc.days.map(\.hours) == [2, 1])
        #expect(utc.days.allSatisfy { $0.belowMinimumHours })
        // 17:00–20:00 in New York: one day of three hours, meeting the minimum.
        let newYork = Self.report(rows, from: "2026-11-24", to: "2026-11-24", zone: "America/New_York")
        #expect(newYork.days.map(\.day.description) == ["2026-11-24"])
        #expect(newYork.days.map(\.hours) == [3])
        #expect(newYork.days.map(\.belowMinimumHours) == [false])
        #expect(newYork.sessions[0].attendedMinutes == 180)
    }

    @Test("overlapping stays of one member count once in the day's hours")
    func overlaps() {
        var rows = Rows()
        rows.session(1, "2026-11-23T09:00:00Z", "2026-11-23T11:00:00Z", reason: "server_stopped")
        rows.session(2, "2026-11-23T10:00:00Z", "2026-11-23T12:00:00Z")
        rows.stay(1, "p1", "2026-11-23T09:00:00Z", "2026-11-23T11:00:00Z")
        rows.stay(2, "p1", "2026-11-23T10:00:00Z", "2026-11-23T12:00:00Z")
        let report = Self.report(rows, from: "2026-11-23", to: "2026-11-23")
        #expect(report.sessions.map(\.attendedMinutes) == [120, 120])
        #expect(report.sessions.map(\.sessionEndReason) == ["server_stopped", "session_ended"])
        #expect(report.days.map(\.hours) == [3])
    }

    @Test("weeks flag fewer than three days of three hours; days below three hours are flagged")
    func weeklyFlags() {
        var rows = Rows()
        for (index, date) in ["2026-11-23", "2026-11-24", "2026-11-25"].enumerated() {
            let id = Int64(index + 1)
            rows.session(id, "\(date)T09:00:00Z", "\(date)T12:00:00Z")
            rows.stay(id, "steady", "\(date)T09:00:00Z", "\(date)T12:00:00Z")
            rows.stay(id, "short", "\(date)T09:00:00Z", index == 2 ? "\(date)T11:00:00Z" : "\(date)T12:00:00Z")
        }
        let report = Self.report(rows, from: "2026-11-23", to: "2026-12-06")
        let short = report.weeks.filter { $0.member == "short" }
        #expect(short.map(\.week.description) == ["2026-W48", "2026-W49"])
        #expect(short[0].daysAttended == 3 && short[0].daysMeetingMinimum == 2 && short[0].belowMinimumDays)
        #expect(short[0].hours == 8 && !short[0].partial)
        #expect(short[1].daysAttended == 0 && short[1].belowMinimumDays)
        let steady = report.weeks.filter { $0.member == "steady" }
        #expect(steady.map(\.belowMinimumDays) == [false, true])
        #expect(report.days.filter(\.belowMinimumHours).map { "\($0.member) \($0.day)" } == ["short 2026-11-25"])
        let partial = Self.report(rows, from: "2026-11-24", to: "2026-11-25")
        #expect(partial.weeks.map(\.partial) == [true, true])
    }

    @Test("days near New Year fall in the ISO week of their Thursday")
    func isoWeeks() {
        var calendar = Calendar(identifier: .iso8601)
        calendar.timeZone = TimeZone(identifier: "UTC")!
        #expect(Self.day("2027-01-01").week(in: calendar).description == "2026-W53")
        #expect(Self.day("2026-01-01").week(in: calendar).description == "2026-W01")
        #expect(Self.day("2025-12-29").week(in: calendar).description == "2026-W01")
        #expect(CalendarDay(parsing: "2026-02-30") == nil && CalendarDay(parsing: "26-1-1") == nil)
    }

    @Test("CSV is RFC 4180: CRLF lines, fields with commas, quotes and line breaks quoted; it parses back")
    func csvQuoting() throws {
        var rows = Rows()
        rows.session(1, "2026-11-23T09:00:00Z", "2026-11-23T12:00:00Z")
        let awkward = "id,with \"quotes\"\nand a line"
        rows.stay(1, awkward, "2026-11-23T09:00:00Z", "2026-11-23T12:00:00Z")
        let report = Self.report(rows, from: "2026-11-23", to: "2026-11-23")
        let text = try report.csv(.sessions)
        #expect(text.hasPrefix("room,session_id,session_start,session_end,session_end_reason,member,role,"))
        #expect(text.contains("\"id,with \"\"quotes\"\"\nand a line\""))
        #expect(text.hasSuffix("\r\n"))
        let reader = try CSVReader(string: text, hasHeaderRow: true)
        let header = try #require(reader.headerRow)
        #expect(header == report.header(.sessions))
        let first = try #require(reader.next())
        #expect(first[header.firstIndex(of: "member")!] == awkward)
        #expect(first[header.firstIndex(of: "session_start")!] == "2026-11-23T09:00:00Z")
        #expect(first[header.firstIndex(of: "minutes_attended")!] == "180")
        #expect(reader.next() == nil)
        let days = try CSVReader(string: try report.csv(.days), hasHeaderRow: true)
        #expect(days.next()?.suffix(2) == ["3.00", "false"])
    }

    @Test("JSON holds all three tables with typed values, times in the report's time zone")
    func json() throws {
        var rows = Rows()
        rows.session(1, "2026-11-23T09:00:00Z", nil)
        rows.stay(1, "p1", "2026-11-23T09:00:00Z", "2026-11-23T10:30:00Z")
        let text = try Self.report(rows, from: "2026-11-23", to: "2026-11-23", zone: "Europe/Berlin").json()
        let object = try #require(try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any])
        let session = try #require((object["sessions"] as? [[String: Any]])?.first)
        #expect(session["minutes_attended"] as? Int == 90)
        #expect(session["session_start"] as? String == "2026-11-23T10:00:00+01:00")
        #expect(session["session_end"] is NSNull)
        let week = try #require((object["weeks"] as? [[String: Any]])?.first)
        #expect(week["below_minimum_days"] as? Bool == true)
        #expect(week["iso_week"] as? String == "2026-W48")
        #expect((object["rules"] as? [String: Any])?["time_zone"] as? String == "Europe/Berlin")
    }
}
