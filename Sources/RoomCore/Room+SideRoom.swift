extension Room {
    /// Takes a participant into a one-to-one side room with the facilitator. While
    /// there, the participant leaves the group audience (no group chat, no exercise,
    /// no check-in) and the group never sees the side room's messages.
    func checkOpenSideRoom(with target: MemberID, by sender: MemberState) throws(RoomError) -> CommandPlan {
        let participant = try participantTarget(target)
        guard !sideRooms.contains(where: { $0.participant == target || $0.facilitator == sender.id })
        else { throw .alreadyInSideRoom }
        return .openSideRoom(participant)
    }

    mutating func openSideRoom(with participant: MemberState, by sender: MemberState) {
        let target = participant.id
        let info = SideRoomInfo(
            participant: target, participantAlias: participant.identity.alias,
            facilitator: sender.id, facilitatorAlias: sender.identity.alias, openedAt: now)
        sideRooms.append(info)
        record(participant, .enteredSideRoom)
        audit(.sideRoomOpened, by: sender.id, target: target)
        emit(.sideRoomOpened(info), to: .members(facilitatorIDs + [target]))
        broadcastRoster()
    }

    /// Brings the participant back to the group, with a fresh snapshot of it.
    func checkCloseSideRoom(with target: MemberID) throws(RoomError) -> CommandPlan {
        guard let info = sideRooms.first(where: { $0.participant == target }) else { throw .notInSideRoom }
        return .closeSideRoom(info)
    }

    mutating func closeSideRoom(_ info: SideRoomInfo, by actor: MemberID?) {
        sideRooms.removeAll { $0.participant == info.participant }
        audit(.sideRoomClosed, by: actor, target: info.participant)
        emit(.sideRoomClosed(info), to: .members(facilitatorIDs + [info.participant]))
        guard let participant = members[info.participant] else { return }
        record(participant, .leftSideRoom)
        sendSnapshot(to: participant)
        broadcastRoster()
    }

    /// Closes any side room a departing member (already gone from the roster) was in or hosting;
    /// a participant whose host left comes back to the group.
    mutating func closeSideRooms(involving member: MemberID) {
        for info in sideRooms where info.participant == member || info.facilitator == member {
            closeSideRoom(info, by: nil)
        }
    }
}
