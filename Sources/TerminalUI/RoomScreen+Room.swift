import RoomClient
import RoomCore

extension RoomScreen {
    /// The room: exercise view (when one runs), message pane, and the side panel.
    static func roomView(_ state: ScreenState, _ screen: inout Screen, top: Int, bottom: Int) {
        if state.showCard, state.model.cards.card != nil {
            return CardPanel.draw(state.model, &screen, top: top, bottom: bottom)
        }
        let side = sideWidth(screen.width)
        let paneWidth = screen.width - (side > 0 ? side + 1 : 0)
        var paneTop = top
        if let exercise = state.model.exercise, !state.model.sittingOutExercise,
            let position = ExercisePosition(exercise, at: state.serverNow), bottom - top >= 12
        {
            paneTop += ExerciseView.draw(exercise, position, &screen, row: top, width: paneWidth)
        }
        messagePane(state, &screen, top: paneTop, bottom: bottom, width: paneWidth)
        if side > 0 {
            for row in top..<bottom { screen.put("│", row: row, column: paneWidth, style: Styles.dim) }
            sidePanel(state, &screen, top: top, bottom: bottom, column: paneWidth + 1, width: side)
        }
    }

    static func messagePane(_ state: ScreenState, _ screen: inout Screen, top: Int, bottom: Int, width: Int) {
        let height = bottom - top
        guard height > 0, width > 2 else { return }
        var rows: [(String, PaneLine.Kind)] = []
        for line in state.pane {
            let stamp = state.showTimes ? timeColumn(line.time, utcOffsetSeconds: state.utcOffsetSeconds) : ""
            for (index, piece) in wrapped(line.text, width: width - 1 - stamp.count).enumerated() {
                rows.append(((index == 0 ? stamp : String(repeating: " ", count: stamp.count)) + piece, line.kind))
            }
        }
        let end = max(0, rows.count - min(state.scroll, max(0, rows.count - height)))
        let visible = rows[max(0, end - height)..<end]
        for (offset, (text, kind)) in visible.enumerated() {
            let style: CellStyle
            switch kind {
            case .chat: style = .plain
            case .event: style = Styles.dim
            case .error: style = Styles.error
            case .alert: style = Styles.alert
            }
            if kind == .alert { screen.fill(row: top + offset, to: width, style: style) }
            screen.put(text, row: top + offset, column: 0, style: style, limit: width)
        }
    }

    /// The rows of one pane line: wrapped to `width`, every row after the first
    /// indented by ``hangingIndent``, so text that wraps can never look like the
    /// start of a line of its own (a forged `[13] Dana [facilitator]: …`).
    static func wrapped(_ text: String, width: Int) -> [String] {
        let rows = CellWidth.wrap(text, width: width)
        guard rows.count > 1, width > hangingIndent.count + 1 else { return rows }
        let narrow = CellWidth.wrap(text, width: width - hangingIndent.count)
        return narrow.enumerated().map { $0.offset == 0 ? $0.element : hangingIndent + $0.element }
    }

    /// What starts each wrapped row after the first: two spaces.
    static let hangingIndent = "  "

    static func sidePanel(_ state: ScreenState, _ screen: inout Screen, top: Int, bottom: Int, column: Int, width: Int)
    {
        var lines: [(String, CellStyle)] = []
        let model = state.model
        if model.role == .facilitator {
            lines.append(("Waiting (\(model.waiting.count))", Styles.title))
            let selected = state.waitingKeys.selection(in: model.waiting)?.member
            lines += model.waiting.map { entry in
                let mark = entry.member == selected ? "▸ " : "  "
                return ("\(mark)\(entry.alias)\(entry.reconnecting ? " (reconnecting)" : "")", .plain)
            }
            if !model.waiting.isEmpty {
                lines.append(("  Alt-a admit", Styles.dim))
                lines.append(("  Alt-d decline (twice)", Styles.dim))
            }
            if model.waiting.count > 1 { lines.append(("  Alt-n/Alt-p select", Styles.dim)) }
            let hands = model.roster.entries.filter { $0.queuePosition != nil }.sorted {
                ($0.queuePosition ?? 0) < ($1.queuePosition ?? 0)
            }
            lines.append(("Hands (\(hands.count))", Styles.title))
            lines += hands.map { ("  \($0.queuePosition ?? 0). \($0.alias)", .plain) }
            if let progress = model.checkInProgress, model.checkIn != nil {
                lines.append(("Check-in", Styles.title))
                lines.append(("  \(progress.answered.count) answered, \(progress.passed.count) passed", .plain))
                lines.append(("  \(progress.pending.count) yet to answer", .plain))
                for distribution in progress.distribution {
                    let counts = distribution.counts.sorted { $0.key < $1.key }.map { "\($0.key)×\($0.value)" }
                    lines.append(("  \(distribution.field): \(counts.joined(separator: " "))", .plain))
                }
            }
            lines.append(("", .plain))
        }
        lines += schedulePanel(state)
        lines += toolkitPanel(model)
        lines += CardPanel.hint(model)
        lines.append(("Here (\(model.roster.entries.count))", Styles.title))
        for entry in model.roster.entries {
            let line = rosterLine(entry, floor: model.roster.floor) + toolkitMarks(entry, model)
            lines.append(("  " + line, entry.presence == .here ? .plain : Styles.dim))
        }
        lines += expectedPanel(model)
        for (offset, (text, style)) in lines.prefix(bottom - top).enumerated() {
            screen.put(text, row: top + offset, column: column, style: style, limit: width)
        }
    }

