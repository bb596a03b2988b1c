import ProgramCore
import Testing

@Suite("Dates, times and weekdays without a clock")
struct CivilTimeTests {
    @Test func daysSinceEpochRoundTripAcrossCenturies() {
        for days in stride(from: -800_000, through: 800_000, by: 997) {
            #expect(LocalDate(daysSinceEpoch: days).daysSinceEpoch == days)
        }
        #expect(LocalDate(daysSinceEpoch: 0).description == "1970-01-01")
        #expect(Fixture.day("2000-03-01").daysSinceEpoch == 11_017)
    }

    @Test func weekdaysAndISOWeeks() {
        #expect(Fixture.day("1970-01-01").weekday == .thursday)
        #expect(Fixture.day("2026-03-09").weekday == .monday)
        #expect(Fixture.day("2026-03-09").isoWeek == "2026-W11")
        #expect(Fixture.day("2026-03-15").weekStart == Fixture.day("2026-03-09"))
        #expect(Fixture.day("2027-01-01").isoWeek == "2026-W53")
        #expect(Fixture.day("2025-12-29").isoWeek == "2026-W01")
    }

    @Test func parsingRefusesWhatIsNotADateOrATime() {
        for text in ["2026-02-29", "2026-13-01", "2026-1-01", "26-01-01", "2026-01-01x", "", "2026-+1-01"] {
            #expect(LocalDate(parsing: text) == nil, "\(text)")
        }
        #expect(LocalDate(parsing: "2028-02-29") != nil)
        for text in ["24:00", "9:00", "09:60", "0900", "", "-1:00"] {
            #expect(LocalTime(parsing: text) == nil, "\(text)")
        }
        #expect(Fixture.time("23:59").description == "23:59")
    }
}
