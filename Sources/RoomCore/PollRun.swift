/// The open poll: what was asked, the count of each choice, and the set of
/// members who answered. Nothing else, by construction: no stored value ties a
/// member to a choice, so no event, record, log or error built from it can.
/// ``record(_:from:)`` takes both only to update the two separately.
struct PollRun: Sendable, Equatable {
    /// The question and its choices.
    let info: PollInfo
    /// How many chose each choice, in order.
    private(set) var counts: [Int]
    /// Who answered (so no one answers twice); unordered, so not even the order of
    /// answering is kept.
    private(set) var answered: Set<MemberID> = []

    init(info: PollInfo) {
        self.info = info
        self.counts = Array(repeating: 0, count: info.choices.count)
    }

    /// Whether `choice` is one of the poll's (an option's index, or a scale value).
    func accepts(_ choice: Int) -> Bool { counts.indices.contains(choice) }

    func hasAnswered(_ member: MemberID) -> Bool { answered.contains(member) }

    /// Counts a choice and notes that `member` answered (the room checked both first).
    mutating func record(_ choice: Int, from member: MemberID) {
        counts[choice] += 1
        answered.insert(member)
    }

    /// The results; `withCounts` false leaves the counts out.
    func results(reason: PollResults.Reason, withCounts: Bool) -> PollResults {
        PollResults(poll: info.poll, counts: withCounts ? counts : nil, answered: answered.count, reason: reason)
    }
}
