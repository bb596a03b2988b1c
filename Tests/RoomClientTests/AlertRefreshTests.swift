import RoomClient
import RoomCore
import RoomProtocol
import Testing

/// A participant who raises their open crisis alert again: the server sends the same
/// alert refreshed; the client shows one alert, with the count, not a new one.
@Suite("Alert refresh")
struct AlertRefreshTests {
    @Test func aRefreshedAlertReplacesTheOneShown() throws {
        let raisedAt = Timestamp(millisecondsSinceEpoch: 1_764_000_000_000)
        let first = CrisisAlertInfo(id: AlertID(1), member: "p1", alias: "River", raisedAt: raisedAt)
        var model = RoomViewModel()
        model.apply(.crisisAlertRaised(first))
        let wire = """
            {"v":1,"type":"event","seq":9,"time":1764000030000,"event":{"type":"crisis.raised","alert":1,\
            "member":"p1","alias":"River","raisedAt":1764000000000,"repeats":4,"lastRaisedAt":1764000030000}}
            """
        let message = try ServerMessage.decode(wire).get()
        let applied = model.apply(message, receivedAt: 0)
        #expect(applied)
        #expect(model.openAlerts.count == 1)
        #expect(model.openAlerts.first?.repeats == 4)
        #expect(model.openAlerts.first?.lastRaisedAt == raisedAt + .seconds(30))
        #expect(EventText.lines(for: message, in: model).first?.contains("raised 5 times") == true)
    }
}
