import RoomCore
import Testing

extension AudienceChecker {
    /// A breakout group's message reaches only that group's participants and the
    /// facilitators visiting it (before or after the input).
    func checkBreakoutMessage(of group: Int, reached member: MemberID, _ where_: String) {
        let inGroup = groupsBefore[member] == group || groupsAfter[member] == group
        #expect(
            inGroup,
            "group \(group)'s message reached \(member) of \(String(describing: groupsAfter[member])): \(where_)")
        let inSideRoom = before[member]?.sideRoomHost != nil && after[member]?.sideRoomHost != nil
        #expect(!inSideRoom, "group \(group)'s message reached \(member) in a side room: \(where_)")
    }

    /// A participant's breakout status shows their own group only; facilitators see every group.
    func checkBreakoutStatus(_ status: BreakoutStatus, _ member: MemberID, _ where_: String) {
        let role = (before[member] ?? after[member])?.identity.role
        guard role == .participant else {
            #expect(status.groups.count == status.groupCount, "facilitator missing groups: \(where_)")
            return
        }
        #expect(status.groups.count == 1, "another group's status reached \(member): \(where_)")
        let listed = status.groups.allSatisfy { $0.members.contains { $0.member == member } }
        #expect(listed, "a group's status reached \(member), not in it: \(where_)")
    }
}

extension MessageScope {
    /// The breakout group of a group's message, `nil` for every other scope.
    var breakoutGroupNumber: Int? {
        if case .breakout(let group) = self { return group }
        return nil
    }
}
