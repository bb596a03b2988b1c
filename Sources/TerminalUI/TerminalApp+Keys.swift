import RoomClient
import RoomCore
import RoomProtocol

/// Keys and typed lines: the check-in dialog, the waiting list, the room keys (with
/// several rooms), the input line.
extension TerminalApp {
    func handle(_ key: Key) {
        if var dialog = state.checkInDialog {
            let action = dialog.handle(key)
            state.checkInDialog = dialog
            switch action {
            case .none: break
            case .dismiss: state.checkInDialog = nil
            case .pass: connection.send(.passCheckIn)
            case .submit(let answer): connection.send(.answerCheckIn(answer))
            }
            return
        }
        if tabs.isSeveral, let target = RoomKeys.target(of: key, in: tabs) {
            return switchRoom(to: target)
        }
        if state.model.role == .facilitator, let action = state.waitingKeys.handle(key, waiting: state.model.waiting) {
            switch action {
            case .admit(let member)?: connection.send(.admit(member))
            case .decline(let member)?: connection.send(.decline(member))
            case .confirmDecline(_, let alias)?:
                state.append([
                    PaneLine("Turn \(alias) away for this session? Press Alt-d again to confirm.", kind: .error)
                ])
            case nil: break
            }
            return
        }
        switch key {
        case .control("c"), .control("d"): leaveAll()
        case .control("l"): renderer.invalidate()
        case CardPanel.toggleKey: state.showCard.toggle()
        case RoomScreen.timeColumnKey:
            state.showTimes.toggle()
            state.utcOffsetSeconds = Self.localUTCOffset()
        case .pageUp: state.scroll += max(1, terminal.size.height - 6)
        case .pageDown: state.scroll = max(0, state.scroll - max(1, terminal.size.height - 6))
        default:
            guard let line = state.editor.handle(key, completions: completions) else { return }
            submit(line)
        }
    }

    /// Brings room `index` to the front; the input line (and its history) goes with it.
    func switchRoom(to index: Int) { rooms.switchRoom(to: index) }

    /// Tab completes the front room's words, and with several rooms `/room` and the room ids.
    private var completions: [String] {
        state.completions + (tabs.isSeveral ? ["/room"] + tabs.tabs.map(\.room) : [])
    }

    private func submit(_ line: String) {
        if case .ended = state.model.stage {
            guard tabs.isSeveral else {
                return finish(status: 0, message: "The session has ended. Thank you for being here.")
            }
            if let open = tabs.tabs.indices.first(where: { tabs.tabs[$0].closed == nil }) { switchRoom(to: open) }
            return
        }
        if tabs.isSeveral, let command = RoomKeys.roomCommand(line) {
            switch command {
            case .list: state.append(RoomKeys.list(tabs).map { PaneLine($0) })
            case .switchTo(let name):
                guard let index = tabs.index(named: name) else {
                    return state.append([
                        PaneLine("! No room “\(name)” here. \(RoomKeys.roomNames(tabs))", kind: .error)
                    ])
                }
                switchRoom(to: index)
            }
            state.scroll = 0
            return
        }
        let input = InputParser.parse(line, in: state.model)
        switch state.confirmation.resolve(input, at: clock.nowMilliseconds()) {
        case .command(let command): connection.send(command)
        case .confirm(_, let question): state.append([PaneLine(question, kind: .error)])
        case .help:
            state.append(
                InputParser.help(for: state.model.role, activities: state.model.activities).map { PaneLine($0) })
            if tabs.isSeveral { state.append(RoomKeys.help.map { PaneLine($0) }) }
        case .quit: leaveAll()
        case .nothing: break
        case .invalid(let why): state.append([PaneLine("! \(why)", kind: .error)])
        }
        state.scroll = 0
    }
}
