import RoomCore
import Testing

@Suite("A facilitator records why an expected member missed a scheduled session")
struct AbsenceRecordingTests {
    static let monday = "2026-03-09T18:00"
    static let wednesday = "2026-03-11T18:00"

    /// A session with f1, f2 and p1 admitted; p2 and p3 expected on Monday, p3 on Wednesday.
    static func harness() -> Harness {
        var h = Harness.session(["p1"])
        h.connect("f2")
        h.room.allowAbsences(RecordableAbsences(expected: [monday: ["p2", "p3"], wednesday: ["p3"]]))
        return h
    }

    @Test func aReasonIsKeptAsARecordAndEveryFacilitatorIsTold() {
        var h = Self.harness()
        h.advance(.seconds(90))
        let entry = AbsenceEntry(member: "p2", session: Self.monday, reason: .excused)
        let effects = h.send(.recordAbsence(entry), from: "f1")
        let record = AbsenceRecord(entry: entry, recordedBy: "f1", at: h.now)
        #expect(effects.records == [.absence(record)])
        let told = effects.deliveries(where: { $0 == .absenceRecorded(record) })
        #expect(told.map(\.recipients) == [["f1", "f2"]])
        #expect(effects.events(to: "p1").isEmpty, "participants never see it")
    }

    @Test func clearingIsARecordWithoutAReason() {
        var h = Self.harness()
        let entry = AbsenceEntry(member: "p3", session: Self.wednesday, reason: nil)
        let effects = h.send(.recordAbsence(entry), from: "f2")
        #expect(effects.records == [.absence(AbsenceRecord(entry: entry, recordedBy: "f2", at: h.now))])
    }

    @Test func onlyScheduledSessionsAndExpectedMembersAreAccepted() {
        var h = Self.harness()
        let cases: [(AbsenceEntry, RoomError)] = [
            (AbsenceEntry(member: "p2", session: "2026-03-10T18:00", reason: .excused), .unknownSession),
            (AbsenceEntry(member: "p2", session: "monday", reason: .unexcused), .unknownSession),
            (AbsenceEntry(member: "p2", session: Self.wednesday, reason: .excused), .notEnrolled),
            (AbsenceEntry(member: "stranger", session: Self.monday, reason: .rescheduled), .notEnrolled),
        ]
        for (entry, error) in cases {
            let effects = h.send(.recordAbsence(entry), from: "f1")
            #expect(effects.refusals == [error], "\(entry)")
            #expect(effects.count == 1, "a refusal changes nothing and records nothing")
        }
    }

    @Test func participantsMayNotRecordAndARoomWithoutAPlanRefusesAll() {
        var h = Self.harness()
        let entry = AbsenceEntry(member: "p2", session: Self.monday, reason: .excused)
        #expect(h.send(.recordAbsence(entry), from: "p1").refusals == [.notPermitted])
        var plain = Harness.session(["p1"])
        #expect(plain.send(.recordAbsence(entry), from: "f1").refusals == [.unknownSession])
    }

    @Test func theWindowCarriesOverToTheNextSessionAndCanBeReplaced() {
        var h = Self.harness()
        h.send(.endSession, from: "f1")
        h.advance(.seconds(3600))
        h.connect("f1")
        #expect(h.room.absencesAllowed.expected[Self.monday] == ["p2", "p3"])
        let entry = AbsenceEntry(member: "p3", session: Self.monday, reason: .unexcused)
        #expect(h.send(.recordAbsence(entry), from: "f1").records.count == 1)
        h.room.allowAbsences(RecordableAbsences())
        #expect(h.send(.recordAbsence(entry), from: "f1").refusals == [.unknownSession])
    }
}
