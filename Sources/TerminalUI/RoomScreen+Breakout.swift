import RoomClient
import RoomCore

extension RoomScreen {
    /// The header's breakout part: `group 2 of 3 09:12` (the group this member is in
    /// or visits), `breakout, 3 groups 09:12` for a facilitator visiting none.
    static func breakoutHeader(_ state: ScreenState) -> String? {
        let model = state.model
        guard let status = model.breakout.status else { return nil }
        let left = clock(.milliseconds(max(0, status.endsAt.millisecondsSinceEpoch - state.serverNow)))
        guard let group = model.breakout.group(of: model.me?.id) else {
            return "breakout, \(status.groupCount) groups \(left)"
        }
        return "group \(group.number) of \(status.groupCount) \(left)"
    }
}
