/// The breakout under way: which participant is in which group, each group's
/// hand queue and floor, and which facilitator visits which group. Bounded by
/// the room: every list holds members present in it, each at most once.
/// Groups are numbered from 1.
struct BreakoutRun: Sendable, Equatable {
    struct Group: Sendable, Equatable {
        var members: [MemberID] = []
        var hands: [MemberID] = []
        var floor: MemberID?
    }

    let run: UInt64
    let endsAt: Timestamp
    private(set) var groups: [Group]
    /// Facilitator → the group they visit.
    private(set) var visits: [MemberID: Int] = [:]

    /// A run of these groups (each a list of participants).
    init(run: UInt64, endsAt: Timestamp, groups: [[MemberID]]) {
        self.run = run
        self.endsAt = endsAt
        self.groups = groups.map { Group(members: $0) }
    }

    /// The group numbers, from 1.
    var numbers: ClosedRange<Int> { 1...groups.count }

    /// The group of this participant, or the group this facilitator visits.
    func group(of member: MemberID) -> Int? {
        if let visit = visits[member] { return visit }
        return groups.firstIndex { $0.members.contains(member) }.map { $0 + 1 }
    }

    func group(_ number: Int) -> Group { groups[number - 1] }

    /// Who of the room visits group `number`.
    func visitors(of number: Int) -> [MemberID] { visits.filter { $0.value == number }.map(\.key) }

    /// The group with the fewest members (the first of those).
    var smallest: Int {
        var best = 0
        for index in groups.indices where groups[index].members.count < groups[best].members.count { best = index }
        return best + 1
    }

    mutating func place(_ member: MemberID, in number: Int) { groups[number - 1].members.append(member) }

    mutating func visit(_ number: Int, by facilitator: MemberID) { visits[facilitator] = number }

    mutating func raiseHand(_ member: MemberID, in number: Int) { groups[number - 1].hands.append(member) }

    /// Lowers the member's hand wherever it is; whether it was raised.
    mutating func lowerHand(_ member: MemberID) -> Bool {
        var lowered = false
        for index in groups.indices where groups[index].hands.contains(member) {
            groups[index].hands.removeAll { $0 == member }
            lowered = true
        }
        return lowered
    }

    /// The floor of group `number` goes to `member` (`nil`: taken back); their hand is lowered.
    mutating func setFloor(_ member: MemberID?, in number: Int) {
        if let member { groups[number - 1].hands.removeAll { $0 == member } }
        groups[number - 1].floor = member
    }

    /// Takes a departing member out of every list.
    mutating func remove(_ member: MemberID) {
        visits[member] = nil
        for index in groups.indices {
            groups[index].members.removeAll { $0 == member }
            groups[index].hands.removeAll { $0 == member }
            if groups[index].floor == member { groups[index].floor = nil }
        }
    }
}
