import RoomCore

extension Samples {
    /// A breakout status with two groups, one with a visitor, hands and a floor.
    static let breakoutStatus = BreakoutStatus(
        run: 2, groupCount: 2, endsAt: at,
        groups: [
            BreakoutGroupInfo(
                number: 1,
                members: [
                    BreakoutMember(member: "m-2", alias: "Sam"), BreakoutMember(member: "m-3", alias: tricky.revealed),
                ],
                visitors: [BreakoutMember(member: "f-1", alias: "Dr. Lee")], hands: ["m-3"], floor: "m-2"),
            BreakoutGroupInfo(
                number: 2, members: [BreakoutMember(member: "m-4", alias: "Ana")], visitors: [], hands: [], floor: nil),
        ])
}
