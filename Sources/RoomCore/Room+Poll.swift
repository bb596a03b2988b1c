/// Anonymous polls: a facilitator asks, admitted participants answer once, and
/// the room keeps only the count of each choice and the set of who answered
/// (``PollRun``). The answer's handling never puts the member and the choice
/// together in an event, a record or an error: the acknowledgement names the
/// member and nothing else; the progress and the results carry counts only.
/// One poll is open at a time; an answer cannot be changed.
extension Room {
    /// The longest question or option, in characters.
    static let pollTextLimit = TextLimit(characters: 300)

    func checkAskPoll(_ request: PollRequest) throws(RoomError) -> CommandPlan {
        guard poll == nil else { throw .pollAlreadyOpen }
        if case .options(let options) = request.choices, !PollChoices.optionCount.contains(options.count) {
            throw .invalidPoll
        }
        try validatePollText(request.question)
        if case .options(let options) = request.choices {
            for option in options { try validatePollText(option) }
        }
        return .askPoll(request, closesAt: request.timeout.flatMap { $0 > .zero ? now + $0 : nil })
    }

    private func validatePollText(_ text: ConfidentialText) throws(RoomError) {
        switch text.check(Room.pollTextLimit) {
        case .accepted: return
        case .empty: throw .emptyMessage
        case .tooManyCharacters, .tooManyBytes, .characterTooComplex: throw .messageTooLong
        }
    }

    mutating func askPoll(_ request: PollRequest, closesAt: Timestamp?) {
        lastPoll += 1
        let info = PollInfo(
            poll: lastPoll, question: request.question, choices: request.choices, audience: request.audience,
            openedAt: now, closesAt: closesAt)
        poll = PollRun(info: info)
        if let closesAt { schedule(.pollDeadline(poll: lastPoll), at: closesAt) }
        emit(.pollOpened(info), to: .group)
        sendPollProgress()
    }

    /// An answer to the open poll with this number: one per participant, a valid choice.
    func checkVote(poll number: UInt64, choice: Int, by sender: MemberState) throws(RoomError) -> CommandPlan {
        guard let run = poll, run.info.poll == number else { throw .noOpenPoll }
        if inSideRoom(sender.id) { throw .inSideRoom }
        guard !run.hasAnswered(sender.id) else { throw .alreadyVoted }
        guard run.accepts(choice) else { throw .invalidChoice }
        return .vote(choice)
    }

    /// Counts the choice and notes the sender answered; tells facilitators the new count.
    mutating func vote(_ choice: Int, by sender: MemberState) {
        poll?.record(choice, from: sender.id)
        sendPollProgress()
    }

    func checkClosePoll() throws(RoomError) -> CommandPlan {
        guard poll != nil else { throw .noOpenPoll }
        return .closePoll
    }

    mutating func closePoll() {
        guard let run = poll else { return }
        if run.info.closesAt != nil { cancel(.pollDeadline(poll: run.info.poll)) }
        finishPoll(reason: .closed)
    }

    mutating func pollDeadlinePassed(_ number: UInt64) {
        guard poll?.info.poll == number else { return }
        finishPoll(reason: .timedOut)
    }

    /// The results to the poll's audience (participants of a facilitators-only poll
    /// learn that it closed and how many answered), and the poll is forgotten.
    private mutating func finishPoll(reason: PollResults.Reason) {
        guard let run = poll else { return }
        switch run.info.audience {
        case .group:
            emit(.pollClosed(run.results(reason: reason, withCounts: true)), to: .group)
        case .facilitators:
            emit(.pollClosed(run.results(reason: reason, withCounts: true)), to: .facilitators)
            emit(.pollClosed(run.results(reason: reason, withCounts: false)), to: .groupParticipants)
        }
        poll = nil
    }

    /// How many answered, and how many could: to facilitators.
    mutating func sendPollProgress() {
        guard let progress = pollProgress else { return }
        emit(.pollProgress(progress), to: .facilitators)
    }

    /// The open poll's progress, if one is open.
    var pollProgress: PollProgress? {
        guard let run = poll else { return nil }
        return PollProgress(
            poll: run.info.poll, answered: run.answered.count, eligible: resolve(.groupParticipants).count)
    }
}
