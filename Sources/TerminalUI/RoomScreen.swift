import RoomClient
import RoomCore

/// Lays the room out on a ``Screen``: header, alert banner, message pane with
/// scrollback, roster and facilitator panels, exercise view, status and input lines;
/// or the agreement, waiting-room and end screens. Pure: state in, cells out.
public enum RoomScreen {
    /// Styles used by the layout.
    enum Styles {
        static let header = CellStyle(foreground: .white, background: .blue, bold: true, reverse: true)
        static let alert = CellStyle(foreground: .white, background: .red, bold: true, reverse: true)
        static let status = CellStyle(reverse: true)
        static let title = CellStyle(bold: true)
        static let dim = CellStyle(dim: true)
        static let error = CellStyle(foreground: .yellow, bold: true)
    }

    /// The roster column's width: 26 columns from 60 up; on a small screen (44 to 59)
    /// a narrow 16-column roster (the pane keeps the rest); none below 44.
    static func sideWidth(_ width: Int) -> Int { width >= 60 ? 26 : width >= 44 ? 16 : 0 }

    /// Renders `state` on a `width` × `height` screen. With `rooms` (several rooms
    /// joined, `state` the one in front) a tab strip and the crisis alerts of the rooms
    /// behind are drawn under the header.
    public static func render(_ state: ScreenState, rooms: RoomTabs? = nil, width: Int, height: Int) -> Screen {
        var screen = Screen(width: width, height: height)
        guard width >= 20, height >= 6 else {
            screen.put("Window too small", row: 0, column: 0)
            return screen
        }
        header(state, &screen)
        statusLine(state, &screen)
        inputLine(state, &screen)
        var top = 1
        if let rooms { top += roomsRows(rooms, &screen, row: top) }
        top += alertBanner(state, &screen, row: top)
        let bottom = height - 2
        switch state.model.stage {
        case .connecting: centered(["Connecting to the room…"], &screen, top: top, bottom: bottom)
        case .agreement(let agreement): agreementView(agreement, &screen, top: top, bottom: bottom)
        case .waiting:
            centered(
                [
                    "You are in the waiting room.", "", "A facilitator will let you in soon.",
                    "If you need help right now, type /crisis and press Enter.",
                ], &screen, top: top, bottom: bottom)
        case .ended:
            centered(
                ["The session has ended.", "", "Thank you for being here.", "", "Press Enter to close."],
                &screen, top: top, bottom: bottom)
        case .inRoom: roomView(state, &screen, top: top, bottom: bottom)
        }
        if state.model.stage != .inRoom, let notice = state.pane.last, notice.kind == .error {
            let column = max(0, (width - CellWidth.of(notice.text)) / 2)
            screen.put(notice.text, row: bottom - 2, column: column, style: Styles.error)  // refusals stay visible
        }
        if let dialog = state.checkInDialog { CheckInView.draw(dialog, &screen) }
        return screen
    }

    static func header(_ state: ScreenState, _ screen: inout Screen) {
        screen.fill(row: 0, style: Styles.header)
        let model = state.model
        var parts = [model.title.isEmpty ? "VirtualIOP" : model.title, phaseName(model)]
        if let exercise = model.exercise, let position = ExercisePosition(exercise, at: state.serverNow) {
            parts.append("\(exercise.name): \(position.phase.name) \(clock(position.remaining))")
        }
        if let item = model.agenda {
            parts.append(
                "\(item.name) \(clock(.milliseconds(max(0, item.endsAt.millisecondsSinceEpoch - state.serverNow))))")
        }
        if let floor = floorHeader(model) { parts.append(floor) }
        if let breakout = breakoutHeader(state) { parts.append(breakout) }
        screen.put(" " + parts.joined(separator: " · "), row: 0, column: 0, style: Styles.header)
    }

    static func phaseName(_ model: RoomViewModel) -> String {
        switch model.stage {
        case .connecting: "connecting"
        case .agreement: "group agreement"
        case .waiting: "waiting room"
        case .ended: "session ended"
        case .inRoom: model.checkIn != nil ? "check-in" : model.exercise != nil ? "exercise" : "in session"
        }
    }