    /// A roster line: alias, then marks for facilitator, hand place, floor, muted, presence.
    static func rosterLine(_ entry: RosterEntry, floor: MemberID?) -> String {
        var marks: [String] = []
        if entry.role == .facilitator { marks.append("fac") }
        if let place = entry.queuePosition { marks.append("✋\(place)") }
        if entry.member == floor { marks.append("floor") }
        if entry.muted { marks.append("muted") }
        switch entry.presence {
        case .here: break
        case .away: marks.append("away")
        case .reconnecting: marks.append("reconnecting")
        case .inSideRoom: marks.append("side room")
        }
        let alias = EventText.plain(entry.alias)
        return marks.isEmpty ? alias : "\(alias) [\(marks.joined(separator: ", "))]"
    }
}

/// The exercise view: name, phase and prompt, countdown, progress bar and, for
/// breathing exercises, a shape that grows and shrinks with the server's schedule.
enum ExerciseView {
    /// Draws at `row`; returns the rows used.
    static func draw(
        _ status: ExerciseStatus, _ position: ExercisePosition, _ screen: inout Screen, row: Int, width: Int
    ) -> Int {
        let paused = position.paused ? "  (paused)" : ""
        screen.put(
            " \(status.name) — \(position.phase.name)\(paused)", row: row, column: 0, style: CellStyle(bold: true),
            limit: width)
        screen.put(" \(position.phase.prompt)", row: row + 1, column: 0, limit: width)
        let barWidth = max(4, width - 12)
        let filled = Int((Double(barWidth) * position.progress).rounded())
        let bar = String(repeating: "█", count: filled) + String(repeating: "░", count: barWidth - filled)
        screen.put(" \(bar) \(RoomScreen.clock(position.remaining))", row: row + 2, column: 0, limit: width)
        var used = 3
        if status.exerciseID.contains("breath") {
            let maxHalf = max(1, min(width / 2 - 2, 12))
            let half = max(1, Int((Double(maxHalf) * position.breath).rounded()))
            let heights = [0.35, 0.7, 1.0, 0.7, 0.35]
            for (offset, factor) in heights.enumerated() {
                let span = max(1, Int(Double(half) * factor))
                let shape = "(" + String(repeating: "●", count: span * 2) + ")"
                let column = max(0, (width - CellWidth.of(shape)) / 2)
                screen.put(
                    shape, row: row + used + offset, column: column, style: CellStyle(foreground: .cyan),
                    limit: width - column)
            }
            used += heights.count
        }
        screen.put(String(repeating: "─", count: width), row: row + used, column: 0, style: RoomScreen.Styles.dim)
        return used + 1
    }
}

/// The check-in dialog drawn over the middle of the screen.
enum CheckInView {
    static func draw(_ dialog: CheckInDialog, _ screen: inout Screen) {
        let width = min(screen.width - 4, 56)
        var lines = [dialog.template.title, ""]
        for (index, field) in dialog.template.fields.enumerated() {
            let marker = index == dialog.field ? "▸ " : "  "
            switch field.kind {
            case .scale(let range):
                let score = dialog.scores[field.id] ?? range.lowerBound
                lines.append(marker + field.prompt)
                lines.append("    ◀ \(score) ▶   (\(range.lowerBound)–\(range.upperBound), ← →)")
            case .word, .text:
                lines.append(marker + field.prompt)
                lines.append("    " + (dialog.texts[field.id] ?? "") + "▁")
            }
        }
        lines += ["", "Enter: send · Ctrl-P: pass · Esc: later"]
        let top = max(1, (screen.height - lines.count - 2) / 2)
        let left = max(0, (screen.width - width) / 2)
        let box = CellStyle(reverse: true)
        for row in top..<min(screen.height - 2, top + lines.count + 2) {
            screen.fill(row: row, from: left, to: left + width, style: box)
        }
        for (offset, line) in lines.enumerated() where top + 1 + offset < screen.height - 2 {
            screen.put(" " + line, row: top + 1 + offset, column: left, style: box, limit: width)
        }
    }
}
