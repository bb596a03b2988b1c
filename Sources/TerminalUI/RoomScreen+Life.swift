import Glibc
import RoomClient
import RoomCore

/// The room's life on the full screen: who holds the floor in the header (and a
/// clear "you have the floor" for that member), the optional time column (Alt-t),
/// and the agreement's text folded to one line once accepted.
extension RoomScreen {
    /// The key that shows and hides the time column.
    static let timeColumnKey = Key.alt("t")

    /// The header's floor part: `▶ YOU HAVE THE FLOOR` for its holder, `floor: River` for the others.
    static func floorHeader(_ model: RoomViewModel) -> String? {
        guard case .inRoom = model.stage, let holder = model.roster.floor else { return nil }
        if holder == model.me?.id { return "▶ YOU HAVE THE FLOOR" }
        return "floor: " + EventText.plain(model.alias(of: holder))
    }

    /// `HH:MM ` of a server time (ms since 1970) in the screen's time zone, or blanks.
    static func timeColumn(_ time: Int64?, utcOffsetSeconds: Int) -> String {
        guard let time else { return "      " }
        let minutes = ((time / 1000 + Int64(utcOffsetSeconds)) / 60) % (24 * 60)
        let local = minutes < 0 ? minutes + 24 * 60 : minutes
        let hours = local / 60
        let rest = local % 60
        return "\(hours < 10 ? "0" : "")\(hours):\(rest < 10 ? "0" : "")\(rest) "
    }
}

extension ScreenState {
    /// Once the agreement is accepted, its text leaves the pane for one line saying so.
    mutating func foldAgreement(leaving old: RoomViewModel.Stage, for model: RoomViewModel) {
        guard case .agreement(let agreement) = old else { return }
        if case .agreement = model.stage { return }
        let shown = Set(EventText.lines(for: .agreementRequired(agreement), in: model))
        pane.removeAll { $0.kind == .event && shown.contains($0.text) }
        append([PaneLine("Group agreement (version \(agreement.version)) accepted.", kind: .event)])
    }
}

extension TerminalApp {
    /// The local time zone's offset from UTC now, in seconds (`localtime_r`'s `tm_gmtoff`).
    static func localUTCOffset() -> Int {
        var now = time(nil)
        var parts = tm()
        guard localtime_r(&now, &parts) != nil else { return 0 }
        return parts.tm_gmtoff
    }
}