    /// A crisis banner across the screen (facilitators), or the participant's own alert's status.
    static func alertBanner(_ state: ScreenState, _ screen: inout Screen, row: Int) -> Int {
        let model = state.model
        let text: String
        if let alert = model.openAlerts.first {
            let more = model.openAlerts.count > 1 ? " (+\(model.openAlerts.count - 1) more)" : ""
            text = "!!! CRISIS ALERT: \(alert.alias) needs help now\(more) — reach out, then /ack \(alert.id) !!!"
        } else if let mine = model.myAlert {
            text =
                mine.acknowledgedBy.map { "\($0) has seen your alert and will reach out." }
                ?? (mine.notified > 0
                    ? "Your alert reached the facilitators."
                    : "Your alert waits for a facilitator. If you are in danger, call your local emergency number.")
        } else {
            return 0
        }
        screen.fill(row: row, style: Styles.alert)
        screen.put(" " + text, row: row, column: 0, style: Styles.alert)
        return 1
    }

    static func statusLine(_ state: ScreenState, _ screen: inout Screen) {
        let row = screen.height - 2
        screen.fill(row: row, style: Styles.status)
        var parts = [state.connection.description]
        if case .reconnecting(_, let attempt, _) = state.connection, let at = state.reconnectAt {
            let seconds = max(0, (at - state.serverNow + 999) / 1000)
            parts = [
                seconds > 0 ? "connection lost — reconnecting in \(seconds) s (attempt \(attempt))" : "reconnecting…"
            ]
        }
        if case .connected = state.connection, let rtt = state.roundTrip { parts.append("rtt \(rtt.milliseconds) ms") }
        if state.unverifiedServer { parts.insert("UNVERIFIED SERVER (--insecure)", at: 0) }
        if let me = state.model.me { parts.append("\(me.alias) (\(me.role.rawValue))") }
        if state.scroll > 0 { parts.append("scrolled up \(state.scroll) — PageDown") }
        parts.append("/help")
        screen.put(" " + parts.joined(separator: " · "), row: row, column: 0, style: Styles.status)
    }

    static func inputLine(_ state: ScreenState, _ screen: inout Screen) {
        let row = screen.height - 1
        let prompt = "> "
        let available = screen.width - CellWidth.of(prompt) - 1
        let before = String(state.editor.text[..<state.editor.cursor])
        var visible = state.editor.line
        var cursorColumn = CellWidth.of(before)
        if cursorColumn > available {  // scroll the line so the cursor stays in view
            let drop = cursorColumn - available
            var skipped = 0
            var dropped = 0
            for character in visible where skipped < drop {
                skipped += CellWidth.of(character)
                dropped += 1
            }
            visible = String(visible.dropFirst(dropped))
            cursorColumn -= skipped
        }
        screen.put(prompt, row: row, column: 0, style: Styles.title)
        screen.put(visible, row: row, column: CellWidth.of(prompt), limit: available)
        screen.cursor = (row, CellWidth.of(prompt) + cursorColumn)
    }

    static func centered(_ lines: [String], _ screen: inout Screen, top: Int, bottom: Int) {
        let wrapped = lines.flatMap { $0.isEmpty ? [""] : CellWidth.wrap($0, width: screen.width - 4) }
        let start = top + max(0, (bottom - top - wrapped.count) / 2)
        for (offset, line) in wrapped.enumerated() where start + offset < bottom {
            let column = max(0, (screen.width - CellWidth.of(line)) / 2)
            screen.put(line, row: start + offset, column: column, style: offset == 0 ? Styles.title : .plain)
        }
    }

    static func agreementView(_ agreement: GroupAgreement, _ screen: inout Screen, top: Int, bottom: Int) {
        let width = min(screen.width - 4, 72)
        var lines = ["Group agreement (version \(agreement.version))", ""]
        lines += agreement.text.split(separator: "\n", omittingEmptySubsequences: false).flatMap {
            CellWidth.wrap(String($0), width: width)
        }
        let column = max(0, (screen.width - width) / 2)
        let instruction = "Type /accept and press Enter to agree, or /quit to leave."
        screen.put(instruction, row: bottom - 1, column: column, style: Styles.title)  // always visible
        let room = max(0, bottom - 2 - top)
        let start = top + max(0, (room - lines.count) / 2)
        for (offset, line) in lines.prefix(room).enumerated() {
            screen.put(line, row: start + offset, column: column, style: offset == 0 ? Styles.title : .plain)
        }
    }

    /// `m:ss` for a duration.
    public static func clock(_ duration: Duration) -> String {
        let seconds = max(0, (duration.milliseconds + 999) / 1000)
        let rest = seconds % 60
        return "\(seconds / 60):\(rest < 10 ? "0" : "")\(rest)"
    }
}
